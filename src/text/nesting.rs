//! Caps how deeply an HTML page nests block elements before it is parsed. The HTML parser
//! checks the open elements for a `<p>` to close at every block start tag (`div`, `section`,
//! `ul`, ...), so its time grows with the square of the nesting depth: 20,000 nested `div`s
//! took over a second, a megabyte of them minutes. Start tags past [`MAX_BLOCK_NESTING`] open
//! block elements are dropped with their end tags; the text between them stays, so the page
//! reads the same, only less nested. No real page comes near the cap.

use std::borrow::Cow;

/// More open block elements than any real page has (releases nest a few dozen).
pub const MAX_BLOCK_NESTING: usize = 1_000;

/// The block elements whose start tag makes the parser look through every open element. Only
/// those whose end tag may not be left out are counted: an unclosed `<p>` or `<li>` is closed
/// by the next one and never nests.
const SCOPE_CHECKED: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "search",
    "section",
    "summary",
    "ul",
];

/// Elements whose content is raw text: a `<` inside them opens no tag.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// `html` with the start tags of block elements nested deeper than [`MAX_BLOCK_NESTING`] and
/// their end tags left out; `html` itself when it nests no deeper (every real page).
pub fn cap_block_nesting(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    let mut dropped_open = 0usize;
    // Byte ranges of tags to leave out, in order.
    let mut drop: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while let Some(i) = memchr::memchr(b'<', &bytes[at..]).map(|i| at + i) {
        let Some(tag) = read_tag(html, i) else {
            at = i + 1;
            continue;
        };
        at = tag.end;
        if let Some(raw) = RAW_TEXT.iter().find(|r| tag.name.eq_ignore_ascii_case(r)) {
            if !tag.closing {
                at = end_of_raw_text(bytes, at, raw);
            }
            continue;
        }
        if tag.self_closing
            || !SCOPE_CHECKED
                .iter()
                .any(|s| tag.name.eq_ignore_ascii_case(s))
        {
            continue;
        }
        if !tag.closing {
            if depth >= MAX_BLOCK_NESTING {
                drop.push((i, tag.end));
                dropped_open += 1;
            } else {
                depth += 1;
            }
        } else if dropped_open > 0 {
            drop.push((i, tag.end));
            dropped_open -= 1;
        } else {
            depth = depth.saturating_sub(1);
        }
    }
    if drop.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for (s, e) in drop {
        out.push_str(&html[from..s]);
        from = e;
    }
    out.push_str(&html[from..]);
    Cow::Owned(out)
}

struct Tag<'a> {
    name: &'a str,
    closing: bool,
    self_closing: bool,
    /// The byte after its `>`.
    end: usize,
}

/// The tag that starts at `<` at `i`: a letter after `<` or `</`, up to the next `>`.
fn read_tag(html: &str, i: usize) -> Option<Tag<'_>> {
    let bytes = html.as_bytes();
    let closing = bytes.get(i + 1) == Some(&b'/');
    let name_start = i + 1 + usize::from(closing);
    if !bytes.get(name_start)?.is_ascii_alphabetic() {
        return None;
    }
    let name_len = bytes[name_start..]
        .iter()
        .position(|b| !b.is_ascii_alphanumeric() && *b != b'-')
        .unwrap_or(bytes.len() - name_start);
    let close = name_start + memchr::memchr(b'>', &bytes[name_start..])?;
    Some(Tag {
        name: &html[name_start..name_start + name_len],
        closing,
        self_closing: bytes[close - 1] == b'/',
        end: close + 1,
    })
}

/// Where the raw text of a `<name>` element that opened before `from` ends: after its
/// `</name`, or at the end of the page.
fn end_of_raw_text(bytes: &[u8], from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(i) = memchr::memmem::find(&bytes[at..], b"</").map(|i| at + i) {
        let after = i + 2;
        if bytes.len() >= after + name.len()
            && bytes[after..after + name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            return after + name.len();
        }
        at = after;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_real_page_is_left_as_it_is() {
        let page = "<html><body><div class=x><section><p>Phase 2 <b>trial</b><br/>\
                    <script>if (a<b) { x = '</div>'; }</script></section></div></body></html>";
        assert!(matches!(cap_block_nesting(page), Cow::Borrowed(_)));
    }

    #[test]
    fn nesting_past_the_cap_loses_its_tags_not_its_text() {
        let n = MAX_BLOCK_NESTING + 500;
        let page = format!("{}Phase 2 trial{}", "<div>".repeat(n), "</div>".repeat(n));
        let capped = cap_block_nesting(&page);
        let want = format!(
            "{}Phase 2 trial{}",
            "<div>".repeat(MAX_BLOCK_NESTING),
            "</div>".repeat(MAX_BLOCK_NESTING)
        );
        assert_eq!(capped, want);
    }

    #[test]
    fn unclosed_paragraphs_and_items_do_not_count() {
        let page = "<p>one".repeat(5_000) + &"<li>item".repeat(5_000);
        assert!(matches!(cap_block_nesting(&page), Cow::Borrowed(_)));
    }

    #[test]
    fn tags_inside_raw_text_do_not_count() {
        let inside = "<div>".repeat(MAX_BLOCK_NESTING + 10);
        let page = format!("<script>{inside}</script><style>{inside}</STYLE><p>x</p>");
        assert!(matches!(cap_block_nesting(&page), Cow::Borrowed(_)));
    }
}
