//! Figures from financial statement tables: statements of operations, balance sheets and
//! cash-flow summaries, as HTML tables (rows `cell | cell`), Markdown pipe tables, one line per
//! row, or rows run together on one line ("... 743,246Cost of goods sold 81,082 ...").
//!
//! A table is read as a run of rows, each a label and its figures. The lines above the first
//! figures (and any later header) say each column's period: durations ("Three Months Ended |
//! Nine Months Ended"), dates ("September 30,") and years ("2025 | 2024 | 2025 | 2024"), a
//! span of headers covering the columns under it in order; dates alone head a balance sheet.
//! "(in thousands)" scales the figures, per-share ones excepted. A row's label names a metric
//! through `data/statement_labels.csv`, matched whole, so a product line's or segment's row
//! never reads as the total. When a table cannot be read for sure (the columns and the header
//! disagree, a figure is run into its neighbour) it gives nothing.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;

use super::financials::{FinancialFact, Source};
use super::metrics::{Metric, MetricPhrase};
use super::{DocContext, Located};
use crate::mentions::periods::{month_end, Period, PeriodType};
use crate::text::rule::Rule;

const LABELS: &str = include_str!("../../data/statement_labels.csv");

/// The name in the `rule` column of rows read from a statement table.
pub const STATEMENT_RULE: &str = "statement_table";

/// What a row label names.
#[derive(Debug, Clone)]
struct LabelMeaning {
    phrase: MetricPhrase,
    per_share: bool,
    balance: bool,
    qualifier: Option<String>,
}

static LABEL_MEANINGS: LazyLock<HashMap<String, LabelMeaning>> = LazyLock::new(|| {
    crate::data::rows(LABELS)
        .iter()
        .map(|row| {
            let label = crate::data::field(row, 0);
            let produces = crate::data::field(row, 1);
            let phrase = MetricPhrase::from_produces(produces)
                .unwrap_or_else(|e| panic!("data/statement_labels.csv: {label}: {e}"));
            let qualifier = Some(crate::data::field(row, 4))
                .filter(|q| !q.is_empty())
                .map(str::to_string);
            let key = normalize_label(label);
            let meaning = LabelMeaning {
                phrase,
                per_share: crate::data::field(row, 2) == "yes",
                balance: crate::data::field(row, 3) == "yes",
                qualifier,
            };
            (key, meaning)
        })
        .collect()
});

/// A label as the label list keys it: lower case, words only, footnote marks, "common" and
/// "ordinary" left out.
fn normalize_label(label: &str) -> String {
    let lowered = label.to_lowercase().replace('&', " and ");
    let mut words: Vec<&str> = lowered
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "common" && *w != "ordinary")
        .collect();
    // Footnote marks: "(1)", "(a)" at the end.
    while let Some(last) = words.last() {
        if last.len() <= 2
            && (last.chars().all(|c| c.is_ascii_digit()) || *last == "a" || *last == "b")
        {
            words.pop();
        } else {
            break;
        }
    }
    words.join(" ")
}

/// One figure cell: its value (None for a nil dash), sign and where its digits are.
#[derive(Debug, Clone)]
struct Figure {
    value: Option<f64>,
    negative: bool,
    start: usize,
    end: usize,
    /// A bare four-digit year such as a column heading's "2025".
    year: Option<i32>,
}

/// A table row: the label and the figures after it.
#[derive(Debug, Clone)]
struct Row {
    label: String,
    figures: Vec<Figure>,
}

/// A figure written in a cell or a run of them: "$ (10,038)", "(0.42)", "1,872", "-", "—".
static FIGURE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"(?:\(\s*\$?\s*|\$\s*\(?\s*|-\s*\$?\s*)?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:\s*\))?|[—–]|(?:^|\s)-(?:\s|$)",
    )
    .expect("figure regex")
});

/// What may stand between two figures of one row: spaces, currency signs, a closing bracket's
/// leftovers.
fn is_gap(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_whitespace() || matches!(c, '$' | '€' | '£' | '¥'))
}

/// Reads a figure's text: value, sign, and a year when it is a bare four-digit year.
fn read_figure(s: &str, start: usize) -> Figure {
    let trimmed = s.trim();
    let at = start + (s.len() - s.trim_start().len());
    let end = at + trimmed.len();
    if matches!(trimmed, "—" | "–" | "-") {
        return Figure {
            value: None,
            negative: false,
            start: at,
            end,
            year: None,
        };
    }
    let negative = trimmed.contains('(') || trimmed.starts_with('-');
    let digits: String = trimmed
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let value = digits.parse::<f64>().ok();
    let year = (trimmed.len() == 4 && trimmed.chars().all(|c| c.is_ascii_digit()))
        .then(|| trimmed.parse::<i32>().ok())
        .flatten()
        .filter(|y| (1990..=2100).contains(y));
    Figure {
        value,
        negative,
        start: at,
        end,
        year,
    }
}

/// The rows of one line: a `|` row's cells, or the label-and-figures runs of a plain line.
fn rows_in_line(text: &str, start: usize, end: usize) -> Vec<Row> {
    let line = &text[start..end];
    if line.contains('|') {
        return pipe_row(line, start).into_iter().collect();
    }
    // Runs of figures separated only by spaces and currency signs; the text before each run
    // is its label. A run is a row when it has two figures or more, or ends the line.
    let mut runs: Vec<(usize, usize, Vec<Figure>)> = Vec::new();
    let mut last_end = 0;
    // Where each percentage ends: a label starts after it.
    let mut percent_ends: Vec<usize> = Vec::new();
    for m in FIGURE.find_iter(line) {
        // A change column's percentage ("56%", "(12)%") is not a figure of the row.
        let after = &line[m.end()..];
        if after.trim_start().starts_with('%') {
            percent_ends.push(m.end() + after.find('%').map_or(0, |i| i + 1));
            last_end = usize::MAX;
            continue;
        }
        let fig = read_figure(m.as_str(), start + m.start());
        let joins = runs
            .last()
            .is_some_and(|(_, e, _)| *e == last_end && is_gap(&line[last_end..m.start()]));
        if joins {
            let run = runs.last_mut().expect("a run");
            run.1 = m.end();
            run.2.push(fig);
        } else {
            runs.push((m.start(), m.end(), vec![fig]));
        }
        last_end = m.end();
    }
    let mut rows = Vec::new();
    let mut label_from = 0;
    for (i, (rs, re, figures)) in runs.iter().enumerate() {
        // A run that ends the line, or one a label follows with no space ("873Net income").
        let ends_line = line[*re..].trim().is_empty()
            || line[*re..].chars().next().is_some_and(char::is_alphabetic);
        let followed_by_label = runs
            .get(i + 1)
            .is_none_or(|(next, _, _)| line[*re..*next].chars().any(char::is_alphabetic));
        let label_start = percent_ends
            .iter()
            .filter(|&&e| e <= *rs)
            .fold(label_from, |a, &e| a.max(e));
        let label = line[label_start..*rs].trim();
        // A year ending a heading is the heading's: "Three Months Ended June 30, 2025".
        let heading_year = figures.len() == 1 && figures[0].year.is_some();
        if (figures.len() >= 2 || ends_line)
            && followed_by_label
            && !label.is_empty()
            && !heading_year
        {
            rows.push(Row {
                label: label.to_string(),
                figures: figures.clone(),
            });
            label_from = *re;
        } else if figures.len() >= 2 && label.is_empty() && followed_by_label {
            // A row of years under a heading: "2025 2024".
            rows.push(Row {
                label: String::new(),
                figures: figures.clone(),
            });
            label_from = *re;
        }
    }
    if rows.is_empty() && !line.trim().is_empty() {
        rows.push(Row {
            label: line.trim().to_string(),
            figures: Vec::new(),
        });
    }
    rows
}

/// A `cell | cell | ...` row (HTML tables as cbmg reads them, Markdown pipe tables): empty
/// cells left out, a lone "$" joined to the figure after it and a lone ")" to the one before.
fn pipe_row(line: &str, start: usize) -> Option<Row> {
    let mut label = String::new();
    let mut figures: Vec<Figure> = Vec::new();
    let mut offset = 0;
    for cell in line.split('|') {
        let cell_start = start + offset;
        offset += cell.len() + 1;
        let t = cell.trim();
        if t.is_empty() || matches!(t, "$" | "€" | "£" | "US$") {
            continue;
        }
        // A percentage whose sign is a cell of its own ("12 | %"): a change column's.
        if matches!(t, "%" | ")%") {
            figures.pop();
            continue;
        }
        if t.chars().all(|c| c == '-' || c == ':' || c == ' ') && t.contains("--") {
            return None; // a Markdown separator row
        }
        if t == ")" {
            if let Some(last) = figures.last_mut() {
                last.negative = true;
            }
            continue;
        }
        let at = cell_start + (cell.len() - cell.trim_start().len());
        match FIGURE.find(t) {
            Some(m) if m.start() == 0 && m.end() == t.len() => figures.push(read_figure(t, at)),
            // An opening bracket whose closing one is in the next cell: "(10,038 | )".
            Some(m)
                if m.end() == t.len()
                    && t[..m.start()].trim_end().ends_with('(')
                    && t[..m.start()].chars().all(|c| matches!(c, '(' | '$' | ' ')) =>
            {
                let mut f = read_figure(&t[m.start()..], at + m.start());
                f.negative = true;
                figures.push(f);
            }
            _ if figures.is_empty() => {
                if !label.is_empty() {
                    label.push(' ');
                }
                label.push_str(t);
            }
            // Text after the figures (a note reference): the row is read without it.
            _ => {}
        }
    }
    Some(Row { label, figures })
}

/// Durations in column headings, in the order written.
static DURATION: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"(?i)\b(?P<n1>three|six|nine|twelve|3|6|9|12|thirteen|twenty-six|thirty-nine|fifty-two|13|26|39|52)(?:\s*(?:and|&)\s*(?P<n2>three|six|nine|twelve|3|6|9|12|thirteen|twenty-six|thirty-nine|fifty-two|13|26|39|52))?[\s-]+(?:months?|weeks?)\b|\b(?P<q>quarters?)\s+end(?:ed|ing)\b|\b(?P<y>(?:fiscal\s+)?years?)\s+end(?:ed|ing)\b|\b(?P<fy>full[\s-]+year)\b",
    )
    .expect("duration regex")
});

/// Month and day, with the year when written: "September 30", "Dec. 31, 2024".
static MONTH_DAY: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"(?i)\b(?P<m>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(?P<d>\d{1,2})\b(?:\s*,?\s*(?P<y>(?:19|20)\d\d)\b)?",
    )
    .expect("month-day regex")
});

static YEAR: LazyLock<Rule> =
    LazyLock::new(|| crate::text::pattern::regex(r"\b(?:19[89]\d|20\d\d)\b").expect("year regex"));

/// "(in thousands)", "(000s)", "in millions": the scale of a table's figures.
static SCALE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"(?i)\bin\s+(?P<k>thousands)\b|\bin\s+(?P<m>millions)\b|(?P<k2>\$\s*000s?|\(\s*000s?\s*\)|'000s?)|\bthousands\s+of\b",
    )
    .expect("scale regex")
});

/// Headings of tables or parts of one whose figures are not the company's reported ones.
static NOT_REPORTED: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"(?i)non[\s-]?gaap|adjusted|reconciliation|(?:stock|share|equity)[\s-]+based\s+compensation|segment|pro\s+forma|guidance|outlook|forecast|by\s+(?:geograph|region|product|country)|supplemental",
    )
    .expect("not-reported regex")
});

static CURRENCY: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"\b(?P<cny>RMB|CNY|Renminbi)\b|(?P<eur>€|\bEUR\b|\beuros?\b)|(?P<gbp>£|\bGBP\b)|(?P<cad>C\$|\bCAD\b|Canadian\s+dollars?)|(?P<hkd>HK\$|\bHKD\b)|(?P<aud>A\$|\bAUD\b|Australian\s+dollars?)",
    )
    .expect("currency regex")
});

fn month_number(m: &str) -> Option<u32> {
    let m = m.to_ascii_lowercase();
    let names = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    names
        .iter()
        .position(|n| m.starts_with(n))
        .map(|i| i as u32 + 1)
}

/// What a column heading says of one column.
#[derive(Debug, Clone, PartialEq)]
enum ColumnPeriod {
    /// A period of figures such as revenue: "three months ended September 30, 2025".
    Span(Period),
    /// A balance date: "December 31, 2024".
    Balance(NaiveDate),
}

/// The columns' periods from the heading text and a row of years under it (empty when the
/// heading has none), for `n` columns; None when the heading does not say each column's period
/// for sure.
fn column_periods(heading: &str, year_row: &[i32], n: usize) -> Option<Vec<ColumnPeriod>> {
    if n == 0 {
        return None;
    }
    let mut durations: Vec<PeriodType> = Vec::new();
    for c in DURATION.captures_iter(heading) {
        let kind = |w: &str| -> Option<PeriodType> {
            Some(match w.to_ascii_lowercase().as_str() {
                "three" | "3" | "thirteen" | "13" => PeriodType::Quarter,
                "six" | "6" | "twenty-six" | "26" => PeriodType::Half,
                "nine" | "9" | "thirty-nine" | "39" => PeriodType::NineMonths,
                "twelve" | "12" | "fifty-two" | "52" => PeriodType::Year,
                _ => return None,
            })
        };
        if let Some(n1) = c.name("n1") {
            durations.push(kind(n1.as_str())?);
            if let Some(n2) = c.name("n2") {
                durations.push(kind(n2.as_str())?);
            }
        } else if c.name("q").is_some() {
            durations.push(PeriodType::Quarter);
        } else {
            durations.push(PeriodType::Year);
        }
    }
    let mut dates: Vec<(u32, u32, Option<i32>)> = Vec::new();
    let mut date_spans: Vec<(usize, usize)> = Vec::new();
    for c in MONTH_DAY.captures_iter(heading) {
        let m = month_number(&c["m"])?;
        let d: u32 = c["d"].parse().ok()?;
        if d == 0 || d > 31 {
            return None;
        }
        let y = c.name("y").and_then(|y| y.as_str().parse().ok());
        let whole = c.get(0).expect("whole match");
        dates.push((m, d, y));
        date_spans.push((whole.start(), whole.end()));
    }
    let all_years: Vec<(bool, i32)> = YEAR
        .find_iter(heading)
        .filter_map(|y| {
            let dated = date_spans
                .iter()
                .any(|(a, b)| y.start() >= *a && y.end() <= *b);
            Some((dated, y.as_str().parse().ok()?))
        })
        .collect();
    let years: Vec<i32> = all_years.iter().filter(|y| !y.0).map(|y| y.1).collect();
    // Each column's year: from the dates when each column has a dated heading, else from the
    // years written apart.
    let dated_years: Vec<i32> = dates.iter().filter_map(|d| d.2).collect();
    let column_years: Vec<i32> = if !year_row.is_empty() {
        if year_row.len() == n {
            year_row.to_vec()
        } else if dates.len() == 1 && dated_years.len() + year_row.len() == n {
            // "June 30, 2025" over the first column and a row of "2024" over the rest.
            dated_years.iter().chain(year_row).copied().collect()
        } else {
            return None;
        }
    } else if dated_years.len() == n && years.is_empty() {
        dated_years
    } else if years.len() == n {
        years
    } else if dated_years.len() == n {
        dated_years
    } else if dates.len() == 1 && all_years.len() == n {
        // "June 30, 2025" over one column and "2024" over the next.
        all_years.iter().map(|y| y.1).collect()
    } else {
        return None;
    };
    // A heading written once over k columns each: k must divide n.
    let spread =
        |k: usize, i: usize| -> Option<usize> { (k > 0 && n % k == 0).then(|| i / (n / k)) };
    let mut out = Vec::with_capacity(n);
    for (i, &year) in column_years.iter().enumerate() {
        let (month, day) = if dates.is_empty() {
            return None;
        } else {
            let d = dates[spread(dates.len(), i)?];
            (d.0, d.1)
        };
        let end = NaiveDate::from_ymd_opt(year, month, day)?;
        if durations.is_empty() {
            out.push(ColumnPeriod::Balance(end));
        } else {
            let ptype = durations[spread(durations.len(), i)?];
            // Periods are named by the month they end in; a 52-week year ending on
            // February 1 ends in the month before.
            let (y, m) = if day <= 7
                && matches!(
                    ptype,
                    PeriodType::Quarter
                        | PeriodType::Half
                        | PeriodType::NineMonths
                        | PeriodType::Year
                )
                && end
                    .pred_opt()
                    .is_some_and(|p| chrono::Datelike::month(&p) != month)
            {
                let p = end - chrono::Duration::days(i64::from(day));
                (chrono::Datelike::year(&p), chrono::Datelike::month(&p))
            } else {
                (year, month)
            };
            let end = month_end(y, m)?;
            out.push(ColumnPeriod::Span(Period {
                ptype,
                end,
                fiscal_label: None,
                fiscal_year: y,
            }));
        }
    }
    // A statement never repeats a column: two of one period mean the heading was misread.
    let distinct = out
        .iter()
        .enumerate()
        .all(|(i, a)| out[..i].iter().all(|b| b != a));
    distinct.then_some(out)
}

/// The columns' periods from the heading lines nearest the figures: the lines above a table
/// hold its title and, before that, the release's own words, whose periods are not the
/// columns'. The longest run of last lines that still reads is taken, so a heading of
/// durations over dates over years is read whole, and a sentence above it is not.
fn heading_columns(lines: &[String], year_row: &[i32], n: usize) -> Option<Vec<ColumnPeriod>> {
    let mut best = None;
    for k in 1..=lines.len().max(1) {
        let from = lines.len().saturating_sub(k);
        let text = lines[from..].join(" ");
        match column_periods(&text, year_row, n) {
            Some(cols) => best = Some(cols),
            None if best.is_some() => break,
            None => {}
        }
    }
    best
}

/// The table state carried from row to row.
struct TableState {
    /// The heading text read since the last row of figures.
    heading: String,
    /// The same, line by line.
    heading_lines: Vec<String>,
    /// A row of years under the heading: "2025 | 2024".
    year_row: Vec<i32>,
    columns: Option<Vec<ColumnPeriod>>,
    scale: f64,
    currency: &'static str,
    /// Under a heading whose figures are not reported ones (non-GAAP, compensation by line).
    skipping: bool,
    /// A label-only row just read ("Net loss per share:"), which a "Basic" row completes.
    open_label: Option<String>,
}

impl TableState {
    fn new() -> TableState {
        TableState {
            heading: String::new(),
            heading_lines: Vec::new(),
            year_row: Vec::new(),
            columns: None,
            scale: 1.0,
            currency: "USD",
            skipping: false,
            open_label: None,
        }
    }

    /// Text that heads what follows: a table title, a column heading, a section label.
    fn read_heading(&mut self, s: &str) {
        if !self.heading.is_empty() {
            self.heading.push(' ');
        }
        // Cells run together ("Three Months EndedJune 30") are read as words apart.
        let mut line = String::with_capacity(s.len() + 4);
        let mut prev = ' ';
        for c in s.chars() {
            if prev.is_lowercase() && c.is_uppercase() {
                line.push(' ');
            }
            line.push(c);
            prev = c;
        }
        self.heading.push_str(&line);
        self.heading_lines.push(line);
        if let Some(c) = SCALE.captures(s) {
            self.scale = if c.name("m").is_some() { 1e6 } else { 1e3 };
        }
        if let Some(c) = CURRENCY.captures(s) {
            self.currency = currency_of(&c);
        }
    }
}

fn currency_of(c: &crate::text::rule::Captures<'_>) -> &'static str {
    if c.name("cny").is_some() {
        "CNY"
    } else if c.name("eur").is_some() {
        "EUR"
    } else if c.name("gbp").is_some() {
        "GBP"
    } else if c.name("cad").is_some() {
        "CAD"
    } else if c.name("hkd").is_some() {
        "HKD"
    } else {
        "AUD"
    }
}

/// A line of prose ends the table: a long line of words with no run of figures.
fn is_prose(line: &str) -> bool {
    line.len() > 160 && line.split_whitespace().count() > 25
}

/// Figures of the document's statement tables.
pub fn extract_statement_figures(ctx: &DocContext) -> Vec<Located<FinancialFact>> {
    let text = ctx.text;
    // Most releases have no table: a statement needs rows of two figures, `|` cells, or a
    // cell per line.
    if !text.contains('|')
        && !text.contains("  ")
        && !text.contains(")(")
        && !ctx.lines.iter().any(|&(s, e)| is_figure_line(&text[s..e]))
    {
        return Vec::new();
    }
    let mut reader = TableReader {
        ctx,
        state: TableState::new(),
        pending: None,
        out: Vec::new(),
    };
    for &(ls, le) in ctx.lines {
        let line = &text[ls..le];
        // A table flattened to one cell per line: a label line, then a line per figure.
        if is_figure_line(line) {
            let trimmed = line.trim();
            if trimmed == "$" {
                continue;
            }
            let figure = FIGURE
                .find(line)
                .map(|m| read_figure(m.as_str(), ls + m.start()));
            match (&mut reader.pending, figure) {
                (Some(row), Some(f)) => row.figures.push(f),
                (None, Some(f)) => {
                    reader.pending = Some(Row {
                        label: String::new(),
                        figures: vec![f],
                    })
                }
                _ => {}
            }
            continue;
        }
        if let Some(row) = reader.pending.take() {
            reader.row(row);
        }
        if is_prose(line) && !line.contains('|') && FIGURE.find_iter(line).count() < 6 {
            reader.state = TableState::new();
            continue;
        }
        let mut rows = rows_in_line(text, ls, le);
        // A label alone on its line may be followed by its figures, one per line.
        if rows.last().is_some_and(|r| r.figures.is_empty()) && !line.contains('|') {
            reader.pending = rows.pop();
        }
        for row in rows {
            reader.row(row);
        }
    }
    if let Some(row) = reader.pending.take() {
        reader.row(row);
    }
    resolve_totals(reader.out)
}

/// A line that is one figure (or the currency sign of the next): a cell of a table flattened
/// to one cell per line.
fn is_figure_line(line: &str) -> bool {
    let t = line.trim();
    if t == "$" {
        return true;
    }
    !t.is_empty()
        && t.len() < 24
        && FIGURE
            .find(t)
            .is_some_and(|m| m.start() == 0 && m.end() == t.len())
}

/// Reads the rows of a document in order, carrying the table they belong to.
struct TableReader<'c, 'a> {
    ctx: &'c DocContext<'a>,
    state: TableState,
    /// A label whose figures may follow on lines of their own.
    pending: Option<Row>,
    out: Vec<Located<FinancialFact>>,
}

impl TableReader<'_, '_> {
    fn row(&mut self, row: Row) {
        let state = &mut self.state;
        let years = !row.figures.is_empty() && row.figures.iter().all(|f| f.year.is_some());
        if row.figures.is_empty() || years {
            // A heading, a section label or a row of years.
            if years {
                state.year_row = row.figures.iter().filter_map(|f| f.year).collect();
            }
            state.open_label = (!years).then(|| normalize_label(&row.label));
            state.read_heading(&row.label);
            return;
        }
        if !state.heading.is_empty() || !state.year_row.is_empty() {
            let n = row.figures.len();
            // A new column heading starts a table, which its title may say is not of
            // reported figures; a section label inside a table can only say so of its part.
            let not_reported = NOT_REPORTED.is_match(&state.heading);
            let column_heading = DURATION.is_match(&state.heading)
                || MONTH_DAY.is_match(&state.heading)
                || !state.year_row.is_empty();
            state.skipping = not_reported || (state.skipping && !column_heading);
            if let Some(cols) = heading_columns(&state.heading_lines, &state.year_row, n) {
                state.columns = Some(cols);
            } else if column_heading || YEAR.is_match(&state.heading) {
                // A new heading that cannot be read: its table gives nothing.
                state.columns = None;
            }
            state.heading.clear();
            state.heading_lines.clear();
            state.year_row.clear();
        }
        // "Operating expenses: Research and development" -> the part after the colon.
        let label = match row.label.rfind(':') {
            Some(i) if i + 1 < row.label.len() => {
                let (head, rest) = row.label.split_at(i);
                state.read_heading(head);
                state.heading.clear();
                state.heading_lines.clear();
                rest[1..].trim().to_string()
            }
            _ => row.label.clone(),
        };
        let open = state.open_label.take();
        if state.skipping {
            return;
        }
        let Some(columns) = &state.columns else {
            return;
        };
        if row.figures.len() != columns.len() {
            return;
        }
        let mut key = normalize_label(&label);
        if matches!(key.as_str(), "basic" | "basic and diluted") {
            match open.as_deref() {
                Some(o) if o.contains("per share") => key = format!("{o} {key}"),
                _ => return,
            }
        }
        let Some(meaning) = LABEL_MEANINGS.get(&key) else {
            return;
        };
        emit_row(self.ctx, &row, meaning, columns, state, &mut self.out);
    }
}

fn emit_row(
    ctx: &DocContext,
    row: &Row,
    meaning: &LabelMeaning,
    columns: &[ColumnPeriod],
    state: &TableState,
    out: &mut Vec<Located<FinancialFact>>,
) {
    // Each column's period, and whether it is the latest of its kind (the rest compare).
    let latest = |c: &ColumnPeriod| -> bool {
        columns.iter().all(|o| match (c, o) {
            (ColumnPeriod::Span(a), ColumnPeriod::Span(b)) => a.ptype != b.ptype || a.end >= b.end,
            (ColumnPeriod::Balance(a), ColumnPeriod::Balance(b)) => a >= b,
            _ => true,
        })
    };
    for (fig, col) in row.figures.iter().zip(columns) {
        let Some(raw) = fig.value else {
            continue;
        };
        let period = match (col, meaning.balance) {
            (ColumnPeriod::Span(p), false) => p.clone(),
            (ColumnPeriod::Balance(d), true) => {
                let Some(end) = month_end(chrono::Datelike::year(d), chrono::Datelike::month(d))
                else {
                    continue;
                };
                Period {
                    ptype: PeriodType::Quarter,
                    end,
                    fiscal_label: None,
                    fiscal_year: chrono::Datelike::year(d),
                }
            }
            // A balance row under period columns holds only when it says so: "cash at end of
            // period".
            (ColumnPeriod::Span(p), true) if row_says_end_of_period(&row.label) => Period {
                ptype: PeriodType::Quarter,
                ..p.clone()
            },
            _ => continue,
        };
        let metric = meaning.phrase.resolve(fig.negative, meaning.per_share);
        // A negative revenue, expense or balance is not one of these figures.
        if fig.negative && !meaning.phrase.is_earnings() {
            continue;
        }
        let value = if meaning.per_share {
            raw
        } else {
            raw * state.scale
        };
        let Some(si) = ctx.sentence_at(fig.start) else {
            continue;
        };
        if ctx.sentences[si].end < fig.end {
            continue;
        }
        out.push(Located {
            start: fig.start,
            end: fig.end,
            sentence: si,
            rule: STATEMENT_RULE,
            fact: FinancialFact {
                metric,
                qualifier: meaning.qualifier.clone(),
                period,
                value,
                currency: state.currency,
                comparative: !latest(col),
                source: Source::Table,
                part: None,
            },
        });
    }
}

fn row_says_end_of_period(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    l.contains("end of")
}

/// A metric, a period's label and a qualifier: what one figure of a release is of.
type FigureKey = (Metric, (PeriodType, i32, u32), Option<String>);

/// One figure per metric and period from the tables: a figure repeated (a summary table and
/// the statement) is one row; a total's figure stands over a part's ("Total revenues" over a
/// "Revenues" line), and figures that disagree otherwise are all left out.
fn resolve_totals(rows: Vec<Located<FinancialFact>>) -> Vec<Located<FinancialFact>> {
    let key = |f: &FinancialFact| (f.metric, f.period.label_key(), f.qualifier.clone());
    let mut out: Vec<Located<FinancialFact>> = Vec::new();
    let mut dropped: Vec<FigureKey> = Vec::new();
    for row in rows {
        let k = key(&row.fact);
        if dropped.contains(&k) {
            continue;
        }
        match out.iter().position(|o| key(&o.fact) == k) {
            None => out.push(row),
            Some(i)
                if (out[i].fact.value - row.fact.value).abs()
                    < 0.5e-6 * row.fact.value.abs().max(1.0) => {}
            Some(i) => {
                out.remove(i);
                dropped.push(k);
            }
        }
    }
    out
}

crate::text::pattern::compile_rules!(
    LABEL_MEANINGS,
    FIGURE,
    DURATION,
    MONTH_DAY,
    YEAR,
    SCALE,
    NOT_REPORTED,
    CURRENCY,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mentions::lexicon::Lexicon;

    fn figures(text: &str) -> Vec<(String, String, f64, bool)> {
        let lexicon = Lexicon::builtin();
        let prepared = crate::extract::Extractor::builtin().prepare(text);
        let ctx = prepared.ctx(&lexicon);
        let rows = extract_statement_figures(&ctx);
        for r in &rows {
            let span = &text[r.start..r.end];
            assert!(span.chars().any(|c| c.is_ascii_digit()), "{span}");
        }
        let mut got = crate::facts::financials::figure_tuples(rows);
        got.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
        got
    }

    fn row(
        metric: &str,
        period: &str,
        value: f64,
        comparative: bool,
    ) -> (String, String, f64, bool) {
        (metric.to_string(), period.to_string(), value, comparative)
    }

    #[test]
    fn labels_are_keyed_without_punctuation_or_footnotes() {
        assert_eq!(
            normalize_label("Net loss per common share - basic and diluted (1)"),
            "net loss per share basic and diluted"
        );
        assert_eq!(
            normalize_label("Research & development"),
            "research and development"
        );
        assert!(LABEL_MEANINGS.contains_key("net income loss"));
        assert!(!LABEL_MEANINGS.contains_key("product revenue"));
    }

    #[test]
    fn an_html_statement_of_operations_with_two_header_rows() {
        let text = "Acme Bio Reports Second Quarter 2025 Results\n\n\
ACME BIO, INC.\nCONDENSED CONSOLIDATED STATEMENTS OF OPERATIONS\n(in thousands, except per share data)\n\n\
 | Three Months Ended June 30, |  | Six Months Ended June 30,\n\
 | 2025 |  | 2024 |  | 2025 |  | 2024\n\
Revenues:\n\
Product revenue | $ | 1,200 |  | $ | 900 |  | $ | 2,300 |  | $ | 1,700\n\
Total revenues | $ | 1,450 |  | $ | 1,000 |  | $ | 2,800 |  | $ | 1,900\n\
Operating expenses:\n\
Research and development |  | 5,010 |  |  | 4,200 |  |  | 9,900 |  |  | 8,100\n\
General and administrative |  | 2,000 |  |  | 1,800 |  |  | 3,900 |  |  | 3,500\n\
Total operating expenses |  | 7,010 |  |  | 6,000 |  |  | 13,800 |  |  | 11,600\n\
Net loss | $ | (5,560 | ) | $ | (5,000 | ) | $ | (11,000 | ) | $ | (9,700 | )\n\
Net loss per share, basic and diluted | $ | (0.21 | ) | $ | (0.25 | ) | $ | (0.42 | ) | $ | (0.49 | )\n";
        let got = figures(text);
        assert!(got.contains(&row("revenue", "2025-Q2", 1_450_000.0, false)));
        assert!(got.contains(&row("revenue", "2024-H1", 1_900_000.0, true)));
        assert!(got.contains(&row("rd_expense", "2025-H1", 9_900_000.0, false)));
        assert!(got.contains(&row("operating_expense", "2024-Q2", 6_000_000.0, true)));
        assert!(got.contains(&row("net_loss", "2025-Q2", 5_560_000.0, false)));
        assert!(got.contains(&row("net_loss_per_share", "2025-H1", 0.42, false)));
        assert!(
            !got.iter().any(|r| r.2 == 1_200_000.0),
            "product revenue is a part"
        );
        assert_eq!(got.len(), 4 * 6);
    }

    #[test]
    fn a_balance_sheet_dates_its_columns() {
        let text = "CONDENSED CONSOLIDATED BALANCE SHEETS\n(In thousands)\n\
 | September 30, 2025 | December 31, 2024\n\
Cash and cash equivalents | $ 12,345 | $ 20,100\n\
Total current assets | 15,000 | 22,000\n";
        assert_eq!(
            figures(text),
            vec![
                row("cash", "2024-Q4", 20_100_000.0, true),
                row("cash", "2025-Q3", 12_345_000.0, false),
            ]
        );
    }

    #[test]
    fn a_markdown_table_with_years_under_a_duration() {
        let text = "Selected results (in millions)\n\n\
| | Year Ended December 31, | |\n\
| | 2024 | 2023 |\n\
|---|---|---|\n\
| Revenue | 52.1 | 40.3 |\n\
| Net income (loss) | (3.2) | 1.1 |\n";
        assert_eq!(
            figures(text),
            vec![
                row("net_income", "2023-FY", 1_100_000.0, true),
                row("net_loss", "2024-FY", 3_200_000.0, false),
                row("revenue", "2023-FY", 40_300_000.0, true),
                row("revenue", "2024-FY", 52_100_000.0, false),
            ]
        );
    }

    #[test]
    fn rows_run_together_on_one_line() {
        let text = "Statements of Operations (In thousands, except per share amounts) Three Months Ended December 31, Twelve Months Ended December 31,  2024  2023  2024  2023Net revenue: Product revenues$ 3,849 $ 3,198  $ 14,035  $ 14,110Total net revenues 3,8703,25414,16214,238Research and development 252208906873Net income (loss)$ 349 $ (654) $ 74 $ (1,575) Net income (loss) per share, basic $ 0.03 $ (0.06) $ 0.01 $ (0.15)\n";
        let got = figures(text);
        assert!(got.contains(&row("revenue", "2024-Q4", 3_870_000.0, false)));
        assert!(got.contains(&row("revenue", "2023-FY", 14_238_000.0, true)));
        assert!(got.contains(&row("net_income", "2024-Q4", 349_000.0, false)));
        assert!(got.contains(&row("net_loss", "2023-FY", 1_575_000.0, true)));
        assert!(got.contains(&row("net_loss_per_share", "2023-Q4", 0.06, true)));
        assert!(
            !got.iter().any(|r| r.0 == "rd_expense"),
            "figures run into each other without commas cannot be told apart"
        );
    }

    #[test]
    fn a_change_column_in_percent_is_no_figure() {
        // Summary tables set a change column beside the two periods, at times glued on.
        let text = "Summary\n\nThree Months Ended June 30, 2025\n\n2024\n\nChange\n\n Revenue $ 7,476,140$ 4,777,10156% Net income (loss)$ 224,793$ (2,553,259)109%\n";
        let got = figures(text);
        assert!(
            got.contains(&row("revenue", "2025-Q2", 7_476_140.0, false)),
            "{got:?}"
        );
        assert!(got.contains(&row("revenue", "2024-Q2", 4_777_101.0, true)));
        assert!(got.contains(&row("net_income", "2025-Q2", 224_793.0, false)));
        assert!(got.contains(&row("net_loss", "2024-Q2", 2_553_259.0, true)));
        assert!(!got.iter().any(|r| r.2 < 1000.0), "{got:?}");
        let piped = figures("Three Months Ended June 30,\n | 2025 | 2024 | Change\nNet loss | (1,000 | ) | (2,000 | ) | 50 | %\n");
        assert_eq!(
            piped,
            vec![
                row("net_loss", "2024-Q2", 2_000.0, true),
                row("net_loss", "2025-Q2", 1_000.0, false)
            ]
        );
    }

    #[test]
    fn columns_of_one_period_twice_give_nothing() {
        assert!(column_periods("Three Months Ended June 30, 2025", &[2025, 2025], 2).is_none());
    }

    #[test]
    fn non_gaap_and_compensation_tables_give_nothing() {
        let text = "Reconciliation of GAAP net loss to non-GAAP net loss (in thousands)\n\
 | Three Months Ended March 31,\n | 2025 | 2024\n\
Net loss | (4,000 | ) | (3,000 | )\n\n\
Stock-based compensation expense by line item\n | Three Months Ended March 31,\n | 2025 | 2024\n\
Research and development | 500 | 400\n";
        assert!(figures(text).is_empty());
    }

    #[test]
    fn a_table_flattened_to_one_cell_per_line() {
        let text = "Statements of Operations\n\nFor the Three Months EndedJune 30, 2025\n\nFor the Three Months EndedJune 30, 2024\n\n\
Service revenue\n\n$\n\n1,302,292\n\n$\n\n228,100\n\nTOTAL REVENUE\n\n1,327,181\n\n254,223\n\n\
Net Loss\n\n(49,528)\n\n(117,760)\n\nThe Company reported its results for the second quarter today and discussed them with investors.\n";
        assert_eq!(
            figures(text),
            vec![
                row("net_loss", "2024-Q2", 117_760.0, true),
                row("net_loss", "2025-Q2", 49_528.0, false),
                row("revenue", "2024-Q2", 254_223.0, true),
                row("revenue", "2025-Q2", 1_327_181.0, false),
            ]
        );
    }

    #[test]
    fn a_table_whose_heading_cannot_be_read_gives_nothing() {
        let text = " | 2025 | 2024 | 2023\nNet loss | (4,000) | (3,000)\nRevenue | 10 | 20\n";
        assert!(figures(text).is_empty());
    }
}
