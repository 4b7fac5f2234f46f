//! A matching view of a document: typographic variants folded to ASCII so that every rule sees
//! one spelling of a quote, dash or space, with a map back to the original bytes.
//!
//! Offsets users see always refer to the original text; rules work on [`NormText::text`] and
//! convert their spans with [`NormText::orig_span`].

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, Input, MatchKind};

/// The normalised text of a document and how to get back to the original.
#[derive(Debug, Clone)]
pub struct NormText {
    pub text: String,
    /// Where each byte of `text` came from, as pieces in order; `None` when nothing changed (the
    /// common all-ASCII case), so the map is the identity.
    map: Option<Vec<Piece>>,
    /// Byte offsets in `text` right after which a trademark sign (®, ™, (R), (TM)) was removed.
    /// A word carrying one is a brand: a strong signal that it names a product.
    pub marks: Vec<usize>,
    /// The web addresses blanked out of `text`, as byte ranges of `text`, in order.
    pub urls: Vec<(usize, usize)>,
}

/// The bytes of `text` from `norm` up to the next piece: copied one for one from the original at
/// `orig` on, or (`copied` false) all written for the one original character at `orig`. A piece
/// per change rather than an offset per byte: most of a document is copied runs.
#[derive(Debug, Clone, Copy)]
struct Piece {
    norm: u32,
    orig: u32,
    copied: bool,
}

enum Fold {
    Keep,
    Replace(&'static str),
    Drop,
    Mark,
}

fn fold_char(c: char) -> Fold {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => Fold::Replace("'"),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => Fold::Replace("\""),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{2043}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => Fold::Replace("-"),
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            Fold::Replace(" ")
        }
        '\u{2026}' => Fold::Replace("..."),
        '\u{2044}' | '\u{2215}' => Fold::Replace("/"),
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => Fold::Drop,
        '\u{00AE}' | '\u{2122}' | '\u{2120}' => Fold::Mark,
        '\u{00A9}' => Fold::Drop,
        _ => Fold::Keep,
    }
}

/// True when no rule below could change `text`, so the identity map can be used.
fn is_already_normal(text: &str) -> bool {
    text.is_ascii()
        && memchr::memchr(b'\\', text.as_bytes()).is_none()
        && memchr::memmem::find(text.as_bytes(), b"**").is_none()
        && memchr::memmem::find(text.as_bytes(), b"(R)").is_none()
        && memchr::memmem::find(text.as_bytes(), b"(TM)").is_none()
}

/// The ASCII bytes that can start something [`NormText::new`] folds (an escape, a bold marker,
/// a written-out trademark sign); so can every byte past ASCII. Runs of other bytes are copied
/// whole.
const FOLDABLE_ASCII: [u8; 3] = [b'\\', b'*', b'('];

/// Where the first byte that may start something to fold is. Runs between them are ~100 bytes
/// of prose: a lookup per byte was a tenth of a load's normalising, and eight bytes at a time
/// as one word still two instructions a byte.
fn first_foldable(bytes: &[u8]) -> Option<usize> {
    let [a, b, c] = FOLDABLE_ASCII;
    let may_fold = |x: u8| (x >= 0x80) | (x == a) | (x == b) | (x == c);
    first_by_stretch(bytes, may_fold, may_fold)
}

/// The first byte of `bytes` that `holds`, asked a 32-byte stretch at a time: a test of the
/// whole stretch with `may_hold` (true wherever `holds` is, and free of branches: `|`, not `||`)
/// compiles to vector code, and only a stretch it lets through is read byte by byte.
fn first_by_stretch(
    bytes: &[u8],
    may_hold: impl Fn(u8) -> bool,
    holds: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut stretches = bytes.chunks_exact(STRETCH);
    let mut base = 0;
    for stretch in &mut stretches {
        let stretch: &[u8; STRETCH] = stretch.try_into().expect("a whole stretch");
        let any = stretch
            .iter()
            .fold(0u8, |any, &x| any | u8::from(may_hold(x)));
        if any != 0 {
            if let Some(p) = stretch.iter().position(|&x| holds(x)) {
                return Some(base + p);
            }
        }
        base += STRETCH;
    }
    let rest = stretches.remainder();
    rest.iter().position(|&x| holds(x)).map(|p| base + p)
}

/// The bytes [`first_by_stretch`] asks at once: 64-byte stretches took 0.4% more of a load's
/// instructions, 16-byte ones 3% more.
const STRETCH: usize = 32;

/// Whether `c` ends a web address: white space, or a bracket or quote around it.
fn ends_url(c: char) -> bool {
    c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | '[' | ']' | '"')
}

/// [`ends_url`] of each ASCII byte, and true for every byte that starts a longer character,
/// which is then decoded and asked. Web addresses are nearly all ASCII, and reading them a char
/// at a time was a third of the masking's cost.
static MAY_END_URL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        // The ASCII white space `char::is_whitespace` knows (a test checks the two agree).
        table[b] = b >= 0x80
            || matches!(
                b as u8,
                b'\t'
                    | b'\n'
                    | 0x0B
                    | 0x0C
                    | b'\r'
                    | b' '
                    | b'<'
                    | b'>'
                    | b'('
                    | b')'
                    | b'['
                    | b']'
                    | b'"'
            );
        b += 1;
    }
    table
};

/// The first byte of `bytes` that [`MAY_END_URL`] holds for. An address's body is ~60 bytes,
/// read a lookup a byte before; stretches are let through by the bytes the table holds for and
/// the other control bytes.
fn first_may_end_url(bytes: &[u8]) -> Option<usize> {
    let may_end = |x: u8| {
        (x >= 0x80)
            | (x <= b' ')
            | (x == b'<')
            | (x == b'>')
            | (x == b'(')
            | (x == b')')
            | (x == b'[')
            | (x == b']')
            | (x == b'"')
    };
    first_by_stretch(bytes, may_end, |x| MAY_END_URL[x as usize])
}

/// Where the web address whose body starts at `from` ends: the first byte of a character that
/// [`ends_url`], else the end of the text.
fn url_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    while let Some(p) = first_may_end_url(&bytes[i..]) {
        i += p;
        let c = text[i..]
            .chars()
            .next()
            .expect("a byte at or over 0x80 starts a character");
        if ends_url(c) {
            return i;
        }
        i += c.len_utf8();
    }
    text.len()
}

/// The first three letters of `http` and `www` in every ASCII casing: where a web address can
/// start. One search for these skips from one to the next a vector at a time (aho-corasick's
/// Teddy). The scan before stopped at every `:` and `.` of the text (~60 in a release, for ~8
/// addresses) to look back for them; masking 3,000 archive releases took 5.7 ms that way and
/// 5.1 ms this way.
static URL_STARTS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    let casings = |word: &str| {
        (0..1u32 << word.len())
            .map(|bits| {
                word.bytes()
                    .enumerate()
                    .map(|(i, b)| match bits >> i & 1 {
                        1 => b.to_ascii_uppercase(),
                        _ => b,
                    })
                    .collect::<Vec<u8>>()
            })
            .collect::<Vec<_>>()
    };
    let mut starts = casings("htt");
    starts.extend(casings("www"));
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build(starts)
        .expect("eight casings of two three-letter words")
});

/// Byte ranges of web addresses: `http://`, `https://` or `www.` in any ASCII casing, then
/// everything up to white space or a bracket. This is the regex
/// `(?i)(?:https?://|www\.)[^\s<>()\[\]"]+` (leftmost-first), written by hand because that
/// regex was 6% of the engine's instructions on real releases.
fn url_ranges(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let lower_is = |at: usize, word: &[u8]| {
        bytes
            .get(at..at + word.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(word))
    };
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = URL_STARTS.find(Input::new(bytes).span(from..bytes.len())) {
        let start = found.start();
        // The next search starts one byte on, not after the three letters: `wwww.` holds an
        // address from its second `w`.
        from = start + 1;
        let Some(word) = [b"https://".as_slice(), b"http://", b"www."]
            .into_iter()
            .find(|word| lower_is(start, word))
        else {
            continue;
        };
        let body = start + word.len();
        let end = url_end(text, body);
        if end > body {
            out.push((start, end));
            from = end;
        }
    }
    out
}

/// Blanks out web addresses: a slug such as `.../phase-iii-trial-in-cancer` is not text, and
/// its words must not become facts. Spaces replace bytes one for one, so offsets stay valid.
/// Returns the text and the ranges blanked.
fn mask_urls(mut text: String) -> (String, Vec<(usize, usize)>) {
    let ranges = url_ranges(&text);
    for &(s, e) in &ranges {
        // As many spaces as the address has bytes: every other offset stays where it was.
        text.replace_range(s..e, &" ".repeat(e - s));
    }
    (text, ranges)
}

impl NormText {
    pub fn new(orig: &str) -> NormText {
        if is_already_normal(orig) {
            let (text, urls) = mask_urls(orig.to_owned());
            return NormText {
                text,
                map: None,
                marks: Vec::new(),
                urls,
            };
        }
        let mut text = String::with_capacity(orig.len());
        let mut map: Vec<Piece> = Vec::new();
        let piece = |norm: usize, orig: usize, copied: bool| Piece {
            norm: norm as u32,
            orig: orig as u32,
            copied,
        };
        let mut marks = Vec::new();
        let bytes = orig.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let run_end = first_foldable(&bytes[i..]).map_or(bytes.len(), |p| i + p);
            if run_end > i {
                map.push(piece(text.len(), i, true));
                text.push_str(&orig[i..run_end]);
                i = run_end;
                continue;
            }
            let c = orig[i..].chars().next().expect("i is on a char boundary");
            let next = bytes.get(i + 1).copied();
            // Markdown and wire escapes: `\$18 billion`, `\*`, `\-`.
            if c == '\\' && next.is_some_and(|b| b.is_ascii_punctuation()) {
                i += 1;
                continue;
            }
            // Markdown bold markers carry no meaning for extraction.
            if c == '*' && next == Some(b'*') {
                i += 2;
                continue;
            }
            // (R) and (TM) written out after a word: `Cybin(R)`, `Gedeptin(TM)`.
            if c == '(' && i > 0 && bytes[i - 1].is_ascii_alphanumeric() {
                let rest = &bytes[i..];
                let skip = if rest.starts_with(b"(R)") {
                    3
                } else if rest.starts_with(b"(TM)") {
                    4
                } else {
                    0
                };
                if skip > 0 {
                    i += skip;
                    marks.push(text.len());
                    continue;
                }
            }
            match fold_char(c) {
                Fold::Keep => {
                    map.push(piece(text.len(), i, false));
                    text.push(c);
                }
                Fold::Replace(s) => {
                    map.push(piece(text.len(), i, false));
                    text.push_str(s);
                }
                Fold::Drop => {}
                Fold::Mark => marks.push(text.len()),
            }
            i += c.len_utf8();
        }
        let (text, urls) = mask_urls(text);
        NormText {
            text,
            map: Some(map),
            marks,
            urls,
        }
    }

    /// The original byte range of the normalised range `start..end`.
    pub fn orig_span(&self, orig: &str, start: usize, end: usize) -> (usize, usize) {
        match &self.map {
            None => (start, end),
            Some(map) => {
                let orig_at = |pos: usize| {
                    if pos >= self.text.len() {
                        return orig.len();
                    }
                    let p = map[map.partition_point(|p| p.norm as usize <= pos) - 1];
                    let offset = if p.copied { pos - p.norm as usize } else { 0 };
                    p.orig as usize + offset
                };
                let s = orig_at(start);
                if end <= start {
                    return (s, s);
                }
                // The end is the end of the original character behind the last byte.
                let last = orig_at(end - 1);
                let e = orig[last..]
                    .chars()
                    .next()
                    .map_or(orig.len(), |c| last + c.len_utf8());
                (s, e.max(s))
            }
        }
    }

    /// Each blanked web address as written in the original, with where it starts in `text`.
    pub fn urls_in<'a>(&'a self, orig: &'a str) -> impl Iterator<Item = (usize, &'a str)> + 'a {
        self.urls.iter().map(move |&(s, e)| {
            let (os, oe) = self.orig_span(orig, s, e);
            (s, &orig[os..oe])
        })
    }

    /// True when the normalised position `pos` is right after a removed trademark sign.
    pub fn has_mark_at(&self, pos: usize) -> bool {
        self.marks.binary_search(&pos).is_ok()
    }
}

crate::text::pattern::compile_rules!(URL_STARTS);

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written scan finds what the regex it replaces finds (save a long s, `ſ`, which
    /// the regex's Unicode case folding takes for an `s`).
    #[test]
    fn url_ranges_are_the_regex_matches() {
        let re = regex::Regex::new(r#"(?i)(?:https?://|www\.)[^\s<>()\[\]"]+"#).unwrap();
        let texts = crate::text::sample_texts(&[
            "see www.acme.com/news, or HTTPS://Acme.com/a?b=c (ir) and http:// x",
            "wwww.x.org www. http://www.both.com \"http://q.io\" <https://a.b>",
            "x.https://y.z a:b.c https:/no hTtP://é.fr/ü\u{a0}after [www.a]",
            // Every kind of white space ends one, ASCII or not.
            "http://a.b/c\u{2028}d https://x.y/\u{85}z http://q.r/\u{3000}s www.t\u{b}u www.v\u{c}w",
            "http://é\u{1680}x https://ab\u{202f}c http://日本.jp/パス\tz",
            "",
        ]);
        assert!(texts.len() > 30);
        let mut n_urls = 0;
        for t in &texts {
            n_urls += re.find_iter(t).count();
            let want: Vec<(usize, usize)> = re.find_iter(t).map(|m| (m.start(), m.end())).collect();
            assert_eq!(url_ranges(t), want, "{t}");
        }
        assert!(
            n_urls > crate::text::at_least(50, 10),
            "addresses checked: {n_urls}"
        );
    }

    /// The stretch-wise search finds the first byte that may end an address that a byte-by-byte
    /// one finds, wherever it is against the stretches' edges, for every byte value; and control
    /// bytes, which its whole-stretch test lets through, are passed over.
    #[test]
    fn first_may_end_url_is_the_first_byte_the_table_holds_for() {
        let naive = |b: &[u8]| b.iter().position(|&x| MAY_END_URL[x as usize]);
        for len in 0..100 {
            let mut bytes = vec![b'a'; len];
            assert_eq!(first_may_end_url(&bytes), None);
            for at in 0..len {
                for b in 0..=255u8 {
                    bytes[at] = b;
                    assert_eq!(
                        first_may_end_url(&bytes),
                        naive(&bytes),
                        "{len} {at} {b:#x}"
                    );
                }
                bytes[at] = 0x01;
                if len > at + 1 {
                    bytes[len - 1] = b' ';
                    assert_eq!(first_may_end_url(&bytes), Some(len - 1), "{len} {at}");
                    bytes[len - 1] = b'a';
                }
                bytes[at] = b'a';
            }
        }
    }

    /// The block-wise search finds the first foldable byte a byte-by-byte one finds, wherever
    /// it is against the blocks' edges, and none where there is none.
    #[test]
    fn first_foldable_is_the_first_byte_that_may_fold() {
        let may_fold = |b: u8| b >= 0x80 || FOLDABLE_ASCII.contains(&b);
        let naive = |b: &[u8]| b.iter().position(|&x| may_fold(x));
        for len in 0..100 {
            let mut bytes = vec![b'a'; len];
            assert_eq!(first_foldable(&bytes), None);
            for at in 0..len {
                for special in [b'\\', b'*', b'(', 0x80, 0xE2, 0xFF] {
                    bytes[at] = special;
                    assert_eq!(first_foldable(&bytes), Some(at), "{len} {at} {special}");
                    bytes[at] = b'a';
                }
            }
        }
        for b in 0..=255u8 {
            assert_eq!(first_foldable(&[b]), naive(&[b]), "{b:#x}");
        }
        for t in crate::text::sample_texts(&["x"]) {
            for i in (0..t.len()).step_by(7) {
                let rest = &t.as_bytes()[i..];
                assert_eq!(first_foldable(rest), naive(rest));
            }
        }
    }

    #[test]
    fn the_byte_table_ends_a_url_where_ends_url_does() {
        for b in 0..0x80u8 {
            assert_eq!(MAY_END_URL[b as usize], ends_url(b as char), "{b:#x}");
        }
        assert!(MAY_END_URL[0x80..].iter().all(|&may| may));
    }

    fn roundtrip(orig: &str, needle: &str) -> String {
        let n = NormText::new(orig);
        let s = n.text.find(needle).expect("needle in normalised text");
        let (a, b) = n.orig_span(orig, s, s + needle.len());
        orig[a..b].to_string()
    }

    #[test]
    fn ascii_text_is_left_alone() {
        let n = NormText::new("Net loss was $15.9 million.");
        assert_eq!(n.text, "Net loss was $15.9 million.");
        assert!(n.map.is_none());
    }

    #[test]
    fn curly_quotes_dashes_and_spaces_fold_to_ascii() {
        let orig = "\u{201c}CBMG\u{201d} \u{2014} CA\u{2212}18\u{a0}January";
        let n = NormText::new(orig);
        assert_eq!(n.text, "\"CBMG\" - CA-18 January");
        assert_eq!(roundtrip(orig, "CA-18"), "CA\u{2212}18");
        assert_eq!(roundtrip(orig, "\"CBMG\""), "\u{201c}CBMG\u{201d}");
    }

    #[test]
    fn trademarks_are_removed_and_remembered() {
        let orig = "AlloJoin\u{2122} and Rejoin\u{ae} and Cybin(R) therapy";
        let n = NormText::new(orig);
        assert_eq!(n.text, "AlloJoin and Rejoin and Cybin therapy");
        assert!(n.has_mark_at(8));
        assert_eq!(roundtrip(orig, "AlloJoin and"), "AlloJoin\u{2122} and");
        assert_eq!(roundtrip(orig, "Rejoin"), "Rejoin");
    }

    #[test]
    fn escaped_dollar_and_bold_markers_are_dropped() {
        let orig = "the \\$18 billion **Net loss** business";
        let n = NormText::new(orig);
        assert_eq!(n.text, "the $18 billion Net loss business");
        assert_eq!(roundtrip(orig, "$18 billion"), "$18 billion");
    }

    #[test]
    fn urls_are_blanked_without_moving_offsets() {
        let orig = "[Source](https://x.com/phase-iii-trial-in-cancer) and www.acme.com/phase-2. Phase 1 \u{2014} ok";
        let n = NormText::new(orig);
        assert!(!n.text.contains("phase-iii") && !n.text.contains("acme"));
        assert_eq!(roundtrip(orig, "Phase 1 - ok"), "Phase 1 \u{2014} ok");
        assert_eq!(n.text.find("and"), orig.find("and"));
        // An address longer than the stock of spaces, in ASCII text and in folded text.
        let long = format!("https://x.com/{}", "a".repeat(300));
        for orig in [
            format!("see {long} now"),
            format!("see {long} \u{2014} now"),
        ] {
            let n = NormText::new(&orig);
            assert_eq!(n.urls, [(4, 4 + long.len())]);
            assert_eq!(n.text[..4 + long.len() + 1].trim(), "see");
            assert!(n.text.ends_with(" now"));
        }
    }

    #[test]
    fn parenthesised_r_after_space_is_kept() {
        let n = NormText::new("Senator Smith (R) said");
        assert_eq!(n.text, "Senator Smith (R) said");
    }
}
