//! The `documents` row: title, release date, dateline, wire, issuer, exchange and ticker, read
//! from the opening lines the way wires lay them out:
//! `SHANGHAI, China and NEW YORK, NY, USA I January 8, 2019 I Cellular Biomedicine Group Inc.`,
//! `GAITHERSBURG, Md. and SHANGHAI, Dec. 4, 2020 /PRNewswire/ -- ...`,
//! `ATLANTA, GA - February 4, 2025 (NEWMEDIAWIRE) - GeoVax Labs, Inc. (Nasdaq: GOVX)`.

use std::sync::LazyLock;

use crate::text::rule::Rule;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use chrono::NaiveDate;

use crate::mentions::dates::first_date_in;
use crate::mentions::dictionary::{Hit, WordList};
use crate::mentions::tickers::{exchange_name, find_tickers, TickerMention};
use crate::text::floor_boundary;

/// Header facts; text fields are byte ranges of the normalised text, mapped back by the caller.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    pub title: Option<(usize, usize)>,
    pub date: Option<NaiveDate>,
    /// Where `date` came from: `header` (a `date YYYY-MM-DD` line) or `dateline`.
    pub date_source: Option<&'static str>,
    pub dateline: Option<(usize, usize)>,
    pub wire: Option<String>,
    pub company: Option<(usize, usize)>,
    pub exchange: Option<String>,
    pub ticker: Option<String>,
}

const WIRES: &str = include_str!("../../data/wires.csv");

struct WireLexicon {
    ac: AhoCorasick,
    /// The wire each pattern names, by pattern index.
    names: Vec<String>,
    /// The patterns, for the engine's word scan.
    list: WordList,
}

static WIRE_LEXICON: LazyLock<WireLexicon> = LazyLock::new(|| {
    let mut patterns: Vec<String> = Vec::new();
    let mut names = Vec::new();
    for row in crate::data::rows(WIRES) {
        let name = crate::data::field(&row, 0);
        for p in crate::data::list(crate::data::field(&row, 1)) {
            patterns.push(p.to_string());
            names.push(name.to_string());
        }
    }
    let ac = AhoCorasickBuilder::new()
        // A DFA costs some memory once per process and scans several times faster.
        .kind(Some(AhoCorasickKind::DFA))
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(&patterns)
        .expect("wire patterns");
    WireLexicon {
        ac,
        names,
        list: WordList::new(patterns, false),
    }
});

/// The wire names, for the engine's word scan: [`wire_named_anywhere`] reads its hits.
pub fn wire_word_list() -> &'static WordList {
    &WIRE_LEXICON.list
}

static DATE_HEADER: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s*").expect("date header regex")
});

static BOILERPLATE_LINE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)^(?:#+\s*)?(?:press\s+release|news\s+release|media\s+release|for\s+immediate\s+release|immediate\s+release|news|announcement|exhibit\s+\d+(?:\.\d+)?)\s*:?\s*$")
        .expect("boilerplate regex")
});

const LEGAL_SUFFIXES: &[&str] = &[
    "inc",
    "inc.",
    "incorporated",
    "corp",
    "corp.",
    "corporation",
    "ltd",
    "ltd.",
    "limited",
    "co.",
    "plc",
    "plc.",
    "llc",
    "l.l.c.",
    "n.v.",
    "nv",
    "s.a.",
    "sa",
    "ag",
    "se",
    "gmbh",
    "a/s",
    "ab",
    "asa",
    "oyj",
    "s.p.a.",
    "spa",
    "pty",
    "pte",
    "lp",
    "l.p.",
    "bv",
    "b.v.",
    "co",
    "company,",
];

/// Words before "of" that make a person's role, not a company: "CEO of Kamada".
const ROLE_WORDS: &[&str] = &[
    "CEO",
    "CFO",
    "COO",
    "CMO",
    "CSO",
    "CTO",
    "Chairman",
    "Chair",
    "President",
    "Founder",
    "Director",
    "Officer",
    "Head",
    "Chief",
    "VP",
    "Vice",
];

/// Words that end a walk back before they join a name: headline verbs and trial words.
const NOT_IN_NAMES: &[&str] = &[
    "Phase",
    "Data",
    "Results",
    "Trial",
    "Study",
    "Topline",
    "Announces",
    "Reports",
    "Presents",
    "Alert:",
    "Update:",
    "Update",
];

const NAME_CONNECTORS: &[&str] = &[
    "of", "and", "&", "de", "la", "du", "der", "for", "the", "von", "y",
];

pub(crate) fn is_legal_suffix(word: &str) -> bool {
    LEGAL_SUFFIXES.contains(&word.trim_end_matches(',').to_ascii_lowercase().as_str())
}

/// Navigation and sharing lines a web page puts above the release: "Home | News | ...".
fn is_site_chrome(line: &str) -> bool {
    line.matches(" | ").count() >= 2 || crate::text::next_word_is(line, &["share this"])
}

fn trim_range(text: &str, (s, e): (usize, usize), junk: &[char]) -> Option<(usize, usize)> {
    let slice = &text[s..e];
    let left = slice.trim_start_matches(|c: char| c.is_whitespace() || junk.contains(&c));
    let s2 = s + (slice.len() - left.len());
    let right = left.trim_end_matches(|c: char| c.is_whitespace() || junk.contains(&c));
    let e2 = s2 + right.len();
    (s2 < e2).then_some((s2, e2))
}

/// A dateline place: capitalised words, commas and a few connectors, nothing that reads as a
/// sentence.
fn looks_like_place(place: &str) -> bool {
    let place = place.trim();
    if place.is_empty() || place.len() > 120 {
        return false;
    }
    if !place.chars().next().is_some_and(|c| c.is_uppercase()) {
        return false;
    }
    // "On September 16, 2024, ..." opens a sentence, not a dateline.
    let first = place.split([' ', ',']).next().unwrap_or("");
    if matches!(
        first,
        "On" | "In"
            | "As"
            | "At"
            | "By"
            | "The"
            | "For"
            | "From"
            | "Since"
            | "During"
            | "Today"
            | "Through"
            | "Until"
            | "Before"
            | "After"
    ) {
        return false;
    }
    let words: Vec<&str> = place.split_whitespace().collect();
    words.len() <= 14
        && words.iter().all(|w| {
            let w = w.trim_matches(|c: char| c == ',' || c == '.' || c == '(' || c == ')');
            w.is_empty()
                || w.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                || matches!(
                    w,
                    "and" | "of" | "de" | "la" | "am" | "an" | "der" | "del" | "sur" | "upon" | "&"
                )
        })
}

struct Dateline {
    line: usize,
    place: Option<(usize, usize)>,
    date: NaiveDate,
    /// Where the lead text starts after the date, the wire and the separator.
    after: usize,
    wire: Option<String>,
    /// A name between slashes after the date that is no wire: the issuer, as some wires write
    /// it (`October 30, 2025 / Acme Resources LLC /`).
    named: Option<(usize, usize)>,
}

static AFTER_DATE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"^\s*,?(?:\s*@?\s*\d{1,2}:\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z][A-Za-z/_]+){0,2})?\s*(?:(?:--|-)\s*)?(?:/(?P<w1>[^/\n]{2,40})/|\((?P<w2>[^)\n]{2,40})\)|/)?\s*(?:--|-|\||I\s|:)?\s*",
    )
    .expect("after date regex")
});

fn find_dateline(text: &str, lines: &[(usize, usize)]) -> Option<Dateline> {
    for (li, &(ls, le)) in lines.iter().enumerate().take(14) {
        let content_start = DATE_HEADER.find(&text[ls..le]).map_or(ls, |m| ls + m.end());
        let scan_end = floor_boundary(text, le.min(content_start + 260));
        let Some(date) = first_date_in(text, content_start, scan_end) else {
            continue;
        };
        let place_text = text[content_start..date.start]
            .trim_end()
            .trim_end_matches([',', '-', '|', '(', ' '])
            .trim_end_matches(" I")
            .trim_end_matches([',', '-', '|', ' ']);
        let mut place_text = place_text.trim_start_matches(['#', ' ', '*']);
        // Business Wire puts its name before the date: `BOSTON--(BUSINESS WIRE)--March 3, 2024`.
        let mut wire_before = None;
        if let Some(cut) = place_text.find(['(', '/']) {
            if let Some(w) = wire_name(&place_text[cut..]) {
                wire_before = Some(w);
                place_text = place_text[..cut].trim_end_matches(['-', ' ', ',']);
            }
        }
        let place_ok = place_text.is_empty() || looks_like_place(place_text);
        let after = AFTER_DATE.captures(&text[date.end..le]);
        let wire_written = after.as_ref().and_then(|c| c.name("w1").or(c.name("w2")));
        let wire = wire_written
            .and_then(|w| wire_name(w.as_str()))
            .or(wire_before);
        let named = after
            .as_ref()
            .and_then(|c| c.name("w1"))
            .filter(|w| wire_name(w.as_str()).is_none())
            .and_then(|w| {
                let (s, e) = (date.end + w.start(), date.end + w.end());
                trim_range(text, (s, e), &[' '])
            });
        let separated = after
            .as_ref()
            .is_some_and(|c| c.get(0).is_some_and(|m| m.end() > 0));
        if !place_ok || (place_text.is_empty() && wire.is_none() && !separated) {
            continue;
        }
        // A date deep in a sentence is not a dateline: the place must be all that precedes it.
        let place = if place_text.is_empty() {
            None
        } else {
            let start = content_start + text[content_start..].find(place_text).unwrap_or(0);
            Some((start, start + place_text.len()))
        };
        let after_end = date.end + after.map_or(0, |c| c.get(0).map_or(0, |m| m.end()));
        return Some(Dateline {
            line: li,
            place,
            date: date.date,
            after: after_end,
            wire,
            named,
        });
    }
    None
}

fn wire_name(written: &str) -> Option<String> {
    let lex = &*WIRE_LEXICON;
    lex.ac
        .find(written)
        .map(|m| lex.names[m.pattern().as_usize()].clone())
}

/// The wire named anywhere in `text`: the first leftmost-longest match that is a whole word.
fn wire_anywhere(text: &str) -> Option<String> {
    let lex = &*WIRE_LEXICON;
    lex.ac
        .find_iter(text)
        .find(|m| crate::text::is_whole_word(text, m.start(), m.end()))
        .map(|m| lex.names[m.pattern().as_usize()].clone())
}

/// [`wire_anywhere`] from the word scan's hits, so the text is not searched a second time (the
/// search was 8% of the engine's work on real releases, most of which name no wire in their
/// dateline). `hits` are the scan's whole-word, leftmost-longest hits of [`wire_word_list`] in
/// the normalised text, whose web addresses are blanked: a wire often names itself only by its
/// address (`newsdirect.com`), so `urls` gives each address as the original writes it, with
/// where it starts in the text, and those few bytes are searched here.
pub fn wire_named_anywhere<'a>(
    hits: &[Hit],
    urls: impl IntoIterator<Item = (usize, &'a str)>,
) -> Option<String> {
    let lex = &*WIRE_LEXICON;
    let in_text = hits.first();
    urls.into_iter()
        .take_while(|&(at, _)| in_text.is_none_or(|h| at < h.start))
        .find_map(|(_, url)| wire_anywhere(url))
        .or_else(|| in_text.map(|h| lex.names[h.id as usize].clone()))
}

/// The issuer's name written right before its listing: walk back over capitalised words.
/// How far before a listing (bytes) its company's name may start.
pub(crate) const LISTING_REACH: usize = 1_000;

pub(crate) fn company_before(text: &str, floor: usize, paren: usize) -> Option<(usize, usize)> {
    let segment = &text[floor..paren];
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut end = segment.len();
    for word in segment.rsplit(|c: char| c.is_ascii_whitespace()) {
        let ws = end - word.len();
        end = ws.saturating_sub(1);
        if word.is_empty() {
            continue;
        }
        let first = word.chars().next().unwrap_or(' ');
        let is_name_word = first.is_uppercase()
            || first.is_ascii_digit()
            || NAME_CONNECTORS.contains(&word)
            || is_legal_suffix(word);
        // A word closing an earlier sentence ("... ADD. Otsuka's") ends the name too.
        let ends_sentence =
            word.ends_with('.') && word.len() > 2 && !is_legal_suffix(word) && !words.is_empty();
        let is_separator = matches!(word, "-" | "--" | "|" | "I" | "#" | "##" | "###")
            || word.ends_with(':')
            || word.ends_with(')')
            || word.ends_with('/')
            || ends_sentence
            || NOT_IN_NAMES.contains(&word);
        // A comma ends the name unless a legal suffix follows it: `Group, Inc.`.
        let comma_break = word.ends_with(',')
            && !words
                .last()
                .is_some_and(|&(s, e)| is_legal_suffix(&segment[s..e]));
        if !is_name_word || is_separator || comma_break || words.len() >= 8 {
            break;
        }
        words.push((ws, ws + word.len()));
    }
    words.reverse();
    // "CEO of Kamada Pharmaceuticals": a role before "of" is not part of the name.
    if let Some(of) = words.iter().position(|&(s, e)| &segment[s..e] == "of") {
        if words[..of]
            .iter()
            .any(|&(s, e)| ROLE_WORDS.contains(&segment[s..e].trim_end_matches(',')))
        {
            words.drain(..=of);
        }
    }
    // Leading connectors and trailing legal suffixes are not part of the name.
    while words
        .first()
        .is_some_and(|&(s, e)| NAME_CONNECTORS.contains(&&segment[s..e]))
    {
        words.remove(0);
    }
    // ... and neither are the connectors a suffix leaves behind (`Merck & Co.`).
    while words.last().is_some_and(|&(s, e)| {
        is_legal_suffix(&segment[s..e]) || NAME_CONNECTORS.contains(&&segment[s..e])
    }) {
        words.pop();
    }
    let (&(s, _), &(_, e)) = (words.first()?, words.last()?);
    let name = segment[s..e].trim_end_matches([',', '.']);
    let name = name.strip_suffix("'s").unwrap_or(name);
    // "listed on the Toronto Stock Exchange (TSX: HBP)" names the market, not the issuer.
    if crate::mentions::tickers::exchange_name(name).is_some() || name.ends_with("Stock Exchange") {
        return None;
    }
    let e = s + name.len();
    (e > s).then_some((floor + s, floor + e))
}

/// The issuer's name at the start of the lead when no listing is given: `Acme Bio, Inc., a ...`.
fn company_after(text: &str, from: usize, line_end: usize) -> Option<(usize, usize)> {
    let segment = &text[from..floor_boundary(text, line_end.min(from + 200))];
    let mut end = 0;
    let mut count = 0;
    for word in segment.split(' ') {
        let ws = segment[end..].find(word).map_or(end, |i| end + i);
        let clean = word.trim_end_matches([',', '.']);
        let first = clean.chars().next().unwrap_or(' ');
        if is_legal_suffix(word)
            || !(first.is_uppercase()
                || first.is_ascii_digit()
                || (count > 0 && NAME_CONNECTORS.contains(&clean)))
            || count >= 8
        {
            break;
        }
        end = ws + clean.len();
        count += 1;
        if word.ends_with(',') || word.contains('(') {
            break;
        }
    }
    let name = segment[..end].trim();
    (!name.is_empty() && count >= 1).then(|| {
        (
            from + (segment.len() - segment.trim_start().len()).min(end),
            from + end,
        )
    })
}

/// Reads the header facts of a normalised document, whose non-blank lines are `lines`
/// ([`crate::text::nonblank_lines`]). When the dateline names no wire, the wire named anywhere in
/// the document is asked of `wire_named_anywhere`.
pub fn extract_header(
    text: &str,
    lines: &[(usize, usize)],
    wire_named_anywhere: impl FnOnce() -> Option<String>,
) -> Header {
    let mut header = Header::default();
    let Some(&(first_start, first_end)) = lines.first() else {
        return header;
    };

    if let Some(m) = DATE_HEADER.find(&text[first_start..first_end]) {
        let iso = text[first_start..first_start + m.end()]
            .trim()
            .trim_start_matches("date")
            .trim();
        header.date = NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok();
        header.date_source = header.date.map(|_| "header");
    }
    let dateline = find_dateline(text, lines);
    if let Some(d) = &dateline {
        if header.date.is_none() {
            header.date = Some(d.date);
            header.date_source = Some("dateline");
        }
        header.dateline = d.place;
        header.wire = d.wire.clone();
    }

    // The title: the first line, after a PRESS RELEASE banner, when it is not the dateline.
    let mut ti = 0;
    while ti < lines.len()
        && (BOILERPLATE_LINE.is_match(text[lines[ti].0..lines[ti].1].trim())
            || is_site_chrome(&text[lines[ti].0..lines[ti].1]))
    {
        ti += 1;
    }
    // A Markdown headline ("# ...") a few lines down is the title, past any site chrome.
    let limit = dateline.as_ref().map_or(lines.len().min(8), |d| d.line);
    if let Some(h) =
        (0..limit).find(|&i| text[lines[i].0..lines[i].1].trim_start().starts_with("# "))
    {
        ti = h;
    }
    if ti < lines.len() && dateline.as_ref().is_none_or(|d| d.line > ti) {
        let (ls, le) = lines[ti];
        let start = DATE_HEADER.find(&text[ls..le]).map_or(ls, |m| ls + m.end());
        if let Some((s, e)) = trim_range(text, (start, le), &['#', '*']) {
            let title = &text[s..e];
            if title.len() <= 350 && !(title.len() > 200 && title.ends_with('.')) {
                header.title = Some((s, e));
            }
        }
    }

    if header.wire.is_none() {
        header.wire = wire_named_anywhere();
    }

    // The issuer: the first listing in the body, else in the title.
    let body_from = dateline
        .as_ref()
        .map_or_else(|| header.title.map_or(0, |(_, e)| e), |d| lines[d.line].0);
    let tickers = find_tickers(text);
    let ordered = tickers
        .iter()
        .filter(|t| t.start >= body_from)
        .chain(tickers.iter().filter(|t| t.start < body_from));
    let mut chosen: Option<&TickerMention> = None;
    for t in ordered {
        // The name is a few words before the listing: the line is looked at no further back
        // than that, so a text of one endless line costs a bounded search per listing.
        let reach_start = crate::text::ceil_boundary(text, t.start.saturating_sub(LISTING_REACH));
        let line_start = memchr::memrchr(b'\n', &text.as_bytes()[reach_start..t.start])
            .map_or(reach_start, |i| reach_start + i + 1);
        let floor = dateline
            .as_ref()
            .filter(|d| d.after <= t.start && d.after >= line_start)
            .map_or(line_start, |d| d.after);
        if let Some(name) = company_before(text, floor, t.start) {
            header.company = Some(name);
            chosen = Some(t);
            break;
        }
        chosen.get_or_insert(t);
    }
    // A lead that names its issuer without a listing ("/PRNewswire/ -- Northfield Bio, Inc.
    // ("Northfield")") is the issuer's even when a listing of another company comes later.
    if let Some(d) = &dateline {
        let line_end = lines[d.line].1;
        let listed_in_lead = chosen.is_some_and(|t| {
            t.start < line_end
                || (t.start < d.after + LEAD_REACH
                    && !has_blank_line(&text[d.after.min(t.start)..t.start]))
        });
        if !listed_in_lead {
            if let Some(lead) = company_after(text, d.after, line_end) {
                let same = header
                    .company
                    .is_some_and(|(s, e)| text[s..e] == text[lead.0..lead.1]);
                if !same {
                    header.company = Some(lead);
                    chosen = None;
                }
            }
        }
    }
    if let Some(t) = chosen {
        header.exchange = Some(t.exchange.clone());
        header.ticker = Some(t.ticker.clone());
    }
    if header.company.is_none() {
        if let Some(d) = &dateline {
            header.company = d
                .named
                .and_then(|span| without_legal_suffix(text, span))
                .or_else(|| company_after(text, d.after, lines[d.line].1));
        }
    }
    if header.company.is_none() {
        if let Some(title) = header.title {
            header.company = company_of_headline_and_lead(text, title, lines);
        }
    }
    if header.ticker.is_none() {
        if let Some((exchange, ticker)) = symbol_in_prose(text) {
            header.exchange = Some(exchange.to_string());
            header.ticker = Some(ticker);
        }
    }
    header
}

/// `span` of `text` without the legal suffixes that end it (`Acme Resources LLC` -> `Acme
/// Resources`), when what is left starts with a capital.
fn without_legal_suffix(text: &str, (s, mut e): (usize, usize)) -> Option<(usize, usize)> {
    loop {
        let name = text[s..e].trim_end_matches([',', '.', ' ']);
        let Some((head, last)) = name.rsplit_once(' ') else {
            e = s + name.len();
            break;
        };
        if !is_legal_suffix(last) {
            e = s + name.len();
            break;
        }
        e = s + head.len();
    }
    text[s..e]
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
        .then_some((s, e))
}

/// Whether `s` holds a blank line (a paragraph break).
fn has_blank_line(s: &str) -> bool {
    let lines: Vec<&str> = s.split('\n').collect();
    // The pieces between two line breaks are whole lines; the first and last are not.
    lines.len() > 2
        && lines[1..lines.len() - 1]
            .iter()
            .any(|l| l.trim().is_empty())
}

/// How far after the dateline (bytes) a listing still belongs to the lead's first name, though a
/// line break (not a blank line) comes between them.
const LEAD_REACH: usize = 300;

/// The most words of a headline's opening that can be an issuer's name.
const HEADLINE_NAME_WORDS: usize = 6;

/// The issuer of a release with neither listing nor dateline: the longest run of capitalised
/// words that opens both the headline and the first paragraph ("Skye Bioscience Moves to
/// Nasdaq" over "Skye Bioscience CEO Punit Dhillon joined ..."). One word is enough only when
/// the lead repeats it.
fn company_of_headline_and_lead(
    text: &str,
    (ts, te): (usize, usize),
    lines: &[(usize, usize)],
) -> Option<(usize, usize)> {
    let headline: Vec<&str> = text[ts..te]
        .split_whitespace()
        .take(HEADLINE_NAME_WORDS)
        .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
        .take_while(|w| !NOT_IN_NAMES.contains(w))
        .collect();
    // The lead: the first line after the headline that reads as prose.
    let &(ls, le) = lines
        .iter()
        .find(|&&(ls, le)| ls >= te && text[ls..le].split_whitespace().count() >= 8)?;
    let lead = text[ls..le].trim_start_matches(['#', '*', ' ']);
    let lead_start = le - lead.len();
    for n in (1..=headline.len()).rev() {
        let name = headline[..n].join(" ");
        let name = name.trim_end_matches([',', ':']);
        let name = name.strip_suffix("'s").unwrap_or(name);
        let last = name.rsplit(' ').next().unwrap_or("");
        if is_legal_suffix(last) || NAME_CONNECTORS.contains(&last) {
            continue;
        }
        let opens_lead = lead.starts_with(name)
            && !lead[name.len()..].starts_with(|c: char| c.is_alphanumeric());
        let repeated = n > 1 || lead.matches(name).count() >= 2;
        if opens_lead && repeated && exchange_name(name).is_none() {
            return Some((lead_start, lead_start + name.len()));
        }
    }
    None
}

/// How far into a release a listing written in prose is looked for (bytes).
const PROSE_SYMBOL_REACH: usize = 3_000;

static PROSE_SYMBOL: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r#"(?:ticker|trading|stock)\s+symbol\s+"?(?P<tk>[A-Z]{2,5})\b"#)
        .expect("prose symbol regex")
});

static PROSE_EXCHANGE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"\b(?P<ex>Nasdaq|NASDAQ|NYSE American|NYSE|OTCQB|OTCQX|TSXV|TSX|CSE)\b",
    )
    .expect("prose exchange regex")
});

/// A listing written in prose ("... uplisting to the Nasdaq, trading under the ticker symbol
/// "SKYE""): the symbol, and the exchange named in the same sentence.
fn symbol_in_prose(text: &str) -> Option<(&'static str, String)> {
    let head = &text[..floor_boundary(text, text.len().min(PROSE_SYMBOL_REACH))];
    let c = PROSE_SYMBOL.captures(head)?;
    let at = c.get(0)?.start();
    let sentence_start = head[..at].rfind(['.', '\n']).map_or(0, |i| i + 1);
    let sentence_end = head[at..].find(['.', '\n']).map_or(head.len(), |i| at + i);
    let exchange = PROSE_EXCHANGE
        .captures(&head[sentence_start..sentence_end])
        .and_then(|e| exchange_name(e.name("ex")?.as_str()))?;
    Some((exchange, c.name("tk")?.as_str().to_string()))
}

crate::text::pattern::compile_rules!(
    WIRE_LEXICON,
    DATE_HEADER,
    BOILERPLATE_LINE,
    AFTER_DATE,
    PROSE_SYMBOL,
    PROSE_EXCHANGE
);

#[cfg(test)]
mod tests {
    use super::*;

    fn field(text: &str, r: Option<(usize, usize)>) -> Option<&str> {
        r.map(|(s, e)| &text[s..e])
    }

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn seed_style_i_separated_dateline() {
        let t = "SHANGHAI, China and NEW YORK, NY, USA I January 8, 2019 I Cellular Biomedicine Group Inc. (NASDAQ: CBMG) (\"CBMG\"), a firm, today announces.\n\nMore.";
        let h = header(t);
        assert_eq!(h.date, ymd(2019, 1, 8));
        assert_eq!(
            field(t, h.dateline),
            Some("SHANGHAI, China and NEW YORK, NY, USA")
        );
        assert_eq!(field(t, h.company), Some("Cellular Biomedicine Group"));
        assert_eq!(
            (h.exchange.as_deref(), h.ticker.as_deref()),
            (Some("NASDAQ"), Some("CBMG"))
        );
        assert_eq!(h.title, None);
        assert_eq!(h.wire, None);
    }

    #[test]
    fn pr_newswire_with_date_header() {
        let t = " date 2020-12-04 GAITHERSBURG, Md. and SHANGHAI, Dec. 4, 2020 /PRNewswire/ -- Cellular Biomedicine Group Inc. (NASDAQ: CBMG) (\"CBMG\"), a firm";
        let h = header(t);
        assert_eq!(h.date, ymd(2020, 12, 4));
        assert_eq!(field(t, h.dateline), Some("GAITHERSBURG, Md. and SHANGHAI"));
        assert_eq!(h.wire.as_deref(), Some("PR Newswire"));
        assert_eq!(field(t, h.company), Some("Cellular Biomedicine Group"));
        assert_eq!(h.title, None);
    }

    #[test]
    fn headline_then_globe_newswire() {
        let t = "Acme Plans Opening\n\nSHANGHAI, China and CUPERTINO, Calif., Sept. 22, 2017 (GLOBE NEWSWIRE) - Acme Bio Inc. (NASDAQ:ACME) (\"Acme\"), a firm";
        let h = header(t);
        assert_eq!(field(t, h.title), Some("Acme Plans Opening"));
        assert_eq!(
            field(t, h.dateline),
            Some("SHANGHAI, China and CUPERTINO, Calif.")
        );
        assert_eq!(h.wire.as_deref(), Some("GlobeNewswire"));
        assert_eq!(h.date, ymd(2017, 9, 22));
        assert_eq!(field(t, h.company), Some("Acme Bio"));
    }

    #[test]
    fn banner_line_and_day_month_year() {
        let t = "PRESS RELEASE\n\nAcme Accelerates Things\n\n- a bullet\n\nShanghai, China and Cupertino, CA-18 January 2018 - Acme Group Inc. (NASDAQ: ACME) (Acme), a firm";
        let h = header(t);
        assert_eq!(field(t, h.title), Some("Acme Accelerates Things"));
        assert_eq!(
            field(t, h.dateline),
            Some("Shanghai, China and Cupertino, CA")
        );
        assert_eq!(h.date, ymd(2018, 1, 18));
        assert_eq!(field(t, h.company), Some("Acme Group"));
    }

    #[test]
    fn business_wire_without_ticker_and_comma_inc() {
        let t = "Title Here\n\nBOSTON--(BUSINESS WIRE)--March 3, 2024--Beta Therapeutics, Inc., a clinical-stage company, today said";
        let h = header(t);
        assert_eq!(h.wire.as_deref(), Some("Business Wire"));
        assert_eq!(h.date, ymd(2024, 3, 3));
        assert_eq!(field(t, h.company), Some("Beta Therapeutics"));
    }

    #[test]
    fn markdown_headline_with_listing_and_no_dateline() {
        let t = "# CNS Pharmaceuticals (NASDAQ: CNSP) Publishes Q2 2024 Results\n\nCNS Pharmaceuticals (NASDAQ: CNSP), a biopharmaceutical company, today released";
        let h = header(t);
        assert_eq!(
            field(t, h.title),
            Some("CNS Pharmaceuticals (NASDAQ: CNSP) Publishes Q2 2024 Results")
        );
        assert_eq!(field(t, h.company), Some("CNS Pharmaceuticals"));
        assert_eq!(h.date, None);
        assert_eq!(h.dateline, None);
    }

    #[test]
    fn roles_exchanges_and_sentence_ends_are_not_names() {
        let t = "DETROIT, MICHIGAN - May 1, 2025 (NEWMEDIAWIRE) - An interview with CEO of Kamada Pharmaceuticals (NASDAQ: KMDA) on growth";
        assert_eq!(field(t, header(t).company), Some("Kamada Pharmaceuticals"));
        let t =
            "# Helix News\n\nHelix is listed on the Toronto Stock Exchange (TSX: HBP) and more.";
        assert_eq!(header(t).company, None);
        let t = "# News\n\nPeople with ADD. Otsuka's (OTC: OSUKF) drug is approved.";
        assert_eq!(field(t, header(t).company), Some("Otsuka"));
        let t = "# Palatin Shows Results in Phase 2 Topline Data (NYSE: PTN)\n\nText.";
        assert_eq!(header(t).company, None);
    }

    #[test]
    fn a_sentence_opening_with_a_date_is_no_dateline() {
        let t = "# Title\n\nOn September 16, 2024, Kairos said it would grow.";
        assert_eq!(header(t).dateline, None);
    }

    #[test]
    fn markdown_headline_below_site_navigation() {
        let t = "Home | Newsroom | Biotech | Subscribe\n\nShare this article: Facebook Twitter\n\n# Orchard Lane Completes Enrollment\n\nDENVER, CO - March 18, 2025 (NEWMEDIAWIRE) - Orchard Lane, Inc. (Nasdaq: ORLB) said";
        let h = header(t);
        assert_eq!(field(t, h.title), Some("Orchard Lane Completes Enrollment"));
    }

    #[test]
    fn dash_dateline_with_newmediawire() {
        let t = "# GeoVax News\n\nATLANTA, GA - February 4, 2025 (NEWMEDIAWIRE) - GeoVax Labs, Inc. (Nasdaq: GOVX), a biotechnology company";
        let h = header(t);
        assert_eq!(field(t, h.dateline), Some("ATLANTA, GA"));
        assert_eq!(h.wire.as_deref(), Some("NewMediaWire"));
        assert_eq!(field(t, h.company), Some("GeoVax Labs"));
        assert_eq!(h.exchange.as_deref(), Some("NASDAQ"));
    }

    /// The header of a text with no web addresses, the wire named anywhere searched for in it.
    #[test]
    fn wire_between_slashes_after_the_date() {
        let t = "# Orbit Labs wins award\n\nDOVER, NH, August 15, 2024 /24-7PressRelease/ -- Orbit Labs Corporation has been selected for an award.";
        let h = header(t);
        assert_eq!(h.date, ymd(2024, 8, 15));
        assert_eq!(h.date_source, Some("dateline"));
        assert_eq!(h.wire.as_deref(), Some("247PressRelease"));
        assert_eq!(field(t, h.company), Some("Orbit Labs"));
    }

    #[test]
    fn pr_newswire_lead_without_a_listing() {
        let t = "Pinecrest Bio Names New CFO\n\nBOSTON, March 2, 2021 /PRNewswire/ -- Pinecrest Bio, Inc. (\"Pinecrest\" or the \"Company\"), a biotech, named a CFO.";
        let h = header(t);
        assert_eq!(h.wire.as_deref(), Some("PR Newswire"));
        assert_eq!(field(t, h.company), Some("Pinecrest Bio"));
        assert_eq!(h.ticker, None);
    }

    #[test]
    fn issuer_opening_headline_and_lead_without_dateline() {
        let t = "# Lumen Ocular Moves to Nasdaq, Doses Last Patient\n\n--News Direct--\n\nLumen Ocular CEO Dana Reyes spoke with a reporter about the listing of its stock on the Nasdaq, trading under the ticker symbol \"LUMO.\" The company also dosed its last patient.";
        let h = header(t);
        assert_eq!(field(t, h.company), Some("Lumen Ocular"));
        assert_eq!(h.ticker.as_deref(), Some("LUMO"));
        assert_eq!(h.exchange.as_deref(), Some("NASDAQ"));
    }

    #[test]
    fn a_headline_word_the_lead_does_not_open_with_is_no_issuer() {
        let t = "# Biotech Stocks Rally on Data\n\nShares of several drug developers rose on Monday after a run of trial results.";
        assert_eq!(header(t).company, None);
    }

    #[test]
    fn globe_newswire_dateline_broken_across_lines() {
        let t = "Tidewater Bio Reports Topline Data\n\nCAMBRIDGE, Mass., June 3, 2024 (GLOBE\nNEWSWIRE) -- Tidewater Bio, Inc. (Nasdaq: TDWB) today reported topline data.";
        let h = header(t);
        assert_eq!(h.date, ymd(2024, 6, 3));
        assert_eq!(field(t, h.company), Some("Tidewater Bio"));
        assert_eq!(h.ticker.as_deref(), Some("TDWB"));
    }

    #[test]
    fn accesswire_and_newsfile_datelines() {
        let t = "Granite Cell Names CEO\n\nDALLAS, TX / ACCESSWIRE / January 9, 2023 / Granite Cell Corp. (OTCQB:GRCL) named a chief executive.";
        let h = header(t);
        assert_eq!(h.date, ymd(2023, 1, 9));
        assert_eq!(field(t, h.company), Some("Granite Cell"));
        assert_eq!(
            (h.exchange.as_deref(), h.ticker.as_deref()),
            (Some("OTCQB"), Some("GRCL"))
        );
        let t = "Vancouver, British Columbia--(Newsfile Corp. - March 14, 2022) - Coastline Therapeutics Inc. (CSE: CLTX) started a study.";
        let h = header(t);
        assert_eq!(h.date, ymd(2022, 3, 14));
        assert_eq!(field(t, h.company), Some("Coastline Therapeutics"));
        assert_eq!(h.ticker.as_deref(), Some("CLTX"));
    }

    #[test]
    fn sec_exhibit_chrome_before_the_headline() {
        let t = "Exhibit 99.1\n\nMeridian Gene Therapies Reports First Quarter 2021 Results\n\nPHILADELPHIA, May 10, 2021 /PRNewswire/ -- Meridian Gene Therapies, Inc. (NYSE MKT: MGTX) today reported results.";
        let h = header(t);
        assert_eq!(
            field(t, h.title),
            Some("Meridian Gene Therapies Reports First Quarter 2021 Results")
        );
        assert_eq!(field(t, h.company), Some("Meridian Gene Therapies"));
        assert_eq!(h.exchange.as_deref(), Some("NYSE MKT"));
    }

    #[test]
    fn issuer_named_before_its_defined_terms_and_listing() {
        let t = "# Lakeside Launches Trial Site\n\nBROOMFIELD, CO - (NewMediaWire) - August 29, 2024 - Lakeside, Inc., (\"Lakeside\" or the \"Company\") (Nasdaq: LKSD, LKSDW), a health technology company, expanded a trial.";
        let h = header(t);
        assert_eq!(field(t, h.company), Some("Lakeside"));
        assert_eq!(h.ticker.as_deref(), Some("LKSD"));
    }

    #[test]
    fn newsworthy_noticias_and_press_services_headers() {
        use crate::text::NormText;
        let t = NormText::new("# Brightlane Names Sales Lead\n\nAustin, TX (Newsworthy.ai) Tuesday Oct 1, 2024 @ 11:00 AM Central \u{2014} Brightlane, a software app for clubs, has named a new sales lead.").text;
        let h = header(&t);
        assert_eq!(h.date, ymd(2024, 10, 1));
        assert_eq!(field(&t, h.dateline), Some("Austin, TX"));
        assert_eq!(h.wire.as_deref(), Some("Newsworthy.ai"));
        assert_eq!(field(&t, h.company), Some("Brightlane"));
        let t = NormText::new("# Guild Announces Honorees\n\nSAN ANTONIO, TX \u{2014} October 1, 2025 \u{2014} (NOTICIAS NEWSWIRE) \u{2014} The Hispanic Guild of Colleges has announced seven honorees.").text;
        let h = header(&t);
        assert_eq!(h.wire.as_deref(), Some("Noticias Newswire"));
        assert_eq!(field(&t, h.company), Some("The Hispanic Guild of Colleges"));
        let t = "# How to Track Progress\n\nUnited States - October 30, 2025 / Special Ed Resource LLC / \n\nTracking progress helps parents.";
        let h = header(t);
        assert_eq!(h.date, ymd(2025, 10, 30));
        assert_eq!(field(t, h.company), Some("Special Ed Resource"));
    }

    fn header(text: &str) -> Header {
        extract_header(text, &crate::text::nonblank_lines(text), || {
            wire_anywhere(text)
        })
    }

    /// The wire named anywhere, read from the word scan's hits and the blanked web addresses.
    fn wire_from_scan(raw: &str) -> Option<String> {
        use crate::mentions::dictionary::Dictionary;
        use crate::text::normalize::NormText;
        let norm = NormText::new(raw);
        let dictionary = Dictionary::compact(&[wire_word_list()]).unwrap();
        let hits = dictionary.scan(&norm.text).whole_words(0, &norm.text);
        wire_named_anywhere(&hits, norm.urls_in(raw))
    }

    #[test]
    fn wire_from_the_word_scan_is_the_wire_a_search_of_the_original_finds() {
        let cases = [
            // In a footer, in a web address only, in both (the earlier wins), in neither.
            (
                "Acme Bio said so.\n\nSOURCE Acme Bio via Business Wire",
                Some("Business Wire"),
            ),
            (
                "Read more at https://www.newsdirect.com/news/acme-bio-123 today.",
                Some("Newsdirect"),
            ),
            (
                "See www.prnewswire.com/news (ACCESSWIRE) later.",
                Some("PR Newswire"),
            ),
            (
                "Filed (ACCESSWIRE) first; see https://www.prnewswire.com/x.",
                Some("Accesswire"),
            ),
            (
                "The Company \u{2019}s lead \u{201c}asset\u{201d} is https://citybiz.co/a/b",
                Some("citybiz"),
            ),
            (
                "Curly \u{2019} quotes, then GLOBE NEWSWIRE.",
                Some("GlobeNewswire"),
            ),
            // Not whole words, then one that is.
            ("xprnewswire and businesswirez, then via IBN", Some("IBN")),
            ("No wire at all, and a link http://example.com/wire.", None),
            ("", None),
        ];
        for (raw, want) in cases {
            assert_eq!(wire_anywhere(raw).as_deref(), want, "{raw}");
            assert_eq!(wire_from_scan(raw).as_deref(), want, "{raw}");
        }
    }

    /// On any text made of wire names, web addresses, words and punctuation, the scan's answer is
    /// the one a leftmost-longest search of the original gives. Web addresses stand apart, with
    /// spaces around them, as they do in releases: a wire name glued to one
    /// (`/prnewswire/https://...`) is a whole word once the address is blanked and is not in the
    /// original, and the scan reads it as the wire. (Folds that join or split words are left out
    /// too: there the normalised text reads `PR\u{a0}Newswire` as a wire and the original does
    /// not.)
    #[test]
    fn wire_from_the_word_scan_agrees_with_the_search_on_any_text() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let mut fragments: Vec<String> = wire_word_list().patterns.clone();
        fragments.extend(wire_word_list().patterns.iter().map(|p| p.to_uppercase()));
        fragments.extend(
            [
                " ",
                " ",
                "\n",
                "x",
                "Acme",
                "-",
                "(",
                ")",
                "/",
                ".",
                ",",
                ".com",
                "news",
                "wire",
                "press",
                "\u{2019}",
                "\u{201c}",
                "\u{e9}",
                " https://www.prnewswire.com/news-releases/acme-301.html ",
                " http://example.com/wire ",
                " www.newsdirect.com/news/acme ",
                " https://citybiz.co/a/b ",
                " (https://www.globenewswire.com/x) ",
                " https://x.com/accesswire/Business-Wire ",
            ]
            .map(String::from),
        );
        let text =
            prop::collection::vec(prop::sample::select(fragments), 0..60).prop_map(|t| t.concat());
        let mut runner = TestRunner::new(Config {
            cases: 500,
            ..Config::default()
        });
        runner
            .run(&text, |raw| {
                prop_assert_eq!(wire_from_scan(&raw), wire_anywhere(&raw), "{:?}", raw);
                Ok(())
            })
            .unwrap();
    }
}
