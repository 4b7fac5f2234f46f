//! Conference mentions from `data/conferences.csv`: acronyms match as written (`ASH`, `SITC`),
//! names in any casing ("American Society of Hematology"), with the edition written before
//! them ("62nd", "34 th", "45th Annual").

use std::sync::LazyLock;

use crate::text::rule::Rule;

use crate::mentions::dictionary::{Hits, WordList};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConferenceMention {
    pub start: usize,
    pub end: usize,
    pub acronym: String,
    pub name: String,
    pub edition: Option<i64>,
}

const CONFERENCES: &str = include_str!("../../data/conferences.csv");

struct ConferenceLexicon {
    exact: WordList,
    exact_ids: Vec<usize>,
    folded: WordList,
    folded_ids: Vec<usize>,
    entries: Vec<(String, String)>,
}

static LEXICON: LazyLock<ConferenceLexicon> = LazyLock::new(|| {
    let mut entries = Vec::new();
    let (mut exact, mut exact_ids, mut folded, mut folded_ids) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for row in crate::data::rows(CONFERENCES) {
        let (acronym, name) = (crate::data::field(&row, 0), crate::data::field(&row, 1));
        let syns = crate::data::field(&row, 2);
        let id = entries.len();
        entries.push((acronym.to_string(), name.to_string()));
        exact.push(acronym.to_string());
        exact_ids.push(id);
        folded.push(name.to_lowercase());
        folded_ids.push(id);
        for syn in crate::data::list(syns) {
            if syn.chars().any(|c| c.is_uppercase()) {
                exact.push(syn.to_string());
                exact_ids.push(id);
            } else {
                folded.push(syn.to_string());
                folded_ids.push(id);
            }
        }
    }
    ConferenceLexicon {
        exact: WordList::new(exact, true),
        exact_ids,
        folded: WordList::new(folded, false),
        folded_ids,
        entries,
    }
});

/// The acronyms (exact case) and the names (any casing), in the order
/// [`conferences_in`] takes their hits.
pub fn word_lists() -> [&'static WordList; 2] {
    [&LEXICON.exact, &LEXICON.folded]
}

static EDITION: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"(?i)(?P<n>\d{1,3})\s?(?:st|nd|rd|th)\s+(?:annual\s+)?(?:[A-Z][\w&'.-]*\s+){0,3}$",
    )
    .expect("edition regex")
});

static EDITION_AFTER: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"^\W{0,3}(?:\(\W?[A-Z]+\W?\)\W*)?(?:[A-Z][\w&'.-]*\s+){0,2}(?P<n>\d{1,3})\s?(?:st|nd|rd|th)\s+(?i:annual\s+)?(?:[A-Z]\w*\s+){0,2}(?i:meeting|congress|conference|symposium|convention|summit)").expect("edition after regex")
});

/// Number of conferences in the built-in lexicon.
pub fn lexicon_size() -> usize {
    LEXICON.entries.len()
}

/// Every conference mention in `text`, in order, from a scan for conference names alone (the
/// engine scans them with its other word lists and calls [`conferences_in`]).
#[cfg(test)]
pub fn find_conferences(text: &str) -> Vec<ConferenceMention> {
    use crate::mentions::dictionary::Dictionary;
    static OWN: LazyLock<Dictionary> =
        LazyLock::new(|| Dictionary::new(&word_lists()).expect("conference patterns"));
    conferences_in(text, &OWN.scan(text), [0, 1])
}

/// The conference mentions among `hits`, where `lists` says which of its lists hold the hits
/// of [`word_lists`].
pub fn conferences_in(text: &str, hits: &Hits, lists: [usize; 2]) -> Vec<ConferenceMention> {
    let lex = &*LEXICON;
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    for (list, ids) in [(lists[0], &lex.exact_ids), (lists[1], &lex.folded_ids)] {
        for h in hits.whole_words(list, text) {
            found.push((h.start, h.end, ids[h.id as usize]));
        }
    }
    found.sort_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    let mut out: Vec<ConferenceMention> = Vec::new();
    for (s, e, id) in found {
        if out.last().is_some_and(|l| s < l.end) {
            continue;
        }
        let before = &text[crate::text::floor_boundary(text, s.saturating_sub(60))..s];
        let after = &text[e..crate::text::floor_boundary(text, e + 40)];
        let edition = EDITION
            .captures(before)
            .or_else(|| EDITION_AFTER.captures(after))
            .and_then(|c| c["n"].parse().ok());
        let (acronym, name) = lex.entries[id].clone();
        // "American Society of Hematology (ASH)": the name and its acronym are one mention.
        if let Some(last) = out.last_mut() {
            let gap = &text[last.end..s];
            if last.acronym == acronym
                && gap.len() <= 4
                && gap.chars().all(|c| matches!(c, ' ' | '(' | '"' | '\''))
            {
                // Looked for in the next three bytes only, not to the end of the text.
                let close = text.as_bytes()[e..(e + 3).min(text.len())]
                    .iter()
                    .position(|&b| b == b')')
                    .map_or(e, |i| e + i + 1);
                last.end = close;
                last.edition = last.edition.or(edition);
                continue;
            }
        }
        out.push(ConferenceMention {
            start: s,
            end: e,
            acronym,
            name,
            edition,
        });
    }
    out
}

crate::text::pattern::compile_rules!(LEXICON, EDITION, EDITION_AFTER);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_is_large_enough() {
        assert!(lexicon_size() >= 40);
    }

    #[test]
    fn names_acronyms_and_editions() {
        let got = find_conferences(
            "at the 62nd American Society of Hematology (ASH) Annual Meeting and Exposition",
        );
        assert_eq!(got[0].acronym, "ASH");
        assert_eq!(got[0].edition, Some(62));
        let got = find_conferences("Society of Immunotherapy in Cancer (\"SITC\") 34 th Annual Meeting Poster Presentation");
        assert_eq!(
            (got[0].acronym.as_str(), got[0].edition),
            ("SITC", Some(34))
        );
        let got = find_conferences(
            "a fireside chat at the Canaccord Genuity 45th Annual Growth Conference on August 12",
        );
        assert_eq!(
            (got[0].acronym.as_str(), got[0].edition),
            ("Canaccord", Some(45))
        );
        assert!(find_conferences("we ash the trees").is_empty());
    }
}
