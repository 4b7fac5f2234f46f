//! Which sentences each rule could fire on, from one aho-corasick pass over the document.
//!
//! Most rules open with a gate regex ("does this sentence name a metric?") and most sentences
//! fail it. Running a dozen case-insensitive regexes over every sentence cost more than the
//! rest of extraction together, so every gate lists words it cannot match without, one
//! automaton finds them all at once, and a gate regex runs only on sentences holding one of
//! its words. The words are a superset of what the gates need, so the output is unchanged
//! (checked by the tests below against every test release); the one gap is Unicode case
//! folding, where a gate's `(?i)` also matches a Kelvin sign for `k` or a long s for `s`.

use std::sync::LazyLock;

use crate::mentions::dictionary::{Hit, WordList};
use crate::text::Sentence;

/// A family of gate words, one per rule that is gated.
///
/// Each kind of partnership has its own family: a sentence that names one kind rarely names
/// another, so the kinds' rules run only where their own words are, with no set pass to pick them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Trigger {
    Financial = 0,
    JointLaboratory = 1,
    LetterOfIntent = 2,
    License = 3,
    Supply = 4,
    Collaboration = 5,
    Agency = 6,
    Grant = 7,
    CompanyEvent = 8,
    Site = 9,
    TrialStatus = 10,
    Enrollment = 11,
    Guidance = 12,
    Area = 13,
}

/// The partnership kinds' families, in the order of `partnerships::KIND_PATTERNS`.
pub const PARTNERSHIP_KINDS: [Trigger; 5] = [
    Trigger::JointLaboratory,
    Trigger::LetterOfIntent,
    Trigger::License,
    Trigger::Supply,
    Trigger::Collaboration,
];

impl Trigger {
    const ALL: [Trigger; 14] = [
        Trigger::Financial,
        Trigger::JointLaboratory,
        Trigger::LetterOfIntent,
        Trigger::License,
        Trigger::Supply,
        Trigger::Collaboration,
        Trigger::Agency,
        Trigger::Grant,
        Trigger::CompanyEvent,
        Trigger::Site,
        Trigger::TrialStatus,
        Trigger::Enrollment,
        Trigger::Guidance,
        Trigger::Area,
    ];

    fn bit(self) -> u16 {
        1 << self as u8
    }

    /// The words the gate of this rule cannot match without (any ASCII casing).
    fn words(self) -> Vec<String> {
        let fixed: &[&str] = match self {
            // financials::METRIC
            Trigger::Financial => &[
                "loss",
                "income",
                "earnings",
                "eps",
                "profit",
                "revenue",
                "sales",
                "research",
                "r&d",
                "administrative",
                "sg&a",
                "g&a",
                "operating",
                "costs",
                "cash",
            ],
            // partnerships::KINDS, kind by kind
            Trigger::JointLaboratory => &["joint"],
            Trigger::LetterOfIntent => &["letter", "loi", "memorandum", "mou", "term"],
            Trigger::License => &["licen"],
            Trigger::Supply => &["supply", "manufacturing", "distribution"],
            Trigger::Collaboration => &[
                "collaborat",
                "partner",
                "alliance",
                "co-develop",
                "teamed",
                "agreement",
            ],
            // regulatory: the agency names themselves
            Trigger::Agency => {
                return crate::facts::regulatory::agency_patterns()
                    .map(str::to_ascii_lowercase)
                    .collect()
            }
            // grants::GRANT_WORD
            Trigger::Grant => &[
                "grant",
                "award",
                "non-dilutive",
                "funding",
                "funded",
                "contract",
            ],
            // events::COMPANY_EVENT
            Trigger::CompanyEvent => &[
                "opening",
                "ribbon",
                "investor",
                "r&d",
                "kol",
                "conference",
                "annual",
            ],
            // facilities::SITE_WORD
            Trigger::Site => &[
                "facilit",
                "site",
                "campus",
                "plant",
                "headquarters",
                "building",
                "laborator",
                "space",
                "center",
                "centre",
                "capacity",
                "office",
            ],
            // facilities::AREA's units: square feet or metres, sq ft, sf, sqm, m2, m\u{b2}
            Trigger::Area => &["sq", "sf", "m2", "m\u{b2}"],
            // trials::STATUS, which most trial sentences of fact-dense releases fail: a verb or
            // noun of each status ("start" only with "enrollment", "plan", "will" or "to")
            Trigger::TrialStatus => &[
                "approv",
                "clear",
                "accept",
                "complet",
                "dos",
                "recruit",
                "enrol",
                "plan",
                "intend",
                "expect",
                "anticipat",
                "aim",
                "prepar",
                "will",
                "upcoming",
                "proposed",
                "initiat",
                "commenc",
                "launched",
                "began",
                "begun",
                "started",
                "kicked",
                "ongoing",
                "under",
                "progress",
                "currently",
            ],
            // trials::ENROLLMENT: every pattern names enrolment or the people enrolled
            Trigger::Enrollment => &["enrol", "patient", "subject", "participant", "person"],
            // financials::GUIDANCE, which turns a financial sentence away rather than in
            Trigger::Guidance => &[
                "expect",
                "guidance",
                "anticipat",
                "project",
                "forecast",
                "outlook",
                "estimate",
                "forward-looking",
                "will",
                "would",
                "target",
            ],
        };
        fixed.iter().map(|w| w.to_string()).collect()
    }
}

// Each family is one bit of a sentence's `u16`: a seventeenth would need a wider set.
const _: () = assert!(Trigger::ALL.len() <= u16::BITS as usize);

struct TriggerWords {
    /// Matched in any casing, overlapping: one family's word never hides another's.
    list: WordList,
    bits: Vec<u16>,
}

static WORDS: LazyLock<TriggerWords> = LazyLock::new(|| {
    // A word of several families ("will", "enrol", "r&d") is one pattern carrying all their
    // bits: as one pattern per family, the scan would report each occurrence once per family.
    let mut patterns: Vec<String> = Vec::new();
    let mut bits: Vec<u16> = Vec::new();
    for t in Trigger::ALL {
        for w in t.words() {
            match patterns.iter().position(|p| *p == w) {
                Some(i) => bits[i] |= t.bit(),
                None => {
                    patterns.push(w);
                    bits.push(t.bit());
                }
            }
        }
    }
    TriggerWords {
        list: WordList::new(patterns, false),
        bits,
    }
});

/// Every trigger word, for the engine's one scan (`mentions::dictionary`).
pub fn word_list() -> &'static WordList {
    &WORDS.list
}

/// For each sentence, the set of triggers whose words it holds.
#[derive(Debug, Clone, Default)]
pub struct SentenceTriggers(Vec<u16>);

impl SentenceTriggers {
    /// Scans `text` for trigger words alone (the engine uses [`SentenceTriggers::from_hits`]).
    #[cfg(test)]
    pub fn find(text: &str, sentences: &[Sentence]) -> SentenceTriggers {
        use crate::mentions::dictionary::Dictionary;
        static OWN: LazyLock<Dictionary> =
            LazyLock::new(|| Dictionary::new(&[word_list()]).expect("trigger words"));
        SentenceTriggers::from_hits(OWN.scan(text).all(0), sentences)
    }

    /// The sets from every occurrence of a trigger word, in scan order.
    pub fn from_hits(hits: &[Hit], sentences: &[Sentence]) -> SentenceTriggers {
        let bits = &WORDS.bits;
        let mut sets = vec![0u16; sentences.len()];
        let mut si = 0;
        for h in hits {
            while si < sentences.len() && sentences[si].end <= h.start {
                si += 1;
            }
            if si == sentences.len() {
                break;
            }
            if sentences[si].start <= h.start {
                sets[si] |= bits[h.id as usize];
            }
        }
        SentenceTriggers(sets)
    }

    /// True when sentence `si` holds a word of `trigger`, so its rule may fire there.
    pub fn may_hold(&self, si: usize, trigger: Trigger) -> bool {
        self.0.get(si).is_some_and(|s| s & trigger.bit() != 0)
    }

    /// True when sentence `si` holds a word of any of `triggers`.
    pub fn may_hold_any(&self, si: usize, triggers: &[Trigger]) -> bool {
        let bits = triggers.iter().fold(0, |bits, t| bits | t.bit());
        self.0.get(si).is_some_and(|s| s & bits != 0)
    }
}

crate::text::pattern::compile_rules!(WORDS);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{split_sentences, NormText};

    fn releases() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        // The real dev corpus beside the repository, when it is there, checks far more sentences.
        for dir in ["seeds", "tests/data/releases", "../shared/corpus/dev"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                continue;
            };
            for e in entries {
                let p = e.expect("entry").path();
                if matches!(p.extension().and_then(|x| x.to_str()), Some("txt" | "md")) {
                    out.push(std::fs::read_to_string(&p).expect("utf-8 release"));
                }
            }
        }
        assert!(out.len() >= 30, "test releases found: {}", out.len());
        out
    }

    /// Every sentence a gate regex accepts holds one of its trigger words.
    #[test]
    fn triggers_cover_every_gate() {
        type Gate<'a> = Box<dyn Fn(&str) -> bool + 'a>;
        let rule = |r: &'static crate::text::rule::Rule| -> Gate { Box::new(|s| r.is_match(s)) };
        let mut gates: Vec<(Trigger, Gate)> = vec![
            (
                Trigger::Financial,
                Box::new(|s| crate::facts::financials::METRIC.1.is_match(s)),
            ),
            (Trigger::Grant, rule(&crate::facts::grants::GRANT_WORD)),
            (
                Trigger::CompanyEvent,
                rule(&crate::facts::events::COMPANY_EVENT),
            ),
            (Trigger::Site, rule(&crate::facts::facilities::SITE_WORD)),
            (Trigger::Area, rule(&crate::facts::facilities::AREA)),
            (Trigger::Guidance, rule(&crate::facts::financials::GUIDANCE)),
            (
                Trigger::TrialStatus,
                Box::new(|s| crate::facts::trials::STATUS.1.first_matching(s).is_some()),
            ),
            (
                Trigger::Enrollment,
                Box::new(|s| {
                    let list = &crate::facts::trials::ENROLLMENT;
                    list.rules().iter().any(|r| r.is_match(s))
                }),
            ),
        ];
        let kind_rules = &crate::facts::partnerships::KINDS.1;
        gates.extend(
            PARTNERSHIP_KINDS
                .iter()
                .zip(kind_rules)
                .map(|(&t, r)| (t, rule(r))),
        );
        let mut checked = 0;
        for release in releases() {
            let norm = NormText::new(&release);
            let sentences = split_sentences(&norm.text);
            let triggers = SentenceTriggers::find(&norm.text, &sentences);
            for (si, s) in sentences.iter().enumerate() {
                let sentence = &norm.text[s.start..s.end];
                for (t, gate) in &gates {
                    if gate(sentence) {
                        checked += 1;
                        assert!(triggers.may_hold(si, *t), "{t:?} missed: {sentence}");
                    }
                }
                let agencies = crate::facts::regulatory::agency_count(&norm.text, s.start, s.end);
                if agencies > 0 {
                    assert!(
                        triggers.may_hold(si, Trigger::Agency),
                        "agency missed: {sentence}"
                    );
                }
            }
        }
        assert!(checked > 50, "gated sentences checked: {checked}");
    }

    #[test]
    fn sentences_without_words_hold_nothing() {
        let text = "The golf course opens in May. Net loss was $3 million. We signed an agreement.";
        let sentences = split_sentences(text);
        let t = SentenceTriggers::find(text, &sentences);
        assert!(!t.may_hold(0, Trigger::Financial));
        assert!(t.may_hold(1, Trigger::Financial));
        assert!(t.may_hold(2, Trigger::Collaboration));
        assert!(t.may_hold_any(2, &PARTNERSHIP_KINDS));
        assert!(!t.may_hold(2, Trigger::License) && !t.may_hold_any(1, &PARTNERSHIP_KINDS));
        assert!(!t.may_hold(2, Trigger::Agency));
        assert!(!t.may_hold(99, Trigger::Site));
    }

    #[test]
    fn trial_and_guidance_words_are_found_per_sentence() {
        let text = "The Phase 2 trial enrolled 40 patients. The Phase 1 study is ONGOING. \
                    Revenue was $2 million. The company expects revenue of $5 million.";
        let sentences = split_sentences(text);
        assert_eq!(sentences.len(), 4);
        let t = SentenceTriggers::find(text, &sentences);
        assert!(t.may_hold(0, Trigger::Enrollment) && t.may_hold(0, Trigger::TrialStatus));
        assert!(t.may_hold(1, Trigger::TrialStatus) && !t.may_hold(1, Trigger::Enrollment));
        assert!(!t.may_hold(2, Trigger::Guidance) && !t.may_hold(2, Trigger::TrialStatus));
        assert!(t.may_hold(3, Trigger::Guidance) && t.may_hold(3, Trigger::Financial));
    }
}
