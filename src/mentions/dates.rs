//! Calendar dates as releases write them: `January 8, 2019`, `Sept. 22, 2017`, `Dec. 4, 2020`,
//! `18 January 2018`, `May 28th, 2025`, `2019-11-06`, and ranges such as `December 5-8, 2020`
//! (the first day is the date; the last is kept as `last`).

use std::sync::LazyLock;

use crate::text::rule::Rule;
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMention {
    pub start: usize,
    pub end: usize,
    pub date: NaiveDate,
    /// The last day of a range such as `December 5-8, 2020`.
    pub last: Option<NaiveDate>,
}

pub const MONTH: &str = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept(?:ember)?|Sep|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";

static DATE: LazyLock<Rule> = LazyLock::new(|| {
    let mdy = format!(
        r"(?P<m1>{MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:-|to|through)\s*(?:(?P<m1b>{MONTH})\.?\s+)?(?P<d1b>\d{{1,2}})(?:st|nd|rd|th)?)?,?\s+(?P<y1>(?:19|20)\d{{2}})"
    );
    let dmy = format!(
        r"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*-\s*(?P<d2b>\d{{1,2}}))?\s+(?:of\s+)?(?P<m2>{MONTH})\.?,?\s+(?P<y2>(?:19|20)\d{{2}})"
    );
    let iso = r"(?P<y3>(?:19|20)\d{2})-(?P<m3>\d{2})-(?P<d3>\d{2})";
    crate::text::pattern::regex(&format!(r"(?i)(?-u:\b)(?:{mdy}|{dmy}|{iso})(?-u:\b)"))
        .expect("date regex")
});

/// True for an English month name or its usual abbreviation, written as a word ("March",
/// "Sept."); unlike [`month_number`] it does not accept longer words ("Maryland").
pub fn is_month_name(word: &str) -> bool {
    const NAMES: &[&str] = &[
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
    ];
    NAMES.contains(&word.trim_end_matches([',', '.']))
}

/// The month number of an English month name or abbreviation (any case).
pub fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let m = match lower.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

/// The date (and the last day of a range) that a match of [`DATE`] writes, read from its text.
///
/// The match's shape tells its form: four digits first is ISO, a digit first is day-month-year,
/// a letter first is month-day-year. Its numbers are then day, (last day,) year, and its month
/// names the month and the range's last month; the other words in it (`th`, `of`, `to`) are no
/// month. Reading the text this way gives what the regex's groups held (a test checks it on
/// every sample release) without their capture search, a bounded backtracker over every match.
fn date_in_match(matched: &str) -> Option<(NaiveDate, Option<NaiveDate>)> {
    let mut numbers = [0u32; 3];
    let mut n_numbers = 0;
    let mut first_number_len = 0;
    // The month number of each word, in order (`None` for `th`, `of`, `to`, `through`).
    let mut words: [Option<u32>; 5] = [None; 5];
    let mut n_words = 0;
    let mut rest = matched;
    while let Some(c) = rest.chars().next() {
        let run = if c.is_ascii_digit() {
            let len = rest.bytes().take_while(u8::is_ascii_digit).count();
            let slot = numbers.get_mut(n_numbers)?;
            *slot = rest[..len].parse().ok()?;
            if n_numbers == 0 {
                first_number_len = len;
            }
            n_numbers += 1;
            len
        } else if c.is_alphabetic() {
            let len = rest
                .find(|c: char| !c.is_alphabetic())
                .unwrap_or(rest.len());
            *words.get_mut(n_words)? = month_number(&rest[..len]);
            n_words += 1;
            len
        } else {
            c.len_utf8()
        };
        rest = &rest[run..];
    }
    let numbers = &numbers[..n_numbers];
    let words = &words[..n_words];
    let digit_first = matched.starts_with(|c: char| c.is_ascii_digit());
    let (year, month, day, last_month, last_day) = if digit_first && first_number_len == 4 {
        let [y, m, d] = numbers else { return None };
        (*y, Some(*m), *d, None, None)
    } else {
        let (&day, rest) = numbers.split_first()?;
        let (&year, between) = rest.split_last()?;
        let last_day = between.first().copied();
        let (month, last_month) = if digit_first {
            let month = words.iter().find_map(|m| *m);
            (month, month)
        } else {
            let (&month, others) = words.split_first()?;
            (month, others.iter().find_map(|m| *m).or(month))
        };
        (year, month, day, last_month, last_day)
    };
    let date = NaiveDate::from_ymd_opt(year as i32, month?, day)?;
    let last = match (last_month, last_day) {
        (Some(lm), Some(ld)) => NaiveDate::from_ymd_opt(year as i32, lm, ld).filter(|l| *l > date),
        _ => None,
    };
    Some((date, last))
}

/// Every date in `text`, in order.
pub fn find_dates(text: &str) -> Vec<DateMention> {
    find_dates_in(text, 0, text.len())
}

/// Every date in `text[from..to]`, with offsets into `text`.
pub fn find_dates_in(text: &str, from: usize, to: usize) -> Vec<DateMention> {
    dates_in(text, from, to).collect()
}

/// The first date in `text[from..to]`: the search stops there. Datelines and event dates want
/// only it, and the head of each of a release's first lines was searched to its end for more.
pub fn first_date_in(text: &str, from: usize, to: usize) -> Option<DateMention> {
    dates_in(text, from, to).next()
}

/// Whether `bytes` hold `19` or `20`, as every match of [`DATE`] does: its years are those
/// two ASCII digits and two more.
fn may_hold_year(bytes: &[u8]) -> bool {
    memchr::memchr2_iter(b'1', b'2', bytes).any(|i| {
        let next = bytes.get(i + 1).copied();
        (bytes[i] == b'1' && next == Some(b'9')) || (bytes[i] == b'2' && next == Some(b'0'))
    })
}

/// The dates in `text[from..to]`, in order, found as they are asked for.
fn dates_in(text: &str, from: usize, to: usize) -> impl Iterator<Item = DateMention> + '_ {
    // Every date form holds a year, which starts `19` or `20`; most lines of a release's head,
    // searched for a dateline, hold neither, and looking is cheaper than a search.
    let hay = if may_hold_year(&text.as_bytes()[from..to]) {
        &text[from..to]
    } else {
        ""
    };
    DATE.find_iter(hay).filter_map(move |whole| {
        let (date, last) = date_in_match(whole.as_str())?;
        Some(DateMention {
            start: from + whole.start(),
            end: from + whole.end(),
            date,
            last,
        })
    })
}

crate::text::pattern::compile_rules!(DATE);

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Every date the rule finds in the sample texts holds what the check before it looks for.
    #[test]
    fn every_date_holds_a_year_start() {
        let edges = [
            "May \u{663}, 2024",
            "3rd of June 1999",
            "2021-04-05",
            "Dec. 1-3, 2020",
        ];
        let mut checked = 0;
        for text in crate::text::sample_texts(&edges) {
            for m in DATE.find_iter(&text) {
                assert!(may_hold_year(m.as_str().as_bytes()), "{}", m.as_str());
                checked += 1;
            }
        }
        assert!(
            checked >= crate::text::at_least(400, 30),
            "dates checked: {checked}"
        );
        assert!(!may_hold_year(b"$3.5 million, up 12% from 18 sites"));
        assert!(!may_hold_year(b"x 1") && may_hold_year(b"in 2019"));
    }

    fn one(text: &str) -> DateMention {
        let found = find_dates(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        found[0]
    }

    /// What the dates were read as from the rule's groups, before [`date_in_match`].
    fn date_from_groups(
        caps: &crate::text::rule::Captures,
    ) -> Option<(NaiveDate, Option<NaiveDate>)> {
        fn num(s: Option<crate::text::rule::Match>) -> Option<u32> {
            s?.as_str().parse().ok()
        }
        let parsed = if let Some(m) = caps.name("m1") {
            let month = month_number(m.as_str());
            let year = num(caps.name("y1")).map(|y| y as i32);
            let day = num(caps.name("d1"));
            let last_month = caps
                .name("m1b")
                .and_then(|m| month_number(m.as_str()))
                .or(month);
            let last_day = num(caps.name("d1b"));
            (year, month, day, last_month, last_day)
        } else if let Some(m) = caps.name("m2") {
            let month = month_number(m.as_str());
            let year = num(caps.name("y2")).map(|y| y as i32);
            (
                year,
                month,
                num(caps.name("d2")),
                month,
                num(caps.name("d2b")),
            )
        } else {
            let year = num(caps.name("y3")).map(|y| y as i32);
            (year, num(caps.name("m3")), num(caps.name("d3")), None, None)
        };
        let (Some(y), Some(m), Some(d), last_m, last_d) = parsed else {
            return None;
        };
        let date = NaiveDate::from_ymd_opt(y, m, d)?;
        let last = match (last_m, last_d) {
            (Some(lm), Some(ld)) => NaiveDate::from_ymd_opt(y, lm, ld).filter(|l| *l > date),
            _ => None,
        };
        Some((date, last))
    }

    /// The first date is the first of every date, also past a match that is no date
    /// (February 30), in a line without digits, and in a range of a longer text.
    #[test]
    fn the_first_date_is_the_first_of_all_the_dates() {
        let lines = [
            "SHANGHAI, China, Feb. 30, 2024 and March 3, 2024 /PRNewswire/ -- text",
            "CUPERTINO, Calif.--(BUSINESS WIRE)--12 March 2025-- Apple",
            "No dates here, only words.",
            "Dated 2024-13-01, then 2024-12-01 and 31/12/2024.",
            "",
        ];
        for line in lines {
            assert_eq!(
                first_date_in(line, 0, line.len()),
                find_dates_in(line, 0, line.len()).first().copied(),
                "{line}"
            );
        }
        let text = "Issued March 3, 2024. Held on 12 May 2025 in Paris.";
        let from = text.find("Held").unwrap();
        let first = first_date_in(text, from, text.len()).unwrap();
        assert_eq!(
            (&text[first.start..first.end], first.date),
            ("12 May 2025", ymd(2025, 5, 12))
        );
        assert_eq!(
            first_date_in(lines[0], 0, lines[0].len()).map(|d| d.date),
            Some(ymd(2024, 3, 3))
        );
    }

    #[test]
    fn dates_read_from_the_match_as_from_its_groups() {
        let edges = [
            "May 5th to June 8th, 2020; Sept. 22-24 2017; 3rd of March, 2021; 2019-11-06; 2019-13-45",
            "12-14 January 2019, 5 th May 2020, DECEMBER 5 THROUGH 8, 2020, 31 Feb 2020, Auguſt 3, 2021",
            "ſept 4, 2020; Dec 30 to Jan 2, 2021; 9 Mayo 2020; June 31, 2020; 1st-3 June 2022",
        ];
        let mut checked = 0;
        for text in crate::text::sample_texts(&edges) {
            for caps in DATE.captures_iter(&text) {
                let whole = caps.get(0).unwrap();
                assert_eq!(
                    date_in_match(whole.as_str()),
                    date_from_groups(&caps),
                    "{}",
                    whole.as_str()
                );
                checked += 1;
            }
        }
        assert!(
            checked > crate::text::at_least(200, 100),
            "dates checked: {checked}"
        );
    }

    #[test]
    fn month_day_year_forms() {
        assert_eq!(
            one("USA I January 8, 2019 I Cellular").date,
            ymd(2019, 1, 8)
        );
        assert_eq!(
            one("SHANGHAI, Dec. 4, 2020 /PRNewswire/").date,
            ymd(2020, 12, 4)
        );
        assert_eq!(
            one("Calif., Sept. 22, 2017 (GLOBE NEWSWIRE)").date,
            ymd(2017, 9, 22)
        );
        assert_eq!(
            one("DALLAS, TX -- May 28th, 2025 --").date,
            ymd(2025, 5, 28)
        );
        assert_eq!(
            one("on Saturday, December 5, 2020 at").date,
            ymd(2020, 12, 5)
        );
        assert_eq!(one("AUGUST 14 2024").date, ymd(2024, 8, 14));
    }

    #[test]
    fn day_month_year_and_iso() {
        let m = one("Cupertino, CA-18 January 2018 - Cellular");
        assert_eq!(m.date, ymd(2018, 1, 18));
        assert_eq!(one(" date 2019-11-06 Cellular").date, ymd(2019, 11, 6));
        assert_eq!(one("on the 3rd of March, 2021").date, ymd(2021, 3, 3));
    }

    #[test]
    fn ranges_keep_both_ends() {
        let m = one("held as a virtual event on December 5-8, 2020.");
        assert_eq!((m.date, m.last), (ymd(2020, 12, 5), Some(ymd(2020, 12, 8))));
        let m = one("to be held Nov. 17-20, 2025, in London");
        assert_eq!(
            (m.date, m.last),
            (ymd(2025, 11, 17), Some(ymd(2025, 11, 20)))
        );
    }

    #[test]
    fn invalid_and_partial_dates_are_ignored() {
        assert!(find_dates("February 30, 2020").is_empty());
        assert!(find_dates("in the third quarter of 2019").is_empty());
        assert!(find_dates("Mayor 12, 2020 and 12 Marches 2020").is_empty());
    }
}
