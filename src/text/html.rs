//! HTML to text with a real parser (html5ever through `scraper`): scripts and styles dropped,
//! block elements become line breaks, entities decoded, table rows kept on one line with their
//! cells separated by ` | `. Offsets in every table refer to the text this produces.

use ego_tree::NodeRef;
use scraper::{Html, Node};

/// Elements whose content is never release text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas",
    "button", "select", "nav",
];

/// Elements that start and end a paragraph (a blank line around them).
const PARAGRAPHS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "figure",
    "hr",
    "dl",
];

/// Elements that start and end a line.
const LINES: &[&str] = &[
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "address",
    "li",
    "tr",
    "dt",
    "dd",
    "caption",
    "figcaption",
    "center",
    "form",
    "fieldset",
    "tbody",
    "thead",
    "tfoot",
    "body",
    "html",
];

struct Writer {
    out: String,
    pending_breaks: usize,
    pending_space: bool,
    /// Where the first `<h1>` landed in `out`: the page's headline.
    headline: Option<(usize, usize)>,
}

impl Writer {
    fn brk(&mut self, n: usize) {
        self.pending_breaks = self.pending_breaks.max(n);
        self.pending_space = false;
    }

    fn text(&mut self, s: &str, preformatted: bool) {
        if preformatted {
            self.flush();
            self.out.push_str(s);
            return;
        }
        for (i, word) in s
            .split(|c: char| c.is_whitespace() && c != '\u{a0}')
            .enumerate()
        {
            if i > 0 {
                self.pending_space = true;
            }
            if word.is_empty() {
                continue;
            }
            self.flush();
            self.out.push_str(word);
        }
        if s.ends_with(|c: char| c.is_whitespace() && c != '\u{a0}') {
            self.pending_space = true;
        }
    }

    fn flush(&mut self) {
        if self.out.is_empty() {
            self.pending_breaks = 0;
            self.pending_space = false;
            return;
        }
        if self.pending_breaks > 0 {
            while self.out.ends_with(' ') {
                self.out.pop();
            }
            for _ in 0..self.pending_breaks {
                self.out.push('\n');
            }
        } else if self.pending_space && !self.out.ends_with([' ', '\n']) {
            self.out.push(' ');
        }
        self.pending_breaks = 0;
        self.pending_space = false;
    }
}

fn walk(node: NodeRef<Node>, w: &mut Writer, preformatted: bool, cell_index: &mut usize) {
    match node.value() {
        Node::Text(t) => w.text(t, preformatted),
        Node::Element(e) => {
            let name = e.name().to_ascii_lowercase();
            if SKIPPED.contains(&name.as_str()) {
                return;
            }
            match name.as_str() {
                "br" => {
                    w.brk(1);
                    return;
                }
                "td" | "th" => {
                    if *cell_index > 0 {
                        w.flush();
                        w.out.push_str(" | ");
                    }
                    *cell_index += 1;
                }
                "tr" => *cell_index = 0,
                _ => {}
            }
            let para = PARAGRAPHS.contains(&name.as_str());
            let line = LINES.contains(&name.as_str());
            if para {
                w.brk(2);
            } else if line {
                w.brk(1);
            }
            if name == "li" {
                w.flush();
                w.out.push_str("- ");
            }
            let pre = preformatted || name == "pre";
            let mut cells = 0;
            let headline_start = (name == "h1" && w.headline.is_none()).then(|| {
                w.flush();
                w.out.len()
            });
            for child in node.children() {
                walk(
                    child,
                    w,
                    pre,
                    if name == "tr" { &mut cells } else { cell_index },
                );
            }
            if let Some(s) = headline_start {
                let e = w.out.trim_end().len();
                if e > s {
                    w.headline = Some((s, e));
                }
            }
            if para {
                w.brk(2);
            } else if line {
                w.brk(1);
            }
        }
        Node::Document | Node::Fragment => {
            for child in node.children() {
                walk(child, w, preformatted, cell_index);
            }
        }
        _ => {}
    }
}

/// The readable text of an HTML page, and the byte range of its headline (the first `<h1>`).
pub fn html_to_text(html: &str) -> (String, Option<(usize, usize)>) {
    let doc = Html::parse_document(html);
    let mut w = Writer {
        out: String::with_capacity(html.len() / 2),
        pending_breaks: 0,
        pending_space: false,
        headline: None,
    };
    let mut cells = 0;
    walk(doc.tree.root(), &mut w, false, &mut cells);
    let mut out = w.out;
    while out.ends_with([' ', '\n']) {
        out.pop();
    }
    out.push('\n');
    (out, w.headline)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_entities_and_dropped_elements() {
        let html = "<html><head><title>x</title><style>p{}</style></head><body><nav>Home | News</nav><script>var a=1;</script><h1>Acme Reports Results</h1><p>BOSTON, March 3, 2024 /PRNewswire/ -- Acme&nbsp;Bio, Inc. (NASDAQ:&#160;ACME) today said net loss was &#36;4.2 million.</p><p>Second&amp;third<br>line</p></body></html>";
        assert_eq!(
            html_to_text(html).0,
            "Acme Reports Results\n\nBOSTON, March 3, 2024 /PRNewswire/ -- Acme\u{a0}Bio, Inc. (NASDAQ:\u{a0}ACME) today said net loss was $4.2 million.\n\nSecond&third\nline\n"
        );
    }

    #[test]
    fn tables_keep_rows_on_lines() {
        let html = "<table><tr><th>Metric</th><th>2024</th></tr><tr><td>Net loss</td><td>$(4,200)</td></tr></table><p>After.</p>";
        assert_eq!(
            html_to_text(html).0,
            "Metric | 2024\nNet loss | $(4,200)\n\nAfter.\n"
        );
    }

    #[test]
    fn the_first_h1_is_the_headline() {
        let (text, headline) =
            html_to_text("<div>Site banner</div><h1>Acme  Reports</h1><p>Body.</p>");
        let (s, e) = headline.unwrap();
        assert_eq!(&text[s..e], "Acme Reports");
    }

    #[test]
    fn lists_and_inline_elements() {
        let html = "<ul><li>First <b>bold</b> item</li><li>Second</li></ul><div>Plain <a href='x'>link</a> text</div>";
        assert_eq!(
            html_to_text(html).0,
            "- First bold item\n- Second\n\nPlain link text\n"
        );
    }
}
