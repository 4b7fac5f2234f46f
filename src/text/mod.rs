//! Stage 2: text. The normalised matching view of a document, its sentences, and the mapping
//! from byte offsets to the code-point offsets Python uses.

pub mod html;
pub mod normalize;
pub mod offsets;
pub mod pattern;
pub mod sentences;

pub use normalize::NormText;
pub use offsets::{ceil_boundary, floor_boundary, CharIndex};
pub use sentences::{split_sentences, Sentence};

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
