//! HTML to text with a real parser (html5ever through `scraper`): scripts and styles dropped,
//! block elements become line breaks, entities decoded, table rows kept on one line with their
//! cells separated by ` | `. Offsets in every table refer to the text this produces.

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
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

/// Writes the text of the tree under `root`. The walk is a loop over the tree's open and close
/// edges, not a recursion: a page nested thousands of elements deep cannot overflow the stack,
/// and the time is linear in the number of nodes.
fn walk(root: NodeRef<Node>, w: &mut Writer) {
    // Open `<pre>` elements: text inside any of them keeps its white space.
    let mut pre_depth = 0usize;
    // The cell counter of each open row, the page's own at the bottom.
    let mut cells: Vec<usize> = vec![0];
    // The skipped element being passed over, if any: nothing inside it is written.
    let mut skipping: Option<NodeId> = None;
    // Open `<h1>`s that may give the headline, with where their text starts.
    let mut headlines: Vec<(NodeId, usize)> = Vec::new();
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => w.text(t, pre_depth > 0),
                    Node::Element(e) => {
                        let name = e.name().to_ascii_lowercase();
                        if SKIPPED.contains(&name.as_str()) {
                            skipping = Some(node.id());
                            continue;
                        }
                        match name.as_str() {
                            "br" => w.brk(1),
                            "td" | "th" => {
                                let count = cells.last_mut().expect("the page's counter");
                                if *count > 0 {
                                    w.flush();
                                    w.out.push_str(" | ");
                                }
                                *count += 1;
                            }
                            "tr" => {
                                *cells.last_mut().expect("the page's counter") = 0;
                                cells.push(0);
                            }
                            _ => {}
                        }
                        block_break(w, &name);
                        if name == "li" {
                            w.flush();
                            w.out.push_str("- ");
                        }
                        if name == "pre" {
                            pre_depth += 1;
                        }
                        if name == "h1" && w.headline.is_none() {
                            w.flush();
                            headlines.push((node.id(), w.out.len()));
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                    continue;
                }
                if skipping.is_some() {
                    continue;
                }
                let Node::Element(e) = node.value() else {
                    continue;
                };
                let name = e.name().to_ascii_lowercase();
                if name == "br" {
                    continue;
                }
                if headlines.last().is_some_and(|(id, _)| *id == node.id()) {
                    let (_, start) = headlines.pop().expect("just seen");
                    let end = w.out.trim_end().len();
                    if end > start {
                        w.headline = Some((start, end));
                    }
                }
                match name.as_str() {
                    "pre" => pre_depth = pre_depth.saturating_sub(1),
                    "tr" if cells.len() > 1 => {
                        cells.pop();
                    }
                    _ => {}
                }
                block_break(w, &name);
            }
        }
    }
}

/// The break a block element makes where it opens and where it closes.
fn block_break(w: &mut Writer, name: &str) {
    if PARAGRAPHS.contains(&name) {
        w.brk(2);
    } else if LINES.contains(&name) {
        w.brk(1);
    }
}

/// The readable text of an HTML page, and the byte range of its headline (the first `<h1>`).
pub fn html_to_text(html: &str) -> (String, Option<(usize, usize)>) {
    let doc = Html::parse_document(&super::nesting::cap_block_nesting(html));
    let mut w = Writer {
        out: String::with_capacity(html.len() / 2),
        pending_breaks: 0,
        pending_space: false,
        headline: None,
    };
    walk(doc.tree.root(), &mut w);
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

    /// Twelve thousand nested elements used to overflow the stack of the recursive walk and
    /// kill the process; the text inside still comes out.
    #[test]
    fn deeply_nested_elements_keep_their_text() {
        for tag in ["span", "div", "b"] {
            let n = 12_000;
            let html = format!(
                "<html><body>{}Phase 2 trial of AB-12{}</body></html>",
                format!("<{tag}>").repeat(n),
                format!("</{tag}>").repeat(n)
            );
            let (text, _) = html_to_text(&html);
            assert_eq!(text.trim(), "Phase 2 trial of AB-12", "{tag}");
        }
    }

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
