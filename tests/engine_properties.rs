//! Properties of the whole engine on arbitrary text: no panic, and every row's offsets are
//! code-point offsets of a span that lies inside its evidence sentence.

use cbmg::extract::{DocumentRecord, Extractor, Options};
use cbmg::loading::{Format, RawDocument};
use proptest::prelude::*;

fn extract(text: String) -> DocumentRecord {
    let extractor = Extractor::new(&Options::default()).expect("built-in lexicons");
    extractor.extract_document(RawDocument {
        doc_id: "doc".into(),
        path: "doc.txt".into(),
        format: Format::Text,
        encoding: "utf-8",
        text,
        headline: None,
    })
}

fn check_all(doc: &DocumentRecord) {
    let problems = doc.offset_problems();
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Fragments of real releases, glued at random with hostile characters between them.
const FRAGMENTS: &[&str] = &[
    "Net loss for the quarter and nine months ended September 30, 2019 was $15.9 million and $37.3 million respectively, compared to $12.7 million and $30.4 million for the same periods in 2018.",
    "This Phase I clinical study will enroll 22 patients to evaluate C-CAR088 (anti-BCMA CAR-T) in Multiple Myeloma in China.",
    "SHANGHAI, China and NEW YORK, NY, USA I January 8, 2019 I Cellular Biomedicine Group Inc. (NASDAQ: CBMG)",
    "a Phase IIb trial for Rejoin\u{ae} for Knee Osteoarthritis (KOA) as well as a Phase I trial for AlloJoin\u{2122} are ongoing.",
    "Cash of \u{20ac}4.2\u{a0}million as of December 31, 2023.",
    "\u{201c}We grew,\u{201d} said Dr. J. Smith, CEO.",
    "R&D expenses of $1.1 million for Q2 2024 versus $2.8 million for Q2 2023",
    "GAITHERSBURG, Md. and SHANGHAI, Dec. 4, 2020 /PRNewswire/ -- ",
    "\u{2028}", "\u{3000}", "\u{a0}\u{a0}", "\u{b9}", "\u{1f600}", "\u{0301}", "\\$", "**", "(R)", "\n\n", "\r\n", "\u{2014}",
    "\u{fffd}", "\u{feff}", "Phase ", "ended ", "$", "(", ")", "million", "2019", ", ", ". ",
    "\"We are pleased with our progress this year,\" said Dr. Jane Doe, CEO.", "Media Contact:\nJane Doe\n+1 617-555-0100\njane.doe@acme.com\n",
    "Title: A study\nType: Oral\nDate: June 2, 2024\n", "a 22,000 square foot facility in Rockville, Maryland", "awarded $2 million from the National Institutes of Health (NIH) to support",
    "the FDA granted Orphan Drug Designation to AB-12", "an FDA-cleared, global Phase III trial", "FDA-cleared system", "Priority Review Voucher", "a collaboration with Beta Pharma AG", "https://x.com/phase-3", "\u{201c}", "\u{201d}", "\"",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let doc = extract(text.clone());
        check_all(&doc);
    }

    #[test]
    fn glued_fragments_keep_offsets_sound(parts in proptest::collection::vec(0..FRAGMENTS.len(), 1..40)) {
        let text: String = parts.iter().map(|&i| FRAGMENTS[i]).collect();
        let doc = extract(text.clone());
        check_all(&doc);
        prop_assert_eq!(doc.n_chars as usize, text.chars().count());
    }
}
