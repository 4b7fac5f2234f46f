//! Product names: development codes (`C-CAR088`, `CYB003`, `BNT162b2`), brands marked with ® or
//! ™ (`AlloJoin®`, `ReJoin®`) or a written-out `TM` (`AlloJoinTM`), and international
//! non-proprietary names by their stems (`pembrolizumab`, `tisagenlecleucel`).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use crate::text::rule::Rule;
use crate::text::RELEASE_REACH;

use crate::mentions::dictionary::{Hit, WordList};
use crate::text::{is_word_byte, NormText};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductMention {
    pub start: usize,
    pub end: usize,
    pub name: String,
}

static CODE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"(?-u:\b)[A-Z]{1,6}(?:-[A-Z]{1,6}-?\d{1,6}|-\d{1,6}|\d{2,6})(?:[A-Za-z]{1,2}\d{0,2})?(?-u:\b)",
    )
    .expect("code regex")
});

static BRAND_WORD: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$").expect("brand regex")
});

/// Endings of international non-proprietary names (`pembrolizumab`, `tisagenlecleucel`).
const INN_STEMS: &[&str] = &[
    "mab",
    "tinib",
    "ciclib",
    "parib",
    "lisib",
    "rafenib",
    "degib",
    "leucel",
    "tide",
    "siran",
    "rsen",
    "rubicin",
    "platin",
    "taxel",
    "mycin",
    "zumab",
    "ximab",
    "umab",
    "cept",
    "stim",
    "vec",
    "imod",
    "lukast",
    "sartan",
    "gliflozin",
    "glutide",
    "tirelin",
];

/// Words that carry a trademark sign or an INN-like ending without naming a product.
const NOT_PRODUCTS: &[&str] = &[
    "concept",
    "peptide",
    "peptides",
    "nucleotide",
    "oligonucleotide",
    "polypeptide",
    "intercept",
    "precept",
    "except",
    "accept",
    "Conference",
    "Summit",
    "Index",
    "Award",
    "Awards",
    "Meeting",
    "Foundation",
    "Program",
    "Platform",
    "Network",
    "Exchange",
    "Nasdaq",
    "NASDAQ",
];

/// Dosage forms written after a code as part of the product's name: `TNX-102 SL` (sublingual),
/// `SBI-100 OE` (ophthalmic emulsion), `XYZ-12 XR` (extended release).
const FORMULATIONS: &[&str] = &[
    "SL", "OE", "XR", "ER", "IR", "CR", "SR", "DR", "LA", "ODT", "IV", "SC", "ES", "MR",
];

/// The length of a dosage form that `after`, the text right after a code, opens with: a space
/// and one of [`FORMULATIONS`] as a whole word.
fn formulation_after(after: &str) -> usize {
    let Some(rest) = after.strip_prefix(' ') else {
        return 0;
    };
    FORMULATIONS
        .iter()
        .find(|f| {
            rest.starts_with(**f)
                && !rest[f.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '-')
        })
        .map_or(0, |f| 1 + f.len())
}

/// Codes that look like products but are not: filings, trial registries, statutes, periods.
fn is_non_product_code(code: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "NCT", "FORM", "ISO", "SEC", "Q", "H", "FY", "CY", "ID", "P", "EUDRACT", "CTR", "ISRCTN",
        "COVID", "SARS", "USD", "EUR", "RMB", "GMP", "HKEX", "PMID", "DOI", "ASCO", "ASH", "AACR",
        "ESMO", "SITC", "EHA", "AAN", "ATS", "ADA", "EASL", "AASLD", "ACR", "ERA", "TIDES", "JPM",
        "EX", "BIO", "WCLC", "SABCS", "ISSCR", "ISCT", "ASGCT", "CTAD", "AD", "PDF", "MM",
    ];
    let head: String = code
        .chars()
        .take_while(|c| c.is_ascii_uppercase())
        .collect();
    PREFIXES.contains(&head.as_str())
}

/// Product mentions in the whole normalised document, in order. `inn_stems` are the occurrences
/// of [`inn_stem_list`] in it; `exclude` lists names that are something else in this document
/// (lexicon terms, the company).
pub fn find_products(
    norm: &NormText,
    inn_stems: &[Hit],
    exclude: &dyn Fn(&str) -> bool,
) -> Vec<ProductMention> {
    let text = norm.text.as_str();
    let exclude =
        |name: &str| exclude(name) || NOT_PRODUCTS.iter().any(|w| w.eq_ignore_ascii_case(name));
    let mut out: Vec<ProductMention> = Vec::new();
    for (start, end) in codes(text) {
        let code = &text[start..end];
        if is_non_product_code(code) || exclude(code) {
            continue;
        }
        let end = end + formulation_after(&text[end..]);
        out.push(ProductMention {
            start,
            end,
            name: text[start..end].to_string(),
        });
    }
    for (start, end) in tm_stems(text) {
        out.push(ProductMention {
            start,
            end,
            name: text[start..end].to_string(),
        });
    }
    for &pos in &norm.marks {
        let before = &text[..pos];
        if let Some(m) = BRAND_WORD.find(before) {
            let name = m.as_str();
            if name.len() >= 3 && name.chars().any(|c| c.is_ascii_lowercase()) && !exclude(name) {
                out.push(ProductMention {
                    start: m.start(),
                    end: m.end(),
                    name: name.to_string(),
                });
            }
        }
    }
    for (start, end) in inn_words(text, inn_stems) {
        if !exclude(&text[start..end]) {
            out.push(ProductMention {
                start,
                end,
                name: text[start..end].to_string(),
            });
        }
    }
    out.sort_by_key(|p| (p.start, std::cmp::Reverse(p.end)));
    out.dedup_by(|b, a| b.start < a.end);
    add_unmarked_mentions(text, &mut out);
    out
}

/// The matches of [`CODE`] in `text`. Every code has a capital letter right before a digit, or
/// before `-` and a digit, and lies within one run of letters, digits, `_` and `-`: the regex
/// runs on the runs that hold such a place only, instead of over the whole text.
fn codes(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let in_run = |b: u8| is_word_byte(b) || b == b'-';
    let mut out = Vec::new();
    let mut i = 1;
    while i < bytes.len() {
        // Most 64-byte stretches hold no digit after a capital or hyphen: a branch-free test
        // over the stretch (vector code) skips them whole.
        if let Some(stretch) = bytes.get(i - 1..i + 64) {
            // Two arrays side by side rather than `windows(2)`: of a known length, the zip
            // compiles to whole vectors of bytes, the windows to one pair at a time.
            let befores: &[u8; 64] = stretch[..64].try_into().expect("64 bytes");
            let afters: &[u8; 64] = stretch[1..].try_into().expect("64 bytes");
            let maybe = befores
                .iter()
                .zip(afters)
                .fold(0u8, |any, (&before, &after)| {
                    any | u8::from(
                        after.is_ascii_digit() & (before.is_ascii_uppercase() | (before == b'-')),
                    )
                });
            if maybe == 0 {
                i += 64;
                continue;
            }
        }
        let before = bytes[i - 1];
        let candidate = bytes[i].is_ascii_digit()
            && (before.is_ascii_uppercase()
                || (before == b'-' && i >= 2 && bytes[i - 2].is_ascii_uppercase()));
        if !candidate {
            i += 1;
            continue;
        }
        let mut start = i;
        while start > 0 && in_run(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = i;
        while end < bytes.len() && in_run(bytes[end]) {
            end += 1;
        }
        // Cut after the run: the byte there is no word byte, so `\b` reads the same.
        let hay = &text[..end];
        let mut at = start;
        while let Some(m) = CODE.find_at(hay, at) {
            out.push((m.start(), m.end()));
            at = m.end();
        }
        i = end + 1;
    }
    out
}

/// Where the ASCII letters right before `end` begin, when a word starts there (`(?-u:\b)`: no
/// digit or `_` glued before them).
fn letters_from(bytes: &[u8], end: usize) -> Option<usize> {
    let start = bytes[..end]
        .iter()
        .rposition(|b| !b.is_ascii_alphabetic())
        .map_or(0, |i| i + 1);
    (start == 0 || !is_word_byte(bytes[start - 1])).then_some(start)
}

/// Brands whose mark is written as the letters `TM` (`AlloJoinTM`): the stem before `TM` of a
/// word of letters shaped like a camel-cased brand (`[A-Z][a-z]+[A-Z][A-Za-z]*`). A scan from
/// each `TM` rather than a regex over the whole text: `TM` is rare, words are not.
fn tm_stems(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"TM").filter_map(move |tm| {
        if bytes.get(tm + 2).is_some_and(|&b| is_word_byte(b)) {
            return None;
        }
        let start = letters_from(bytes, tm)?;
        let stem = &bytes[start..tm];
        let lower_run = stem
            .iter()
            .skip(1)
            .take_while(|b| b.is_ascii_lowercase())
            .count();
        let camel = stem.first().is_some_and(u8::is_ascii_uppercase)
            && lower_run >= 1
            && stem.get(1 + lower_run).is_some_and(u8::is_ascii_uppercase);
        camel.then_some((start, tm))
    })
}

/// INN endings, for the engine's one scan (`mentions::dictionary`), matched in any casing.
pub fn inn_stem_list() -> &'static WordList {
    static LIST: LazyLock<WordList> = LazyLock::new(|| WordList::of(INN_STEMS, false));
    &LIST
}

/// Whole words of ASCII letters with an INN ending after at least three letters, in any casing,
/// from the occurrences of the endings ([`inn_stem_list`]) the dictionary scan found: a check
/// at a handful of places instead of a regex over every word.
fn inn_words(text: &str, stems: &[Hit]) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut words: Vec<(usize, usize)> = stems
        .iter()
        .filter(|h| bytes.get(h.end).is_none_or(|&b| !is_word_byte(b)))
        .filter_map(|h| {
            let start = letters_from(bytes, h.start)?;
            (h.start - start >= 3).then_some((start, h.end))
        })
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// A brand is marked once (`AlloJoin®`) and then written plain (`AlloJoin therapy`): find the
/// plain mentions of every marked name too.
fn add_unmarked_mentions(text: &str, out: &mut Vec<ProductMention>) {
    // Each marked name with its marked mentions in text order, names in order.
    let mut names: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for p in out.iter() {
        names
            .entry(p.name.clone())
            .or_default()
            .push((p.start, p.end));
    }
    if names.is_empty() {
        return;
    }
    // A handful of names per document: searching a lower-cased copy once per name is far
    // cheaper than building an automaton per document. Each name is looked for only near its
    // marked mentions, so a text of many releases (and many names) costs time in proportion
    // to its length, not to its length times its names.
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut found: Vec<(usize, usize)> = Vec::new();
    for (name, marked) in names.iter_mut() {
        let needle = name.to_ascii_lowercase();
        marked.sort_unstable();
        let mut windows: Vec<(usize, usize)> = Vec::new();
        for &(start, end) in marked.iter() {
            let from = start.saturating_sub(RELEASE_REACH);
            let to = (end + RELEASE_REACH).min(text.len());
            match windows.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(to),
                _ => windows.push((from, to)),
            }
        }
        let mut searched_to = 0;
        for (from, to) in windows {
            // A name that straddles two windows' joint is found once, by the first.
            let from = from.max(searched_to);
            for start in memchr::memmem::find_iter(&lower.as_bytes()[from..to], needle.as_bytes()) {
                found.push((from + start, from + start + needle.len()));
            }
            searched_to = to;
        }
    }
    // Leftmost first, the longest name at a position, never two overlapping.
    found.sort_by_key(|&(s, e)| (s, std::cmp::Reverse(e)));
    let marked = crate::text::spans::SpanSet::new(out.iter().map(|p| (p.start, p.end)));
    let mut extra = Vec::new();
    let mut taken_to = 0;
    for (s, e) in found {
        if s < taken_to {
            continue;
        }
        taken_to = e;
        let bounded = (s == 0 || !bytes[s - 1].is_ascii_alphanumeric())
            && (e >= bytes.len()
                || !bytes[e].is_ascii_alphanumeric()
                || text[e..].starts_with("TM"));
        if bounded && !marked.overlaps(s, e) {
            extra.push(ProductMention {
                start: s,
                end: e,
                name: text[s..e].to_string(),
            });
        }
    }
    out.extend(extra);
    out.sort_by_key(|p| p.start);
}

crate::text::pattern::compile_rules!(CODE, BRAND_WORD);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mentions::dictionary::Dictionary;

    fn inn_stems(text: &str) -> Vec<Hit> {
        static OWN: LazyLock<Dictionary> =
            LazyLock::new(|| Dictionary::new(&[inn_stem_list()]).unwrap());
        OWN.scan(text).all(0).to_vec()
    }

    fn products(orig: &str) -> Vec<String> {
        let norm = NormText::new(orig);
        find_products(&norm, &inn_stems(&norm.text), &|n| n == "CD19")
            .into_iter()
            .map(|p| p.name)
            .collect()
    }

    #[test]
    fn codes_brands_and_inns() {
        assert_eq!(
            products("efficacy of C-CAR088 (anti-BCMA)"),
            vec!["C-CAR088"]
        );
        assert_eq!(
            products("for AlloJoin\u{2122} (CBMG's haMPC) and later AlloJoin therapy"),
            vec!["AlloJoin", "AlloJoin"]
        );
        assert_eq!(
            products("an ongoing Phase I trial for AlloJoinTM (CBMG)"),
            vec!["AlloJoin"]
        );
        assert_eq!(
            products("combination with pembrolizumab for"),
            vec!["pembrolizumab"]
        );
        assert_eq!(products("the CYB003 program"), vec!["CYB003"]);
    }

    /// Codes that end in capitals and digits, and codes with their dosage form.
    #[test]
    fn codes_of_every_shape() {
        assert_eq!(
            products("a dose of GEO-CM04S1 was given"),
            vec!["GEO-CM04S1"]
        );
        assert_eq!(
            products("trial of ALLO-501A in lymphoma"),
            vec!["ALLO-501A"]
        );
        assert_eq!(products("OST-HER2 in osteosarcoma"), vec!["OST-HER2"]);
        assert!(products("Exhibit EX-99.1 follows").is_empty());
        assert_eq!(products("BNT162b2 and MB-106"), vec!["BNT162b2", "MB-106"]);
        assert_eq!(
            products("the TNX-102 SL program and SBI-100 OE drops"),
            vec!["TNX-102 SL", "SBI-100 OE"]
        );
        assert_eq!(products("TNX-102 SLOW"), vec!["TNX-102"]);
    }

    /// The scans for codes, `TM` stems and INN words find what a regex over the whole text found
    /// (save the long s and Kelvin sign, which the INN regex's Unicode case folding took for
    /// letters).
    #[test]
    fn scans_find_what_the_regexes_found() {
        let tm =
            regex::Regex::new(r"(?-u:\b)(?P<stem>[A-Z][a-z]+[A-Z][A-Za-z]*)TM(?-u:\b)").unwrap();
        let inn = regex::Regex::new(&format!(
            r"(?i)(?-u:\b)[a-z]{{3,}}(?:{})(?-u:\b)",
            INN_STEMS.join("|")
        ))
        .unwrap();
        let texts = crate::text::sample_texts(&[
            "AlloJoinTM, ReJoinTMTM, 3AlloJoinTM, AbTM ABcTM éAlloJoinTM AlloJoinTM_ xAbCdTM",
            "PEMBROLIZUMAB, abcmab mab2 pembrolizumab_ émab xxxvec, vec, ximab-umab TM",
            "C-CAR088 A-1 AB12CD34 _AB12 AB-12-CD34 X-AB-12 AB12_ ÉAB12 AB12é CD19-CAR T-1000 AB-",
            "A1 AB1 1AB12 AB12345678 NV-7/MR-3 (CYB003) BNT162b2, ABC-DEF-12 Q3 2019-AB12",
            "",
            // Codes on both sides of 64-byte stretches with none.
            &format!("{0}AB12{0}{0}C-3 X-{0}-7", "a b ".repeat(16)),
        ]);
        let (mut n_tm, mut n_inn, mut n_code) = (0, 0, 0);
        for t in &texts {
            let want: Vec<(usize, usize)> =
                CODE.find_iter(t).map(|m| (m.start(), m.end())).collect();
            n_code += want.len();
            assert_eq!(codes(t), want, "{t}");
            let want: Vec<(usize, usize)> = tm
                .captures_iter(t)
                .map(|c| c.name("stem").map(|m| (m.start(), m.end())).unwrap())
                .collect();
            n_tm += want.len();
            assert_eq!(tm_stems(t).collect::<Vec<_>>(), want, "{t}");
            let want: Vec<(usize, usize)> =
                inn.find_iter(t).map(|m| (m.start(), m.end())).collect();
            n_inn += want.len();
            assert_eq!(inn_words(t, &inn_stems(t)), want, "{t}");
        }
        assert!(
            n_tm >= 4
                && n_inn > crate::text::at_least(20, 5)
                && n_code > crate::text::at_least(100, 80),
            "checked {n_tm} TM stems, {n_inn} INN words, {n_code} codes"
        );
    }

    #[test]
    fn non_products_are_left_out() {
        assert!(products(
            "NCT01234567 and Form 10-Q and ISO 9001 and Q3 2019 and CD19 and COVID-19"
        )
        .is_empty());
        assert_eq!(
            products("trial of NV-7 and MR-3 and castelimod"),
            vec!["NV-7", "MR-3", "castelimod"]
        );
        assert!(products("an oral peptide therapy").is_empty());
        assert!(products("the Russell 3000\u{ae} Index").is_empty());
        assert!(products("a proof-of-concept study at the AAIC Conference\u{ae}").is_empty());
    }
}
