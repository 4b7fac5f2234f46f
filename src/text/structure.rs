//! The parts of a release: its headline, its body, and the sections that headings open ("About
//! Acme Bio", "Forward-Looking Statements", "Media Contact"). Each sentence's part is worked out
//! once, here, for every fact table that asks.

use std::cell::OnceCell;
use std::sync::LazyLock;

use super::rule::Rule;
use super::Sentence;

/// The part of a release a sentence is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The release's first line.
    Headline,
    Body,
    /// A section about an organisation: the issuer's boilerplate or another's.
    About,
    /// The safe-harbour statement.
    ForwardLooking,
    Contacts,
}

impl Section {
    pub fn name(self) -> &'static str {
        match self {
            Section::Headline => "headline",
            Section::Body => "body",
            Section::About => "about",
            Section::ForwardLooking => "forward_looking",
            Section::Contacts => "contacts",
        }
    }
}

/// Each sentence's section and paragraph, and which sentences are rows of a table: each worked
/// out the first time a table asks, for the whole document, and kept for the others.
pub struct Structure<'a> {
    text: &'a str,
    sentences: &'a [Sentence],
    parts: OnceCell<Parts>,
    /// Whether each sentence is a table's row.
    tables: OnceCell<Vec<OnceCell<bool>>>,
}

/// The sections and paragraphs of a document's sentences.
struct Parts {
    sections: Vec<Section>,
    /// The index of each sentence's paragraph: paragraphs are parted by blank lines.
    paragraphs: Vec<u32>,
}

/// The longest heading read: a line longer than this is a sentence of the body.
const MAX_HEADING_CHARS: usize = 100;

/// The last word of a safe-harbour heading ("Forward-Looking Statements", "Safe Harbor").
const SAFE_HARBOUR_LAST_WORDS: [&str; 5] = [
    "statements",
    "statement",
    "information",
    "harbor",
    "harbour",
];

/// Contact headings, in lower case and without a closing colon.
const CONTACT_HEADINGS: [&str; 8] = [
    "contact",
    "contacts",
    "investor contact",
    "investor contacts",
    "media contact",
    "media contacts",
    "investor relations",
    "for more information",
];

/// How longer contact headings start ("Investor and Media Contacts", "Company Contact: ...").
const CONTACT_HEADING_STARTS: [&str; 3] = [
    "investor and media contact",
    "media and investor contact",
    "company contact",
];

/// The longest contact heading read ("Investor and Media Contacts:" and a little more).
const LONGEST_CONTACT_HEADING: usize = 40;

impl<'a> Structure<'a> {
    pub fn new(text: &'a str, sentences: &'a [Sentence]) -> Structure<'a> {
        Structure {
            text,
            sentences,
            parts: OnceCell::new(),
            tables: OnceCell::new(),
        }
    }

    fn parts(&self) -> &Parts {
        self.parts.get_or_init(|| {
            let (text, sentences) = (self.text, self.sentences);
            let first_line_end = {
                let start = text.len() - text.trim_start().len();
                text[start..].find('\n').map_or(text.len(), |i| start + i)
            };
            let mut sections = Vec::with_capacity(sentences.len());
            let mut paragraphs = Vec::with_capacity(sentences.len());
            let mut current = Section::Body;
            let mut paragraph = 0u32;
            let mut last_end = 0;
            for (si, s) in sentences.iter().enumerate() {
                if si > 0 && is_blank_line_between(&text[last_end..s.start]) {
                    paragraph += 1;
                }
                last_end = s.end;
                paragraphs.push(paragraph);
                if let Some(opened) = heading(text, s) {
                    current = opened;
                }
                sections.push(if s.end <= first_line_end {
                    Section::Headline
                } else {
                    current
                });
            }
            Parts {
                sections,
                paragraphs,
            }
        })
    }

    /// The section of sentence `si`; a heading is in the section it opens.
    pub fn section(&self, si: usize) -> Section {
        self.parts()
            .sections
            .get(si)
            .copied()
            .unwrap_or(Section::Body)
    }

    /// The paragraph of sentence `si`, counted from 0; sentences of one paragraph share it.
    pub fn paragraph(&self, si: usize) -> u32 {
        self.parts().paragraphs.get(si).copied().unwrap_or(0)
    }

    /// Whom sentence `si` heads a section about, when it is an "About X" heading: X's range.
    pub fn about_heading(&self, si: usize) -> Option<(usize, usize)> {
        let s = self.sentences.get(si)?;
        let line = &self.text[s.start..s.end];
        let who = about_whom(line)?;
        let start = s.start + (who.as_ptr() as usize - line.as_ptr() as usize);
        Some((start, start + who.len()))
    }

    /// Whether sentence `si` is a row or rows of a table, which pairs numbers with labels by
    /// column as sentences cannot: a flattened row ("2025 2024 Revenue $ - $ 1,637 Operating
    /// expenses 3,904 5,355 ..."), cells parted by `|`, or columns parted by runs of spaces.
    pub fn is_table(&self, si: usize) -> bool {
        let tables = self.tables.get_or_init(|| {
            std::iter::repeat_with(OnceCell::new)
                .take(self.sentences.len())
                .collect()
        });
        *tables[si].get_or_init(|| {
            let s = self.sentences[si];
            looks_like_table(&self.text[s.start..s.end])
        })
    }
}

/// Whether the text between two sentences holds a blank line.
fn is_blank_line_between(gap: &str) -> bool {
    let mut breaks = memchr::memchr_iter(b'\n', gap.as_bytes());
    let Some(mut last) = breaks.next() else {
        return false;
    };
    breaks.any(|next| {
        let blank = gap[last + 1..next].trim().is_empty();
        last = next;
        blank
    })
}

/// The section that sentence `s` opens, if it is a heading. An "About X" heading may run into the text after
/// it when the page lost its line breaks ("About G2  G2 is ..."); the others are a short line of
/// their own, without a full stop.
fn heading(text: &str, s: &Sentence) -> Option<Section> {
    let line = &text[s.start..s.end];
    let markup = |c: char| c == '#' || c == '*' || c == '_' || c.is_ascii_whitespace();
    // Every sentence passes here and most are prose: what rules one out is checked first,
    // and costs a few bytes' look.
    if line.trim_start_matches(markup).starts_with("About") {
        return about_whom(line).map(|_| Section::About);
    }
    let bare = line.trim_matches(markup);
    if line.len() > MAX_HEADING_CHARS * 4 || bare.is_empty() || bare.ends_with(['.', '!', '?']) {
        return None;
    }
    let rest = text[s.end..].trim_start_matches([' ', '\t', '\r']);
    let own_line = rest.is_empty() || rest.starts_with('\n');
    let too_long = bare.len() > MAX_HEADING_CHARS && bare.chars().count() > MAX_HEADING_CHARS;
    if !own_line || too_long || line.contains('\n') {
        return None;
    }
    // Unterminated lines of their own are many (list items, table rows, bylines): the words of
    // a heading are looked for before any copy is made.
    let last_word = bare.trim_end_matches(':').rsplit(' ').next().unwrap_or("");
    let safe_harbour = SAFE_HARBOUR_LAST_WORDS
        .iter()
        .any(|w| last_word.eq_ignore_ascii_case(w));
    if !safe_harbour && bare.len() > LONGEST_CONTACT_HEADING {
        return None;
    }
    let lower = bare.trim_end_matches(':').to_ascii_lowercase();
    if lower.contains("forward-looking statement")
        || lower.contains("forward looking statement")
        || lower.starts_with("safe harbor")
    {
        return Some(Section::ForwardLooking);
    }
    let contact = CONTACT_HEADINGS.contains(&lower.as_str())
        || CONTACT_HEADING_STARTS.iter().any(|h| lower.starts_with(h));
    contact.then_some(Section::Contacts)
}

/// Company forms a name may end with, full stop and all.
const COMPANY_FORMS: [&str; 12] = [
    "Inc.", "Ltd.", "Corp.", "Co.", "LLC.", "plc.", "S.A.", "N.V.", "L.P.", "AG.", "SE.", "B.V.",
];

/// Whether `who` reads as a name rather than the rest of a sentence ("About 40 patients were
/// dosed."): a few words, starting with a capital (after "the"), or with a digit in a word
/// that has letters ("23andMe"), and a full stop only after a company form ("Inc.").
fn is_name(who: &str) -> bool {
    let who = who.trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
    let named = who
        .strip_prefix("the ")
        .or_else(|| who.strip_prefix("The "))
        .unwrap_or(who);
    let first_word = named.split_whitespace().next().unwrap_or("");
    let first_ok = match first_word.chars().next() {
        Some(c) if c.is_ascii_digit() => first_word.chars().any(char::is_alphabetic),
        Some(c) => c.is_uppercase() || c == '"' || c == '\'',
        None => false,
    };
    let last = who.split_whitespace().last().unwrap_or("");
    let stop_ok = !who.ends_with(['.', '!', '?']) || COMPANY_FORMS.contains(&last);
    first_ok && stop_ok && who.split_whitespace().count() <= 10
}

/// Whom an "About X" heading is about: X, when it reads as a name of at most 80 characters.
/// X is the rest of the sentence, or, when the heading runs into the text after it, the part
/// before a colon or a run of spaces ("About REALM: Founded in 2020, ...").
pub fn about_whom(sentence: &str) -> Option<&str> {
    let after = sentence
        .trim_start_matches(|c: char| c == '#' || c == '*' || c.is_whitespace())
        .strip_prefix("About")?;
    let rest = after.trim_start_matches([' ', '\t']);
    if rest.len() == after.len() {
        return None;
    }
    // A name is at most 80 characters: its end is looked for no further than that.
    let window = rest
        .char_indices()
        .nth(82)
        .map_or(rest, |(i, _)| &rest[..i]);
    let cut = [": ", "  ", "\n"]
        .iter()
        .filter_map(|sep| window.find(sep))
        .min()
        .unwrap_or(rest.len());
    let who = rest[..cut].trim_end().trim_end_matches(':');
    (who.chars().count() >= 2 && who.chars().count() <= 80 && is_name(who)).then_some(who)
}

static BARE_NUMBER: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?:^|[\s(])\d[\d,]*(?:\.\d+)?(?:[\s)]|$)")
        .expect("bare number regex")
});

/// False when `sentence` cannot hold six [`BARE_NUMBER`]s: in ASCII text each begins with a
/// digit at the start or after a space or `(`, so fewer such digits settle it without the
/// regex. (In other text `\s` and `\d` take in more than ASCII, and the regex decides.)
fn could_hold_six_bare_numbers(sentence: &str) -> bool {
    if !sentence.is_ascii() {
        return true;
    }
    let bytes = sentence.as_bytes();
    let starts = (0..bytes.len())
        .filter(|&i| {
            bytes[i].is_ascii_digit()
                && (i == 0
                    || matches!(
                        bytes[i - 1],
                        b'(' | b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C
                    ))
        })
        .count();
    starts >= 6
}

/// A text table flattened into a line ("2025 2024 Revenue $ - $ 1,637 Operating expenses
/// 3,904 5,355 ...") pairs numbers with labels by column, which sentences cannot show.
fn looks_like_table(sentence: &str) -> bool {
    could_hold_six_bare_numbers(sentence) && BARE_NUMBER.find_iter(sentence).nth(5).is_some()
        || sentence.matches('|').count() >= 3
        || sentence.contains("   ")
}

crate::text::pattern::compile_rules!(BARE_NUMBER);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::split_sentences;

    fn sections(text: &str) -> Vec<(String, &'static str)> {
        let sentences = split_sentences(text);
        let structure = Structure::new(text, &sentences);
        sentences
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let words: String = text[s.start..s.end].chars().take(18).collect();
                (words, structure.section(i).name())
            })
            .collect()
    }

    /// The digit count that spares the table check its regex never turns a table away.
    #[test]
    fn bare_number_precount_agrees_with_the_regex() {
        let by_regex = |s: &str| BARE_NUMBER.find_iter(s).nth(5).is_some();
        let written = [
            "2025 2024 Revenue $ - $ 1,637 Operating expenses 3,904 5,355 Net loss (2,267) (3,718)",
            "1 2 3 4 5 6",
            "1  2  3  4  5  6",
            "(1) (2) (3) (4) (5) (6)",
            "Revenue 1,637  1,204  Net loss (2,267) (3,718)  Cash 12.5  9.8",
            "1\t2\t3\n4\r5 6",
            "Net loss was $3.2 million in 2024 and $4.1 million in 2023.",
            "12345",
            "a1 b2 c3 d4 e5 f6 g7",
            "1 2 3 4 5 \u{a0}6 7",
            "\u{2003}1\u{2003}2\u{2003}3\u{2003}4\u{2003}5\u{2003}6\u{2003}",
        ];
        let texts = crate::text::sample_texts(&written);
        // The sentences written above as they are; the releases cut into sentences.
        let (own, releases) = texts.split_at(written.len());
        let mut sentences: Vec<String> = own.to_vec();
        for release in releases {
            let norm = crate::text::NormText::new(release);
            for s in crate::text::split_sentences(&norm.text) {
                sentences.push(norm.text[s.start..s.end].to_string());
            }
        }
        let mut tables = 0;
        for s in &sentences {
            if by_regex(s) {
                tables += 1;
                assert!(could_hold_six_bare_numbers(s), "precount misses: {s}");
            }
        }
        // Three of the sentences written above are tables; the test releases add more.
        assert!(tables >= 3, "table-like sentences: {tables}");
        assert!(!could_hold_six_bare_numbers("12345 and 678"));
    }

    #[test]
    fn blank_lines_part_paragraphs_and_tables_are_told_from_prose() {
        let text = "Acme news\n\nAcme grew. It hired.\nIt moved.\n\n  \n| Net loss | (2,267) | (3,718) |\n";
        let sentences = split_sentences(text);
        let structure = Structure::new(text, &sentences);
        let paragraphs: Vec<u32> = (0..sentences.len())
            .map(|i| structure.paragraph(i))
            .collect();
        assert_eq!(paragraphs, [0, 1, 1, 1, 2], "{sentences:?}");
        let tables: Vec<bool> = (0..sentences.len())
            .map(|i| structure.is_table(i))
            .collect();
        assert_eq!(tables, [false, false, false, false, true]);
    }

    #[test]
    fn headings_open_the_sections_of_a_release() {
        let text = "Orbis Bio Reports Second Quarter Results\n\n\
            BOSTON, May 2, 2025 -- Orbis Bio reported results. Revenue rose.\n\n\
            About Orbis Bio\n\n\
            Orbis Bio develops cell therapies. It is based in Boston.\n\n\
            **Forward-Looking Statements**\n\n\
            This release contains forward-looking statements.\n\n\
            Media Contact:\n\
            Jane Roe, jane@orbis.example\n";
        let got = sections(text);
        let kinds: Vec<&str> = got.iter().map(|(_, k)| *k).collect();
        assert_eq!(
            kinds,
            [
                "headline",
                "body",
                "body",
                "about",
                "about",
                "about",
                "forward_looking",
                "forward_looking",
                "contacts",
                "contacts"
            ],
            "{got:?}"
        );
    }

    #[test]
    fn an_about_heading_names_whom_it_is_about() {
        let text = "Acme news\n\nAcme signed a deal.\n\n## About  CCRM \n\nCCRM is a centre.\n";
        let sentences = split_sentences(text);
        let structure = Structure::new(text, &sentences);
        let heads: Vec<&str> = (0..sentences.len())
            .filter_map(|i| structure.about_heading(i))
            .map(|(s, e)| &text[s..e])
            .collect();
        assert_eq!(heads, ["CCRM"]);
        for (line, who) in [
            (
                "About Cellular Biomedicine Group, Inc.",
                "Cellular Biomedicine Group, Inc.",
            ),
            ("**About 23andMe**", "23andMe**"),
            ("About Haiyun Co., Ltd.", "Haiyun Co., Ltd."),
        ] {
            let text = format!("News\n\n{line}\n\nText here.\n");
            let sentences = split_sentences(&text);
            let structure = Structure::new(&text, &sentences);
            let got = (0..sentences.len()).find_map(|i| structure.about_heading(i));
            assert_eq!(got.map(|(s, e)| &text[s..e]), Some(who), "{line}");
        }
    }

    #[test]
    fn sentences_of_the_body_are_no_headings() {
        for text in [
            "Acme news\n\nAbout 40 patients were dosed in the trial of AB-1 last year and more.\n",
            "Acme news\n\nWe thank our investor relations team for its work this year.\n",
            "Acme news\n\nContacts between the two firms began in 2019 and continued.\n",
        ] {
            let got = sections(text);
            assert!(got.iter().skip(1).all(|(_, k)| *k == "body"), "{got:?}");
        }
    }

    #[test]
    fn about_headings_name_whom_they_are_about() {
        for (sentence, who) in [
            ("About CCRM", Some("CCRM")),
            ("## **About Acme Bio**", Some("Acme Bio**")),
            (
                "About the American Heart Association",
                Some("the American Heart Association"),
            ),
            (
                "About G2  G2 is the largest software marketplace.",
                Some("G2"),
            ),
            (
                "About REALM: Founded in 2020, REALM is a membership.",
                Some("REALM"),
            ),
            ("About Orbis Bio, Inc.", Some("Orbis Bio, Inc.")),
            ("About 23andMe", Some("23andMe")),
            ("About 70% is in Data Center Alley.", None),
            ("About 745,000 people receive reduced benefits.", None),
            ("About forty patients were dosed last year.", None),
            (
                "About the time the trial began, enrolment slowed down.",
                None,
            ),
            ("Aboutness", None),
            ("About X", None),
        ] {
            assert_eq!(about_whom(sentence), who, "{sentence:?}");
        }
    }
}
