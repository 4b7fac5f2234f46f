//! The `financials` table: reported figures with their metric, period and currency.
//!
//! A sentence is cut into clauses, one per metric mention ("net loss ...", "R&D expenses ...").
//! Each clause is split at its comparison ("compared to", "versus", "down from") into the
//! current part and the comparative part; in each part, amounts are paired with periods in
//! order ("$15.9 million and $37.3 million respectively" with "the quarter and nine months").
//! When the pairing is ambiguous nothing is reported: a missing figure is better than a wrong one.

use std::sync::LazyLock;

use regex::Regex;

use super::{DocContext, Located};
use crate::mentions::money::{find_money_in, MoneyMention};
use crate::mentions::periods::{
    find_periods_in, FiscalCalendar, Period, PeriodMention, PeriodRef, PeriodType,
};

#[derive(Debug, Clone, PartialEq)]
pub struct FinancialFact {
    pub metric: &'static str,
    pub qualifier: Option<String>,
    pub period: Period,
    pub value: f64,
    pub currency: &'static str,
    pub comparative: bool,
}

static METRIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?-u:\b)(?:",
        r"(?P<income_loss>net\s+income\s*\(loss\)|net\s+\(loss\)\s*income|net\s+(?:loss|income)\s*/\s*(?:income|loss))",
        r"|(?P<net_loss>net\s+loss(?:es)?(?:\s+and\s+comprehensive\s+loss)?)",
        r"|(?P<net_income>net\s+(?:income|profit|earnings))",
        r"|(?P<revenue>(?:total\s+|net\s+)?revenues?|net\s+(?:product\s+)?sales|total\s+sales)",
        r"|(?P<rd_expense>research\s+and\s+development\s+(?:\(R&D\)\s+)?(?:expenses?|costs)|R&D\s+(?:expenses?|costs))",
        r"|(?P<sga_expense>selling,\s+general\s+and\s+administrative\s+(?:\(SG&A\)\s+)?(?:expenses?|costs)|SG&A\s+(?:expenses?|costs))",
        r"|(?P<ga_expense>general\s+and\s+administrative\s+(?:\(G&A\)\s+)?(?:expenses?|costs)|G&A\s+(?:expenses?|costs))",
        r"|(?P<operating_expense>(?:total\s+)?operating\s+(?:expenses|costs)|total\s+costs\s+and\s+expenses)",
        r"|(?P<cash>cash(?:,\s*cash\s+equivalents)?(?:,?\s*(?:and\s+)?(?:cash\s+equivalents|restricted\s+cash|short[- ]term\s+investments|marketable\s+securities|investments))*(?:\s+position|\s+balance)?)",
        r")(?-u:\b)"
    ))
    .expect("metric regex")
});

static QUALIFIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?P<verb>allocable|attributable|applicable|available)\s+to\s+(?P<who>(?:common\s+|ordinary\s+)?(?:stock\s*holders|share\s*holders))")
        .expect("qualifier regex")
});

static COMPARISON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:(?:as\s+)?compared\s+(?:to|with)|versus|vs\.?|relative\s+to|(?:up|down|increased|decreased|declined|rose|fell)\s+from|from)(?-u:\b)")
        .expect("comparison regex")
});

/// `decreased to $Y from $X` reads backwards: the current figure comes after "to".
static TO_FROM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?-u:\b)(?:increased|decreased|declined|rose|fell|grew)\s+(?:\w+\s+){0,2}?to\s+",
    )
    .expect("to-from regex")
});

/// What a cash word must not be followed by to name a balance.
static CASH_NOT_BALANCE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:used|flows?|burn|runway|payments?|consideration|compensation|dividends?|proceeds|bonus|fees?|component|portion|outflows?|inflows?|requirements|needs|generated|provided|expenses?)(?-u:\b)")
        .expect("cash regex")
});

static CASH_NOT_BALANCE_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:net|non|in|of|per\s+share\s+in|free|operating)[\s-]*$")
        .expect("cash before regex")
});

/// A metric mention and the clause it governs.
struct Clause {
    metric: &'static str,
    start: usize,
    end: usize,
    metric_end: usize,
}

fn metric_name(c: &regex::Captures) -> &'static str {
    for name in [
        "income_loss",
        "net_loss",
        "net_income",
        "revenue",
        "rd_expense",
        "sga_expense",
        "ga_expense",
        "operating_expense",
        "cash",
    ] {
        if c.name(name).is_some() {
            return name;
        }
    }
    "net_loss"
}

fn clauses_in(text: &str, start: usize, end: usize) -> Vec<Clause> {
    let hay = &text[start..end];
    let mut found: Vec<Clause> = Vec::new();
    for c in METRIC.captures_iter(hay) {
        let m = c.get(0).expect("group 0");
        let metric = metric_name(&c);
        let before = &hay[..m.start()];
        if metric == "revenue"
            && (before.ends_with("cost of ")
                || before.ends_with("deferred ")
                || before.to_ascii_lowercase().ends_with("cost of "))
        {
            continue;
        }
        if metric == "cash"
            && (CASH_NOT_BALANCE_AFTER.is_match(&hay[m.end()..])
                || CASH_NOT_BALANCE_BEFORE.is_match(before))
        {
            continue;
        }
        // "compared to a net loss of ..." continues the clause of the same metric.
        if let Some(last) = found.last() {
            let gap = &hay[last.metric_end - start..m.start()];
            if last.metric == metric && COMPARISON.is_match(gap) {
                continue;
            }
        }
        found.push(Clause {
            metric,
            start: start + m.start(),
            end,
            metric_end: start + m.end(),
        });
    }
    for i in 1..found.len() {
        found[i - 1].end = found[i].start;
    }
    found
}

fn explicit_periods(mentions: &[&PeriodMention]) -> Option<Vec<Period>> {
    let mut out = Vec::new();
    for m in mentions {
        match &m.period {
            PeriodRef::Explicit(ps) => out.extend(ps.iter().cloned()),
            PeriodRef::Balance(d) => out.push(Period {
                ptype: PeriodType::Quarter,
                end: *d,
                fiscal_label: None,
                fiscal_year: chrono::Datelike::year(d),
            }),
            PeriodRef::UnknownFiscal => return None,
            PeriodRef::Same { .. } | PeriodRef::BareYear(_) => {}
        }
    }
    Some(out)
}

/// Periods of the comparative part, resolved against the current ones.
fn comparative_periods(mentions: &[&PeriodMention], current: &[Period]) -> Option<Vec<Period>> {
    let explicit = explicit_periods(mentions)?;
    if !explicit.is_empty() {
        return Some(explicit);
    }
    let relative = mentions.iter().find_map(|m| match m.period {
        PeriodRef::Same { year } => Some(year),
        PeriodRef::BareYear(y) => Some(Some(y)),
        _ => None,
    })?;
    current
        .iter()
        .map(|p| {
            let back = relative.map_or(1, |y| chrono::Datelike::year(&p.end) - y);
            if back <= 0 {
                return None;
            }
            p.years_earlier(back)
        })
        .collect()
}

/// Pairs amounts with periods: one each, or equal counts in order ("respectively").
fn pair<'m>(values: &[&'m MoneyMention], periods: &[Period]) -> Vec<(&'m MoneyMention, Period)> {
    if periods.is_empty() || values.is_empty() {
        return Vec::new();
    }
    if values.len() == periods.len() {
        return values
            .iter()
            .copied()
            .zip(periods.iter().cloned())
            .collect();
    }
    if periods.len() == 1 {
        // Several amounts for one period: only the first is the figure ("$2.5 million,
        // including $0.3 million of ..."). Several periods for one amount: ambiguous.
        return vec![(values[0], periods[0].clone())];
    }
    Vec::new()
}

fn resolve_metric(metric: &'static str, m: &MoneyMention, per_share: bool) -> &'static str {
    let loss = match metric {
        "income_loss" => m.negative,
        "net_income" => m.negative,
        "net_loss" => true,
        other => return other,
    };
    match (loss, per_share) {
        (true, false) => "net_loss",
        (true, true) => "net_loss_per_share",
        (false, false) => "net_income",
        (false, true) => "net_income_per_share",
    }
}

/// Financial figures in one document.
pub fn extract_financials(ctx: &DocContext, fiscal: FiscalCalendar) -> Vec<Located<FinancialFact>> {
    let text = ctx.text;
    let mut out: Vec<Located<FinancialFact>> = Vec::new();
    for (si, sentence) in ctx.sentences.iter().enumerate() {
        let clauses = clauses_in(text, sentence.start, sentence.end);
        if clauses.is_empty() {
            continue;
        }
        let money = find_money_in(text, sentence.start, sentence.end);
        if money.is_empty() {
            continue;
        }
        let periods = find_periods_in(text, sentence.start, sentence.end, fiscal);
        // Periods written before the first metric set the scene: "For Q2 2024, net loss was ...".
        let lead: Vec<&PeriodMention> = periods
            .iter()
            .filter(|p| p.end <= clauses[0].start)
            .collect();
        let lead_periods = explicit_periods(&lead);

        for clause in &clauses {
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
            // Split into the current part and the comparative part.
            let (split_at, reversed) = match TO_FROM.find(&text[clause.start..clause.end]) {
                Some(m) => (clause.start + m.end(), true),
                None => (
                    COMPARISON
                        .find(&text[clause.metric_end..clause.end])
                        .map_or(clause.end, |m| clause.metric_end + m.start()),
                    false,
                ),
            };
            let in_range = |m: &&MoneyMention, a: usize, b: usize| m.start >= a && m.end <= b;
            let figures = |a: usize, b: usize, per_share: bool| -> Vec<&MoneyMention> {
                money
                    .iter()
                    .filter(|m| in_range(m, a, b) && !m.is_change && m.per_share == per_share)
                    .collect()
            };
            let periods_in = |a: usize, b: usize| -> Vec<&PeriodMention> {
                periods
                    .iter()
                    .filter(|p| p.start >= a && p.end <= b)
                    .collect()
            };

            let (cur_range, cmp_range) = if reversed {
                // "decreased to $Y from $X for the same period": current after "to", comparative after "from".
                let from_at = COMPARISON
                    .find(&text[split_at..clause.end])
                    .map_or(clause.end, |m| split_at + m.start());
                ((split_at, from_at), (from_at, clause.end))
            } else {
                ((clause.metric_end, split_at), (split_at, clause.end))
            };
            let mut current_periods = match explicit_periods(&periods_in(cur_range.0, cur_range.1))
            {
                Some(ps) => ps,
                None => continue,
            };
            if reversed && current_periods.is_empty() {
                current_periods =
                    explicit_periods(&periods_in(clause.start, clause.end)).unwrap_or_default();
            }
            if current_periods.is_empty() {
                match &lead_periods {
                    Some(ps) => current_periods = ps.clone(),
                    None => continue,
                }
            }
            // A cash balance needs a balance date, a flow figure needs a flow period.
            let balance_dated = periods
                .iter()
                .any(|p| matches!(p.period, PeriodRef::Balance(_)));
            if clause.metric == "cash" && !balance_dated {
                continue;
            }

            let mut emit =
                |m: &MoneyMention, period: Period, comparative: bool, per_share: bool| {
                    out.push(Located {
                        start: m.start,
                        end: m.end,
                        sentence: si,
                        fact: FinancialFact {
                            metric: resolve_metric(clause.metric, m, per_share),
                            qualifier: qualifier.clone(),
                            period,
                            value: m.value,
                            currency: m.currency,
                            comparative,
                        },
                    });
                };
            for per_share in [false, true] {
                if per_share && !matches!(clause.metric, "net_loss" | "net_income" | "income_loss")
                {
                    continue;
                }
                for (m, p) in pair(
                    &figures(cur_range.0, cur_range.1, per_share),
                    &current_periods,
                ) {
                    emit(m, p, false, per_share);
                }
                if let Some(cmp_periods) =
                    comparative_periods(&periods_in(cmp_range.0, cmp_range.1), &current_periods)
                {
                    for (m, p) in pair(&figures(cmp_range.0, cmp_range.1, per_share), &cmp_periods)
                    {
                        emit(m, p, true, per_share);
                    }
                }
            }
        }
    }
    dedup(out)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mentions::lexicon::Lexicon;
    use crate::text::split_sentences;

    fn facts(text: &str) -> Vec<(String, String, f64, &'static str, bool)> {
        let sentences = split_sentences(text);
        let lexicon = Lexicon::builtin();
        let ctx = DocContext {
            text,
            sentences: &sentences,
            lexicon: &lexicon,
            terms: &[],
            products: &[],
        };
        extract_financials(&ctx, crate::mentions::periods::fiscal_year_end(text))
            .into_iter()
            .map(|f| {
                (
                    f.fact.metric.to_string(),
                    f.fact.period.label(),
                    f.fact.value,
                    f.fact.currency,
                    f.fact.comparative,
                )
            })
            .collect()
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
