//! The `events` table: conference presentations and company events.
//!
//! Three shapes occur in releases: key-value abstract blocks ("Abstract Title: ...", "Type:
//! Oral", "Date: Saturday, December 5, 2020", "Online only: ..."); listings under a heading
//! ("SITC 34th Annual Meeting Poster Presentation" then "<title> (Abstract ID: P229) Friday,
//! November 8, 2019" then a venue line); and sentences ("will present a poster at the 2025
//! ASCO Annual Meeting on June 1", "the Grand Opening ceremony ... will be held on November 4,
//! 2017 at "Pharma Valley""). A conference the text does not name stays null.

use std::sync::LazyLock;

use crate::text::rule::Rule;
use chrono::NaiveDate;

use super::triggers::Trigger;
use super::{DocContext, Located};
use crate::mentions::conferences::ConferenceMention;

use crate::tables::columns::Column;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EventFact {
    pub conference: Option<String>,
    pub conference_name: Option<String>,
    pub edition: Option<i64>,
    pub title: Option<String>,
    pub presentation: Option<String>,
    pub product: Option<String>,
    pub event_date: Option<NaiveDate>,
    pub venue: Option<String>,
    pub abstract_id: Option<String>,
}

static KEY_LINE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)^\s*(?P<key>abstract\s+title|title|type|presentation\s+type|format|date|date\s*/\s*time|time|session|location|venue|presenter|online\s+only|abstract\s+online|publication\s+only|abstract\s+number|abstract\s+#|poster\s+number|program)\s*:\s*(?P<value>.*)$").expect("key line regex")
});

static ID_LINE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::scanning_regex(r"(?i)\((?:abstract|submission|poster|presentation)\s*(?:id|#|number|no\.?)\s*:?\s*(?P<id>[A-Z0-9-]+)\)").expect("id regex")
});

/// Whether `line` has a bracket opening with what [`ID_LINE`] needs there (`(abstract`,
/// `(poster`, `(submission`, `(presentation`): most lines with a bracket have none of them,
/// and looking is cheaper than the rule's search. A non-ASCII character after the bracket is
/// let through: under `(?i)` the long s (`ſ`) is an `s`.
fn opens_id(line: &str) -> bool {
    let bytes = line.as_bytes();
    memchr::memchr_iter(b'(', bytes).any(|i| {
        bytes
            .get(i + 1)
            .is_some_and(|&b| !b.is_ascii() || matches!(b.to_ascii_lowercase(), b'a' | b'p' | b's'))
    })
}

/// Whether `line` may be the key line of a title, which opens a block: it starts with `title`
/// or `abstract title` (looked for as `ab`, which has no other case under `(?i)` where `s`
/// has) and has a colon. Most lines with a colon are no title, and looking is cheaper than
/// [`KEY_LINE`]'s search.
fn may_open_block(line: &str) -> bool {
    crate::text::next_word_is(line, &["title", "ab"])
        && memchr::memchr(b':', line.as_bytes()).is_some()
}

static VENUE_LINE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?:cent(?:er|re)|hotel|convention|hall|auditorium|resort|campus|pavilion|arena|marriott|hilton|hyatt|sheraton|westin)|,\s*[A-Z]{2}$").expect("venue regex")
});

static PRESENTATION_KIND: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?-u:\b)(?P<k>oral|poster|online|e-poster|fireside\s+chat|panel|keynote|webcast|presentation|present(?:s|ed|ing)?)(?-u:\b)").expect("presentation regex")
});

pub(crate) const COMPANY_EVENT_PATTERN: &str = r"(?i)(?-u:\b)(?P<e>grand\s+opening(?:\s+ceremony)?|opening\s+ceremony|ribbon[- ]cutting(?:\s+ceremony)?|investor\s+day|r&d\s+day|kol\s+(?:event|webinar)|conference\s+call|annual\s+(?:general\s+)?meeting\s+of\s+(?:stock|share)holders|investor\s+webinar)(?-u:\b)";

pub(crate) static COMPANY_EVENT: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(COMPANY_EVENT_PATTERN).expect("company event regex")
});

static AT_VENUE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r#"(?-u:\b)(?:at|in)\s+(?:the\s+)?(?P<v>"[^"]{2,60}"(?:\s+in\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,5})?|[A-Z][\w'.-]*(?:,?\s+[A-Z][\w'.-]*){0,5})"#).expect("venue regex")
});

static TITLED: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r#"(?i)(?-u:\b)(?:titled|entitled)\s*:?\s*"(?P<t>[^"]{5,250})""#)
        .expect("titled regex")
});

fn presentation_of(text: &str) -> Option<String> {
    let k = PRESENTATION_KIND.captures(text)?["k"].to_ascii_lowercase();
    Some(
        match k.as_str() {
            "oral" => "oral",
            "poster" | "e-poster" => "poster",
            "online" => "online",
            "webcast" => "webcast",
            "panel" => "panel",
            "keynote" => "keynote",
            k if k.starts_with("fireside") => "fireside chat",
            _ => "presentation",
        }
        .to_string(),
    )
}

fn with_conference(fact: &mut EventFact, c: Option<&ConferenceMention>) {
    if let Some(c) = c {
        fact.conference = Some(c.acronym.clone());
        fact.conference_name = Some(c.name.clone());
        fact.edition = c.edition;
    }
}

/// The conference mentions inside `start..end` (`conferences` in text order, as found).
fn conferences_within(
    conferences: &[ConferenceMention],
    start: usize,
    end: usize,
) -> impl Iterator<Item = &ConferenceMention> {
    let from = conferences.partition_point(|c| c.start < start);
    conferences[from..]
        .iter()
        .take_while(move |c| c.start < end)
        .filter(move |c| c.end <= end)
}

/// Events in one document.
pub fn extract_events(ctx: &DocContext) -> Vec<Located<EventFact>> {
    let text = ctx.text;
    let conferences = ctx.conferences;
    // Conference mentions are in text order and never overlap, so their ends are in order too.
    let conference_before = |pos: usize| {
        let n = conferences.partition_point(|c| c.end <= pos);
        n.checked_sub(1).map(|i| &conferences[i])
    };
    let sentence_at = |pos: usize| ctx.sentence_at(pos);
    let all_lines = ctx.lines;
    let mut out: Vec<Located<EventFact>> = Vec::new();
    let mut used_lines = vec![false; all_lines.len()];

    // 1. Key-value abstract blocks, each starting at a title line.
    // A key line needs its colon; most lines have none, and the regex is not cheap.
    let key_line = |s: usize, e: usize| {
        memchr::memchr(b':', &text.as_bytes()[s..e]).and_then(|_| KEY_LINE.captures(&text[s..e]))
    };
    let mut i = 0;
    while i < all_lines.len() {
        let (ls, le) = all_lines[i];
        let line = &text[ls..le];
        let Some(c) = may_open_block(line)
            .then(|| KEY_LINE.captures(line))
            .flatten()
        else {
            i += 1;
            continue;
        };
        if !c["key"].to_ascii_lowercase().contains("title") {
            i += 1;
            continue;
        }
        let title_value = c.name("value").expect("value");
        let mut fact = EventFact {
            title: Some(title_value.as_str().trim().to_string()),
            ..Default::default()
        };
        let (title_start, title_end) = (ls + title_value.start(), ls + title_value.end());
        // A short line just before the block names its product ("C-CAR088").
        let header_product = (i > 0)
            .then(|| all_lines[i - 1])
            .filter(|&(hs, he)| he - hs <= 40)
            .and_then(|(hs, he)| ctx.products_in(hs, he).first());
        fact.product = header_product
            .or_else(|| ctx.products_in(title_start, title_end).first())
            .map(|p| p.name.clone());
        with_conference(&mut fact, conference_before(ls));
        used_lines[i] = true;
        let mut j = i + 1;
        while j < all_lines.len() {
            let (s, e) = all_lines[j];
            let Some(kv) = key_line(s, e) else {
                break;
            };
            let key = kv["key"].to_ascii_lowercase();
            if key.contains("title") {
                break;
            }
            let value = kv["value"].trim();
            match key.as_str() {
                "type" | "presentation type" | "format" => {
                    fact.presentation = presentation_of(value)
                }
                k if k.starts_with("date") => {
                    fact.event_date = ctx.mentions.first_date_in(s, e).map(|d| d.date)
                }
                "online only" | "abstract online" | "publication only" => {
                    fact.presentation = fact.presentation.take().or(Some("online".into()));
                }
                "location" | "venue" => fact.venue = Some(value.to_string()),
                k if k.starts_with("abstract") || k.starts_with("poster") => {
                    fact.abstract_id = Some(value.to_string())
                }
                _ => {}
            }
            used_lines[j] = true;
            j += 1;
        }
        if let Some(sentence) = sentence_at(title_start) {
            out.push(Located {
                start: title_start,
                end: title_end,
                sentence,
                rule: "abstract_block",
                fact,
            });
        }
        i = j;
    }

    // 2. Listings with an abstract id under a heading that names the conference and the kind.
    let mut heading: Option<(usize, bool)> = None; // (line index, applies to one item only)
    let mut items_under_heading = 0;
    for (li, &(ls, le)) in all_lines.iter().enumerate() {
        if used_lines[li] {
            continue;
        }
        let line = &text[ls..le];
        let has_conf = conferences_within(conferences, ls, le).next().is_some();
        if has_conf && line.len() < 200 && line.to_ascii_lowercase().contains("presentation") {
            let single = !line.to_ascii_lowercase().contains("presentations");
            heading = Some((li, single));
            items_under_heading = 0;
            continue;
        }
        let Some(id) = opens_id(line).then(|| ID_LINE.captures(line)).flatten() else {
            continue;
        };
        let id_match = id.get(0).expect("group 0");
        let title = line[..id_match.start()]
            .trim()
            .trim_matches('"')
            .to_string();
        let mut fact = EventFact {
            abstract_id: Some(id["id"].to_string()),
            ..Default::default()
        };
        if !title.is_empty() {
            fact.title = Some(title.clone());
        }
        fact.event_date = ctx
            .mentions
            .first_date_in(ls + id_match.end(), le)
            .map(|d| d.date);
        if let Some(&(ns, ne)) = all_lines.get(li + 1) {
            let next = text[ns..ne].trim();
            if next.len() <= 120 && VENUE_LINE.is_match(next) && !ID_LINE.is_match(next) {
                fact.venue = Some(next.to_string());
            }
        }
        if let Some((hi, single)) = heading {
            if !single || items_under_heading == 0 {
                let (hs, he) = all_lines[hi];
                with_conference(&mut fact, conferences_within(conferences, hs, he).next());
                fact.presentation = presentation_of(&text[hs..he]);
            }
            items_under_heading += 1;
        }
        fact.product = ctx
            .products_in(ls, ls + id_match.start())
            .first()
            .map(|p| p.name.clone());
        let (start, end) = if title.is_empty() {
            (ls + id_match.start(), ls + id_match.end())
        } else {
            let s = ls + line.find(&title).unwrap_or(0);
            (s, s + title.len())
        };
        if let Some(sentence) = sentence_at(start) {
            out.push(Located {
                start,
                end,
                sentence,
                rule: "listing_under_heading",
                fact,
            });
        }
    }

    // 3. Sentences: a presentation at a named conference, or a company event with a date.
    let block_conferences: Vec<Option<String>> =
        out.iter().map(|e| e.fact.conference.clone()).collect();
    for (si, s) in ctx.sentences.iter().enumerate() {
        let sentence = &text[s.start..s.end];
        let conf = conferences_within(conferences, s.start, s.end).next();
        let company_event = if ctx.may_hold(si, Trigger::CompanyEvent) {
            COMPANY_EVENT.find(sentence)
        } else {
            None
        };
        let mut fact = EventFact::default();
        let (anchor_start, anchor_end) = match (conf, company_event) {
            (Some(c), _) => {
                if block_conferences
                    .iter()
                    .any(|b| b.as_deref() == Some(c.acronym.as_str()))
                {
                    continue; // the abstracts listed below are the events
                }
                if presentation_of(sentence).is_none()
                    && !sentence.to_ascii_lowercase().contains("participat")
                {
                    continue;
                }
                with_conference(&mut fact, Some(c));
                fact.presentation = presentation_of(sentence);
                (c.start, c.end)
            }
            (None, Some(e)) => {
                let mut title = e.as_str().to_string();
                if let Some(first) = title.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                fact.title = Some(title);
                (s.start + e.start(), s.start + e.end())
            }
            (None, None) => continue,
        };
        // The event's date: the first one after the event is named (not the dateline's).
        let Some(date) = ctx.mentions.first_date_in(anchor_start, s.end) else {
            if conf.is_none() {
                continue;
            }
            fact.product = ctx
                .products_in(s.start, s.end)
                .first()
                .map(|p| p.name.clone());
            out.push(Located {
                start: anchor_start,
                end: anchor_end,
                sentence: si,
                rule: "presentation_at_conference",
                fact,
            });
            continue;
        };
        fact.event_date = Some(date.date);
        if fact.title.is_none() {
            fact.title = TITLED.captures(sentence).map(|c| c["t"].trim().to_string());
        }
        fact.product = ctx
            .products_in(s.start, s.end)
            .first()
            .map(|p| p.name.clone());
        fact.venue = AT_VENUE
            .captures(&text[date.end..s.end])
            .map(|c| {
                c["v"]
                    .replace('"', "")
                    .replace(" in ", ", ")
                    .trim_end_matches([',', '.'])
                    .to_string()
            })
            .filter(|v| {
                !v.starts_with("Track") && !v.chars().next().is_some_and(|c| c.is_ascii_digit())
            });
        out.push(Located {
            start: anchor_start,
            end: anchor_end,
            sentence: si,
            rule: if conf.is_some() {
                "presentation_at_conference"
            } else {
                "company_event_on_date"
            },
            fact,
        });
    }
    out.sort_by_key(|e| e.start);
    // A headline naming the meeting and a sentence giving its date are one event.
    let mut merged: Vec<Located<EventFact>> = Vec::new();
    for e in out {
        let same = merged.iter_mut().find(|m| {
            m.fact.conference.is_some()
                && m.fact.conference == e.fact.conference
                && m.fact.title.is_none()
                && e.fact.title.is_none()
                && (m.fact.event_date.is_none()
                    || e.fact.event_date.is_none()
                    || m.fact.event_date == e.fact.event_date)
        });
        match same {
            Some(m) => {
                if m.fact.event_date.is_none() && e.fact.event_date.is_some() {
                    let keep_presentation = m.fact.presentation.clone();
                    *m = Located {
                        fact: EventFact {
                            presentation: e.fact.presentation.clone().or(keep_presentation),
                            ..e.fact.clone()
                        },
                        ..e
                    };
                } else {
                    m.fact.presentation = m.fact.presentation.take().or(e.fact.presentation);
                    m.fact.venue = m.fact.venue.take().or(e.fact.venue);
                }
            }
            None => merged.push(e),
        }
    }
    merged
}

crate::text::pattern::compile_rules!(
    KEY_LINE,
    ID_LINE,
    VENUE_LINE,
    PRESENTATION_KIND,
    COMPANY_EVENT,
    AT_VENUE,
    TITLED,
);

impl crate::facts::table::FactTable for EventFact {
    const NAME: &'static str = "events";

    fn columns() -> Vec<Column<Self>> {
        vec![
            Column::text_or_null("conference", |f| f.conference.as_deref()),
            Column::text_or_null("conference_name", |f| f.conference_name.as_deref()),
            Column::int_or_null("edition", |f| f.edition),
            Column::text_or_null("title", |f| f.title.as_deref()),
            Column::text_or_null("presentation", |f| f.presentation.as_deref()),
            Column::text_or_null("product", |f| f.product.as_deref()),
            Column::date_or_null("event_date", |f| f.event_date),
            Column::text_or_null("venue", |f| f.venue.as_deref()),
            Column::text_or_null("abstract_id", |f| f.abstract_id.as_deref()),
        ]
    }

    fn extract(doc: &DocContext) -> Vec<Located<Self>> {
        extract_events(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mentions::lexicon::Lexicon;

    fn events(orig: &str) -> Vec<EventFact> {
        let lexicon = Lexicon::builtin();
        let prepared = crate::extract::Extractor::builtin().prepare(orig);
        let ctx = prepared.ctx(&lexicon);
        extract_events(&ctx).into_iter().map(|e| e.fact).collect()
    }

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    /// Asserts that every line of `edges` and the sample texts that `rule` accepts passes
    /// `check`, the cheaper test run before the rule; returns how many lines were checked.
    fn accepted_lines_pass(
        edges: &[&str],
        rule: impl Fn(&str) -> bool,
        check: impl Fn(&str) -> bool,
    ) -> usize {
        let mut checked = 0;
        for text in crate::text::sample_texts(edges) {
            for line in text.lines().filter(|line| rule(line)) {
                assert!(check(line), "{line}");
                checked += 1;
            }
        }
        checked
    }

    /// Every line the abstract-id rule matches passes the check before it.
    #[test]
    fn id_lines_open_an_id() {
        let edges = [
            "Title (Abstract #: 12-A)",
            "(ſubmission No. 7)",
            "x (POSTER ID 3) (a",
        ];
        let checked = accepted_lines_pass(&edges, |line| ID_LINE.is_match(line), opens_id);
        assert!(!opens_id("(the company) (2024)") && !opens_id("no bracket"));
        assert!(checked >= edges.len(), "id lines checked: {checked}");
    }

    /// Every line that opens a block passes the check before it, and most lines with a colon
    /// do not.
    #[test]
    fn title_lines_are_found_before_the_key_search() {
        let edges = [
            "TITLE: Upper case",
            "  Abstract \t Title :spaced",
            "\u{a0}Title:\u{a0}after a no-break space",
        ];
        let opens_block = |line: &str| {
            KEY_LINE
                .captures(line)
                .is_some_and(|c| c["key"].to_ascii_lowercase().contains("title"))
        };
        let checked = accepted_lines_pass(&edges, opens_block, may_open_block);
        assert!(checked >= edges.len(), "title lines checked: {checked}");
        for line in ["Contact: Jane Roe", "Date: title", "Title without a colon"] {
            assert!(!may_open_block(line), "{line}");
        }
    }

    #[test]
    fn abstract_blocks_under_a_named_meeting() {
        let t = "Acme said three abstracts have been accepted for presentation at the 62nd American Society of Hematology (ASH) Annual Meeting on December 5-8, 2020.\n\nC-CAR088\n\nAbstract Title: An Anti-BCMA CAR T-Cell Therapy Shows Promise\n\nType: Oral\n\nDate: Saturday, December 5, 2020\n\nA copy will be made available.\n\nC-CAR039\n\nAbstract Title: Developing a Novel Anti-CD19/CD20 Bi-Specific CAR-T\n\nOnline only: https://example.org/abstract\n";
        let got = events(t);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(
            (
                got[0].conference.as_deref(),
                got[0].edition,
                got[0].product.as_deref()
            ),
            (Some("ASH"), Some(62), Some("C-CAR088"))
        );
        assert_eq!(
            (got[0].presentation.as_deref(), got[0].event_date),
            (Some("oral"), ymd(2020, 12, 5))
        );
        assert_eq!(
            got[0].title.as_deref(),
            Some("An Anti-BCMA CAR T-Cell Therapy Shows Promise")
        );
        assert_eq!(
            (got[1].product.as_deref(), got[1].presentation.as_deref()),
            (Some("C-CAR039"), Some("online"))
        );
    }

    #[test]
    fn listing_under_a_heading_and_an_unnamed_meeting() {
        let t = "Society of Immunotherapy in Cancer (\"SITC\") 34 th Annual Meeting Poster Presentation\n\nThe Next Generation Universal CAR (Abstract ID: P229) Friday, November 8, 2019 - 7:00 AM ET\n\nGaylord National Hotel & Convention Center, National Harbor, MD\n\nDeveloping a Novel Anti-BCMA CAR-T (Submission ID: 125372) Saturday, December 7, 2019 - 7:45 AM ET\n\nOrange County Convention Center (OCCC), Orlando, FL\n";
        let got = events(t);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(
            (
                got[0].conference.as_deref(),
                got[0].edition,
                got[0].presentation.as_deref()
            ),
            (Some("SITC"), Some(34), Some("poster"))
        );
        assert_eq!(
            (got[0].abstract_id.as_deref(), got[0].event_date),
            (Some("P229"), ymd(2019, 11, 8))
        );
        assert_eq!(
            got[0].venue.as_deref(),
            Some("Gaylord National Hotel & Convention Center, National Harbor, MD")
        );
        assert_eq!(
            (got[1].conference.as_deref(), got[1].event_date),
            (None, ymd(2019, 12, 7))
        );
        assert_eq!(
            got[1].venue.as_deref(),
            Some("Orange County Convention Center (OCCC), Orlando, FL")
        );
    }

    #[test]
    fn company_event_sentence() {
        let t = "SHANGHAI, Sept. 22, 2017 - Acme today announced that the Grand Opening ceremony set for its new Shanghai facility will be held on November 4, 2017 at 10:30am at \"Pharma Valley\" in Shanghai Zhangjiang High-Tech Park.";
        let got = events(t);
        assert_eq!(got.len(), 1);
        assert_eq!(
            (got[0].title.as_deref(), got[0].event_date),
            (Some("Grand Opening ceremony"), ymd(2017, 11, 4))
        );
        assert_eq!(
            got[0].venue.as_deref(),
            Some("Pharma Valley, Shanghai Zhangjiang High-Tech Park")
        );
    }

    #[test]
    fn conference_presentation_sentence() {
        let t = "Cybin announced that CEO Doug Drysdale will participate in a fireside chat at the Canaccord Genuity 45th Annual Growth Conference on August 12, 2025, in Boston.";
        let got = events(t);
        assert_eq!(
            (
                got[0].conference.as_deref(),
                got[0].edition,
                got[0].presentation.as_deref()
            ),
            (Some("Canaccord"), Some(45), Some("fireside chat"))
        );
        assert_eq!(
            (got[0].event_date, got[0].venue.as_deref()),
            (ymd(2025, 8, 12), Some("Boston"))
        );
    }
}
