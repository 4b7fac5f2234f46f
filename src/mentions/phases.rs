//! Clinical-trial phases: `Phase I`, `Phase IIb`, `phase 1/2`, `Phase I/IIa`, `Phase 1b/2a`,
//! `Phase 2-3`, `Phase-3`, normalised to `Phase ` + Arabic numerals with a lower-case letter.

use std::sync::LazyLock;

use crate::text::rule::Rule;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhaseMention {
    pub start: usize,
    pub end: usize,
    /// `Phase 1`, `Phase 2b`, `Phase 1/2a`.
    pub phase: String,
}

static PHASE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::scanning_regex(
        r"(?i)(?-u:\b)phase[\s-]*(?P<a>IV|III|II|I|[0-4])(?P<al>[a-c])?(?:\s*(?:/|-)\s*(?:phase[\s-]*)?(?P<b>IV|III|II|I|[1-4])(?P<bl>[a-c])?)?(?-u:\b)",
    )
    .expect("phase regex")
});

fn arabic(numeral: &str) -> &'static str {
    match numeral.to_ascii_uppercase().as_str() {
        "0" => "0",
        "I" | "1" => "1",
        "II" | "2" => "2",
        "III" | "3" => "3",
        _ => "4",
    }
}

/// Every phase mention in `text[from..to]`, offsets into `text`.
pub fn find_phases_in(text: &str, from: usize, to: usize) -> Vec<PhaseMention> {
    let mut out = Vec::new();
    for caps in PHASE.captures_iter(&text[from..to]) {
        let whole = caps.get(0).expect("group 0");
        let mut phase = format!("Phase {}", arabic(&caps["a"]));
        if let Some(l) = caps.name("al") {
            phase.push_str(&l.as_str().to_ascii_lowercase());
        }
        if let Some(b) = caps.name("b") {
            let second = arabic(b.as_str());
            // `Phase 2-3` is a range, but `Phase 3-1` is not one; keep only the first then.
            if second > arabic(&caps["a"]) || caps.name("bl").is_some() {
                phase.push('/');
                phase.push_str(second);
                if let Some(l) = caps.name("bl") {
                    phase.push_str(&l.as_str().to_ascii_lowercase());
                }
            }
        }
        out.push(PhaseMention {
            start: from + whole.start(),
            end: from + whole.end(),
            phase,
        });
    }
    out
}

crate::text::pattern::compile_rules!(PHASE);

#[cfg(test)]
mod tests {
    use super::*;

    fn phases(text: &str) -> Vec<String> {
        find_phases_in(text, 0, text.len())
            .into_iter()
            .map(|p| p.phase)
            .collect()
    }

    #[test]
    fn roman_and_arabic_normalise() {
        assert_eq!(phases("This Phase I clinical study"), vec!["Phase 1"]);
        assert_eq!(phases("A Phase IIb trial"), vec!["Phase 2b"]);
        assert_eq!(phases("a Phase I/IIa study"), vec!["Phase 1/2a"]);
        assert_eq!(phases("the phase 1b/2a trial"), vec!["Phase 1b/2a"]);
        assert_eq!(phases("pivotal Phase-3 study"), vec!["Phase 3"]);
        assert_eq!(phases("Phase 2-3 program"), vec!["Phase 2/3"]);
        assert_eq!(phases("Phase II/Phase III"), vec!["Phase 2/3"]);
        assert_eq!(phases("PHASE III RESULTS"), vec!["Phase 3"]);
        assert_eq!(phases("Phase IV"), vec!["Phase 4"]);
    }

    #[test]
    fn words_that_are_not_phases() {
        assert!(phases("the first phase of construction").is_empty());
        assert!(phases("phase in the new system").is_empty());
        assert!(phases("Phases of the moon").is_empty());
        assert!(phases("phased rollout").is_empty());
    }
}
