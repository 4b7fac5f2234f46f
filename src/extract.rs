//! The pipeline: loading -> text -> mentions -> facts, per document in parallel, then the
//! corpus-wide steps (ordering, product spellings).

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::error::Result;
use crate::facts::contacts;
use crate::facts::document::{self, extract_header, wire_named_anywhere};
use crate::facts::release_date::date_in_path;
use crate::facts::table::FactRows;
use crate::facts::triggers::{self, SentenceTriggers};
use crate::facts::whose::{Company, Whose};
use crate::facts::{DocContext, Located};
use crate::loading::{
    discover_telling, document_from_bytes, read_document, Format, Found, RawDocument, ReadAhead,
    Skipped, SourceFile,
};
use crate::mentions::conferences::{self, ConferenceMention};
use crate::mentions::dictionary::{Dictionary, Hit, WordList};
use crate::mentions::index::MentionIndex;
use crate::mentions::lexicon::{Lexicon, TermKind};
use crate::mentions::products::{self, find_products};
use crate::progress::Progress;
use crate::stop::StopFlag;
use crate::text::structure::{Section, Structure};
use crate::text::{nonblank_lines, split_sentences, CharIndex, NormText, Sentence};

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
    /// Byte range of the fact in the original text (`start..end` counts characters).
    pub span: std::ops::Range<usize>,
    /// Byte range of the evidence sentence in the original text.
    pub evidence: std::ops::Range<usize>,
    /// The name of the rule that made the row (`rules/<table>.toml`).
    pub rule: &'static str,
    /// The part of the release the evidence is in (`SCHEMA.md`: `section`).
    pub section: &'static str,
    /// Whose fact: an index into the document's [`DocumentRecord::companies`].
    pub company: Option<u32>,
    pub fact: T,
}

/// One document and everything found in it.
#[derive(Debug, Clone)]
pub struct DocumentRecord {
    pub raw: RawDocument,
    pub n_chars: i64,
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    /// Where `date` came from: `header`, `dateline` or `path`.
    pub date_source: Option<&'static str>,
    /// `release` or `roundup`.
    pub kind: &'static str,
    pub dateline: Option<String>,
    pub wire: Option<String>,
    pub company: Option<String>,
    pub exchange: Option<String>,
    pub ticker: Option<String>,
    /// The companies the rows' `company` points at: the issuer first when there is one.
    pub companies: Vec<Company>,
    /// The rows of every fact table.
    pub facts: FactRows,
}

impl DocumentRecord {
    /// What is wrong with the offsets of the record's rows, one line per fault; empty when each
    /// row's span is on character boundaries, not blank, counted right in characters, and
    /// inside its evidence sentence. The fuzzer and the property tests check every record.
    pub fn offset_problems(&self) -> Vec<String> {
        let text = self.raw.text.as_str();
        let mut problems = Vec::new();
        self.facts.offset_problems(text, &mut problems);
        let n_chars = text.chars().count();
        if self.n_chars as usize != n_chars {
            problems.push(format!("n_chars {} of {n_chars} characters", self.n_chars));
        }
        problems
    }
}

pub(crate) fn offset_problems_of<T>(
    table: &str,
    text: &str,
    rows: &[Row<T>],
    problems: &mut Vec<String>,
) {
    let on_boundaries =
        |r: &std::ops::Range<usize>| r.start <= r.end && text.get(r.clone()).is_some();
    for (i, row) in rows.iter().enumerate() {
        let mut fault =
            |what: String| problems.push(format!("{table} row {i} ({}): {what}", row.rule));
        if !on_boundaries(&row.span) || row.span.is_empty() {
            fault(format!("span {:?} of {} bytes", row.span, text.len()));
            continue;
        }
        if !on_boundaries(&row.evidence) {
            fault(format!(
                "evidence {:?} of {} bytes",
                row.evidence,
                text.len()
            ));
            continue;
        }
        if text[row.span.clone()].trim().is_empty() {
            fault("blank span".into());
        }
        if row.span.start < row.evidence.start || row.evidence.end < row.span.end {
            fault(format!(
                "span {:?} outside evidence {:?}",
                row.span, row.evidence
            ));
        }
        let (start, end) = (
            text[..row.span.start].chars().count(),
            text[..row.span.end].chars().count(),
        );
        if (row.start, row.end) != (start as i64, end as i64) {
            fault(format!(
                "characters {}..{} for bytes {:?} (characters {start}..{end})",
                row.start, row.end, row.span
            ));
        }
    }
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
    pub lines: Vec<(usize, usize)>,
    pub sentences: Vec<Sentence>,
    pub terms: Vec<crate::mentions::lexicon::TermMatch>,
    pub header: crate::facts::document::Header,
    pub products: Vec<crate::mentions::products::ProductMention>,
    pub conferences: Vec<ConferenceMention>,
    pub triggers: SentenceTriggers,
    /// Where the words every contact heading holds one of occur in the text.
    pub contact_heading_words: Vec<Hit>,
}

/// The lists of the engine's word scan, in the order [`engine_lists`] gives them.
const TERMS: [usize; 2] = [0, 1];
const CONFERENCES: [usize; 2] = [2, 3];
const TRIGGERS: usize = 4;
const INN_STEMS: usize = 5;
const CONTACT_HEADINGS: usize = 6;
const WIRES: usize = 7;

/// Every word list the engine scans for (lexicon terms, conference names, trigger words, INN
/// endings, contact-heading words, wire names): one dictionary, one scan per document. Public
/// so the stage benchmarks can time building the automata over them.
pub fn engine_lists(lexicon: &Lexicon) -> [&WordList; 8] {
    let [folded, exact] = lexicon.word_lists();
    let [acronyms, names] = conferences::word_lists();
    [
        folded,
        exact,
        acronyms,
        names,
        triggers::word_list(),
        products::inn_stem_list(),
        contacts::heading_word_list(),
        document::wire_word_list(),
    ]
}

/// From this many files on, a job gets the fast word automaton: it takes ~9 ms to build, while
/// the compact one is usually built already (`import cbmg` warms it), and the compact one's
/// slower scan (62 against 425 MB/s) costs those 9 ms on ~0.65 MB, some 130 releases of the
/// archive's average 4.9 KB.
const FAST_WORD_SCAN_FILES: usize = 130;

/// The engine's word automata over one lexicon, each built the first time a job needs it: a
/// first small load (the seeds, a notebook's handful of files) does not wait for the DFA.
struct WordAutomata {
    lexicon: Arc<Lexicon>,
    compact: OnceLock<Dictionary>,
    /// `None` when the DFA could not be built (a very large user lexicon): the compact one serves.
    fast: OnceLock<Option<Dictionary>>,
}

impl WordAutomata {
    fn new(lexicon: Arc<Lexicon>) -> WordAutomata {
        WordAutomata {
            lexicon,
            compact: OnceLock::new(),
            fast: OnceLock::new(),
        }
    }

    fn compact(&self) -> &Dictionary {
        self.compact.get_or_init(|| {
            Dictionary::compact(&engine_lists(&self.lexicon))
                .expect("word lists were checked when the extractor was made")
        })
    }

    /// Builds the fast automaton, unless built already, when a job of `n_files` files warrants
    /// it; true when it does (the automaton then exists, or could not be built).
    fn build_fast_for(&self, n_files: usize) -> bool {
        if n_files < FAST_WORD_SCAN_FILES {
            return false;
        }
        self.fast
            .get_or_init(|| Dictionary::new(&engine_lists(&self.lexicon)).ok());
        true
    }

    /// The automaton for a job of `n_files` files. Both give the same hits, so the choice never
    /// changes a table; once the fast one exists every job uses it.
    fn for_files(&self, n_files: usize) -> &Dictionary {
        self.build_fast_for(n_files);
        match self.fast.get() {
            Some(Some(fast)) => fast,
            _ => self.compact(),
        }
    }
}

/// Builds what a first load with the built-in lexicon would otherwise build before it reads a
/// file (the compact word automaton and every rule), so a load that comes later starts warm.
///
/// `import cbmg` runs this in the background: in a notebook the import and the first load are
/// cells apart, and the ~20 ms it takes on two cores no longer delays the first result. It uses plain
/// scoped threads, not rayon's pool: a pool created before a `fork` (multiprocessing's default on
/// Linux) leaves the child a pool whose threads do not exist. Building here and in a load at the
/// same time is safe: each lazily built item is built once and the other waits for it. It never
/// searches: a rule's cache pool belongs to the first thread that searches with it, and these
/// threads end.
pub fn warm_up() {
    let mut tasks = rule_compilers();
    tasks.insert(0, build_builtin_automaton);
    tasks.insert(1, build_builtin_clinical_automaton);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(task) =
                    tasks.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                {
                    task();
                }
            });
        }
    });
}

fn build_builtin_automaton() {
    BUILTIN_AUTOMATA.compact();
}

fn build_builtin_clinical_automaton() {
    Lexicon::builtin().build_clinical_automaton();
}

/// Every module's `compile_rules`, text then mentions then facts: what building every rule up
/// front runs.
fn rule_compilers() -> Vec<fn()> {
    [
        crate::text::RULE_COMPILERS,
        crate::mentions::RULE_COMPILERS,
        crate::facts::RULE_COMPILERS,
    ]
    .concat()
}

/// Words without one of which a release names no trial phase and no designation, so its
/// diseases are not worth the ontology's scan (most of a corpus of every industry; the
/// hand-made lexicon is scanned in every release).
const CLINICAL_WORDS: &[&str] = &[
    "Phase ",
    "phase ",
    "PHASE ",
    "Phase I",
    "Phase-",
    "phase-",
    "rphan",
    "esignation",
];

/// Whether `text` may name a trial phase or a designation ([`CLINICAL_WORDS`]).
fn is_clinical(text: &str) -> bool {
    static FINDER: LazyLock<aho_corasick::AhoCorasick> =
        LazyLock::new(|| aho_corasick::AhoCorasick::new(CLINICAL_WORDS).expect("clinical words"));
    FINDER.is_match(text)
}

static BUILTIN_AUTOMATA: LazyLock<Arc<WordAutomata>> =
    LazyLock::new(|| Arc::new(WordAutomata::new(Lexicon::builtin())));

impl Prepared {
    pub fn new(orig: &str, lexicon: &Lexicon, dictionary: &Dictionary) -> Prepared {
        let norm = NormText::new(orig);
        let text = norm.text.as_str();
        let sentences = split_sentences(text);
        // Words are scanned with line breaks read as spaces, so a name a hard-wrapped line or a
        // block breaks ("Knee\nOsteoarthritis") is still one name; the copy keeps every offset.
        let scan_text = text.replace('\n', " ");
        let words = dictionary.scan_outside(&scan_text, &norm.urls);
        let triggers = SentenceTriggers::from_hits(words.all(TRIGGERS), &sentences);
        let mut terms = lexicon.terms(text, &words, TERMS);
        if is_clinical(text) {
            terms = lexicon.with_clinical_terms(text, &scan_text, &norm.urls, terms);
        }
        let conferences = conferences::conferences_in(text, &words, CONFERENCES);
        let lines = nonblank_lines(text);
        let header = extract_header(text, &lines, || {
            wire_named_anywhere(&words.whole_words(WIRES, text), norm.urls_in(orig))
        });
        let company = header.company.map(|(s, e)| &text[s..e]);
        // A word of the issuer's name or a disease, target or country is not a product.
        let other_things: HashSet<&str> = terms
            .iter()
            .filter(|t| {
                matches!(
                    lexicon.entries[t.entry as usize].kind,
                    TermKind::Target | TermKind::Indication | TermKind::Country
                )
            })
            .map(|t| &text[t.start..t.end])
            .collect();
        let is_other_thing = |name: &str| {
            company.is_some_and(|c| c.split_whitespace().any(|w| w == name))
                || other_things.contains(name)
        };
        let products = find_products(&norm, words.all(INN_STEMS), &is_other_thing);
        Prepared {
            triggers,
            contact_heading_words: words.all(CONTACT_HEADINGS).to_vec(),
            lines,
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
            lines: &self.lines,
            sentences: &self.sentences,
            lexicon,
            terms: &self.terms,
            products: &self.products,
            conferences: &self.conferences,
            triggers: &self.triggers,
            company: self.header.company.map(|(s, e)| &self.norm.text[s..e]),
            ticker: self.header.ticker.as_deref(),
            date: self.header.date,
            contact_heading_words: &self.contact_heading_words,
            mentions: MentionIndex::new(&self.norm.text, &self.sentences),
            structure: Structure::new(&self.norm.text, &self.sentences),
        }
    }
}

/// The extractor: compiled lexicons shared by every document and thread.
pub struct Extractor {
    lexicon: Arc<Lexicon>,
    automata: Arc<WordAutomata>,
    stop: StopFlag,
    progress: Progress,
}

impl Extractor {
    pub fn new(options: &Options) -> Result<Extractor> {
        match &options.lexicon {
            Some(path) => {
                let lexicon = Arc::new(Lexicon::with_user_file(path)?);
                // The compact automaton is built now, so a lexicon it cannot hold is an error
                // here rather than a failure in the middle of a load.
                let compact = Dictionary::compact(&engine_lists(&lexicon)).map_err(|message| {
                    crate::error::Error::InvalidLexicon {
                        path: path.clone(),
                        line: 0,
                        message,
                    }
                })?;
                let automata = WordAutomata::new(Arc::clone(&lexicon));
                automata
                    .compact
                    .set(compact)
                    .expect("a new extractor has no automaton yet");
                Ok(Extractor {
                    lexicon,
                    automata: Arc::new(automata),
                    stop: StopFlag::default(),
                    progress: Progress::default(),
                })
            }
            None => Ok(Extractor::builtin()),
        }
    }

    /// The extractor with the built-in lexicons (compiled once per process).
    pub fn builtin() -> Extractor {
        Extractor {
            lexicon: Lexicon::builtin(),
            automata: Arc::clone(&BUILTIN_AUTOMATA),
            stop: StopFlag::default(),
            progress: Progress::default(),
        }
    }

    /// The flag that stops this extractor's jobs: set, a job ends at its next document with
    /// [`crate::Error::Stopped`].
    pub fn stop_flag(&self) -> StopFlag {
        self.stop.clone()
    }

    /// How far this extractor's current job has come, for a watcher on another thread.
    pub fn progress(&self) -> Progress {
        self.progress.clone()
    }

    /// The text and mention stages of one document.
    pub fn prepare(&self, orig: &str) -> Prepared {
        Prepared::new(orig, &self.lexicon, self.automata.for_files(1))
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The automaton of every word list that large jobs use; its lists come in the order of
    /// [`Prepared::new`].
    pub fn dictionary(&self) -> &Dictionary {
        self.automata.for_files(usize::MAX)
    }

    /// Extracts every fact of one decoded document.
    pub fn extract_document(&self, raw: RawDocument) -> DocumentRecord {
        self.extract_with(raw, self.automata.for_files(1))
    }

    fn extract_with(&self, raw: RawDocument, dictionary: &Dictionary) -> DocumentRecord {
        let orig = raw.text.as_str();
        let mut prepared = Prepared::new(orig, &self.lexicon, dictionary);
        if prepared.header.date.is_none() {
            if let Some(date) = date_in_path(&raw.path) {
                prepared.header.date = Some(date);
                prepared.header.date_source = Some("path");
            }
        }
        let ctx = prepared.ctx(&self.lexicon);
        let (norm, header) = (&prepared.norm, &prepared.header);
        let chars = CharIndex::new(orig);
        let whose = Whose::new(
            &norm.text,
            &prepared.sentences,
            &ctx.structure,
            (ctx.company, ctx.ticker),
        );
        let rows = RowMaker {
            norm,
            orig,
            sentences: &prepared.sentences,
            chars: &chars,
            structure: &ctx.structure,
            whose: &whose,
            summary_end: header.dateline.map(|(start, _)| start),
        };
        let facts = FactRows::extract(&ctx, &rows);
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
        // A roundup has no issuer: its facts are the companies' they name.
        let issuer = |field: Option<String>| field.filter(|_| !whose.roundup);
        DocumentRecord {
            n_chars: chars.to_char(orig, orig.len()) as i64,
            title,
            date: header.date,
            date_source: header.date_source,
            kind: if whose.roundup { "roundup" } else { "release" },
            dateline: orig_str(header.dateline),
            wire: header.wire.clone(),
            company: issuer(orig_str(header.company)),
            exchange: issuer(header.exchange.clone()),
            ticker: issuer(header.ticker.clone()),
            companies: whose.companies,
            facts,
            raw,
        }
    }

    /// Builds every rule, and the word automaton for a job of `n_files` files, on all threads
    /// of the pool. Left to their first use, rules compile one after another: every thread
    /// needs the same first rule and waits while one of them builds it. Later jobs find
    /// everything built.
    fn build_for_job(&self, n_files: usize) -> &Dictionary {
        let (dictionary, ()) = rayon::join(
            || self.automata.for_files(n_files),
            || rule_compilers().par_iter().for_each(|compile| compile()),
        );
        dictionary
    }

    /// Loads files and folders: discovery, then reading and extraction in parallel.
    pub fn extract_paths(&self, inputs: &[PathBuf]) -> Result<Corpus> {
        // With one thread nobody is free to extract during the walk: its queue would be waste.
        let extract_early = rayon::current_num_threads() > 1;
        self.progress.start(0);
        let (files, skipped, early) = self.discover_building(inputs, extract_early)?;
        self.progress.set_total(files.len());
        self.extract_batch(&files, skipped, files.len(), early)
    }

    /// [`crate::loading::discover`], with the pool's other threads put to work meanwhile:
    /// walking folders is one thread's work (~70 ms for the archive's 24,636 files in 4,729
    /// folders, two thirds of it in the kernel). Every job needs every rule; once the walk has
    /// found enough files for the fast word automaton, that is built too; and then, when
    /// `extract_early`, the files found so far are extracted until the walk is over.
    fn discover_building(
        &self,
        inputs: &[PathBuf],
        extract_early: bool,
    ) -> Result<(Vec<SourceFile>, Vec<Skipped>, ExtractedEarly)> {
        /// Says the walk is over when dropped, so no thread waits on it even if it panicked.
        struct Walked<'a>(&'a Found);
        impl Drop for Walked<'_> {
            fn drop(&mut self) {
                self.0.walk_over();
            }
        }
        let found = if extract_early {
            Found::queueing()
        } else {
            Found::counting()
        };
        let (discovered, early) = rayon::join(
            || {
                let _walked = Walked(&found);
                discover_telling(inputs, &found, &self.stop)
            },
            || {
                rule_compilers().par_iter().for_each(|compile| compile());
                // With one thread this runs after the walk, and finds it done.
                self.automata
                    .build_fast_for(found.wait_for_count(FAST_WORD_SCAN_FILES));
                if !extract_early {
                    return ExtractedEarly::default();
                }
                // Every thread but the walker's; on two cores, this one.
                let spare = rayon::current_num_threads().saturating_sub(1).max(1);
                (0..spare)
                    .into_par_iter()
                    .map(|_| self.extract_while_walking(&found))
                    .reduce(ExtractedEarly::default, |mut a, b| {
                        a.0.extend(b.0);
                        a
                    })
            },
        );
        let (files, skipped) = discovered?;
        Ok((files, skipped, early))
    }

    /// Extracts the files `found` holds, as the walk finds them, until it is `walked`: the
    /// thread would otherwise wait for the walk, and what it extracts now the job's threads
    /// need not extract later. Several threads may run this at once; each file goes to one.
    fn extract_while_walking(&self, found: &Found) -> ExtractedEarly {
        // Called once the walk has found enough files for the fast automaton, or is over. Both
        // automata give the same hits, so which one extracts a file never changes a table.
        let dictionary = self.automata.for_files(found.count());
        let mut early = HashMap::new();
        while let Some(path) = found.next_while_walking() {
            if self.stop.is_stopped() {
                break;
            }
            // The walk gives the id once it has seen every file (two files may claim one).
            let file = SourceFile {
                path,
                doc_id: String::new(),
            };
            let result = self.read_and_extract(&file, dictionary, read_document);
            early.insert(file.path.into_os_string(), Mutex::new(Some(result)));
        }
        ExtractedEarly(early)
    }

    /// Reads `file` with `read` and extracts it. A bug tripped by one document costs that
    /// document (an `internal_error` row), never the load.
    fn read_and_extract(
        &self,
        file: &SourceFile,
        dictionary: &Dictionary,
        read: impl FnOnce(&SourceFile) -> std::result::Result<RawDocument, Skipped>,
    ) -> Extraction {
        let read = read(file);
        self.progress
            .file_done(read.as_ref().map_or(0, |raw| raw.text.len()));
        read.and_then(|raw| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.extract_with(raw, dictionary)
            }))
            .map_err(|panic| Skipped {
                path: file.path.display().to_string(),
                reason: "internal_error",
                detail: Some(panic_message(&panic)),
            })
        })
    }

    /// Reads and extracts discovered files in parallel; `skipped` are files already passed over.
    pub fn extract_files(&self, files: &[SourceFile], skipped: Vec<Skipped>) -> Result<Corpus> {
        self.extract_batch(files, skipped, files.len(), ExtractedEarly::default())
    }

    /// [`Extractor::extract_files`] for one batch of a job of `job_files` files in all.
    fn extract_batch(
        &self,
        files: &[SourceFile],
        mut skipped: Vec<Skipped>,
        job_files: usize,
        early: ExtractedEarly,
    ) -> Result<Corpus> {
        let dictionary = self.build_for_job(job_files);
        // Workers take files in order through the read-ahead's cursor, not by rayon's halves, so
        // that its thread (idle unless reads wait for the disk) knows which files come next.
        // Each of the pool's calls takes one file, so every file is taken exactly once.
        let slots: Vec<OnceLock<Extraction>> = (0..files.len()).map(|_| OnceLock::new()).collect();
        let read_ahead = ReadAhead::new(files);
        std::thread::scope(|scope| {
            let hinter = read_ahead.start(scope);
            (0..files.len()).into_par_iter().for_each(|_| {
                // A stopped job takes no more files: the ones taken finish, the rest are left.
                if self.stop.is_stopped() {
                    return;
                }
                let Some((i, f)) = hinter.next_file() else {
                    return;
                };
                let result = match early.take(f) {
                    Some(result) => result,
                    None => self.read_and_extract(f, dictionary, |f| hinter.read_document(f)),
                };
                let _ = slots[i].set(result);
            });
        });
        self.stop.check()?;
        let results = slots
            .into_iter()
            .map(|slot| slot.into_inner().expect("every file is taken once"));
        // Collected in place, into the results' own memory: moving the records to a new vector
        // of their own took ~9 ms on one thread for the archive, most of it the kernel handing
        // out the new vector's 12 MB page by page.
        let mut documents: Vec<DocumentRecord> = results
            .into_iter()
            .filter_map(|r| r.map_err(|s| skipped.push(s)).ok())
            .collect();
        documents.sort_by(|a, b| a.raw.doc_id.cmp(&b.raw.doc_id));
        skipped.sort_by(|a, b| a.path.cmp(&b.path));
        canonicalise_products(&mut documents);
        Ok(Corpus { documents, skipped })
    }

    /// Extracts texts that are already in memory (a column of a DataFrame, pages scraped by
    /// the caller), in parallel. Each keeps its place: documents come out in the order given,
    /// and a text that is empty or binary is a `skipped` row whose path is its id. The id is
    /// also the path a date may be read from (`2025/0530/slug`).
    pub fn extract_texts(&self, texts: Vec<InMemoryText>) -> Result<Corpus> {
        self.progress.start(texts.len());
        let dictionary = self.build_for_job(texts.len());
        let results: Vec<Option<Extraction>> = texts
            .into_par_iter()
            .map(|t| {
                if self.stop.is_stopped() {
                    return None;
                }
                let id = t.doc_id.clone();
                let file = SourceFile {
                    path: PathBuf::from(&id),
                    doc_id: id,
                };
                Some(self.read_and_extract(&file, dictionary, |f| {
                    document_from_bytes(
                        f.doc_id.clone(),
                        f.doc_id.clone(),
                        t.format,
                        t.text.into_bytes(),
                    )
                }))
            })
            .collect();
        self.stop.check()?;
        let mut skipped = Vec::new();
        let mut documents: Vec<DocumentRecord> = results
            .into_iter()
            .flatten()
            .filter_map(|r| r.map_err(|s| skipped.push(s)).ok())
            .collect();
        canonicalise_products(&mut documents);
        Ok(Corpus { documents, skipped })
    }

    /// A load in batches of `batch_size` files, for corpora larger than memory.
    pub fn scan(self, inputs: &[PathBuf], batch_size: usize) -> Result<Scan> {
        // Batches are extracted one at a time, later: nothing is extracted during the walk.
        let (files, skipped, _) = self.discover_building(inputs, false)?;
        self.progress.start(files.len());
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
    type Item = Result<Corpus>;

    fn next(&mut self) -> Option<Result<Corpus>> {
        let skipped = std::mem::take(&mut self.skipped_at_discovery);
        // An empty corpus still yields one (empty) batch, so every table and its schema exist.
        if self.next >= self.files.len() && skipped.is_empty() && self.yielded {
            return None;
        }
        self.yielded = true;
        let end = (self.next + self.batch_size).min(self.files.len());
        let batch = &self.files[self.next..end];
        self.next = end;
        // The automaton suits the whole scan, not one batch: small batches of a large corpus
        // still get the fast one.
        Some(self.extractor.extract_batch(
            batch,
            skipped,
            self.files.len(),
            ExtractedEarly::default(),
        ))
    }
}

/// One file's outcome: its record, or why it was passed over.
type Extraction = std::result::Result<DocumentRecord, Skipped>;

/// A text the caller holds in memory, with the id it will carry in every table.
#[derive(Debug, Clone)]
pub struct InMemoryText {
    pub doc_id: String,
    pub text: String,
    pub format: Format,
}

/// Files extracted while the walk was still going, by path, each taken once by the job.
///
/// Keyed by the path's bytes: both the job's list and this map hold the paths exactly as the
/// walk wrote them, and hashing a `Path` splits it into components first (~1,100 instructions
/// a lookup, one lookup per file of a job).
#[derive(Default)]
struct ExtractedEarly(HashMap<OsString, Mutex<Option<Extraction>>>);

impl ExtractedEarly {
    /// `file`'s outcome if it was extracted early, with the id the walk gave it. A path listed
    /// twice (a folder given twice) is taken once; its other copy is extracted as usual.
    fn take(&self, file: &SourceFile) -> Option<Extraction> {
        if self.0.is_empty() {
            return None;
        }
        let taken = self
            .0
            .get(file.path.as_os_str())?
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()?;
        Some(taken.map(|mut record| {
            record.raw.doc_id = file.doc_id.clone();
            record
        }))
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    format!(
        "extraction failed: {}; please report this file",
        panic_text(panic)
    )
}

/// What a caught panic said.
pub fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// What maps one document's located facts to table rows: code-point offsets into the original
/// text, and the original sentence as evidence (widened if ever needed so that it holds the
/// span).
pub struct RowMaker<'a> {
    norm: &'a NormText,
    orig: &'a str,
    sentences: &'a [Sentence],
    chars: &'a CharIndex,
    structure: &'a Structure<'a>,
    whose: &'a Whose,
    /// Where the dateline starts: the lines between the headline and it are a summary.
    summary_end: Option<usize>,
}

impl RowMaker<'_> {
    /// The `section` of sentence `si`: its part of the release, with the lines above the
    /// dateline a summary and a statement's rows a table.
    fn section(&self, si: usize) -> &'static str {
        let section = self.structure.section(si);
        if section != Section::Body {
            return section.name();
        }
        if self
            .summary_end
            .is_some_and(|end| self.sentences[si].start < end)
        {
            "summary"
        } else if self.structure.is_table(si) {
            "table"
        } else {
            section.name()
        }
    }

    pub fn rows<T>(&self, located: Vec<Located<T>>) -> Vec<Row<T>> {
        let (norm, orig) = (self.norm, self.orig);
        let mut out: Vec<Row<T>> = located
            .into_iter()
            .map(|l| {
                let (a, b) = norm.orig_span(orig, l.start, l.end);
                let s = self.sentences[l.sentence];
                let (sa, sb) = norm.orig_span(orig, s.start, s.end);
                Row {
                    start: self.chars.to_char(orig, a) as i64,
                    end: self.chars.to_char(orig, b) as i64,
                    span: a..b,
                    evidence: sa.min(a)..sb.max(b),
                    rule: l.rule,
                    section: self.section(l.sentence),
                    company: self.whose.of_sentence(l.sentence),
                    fact: l.fact,
                }
            })
            .collect();
        out.sort_by_key(|r| (r.start, r.end));
        out
    }
}

/// One product written several ways across a corpus (`Rejoin`, `ReJoin`) takes its most
/// frequent spelling; ties go to the spelling with more capitals (`ReJoin`), then the first.
fn canonicalise_products(documents: &mut [DocumentRecord]) {
    let mut counts: HashMap<String, HashMap<String, usize>> = HashMap::new();
    for d in documents.iter() {
        for t in &d.facts.trials {
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
        for t in &mut d.facts.trials {
            if let Some(p) = &mut t.fact.product {
                if let Some(b) = best.get(&p.to_lowercase()) {
                    p.clone_from(b);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compact and the fast automaton report the same hits in the same order, so the size
    /// of a job never changes a table; and so does the scan around the blanked web addresses
    /// that a load runs, with either.
    #[test]
    fn compact_and_fast_word_automata_agree() {
        let lexicon = Lexicon::builtin();
        let lists = engine_lists(&lexicon);
        let compact = Dictionary::compact(&lists).unwrap();
        let fast = Dictionary::new(&lists).unwrap();
        let (mut n_hits, mut blanked) = (0, 0);
        let edges = [
            "US and us; MET, met; ASCO; pembrolizumab",
            "Visit https://acme.com/news/phase-2-trial-of-ab-101-in-crohns-disease-2024 for ASCO \
             news, www.acme.com/ir/quarterly-results-net-loss-2024 or http://x.y/z.",
        ];
        for t in crate::text::sample_texts(&edges) {
            let norm = NormText::new(&t);
            let (a, b) = (compact.scan(&norm.text), fast.scan(&norm.text));
            let c = compact.scan_outside(&norm.text, &norm.urls);
            let d = fast.scan_outside(&norm.text, &norm.urls);
            for list in 0..lists.len() {
                assert_eq!(a.all(list), b.all(list), "list {list}");
                assert_eq!(
                    c.all(list),
                    a.all(list),
                    "list {list}, compact outside blanks"
                );
                assert_eq!(d.all(list), a.all(list), "list {list}, fast outside blanks");
                n_hits += a.all(list).len();
            }
            blanked += norm.urls.iter().map(|(s, e)| e - s).sum::<usize>();
        }
        assert!(n_hits > 1000, "hits compared: {n_hits}");
        assert!(
            blanked > crate::text::at_least(10_000, 300),
            "blanked bytes: {blanked}"
        );
    }

    /// A warm-up running beside loads leaves them as they were, and leaves the built-in
    /// extractor's compact automaton built.
    #[test]
    fn loads_beside_a_warm_up_extract_what_they_always_did() {
        let orig = "Acme Bio Reports Third Quarter 2024 Results\n\nBOSTON, Nov. 5, 2024 -- Acme \
                    Bio (NASDAQ: ACME) reported a net loss of $4.2 million for the third quarter \
                    of 2024. Its Phase 2 trial of AB-101 in Crohn's disease enrolled 120 patients.";
        let extract = || {
            let extractor = Extractor::builtin();
            let raw = RawDocument {
                doc_id: "acme".to_string(),
                path: "acme.txt".to_string(),
                format: crate::loading::Format::Text,
                encoding: "utf-8",
                text: orig.to_string(),
                headline: None,
            };
            let record = extractor.extract_with(raw, extractor.automata.for_files(1));
            (
                format!("{:?}", record.facts.financials),
                format!("{:?}", record.facts.trials),
            )
        };
        let ((), loads) = rayon::join(warm_up, || (0..4).map(|_| extract()).collect::<Vec<_>>());
        assert!(BUILTIN_AUTOMATA.compact.get().is_some());
        let after = extract();
        assert!(
            after.0.contains("4200000") && after.1.contains("Phase 2"),
            "{after:?}"
        );
        assert!(loads.iter().all(|l| *l == after));
    }

    /// Files extracted while the walk goes on end up in the corpus exactly as the job's threads
    /// would have extracted them, with the ids the finished walk gives: here the folder is given
    /// twice, so every file is listed twice, the second time under a new id.
    #[test]
    fn files_extracted_during_the_walk_are_the_ones_the_job_would_extract() {
        let extractor = Extractor::builtin();
        let releases = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/releases");
        let inputs = [releases.clone(), releases];
        let found = Found::queueing();
        let (files, skipped) = discover_telling(&inputs, &found, &StopFlag::default()).unwrap();
        assert_eq!(found.queued(), files.len());
        let early = std::thread::scope(|scope| {
            let extracting =
                [(); 2].map(|()| scope.spawn(|| extractor.extract_while_walking(&found)));
            while found.queued() > 0 {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            found.walk_over();
            let [a, b] = extracting.map(|t| t.join().unwrap());
            // Each path found is taken once; the folder was given twice, so each is found twice.
            let taken = a.0.len() + b.0.len();
            assert!(taken >= files.len() / 2 && taken <= files.len(), "{taken}");
            ExtractedEarly(a.0.into_iter().chain(b.0).collect())
        });
        assert_eq!(
            early.0.len(),
            files.len() / 2,
            "each path is extracted once"
        );
        let n = files.len();
        let with_early = extractor
            .extract_batch(&files, skipped.clone(), n, early)
            .unwrap();
        let without = extractor
            .extract_batch(&files, skipped, n, ExtractedEarly::default())
            .unwrap();
        assert_eq!(format!("{with_early:?}"), format!("{without:?}"));
        // Both copies of each release are in, each under its own id; the JSON files beside
        // them are skipped rows.
        let ids: Vec<&str> = with_early
            .documents
            .iter()
            .map(|d| d.raw.doc_id.as_str())
            .collect();
        assert!(ids.contains(&"r01_businesswire_q3"), "{ids:?}");
        assert!(ids.contains(&"r01_businesswire_q3~txt2"), "{ids:?}");
        assert_eq!(with_early.documents.len() + with_early.skipped.len(), n);
        assert!(with_early.documents.len() >= 40 && !with_early.skipped.is_empty());
    }

    /// A job whose flag is set ends with `Stopped` instead of a corpus missing documents, and a
    /// scan yields that error for its batch.
    #[test]
    fn a_stopped_job_ends_with_an_error_not_a_partial_corpus() {
        let extractor = Extractor::builtin();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let inputs = [root.join("tests/data/releases")];
        extractor.stop_flag().stop();
        assert!(matches!(
            extractor.extract_paths(&inputs),
            Err(crate::Error::Stopped)
        ));
        let (files, skipped) = crate::loading::discover(&inputs).unwrap();
        assert!(matches!(
            extractor.extract_files(&files, skipped),
            Err(crate::Error::Stopped)
        ));
        let running = Extractor::builtin();
        let stop = running.stop_flag();
        let mut scan = running.scan(&inputs, 5).unwrap();
        assert!(scan.next().unwrap().is_ok());
        stop.stop();
        assert!(matches!(scan.next(), Some(Err(crate::Error::Stopped))));
    }

    /// A load extracts what extracting its discovered files does, whether or not the walk left
    /// time to extract some of them early.
    #[test]
    fn a_load_extracts_what_its_discovered_files_give() {
        let extractor = Extractor::builtin();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let inputs = [root.join("seeds"), root.join("tests/data/releases")];
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let loaded = pool.install(|| extractor.extract_paths(&inputs)).unwrap();
        let (files, skipped) = crate::loading::discover(&inputs).unwrap();
        let extracted = extractor.extract_files(&files, skipped).unwrap();
        assert_eq!(format!("{loaded:?}"), format!("{extracted:?}"));
        assert!(loaded.documents.len() >= 35);
    }

    /// Small jobs use the compact automaton until the fast one exists; then every job uses it.
    #[test]
    fn jobs_pick_their_word_automaton_by_size() {
        let automata = WordAutomata::new(Lexicon::builtin());
        assert!(std::ptr::eq(automata.for_files(3), automata.compact()));
        let fast = automata.for_files(FAST_WORD_SCAN_FILES);
        assert!(!std::ptr::eq(fast, automata.compact()));
        assert!(std::ptr::eq(automata.for_files(3), fast));
    }

    /// Each module's `compile_rules!` names every rule the module defines, so a first load
    /// builds them all up front: a rule missing from its list would compile at first use again.
    #[test]
    fn every_rule_is_in_its_modules_compile_rules() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let static_rule =
            regex::Regex::new(r"(?m)^(?:pub(?:\(crate\))? )?static ([A-Z_0-9]+): LazyLock<")
                .unwrap();
        let mut n_rules = 0;
        for stage in ["facts", "mentions", "text"] {
            for entry in std::fs::read_dir(root.join(stage)).unwrap() {
                let source = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                let code = source.split("#[cfg(test)]\nmod tests").next().unwrap();
                let listed: Vec<&str> = code
                    .split("compile_rules!(")
                    .nth(1)
                    .and_then(|rest| rest.split(')').next())
                    .map(|names| names.split(',').map(str::trim).collect())
                    .unwrap_or_default();
                for c in static_rule.captures_iter(code) {
                    n_rules += 1;
                    assert!(
                        listed.contains(&&c[1]),
                        "{stage}: {} is not in compile_rules!",
                        &c[1]
                    );
                }
            }
        }
        assert!(n_rules > 70, "rules checked: {n_rules}");
    }
}
