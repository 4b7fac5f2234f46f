//! Product names: development codes (`C-CAR088`, `CYB003`, `BNT162b2`), brands marked with ® or
//! ™ (`AlloJoin®`, `ReJoin®`) or a written-out `TM` (`AlloJoinTM`), and international
//! non-proprietary names by their stems (`pembrolizumab`, `tisagenlecleucel`).

use std::sync::LazyLock;

use regex::Regex;

use crate::text::NormText;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductMention {
    pub start: usize,
    pub end: usize,
    pub name: String,
}

static CODE: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"(?-u:\b)(?P<code>[A-Z]{1,6}(?:-[A-Z]{1,6})?(?:-\d{1,6}|\d{2,6})[a-z]?\d{0,2})(?-u:\b)",
    )
    .expect("code regex")
});

static TM_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?-u:\b)(?P<stem>[A-Z][a-z]+[A-Z][A-Za-z]*)TM(?-u:\b)")
        .expect("TM regex")
});

static BRAND_WORD: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::pattern::regex(r"[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*$").expect("brand regex")
});

static INN: LazyLock<Regex> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?-u:\b)[a-z]{3,}(?:mab|tinib|ciclib|parib|lisib|rafenib|degib|leucel|tide|siran|rsen|rubicin|platin|taxel|mycin|zumab|ximab|umab|cept|stim|vec|imod|lukast|sartan|gliflozin|glutide|tirelin)(?-u:\b)")
        .expect("INN regex")
});

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

/// Codes that look like products but are not: filings, trial registries, statutes, periods.
fn is_non_product_code(code: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "NCT", "FORM", "ISO", "SEC", "Q", "H", "FY", "CY", "ID", "P", "EUDRACT", "CTR", "ISRCTN",
        "COVID", "SARS", "USD", "EUR", "RMB", "GMP", "HKEX", "PMID", "DOI", "ASCO", "ASH", "AACR",
        "ESMO", "SITC", "EHA", "AAN", "ATS", "ADA", "EASL", "AASLD", "ACR", "ERA", "TIDES", "JPM",
        "BIO", "WCLC", "SABCS", "ISSCR", "ISCT", "ASGCT", "CTAD", "AD", "PDF", "MM",
    ];
    let head: String = code
        .chars()
        .take_while(|c| c.is_ascii_uppercase())
        .collect();
    PREFIXES.contains(&head.as_str())
}

/// Product mentions in the whole normalised document, in order. `exclude` lists names that are
/// something else in this document (lexicon terms, the company).
pub fn find_products(norm: &NormText, exclude: &dyn Fn(&str) -> bool) -> Vec<ProductMention> {
    let text = norm.text.as_str();
    let exclude =
        |name: &str| exclude(name) || NOT_PRODUCTS.iter().any(|w| w.eq_ignore_ascii_case(name));
    let mut out: Vec<ProductMention> = Vec::new();
    for c in CODE.captures_iter(text) {
        let m = c.name("code").expect("code");
        if is_non_product_code(m.as_str()) || exclude(m.as_str()) {
            continue;
        }
        // A code needs letters and digits that are not just a year: `CAR2020` is not a code.
        out.push(ProductMention {
            start: m.start(),
            end: m.end(),
            name: m.as_str().to_string(),
        });
    }
    for c in TM_SUFFIX.captures_iter(text) {
        let m = c.name("stem").expect("stem");
        out.push(ProductMention {
            start: m.start(),
            end: m.end(),
            name: m.as_str().to_string(),
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
    for m in INN.find_iter(text) {
        if !exclude(m.as_str()) {
            out.push(ProductMention {
                start: m.start(),
                end: m.end(),
                name: m.as_str().to_string(),
            });
        }
    }
    out.sort_by_key(|p| (p.start, std::cmp::Reverse(p.end)));
    out.dedup_by(|b, a| b.start < a.end);
    add_unmarked_mentions(text, &mut out);
    out
}

/// A brand is marked once (`AlloJoin®`) and then written plain (`AlloJoin therapy`): find the
/// plain mentions of every marked name too.
fn add_unmarked_mentions(text: &str, out: &mut Vec<ProductMention>) {
    let mut names: Vec<String> = out.iter().map(|p| p.name.clone()).collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        return;
    }
    // A handful of names per document: searching a lower-cased copy once per name is far
    // cheaper than building an automaton per document.
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut found: Vec<(usize, usize)> = Vec::new();
    for name in &names {
        let needle = name.to_ascii_lowercase();
        for start in memchr::memmem::find_iter(lower.as_bytes(), needle.as_bytes()) {
            found.push((start, start + needle.len()));
        }
    }
    // Leftmost first, the longest name at a position, never two overlapping.
    found.sort_by_key(|&(s, e)| (s, std::cmp::Reverse(e)));
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
        if bounded && !out.iter().any(|p| p.start < e && s < p.end) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn products(orig: &str) -> Vec<String> {
        let norm = NormText::new(orig);
        find_products(&norm, &|n| n == "CD19")
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
