//! Byte offsets (what Rust slices with) to code-point offsets (what Python's `str` indexes with).

/// Converts byte offsets of one text into code-point offsets in O(1) per query after an O(n)
/// pass; for ASCII text the two are equal and nothing is stored.
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// Code points before each 64-byte block; empty for ASCII text.
    blocks: Vec<u32>,
}

const BLOCK: usize = 64;

/// How many characters start in `bytes`: every byte but a UTF-8 continuation byte.
#[inline(always)]
fn chars_in(bytes: &[u8]) -> u32 {
    bytes.iter().map(|&b| u32::from((b & 0xC0) != 0x80)).sum()
}

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        if text.is_ascii() {
            return CharIndex { blocks: Vec::new() };
        }
        let bytes = text.as_bytes();
        let mut blocks = Vec::with_capacity(bytes.len() / BLOCK + 2);
        let mut count = 0u32;
        // Whole blocks of a known length, so the count is vectorised.
        let mut whole = bytes.chunks_exact(BLOCK);
        for chunk in &mut whole {
            blocks.push(count);
            count += chars_in(chunk);
        }
        let rest = whole.remainder();
        if !rest.is_empty() {
            blocks.push(count);
            count += chars_in(rest);
        }
        blocks.push(count);
        CharIndex { blocks }
    }

    /// The code-point offset of byte offset `byte` (a char boundary of `text`).
    pub fn to_char(&self, text: &str, byte: usize) -> usize {
        if self.blocks.is_empty() {
            return byte;
        }
        let byte = byte.min(text.len());
        let block = byte / BLOCK;
        let base = self.blocks[block] as usize;
        let from = block * BLOCK;
        base + chars_in(&text.as_bytes()[from..byte]) as usize
    }
}

/// The largest char boundary of `s` at or before byte `i` (clamped to `s.len()`).
pub fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary of `s` at or after byte `i` (clamped to `s.len()`).
pub fn ceil_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_chars_count_everywhere() {
        let long = "“CBMG” — Shanghai’s facility ® ".repeat(20);
        // Lengths on, just under and just over whole blocks, ending in one multi-byte character.
        let mut texts = vec![long];
        for len in [63, 64, 65, 127, 128, 129] {
            texts.push(format!("{}é", "a".repeat(len - 2)));
        }
        for text in &texts {
            let idx = CharIndex::new(text);
            for (b, _) in text
                .char_indices()
                .chain(std::iter::once((text.len(), ' ')))
            {
                assert_eq!(idx.to_char(text, b), text[..b].chars().count());
            }
        }
    }

    #[test]
    fn ascii_is_identity() {
        let idx = CharIndex::new("plain ascii");
        assert_eq!(idx.to_char("plain ascii", 5), 5);
    }
}
