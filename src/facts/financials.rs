//! The `financials` table: reported figures with their metric, period and currency.
//!
//! A sentence is cut into clauses, one per metric mention ("net loss ...", "R&D expenses ...").
//! Each clause is split at its comparison ("compared to", "versus", "down from") into the
//! current part and the comparative part; in each part, amounts are paired with periods in
//! order ("$15.9 million and $37.3 million respectively" with "the quarter and nine months").
//! When the pairing is ambiguous nothing is reported: a missing figure is better than a wrong one.

use std::sync::LazyLock;

use chrono::Datelike;

use crate::text::rule::{Alternatives, Match, Rule};

use super::metrics::{Metric, MetricPhrase};
use super::triggers::Trigger;
use super::{DocContext, Located};
use crate::mentions::money::MoneyMention;
use crate::mentions::periods::{Period, PeriodMention, PeriodRef, PeriodType};

use crate::tables::columns::Column;

#[derive(Debug, Clone, PartialEq)]
pub struct FinancialFact {
    pub metric: Metric,
    pub qualifier: Option<String>,
    pub period: Period,
    pub value: f64,
    pub currency: &'static str,
    pub comparative: bool,
    pub source: Source,
    /// For revenue: the kind of revenue the sentence names when it is not the whole
    /// ("collaboration" revenue), kept only when it is the release's sole revenue line.
    pub part: Option<String>,
}

/// Where a figure was read: a sentence of prose or a statement table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Prose,
    Table,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Prose => "prose",
            Source::Table => "table",
        }
    }
}

/// The `metric` rules of `rules/financials.toml` as one rule of alternatives, most specific
/// first (the order breaks ties at one start): what each produces (the metric the code reads),
/// each one's name, and the rule, whose matches name their alternative.
pub(crate) static METRIC: LazyLock<(Vec<(MetricPhrase, &'static str)>, Alternatives)> =
    LazyLock::new(|| {
        let family = crate::rulebook::family("financials", "metric");
        let named: Vec<(&'static str, &'static str)> =
            family.names().into_iter().zip(family.patterns()).collect();
        let (names, rule) =
            crate::text::pattern::named_alternatives(&named).expect("metric regexes");
        let phrases = family
            .produced()
            .into_iter()
            .map(|p| MetricPhrase::from_produces(p).unwrap_or_else(|e| panic!("{e}")));
        (phrases.zip(names).collect(), rule)
    });

/// The metric mentions in `haystack`: each one's metric and where it is.
fn metrics_in(haystack: &str) -> impl Iterator<Item = ((MetricPhrase, &'static str), Match<'_>)> {
    let (names, rule) = &*METRIC;
    rule.find_iter(haystack).map(|(i, m)| (names[i], m))
}

static QUALIFIER: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)^\s*(?P<verb>allocable|attributable|applicable|available)\s+to\s+(?P<who>(?:common\s+|ordinary\s+)?(?:stock\s*holders|share\s*holders))")
        .expect("qualifier regex")
});

static COMPARISON: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?-u:\b)(?:(?:as\s+)?compared\s+(?:to|with)|versus|vs\.?|relative\s+to|(?:up|down|increased|decreased|declined|rose|fell)\s+from|from)(?-u:\b)|\((?:[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4}|\d{4}|FY\s?\d{2,4})\s*:")
        .expect("comparison regex")
});

/// `decreased to $Y from $X` reads backwards: the current figure comes after "to".
static TO_FROM: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?-u:\b)(?:increased|decreased|declined|rose|fell|grew|widened|narrowed|improved)\s+(?:[\w,.%]+\s+){0,2}?to\s+").expect("to-from regex")
});

/// Where a clause about one figure gives way to something else: its components ("including
/// $0.3 million of ..."), a cause ("reflecting ..."), or another statement ("with $13.6M of
/// net cash used ...").
static CLAUSE_END: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?:,\s*|\s+)(?:includ(?:e|es|ed|ing)|of\s+which|reflecting|driven\s+by|due\s+to|primarily|mainly|with|while|which)(?-u:\b)|;|\s+and\s+(?:held|had|ended|reported|raised)(?-u:\b)|(?:,\s*|\s+and\s+)(?:gross\s+(?:profit|margin)|operating\s+(?:income|loss|profit|margin)|adjusted|ebitda|non-gaap|free\s+cash)(?-u:\b)")
        .expect("clause end regex")
});

/// Forecasts are not results: a sentence that guides or projects yields no figure.
pub(crate) const GUIDANCE_PATTERN: &str = r"(?i)(?-u:\b)(?:expect(?:s|ed|ations?)?|guidance|anticipat\w*|project(?:s|ed|ions?)|forecast\w*|outlook|estimates?|forward-looking|will\s+be|would\s+be|target(?:s|ed|ing)?)(?-u:\b)";

pub(crate) static GUIDANCE: LazyLock<Rule> =
    LazyLock::new(|| crate::text::pattern::regex(GUIDANCE_PATTERN).expect("guidance regex"));

/// What disqualifies the figure right after it when written shortly before it: not the
/// company's, or not as reported. See [`not_reported_before`].
static NOT_REPORTED_WORD: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)non-GAAP|adjusted|pro\s+forma|division|segment|subsidiary|cost\s+of|deferred|unearned|medication|franchise|brand").expect("not reported regex")
});

/// How many characters may separate a [`NOT_REPORTED_WORD`] from the figure it disqualifies.
const NOT_REPORTED_REACH: usize = 80;

/// Whether `before` (the text up to a metric) ends with a [`NOT_REPORTED_WORD`] followed by at
/// most [`NOT_REPORTED_REACH`] characters and no full stop: what the regex
/// `(?:word...)[^.]{0,80}$` says, checked in code because that regex's lazy DFA kept building
/// new states (every count of every UTF-8 length) and was ~2% of a load of the archive.
fn not_reported_before(before: &str) -> bool {
    let near = tail(before, 120);
    // No word contains a full stop, so one that reaches past the last stop begins after it.
    let from = near.rfind('.').map_or(0, |p| p + 1);
    let mut at = from;
    // Every occurrence, overlapping ones included ("non-GAAPro forma"): any may be the one
    // that ends close enough.
    while let Some(m) = NOT_REPORTED_WORD.find_at(near, at) {
        if near[m.end()..].chars().count() <= NOT_REPORTED_REACH {
            return true;
        }
        at = m.start() + near[m.start()..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// "revenue from its chronic pain medications" is a product line's, not the company's.
static REVENUE_FROM: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)^\s+(?:from|of)\s+(?:its|the|our|sales)(?-u:\b)")
        .expect("revenue from regex")
});

/// The words a revenue phrase may follow and still name the company's whole revenue:
/// determiners, verbs, periods, "total", a possessive ("Acme's revenue"), an amount
/// ("$5.7 million in revenue"). Any other word names a part: "coal sales revenue", "product
/// revenue", "grant revenue".
static REVENUE_WHOLE_BEFORE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?:^|[^\w'’])(?:the|its|our|their|of|in|and|with|total|net|gross|operating|quarterly|annual|record|consolidated|reported|recognized|generated|company|gaap|first|second|third|fourth|quarter|quarters|year|years|month|months|full|fiscal|half|period|to|as|from|for|on|at|was|were|is|had|has|have|achieved|posted|recorded|delivered|higher|lower|strong|increased|decreased|grew|q[1-4]|h[12]|fy[\d']*|ytd|[\w.&]+['’]s?|[\d$%.,)]+)[\s:,-]*$|(?:^|\W)\w+\s*:\s*$|^[\s\W]*$")
        .expect("revenue whole regex")
});

/// Between an amount and the part of revenue it is: "of technology systems", "in hosting".
static AMOUNT_OF_A_PART: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"^(?:of|in|from)\s+(?:[a-z][a-z-]*\s+){0,4}[a-z][a-z-]*$")
        .expect("amount of a part regex")
});

/// Words that make the amount after them a component of a figure stated elsewhere.
static COMPONENT_BEFORE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?:^|\W)(?:includ(?:es|ed|ing)|of\s+which|comprised\s+of|consist(?:s|ed|ing)\s+of|aggregate\s+of|represents|representing)(?:\s+(?:approximately|about|roughly|nearly|some))?\s*$")
        .expect("component regex")
});

/// The kinds of revenue a company may report as its only line ("Collaboration revenue was $4.5
/// million"): such a figure is the company's revenue when the release states no other.
static REVENUE_SOLE_LINE_BEFORE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?:^|[^\w'’])(?:net\s+)?(?:collaboration|collaborative|license|licensing|grant|contract|government\s+contract|product|royalty)[\s-]*$")
        .expect("sole revenue line regex")
});

/// "revenues from sewage treatment installations", "revenue of the Diagnostics segment": the
/// revenue of a part. "revenue of $5 million", "revenue from operations" are the whole.
fn revenue_of_a_part(after: &str) -> bool {
    let rest = after.trim_start();
    let Some(rest) = rest
        .strip_prefix("from ")
        .or_else(|| rest.strip_prefix("of "))
    else {
        return false;
    };
    let next = rest.split_whitespace().next().unwrap_or("");
    let lower = next.to_ascii_lowercase();
    let whole = next.starts_with(|c: char| c.is_ascii_digit() || !c.is_alphanumeric())
        || next.chars().all(|c| c.is_ascii_uppercase()) && next.len() <= 3
        || matches!(
            lower.as_str(),
            "approximately"
                | "about"
                | "over"
                | "nearly"
                | "more"
                | "almost"
                | "roughly"
                | "continuing"
                | "operations"
                | "us$"
                | "just"
                | "only"
        );
    !whole
}

/// The last `n` bytes of `s` or a little more, cut on a character boundary.
fn tail(s: &str, n: usize) -> &str {
    let mut i = s.len().saturating_sub(n);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    &s[i..]
}

/// What a cash word must not be followed by to name a balance.
static CASH_NOT_BALANCE_AFTER: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)^\s*(?:used|flows?|burn|runway|payments?|consideration|compensation|dividends?|proceeds|bonus|fees?|component|portion|outflows?|inflows?|requirements|needs|generated|provided|expenses?|operating)(?-u:\b)")
        .expect("cash regex")
});

static CASH_NOT_BALANCE_BEFORE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?:net|non|free|operating)[\s-]*$")
        .expect("cash before regex")
});

static PERIOD_WORD: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"(?i)(?-u:\b)(?:quarter|half|year|months?|Q[1-4]|FY|annual|quarterly)(?-u:\b)",
    )
    .expect("period word regex")
});

/// A metric mention and the clause it governs.
struct Clause {
    /// What the clause reports; none for a mention that only ends the clause before it.
    metric: Option<MetricPhrase>,
    /// The kind of revenue named, when the clause reports a part of it (see `part`).
    part: Option<String>,
    /// The name of the metric rule that found it.
    rule: &'static str,
    /// Where the clause starts: the metric, or an amount written right before it.
    start: usize,
    end: usize,
    metric_start: usize,
    metric_end: usize,
}

fn clauses_in(text: &str, start: usize, end: usize, money: &[MoneyMention]) -> Vec<Clause> {
    let hay = &text[start..end];
    let mut found: Vec<Clause> = Vec::new();
    for ((metric, rule), m) in metrics_in(hay) {
        let (ms, me) = (start + m.start(), start + m.end());
        let before = &hay[..m.start()];
        // "revenue from its chronic pain medications" is a product line's, not the company's.
        let is = |metric_of: Metric| metric == MetricPhrase::Names(metric_of);
        let of_a_part = is(Metric::Revenue)
            && (REVENUE_FROM.is_match(&hay[m.end()..]) || revenue_of_a_part(&hay[m.end()..]));
        let part =
            (is(Metric::Revenue) && !of_a_part && !REVENUE_WHOLE_BEFORE.is_match(tail(before, 60)))
                .then(|| REVENUE_SOLE_LINE_BEFORE.find(tail(before, 60)))
                .flatten()
                .map(|w| {
                    w.as_str()
                        .trim_matches(|c: char| !c.is_alphanumeric())
                        .to_ascii_lowercase()
                });
        let from_part = of_a_part
            || is(Metric::Revenue)
                && part.is_none()
                && !REVENUE_WHOLE_BEFORE.is_match(tail(before, 60));
        // "$2.4 million in revenue", "a $14.8 million net loss": the amount comes first; a
        // part's may be further off ("$40,000 of technology systems revenue").
        let pre = money.iter().rev().find(|mm| {
            mm.end <= ms && {
                let gap = text[mm.end..ms].trim();
                gap.is_empty()
                    || matches!(gap, "in" | "of" | "in total" | "in net")
                    || from_part && AMOUNT_OF_A_PART.is_match(gap)
            }
        });
        // "This includes $904,125 in revenue ...": a component of a figure, not the figure.
        let component =
            pre.is_some_and(|mm| COMPONENT_BEFORE.is_match(tail(&text[..mm.start], 60)));
        if !is(Metric::Cash) && (from_part || component || not_reported_before(before)) {
            // Still ends the previous clause: the figure that follows is not its figure.
            found.push(Clause {
                metric: None,
                part: None,
                rule,
                start: pre.map_or(ms, |mm| {
                    mm.start.max(found.last().map_or(0, |c| c.metric_end))
                }),
                end,
                metric_start: ms,
                metric_end: me,
            });
            continue;
        }
        if is(Metric::Cash)
            && (CASH_NOT_BALANCE_AFTER.is_match(&hay[m.end()..])
                || CASH_NOT_BALANCE_BEFORE.is_match(before))
        {
            continue;
        }
        // "compared to a net loss of ..." continues the clause of the same metric.
        if let Some(last) = found.last() {
            let gap = &text[last.metric_end..ms];
            if last.metric == Some(metric) && COMPARISON.is_match(gap) && !CLAUSE_END.is_match(gap)
            {
                continue;
            }
        }
        let clause_start = pre.map_or(ms, |mm| mm.start);
        found.push(Clause {
            metric: Some(metric),
            part,
            rule,
            start: clause_start,
            end,
            metric_start: ms,
            metric_end: me,
        });
    }
    for i in 1..found.len() {
        found[i - 1].end = found[i].start.max(found[i - 1].metric_end);
    }
    for c in &mut found {
        if let Some(cut) = CLAUSE_END.find(&text[c.metric_end..c.end]) {
            c.end = c.metric_end + cut.start();
        }
    }
    found.retain(|c| c.metric.is_some());
    found
}

/// A period with the phrase it came from.
#[derive(Clone)]
struct PeriodAt {
    period: Period,
    mention: usize,
    pos: usize,
}

/// The explicit periods of some phrases; `None` when one is a fiscal period the text does not
/// place on the calendar, which makes every figure beside it unsure.
fn explicit_periods(mentions: &[(usize, &PeriodMention)], balances: bool) -> Option<Vec<PeriodAt>> {
    let mut out: Vec<PeriodAt> = Vec::new();
    for &(i, m) in mentions {
        let periods: Vec<Period> = match &m.period {
            PeriodRef::Explicit(ps) => ps.clone(),
            PeriodRef::Balance(d) if balances => {
                vec![Period {
                    ptype: PeriodType::Quarter,
                    end: *d,
                    fiscal_label: None,
                    fiscal_year: chrono::Datelike::year(d),
                }]
            }
            PeriodRef::UnknownFiscal => return None,
            _ => Vec::new(),
        };
        for p in periods {
            // "six months ended June 30, 2024 ("H1 2024")" names one period twice.
            if !out.iter().any(|o| o.period.label_key() == p.label_key()) {
                out.push(PeriodAt {
                    period: p,
                    mention: i,
                    pos: m.start,
                });
            }
        }
    }
    Some(out)
}

/// Periods of the comparative part, resolved against the current ones.
fn comparative_periods(
    mentions: &[(usize, &PeriodMention)],
    current: &[PeriodAt],
    balances: bool,
) -> Option<Vec<PeriodAt>> {
    let explicit = explicit_periods(mentions, balances)?;
    if !explicit.is_empty() {
        return Some(explicit);
    }
    let (i, relative) = mentions.iter().find_map(|&(i, m)| match m.period {
        PeriodRef::Same { year } => Some((i, year)),
        PeriodRef::BareYear(y) => Some((i, Some(y))),
        _ => None,
    })?;
    current
        .iter()
        .map(|p| {
            let back = relative.map_or(1, |y| chrono::Datelike::year(&p.period.end) - y);
            if back <= 0 {
                return None;
            }
            p.period.years_earlier(back).map(|period| PeriodAt {
                period,
                mention: i,
                pos: p.pos,
            })
        })
        .collect()
}

/// Pairs amounts with periods. Equal counts pair in order when the text says so ("respectively")
/// or the periods are one list ("the three and six months ended ..."); otherwise only the
/// amount nearest a period is taken. A missing figure is better than a wrong one.
fn pair<'m>(
    values: &[&'m MoneyMention],
    periods: &[PeriodAt],
    respectively: bool,
) -> Vec<(&'m MoneyMention, Period)> {
    if periods.is_empty() || values.is_empty() {
        return Vec::new();
    }
    let one_list = periods.iter().all(|p| p.mention == periods[0].mention);
    if values.len() == periods.len() && (values.len() == 1 || respectively || one_list) {
        return values
            .iter()
            .copied()
            .zip(periods.iter().map(|p| p.period.clone()))
            .collect();
    }
    if periods.len() == 1 || !one_list {
        let distance = |v: &MoneyMention, p: &PeriodAt| v.start.abs_diff(p.pos);
        let (v, p) = values
            .iter()
            .flat_map(|v| periods.iter().map(move |p| (*v, p)))
            .min_by_key(|(v, p)| distance(v, p))
            .expect("non-empty");
        if periods.len() == 1 || values.len() == 1 {
            return vec![(v, p.period.clone())];
        }
        return if v.start == values[0].start {
            vec![(v, p.period.clone())]
        } else {
            Vec::new()
        };
    }
    Vec::new()
}

/// Financial figures in one document.
pub fn extract_financials(ctx: &DocContext) -> Vec<Located<FinancialFact>> {
    let text = ctx.text;
    let mut out: Vec<Located<FinancialFact>> = Vec::new();
    // The release's reporting period, read once a sentence without a period of its own needs it.
    let mut reporting: Option<Vec<Period>> = None;
    for (si, sentence) in ctx.sentences.iter().enumerate() {
        let sentence_text = &text[sentence.start..sentence.end];
        if !ctx.may_hold(si, Trigger::Financial)
            || !METRIC.1.is_match(sentence_text)
            || (ctx.may_hold(si, Trigger::Guidance) && GUIDANCE.is_match(sentence_text))
            || ctx.structure.is_table(si)
        {
            continue;
        }
        let money = ctx.mentions.money(si);
        if money.is_empty() {
            continue;
        }
        let clauses = clauses_in(text, sentence.start, sentence.end, money);
        let largest = money.iter().map(|m| m.value).fold(0.0, f64::max);
        if clauses.is_empty() {
            continue;
        }
        // The fiscal year's end is read from the whole text, and only once a sentence's periods
        // need it: most releases state no figure.
        let periods = ctx.mentions.periods(si);
        let indexed: Vec<(usize, &PeriodMention)> = periods.iter().enumerate().collect();
        let periods_in = |a: usize, b: usize| -> Vec<(usize, &PeriodMention)> {
            indexed
                .iter()
                .filter(|(_, p)| p.start >= a && p.end <= b)
                .copied()
                .collect()
        };
        // Periods written before the first metric set the scene: "For Q2 2024, net loss was ...".
        let lead = periods_in(sentence.start, clauses[0].start);

        for (ci, clause) in clauses.iter().enumerate() {
            let Some(phrase) = clause.metric else {
                continue;
            };
            let is_balance = phrase == MetricPhrase::Names(Metric::Cash);
            let respectively = text[clause.start..clause.end].contains("respectively");
            let qualifier = QUALIFIER
                .captures(&text[clause.metric_end..clause.end])
                .map(|c| {
                    let who = c["who"]
                        .to_ascii_lowercase()
                        .replace("stock holders", "stockholders")
                        .replace("share holders", "shareholders");
                    let who = if who.starts_with("common") || who.starts_with("ordinary") {
                        who
                    } else {
                        format!("common {who}")
                    };
                    format!(
                        "{} to {}",
                        c["verb"].to_ascii_lowercase(),
                        who.split_whitespace().collect::<Vec<_>>().join(" ")
                    )
                });
            // The current part and the comparative part of the clause.
            let (cur_range, cmp_range, cur_period_range) =
                match TO_FROM.find(&text[clause.metric_end..clause.end]) {
                    Some(m) => {
                        // "decreased to $Y from $X": current after "to", comparative after "from".
                        let to_at = clause.metric_end + m.end();
                        let from_at = COMPARISON
                            .find(&text[to_at..clause.end])
                            .map_or(clause.end, |m| to_at + m.start());
                        (
                            (to_at, from_at),
                            (from_at, clause.end),
                            (clause.start, from_at),
                        )
                    }
                    None => {
                        let split = COMPARISON
                            .find(&text[clause.metric_end..clause.end])
                            .map_or(clause.end, |m| clause.metric_end + m.start());
                        (
                            (clause.start, split),
                            (split, clause.end),
                            (clause.start, split),
                        )
                    }
                };
            let Some(mut current) = explicit_periods(
                &periods_in(cur_period_range.0, cur_period_range.1),
                is_balance,
            ) else {
                continue;
            };
            if current.is_empty() {
                // The scene-setting period holds for the first clause, and for later ones unless
                // they name a period of their own that cannot be read ("second quarter revenue").
                let own_words = ci > 0
                    && PERIOD_WORD.is_match(
                        &text[clauses[ci - 1].end.min(clause.metric_start)..clause.metric_start],
                    );
                if !own_words {
                    match explicit_periods(&lead, is_balance) {
                        Some(ps) => current = ps,
                        None => continue,
                    }
                }
            }
            // One amount in the current part, or the reporting period pairs with a guess.
            let amounts = money
                .iter()
                .filter(|m| {
                    m.start >= cur_range.0 && m.end <= cur_range.1 && !m.is_change && !m.per_share
                })
                .count();
            if current.is_empty() && !is_balance && amounts == 1 {
                // No period in the sentence: the release's own, when the sentence can only mean it.
                let reporting = reporting
                    .get_or_insert_with(|| super::reporting_period::reporting_periods(ctx));
                if let Some(period) = super::reporting_period::period_for_clause(
                    ctx,
                    si,
                    reporting,
                    &text[sentence.start..cur_range.1.max(clause.metric_end)],
                    &text[sentence.start..clause.metric_start],
                ) {
                    current = vec![PeriodAt {
                        period,
                        mention: usize::MAX,
                        pos: clause.start,
                    }];
                }
            }
            if is_balance {
                // A balance is as of a day: it takes the quarter its date ends.
                for p in &mut current {
                    p.period.ptype = PeriodType::Quarter;
                }
                if !periods
                    .iter()
                    .any(|p| matches!(p.period, PeriodRef::Balance(_)))
                    && !text[clause.start..clause.end]
                        .to_ascii_lowercase()
                        .contains("ended")
                {
                    continue;
                }
            }

            let figures = |a: usize, b: usize, per_share: bool| -> Vec<&MoneyMention> {
                let whole_clause_per_share = phrase.is_per_share();
                money
                    .iter()
                    .filter(|m| {
                        m.start >= a
                            && m.end <= b
                            && !m.is_change
                            // "$5.5 million ... compared to $6.5": a scale left out, and no
                            // figure rather than one a million times too small.
                            && (per_share || m.per_share || m.value >= 1000.0 || largest < 100_000.0)
                            // "$0.01" under a whole-company figure is a per-share amount.
                            && (per_share || m.per_share || m.value >= 1.0)
                            && (m.per_share || whole_clause_per_share) == per_share
                    })
                    .collect()
            };
            let mut emit =
                |m: &MoneyMention, period: Period, comparative: bool, per_share: bool| {
                    out.push(Located {
                        start: m.start,
                        end: m.end,
                        sentence: si,
                        rule: clause.rule,
                        fact: FinancialFact {
                            metric: phrase.resolve(m.negative, per_share),
                            qualifier: qualifier.clone(),
                            period,
                            value: m.value,
                            currency: m.currency,
                            comparative,
                            source: Source::Prose,
                            part: clause.part.clone(),
                        },
                    });
                };
            for per_share in [false, true] {
                if per_share && !phrase.is_earnings() {
                    continue;
                }
                for (m, p) in pair(
                    &figures(cur_range.0, cur_range.1, per_share),
                    &current,
                    respectively,
                ) {
                    // "... ended June 30, 2025 and 2024, respectively": the earlier year compares.
                    let earlier = current.iter().any(|c| {
                        c.period.ptype == p.ptype
                            && c.period.end.month() == p.end.month()
                            && c.period.end > p.end
                    });
                    emit(m, p, earlier, per_share);
                }
                if let Some(cmp_periods) =
                    comparative_periods(&periods_in(cmp_range.0, cmp_range.1), &current, is_balance)
                {
                    for (m, mut p) in pair(
                        &figures(cmp_range.0, cmp_range.1, per_share),
                        &cmp_periods,
                        respectively,
                    ) {
                        if is_balance {
                            p.ptype = PeriodType::Quarter;
                        }
                        emit(m, p, true, per_share);
                    }
                }
            }
        }
    }
    sole_revenue_line(text, dedup(out))
}

/// Whole revenue written out: "total revenues", "net revenue". A release that says it has its
/// total elsewhere, even without a figure, makes a part's figure no total.
static REVENUE_TOTAL_WORDS: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?-u:\b)(?:total|net|consolidated)\s+revenues?(?-u:\b)")
        .expect("total revenue regex")
});

/// Keeps the figures of a part of revenue ("collaboration revenue") only when the release has
/// that one kind of revenue: no whole revenue figure, no other kind, no total written out.
fn sole_revenue_line(text: &str, rows: Vec<Located<FinancialFact>>) -> Vec<Located<FinancialFact>> {
    let parts: Vec<&str> = rows.iter().filter_map(|r| r.fact.part.as_deref()).collect();
    if parts.is_empty() {
        return rows;
    }
    let sole = parts.iter().all(|p| *p == parts[0])
        && !rows
            .iter()
            .any(|r| r.fact.metric == Metric::Revenue && r.fact.part.is_none())
        && !REVENUE_TOTAL_WORDS.is_match(text);
    if sole {
        rows
    } else {
        rows.into_iter().filter(|r| r.fact.part.is_none()).collect()
    }
}

/// Whether `written` is `exact` rounded to the digits `written` shows ("$15.9 million" for
/// 15,912,000), or the same figure.
pub fn rounds_to(exact: f64, written: f64) -> bool {
    if exact == written {
        return true;
    }
    if exact == 0.0 || written == 0.0 {
        return false;
    }
    let digits = format!("{:e}", written.abs());
    let mantissa = digits.split('e').next().unwrap_or("");
    let significant = mantissa.chars().filter(char::is_ascii_digit).count().max(1) as i32;
    let magnitude = written.abs().log10().floor() as i32;
    let unit = 10f64.powi(magnitude - significant + 1);
    (exact - written).abs() <= unit / 2.0 * (1.0 + 1e-9)
}

/// A figure repeated (headline and body, summary and table) is one row: the first.
fn dedup(rows: Vec<Located<FinancialFact>>) -> Vec<Located<FinancialFact>> {
    let mut out: Vec<Located<FinancialFact>> = Vec::new();
    for row in rows {
        let dup = out.iter().any(|o| {
            o.fact.metric == row.fact.metric
                && o.fact.period == row.fact.period
                && o.fact.comparative == row.fact.comparative
                && o.fact.qualifier == row.fact.qualifier
                && o.fact.value == row.fact.value
        });
        if !dup {
            out.push(row);
        }
    }
    out
}

crate::text::pattern::compile_rules!(
    METRIC,
    QUALIFIER,
    COMPARISON,
    TO_FROM,
    CLAUSE_END,
    GUIDANCE,
    NOT_REPORTED_WORD,
    REVENUE_FROM,
    REVENUE_WHOLE_BEFORE,
    REVENUE_SOLE_LINE_BEFORE,
    REVENUE_TOTAL_WORDS,
    AMOUNT_OF_A_PART,
    COMPONENT_BEFORE,
    CASH_NOT_BALANCE_AFTER,
    CASH_NOT_BALANCE_BEFORE,
    PERIOD_WORD,
);

impl crate::facts::table::FactTable for FinancialFact {
    const NAME: &'static str = "financials";

    fn columns() -> Vec<Column<Self>> {
        vec![
            Column::text("metric", |f| Some(f.metric.name())),
            Column::text_or_null("qualifier", |f| f.qualifier.as_deref()),
            Column::written("period", |f, out| f.period.write_label(out)),
            Column::text_or_null("fiscal_label", |f| f.period.fiscal_label.as_deref()),
            Column::text("period_type", |f| Some(f.period.ptype.as_str())),
            Column::int("fiscal_year", |f| Some(f.period.fiscal_year as i64)),
            Column::date_or_null("period_end", |f| Some(f.period.end)),
            Column::float("value", |f| f.value),
            Column::text("currency", |f| Some(f.currency)),
            Column::boolean("comparative", |f| f.comparative),
            Column::text("source", |f| Some(f.source.as_str())),
        ]
    }

    fn extract(doc: &DocContext) -> Vec<Located<Self>> {
        // A result cannot end in a year after the release's: such a period was a fiscal one
        // read as calendar ("Q1 2027" of a year that ends in March), and the sentence's other
        // periods were read on the same wrong calendar. Within the year, a dateline's typo is
        // likelier than a misread period, and quarters of fiscal years that end in January
        // end before their calendar quarter does.
        let reported = |rows: Vec<Located<Self>>| -> Vec<Located<Self>> {
            let Some(date) = doc.date else {
                return rows;
            };
            let unsure: Vec<usize> = rows
                .iter()
                .filter(|r| r.fact.period.end.year() > date.year())
                .map(|r| r.sentence)
                .collect();
            rows.into_iter()
                .filter(|r| !unsure.contains(&r.sentence))
                .collect()
        };
        let prose = reported(extract_financials(doc));
        let tables = reported(super::statements::extract_statement_figures(doc));
        if tables.is_empty() {
            return prose;
        }
        // A statement with a revenue line has the whole: a part named in prose is not it.
        let table_revenue = tables.iter().any(|t| t.fact.metric == Metric::Revenue);
        let prose = prose
            .into_iter()
            .filter(|p| !(table_revenue && p.fact.part.is_some()))
            .collect::<Vec<_>>();
        // A statement's figure is the company's exact one: a figure of prose for the same
        // metric and period that is not it rounded is a part, a change or another company's.
        let mut rows: Vec<Located<Self>> = prose
            .into_iter()
            .filter(|p| {
                !tables.iter().any(|t| {
                    t.fact.metric == p.fact.metric
                        && t.fact.period.label_key() == p.fact.period.label_key()
                        && t.fact.qualifier == p.fact.qualifier
                        && !rounds_to(t.fact.value, p.fact.value)
                })
            })
            .collect();
        rows.extend(tables);
        rows
    }
}

/// Rows as (metric, period label, value, comparative): what the tests of the financial
/// readers compare.
#[cfg(test)]
pub(crate) fn figure_tuples(rows: Vec<Located<FinancialFact>>) -> Vec<(String, String, f64, bool)> {
    rows.into_iter()
        .map(|r| {
            (
                r.fact.metric.name().to_string(),
                r.fact.period.label(),
                r.fact.value,
                r.fact.comparative,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mentions::lexicon::Lexicon;

    fn facts(text: &str) -> Vec<(String, String, f64, &'static str, bool)> {
        let lexicon = Lexicon::builtin();
        let prepared = crate::extract::Extractor::builtin().prepare(text);
        let ctx = prepared.ctx(&lexicon);
        extract_financials(&ctx)
            .into_iter()
            .map(|f| {
                (
                    f.fact.metric.name().to_string(),
                    f.fact.period.label(),
                    f.fact.value,
                    f.fact.currency,
                    f.fact.comparative,
                )
            })
            .collect()
    }

    /// The check in code agrees with the regex it replaced before every word of the sample
    /// releases, and at the edges: the reach, full stops, wide characters, overlapping words.
    /// The alternatives find what the one regex with a named group per metric found, and name
    /// the group that took part, on every sample release.
    #[test]
    fn metric_alternatives_match_as_one_grouped_regex() {
        let family = crate::rulebook::family("financials", "metric");
        let groups: Vec<String> = family
            .names()
            .iter()
            .zip(family.patterns())
            .map(|(name, pattern)| format!("(?P<{name}>{pattern})"))
            .collect();
        let grouped = crate::text::pattern::regex(&groups.join("|")).unwrap();
        let edges = [
            "Net loss per share was $0.12; net income (loss) of $3M; NET LOSSES and comprehensive loss",
            "Basic and diluted net income per common share, EPS, earnings per share, net profit",
            "cash, cash equivalents and short-term investments position; cash used; Cash balances",
            "Total revenues, net product sales, R&D expenses, SG&A costs, G&A expense, total costs and expenses",
        ];
        let mut checked = 0;
        for text in crate::text::sample_texts(&edges) {
            let want: Vec<(std::ops::Range<usize>, &str)> = grouped
                .captures_iter(&text)
                .map(|c| {
                    let name = family
                        .names()
                        .into_iter()
                        .find(|name| c.name(name).is_some())
                        .unwrap();
                    (c.get(0).unwrap().range(), name)
                })
                .collect();
            let got: Vec<(std::ops::Range<usize>, &str)> = metrics_in(&text)
                .map(|((_, name), m)| (m.range(), name))
                .collect();
            assert_eq!(got, want);
            assert_eq!(METRIC.1.is_match(&text), grouped.is_match(&text));
            checked += got.len();
        }
        assert!(
            checked > crate::text::at_least(400, 40),
            "metric mentions checked: {checked}"
        );
    }

    #[test]
    fn not_reported_before_agrees_with_its_regex() {
        let regex = crate::text::pattern::regex(r"(?i)(?:non-GAAP|adjusted|pro\s+forma|division|segment|subsidiary|cost\s+of|deferred|unearned|medication|franchise|brand)[^.]{0,80}$").unwrap();
        let reach = "x".repeat(NOT_REPORTED_REACH);
        let edges = [
            format!("Adjusted{reach}"),
            format!("Adjusted{reach}y"),
            format!("adjusted é{}", "é".repeat(NOT_REPORTED_REACH - 2)),
            format!("adjusted é{}", "é".repeat(NOT_REPORTED_REACH - 1)),
            format!("non-GAAPro forma{}", "z".repeat(NOT_REPORTED_REACH - 1)),
            format!("non-GAAPro   forma{reach}"),
            "Segment revenue. Total".to_string(),
            "its brand. The".to_string(),
            "cost\n\tof goods, ".to_string(),
            "KOST OF BRAND 😀 ".to_string(),
            format!("{}adjusted {}", "ü".repeat(70), "ü".repeat(20)),
        ];
        let edge_refs: Vec<&str> = edges.iter().map(String::as_str).collect();
        let mut n_checked = 0;
        let mut n_true = 0;
        for text in crate::text::sample_texts(&edge_refs) {
            let ends: Vec<usize> = if edge_refs.contains(&text.as_str()) {
                (0..=text.len())
                    .filter(|&i| text.is_char_boundary(i))
                    .collect()
            } else {
                // Every word start, where a metric may begin.
                (1..text.len())
                    .filter(|&i| text.as_bytes()[i - 1] == b' ')
                    .collect()
            };
            for end in ends {
                let before = &text[..end];
                let expected = regex.is_match(tail(before, 120));
                assert_eq!(not_reported_before(before), expected, "{before:?}");
                n_checked += 1;
                n_true += usize::from(expected);
            }
        }
        assert!(
            n_checked > crate::text::at_least(100_000, 5_000)
                && n_true > crate::text::at_least(1000, 300),
            "{n_checked} checked, {n_true} true"
        );
    }

    #[test]
    fn respectively_with_comparatives() {
        let got = facts("Net loss allocable to common stock holders for the quarter and nine months ended September 30, 2019 was $15.9 million and $37.3 million respectively, compared to $12.7 million and $30.4 million for the same periods in 2018.");
        assert_eq!(
            got,
            vec![
                (
                    "net_loss".into(),
                    "2019-Q3".into(),
                    15_900_000.0,
                    "USD",
                    false
                ),
                (
                    "net_loss".into(),
                    "2019-9M".into(),
                    37_300_000.0,
                    "USD",
                    false
                ),
                (
                    "net_loss".into(),
                    "2018-Q3".into(),
                    12_700_000.0,
                    "USD",
                    true
                ),
                (
                    "net_loss".into(),
                    "2018-9M".into(),
                    30_400_000.0,
                    "USD",
                    true
                ),
            ]
        );
    }

    #[test]
    fn per_share_and_three_months_ended() {
        let got = facts("The company reported a net loss of $8.2 million, or $0.31 per share, for the three months ended March 31, 2024, compared to a net loss of $6.1 million, or $0.25 per share, for the three months ended March 31, 2023.");
        assert_eq!(
            got,
            vec![
                (
                    "net_loss".into(),
                    "2024-Q1".into(),
                    8_200_000.0,
                    "USD",
                    false
                ),
                (
                    "net_loss".into(),
                    "2023-Q1".into(),
                    6_100_000.0,
                    "USD",
                    true
                ),
                (
                    "net_loss_per_share".into(),
                    "2024-Q1".into(),
                    0.31,
                    "USD",
                    false
                ),
                (
                    "net_loss_per_share".into(),
                    "2023-Q1".into(),
                    0.25,
                    "USD",
                    true
                ),
            ]
        );
    }

    #[test]
    fn lead_period_and_several_metrics() {
        let got = facts("The financial results for Q2 2024 included a net loss of approximately $2.5 million compared to approximately $4.0 million for the comparable period in 2023, R&D expenses of $1.1 million for Q2 2024 versus approximately $2.8 million for Q2 2023, and general and administrative expense of $1.4 million for Q2 2024 compared to approximately $1.2 million for Q2 2023.");
        assert_eq!(
            got,
            vec![
                (
                    "net_loss".into(),
                    "2024-Q2".into(),
                    2_500_000.0,
                    "USD",
                    false
                ),
                (
                    "net_loss".into(),
                    "2023-Q2".into(),
                    4_000_000.0,
                    "USD",
                    true
                ),
                (
                    "rd_expense".into(),
                    "2024-Q2".into(),
                    1_100_000.0,
                    "USD",
                    false
                ),
                (
                    "rd_expense".into(),
                    "2023-Q2".into(),
                    2_800_000.0,
                    "USD",
                    true
                ),
                (
                    "ga_expense".into(),
                    "2024-Q2".into(),
                    1_400_000.0,
                    "USD",
                    false
                ),
                (
                    "ga_expense".into(),
                    "2023-Q2".into(),
                    1_200_000.0,
                    "USD",
                    true
                ),
            ]
        );
    }

    #[test]
    fn cash_balance_takes_its_quarter() {
        let got = facts("As of June 30, 2024, the company had cash of approximately $1.5 million.");
        assert_eq!(
            got,
            vec![("cash".into(), "2024-Q2".into(), 1_500_000.0, "USD", false)]
        );
        let got = facts("Cash, cash equivalents and investments were RMB 120.5 million as of December 31, 2020.");
        assert_eq!(
            got,
            vec![("cash".into(), "2020-Q4".into(), 120_500_000.0, "CNY", false)]
        );
    }

    #[test]
    fn full_year_and_revenue() {
        let got = facts("Net loss for the full year 2020 was $48.2 million. Revenue was €3.1 million for the year ended December 31, 2020.");
        assert_eq!(
            got,
            vec![
                (
                    "net_loss".into(),
                    "2020-FY".into(),
                    48_200_000.0,
                    "USD",
                    false
                ),
                (
                    "revenue".into(),
                    "2020-FY".into(),
                    3_100_000.0,
                    "EUR",
                    false
                ),
            ]
        );
    }

    #[test]
    fn decreased_to_from() {
        let got = facts("Research and development expenses decreased to $5.1 million for the second quarter of 2023 from $6.3 million for the same period in 2022.");
        assert_eq!(
            got,
            vec![
                (
                    "rd_expense".into(),
                    "2023-Q2".into(),
                    5_100_000.0,
                    "USD",
                    false
                ),
                (
                    "rd_expense".into(),
                    "2022-Q2".into(),
                    6_300_000.0,
                    "USD",
                    true
                ),
            ]
        );
    }

    #[test]
    fn nothing_without_a_period_or_with_unknown_fiscal() {
        assert!(facts("Net loss was $3.2 million.").is_empty());
        assert!(facts("During the third quarter of fiscal year 2025, IXHL reported R&D expenses of $2.74M, down from $3.28M in the same quarter of the previous year.").is_empty());
        assert!(
            facts("The acquisition price of $1.16 per share in cash for the year 2025.").is_empty()
        );
        assert!(facts(
            "Net cash used in operating activities was $5.0 million as of March 31, 2024."
        )
        .is_empty());
    }

    #[test]
    fn amounts_before_their_metric() {
        let got = facts(
            "In Q3 2024, Rigetti reported $2.4 million in revenue and a $14.8 million net loss.",
        );
        assert_eq!(
            got,
            vec![
                (
                    "revenue".into(),
                    "2024-Q3".into(),
                    2_400_000.0,
                    "USD",
                    false
                ),
                (
                    "net_loss".into(),
                    "2024-Q3".into(),
                    14_800_000.0,
                    "USD",
                    false
                ),
            ]
        );
    }

    #[test]
    fn per_share_metric_written_first() {
        let got = facts("EPS improved, with a basic and diluted net loss per share of $(0.02) for Q3 2024, from $(0.82) for Q3 2023.");
        assert_eq!(
            got,
            vec![
                (
                    "net_loss_per_share".into(),
                    "2024-Q3".into(),
                    0.02,
                    "USD",
                    false
                ),
                (
                    "net_loss_per_share".into(),
                    "2023-Q3".into(),
                    0.82,
                    "USD",
                    true
                ),
            ]
        );
    }

    #[test]
    fn guidance_tables_and_divisions_are_not_results() {
        assert!(facts(
            "We expect revenues of $178 million to $182 million for the full year 2025."
        )
        .is_empty());
        assert!(facts("Three Months Ended March 31, 2026 2025 Revenue $ - $ 1,637 Research and development 3,904 5,355 General 1,400 1,700 Net loss $ (5,358) $ (5,400)").is_empty());
        assert!(facts("The NovaVision division, which remains in development, generated revenues of $17,858 for the three months ended March 31, 2025.").is_empty());
        assert!(facts("In Q1 2025, Collegium generated 149.2 million dollars in revenue from its chronic pain medications.").is_empty());
        assert!(facts("The \u{201c}division\u{201d} \u{2014} \u{2014} \u{2014} \u{2014} \u{2014} \u{2014} net loss of $5 million for Q1 2025.").is_empty());
    }

    #[test]
    fn an_aside_after_the_figure_is_not_its_comparison() {
        let got = facts("Cash stood at $5.1 million on June 30, 2025, plus $1.4 million raised July 1, funding operations into Q1 2026.");
        assert_eq!(
            got,
            vec![("cash".into(), "2025-Q2".into(), 5_100_000.0, "USD", false)]
        );
        let got = facts("Net loss widened to $7.3M versus $4.1M in 3Q24, with $13.6M of net cash used in operations over the first nine months of 2025.");
        assert_eq!(
            got,
            vec![(
                "net_loss".into(),
                "2024-Q3".into(),
                4_100_000.0,
                "USD",
                true
            )]
        );
    }

    #[test]
    fn a_part_of_revenue_is_revenue_only_as_the_sole_line() {
        let sole = facts("Collaboration revenue was $4.5 million for the year ended December 31, 2022. Collaboration revenue was $2.1 million for the year ended December 31, 2021.");
        assert_eq!(sole.len(), 2, "{sole:?}");
        let beside_total = facts("Product revenue for the first quarter of 2025 was $7.2 million. Revenue for the first quarter of 2025 was $9.1 million.");
        assert_eq!(
            beside_total,
            vec![(
                "revenue".into(),
                "2025-Q1".into(),
                9_100_000.0,
                "USD",
                false
            )]
        );
        let two_kinds = facts("Product revenue for the first quarter of 2025 was $7.2 million. Royalty revenue for the first quarter of 2025 was $0.3 million.");
        assert!(two_kinds.is_empty(), "{two_kinds:?}");
    }

    #[test]
    fn one_period_named_twice() {
        let got = facts("R&D expenses for the six months ended June 30, 2024 (\"H1 2024\") reached $2,788,000 compared to $3,449,000 in H1 2023.");
        assert_eq!(
            got,
            vec![
                (
                    "rd_expense".into(),
                    "2024-H1".into(),
                    2_788_000.0,
                    "USD",
                    false
                ),
                (
                    "rd_expense".into(),
                    "2023-H1".into(),
                    3_449_000.0,
                    "USD",
                    true
                ),
            ]
        );
    }

    #[test]
    fn changes_are_not_figures() {
        let got = facts("R&D expenses were $5.1 million for the first quarter of 2024, a decrease of $1.2 million compared to $6.3 million for the first quarter of 2023.");
        assert_eq!(
            got,
            vec![
                (
                    "rd_expense".into(),
                    "2024-Q1".into(),
                    5_100_000.0,
                    "USD",
                    false
                ),
                (
                    "rd_expense".into(),
                    "2023-Q1".into(),
                    6_300_000.0,
                    "USD",
                    true
                ),
            ]
        );
    }
}
