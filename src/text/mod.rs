//! Stage 2: text. The normalised matching view of a document, its sentences, and the mapping
//! from byte offsets to the code-point offsets Python uses.

pub mod html;
pub mod nesting;
pub mod normalize;
pub mod offsets;
pub mod pattern;
pub mod required_words;
pub mod rule;
pub mod sentences;
pub mod spans;
pub mod structure;

pub use normalize::NormText;
pub use offsets::{ceil_boundary, floor_boundary, CharIndex};
pub use sentences::{split_sentences, Sentence};

/// How far (bytes) from a mention a rule looks for what else the release says about it (the
/// same product or partner named elsewhere): more than the longest release, so a release is
/// read whole, and bounded, so a text of many releases glued together costs time in proportion
/// to its length.
pub const RELEASE_REACH: usize = 100_000;

/// The text stage's `compile_rules`: the searches normalising runs on every document.
pub(crate) const RULE_COMPILERS: &[fn()] = &[normalize::compile_rules, structure::compile_rules];

/// The text's lines as byte ranges (without their `\n`), blank lines left out. The header and
/// the event listings read a release line by line; it is split once per document.
pub fn nonblank_lines(text: &str) -> Vec<(usize, usize)> {
    // Room for a line per 128 bytes: the archive's releases average 245 bytes a nonblank line
    // (316 of its 24,636 hold more lines than this).
    let mut out = Vec::with_capacity(text.len() / 128 + 4);
    let mut start = 0;
    // `trim_start` alone tells a blank line: `trim` would go on to trim the end of every line
    // that is not (0.3% of a load's instructions).
    for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
        if !text[start..i].trim_start().is_empty() {
            out.push((start, i));
        }
        start = i + 1;
    }
    if !text[start..].trim_start().is_empty() {
        out.push((start, text.len()));
    }
    out
}

/// True when `start..end` is not inside a longer ASCII word: no letter or digit touches it.
pub fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    (start == 0 || !bytes[start - 1].is_ascii_alphanumeric())
        && (end >= bytes.len() || !bytes[end].is_ascii_alphanumeric())
}

/// True when `rest`, after leading whitespace, starts with one of `words` in any ASCII casing.
/// Looks at a few bytes only: rules ask this of "the rest of the document" many times.
pub fn next_word_is(rest: &str, words: &[&str]) -> bool {
    let rest = rest.trim_start().as_bytes();
    words
        .iter()
        .any(|w| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w.as_bytes()))
}

/// A byte that `(?-u:\b)` counts as part of a word: an ASCII letter, digit or underscore.
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Where the real dev corpus is when it is beside the repository (`../shared`, not part of it).
#[cfg(test)]
const DEV_CORPUS: &str = "../shared/corpus/dev";

/// The least a test over [`sample_texts`] must have checked: `with_dev` when the dev corpus is
/// beside the repository, `without` when only the repository's own releases are there.
#[cfg(test)]
pub(crate) fn at_least(with_dev: usize, without: usize) -> usize {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if root.join(DEV_CORPUS).is_dir() {
        with_dev
    } else {
        without
    }
}

/// Texts for tests that compare a hand-written scan with the regex it replaces: `extra`, the
/// seeds, the test releases and, when it is beside the repository, the real dev corpus.
#[cfg(test)]
pub(crate) fn sample_texts(extra: &[&str]) -> Vec<String> {
    let mut texts: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["seeds", "tests/data/releases", DEV_CORPUS] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries {
            texts.push(std::fs::read_to_string(e.unwrap().path()).unwrap_or_default());
        }
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonblank_lines_leave_out_blank_ones_and_keep_the_last() {
        let text = "Title\n\n \t\nBOSTON, May 1, 2024 -- Text.\r\n\u{a0}\nlast";
        let got: Vec<&str> = nonblank_lines(text)
            .into_iter()
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(got, ["Title", "BOSTON, May 1, 2024 -- Text.\r", "last"]);
        assert!(nonblank_lines("").is_empty() && nonblank_lines("\n \n").is_empty());
        assert_eq!(nonblank_lines("one\n"), [(0, 3)]);
    }
}
