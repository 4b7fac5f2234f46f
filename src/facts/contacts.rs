//! The `contacts` table: the people a release names for media or investor questions.
//!
//! A contact block starts at a heading ("Contact:", "Media Contacts:", "Investor Relations")
//! and is cut into one record per e-mail address (or per phone number when there are none).
//! The person is found from the address itself (`sarah.kelly@` -> "Sarah Kelly") or as a line
//! that reads like a name; what stands before the name is the organisation, after it the title.

use std::ops::Range;
use std::sync::LazyLock;

use crate::text::rule::Rule;

use super::{DocContext, Located};
use crate::mentions::dictionary::{Hit, WordList};

use crate::tables::columns::Column;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactFact {
    pub name: Option<String>,
    pub title: Option<String>,
    pub organization: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

static HEADING: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?im)^[#*\s]*(?:(?:media|investor|press|company|corporate)\s+(?:and\s+(?:media|investor)\s+)?)?(?:relations\s+)?(?:contacts?|inquiries|enquiries)\s*(?:information)?\s*:?[*\s]*$|^[#*\s]*(?:media|investor)\s+relations\s*:?\s*$|^[#*\s]*(?:media|investor|press)\s+contacts?\s*:")
        .expect("contact heading regex")
});

/// Words every contact heading holds one of, for the engine's one word scan: a release with none
/// of them has no contact block, and the heading regex need not run through it.
pub fn heading_word_list() -> &'static WordList {
    static LIST: LazyLock<WordList> =
        LazyLock::new(|| WordList::of(&["contact", "inquiries", "enquiries", "relations"], false));
    &LIST
}

/// The stretches of `text` that can hold a heading: around each heading word, the run of
/// bytes a heading is made of (letters, white space, `#`, `*`, `:` and, to be safe, any byte of a
/// non-ASCII character), with overlapping runs joined.
///
/// Every heading holds a heading word and is made of those bytes only, so it lies inside the
/// stretch around its word, and the stretches hold nothing else the regex could match: searching
/// them in order finds exactly the headings a search of the whole text does. The regex starts
/// with `^[#*\s]*`, which gives its search no literal to skip to; searched over whole releases it
/// was 3% of the engine's time.
fn heading_stretches(text: &str, heading_words: &[Hit]) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let in_heading = |b: u8| {
        b.is_ascii_alphabetic() || b.is_ascii_whitespace() || b >= 0x80 || b"#*:".contains(&b)
    };
    let mut words: Vec<(usize, usize)> = heading_words.iter().map(|h| (h.start, h.end)).collect();
    words.sort_unstable();
    let mut out: Vec<Range<usize>> = Vec::new();
    for (start, end) in words {
        if out.last().is_some_and(|last| start < last.end) {
            continue;
        }
        let floor = out.last().map_or(0, |last| last.end);
        let mut from = start;
        while from > floor && in_heading(bytes[from - 1]) {
            from -= 1;
        }
        let mut to = end;
        while to < bytes.len() && in_heading(bytes[to]) {
            to += 1;
        }
        match out.last_mut() {
            Some(last) if from == last.end => last.end = to,
            _ => out.push(from..to),
        }
    }
    out
}

static EMAIL: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
        .expect("email regex")
});

static PHONE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\d{2,4}[\s.-])\d{3,4}[\s.-]?\d{3,5}|\+\d{1,3}\s?\d{8,12}").expect("phone regex")
});

static LABEL: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?-u:\b)(?:phone|tel|telephone|mobile|cell|office|direct|email|e-mail|t|m|e)\s*[.:]\s*").expect("label regex")
});

static PERSON_LINE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"^(?:(?:Dr|Mr|Ms|Mrs)\.\s+)?[A-Z][a-z]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-zA-Z'-]+){1,2}$",
    )
    .expect("person line regex")
});

static DEPARTMENT: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)^(?:investor|media|public|press)\s+(?:relations|contacts?|inquiries)$|^(?:investors|media|press)$").expect("department regex")
});

/// Where a contact block ends: the next section of boilerplate.
static BLOCK_END: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?im)^[#*\s]*(?:about\s|forward[- ]looking|safe\s+harbor|source:|###|disclaimer|cautionary)").expect("block end regex")
});

fn title_case_from_email(local: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = local
        .split(['.', '_', '-'])
        .filter(|p| p.len() >= 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
        .collect();
    (parts.len() >= 2).then(|| parts.iter().map(|p| p.to_ascii_lowercase()).collect())
}

/// Finds the person name of a record: first from the e-mail address, then a name-like line.
fn find_name(record: &str, email: Option<&str>) -> Option<(usize, usize)> {
    if let Some(parts) = email
        .and_then(|e| e.split('@').next())
        .and_then(title_case_from_email)
    {
        let lower = record.to_ascii_lowercase();
        let first = &parts[0];
        let last = parts.last().expect("two parts");
        let mut from = 0;
        while let Some(i) = lower[from..].find(first.as_str()) {
            let s = from + i;
            if let Some(j) = lower[s..].find(last.as_str()) {
                let e = s + j + last.len();
                if j <= first.len() + 20
                    && (s == 0 || !record.as_bytes()[s - 1].is_ascii_alphanumeric())
                {
                    return Some((s, e));
                }
            }
            from = s + first.len();
        }
    }
    let mut offset = 0;
    for line in record.split('\n') {
        let t = line.trim();
        if PERSON_LINE.is_match(t) {
            let s = offset + line.find(t).unwrap_or(0);
            return Some((s, s + t.len()));
        }
        offset += line.len() + 1;
    }
    None
}

/// Replaces `ranges` of `text` by as many spaces, so every other offset stays where it was.
fn blank_out(text: &mut String, ranges: Vec<std::ops::Range<usize>>) {
    for range in ranges {
        text.replace_range(range.clone(), &" ".repeat(range.len()));
    }
}

fn clean(s: &str) -> Option<String> {
    let s = LABEL.replace_all(s, " ");
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = s
        .trim_matches(|c: char| c == ',' || c == '|' || c == '-' || c == ':' || c.is_whitespace())
        .to_string();
    (!s.is_empty() && s.len() <= 120).then_some(s)
}

/// Contacts in one document; `sentence_at` maps a position to its sentence.
///
/// `heading_words` are the places [`heading_word_list`]'s words occur in `text`, as the engine's
/// word scan found them; the heading regex searches only the stretches around them.
pub fn extract_contacts(
    text: &str,
    heading_words: &[Hit],
    sentence_at: &dyn Fn(usize) -> Option<usize>,
    company: Option<&str>,
    ticker: Option<&str>,
) -> Vec<Located<ContactFact>> {
    let mut out = Vec::new();
    let mut covered_until = 0;
    let headings = heading_stretches(text, heading_words)
        .into_iter()
        .flat_map(|stretch| HEADING.find_iter_in(text, stretch));
    for heading in headings {
        // "Contact:" then "Investor Relations" a line below is one block, not two.
        if heading.start() < covered_until {
            continue;
        }
        let start = heading.end();
        let end = BLOCK_END
            .find(&text[start..])
            .map_or(text.len(), |m| start + m.start());
        let end = end.min(crate::text::floor_boundary(text, start + 2000));
        let block = &text[start..end];
        covered_until = end;
        let anchors: Vec<(usize, usize)> = {
            let emails: Vec<_> = EMAIL
                .find_iter(block)
                .map(|m| (m.start(), m.end()))
                .collect();
            if emails.is_empty() {
                PHONE
                    .find_iter(block)
                    .map(|m| (m.start(), m.end()))
                    .collect()
            } else {
                emails
            }
        };
        let mut record_start = 0;
        for (i, &(a_start, a_end)) in anchors.iter().enumerate() {
            // A record runs to its anchor, plus a phone written after the e-mail on its line.
            let line_end = block[a_end..].find('\n').map_or(block.len(), |j| a_end + j);
            let next_start = anchors.get(i + 1).map_or(block.len(), |n| n.0);
            let record_end = line_end.min(next_start);
            let record = &block[record_start..record_end];
            let email = EMAIL.find(record).map(|m| m.as_str().to_string());
            let phone = PHONE.find(record).map(|m| m.as_str().trim().to_string());
            let mut fact = ContactFact {
                email,
                phone,
                ..Default::default()
            };
            // What is left once phones and e-mails are gone: organisation, name, title.
            let mut residue = record.to_string();
            let found = EMAIL.find_iter(record).chain(PHONE.find_iter(record));
            blank_out(&mut residue, found.map(|m| m.range()).collect());
            let labels = LABEL.find_iter(&residue).map(|m| m.range()).collect();
            blank_out(&mut residue, labels);
            match find_name(&residue, fact.email.as_deref()) {
                Some((ns, ne)) => {
                    fact.name = clean(&residue[ns..ne]);
                    fact.organization = clean(&residue[..ns]);
                    fact.title = clean(&residue[ne..]);
                }
                None => fact.organization = clean(&residue),
            }
            // "Investor Relations" above a name is a department: the person's title.
            if fact
                .organization
                .as_deref()
                .is_some_and(|o| DEPARTMENT.is_match(o))
                && fact.title.is_none()
            {
                fact.title = fact.organization.take();
            }
            // "Director of Corporate Communications, CBMG": the issuer after a comma.
            if let Some(title) = fact.title.clone() {
                if let Some((t, org)) = title.rsplit_once(", ") {
                    let org_is_issuer = Some(org) == ticker
                        || Some(org) == company
                        || org.chars().all(|c| c.is_ascii_uppercase());
                    if org_is_issuer && fact.organization.is_none() {
                        fact.title = Some(t.to_string());
                        fact.organization = Some(org.to_string());
                    }
                }
            }
            record_start = record_end;
            if fact.name.is_none() && fact.email.is_none() {
                continue;
            }
            let anchor_pos = start + a_start;
            let Some(sentence) = sentence_at(anchor_pos) else {
                continue;
            };
            out.push(Located {
                start: anchor_pos,
                end: start + a_end,
                sentence,
                rule: "contact_block",
                fact,
            });
        }
    }
    out
}

crate::text::pattern::compile_rules!(
    HEADING,
    EMAIL,
    PHONE,
    LABEL,
    PERSON_LINE,
    DEPARTMENT,
    BLOCK_END,
);

impl crate::facts::table::FactTable for ContactFact {
    const NAME: &'static str = "contacts";

    fn columns() -> Vec<Column<Self>> {
        vec![
            Column::text_or_null("name", |f| f.name.as_deref()),
            Column::text_or_null("title", |f| f.title.as_deref()),
            Column::text_or_null("organization", |f| f.organization.as_deref()),
            Column::text_or_null("phone", |f| f.phone.as_deref()),
            Column::text_or_null("email", |f| f.email.as_deref()),
        ]
    }

    fn extract(doc: &DocContext) -> Vec<Located<Self>> {
        extract_contacts(
            doc.text,
            doc.contact_heading_words,
            &|pos| doc.sentence_at(pos),
            doc.company,
            doc.ticker,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mentions::dictionary::Dictionary;

    /// The engine skips releases without a heading word; every heading the regex finds in the
    /// sample releases holds one.
    #[test]
    fn every_heading_holds_a_heading_word() {
        let mut n_headings = 0;
        for t in crate::text::sample_texts(&["MEDIA CONTACT:\nJo Li\n\nInvestor Relations\n"]) {
            for m in HEADING.find_iter(&t) {
                n_headings += 1;
                let heading = m.as_str().to_ascii_lowercase();
                assert!(
                    heading_word_list()
                        .patterns
                        .iter()
                        .any(|w| heading.contains(w.as_str())),
                    "{heading}"
                );
            }
        }
        assert!(
            n_headings > crate::text::at_least(30, 5),
            "headings checked: {n_headings}"
        );
    }

    /// Where the heading words occur in `text`, as the engine's word scan reports them.
    fn heading_words(text: &str) -> Vec<Hit> {
        static OWN: LazyLock<Dictionary> =
            LazyLock::new(|| Dictionary::new(&[heading_word_list()]).unwrap());
        OWN.scan(text).all(0).to_vec()
    }

    /// Searching the stretches around heading words finds every heading a search of the whole
    /// text finds, in the same order, on every sample release and on headings written to sit
    /// at the stretches' edges (text start and end, blank lines, `#` and `*` around them).
    #[test]
    fn stretches_hold_every_heading() {
        let edges = [
            "Contact:",
            "\n\n## Media and Investor Relations Contacts:\n\nJo Li\n",
            "Text.\n  **Investor Relations**  \n\n\nPRESS CONTACT: Jo Li\nEnd. Contact information",
            "12 contacts\nInquiries\n3 Relations",
        ];
        let mut n_headings = 0;
        for t in crate::text::sample_texts(&edges) {
            let whole: Vec<(usize, usize)> = HEADING
                .find_iter(&t)
                .map(|m| (m.start(), m.end()))
                .collect();
            let stretched: Vec<(usize, usize)> = heading_stretches(&t, &heading_words(&t))
                .into_iter()
                .flat_map(|s| HEADING.find_iter_in(&t, s))
                .map(|m| (m.start(), m.end()))
                .collect();
            assert_eq!(stretched, whole, "{t:?}");
            n_headings += whole.len();
        }
        assert!(
            n_headings > crate::text::at_least(30, 5),
            "headings checked: {n_headings}"
        );
    }

    fn contacts(text: &str) -> Vec<ContactFact> {
        extract_contacts(
            text,
            &heading_words(text),
            &|_| Some(0),
            Some("Cellular Biomedicine Group"),
            Some("CBMG"),
        )
        .into_iter()
        .map(|c| c.fact)
        .collect()
    }

    #[test]
    fn one_person_on_lines() {
        let got = contacts("Text.\n\nContact:\nSarah Kelly \nDirector of Corporate Communications, CBMG\n+1 408-973-7884\nsarah.kelly@cellbiomedgroup.com\n\nAds");
        assert_eq!(
            got,
            vec![ContactFact {
                name: Some("Sarah Kelly".into()),
                title: Some("Director of Corporate Communications".into()),
                organization: Some("CBMG".into()),
                phone: Some("+1 408-973-7884".into()),
                email: Some("sarah.kelly@cellbiomedgroup.com".into()),
            }]
        );
    }

    #[test]
    fn several_people_with_organisations() {
        let t = "Media Contacts:\n\nCellular Biomedicine Group (CBMG) Sarah Kelly Director of Corporate Communications\n\nPhone: +1 408 973 7884\n\nEmail: sarah.kelly@cellbiomedgroup.com\n\nGE Healthcare Life Sciences Rachel Eides Communications\n\nPhone: +1 281 409 1031 Email: rachel.eides@ge.com\n\nGE Healthcare China\n\nRene Xu\n\nCommunications\n\nPhone: +86 18101877292 Email: rene.xu@ge.com\n\nCCRM\n\nStacey Johnson\n\nDirector, Communications and Marketing\n\nPhone: 416-946-8869\n\nEmail: stacey.johnson@ccrm.ca";
        let got = contacts(t);
        let summary: Vec<_> = got
            .iter()
            .map(|c| {
                (
                    c.name.clone().unwrap(),
                    c.organization.clone(),
                    c.title.clone(),
                    c.phone.clone(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    "Sarah Kelly".into(),
                    Some("Cellular Biomedicine Group (CBMG)".into()),
                    Some("Director of Corporate Communications".into()),
                    Some("+1 408 973 7884".into())
                ),
                (
                    "Rachel Eides".into(),
                    Some("GE Healthcare Life Sciences".into()),
                    Some("Communications".into()),
                    Some("+1 281 409 1031".into())
                ),
                (
                    "Rene Xu".into(),
                    Some("GE Healthcare China".into()),
                    Some("Communications".into()),
                    Some("+86 18101877292".into())
                ),
                (
                    "Stacey Johnson".into(),
                    Some("CCRM".into()),
                    Some("Director, Communications and Marketing".into()),
                    Some("416-946-8869".into())
                ),
            ]
        );
    }

    #[test]
    fn generic_mailbox_and_investor_heading() {
        let got = contacts("Investor Relations:\nAcme Bio, Inc.\nir@acmebio.com\n(617) 555-0134\n");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].email.as_deref(), Some("ir@acmebio.com"));
        assert_eq!(got[0].organization.as_deref(), Some("Acme Bio, Inc."));
    }
}
