//! Lexicon terms (indications, targets, modalities, countries) found with aho-corasick.
//!
//! The lexicons are CSV files under `data/`, compiled into the library and parsed once per
//! process. A term written in lower case matches in any casing (`multiple myeloma`); a term
//! with capitals matches exactly (`BCMA`, `KOA`), which keeps `ALL` from matching "all".
//! Users extend them per load with a CSV of `kind,term,canonical,abbreviation` rows.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, LazyLock, OnceLock};

use crate::error::{Error, Result};
use crate::mentions::dictionary::{Dictionary, Hit, Hits, WordList};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TermKind {
    Indication,
    Target,
    Modality,
    Country,
}

impl TermKind {
    pub fn parse(s: &str) -> Option<TermKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "indication" | "disease" => Some(TermKind::Indication),
            "target" | "antigen" => Some(TermKind::Target),
            "modality" => Some(TermKind::Modality),
            "country" => Some(TermKind::Country),
            _ => None,
        }
    }
}

/// One concept: its canonical name and, for indications, its abbreviation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: TermKind,
    pub name: String,
    pub abbreviation: Option<String>,
    /// The abbreviation is an ordinary word too (`ALL`, `MS`): it counts only in a document that
    /// spells the name out.
    pub abbreviation_needs_definition: bool,
    /// A broad term ("Cancer", "Cell therapy") that gives way to a specific one beside it
    /// (the `generic` column of the data files).
    pub generic: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermMatch {
    pub start: usize,
    pub end: usize,
    pub entry: u32,
    pub is_abbreviation: bool,
}

#[derive(Debug, Clone, Copy)]
struct PatternInfo {
    entry: u32,
    is_abbreviation: bool,
}

/// The compiled lexicon: entries plus one word list matched in any casing and one matched
/// exactly. The engine scans them together with its other lists (`mentions::dictionary`).
#[derive(Debug)]
pub struct Lexicon {
    pub entries: Vec<Entry>,
    pub insensitive: WordList,
    insensitive_info: Vec<PatternInfo>,
    pub sensitive: WordList,
    sensitive_info: Vec<PatternInfo>,
    /// The ontology's diseases, matched in any casing: thousands of names only clinical text
    /// holds, so they are scanned apart, in clinical documents alone
    /// ([`Lexicon::with_clinical_terms`]), by an automaton built the first time one needs it.
    clinical: WordList,
    clinical_info: Vec<PatternInfo>,
    clinical_automaton: OnceLock<Option<Dictionary>>,
}

/// A term as read from a lexicon file, before compilation.
#[derive(Debug, Clone)]
struct TermRow {
    kind: TermKind,
    name: String,
    abbreviation: Option<String>,
    abbreviation_needs_definition: bool,
    generic: bool,
    synonyms: Vec<String>,
    /// Scanned in clinical documents alone (the ontology's rows).
    clinical_only: bool,
}

const INDICATIONS: &str = include_str!("../../data/indications.csv");
/// Diseases of the Human Disease Ontology, compiled by `scripts/build_indication_lexicon.py`
/// without the ones `indications.csv` names.
const ONTOLOGY_INDICATIONS: &str = include_str!("../../data/indications_ontology.csv");
const TARGETS: &str = include_str!("../../data/targets.csv");
const MODALITIES: &str = include_str!("../../data/modalities.csv");
const COUNTRIES: &str = include_str!("../../data/countries.csv");

static BUILTIN: LazyLock<Arc<Lexicon>> =
    LazyLock::new(|| Arc::new(Lexicon::compile(builtin_rows())));

fn split_synonyms(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn parse_builtin(kind: TermKind, data: &str) -> Vec<TermRow> {
    parse_rows(kind, data, false)
}

fn parse_rows(kind: TermKind, data: &str, clinical_only: bool) -> Vec<TermRow> {
    let mut rows = Vec::new();
    for record in crate::data::reader(data.as_bytes()).records() {
        let record = record.expect("built-in lexicon CSV is well-formed");
        let get = |i: usize| record.get(i).unwrap_or("").to_string();
        let (abbreviation, synonyms, needs, generic) = match kind {
            TermKind::Indication => (get(1), get(2), get(3) == "1", get(4) == "1"),
            TermKind::Modality => (String::new(), get(1), false, get(2) == "1"),
            _ => (String::new(), get(1), false, false),
        };
        rows.push(TermRow {
            kind,
            name: get(0),
            abbreviation: Some(abbreviation).filter(|a| !a.is_empty()),
            abbreviation_needs_definition: needs,
            generic,
            synonyms: split_synonyms(&synonyms),
            clinical_only,
        });
    }
    rows
}

fn builtin_rows() -> Vec<TermRow> {
    let mut rows = parse_builtin(TermKind::Indication, INDICATIONS);
    rows.extend(parse_rows(TermKind::Indication, ONTOLOGY_INDICATIONS, true));
    rows.extend(parse_builtin(TermKind::Target, TARGETS));
    rows.extend(parse_builtin(TermKind::Modality, MODALITIES));
    rows.extend(parse_builtin(TermKind::Country, COUNTRIES));
    rows
}

/// The largest user lexicon read: millions of terms, far past any real one.
const MAX_LEXICON_BYTES: u64 = 256 * 1024 * 1024;

/// Reads a user lexicon: a CSV with the header `kind,term,canonical,abbreviation`, where `kind`
/// is indication, target, modality or country; `canonical` (optional) names the concept the term
/// means, so a synonym can join a built-in entry; `abbreviation` (optional) applies to indications.
fn parse_user_rows(path: &Path) -> Result<Vec<TermRow>> {
    let invalid = |line: usize, message: String| Error::InvalidLexicon {
        path: path.to_path_buf(),
        line,
        message,
    };
    // A FIFO or a device given as the lexicon would block the read or never end: only a regular
    // file of a sane size is read.
    let meta = std::fs::metadata(path).map_err(|e| Error::from_io(path, e))?;
    if !meta.is_file() {
        return Err(invalid(0, "not a regular file".into()));
    }
    if meta.len() > MAX_LEXICON_BYTES {
        return Err(invalid(
            0,
            format!(
                "{} bytes; a lexicon may hold {MAX_LEXICON_BYTES}",
                meta.len()
            ),
        ));
    }
    let data = std::fs::read(path).map_err(|e| Error::from_io(path, e))?;
    let mut reader = crate::data::reader(&data);
    let headers = reader
        .headers()
        .map_err(|e| invalid(1, e.to_string()))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect::<Vec<_>>();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(kind_col), Some(term_col)) = (col("kind"), col("term")) else {
        return Err(invalid(
            1,
            "the header must name the columns kind and term".into(),
        ));
    };
    let (canon_col, abbr_col) = (col("canonical"), col("abbreviation"));
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| invalid(i + 2, e.to_string()))?;
        let line = record
            .position()
            .map_or(i + 2, |p| usize::try_from(p.line()).unwrap_or(usize::MAX));
        // No term holds a line break: a field that does is a quote left open, which would
        // swallow every row after it.
        if record.iter().any(|f| f.contains(['\n', '\r'])) {
            return Err(invalid(
                line,
                "a quote opened on this line is not closed".into(),
            ));
        }
        let field = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        let kind_text = field(Some(kind_col));
        let kind = TermKind::parse(&kind_text).ok_or_else(|| {
            invalid(
                line,
                format!("unknown kind {kind_text:?}: use indication, target, modality or country"),
            )
        })?;
        let term = field(Some(term_col));
        if term.is_empty() {
            return Err(invalid(line, "empty term".into()));
        }
        let canonical = field(canon_col);
        let abbreviation = field(abbr_col);
        let name = if canonical.is_empty() {
            term.clone()
        } else {
            canonical
        };
        rows.push(TermRow {
            kind,
            name,
            abbreviation: Some(abbreviation).filter(|a| !a.is_empty()),
            abbreviation_needs_definition: false,
            generic: false,
            synonyms: vec![term],
            clinical_only: false,
        });
    }
    Ok(rows)
}

/// Last words of disease names that releases also write in the plural.
const COUNTABLE_DISEASE_WORDS: &[&str] = &[
    "cancer",
    "tumor",
    "tumour",
    "carcinoma",
    "lymphoma",
    "sarcoma",
    "neoplasm",
    "infection",
    "disorder",
    "disease",
    "leukemia",
    "leukaemia",
];

/// `synonym` in the plural when it is a lower-case disease name ending in a countable word.
fn plural_of(synonym: &str) -> Option<String> {
    let last = synonym.rsplit([' ', '-']).next()?;
    (synonym.len() > last.len()
        && COUNTABLE_DISEASE_WORDS.contains(&last)
        && !synonym.chars().any(|c| c.is_uppercase()))
    .then(|| format!("{synonym}s"))
}

impl Lexicon {
    /// Whether the entry of `kind` named `name` is a broad term ([`Entry::generic`]).
    pub fn is_generic(&self, kind: TermKind, name: &str) -> bool {
        self.entries
            .iter()
            .any(|e| e.generic && e.kind == kind && e.name == name)
    }

    /// The built-in lexicon, compiled once per process.
    pub fn builtin() -> Arc<Lexicon> {
        Arc::clone(&BUILTIN)
    }

    /// The built-in lexicon extended with the terms of a user CSV file.
    pub fn with_user_file(path: &Path) -> Result<Lexicon> {
        let mut rows = builtin_rows();
        rows.extend(parse_user_rows(path)?);
        Ok(Lexicon::compile(rows))
    }

    /// Entries and word lists; the automaton is built with the engine's other lists
    /// (`extract::Extractor`), which reports a list that cannot be compiled.
    fn compile(rows: Vec<TermRow>) -> Lexicon {
        let mut entries: Vec<Entry> = Vec::new();
        let mut insensitive_pats: Vec<String> = Vec::new();
        let mut insensitive_info = Vec::new();
        let mut sensitive_pats: Vec<String> = Vec::new();
        let mut sensitive_info = Vec::new();
        let mut clinical_pats: Vec<String> = Vec::new();
        let mut clinical_info = Vec::new();
        // Each concept's entry by kind and name in ASCII lower case.
        let mut entry_of: HashMap<(TermKind, String), usize> = HashMap::new();
        for row in rows {
            // A user row naming an existing concept joins it rather than creating a twin.
            let key = (row.kind, row.name.to_ascii_lowercase());
            let existing = entry_of.get(&key).copied();
            let idx = match existing {
                Some(i) => {
                    if entries[i].abbreviation.is_none() {
                        entries[i].abbreviation = row.abbreviation.clone();
                    }
                    i
                }
                None => {
                    entries.push(Entry {
                        kind: row.kind,
                        name: row.name.clone(),
                        abbreviation: row.abbreviation.clone(),
                        abbreviation_needs_definition: row.abbreviation_needs_definition,
                        generic: row.generic,
                    });
                    entry_of.insert(key, entries.len() - 1);
                    entries.len() - 1
                }
            } as u32;
            let mut add = |term: &str, is_abbreviation: bool| {
                let info = PatternInfo {
                    entry: idx,
                    is_abbreviation,
                };
                if row.clinical_only && !term.chars().any(|c| c.is_uppercase()) {
                    clinical_pats.push(term.to_string());
                    clinical_info.push(info);
                } else if term.chars().any(|c| c.is_uppercase()) {
                    sensitive_pats.push(term.to_string());
                    sensitive_info.push(info);
                } else {
                    insensitive_pats.push(term.to_string());
                    insensitive_info.push(info);
                }
            };
            match row.kind {
                // Disease and modality names are ordinary words: any casing.
                TermKind::Indication | TermKind::Modality => add(&row.name.to_lowercase(), false),
                // Targets and countries match as written (`MET`, `US`), so "we met" is no target.
                TermKind::Target | TermKind::Country => add(&row.name, false),
            }
            for syn in &row.synonyms {
                add(syn, false);
                // "advanced head and neck cancers": a disease named in the plural.
                if row.kind == TermKind::Indication {
                    if let Some(plural) = plural_of(syn) {
                        add(&plural, false);
                    }
                }
            }
            if let Some(abbr) = &row.abbreviation {
                add(abbr, true);
            }
        }
        Lexicon {
            insensitive: WordList::new(insensitive_pats, false),
            sensitive: WordList::new(sensitive_pats, true),
            entries,
            insensitive_info,
            sensitive_info,
            clinical: WordList::new(clinical_pats, false),
            clinical_info,
            clinical_automaton: OnceLock::new(),
        }
    }

    /// The lexicon's lists, in the order [`Lexicon::terms`] takes their hits.
    pub fn word_lists(&self) -> [&WordList; 2] {
        [&self.insensitive, &self.sensitive]
    }

    pub fn entry(&self, m: &TermMatch) -> &Entry {
        &self.entries[m.entry as usize]
    }

    /// All term matches in `text`, non-overlapping (longest wins), on ASCII word boundaries,
    /// from a scan for the lexicon's lists alone (the engine scans them with its others).
    #[cfg(test)]
    pub fn find_all(&self, text: &str) -> Vec<TermMatch> {
        let dictionary = crate::mentions::dictionary::Dictionary::new(&self.word_lists())
            .expect("lexicon automaton");
        let terms = self.terms(text, &dictionary.scan(text), [0, 1]);
        self.with_clinical_terms(text, &text.replace('\n', " "), &[], terms)
    }

    /// The term matches among `hits`, where `lists` says which of its lists hold the hits of
    /// [`Lexicon::word_lists`].
    pub fn terms(&self, text: &str, hits: &Hits, lists: [usize; 2]) -> Vec<TermMatch> {
        let mut found: Vec<TermMatch> = Vec::new();
        for (list, info) in [
            (lists[0], &self.insensitive_info),
            (lists[1], &self.sensitive_info),
        ] {
            for Hit { start, end, id } in hits.whole_words(list, text) {
                let i = info[id as usize];
                found.push(TermMatch {
                    start,
                    end,
                    entry: i.entry,
                    is_abbreviation: i.is_abbreviation,
                });
            }
        }
        found.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        let mut out: Vec<TermMatch> = Vec::with_capacity(found.len());
        for m in found {
            match out.last() {
                Some(last) if m.start < last.end => {}
                _ => out.push(m),
            }
        }
        self.drop_undefined_abbreviations(out)
    }

    /// The automaton of the ontology's diseases, built the first time it is asked for (`import
    /// cbmg` builds the built-in lexicon's in the background).
    pub fn build_clinical_automaton(&self) -> Option<&Dictionary> {
        self.clinical_automaton
            .get_or_init(|| Dictionary::compact(&[&self.clinical]).ok())
            .as_ref()
    }

    /// `terms` ([`Lexicon::terms`]) with the ontology's diseases found in `text` added, where
    /// they do not overlap a longer or equal term: for documents about trials or designations,
    /// where a disease is worth the scan. `scan_text` is `text` with its line breaks as spaces
    /// (what the engine's word scan reads), `blanks` its URLs.
    pub fn with_clinical_terms(
        &self,
        text: &str,
        scan_text: &str,
        blanks: &[(usize, usize)],
        terms: Vec<TermMatch>,
    ) -> Vec<TermMatch> {
        let Some(automaton) = self.build_clinical_automaton() else {
            return terms;
        };
        let hits = automaton.scan_outside(scan_text, blanks);
        let mut found: Vec<(TermMatch, bool)> = terms.into_iter().map(|t| (t, true)).collect();
        for Hit { start, end, id } in hits.whole_words(0, text) {
            let i = self.clinical_info[id as usize];
            let m = TermMatch {
                start,
                end,
                entry: i.entry,
                is_abbreviation: i.is_abbreviation,
            };
            found.push((m, false));
        }
        // Leftmost, then longest, then the hand-made term over the ontology's.
        found.sort_by_key(|(m, hand_made)| (m.start, std::cmp::Reverse(m.end), !hand_made));
        let mut out: Vec<TermMatch> = Vec::with_capacity(found.len());
        for (m, _) in found {
            match out.last() {
                Some(last) if m.start < last.end => {}
                _ => out.push(m),
            }
        }
        // A name the ontology's longer one swallowed no longer defines its abbreviation.
        self.drop_undefined_abbreviations(out)
    }

    /// Ambiguous abbreviations count only where the document also names the concept in full.
    fn drop_undefined_abbreviations(&self, found: Vec<TermMatch>) -> Vec<TermMatch> {
        let named: std::collections::HashSet<u32> = found
            .iter()
            .filter(|m| !m.is_abbreviation)
            .map(|m| m.entry)
            .collect();
        found
            .into_iter()
            .filter(|m| {
                !m.is_abbreviation
                    || !self.entries[m.entry as usize].abbreviation_needs_definition
                    || named.contains(&m.entry)
            })
            .collect()
    }
}

crate::text::pattern::compile_rules!(BUILTIN);

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, bool)> {
        let lex = Lexicon::builtin();
        lex.find_all(text)
            .iter()
            .map(|m| (lex.entry(m).name.clone(), m.is_abbreviation))
            .collect()
    }

    #[test]
    fn builtin_lexicons_are_large_enough() {
        let lex = Lexicon::builtin();
        let count = |k| lex.entries.iter().filter(|e| e.kind == k).count();
        assert!(
            count(TermKind::Indication) >= 300,
            "{}",
            count(TermKind::Indication)
        );
        assert!(
            count(TermKind::Target) >= 100,
            "{}",
            count(TermKind::Target)
        );
        assert!(count(TermKind::Modality) >= 20);
    }

    #[test]
    fn names_match_any_case_abbreviations_exactly() {
        assert_eq!(
            names("therapy for knee osteoarthritis (KOA) and Multiple Myeloma"),
            vec![
                ("Knee Osteoarthritis".into(), false),
                ("Knee Osteoarthritis".into(), true),
                ("Multiple Myeloma".into(), false)
            ]
        );
        assert!(names("koa").is_empty());
    }

    #[test]
    fn ambiguous_abbreviation_needs_its_name_in_the_document() {
        assert!(names("ALL of our programs").is_empty());
        let found = names("Acute Lymphoblastic Leukemia (ALL) trials; ALL patients");
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn longest_match_wins_and_words_are_whole() {
        assert_eq!(
            names("relapsed Diffuse Large B-cell Lymphoma"),
            vec![("Diffuse Large B-cell Lymphoma".into(), false)]
        );
        assert_eq!(
            names("anti-BCMA CAR-T"),
            vec![("BCMA".into(), false), ("CAR-T".into(), false)]
        );
        assert!(names("Anti-BCMACAR-T").iter().all(|(n, _)| n != "BCMA"));
    }

    #[test]
    fn user_file_extends_builtin() {
        let dir = std::env::temp_dir().join(format!("cbmg-lex-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("terms.csv");
        std::fs::write(&path, "kind,term,canonical,abbreviation\nindication,frobnitz syndrome,Frobnitz Syndrome,FS\ntarget,ZZZ9,,\n").unwrap();
        let lex = Lexicon::with_user_file(&path).unwrap();
        let found: Vec<_> = lex
            .find_all("in frobnitz syndrome via ZZZ9")
            .iter()
            .map(|m| lex.entry(m).name.clone())
            .collect();
        assert_eq!(found, vec!["Frobnitz Syndrome", "ZZZ9"]);
        std::fs::write(&path, "kind,term\nplanet,mars\n").unwrap();
        assert!(matches!(
            Lexicon::with_user_file(&path),
            Err(Error::InvalidLexicon { line: 2, .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// An unterminated quote would swallow the rows after it into one term.
    #[test]
    fn a_quote_left_open_is_an_error_naming_its_line() {
        let dir = std::env::temp_dir().join(format!("cbmg-lex-quote-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("terms.csv");
        std::fs::write(
            &path,
            "kind,term\nindication,gout\nindication,\"frobnitz syndrome\ntarget,ZZZ9\n",
        )
        .unwrap();
        let err = Lexicon::with_user_file(&path).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidLexicon { line: 3, message, .. } if message.contains("not closed")),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
