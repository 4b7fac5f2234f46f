//! Which sentences each rule could fire on, from one aho-corasick pass over the document.
//!
//! Most rules open with a gate regex ("does this sentence name a metric?") and most sentences
//! fail it. Running a dozen case-insensitive regexes over every sentence cost more than the
//! rest of extraction together, so each gate's words are found all at once by one automaton,
//! and a gate regex runs only on sentences holding one of its words. The words are read off
//! the rules' own patterns ([`crate::text::required_words`]): every match of a rule holds one
//! of them, so no rule is switched off by a word nobody listed, and the output is the same as
//! with no gates at all. A family with a rule that needs no fixed text is not gated. The one
//! gap is Unicode case folding, where a gate's `(?i)` also matches a Kelvin sign for `k` or a
//! long s for `s`.

use std::sync::LazyLock;

use crate::mentions::dictionary::{Hit, WordList};
use crate::text::Sentence;

/// A family of rules gated together: one bit of a sentence's set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Trigger {
    Financial = 0,
    Partnership = 1,
    Agency = 2,
    Grant = 3,
    CompanyEvent = 4,
    Site = 5,
    TrialStatus = 6,
    Enrollment = 7,
    Guidance = 8,
    Area = 9,
}

impl Trigger {
    const ALL: [Trigger; 10] = [
        Trigger::Financial,
        Trigger::Partnership,
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

    /// The patterns of the rules this family gates.
    fn patterns(self) -> Vec<&'static str> {
        use crate::facts::{events, facilities, financials, grants};
        use crate::rulebook::family;
        match self {
            Trigger::Financial => family("financials", "metric").patterns(),
            Trigger::Partnership => family("partnerships", "kind").patterns(),
            Trigger::TrialStatus => family("trials", "status").patterns(),
            Trigger::Enrollment => family("trials", "enrollment").patterns(),
            Trigger::Grant => vec![grants::GRANT_WORD_PATTERN],
            Trigger::CompanyEvent => vec![events::COMPANY_EVENT_PATTERN],
            Trigger::Site => vec![facilities::SITE_WORD_PATTERN],
            Trigger::Area => vec![facilities::AREA_PATTERN],
            // It turns a financial sentence away rather than in: a sentence it misses keeps
            // its figures, so it is gated like the others.
            Trigger::Guidance => vec![financials::GUIDANCE_PATTERN],
            Trigger::Agency => Vec::new(),
        }
    }

    /// The words one of which every sentence this family's rules fire on holds (any ASCII
    /// casing); `None` when some rule needs no fixed text, so every sentence may hold a match.
    fn words(self) -> Option<Vec<String>> {
        if self == Trigger::Agency {
            // The agencies are data, not a pattern: their own names are the words.
            return Some(
                crate::facts::regulatory::agency_patterns()
                    .map(str::to_ascii_lowercase)
                    .collect(),
            );
        }
        let mut words = Vec::new();
        for pattern in self.patterns() {
            words.extend(crate::text::pattern::gate_words(pattern)?);
        }
        Some(words)
    }
}

// Each family is one bit of a sentence's `u16`: a seventeenth would need a wider set.
const _: () = assert!(Trigger::ALL.len() <= u16::BITS as usize);

struct TriggerWords {
    /// Matched in any casing, overlapping: one family's word never hides another's.
    list: WordList,
    bits: Vec<u16>,
    /// The families that are not gated: every sentence may hold their rules' matches.
    ungated: u16,
}

static WORDS: LazyLock<TriggerWords> = LazyLock::new(|| {
    // A word of several families ("will", "enrol", "r&d") is one pattern carrying all their
    // bits: as one pattern per family, the scan would report each occurrence once per family.
    let mut patterns: Vec<String> = Vec::new();
    let mut bits: Vec<u16> = Vec::new();
    let mut ungated = 0;
    for t in Trigger::ALL {
        let Some(words) = t.words() else {
            ungated |= t.bit();
            continue;
        };
        for w in words {
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
        ungated,
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
        let mut sets = vec![WORDS.ungated; sentences.len()];
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

    /// Every family is gated by words read off its rules; none is left ungated by a rule
    /// that needs no fixed text (which would be correct, but slow).
    #[test]
    fn every_family_has_words() {
        for t in Trigger::ALL {
            let words = t
                .words()
                .unwrap_or_else(|| panic!("{t:?} has a rule with no fixed text"));
            assert!(!words.is_empty(), "{t:?}");
            assert!(
                words.iter().all(|w| w.chars().count() >= 2),
                "{t:?}: {words:?}"
            );
        }
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
        for r in &crate::facts::partnerships::KINDS.1 {
            gates.push((Trigger::Partnership, rule(r)));
        }
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
        assert!(t.may_hold(2, Trigger::Partnership));
        assert!(!t.may_hold(1, Trigger::Partnership));
        assert!(!t.may_hold(2, Trigger::Agency));
        assert!(!t.may_hold(99, Trigger::Site));
    }

    #[test]
    fn trial_and_guidance_words_are_found_per_sentence() {
        let text = "The Phase 2 trial enrolls 40 adults. The Phase 1 study is ONGOING. \
                    Revenue was $2 million. The company expects revenue of $5 million.";
        let sentences = split_sentences(text);
        assert_eq!(sentences.len(), 4);
        let t = SentenceTriggers::find(text, &sentences);
        // "enrolls" is no status word: every status rule needs another.
        assert!(t.may_hold(0, Trigger::Enrollment) && !t.may_hold(0, Trigger::TrialStatus));
        assert!(t.may_hold(1, Trigger::TrialStatus) && !t.may_hold(1, Trigger::Enrollment));
        assert!(!t.may_hold(2, Trigger::Guidance) && !t.may_hold(2, Trigger::TrialStatus));
        assert!(t.may_hold(3, Trigger::Guidance) && t.may_hold(3, Trigger::Financial));
    }
}
