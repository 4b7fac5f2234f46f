//! The words every match of a rule holds, read off its parsed pattern: what a gate needs to let
//! through every sentence the rule could fire on, so gates follow the rules instead of a list.
//!
//! The answer is a set of lower-case strings such that each match of the pattern contains at
//! least one of them, compared in ASCII-insensitive case (as the trigger scan compares them), or
//! nothing when some match needs no fixed text (`\d+ patients?` would, `\w+` would not). Like
//! ripgrep's inner-literal extraction it prefers the most telling run of fixed text: the set
//! whose shortest word is longest, then the smaller set. Case-insensitive letters count as
//! fixed; so do the Kelvin sign and the long s that `(?i)` folds into `k` and `s` (normalised
//! text holds neither as a letter of a word a rule needs).

use regex_syntax::hir::{Class, Hir, HirKind};

/// The words one of which every match of `pattern` holds; `None` when there are none, or the
/// pattern does not parse (the rule's own build reports that).
pub fn required_words(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    required(&hir)
}

/// How many texts a run of fixed parts may stand for before it counts as open.
const MAX_TEXTS: usize = 16;

/// Each match of `hir` contains one of the returned words.
fn required(hir: &Hir) -> Option<Vec<String>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(_) | HirKind::Class(_) => words_of(texts(hir)?),
        HirKind::Repetition(rep) if rep.min >= 1 => required(&rep.sub),
        HirKind::Repetition(_) => None,
        HirKind::Capture(cap) => required(&cap.sub),
        HirKind::Alternation(branches) => {
            let mut words = Vec::new();
            for b in branches {
                words.extend(required(b)?);
            }
            Some(minimal(words))
        }
        HirKind::Concat(parts) => {
            // Runs of parts that each match one of a few texts ("cent" then "er" or "re") are
            // candidates as the texts they spell; any other part is one by what it requires.
            let mut candidates: Vec<Vec<String>> = Vec::new();
            let mut run: Vec<String> = vec![String::new()];
            for part in parts {
                let joined = texts(part).and_then(|ts| cross(&run, &ts));
                match joined {
                    Some(product) => run = product,
                    None => {
                        // The run goes on into the words this part starts with: alternatives
                        // that share a start are parsed as that start and the rest
                        // ("sq ft|sf" as "s" then "q ft|f").
                        let ended = std::mem::replace(&mut run, vec![String::new()]);
                        let into_part = prefixes(part).and_then(|ps| cross(&ended, &ps));
                        candidates.extend(words_of(into_part.unwrap_or(ended)));
                        candidates.extend(required(part));
                        // A part too varied to join may still start a run of its own.
                        if let Some(ts) = texts(part) {
                            run = ts;
                        }
                    }
                }
            }
            candidates.extend(words_of(run));
            best(candidates)
        }
    }
}

/// The most telling set: the longest shortest word, then the fewest words, then the first.
fn best(candidates: Vec<Vec<String>>) -> Option<Vec<String>> {
    let score = |words: &Vec<String>| {
        let shortest = words.iter().map(|w| w.chars().count()).min().unwrap_or(0);
        (shortest, std::cmp::Reverse(words.len()))
    };
    candidates
        .into_iter()
        .fold(None, |kept: Option<Vec<String>>, c| match kept {
            Some(k) if score(&k) >= score(&c) => Some(k),
            _ => Some(c),
        })
}

/// Words one of which every match of `hir` starts with.
fn prefixes(hir: &Hir) -> Option<Vec<String>> {
    match hir.kind() {
        HirKind::Literal(_) | HirKind::Class(_) => texts(hir),
        HirKind::Capture(cap) => prefixes(&cap.sub),
        HirKind::Repetition(rep) if rep.min >= 1 => prefixes(&rep.sub),
        HirKind::Alternation(branches) => {
            let mut out = Vec::new();
            for b in branches {
                out.extend(prefixes(b)?);
            }
            (out.len() <= MAX_TEXTS).then(|| dedup(out))
        }
        HirKind::Concat(parts) => {
            let mut run = vec![String::new()];
            for part in parts {
                match texts(part).and_then(|ts| cross(&run, &ts)) {
                    Some(product) => run = product,
                    None => {
                        if let Some(more) = prefixes(part).and_then(|ps| cross(&run, &ps)) {
                            run = more;
                        }
                        break;
                    }
                }
            }
            (!run.iter().any(String::is_empty)).then_some(run)
        }
        _ => None,
    }
}

/// Each of `heads` followed by each of `tails`, when that is at most [`MAX_TEXTS`] texts.
fn cross(heads: &[String], tails: &[String]) -> Option<Vec<String>> {
    let out: Vec<String> = heads
        .iter()
        .flat_map(|h| tails.iter().map(move |t| format!("{h}{t}")))
        .collect();
    (out.len() <= MAX_TEXTS).then(|| dedup(out))
}

/// Texts as required words: none when one of them is empty (that run needs nothing).
fn words_of(texts: Vec<String>) -> Option<Vec<String>> {
    (!texts.iter().any(String::is_empty)).then(|| minimal(texts))
}

/// Every text `hir` matches, lower-cased, when there are at most [`MAX_TEXTS`] of them;
/// zero-width assertions match the empty text.
fn texts(hir: &Hir) -> Option<Vec<String>> {
    let capped = |v: Vec<String>| (v.len() <= MAX_TEXTS).then_some(v);
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(vec![String::new()]),
        HirKind::Literal(lit) => Some(vec![String::from_utf8_lossy(&lit.0).to_lowercase()]),
        HirKind::Class(class) => one_letter(class).map(|c| vec![c.to_string()]),
        HirKind::Capture(cap) => texts(&cap.sub),
        HirKind::Repetition(rep) if rep.max == Some(1) && rep.min <= 1 => {
            let mut out = texts(&rep.sub)?;
            if rep.min == 0 {
                out.push(String::new());
            }
            capped(dedup(out))
        }
        HirKind::Repetition(rep) if rep.max == Some(rep.min) && rep.min <= 8 => {
            let one = texts(&rep.sub)?;
            let mut out = vec![String::new()];
            for _ in 0..rep.min {
                out = cross(&out, &one)?;
            }
            Some(out)
        }
        HirKind::Repetition(_) => None,
        HirKind::Alternation(branches) => {
            let mut out = Vec::new();
            for b in branches {
                out.extend(texts(b)?);
            }
            capped(dedup(out))
        }
        HirKind::Concat(parts) => {
            let mut out = vec![String::new()];
            for p in parts {
                out = cross(&out, &texts(p)?)?;
            }
            Some(out)
        }
    }
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// The letter a class stands for when it is one character in its casings.
fn one_letter(class: &Class) -> Option<char> {
    let fold = |c: char| match c {
        '\u{212A}' => 'k',
        '\u{17F}' => 's',
        c => c.to_ascii_lowercase(),
    };
    let mut chars: Vec<char> = Vec::new();
    match class {
        Class::Unicode(u) => {
            for r in u.ranges() {
                if (r.end() as u32) - (r.start() as u32) > 4 {
                    return None;
                }
                chars.extend(r.start()..=r.end());
            }
        }
        Class::Bytes(b) => {
            for r in b.ranges() {
                if r.end() - r.start() > 4 {
                    return None;
                }
                chars.extend((r.start()..=r.end()).map(char::from));
            }
        }
    }
    let first = fold(*chars.first()?);
    chars.iter().all(|&c| fold(c) == first).then_some(first)
}

/// The words without those that hold another of them (a text holding "licensing" holds
/// "licens"), sorted.
fn minimal(mut words: Vec<String>) -> Vec<String> {
    words.sort_by_key(|w| w.len());
    let mut out: Vec<String> = Vec::new();
    for w in words {
        if !out.iter().any(|o| w.contains(o.as_str())) {
            out.push(w);
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(p: &str) -> Option<Vec<String>> {
        required_words(p)
    }

    #[test]
    fn a_run_of_fixed_text_is_required() {
        assert_eq!(
            words(r"(?i)orphan\s+(?:drug\s+)?designation"),
            Some(vec!["designation".into()])
        );
        assert_eq!(
            words(r"(?i)\bterminat(?:ed|ion)\b"),
            Some(vec!["terminated".into(), "termination".into()])
        );
        assert_eq!(words(r"510\(k\)"), Some(vec!["510(k)".into()]));
    }

    #[test]
    fn alternatives_give_one_word_each() {
        assert_eq!(
            words(r"(?i)(?:licens(?:e|ing)\s+deal|sublicens\w*|LOI)"),
            Some(vec![
                "license".into(),
                "licensing".into(),
                "loi".into(),
                "sublicens".into()
            ])
        );
        assert_eq!(
            words(r"(?i)halted|stopped"),
            Some(vec!["halted".into(), "stopped".into()])
        );
    }

    #[test]
    fn optional_and_open_parts_require_nothing() {
        assert_eq!(words(r"\w+"), None);
        assert_eq!(words(r"(?:abc)?\d+"), None);
        assert_eq!(words(r"abc|\d+"), None);
        assert_eq!(words(r"(?:abc)?\d+xyz"), Some(vec!["xyz".into()]));
    }

    #[test]
    fn short_alternatives_spell_out_their_words() {
        assert_eq!(
            words(r"(?i)\bcent(?:er|re)\b"),
            Some(vec!["center".into(), "centre".into()])
        );
        assert_eq!(words(r"(?i)\bpatients?\b"), Some(vec!["patient".into()]));
        assert_eq!(words(r"(?i)\bR&D\s+day"), Some(vec!["r&d".into()]));
        // Alternatives parsed as a shared start and the rest still give whole words.
        assert_eq!(
            words(r"(?i)\d+\s*(?:square\s+feet|sq\.?\s*ft|sf)"),
            Some(vec!["sf".into(), "sq".into()])
        );
    }

    #[test]
    fn the_most_telling_run_wins() {
        // "first" and "initial" each shorter or as long as "dosed", and two of them.
        assert_eq!(
            words(r"(?i)(?:first|initial)\s+patients?\s+dosed"),
            Some(vec!["patient".into()])
        );
    }

    /// Every match of a pattern holds one of its words, on sentences the rules see.
    #[test]
    fn matches_hold_a_required_word() {
        let cases = [
            (
                r"(?i)\b(?:first|initial)\s+(?:patient|subject)s?\s+(?:\w+\s+){0,3}?dosed",
                "The First Subject was DOSED today",
            ),
            (
                r"(?i)enrol(?:l|ls|led)?\s+(?:up\s+to\s+)?\d+",
                "Acme ENROLLED up to 40 people",
            ),
            (
                r"(?i)fast\s+track\s+(?:designation|status)",
                "granted Fast Track Status",
            ),
        ];
        for (pattern, text) in cases {
            let rule = crate::text::pattern::regex(pattern).unwrap();
            let m = rule.find(text).expect(text);
            let hay = m.as_str().to_ascii_lowercase();
            let ws = words(pattern).unwrap();
            assert!(
                ws.iter().any(|w| hay.contains(w.as_str())),
                "{pattern}: {ws:?}"
            );
        }
    }
}
