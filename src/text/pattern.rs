//! How every rule's regex is compiled: `\w` and `\d` mean what they mean in normalised text,
//! at a fraction of the cost of their full Unicode classes.
//!
//! Rules are written with `\w` and `\d`. Compiled as Unicode classes, `\w` alone is ~700 code-point
//! ranges; under `(?i)` and inside a bounded repeat (`(?:[\w'-]+\s+){0,6}`) it made the rules
//! take ~80 ms to compile on the first load and swelled the lazy DFAs that scan every sentence.
//! Normalisation has already folded typographic quotes, dashes and spaces to ASCII, so the
//! non-ASCII characters left in the text are letters (accented names, CJK) and a few symbols.
//! Here `\w` is therefore an ASCII word character or any non-ASCII character, and `\d` an ASCII
//! digit (the only digits the number parsers accept anyway). The non-ASCII part is compiled
//! without case folding, which is what keeps it cheap.
//!
//! Most rules search a sentence or a short span that a trigger word already picked and are built
//! without a literal prefilter ([`regex`]); the few that search whole documents keep one
//! ([`scanning_regex`]). Which is which was measured: with prefilters everywhere, building them
//! was ~13 of the ~30 ms every rule costs a first load; with none, the archive loaded ~30% slower,
//! nearly all of it in the rules now built by [`scanning_regex`]. Rules that search the same span
//! side by side (the eight kinds of period phrase in a financial sentence) are a [`RuleList`]
//! ([`regex_list`]): one pass of their set tells which of them match there, and only those search.

use crate::text::rule::{Alternatives, Rule, RuleList, RuleSet};
use regex_automata::meta::BuildError;

/// An ASCII word character, or any non-ASCII character.
const WORD: &str = r"(?:[0-9A-Za-z_]|(?-i:[\x{80}-\x{10FFFF}]))";
/// Neither of the above: ASCII punctuation, space and control characters.
const NON_WORD: &str = r"(?-i:[\x00-/:-@\[-^`{-\x7F])";

/// Compiles a rule that searches a sentence, a line or a short span around a mention: spans a
/// trigger word or another rule has already picked, where a literal prefilter would cost more to
/// build than it saves.
pub fn regex(pattern: &str) -> Result<Rule, Box<BuildError>> {
    Rule::new(&rewrite(pattern), false)
}

/// Compiles a rule that searches whole documents (or every sentence of one) for something most
/// texts lack; it keeps the literal prefilter that skips to where a match can start. On the
/// archive, building these without one made a load ~30% slower.
pub fn scanning_regex(pattern: &str) -> Result<Rule, Box<BuildError>> {
    Rule::new(&rewrite(pattern), true)
}

/// The words one of which every match of `pattern` holds (lower case), or `None`: what a gate
/// must let through for the rule to fire ([`crate::text::required_words`]).
pub fn gate_words(pattern: &str) -> Option<Vec<String>> {
    crate::text::required_words::required_words(&rewrite(pattern))
}

/// Compiles rules that search the same spans, with the set that tells which of them match in one.
pub fn regex_list<I, S>(patterns: I) -> Result<RuleList, Box<BuildError>>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let rewritten: Vec<String> = patterns.into_iter().map(|p| rewrite(p.as_ref())).collect();
    RuleList::new(&rewritten)
}

/// [`regex_list`] for rules that each name what they find (a step, a kind): the names in the
/// rules' order, and the list.
pub fn named_regex_list(
    named: &[(&'static str, &str)],
) -> Result<(Vec<&'static str>, RuleList), Box<BuildError>> {
    let rules = regex_list(named.iter().map(|(_, pattern)| pattern))?;
    Ok((named.iter().map(|(name, _)| *name).collect(), rules))
}

/// Compiles a rule made of named alternatives, most preferred first: the names in order, and
/// the rule, whose matches give the index of their alternative.
pub fn named_alternatives(
    named: &[(&'static str, &str)],
) -> Result<(Vec<&'static str>, Alternatives), Box<BuildError>> {
    let rewritten: Vec<String> = named.iter().map(|(_, p)| rewrite(p)).collect();
    let rule = Alternatives::new(&rewritten)?;
    Ok((named.iter().map(|(name, _)| *name).collect(), rule))
}

/// Compiles a set of rules matched in one pass.
pub fn regex_set<I, S>(patterns: I) -> Result<RuleSet, Box<BuildError>>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let rewritten: Vec<String> = patterns.into_iter().map(|p| rewrite(p.as_ref())).collect();
    RuleSet::new(&rewritten)
}

/// Replaces `\b` and `\B` by their ASCII forms, and `\w`, `\W` and `\d` outside classes, and `\w`/`\d` inside positive classes, by their
/// cheap forms. A class holding `\w` becomes an alternation of its ASCII part and the non-ASCII
/// range, so the range stays outside any `(?i)` case folding.
fn rewrite(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                match chars[i + 1] {
                    'w' => out.push_str(WORD),
                    'W' => out.push_str(NON_WORD),
                    'd' => out.push_str("[0-9]"),
                    // Unicode word boundaries make the fast engines give up at the first
                    // non-ASCII byte; in normalised text the ASCII ones read the same.
                    'b' => out.push_str(r"(?-u:\b)"),
                    'B' => out.push_str(r"(?-u:\B)"),
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
                i += 2;
            }
            '[' => {
                let end = class_end(&chars, i);
                let class: String = chars[i..end].iter().collect();
                out.push_str(&rewrite_class(&class));
                i = end;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The index just past the class opening at `start` (escapes and a leading `]` respected).
fn class_end(chars: &[char], start: usize) -> usize {
    let mut i = start + 1;
    if chars.get(i) == Some(&'^') {
        i += 1;
    }
    if chars.get(i) == Some(&']') {
        i += 1;
    }
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            ']' => return i + 1,
            _ => i += 1,
        }
    }
    chars.len()
}

fn rewrite_class(class: &str) -> String {
    let has_word = class.contains(r"\w");
    // A negated class with `\w` would need the non-ASCII range removed under case folding;
    // no rule needs one, so it keeps the Unicode meaning.
    if has_word && class.starts_with("[^") {
        return class.to_string();
    }
    let class = class.replace(r"\d", "0-9");
    if !has_word {
        return class;
    }
    let ascii = class.replace(r"\w", "0-9A-Za-z_");
    format!(r"(?:{ascii}|(?-i:[\x{{80}}-\x{{10FFFF}}]))")
}

/// Defines a module's `compile_rules()`, which builds the named rules (lazily built statics) now
/// instead of at their first use: a first load builds every module's on all threads of the pool
/// (`Extractor::build_for_job`) rather than one after another as documents first need them.
macro_rules! compile_rules {
    ($($rule:ident),+ $(,)?) => {
        pub(crate) fn compile_rules() {
            $(std::sync::LazyLock::force(&$rule);)+
        }
    };
}
pub(crate) use compile_rules;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_and_digit_classes_are_rewritten() {
        assert_eq!(rewrite(r"a\d+"), "a[0-9]+");
        assert_eq!(rewrite(r"[\d,]+"), "[0-9,]+");
        assert_eq!(
            rewrite(r"(?:[\w'-]+\s+)"),
            r"(?:(?:[0-9A-Za-z_'-]|(?-i:[\x{80}-\x{10FFFF}]))+\s+)"
        );
        assert_eq!(rewrite(r"\$[\]a]\\w"), r"\$[\]a]\\w");
        assert_eq!(rewrite(r"[^\s\w]"), r"[^\s\w]");
    }

    #[test]
    fn rewritten_rules_match_like_unicode_ones_on_normalised_text() {
        let re = regex(r"(?i)(?-u:\b)approv\w*\s+(?:[\w'-]+\s+){0,3}?IND(?-u:\b)").unwrap();
        assert!(re.is_match("Approved the company's IND"));
        assert!(re.is_match("approved Société Générale's IND"));
        assert!(!re.is_match("approved, the IND"));
        let re = regex(r"^\W{0,3}(?P<n>\d{1,3})\s?th").unwrap();
        assert_eq!(&re.captures("(- 34 th").unwrap()["n"], "34");
        assert!(re.captures("é34th").is_none());
        // Non-ASCII digits are no numbers to the parsers, so they are not digits here either.
        assert!(!regex(r"^\d$").unwrap().is_match("\u{0663}"));
    }

    #[test]
    fn sets_are_rewritten_too() {
        let set = regex_set([r"^\d+$", r"(?i)^\w+$"]).unwrap();
        assert_eq!(set.first_matching("Zürich"), Some(1));
        assert_eq!(set.first_matching("2024"), Some(0));
        assert_eq!(set.first_matching("Zürich 2024"), None);
    }
}
