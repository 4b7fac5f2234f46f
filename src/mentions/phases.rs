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

/// The normal form of a phase from its parts: numerals `a` and `b` (Roman or Arabic) and their
/// letters. `Phase 2-3` is a range, but `Phase 3-1` is not one; only the first is kept then.
fn phase_label(a: &str, al: Option<&str>, b: Option<&str>, bl: Option<&str>) -> String {
    let mut phase = format!("Phase {}", arabic(a));
    if let Some(l) = al {
        phase.push_str(&l.to_ascii_lowercase());
    }
    if let Some(b) = b {
        let second = arabic(b);
        if second > arabic(a) || bl.is_some() {
            phase.push('/');
            phase.push_str(second);
            if let Some(l) = bl {
                phase.push_str(&l.to_ascii_lowercase());
            }
        }
    }
    phase
}

/// A numeral of [`PHASE`] at the start of `s` (the Roman ones longest first, as the regex
/// tries them) and its letter, if one follows; then the rest of `s`.
fn numeral_and_letter(s: &str) -> Option<(&str, Option<&str>, &str)> {
    let len = ["iv", "iii", "ii", "i"]
        .iter()
        .find(|r| s.get(..r.len()).is_some_and(|p| p.eq_ignore_ascii_case(r)))
        .map(|r| r.len())
        .or_else(|| {
            s.starts_with(|c: char| ('0'..='4').contains(&c))
                .then_some(1)
        })?;
    let (numeral, rest) = s.split_at(len);
    let letter_len = usize::from(rest.starts_with(|c: char| matches!(c, 'a'..='c' | 'A'..='C')));
    let (letter, rest) = rest.split_at(letter_len);
    Some((numeral, (!letter.is_empty()).then_some(letter), rest))
}

/// `s` after the word `phase` (five characters: under `(?i)` a long s, `ſ`, is an `s`) and
/// the spaces and hyphens after it.
fn after_phase_word(s: &str) -> Option<&str> {
    // A numeral follows the word in every match, so there is a sixth character.
    let (at, _) = s.char_indices().nth(5)?;
    Some(s[at..].trim_start_matches(|c: char| c.is_whitespace() || c == '-'))
}

/// The phase a match of [`PHASE`] names, read from its text instead of the regex's groups,
/// whose capture search ran a bounded backtracker over every mention (a test checks both read
/// the same on every sample release). A numeral is never followed by another numeral's letter
/// in a match, so each part is read greedily: the word, the first numeral and its letter, then,
/// after `/` or `-` (with spaces, and the word again if written), the second.
fn phase_in_match(matched: &str) -> Option<String> {
    let (a, al, rest) = numeral_and_letter(after_phase_word(matched)?)?;
    if rest.is_empty() {
        return Some(phase_label(a, al, None, None));
    }
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(['/', '-'])?.trim_start();
    let rest = if rest.starts_with(['p', 'P']) {
        after_phase_word(rest)?
    } else {
        rest
    };
    let (b, bl, rest) = numeral_and_letter(rest)?;
    rest.is_empty().then(|| phase_label(a, al, Some(b), bl))
}

/// Every phase mention in `text[from..to]`, offsets into `text`.
pub fn find_phases_in(text: &str, from: usize, to: usize) -> Vec<PhaseMention> {
    PHASE
        .find_iter(&text[from..to])
        .filter_map(|whole| {
            Some(PhaseMention {
                start: from + whole.start(),
                end: from + whole.end(),
                phase: phase_in_match(whole.as_str())?,
            })
        })
        .collect()
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

    /// The phase read from a match's text is what the regex's groups gave, on every sample
    /// release and on odd spellings.
    #[test]
    fn phases_read_from_the_match_as_from_its_groups() {
        let edges = [
            "Phase I/IIa, phase 1b/2a, Phase-3, Phase 2-3, Phase II/Phase III, PHASE IIIB, Phase IV",
            "Phase 0, phase 3-1, Phase Ic - phase-IIc, phaſe 2, Phase I / II, Phase\n2, Phase 1 - Phase 2b",
            "Phase IIx, PhaseI study, phase 12, Phase 1/5, Phase 2a-3c, phase\t-\t3",
        ];
        let mut checked = 0;
        for text in crate::text::sample_texts(&edges) {
            for caps in PHASE.captures_iter(&text) {
                let whole = caps.get(0).unwrap();
                let want = phase_label(
                    &caps["a"],
                    caps.name("al").map(|m| m.as_str()),
                    caps.name("b").map(|m| m.as_str()),
                    caps.name("bl").map(|m| m.as_str()),
                );
                assert_eq!(
                    phase_in_match(whole.as_str()),
                    Some(want),
                    "{}",
                    whole.as_str()
                );
                checked += 1;
            }
        }
        assert!(
            checked > crate::text::at_least(100, 50),
            "phases checked: {checked}"
        );
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
