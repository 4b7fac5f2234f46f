//! The pipeline: loading -> text -> mentions -> facts, per document in parallel, then the
//! corpus-wide steps (ordering, product spellings).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::error::Result;
use crate::facts::contacts::{extract_contacts, ContactFact};
use crate::facts::document::extract_header;
use crate::facts::events::{extract_events, EventFact};
use crate::facts::facilities::{extract_facilities, FacilityFact};
use crate::facts::financials::{extract_financials, FinancialFact};
use crate::facts::grants::{extract_grants, GrantFact};
use crate::facts::partnerships::{extract_partnerships, PartnershipFact};
use crate::facts::quotes::{extract_quotes, QuoteFact};
use crate::facts::regulatory::{extract_regulatory, RegulatoryFact};
use crate::facts::trials::{extract_trials, TrialFact};
use crate::facts::triggers::{self, SentenceTriggers};
use crate::facts::{DocContext, Located};
use crate::loading::{discover, read_document, RawDocument, Skipped, SourceFile};
use crate::mentions::conferences::{self, ConferenceMention};
use crate::mentions::dictionary::Dictionary;
use crate::mentions::lexicon::{Lexicon, TermKind};
use crate::mentions::periods::fiscal_year_end;
use crate::mentions::products::{self, find_products};
use crate::text::{split_sentences, CharIndex, NormText, Sentence};

/// How to run a load.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A user lexicon CSV that extends the built-in one for this load.
    pub lexicon: Option<PathBuf>,
}

/// A fact row ready for a table: code-point offsets into the document text and its sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<T> {
    pub start: i64,
    pub end: i64,
    /// Byte range of the evidence sentence in the original text.
    pub evidence: std::ops::Range<usize>,
    pub fact: T,
}

/// One document and everything found in it.
#[derive(Debug, Clone)]
pub struct DocumentRecord {
    pub raw: RawDocument,
    pub n_chars: i64,
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    pub dateline: Option<String>,
    pub wire: Option<String>,
    pub company: Option<String>,
    pub exchange: Option<String>,
    pub ticker: Option<String>,
    pub financials: Vec<Row<FinancialFact>>,
    pub trials: Vec<Row<TrialFact>>,
    pub events: Vec<Row<EventFact>>,
    pub facilities: Vec<Row<FacilityFact>>,
    pub regulatory: Vec<Row<RegulatoryFact>>,
    pub partnerships: Vec<Row<PartnershipFact>>,
    pub grants: Vec<Row<GrantFact>>,
    pub contacts: Vec<Row<ContactFact>>,
    pub quotes: Vec<Row<QuoteFact>>,
}

/// Everything a load produced.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub documents: Vec<DocumentRecord>,
    pub skipped: Vec<Skipped>,
}

/// A document after the text and mention stages: what every fact assembler reads.
pub struct Prepared {
    pub norm: NormText,
    pub sentences: Vec<Sentence>,
    pub terms: Vec<crate::mentions::lexicon::TermMatch>,
    pub header: crate::facts::document::Header,
    pub products: Vec<crate::mentions::products::ProductMention>,
    pub conferences: Vec<ConferenceMention>,
    pub triggers: SentenceTriggers,
}

/// The lists of the engine's one word scan, in the order [`engine_dictionary`] gives them.
const TERMS: [usize; 2] = [0, 1];
const CONFERENCES: [usize; 2] = [2, 3];
const TRIGGERS: usize = 4;
const INN_STEMS: usize = 5;

/// Lexicon terms, conference names and trigger words: one automaton, one pass per document.
fn engine_dictionary(lexicon: &Lexicon) -> std::result::Result<Dictionary, String> {
    let [folded, exact] = lexicon.word_lists();
    let [acronyms, names] = conferences::word_lists();
    Dictionary::new(&[
        folded,
        exact,
        acronyms,
        names,
        triggers::word_list(),
        products::inn_stem_list(),
    ])
}

static BUILTIN_DICTIONARY: std::sync::LazyLock<Arc<Dictionary>> = std::sync::LazyLock::new(|| {
    Arc::new(engine_dictionary(&Lexicon::builtin()).expect("built-in word lists are valid"))
});

impl Prepared {
    pub fn new(orig: &str, lexicon: &Lexicon, dictionary: &Dictionary) -> Prepared {
        let norm = NormText::new(orig);
        let text = norm.text.as_str();
        let sentences = split_sentences(text);
        let words = dictionary.scan(text);
        let triggers = SentenceTriggers::from_hits(words.all(TRIGGERS), &sentences);
        let terms = lexicon.terms(text, &words, TERMS);
        let conferences = conferences::conferences_in(text, &words, CONFERENCES);
        let header = extract_header(text, orig);
        let company = header.company.map(|(s, e)| &text[s..e]);
        // A word of the issuer's name or a disease, target or country is not a product.
        let is_other_thing = |name: &str| {
            company.is_some_and(|c| c.split_whitespace().any(|w| w == name))
                || terms.iter().any(|t| {
                    &text[t.start..t.end] == name
                        && matches!(
                            lexicon.entries[t.entry as usize].kind,
                            TermKind::Target | TermKind::Indication | TermKind::Country
                        )
                })
        };
        let products = find_products(&norm, words.all(INN_STEMS), &is_other_thing);
        Prepared {
            triggers,
            sentences,
            terms,
            header,
            products,
            conferences,
            norm,
        }
    }

    pub fn ctx<'a>(&'a self, lexicon: &'a Lexicon) -> DocContext<'a> {
        DocContext {
            text: &self.norm.text,
            sentences: &self.sentences,
            lexicon,
            terms: &self.terms,
            products: &self.products,
            conferences: &self.conferences,
            triggers: &self.triggers,
        }
    }
}

/// The extractor: compiled lexicons shared by every document and thread.
pub struct Extractor {
    lexicon: Arc<Lexicon>,
    dictionary: Arc<Dictionary>,
}

impl Extractor {
    pub fn new(options: &Options) -> Result<Extractor> {
        match &options.lexicon {
            Some(path) => {
                let lexicon = Lexicon::with_user_file(path)?;
                let dictionary = engine_dictionary(&lexicon).map_err(|message| {
                    crate::error::Error::InvalidLexicon {
                        path: path.clone(),
                        line: 0,
                        message,
                    }
                })?;
                Ok(Extractor {
                    lexicon: Arc::new(lexicon),
                    dictionary: Arc::new(dictionary),
                })
            }
            None => Ok(Extractor::builtin()),
        }
    }

    /// The extractor with the built-in lexicons (compiled once per process).
    pub fn builtin() -> Extractor {
        Extractor {
            lexicon: Lexicon::builtin(),
            dictionary: Arc::clone(&BUILTIN_DICTIONARY),
        }
    }

    /// The text and mention stages of one document.
    pub fn prepare(&self, orig: &str) -> Prepared {
        Prepared::new(orig, &self.lexicon, &self.dictionary)
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The automaton of every word list; its lists come in the order of [`Prepared::new`].
    pub fn dictionary(&self) -> &Dictionary {
        &self.dictionary
    }

    /// Extracts every fact of one decoded document.
    pub fn extract_document(&self, raw: RawDocument) -> DocumentRecord {
        let orig = raw.text.as_str();
        let prepared = self.prepare(orig);
        let ctx = prepared.ctx(&self.lexicon);
        let (norm, text, sentences, header) = (
            &prepared.norm,
            prepared.norm.text.as_str(),
            &prepared.sentences,
            &prepared.header,
        );
        let company_norm = header.company.map(|(s, e)| text[s..e].to_string());
        let financials = extract_financials(&ctx, fiscal_year_end(text));
        let trials = extract_trials(&ctx);
        let events = extract_events(&ctx);
        let facilities = extract_facilities(&ctx);
        let regulatory = extract_regulatory(&ctx);
        let ticker = header.ticker.clone();
        let issuer: Vec<&str> = [company_norm.as_deref(), ticker.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let partnerships = extract_partnerships(&ctx, &issuer);
        let grants = extract_grants(&ctx);
        let sentence_at = |pos: usize| ctx.sentence_at(pos);
        let contacts = extract_contacts(
            text,
            &sentence_at,
            company_norm.as_deref(),
            ticker.as_deref(),
        );
        let mut quotes = extract_quotes(
            text,
            &sentence_at,
            company_norm.as_deref(),
            ticker.as_deref(),
        );
        // A quotation is reported exactly as written, curly quotes and all.
        for q in &mut quotes {
            let (a, b) = norm.orig_span(orig, q.start, q.end);
            q.fact.text = orig[a..b].to_string();
        }

        let chars = CharIndex::new(orig);
        let orig_str = |r: Option<(usize, usize)>| {
            r.map(|(s, e)| {
                let (a, b) = norm.orig_span(orig, s, e);
                orig[a..b].to_string()
            })
        };
        let title = match raw.headline {
            Some((s, e)) => Some(orig[s..e].to_string()),
            None => orig_str(header.title),
        };
        DocumentRecord {
            n_chars: chars.to_char(orig, orig.len()) as i64,
            title,
            date: header.date,
            dateline: orig_str(header.dateline),
            wire: header.wire.clone(),
            company: orig_str(header.company),
            exchange: header.exchange.clone(),
            ticker: header.ticker.clone(),
            financials: to_rows(financials, norm, orig, sentences, &chars),
            trials: to_rows(trials, norm, orig, sentences, &chars),
            events: to_rows(events, norm, orig, sentences, &chars),
            facilities: to_rows(facilities, norm, orig, sentences, &chars),
            regulatory: to_rows(regulatory, norm, orig, sentences, &chars),
            partnerships: to_rows(partnerships, norm, orig, sentences, &chars),
            grants: to_rows(grants, norm, orig, sentences, &chars),
            contacts: to_rows(contacts, norm, orig, sentences, &chars),
            quotes: to_rows(quotes, norm, orig, sentences, &chars),
            raw,
        }
    }

    /// Loads files and folders: discovery, then reading and extraction in parallel.
    pub fn extract_paths(&self, inputs: &[PathBuf]) -> Result<Corpus> {
        let (files, skipped) = discover(inputs)?;
        Ok(self.extract_files(&files, skipped))
    }

    /// Reads and extracts discovered files in parallel; `skipped` are files already passed over.
    pub fn extract_files(&self, files: &[SourceFile], mut skipped: Vec<Skipped>) -> Corpus {
        let results: Vec<std::result::Result<DocumentRecord, Skipped>> = files
            .par_iter()
            .map(|f| {
                let raw = read_document(f)?;
                // A bug tripped by one document must cost that document, never the load.
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.extract_document(raw)
                }))
                .map_err(|panic| Skipped {
                    path: f.path.display().to_string(),
                    reason: "internal_error",
                    detail: Some(panic_message(&panic)),
                })
            })
            .collect();
        let mut documents = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(d) => documents.push(d),
                Err(s) => skipped.push(s),
            }
        }
        documents.sort_by(|a, b| a.raw.doc_id.cmp(&b.raw.doc_id));
        skipped.sort_by(|a, b| a.path.cmp(&b.path));
        canonicalise_products(&mut documents);
        Corpus { documents, skipped }
    }

    /// A load in batches of `batch_size` files, for corpora larger than memory.
    pub fn scan(self, inputs: &[PathBuf], batch_size: usize) -> Result<Scan> {
        let (files, skipped) = discover(inputs)?;
        Ok(Scan {
            extractor: self,
            files,
            next: 0,
            batch_size: batch_size.max(1),
            skipped_at_discovery: skipped,
            yielded: false,
        })
    }
}

/// Files discovered once and extracted a batch at a time: memory follows the batch size, not
/// the corpus. Batches come in the order of the files' paths; files passed over while walking
/// the folders are reported with the first batch, and an empty corpus yields one empty batch.
/// Product spellings are unified per batch.
pub struct Scan {
    extractor: Extractor,
    files: Vec<SourceFile>,
    next: usize,
    batch_size: usize,
    skipped_at_discovery: Vec<Skipped>,
    yielded: bool,
}

impl Scan {
    /// How many files the scan will read in all.
    pub fn total_files(&self) -> usize {
        self.files.len()
    }
}

impl Iterator for Scan {
    type Item = Corpus;

    fn next(&mut self) -> Option<Corpus> {
        let skipped = std::mem::take(&mut self.skipped_at_discovery);
        // An empty corpus still yields one (empty) batch, so every table and its schema exist.
        if self.next >= self.files.len() && skipped.is_empty() && self.yielded {
            return None;
        }
        self.yielded = true;
        let end = (self.next + self.batch_size).min(self.files.len());
        let batch = &self.files[self.next..end];
        self.next = end;
        Some(self.extractor.extract_files(batch, skipped))
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    format!("extraction failed: {what}; please report this file")
}

/// Maps located facts to table rows: code-point offsets into the original text, and the
/// original sentence as evidence (widened if ever needed so that it holds the span).
fn to_rows<T>(
    located: Vec<Located<T>>,
    norm: &NormText,
    orig: &str,
    sentences: &[Sentence],
    chars: &CharIndex,
) -> Vec<Row<T>> {
    let mut out: Vec<Row<T>> = located
        .into_iter()
        .map(|l| {
            let (a, b) = norm.orig_span(orig, l.start, l.end);
            let s = sentences[l.sentence];
            let (sa, sb) = norm.orig_span(orig, s.start, s.end);
            Row {
                start: chars.to_char(orig, a) as i64,
                end: chars.to_char(orig, b) as i64,
                evidence: sa.min(a)..sb.max(b),
                fact: l.fact,
            }
        })
        .collect();
    out.sort_by_key(|r| (r.start, r.end));
    out
}

/// One product written several ways across a corpus (`Rejoin`, `ReJoin`) takes its most
/// frequent spelling; ties go to the spelling with more capitals (`ReJoin`), then the first.
fn canonicalise_products(documents: &mut [DocumentRecord]) {
    let mut counts: HashMap<String, HashMap<String, usize>> = HashMap::new();
    for d in documents.iter() {
        for t in &d.trials {
            if let Some(p) = &t.fact.product {
                *counts
                    .entry(p.to_lowercase())
                    .or_default()
                    .entry(p.clone())
                    .or_default() += 1;
            }
        }
    }
    let best: HashMap<String, String> = counts
        .into_iter()
        .map(|(key, spellings)| {
            let mut v: Vec<(String, usize)> = spellings.into_iter().collect();
            v.sort_by(|a, b| {
                b.1.cmp(&a.1)
                    .then_with(|| {
                        let caps = |s: &str| s.chars().filter(|c| c.is_uppercase()).count();
                        caps(&b.0).cmp(&caps(&a.0))
                    })
                    .then_with(|| a.0.cmp(&b.0))
            });
            (key, v.swap_remove(0).0)
        })
        .collect();
    for d in documents.iter_mut() {
        for t in &mut d.trials {
            if let Some(p) = &mut t.fact.product {
                if let Some(b) = best.get(&p.to_lowercase()) {
                    p.clone_from(b);
                }
            }
        }
    }
}
