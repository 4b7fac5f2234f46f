//! Reporting periods: "the quarter and nine months ended September 30, 2019", "Q2 2024",
//! "third quarter of 2019", "full year 2020", "fiscal year ended June 30, 2023", "first half of
//! 2024", balances "as of December 31, 2023", and comparisons "the same periods in 2018",
//! "the comparable period in 2023", "the prior-year quarter".
//!
//! Labels follow the calendar of the period's end (SCHEMA.md): a fiscal third quarter that ended
//! March 31, 2022 is `2022-Q1`, with `FY2022 Q3` as its fiscal label.

use std::sync::LazyLock;

use crate::text::rule::{Rule, RuleList};
use chrono::{Datelike, NaiveDate};

use super::dates::{first_date_in, MONTH};
use crate::text::ceil_boundary;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeriodType {
    Quarter,
    Half,
    NineMonths,
    Year,
}

impl PeriodType {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodType::Quarter => "quarter",
            PeriodType::Half => "half",
            PeriodType::NineMonths => "nine_months",
            PeriodType::Year => "year",
        }
    }
}

/// A period a figure covers, identified by its type and its last day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub ptype: PeriodType,
    pub end: NaiveDate,
    /// The company's own name for it when that differs from the calendar label (`FY2022 Q3`).
    pub fiscal_label: Option<String>,
    /// The year the company counts it in: its fiscal year when it names one, else the calendar
    /// year of `end`.
    pub fiscal_year: i32,
}

impl Period {
    /// A calendar period of `ptype` ending at the end of `end_month` of `year`.
    pub fn calendar(ptype: PeriodType, year: i32, end_month: u32) -> Option<Period> {
        let end = month_end(year, end_month)?;
        Some(Period {
            ptype,
            end,
            fiscal_label: None,
            fiscal_year: year,
        })
    }

    /// `2019-Q3`, `2019-H1`, `2019-9M`, `2019-FY`, by the calendar of the end date.
    pub fn label(&self) -> String {
        let mut label = String::with_capacity(8);
        self.write_label(&mut label);
        label
    }

    /// Appends [`Period::label`] to `out`: a table of many periods writes them all through one
    /// buffer instead of allocating each.
    pub fn write_label(&self, out: &mut String) {
        use std::fmt::Write;
        let (ptype, year, part) = self.label_key();
        let written = match ptype {
            PeriodType::Quarter => write!(out, "{year}-Q{part}"),
            PeriodType::Half => write!(out, "{year}-H{part}"),
            PeriodType::NineMonths => write!(out, "{year}-9M"),
            PeriodType::Year => write!(out, "{year}-FY"),
        };
        written.expect("writing to a String cannot fail");
    }

    /// What [`Period::label`] is made of: the type, the calendar year of the end date, and
    /// the quarter or half (0 for the others). Two periods have one label when these agree.
    pub fn label_key(&self) -> (PeriodType, i32, u32) {
        let m = self.end.month();
        let part = match self.ptype {
            PeriodType::Quarter => m.div_ceil(3),
            PeriodType::Half => 1 + u32::from(m > 6),
            PeriodType::NineMonths | PeriodType::Year => 0,
        };
        (self.ptype, self.end.year(), part)
    }

    /// The same period `years` years earlier.
    pub fn years_earlier(&self, years: i32) -> Option<Period> {
        let end = month_end(self.end.year() - years, self.end.month())?;
        let fiscal_year = self.fiscal_year - years;
        let fiscal_label = self
            .fiscal_label
            .as_ref()
            .map(|l| l.replacen(&self.fiscal_year.to_string(), &fiscal_year.to_string(), 1));
        Some(Period {
            ptype: self.ptype,
            end,
            fiscal_label,
            fiscal_year,
        })
    }
}

/// ", and 2024" or " and 2024" right after a date: where it ends and the year, when the year is
/// an earlier one.
fn and_year_after(hay: &str, at: usize) -> Option<(usize, i32)> {
    let rest = &hay[at..];
    let trimmed = rest.trim_start_matches([',', ' ']);
    let after_and = trimmed.strip_prefix("and ")?;
    let digits: &str = after_and.get(..4)?;
    let year: i32 = digits.parse().ok()?;
    if !(1990..=2100).contains(&year) || after_and[4..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let end = at + (rest.len() - after_and.len()) + 4;
    Some((end, year))
}

pub fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)?.pred_opt()
}

/// What a period phrase refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodRef {
    /// One or more periods, in the order written ("the quarter and nine months ended ...").
    Explicit(Vec<Period>),
    /// A fiscal period whose calendar position the text does not give ("fiscal Q3 2025"):
    /// figures for it are not reported rather than labelled by guess.
    UnknownFiscal,
    /// The period(s) of the figure it is compared with, in `year` or one year earlier.
    Same { year: Option<i32> },
    /// A bare year after a comparison: "compared to $12.7 million in 2018".
    BareYear(i32),
    /// A balance date: "as of December 31, 2023".
    Balance(NaiveDate),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodMention {
    pub start: usize,
    pub end: usize,
    pub period: PeriodRef,
}

pub const ORDINAL: &str = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)";
pub const YEAR: &str = r"(?:19|20)\d{2}";

/// The kinds of period phrase, as the `period` rules of `rules/financials.toml` name them in
/// `produces`; each kind's groups are read as that family's note says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PhraseKind {
    /// "... ended December 31, 2023": the date follows.
    Ended,
    /// "third quarter of 2024", "Q3 2024", "3Q24", "2024 third quarter".
    Quarter,
    /// "full year 2024", "fiscal 2025", "FY24", "2024 annual", "the year 2023".
    Year,
    /// "first half of 2024", "1H24", "H2 2023".
    Half,
    /// "nine months of 2024", "9M24".
    NineMonths,
    /// "as of December 31, ...": the date follows.
    Balance,
    /// "the same period in 2023", "a year ago", "the prior year".
    Same,
    /// "in 2023", "for fiscal 2024".
    BareYear,
}

impl PhraseKind {
    const ALL: [(&'static str, PhraseKind); 8] = [
        ("ended", PhraseKind::Ended),
        ("quarter", PhraseKind::Quarter),
        ("year", PhraseKind::Year),
        ("half", PhraseKind::Half),
        ("nine_months", PhraseKind::NineMonths),
        ("balance", PhraseKind::Balance),
        ("same", PhraseKind::Same),
        ("bare_year", PhraseKind::BareYear),
    ];

    fn named(name: &str) -> Option<PhraseKind> {
        PhraseKind::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, k)| *k)
    }
}

/// Every period phrase of the `period` rules, with its kind. A financial sentence holds few of
/// the kinds, so one pass of their set picks the rules worth searching it with.
static PERIOD_RULES: LazyLock<(Vec<PhraseKind>, RuleList)> = LazyLock::new(|| {
    let family = crate::rulebook::family("financials", "period");
    let kinds = family
        .produced()
        .into_iter()
        .zip(family.names())
        .map(|(kind, name)| {
            PhraseKind::named(kind)
                .unwrap_or_else(|| panic!("period rule {name}: no kind of phrase {kind:?}"))
        })
        .collect();
    let rules = crate::text::pattern::regex_list(family.patterns()).expect("period regexes");
    (kinds, rules)
});

/// The number an ordinal names, "first" to "fourth" or "1st" to "4th", in any case.
fn ordinal_number(s: &str) -> Option<u32> {
    const ORDINALS: [(&str, u32); 8] = [
        ("first", 1),
        ("1st", 1),
        ("second", 2),
        ("2nd", 2),
        ("third", 3),
        ("3rd", 3),
        ("fourth", 4),
        ("4th", 4),
    ];
    ORDINALS
        .iter()
        .find(|(word, _)| word.eq_ignore_ascii_case(s))
        .map(|&(_, n)| n)
}

/// The year a match of a `same` or `bare_year` rule names: its year group is the match's last
/// four characters when it took part, and otherwise the match ends in a word ("the prior
/// year"). Read from the text, it spares the rules a capture search (a bounded backtracker).
fn year_at_end(matched: &str) -> Option<i32> {
    let digits = matched.get(matched.len().checked_sub(4)?..)?;
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        full_year(digits)
    } else {
        None
    }
}

fn full_year(s: &str) -> Option<i32> {
    let y: i32 = s.parse().ok()?;
    Some(if y < 100 { 2000 + y } else { y })
}

/// Fiscal-year settings a document states elsewhere ("fiscal year ending June 30").
#[derive(Debug, Clone, Copy, Default)]
pub struct FiscalCalendar {
    /// The month a fiscal year ends in, when the document says.
    pub year_end_month: Option<u32>,
}

impl FiscalCalendar {
    fn quarter(&self, n: u32, fiscal_year: i32) -> PeriodRef {
        match self.year_end_month {
            Some(end_month) => {
                // Quarter n of a fiscal year ending in end_month ends 3*(4-n) months earlier.
                let total = fiscal_year * 12 + end_month as i32 - 1 - 3 * (4 - n as i32);
                let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
                match month_end(y, m) {
                    Some(end) => PeriodRef::Explicit(vec![Period {
                        ptype: PeriodType::Quarter,
                        end,
                        fiscal_label: (end_month != 12).then(|| format!("FY{fiscal_year} Q{n}")),
                        fiscal_year,
                    }]),
                    None => PeriodRef::UnknownFiscal,
                }
            }
            None => PeriodRef::UnknownFiscal,
        }
    }
}

/// Every period phrase in `text[from..to]`, offsets into `text`, non-overlapping.
pub fn find_periods_in(
    text: &str,
    from: usize,
    to: usize,
    fiscal: FiscalCalendar,
) -> Vec<PeriodMention> {
    let hay = &text[from..to];
    let mut found: Vec<PeriodMention> = Vec::new();
    let mut push = |s: usize, e: usize, period: PeriodRef| {
        found.push(PeriodMention {
            start: from + s,
            end: from + e,
            period,
        });
    };

    let (kinds, list) = &*PERIOD_RULES;
    let rules = list.matching(hay);
    // The rules of one kind, in file order.
    let of = |kind: PhraseKind| {
        kinds
            .iter()
            .enumerate()
            .filter(move |(_, k)| **k == kind)
            .map(|(i, _)| i)
    };
    for m in of(PhraseKind::Ended).flat_map(|i| rules.find_iter(i)) {
        let Some(date) = first_date_in(hay, m.start(), ceil_boundary(hay, m.end() + 30)) else {
            continue;
        };
        if let Some((start, mut periods)) = periods_before_ended(hay, m.start(), date.date) {
            // "the three months ended June 30, 2025 and 2024": the same period a year apart.
            let mut end = date.end;
            if let [period] = periods.as_slice() {
                if let Some((year_end, year)) =
                    and_year_after(hay, date.end).filter(|(_, y)| *y < period.end.year())
                {
                    if let Some(other) = period.years_earlier(period.end.year() - year) {
                        periods.push(other);
                        end = year_end;
                    }
                }
            }
            push(start, end, PeriodRef::Explicit(periods));
        }
    }
    for c in of(PhraseKind::Quarter).flat_map(|i| rules.captures_iter(i)) {
        let whole = c.get(0).expect("group 0");
        let fiscal_word = ["f1", "f2", "f3", "f4", "f5", "f6"]
            .iter()
            .any(|g| c.name(g).is_some());
        let (n, year) = if let Some(o) = c.name("ord") {
            (
                ordinal_number(o.as_str()),
                c.name("y1").and_then(|y| full_year(y.as_str())),
            )
        } else if let Some(q) = c.name("q2") {
            let y = c.name("y2").or(c.name("y4"));
            (
                q.as_str().parse().ok(),
                y.and_then(|y| full_year(y.as_str())),
            )
        } else if let Some(q) = c.name("q3") {
            (
                q.as_str().parse().ok(),
                c.name("y3").and_then(|y| full_year(y.as_str())),
            )
        } else {
            (
                c.name("ord5").and_then(|o| ordinal_number(o.as_str())),
                c.name("y5").and_then(|y| full_year(y.as_str())),
            )
        };
        let (Some(n), Some(year)) = (n, year) else {
            continue;
        };
        let period = if fiscal_word && fiscal.year_end_month != Some(12) {
            fiscal.quarter(n, year)
        } else {
            match Period::calendar(PeriodType::Quarter, year, n * 3) {
                Some(p) => PeriodRef::Explicit(vec![p]),
                None => continue,
            }
        };
        push(whole.start(), whole.end(), period);
    }
    for c in of(PhraseKind::Year).flat_map(|i| rules.captures_iter(i)) {
        let whole = c.get(0).expect("group 0");
        let kind = c
            .name("kind")
            .or(c.name("kind2"))
            .map(|k| k.as_str().to_ascii_lowercase());
        let year = c
            .name("y1")
            .or(c.name("y2"))
            .or(c.name("y3"))
            .and_then(|y| full_year(y.as_str()));
        let Some(year) = year else { continue };
        let fiscal_word = kind
            .as_deref()
            .is_some_and(|k| k.starts_with("fiscal") || k == "fy");
        let period = match (fiscal_word, fiscal.year_end_month) {
            (true, Some(m)) if m != 12 => month_end(year, m).map(|end| {
                PeriodRef::Explicit(vec![Period {
                    ptype: PeriodType::Year,
                    end,
                    fiscal_label: Some(format!("FY{year}")),
                    fiscal_year: year,
                }])
            }),
            (true, None) => Some(PeriodRef::UnknownFiscal),
            _ => Period::calendar(PeriodType::Year, year, 12).map(|p| PeriodRef::Explicit(vec![p])),
        };
        if let Some(period) = period {
            push(whole.start(), whole.end(), period);
        }
    }
    for c in of(PhraseKind::Half).flat_map(|i| rules.captures_iter(i)) {
        let whole = c.get(0).expect("group 0");
        let (h, year) = if let Some(o) = c.name("ord") {
            (
                ordinal_number(o.as_str()),
                c.name("y1").and_then(|y| full_year(y.as_str())),
            )
        } else if let Some(h) = c.name("h2") {
            (
                h.as_str().parse().ok(),
                c.name("y2").and_then(|y| full_year(y.as_str())),
            )
        } else {
            (
                c.name("h3").and_then(|h| h.as_str().parse().ok()),
                c.name("y3").and_then(|y| full_year(y.as_str())),
            )
        };
        let (Some(h), Some(year)) = (h, year) else {
            continue;
        };
        if c.name("f1").is_some() && fiscal.year_end_month.is_none_or(|m| m != 12) {
            push(whole.start(), whole.end(), PeriodRef::UnknownFiscal);
            continue;
        }
        if let Some(p) = Period::calendar(PeriodType::Half, year, h * 6) {
            push(whole.start(), whole.end(), PeriodRef::Explicit(vec![p]));
        }
    }
    for c in of(PhraseKind::NineMonths).flat_map(|i| rules.captures_iter(i)) {
        let whole = c.get(0).expect("group 0");
        let year = c
            .name("y1")
            .or(c.name("y2"))
            .and_then(|y| full_year(y.as_str()));
        if let Some(p) = year.and_then(|y| Period::calendar(PeriodType::NineMonths, y, 9)) {
            push(whole.start(), whole.end(), PeriodRef::Explicit(vec![p]));
        }
    }
    for m in of(PhraseKind::Balance).flat_map(|i| rules.find_iter(i)) {
        if let Some(date) = first_date_in(hay, m.start(), ceil_boundary(hay, m.end() + 30)) {
            if date.start <= m.end() + 1 {
                push(m.start(), date.end, PeriodRef::Balance(date.date));
            }
        }
    }
    for whole in of(PhraseKind::Same).flat_map(|i| rules.find_iter(i)) {
        let year = year_at_end(whole.as_str());
        push(whole.start(), whole.end(), PeriodRef::Same { year });
    }
    for whole in of(PhraseKind::BareYear).flat_map(|i| rules.find_iter(i)) {
        if let Some(y) = year_at_end(whole.as_str()) {
            push(whole.start(), whole.end(), PeriodRef::BareYear(y));
        }
    }

    // Earliest first; at one start the longest; then drop anything overlapping a kept phrase.
    found.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut out: Vec<PeriodMention> = Vec::with_capacity(found.len());
    for m in found {
        if out.last().is_none_or(|last| m.start >= last.end) {
            out.push(m);
        } else if let Some(last) = out.last_mut() {
            // A longer phrase starting inside the kept one (rare) replaces it only if it
            // swallows it whole, e.g. a bare year inside "the same periods in 2018".
            if m.start <= last.start && m.end >= last.end {
                *last = m;
            }
        }
    }
    out
}

/// Reads the words before "ended <date>" backwards: "the quarter and nine months", "three and
/// six months", "second quarter", "fiscal year". Returns where the phrase starts and its periods.
fn periods_before_ended(
    hay: &str,
    ended_at: usize,
    end: NaiveDate,
) -> Option<(usize, Vec<Period>)> {
    let window_start = hay[..ended_at]
        .char_indices()
        .rev()
        .nth(90)
        .map_or(0, |(i, _)| i);
    let before = &hay[window_start..ended_at];
    // The words with their offsets, walking back while every hyphenated part of one is a
    // period word; then put in reading order.
    let mut words: Vec<(usize, &str)> = Vec::with_capacity(8);
    let mut pos = before.len();
    for word in before.rsplit(|c: char| c.is_ascii_whitespace() || c == ',') {
        let word_start = pos - word.len();
        pos = word_start.saturating_sub(1);
        if word.is_empty() {
            continue;
        }
        if !word.split('-').all(|part| period_word(part).is_some()) {
            break;
        }
        words.push((window_start + word_start, word));
    }
    words.reverse();
    // Leading glue words do not belong to the phrase.
    let phrase_from = words
        .iter()
        .position(|(_, w)| !matches!(period_word(w), Some(PeriodWord::Glue)))?;
    let start = words[phrase_from].0;

    let mut kinds: Vec<(PeriodType, Option<u32>)> = Vec::new();
    let mut pending_counts: Vec<PeriodType> = Vec::new();
    let mut ordinal: Option<u32> = None;
    let parts = words[phrase_from..]
        .iter()
        .flat_map(|(_, w)| w.split('-'))
        .filter_map(period_word);
    for part in parts {
        match part {
            PeriodWord::Months(ptype) => pending_counts.push(ptype),
            PeriodWord::Month => kinds.extend(pending_counts.drain(..).map(|k| (k, None))),
            PeriodWord::Quarter => kinds.push((PeriodType::Quarter, ordinal.take())),
            PeriodWord::Year => kinds.push((PeriodType::Year, None)),
            PeriodWord::Half => kinds.push((PeriodType::Half, ordinal.take())),
            PeriodWord::Ordinal(n) => ordinal = Some(n),
            PeriodWord::Glue | PeriodWord::Other => {}
        }
    }
    if kinds.is_empty() {
        return None;
    }
    let mut periods = Vec::new();
    for (ptype, ord) in kinds {
        if ptype == PeriodType::Half && ord.is_some() && end.month() % 6 != 0 {
            continue;
        }
        let calendar_q = end.month().div_ceil(3);
        // The fiscal year is named after the calendar year its last month falls in.
        let fy_end_total = end.year() * 12 + end.month() as i32 - 1
            + match (ptype, ord) {
                (PeriodType::Quarter, Some(n)) => 3 * (4 - n as i32),
                (PeriodType::Quarter, None)
                | (PeriodType::Half, _)
                | (PeriodType::NineMonths, _) => 0,
                (PeriodType::Year, _) => 0,
            };
        let fiscal_year = fy_end_total.div_euclid(12);
        let fiscal_label = match (ptype, ord) {
            (PeriodType::Quarter, Some(n)) if n != calendar_q => {
                Some(format!("FY{fiscal_year} Q{n}"))
            }
            (PeriodType::Year, _) if end.month() != 12 => Some(format!("FY{}", end.year())),
            _ => None,
        };
        periods.push(Period {
            ptype,
            end,
            fiscal_label,
            fiscal_year: if matches!(ptype, PeriodType::Quarter) && ord.is_some() {
                fiscal_year
            } else {
                end.year()
            },
        });
    }
    (!periods.is_empty()).then_some((start, periods))
}

/// What a word of a period phrase read backwards from "ended" says.
#[derive(Clone, Copy)]
enum PeriodWord {
    /// A count of months: "three", "6", "nine", "twelve".
    Months(PeriodType),
    /// "month", "months": the counts before it are that many months.
    Month,
    Quarter,
    Year,
    Half,
    /// "first" to "fourth", "1st" to "4th".
    Ordinal(u32),
    /// Words that join a phrase's words and are not part of it when they lead it: "and", "&",
    /// "the", "period", "periods".
    Glue,
    /// Other words a phrase may hold that say nothing by themselves: "fiscal", "full",
    /// "calendar", "week", "weeks".
    Other,
}

/// The period word `word` is (in any case), if it is one. Compared in place, where a lower-cased
/// copy of every word before every "ended <date>" (and a vector of its parts) was allocated.
fn period_word(word: &str) -> Option<PeriodWord> {
    const WORDS: [(&str, PeriodWord); 25] = [
        ("three", PeriodWord::Months(PeriodType::Quarter)),
        ("3", PeriodWord::Months(PeriodType::Quarter)),
        ("six", PeriodWord::Months(PeriodType::Half)),
        ("6", PeriodWord::Months(PeriodType::Half)),
        ("nine", PeriodWord::Months(PeriodType::NineMonths)),
        ("9", PeriodWord::Months(PeriodType::NineMonths)),
        ("twelve", PeriodWord::Months(PeriodType::Year)),
        ("12", PeriodWord::Months(PeriodType::Year)),
        ("month", PeriodWord::Month),
        ("months", PeriodWord::Month),
        ("quarter", PeriodWord::Quarter),
        ("quarters", PeriodWord::Quarter),
        ("year", PeriodWord::Year),
        ("years", PeriodWord::Year),
        ("half", PeriodWord::Half),
        ("fiscal", PeriodWord::Other),
        ("full", PeriodWord::Other),
        ("calendar", PeriodWord::Other),
        ("week", PeriodWord::Other),
        ("weeks", PeriodWord::Other),
        ("and", PeriodWord::Glue),
        ("&", PeriodWord::Glue),
        ("the", PeriodWord::Glue),
        ("period", PeriodWord::Glue),
        ("periods", PeriodWord::Glue),
    ];
    if let Some(n) = ordinal_number(word) {
        return Some(PeriodWord::Ordinal(n));
    }
    WORDS
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(word))
        .map(|&(_, kind)| kind)
}

/// The month a document's fiscal year ends in, when it says so ("fiscal year ending June 30",
/// "fiscal year ended March 31, 2023"); December otherwise is not assumed.
pub fn fiscal_year_end(text: &str) -> FiscalCalendar {
    static FY_END: LazyLock<Rule> = LazyLock::new(|| {
        crate::text::pattern::scanning_regex(&format!(r"(?i)fiscal\s+year\s+(?:\d{{4}}\s+)?(?:end(?:ed|ing|s)?|which\s+ends)\s+(?:on\s+)?(?P<m>{MONTH})"))
            .expect("fiscal year end regex")
    });
    let year_end_month = FY_END
        .captures(text)
        .and_then(|c| super::dates::month_number(&c["m"]));
    FiscalCalendar { year_end_month }
}

crate::text::pattern::compile_rules!(PERIOD_RULES,);

#[cfg(test)]
mod tests {
    use super::*;

    /// Two periods share a label exactly when their label keys agree, and the label written into
    /// a buffer is the label.
    /// The year read from the end of a match is what the rules' year groups held.
    #[test]
    fn years_read_from_the_end_as_from_the_groups() {
        let edges = [
            "the same period in 2023, the prior year, fiscal 2024, the comparable quarters of fiscal 2019",
            "in 2024, during fiscal 1999, for 2030, a year ago, the same 12-month period last year",
        ];
        let mut checked = 0;
        for text in crate::text::sample_texts(&edges) {
            let (kinds, list) = &*PERIOD_RULES;
            let read_at_end = kinds
                .iter()
                .zip(list.rules())
                .filter(|(k, _)| matches!(k, PhraseKind::Same | PhraseKind::BareYear));
            for (_, rule) in read_at_end {
                for c in rule.captures_iter(&text) {
                    let whole = c.get(0).unwrap();
                    let want = ["y1", "y2", "y"]
                        .iter()
                        .find_map(|g| c.name(g))
                        .and_then(|y| full_year(y.as_str()));
                    assert_eq!(year_at_end(whole.as_str()), want, "{}", whole.as_str());
                    checked += 1;
                }
            }
        }
        assert!(
            checked > crate::text::at_least(50, 15),
            "period phrases checked: {checked}"
        );
    }

    #[test]
    fn label_keys_tell_labels_apart() {
        let types = [
            PeriodType::Quarter,
            PeriodType::Half,
            PeriodType::NineMonths,
            PeriodType::Year,
        ];
        let periods: Vec<Period> = types
            .iter()
            .flat_map(|&t| (2023..=2024).flat_map(move |y| (1..=12).map(move |m| (t, y, m))))
            .filter_map(|(t, y, m)| Period::calendar(t, y, m))
            .collect();
        assert_eq!(periods.len(), 96);
        let mut out = String::from("x");
        for a in &periods {
            out.truncate(1);
            a.write_label(&mut out);
            assert_eq!(out[1..], a.label());
            for b in &periods {
                assert_eq!(a.label_key() == b.label_key(), a.label() == b.label());
            }
        }
        assert_eq!(periods[4].label(), "2023-Q2");
        assert_eq!(periods[24 + 6].label(), "2023-H2");
    }

    /// Each kind of phrase has a rule that reads it, and every rule's kind is known.
    #[test]
    fn each_kind_of_phrase_has_a_rule() {
        let (kinds, list) = &*PERIOD_RULES;
        for (kind, phrase) in [
            (
                PhraseKind::Ended,
                "the three months ended December 31, 2023",
            ),
            (PhraseKind::Quarter, "in Q3 2024"),
            (PhraseKind::Year, "for full year 2024"),
            (PhraseKind::Half, "in the first half of 2024"),
            (PhraseKind::NineMonths, "for the nine months of 2024"),
            (PhraseKind::Balance, "as of December 31, 2023"),
            (PhraseKind::Same, "the same period in 2023"),
            (PhraseKind::BareYear, "compared to $3 million in 2023"),
        ] {
            let matching = list.matching(phrase);
            let found = (0..list.len())
                .filter(|&i| kinds[i] == kind)
                .any(|i| matching.find_iter(i).next().is_some());
            assert!(found, "{kind:?}: {phrase}");
        }
        assert_eq!(kinds.len(), list.len());
    }

    fn labels(text: &str) -> Vec<Vec<String>> {
        find_periods_in(text, 0, text.len(), FiscalCalendar::default())
            .into_iter()
            .map(|m| match m.period {
                PeriodRef::Explicit(ps) => ps.iter().map(|p| p.label()).collect(),
                PeriodRef::Balance(d) => vec![format!("as of {d}")],
                PeriodRef::Same { year } => vec![format!("same {year:?}")],
                PeriodRef::BareYear(y) => vec![format!("in {y}")],
                PeriodRef::UnknownFiscal => vec!["unknown fiscal".into()],
            })
            .collect()
    }

    #[test]
    fn ended_lists() {
        assert_eq!(
            labels("for the quarter and nine months ended September 30, 2019 was"),
            vec![vec!["2019-Q3", "2019-9M"]]
        );
        assert_eq!(
            labels("for the three and six months ended June 30, 2024"),
            vec![vec!["2024-Q2", "2024-H1"]]
        );
        assert_eq!(
            labels("for the year ended December 31, 2023"),
            vec![vec!["2023-FY"]]
        );
        assert_eq!(
            labels("for the three-month period ended March 31, 2025"),
            vec![vec!["2025-Q1"]]
        );
    }

    /// The words before "ended" are read in any case and hyphenated or not; a word that is
    /// not a period word (or an empty part, "six- months") ends the phrase.
    #[test]
    fn ended_lists_in_any_case_stop_at_other_words() {
        assert_eq!(
            labels("For The Three And Six Months Ended June 30, 2024"),
            vec![vec!["2024-Q2", "2024-H1"]]
        );
        assert_eq!(
            labels("results for the Second-Quarter ended June 30, 2024"),
            vec![vec!["2024-Q2"]]
        );
        assert_eq!(
            labels("in its 4TH QUARTER AND FULL YEAR ENDED DECEMBER 31, 2023"),
            vec![vec!["2023-Q4", "2023-FY"]]
        );
        assert_eq!(
            labels("revenue for the six- months ended June 30, 2024"),
            labels("revenue for the months ended June 30, 2024")
        );
        assert_eq!(
            labels("net loss for the period ended June 30, 2024"),
            labels("net loss for ended June 30, 2024")
        );
    }

    #[test]
    fn fiscal_quarter_gets_calendar_label() {
        let text = "its fiscal third quarter ended March 31, 2022";
        let found = find_periods_in(text, 0, text.len(), FiscalCalendar::default());
        let PeriodRef::Explicit(ps) = &found[0].period else {
            panic!()
        };
        assert_eq!(ps[0].label(), "2022-Q1");
        assert_eq!(ps[0].fiscal_label.as_deref(), Some("FY2022 Q3"));
        assert_eq!(ps[0].fiscal_year, 2022);
    }

    #[test]
    fn named_periods() {
        assert_eq!(
            labels("for the third quarter of 2019"),
            vec![vec!["2019-Q3"]]
        );
        assert_eq!(
            labels("for Q2 2024 versus Q2 2023"),
            vec![vec!["2024-Q2"], vec!["2023-Q2"]]
        );
        assert_eq!(labels("in 3Q24"), vec![vec!["2024-Q3"]]);
        assert_eq!(labels("for the full year 2020"), vec![vec!["2020-FY"]]);
        assert_eq!(labels("for the first half of 2024"), vec![vec!["2024-H1"]]);
        assert_eq!(
            labels("for the first nine months of 2019"),
            vec![vec!["2019-9M"]]
        );
        assert_eq!(labels("2023 full year"), vec![vec!["2023-FY"]]);
    }

    #[test]
    fn fiscal_without_calendar_is_unknown() {
        assert_eq!(
            labels("during the third quarter of fiscal year 2025"),
            vec![vec!["unknown fiscal"]]
        );
        let fy = FiscalCalendar {
            year_end_month: Some(6),
        };
        let found = find_periods_in("third quarter of fiscal year 2025", 0, 33, fy);
        let PeriodRef::Explicit(ps) = &found[0].period else {
            panic!("{found:?}")
        };
        assert_eq!(
            (ps[0].label(), ps[0].fiscal_label.clone()),
            ("2025-Q1".into(), Some("FY2025 Q3".into()))
        );
    }

    #[test]
    fn comparisons_and_balances() {
        assert_eq!(
            labels("for the same periods in 2018"),
            vec![vec!["same Some(2018)"]]
        );
        assert_eq!(
            labels("for the comparable period in 2023"),
            vec![vec!["same Some(2023)"]]
        );
        assert_eq!(
            labels("in the same quarter of the previous year"),
            vec![vec!["same None"]]
        );
        assert_eq!(
            labels("compared to $12.7 million in 2018"),
            vec![vec!["in 2018"]]
        );
        assert_eq!(
            labels("as of December 31, 2023"),
            vec![vec!["as of 2023-12-31"]]
        );
    }

    #[test]
    fn fiscal_year_end_is_read() {
        assert_eq!(
            fiscal_year_end("our fiscal year ending June 30").year_end_month,
            Some(6)
        );
        assert_eq!(fiscal_year_end("nothing").year_end_month, None);
    }
}
