//! The period a results release reports, read from its headline and lead ("Reports Third
//! Quarter 2024 Results", "today announced results for the quarter ended June 30, 2025"), and
//! the sentences that may take it: those that give a figure of the issuer with no period of
//! their own ("Net loss for the quarter was $5.4 million", "The Company reported revenue of
//! $2.1 million"). Precision first: a sentence that could be about another period (a month, a
//! run rate, year to date, guidance) or another business (a segment, a subsidiary named in
//! capitals) takes nothing.

use std::sync::LazyLock;

use chrono::Datelike;

use crate::mentions::periods::{Period, PeriodRef, PeriodType};
use crate::text::rule::Rule;
use crate::text::structure::Section;

use super::DocContext;

/// How many sentences from the top may state the reporting period: the headline, a subhead
/// and the lead.
const LEAD_SENTENCES: usize = 8;

/// A sentence that announces results: only its periods are the release's.
static ANNOUNCES_RESULTS: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?-u:\b)results(?-u:\b)").expect("results regex")
});

/// Words that make a sentence's figure possibly of another period than the release's.
static OTHER_PERIOD: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?-u:\b)(?:since|to[\s-]+date|inception|cumulative|backlog|run[\s-]+rate|annuali[sz]ed|trailing|ttm|guidance|expects?|expected|anticipates?|forecast|outlook|targets?|year[\s-]+to[\s-]+date|ytd|sequential(?:ly)?|month|january|february|march|april|may|june|july|august|september|october|november|december|week|pro\s+forma|segment|division|subsidiar(?:y|ies)|adjusted|non-gaap|excluding|ebitda|will|would|could|may|might|estimated?|projected|potential|up\s+to)(?-u:\b)")
        .expect("other period regex")
});

/// Words that make what follows them a comparison: a clause after them ("compared to net
/// income of $4.3 million in the prior year") is not of the release's period.
static COMPARED: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?-u:\b)(?:compared|versus|vs\.?|prior|last|previous|a\s+year\s+(?:ago|earlier)|same\s+(?:period|quarter))(?-u:\b)")
        .expect("compared regex")
});

/// Phrases with a period word that name no period of the figure: "up 15% year over year".
static NOT_A_PERIOD: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)year[\s-]+over[\s-]+year|quarter[\s-]+over[\s-]+quarter|(?-u:\b)(?:yoy|y/y|q/q)(?-u:\b)|(?:prior|last|previous|same)[\s-]+(?:year|quarter)|a\s+year\s+(?:ago|earlier)|(?:per|a|each)\s+(?:year|quarter)")
        .expect("not a period regex")
});

/// Period words of the kinds a release reports, with the quarter's number when it is written.
static PERIOD_KIND: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?-u:\b)(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?:fiscal\s+)?(?P<q1>quarter)|(?P<q2>quarter(?:ly)?|three[\s-]+months?|3[\s-]+months?)|q(?P<qn>[1-4])|(?P<nq>[1-4])q|(?P<year>full[\s-]+year|fiscal\s+year|the\s+year|annual|twelve[\s-]+months?|12[\s-]+months?|fy)|(?P<half>half|six[\s-]+months?|6[\s-]+months?|h[12])|(?P<nine>nine[\s-]+months?|9[\s-]+months?))(?-u:\b)")
        .expect("period kind regex")
});

/// Capitalised words a sentence about the issuer's own results may hold before its metric.
/// Any other capitalised word (a brand, a subsidiary, another company) may make the figure
/// someone else's.
static ISSUER_SENTENCE_WORD: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)^(?:the|we|our|its|for|in|during|total|net|gaap|u\.?s\.?|company|company's|company’s|fiscal|quarter|quarterly|year|full|first|second|third|fourth|q[1-4]|[1-4]q|revenues?|income|loss|losses|results?|financial|highlights?|consolidated|reported|as|and|operating|operations|expenses?|research|development|r&d|general|administrative|g&a|sg&a|selling|cash|equivalents|basic|diluted|per|share|earnings|eps|sales|also|this|these|additionally|overall|period|summary|key|recent|business|update|i|ii|iii|iv)$")
        .expect("issuer sentence word regex")
});

/// The periods the release reports: those named by the first sentences that announce results,
/// the latest of each kind.
pub fn reporting_periods(ctx: &DocContext) -> Vec<Period> {
    let mut found: Vec<Period> = Vec::new();
    for (si, sentence) in ctx.sentences.iter().enumerate().take(LEAD_SENTENCES) {
        if !matches!(ctx.structure.section(si), Section::Headline | Section::Body)
            || !ANNOUNCES_RESULTS.is_match(&ctx.text[sentence.start..sentence.end])
        {
            continue;
        }
        for mention in ctx.mentions.periods(si) {
            let PeriodRef::Explicit(periods) = &mention.period else {
                continue;
            };
            for p in periods {
                match found.iter_mut().find(|f| f.ptype == p.ptype) {
                    Some(f) if f.end < p.end => *f = p.clone(),
                    Some(_) => {}
                    None => found.push(p.clone()),
                }
            }
        }
    }
    found
}

/// The reporting period a figure's clause takes, when its sentence gives none: `words` is the
/// sentence's text from its start to the clause's comparison, `subject` the text before the
/// metric. None when the sentence may be about another period or another business, or when its
/// words could name more than one of the release's periods.
pub fn period_for_clause(
    ctx: &DocContext,
    si: usize,
    reporting: &[Period],
    words: &str,
    subject: &str,
) -> Option<Period> {
    if reporting.is_empty()
        || !matches!(ctx.structure.section(si), Section::Headline | Section::Body)
        || OTHER_PERIOD.is_match(words)
        || COMPARED.is_match(words)
        || !about_the_issuer(ctx, subject)
    {
        return None;
    }
    let kinds = period_kinds(words);
    let candidates: Vec<&Period> = match kinds.first() {
        None => reporting.iter().collect(),
        Some(&(kind, _)) => {
            if kinds.iter().any(|k| k.0 != kind) {
                return None;
            }
            reporting.iter().filter(|p| p.ptype == kind).collect()
        }
    };
    let [period] = candidates.as_slice() else {
        return None;
    };
    // "the third quarter" must be the release's quarter, by the calendar or its fiscal label.
    for &(_, number) in &kinds {
        if let Some(n) = number {
            let calendar = period.end.month0() / 3 + 1;
            let fiscal = period
                .fiscal_label
                .as_deref()
                .and_then(|l| l.rsplit('Q').next())
                .and_then(|q| q.parse::<u32>().ok());
            if n != calendar && Some(n) != fiscal {
                return None;
            }
        }
    }
    // The nearest heading that names a period ("Six Month 2025 Financial Results") scopes the
    // paragraphs under it, and the nearest sentence that names one the sentences after it:
    // another kind of period in either makes this one unsure.
    // The lead that gave the release's periods scopes nothing.
    let before = (si.saturating_sub(SCOPE_SENTENCES)..si)
        .rev()
        .map(|sj| {
            let s = &ctx.sentences[sj];
            (sj, &ctx.text[s.start..s.end])
        })
        .filter(|&(sj, s)| {
            sj >= LEAD_SENTENCES
                || !(ctx.structure.section(sj) == Section::Headline
                    || ANNOUNCES_RESULTS.is_match(s) && !is_heading(s))
        })
        .map(|(_, s)| s);
    let mut nearest_sentence = None;
    let mut nearest_heading = None;
    for sentence in before {
        let kinds = period_kinds(sentence);
        if kinds.is_empty() {
            continue;
        }
        let matches = kinds.iter().any(|&(kind, _)| kind == period.ptype);
        nearest_sentence.get_or_insert(matches);
        if is_heading(sentence) {
            nearest_heading = Some(matches);
            break;
        }
    }
    if nearest_sentence == Some(false) || nearest_heading == Some(false) {
        return None;
    }
    Some((*period).clone())
}

/// How many sentences back a heading or sentence naming a period may scope a later one: a
/// section such as "Six Month 2025 Financial Results" runs for paragraphs.
const SCOPE_SENTENCES: usize = 40;

/// A heading: a short line with no closing punctuation.
fn is_heading(sentence: &str) -> bool {
    let t = sentence.trim();
    t.len() < 100 && !t.ends_with(['.', '!', '?', ':', ';', ','])
}

/// The kinds of period `words` name, with the quarter's number where written.
fn period_kinds(words: &str) -> Vec<(PeriodType, Option<u32>)> {
    let cleaned = NOT_A_PERIOD.replace_all(words, " ");
    let mut kinds: Vec<(PeriodType, Option<u32>)> = Vec::new();
    for c in PERIOD_KIND.captures_iter(&cleaned) {
        let number = c
            .name("ord")
            .map(|o| match o.as_str().to_ascii_lowercase().as_str() {
                "first" | "1st" => 1,
                "second" | "2nd" => 2,
                "third" | "3rd" => 3,
                _ => 4,
            })
            .or_else(|| {
                c.name("qn")
                    .or(c.name("nq"))
                    .and_then(|n| n.as_str().parse().ok())
            });
        let kind = if c.name("year").is_some() {
            PeriodType::Year
        } else if c.name("half").is_some() {
            PeriodType::Half
        } else if c.name("nine").is_some() {
            PeriodType::NineMonths
        } else {
            PeriodType::Quarter
        };
        kinds.push((kind, number));
    }
    kinds
}

/// Whether the words before a metric name no one but the issuer: every capitalised word is
/// one of the issuer's name or of a results sentence.
fn about_the_issuer(ctx: &DocContext, subject: &str) -> bool {
    let issuer_words: Vec<String> = ctx
        .issuer()
        .iter()
        .flat_map(|name| name.split_whitespace())
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    subject
        .split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '(' | ')' | ',' | ':' | ';' | '-' | '–' | '—' | '*' | '•' | '“' | '”' | '"'
                )
        })
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '&'))
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .all(|w| {
            ISSUER_SENTENCE_WORD.is_match(w)
                || issuer_words.iter().any(|i| {
                    let lw = w.to_lowercase();
                    *i == lw || lw.strip_suffix("'s").or(lw.strip_suffix("’s")) == Some(i)
                })
        })
}

crate::text::pattern::compile_rules!(
    ANNOUNCES_RESULTS,
    OTHER_PERIOD,
    COMPARED,
    NOT_A_PERIOD,
    PERIOD_KIND,
    ISSUER_SENTENCE_WORD,
);

#[cfg(test)]
mod tests {
    use crate::facts::financials::{extract_financials, figure_tuples};
    use crate::mentions::lexicon::Lexicon;

    fn rows(text: &str) -> Vec<(String, String, f64, bool)> {
        let lexicon = Lexicon::builtin();
        let prepared = crate::extract::Extractor::builtin().prepare(text);
        let ctx = prepared.ctx(&lexicon);
        figure_tuples(extract_financials(&ctx))
    }

    const HEAD: &str = "Orbis Labs Reports Third Quarter 2024 Financial Results\n\nBOSTON, Nov. 12, 2024 /PRNewswire/ -- Orbis Labs, Inc. (Nasdaq: ORBL) today reported financial results for the third quarter ended September 30, 2024.\n\n";

    fn with_head(body: &str) -> Vec<(String, String, f64, bool)> {
        rows(&format!("{HEAD}{body}\n"))
    }

    #[test]
    fn a_sentence_without_a_period_takes_the_release_s() {
        assert_eq!(
            with_head("Net loss for the quarter was $5.4 million, compared to $6.1 million for the same quarter last year."),
            vec![
                ("net_loss".into(), "2024-Q3".into(), 5_400_000.0, false),
                ("net_loss".into(), "2023-Q3".into(), 6_100_000.0, true),
            ]
        );
        assert_eq!(
            with_head("The Company reported revenue of $2.1 million."),
            vec![("revenue".into(), "2024-Q3".into(), 2_100_000.0, false)]
        );
        // The clause inside the comparison is not the quarter's.
        assert_eq!(
            with_head("Net loss was $0.2 million, compared to net income of $4.3 million in the prior year."),
            vec![("net_loss".into(), "2024-Q3".into(), 200_000.0, false)]
        );
        assert_eq!(
            with_head("Third quarter revenue was $2.1 million, up 12% year over year."),
            vec![("revenue".into(), "2024-Q3".into(), 2_100_000.0, false)]
        );
    }

    #[test]
    fn a_sentence_that_may_mean_another_period_takes_nothing() {
        for body in [
            // Another quarter, another kind of period, a month, a running total.
            "Second quarter revenue was $2.1 million.",
            "Revenue for the nine months was $6.0 million.",
            "Revenue in October was $0.9 million.",
            "Revenue since inception is $40.2 million.",
            "Year-to-date revenue was $6.0 million.",
            // Someone else's figure, a forecast, an adjusted one.
            "RKings delivered record revenue of $7.4 million.",
            "The Company expects revenue of $9.0 million.",
            "The contract is estimated to bring about $25 million in revenue.",
            "Adjusted net loss was $3.1 million.",
            // Two amounts the period could go with.
            "Revenue was $2.1 million and $6.0 million.",
            // A heading scopes the paragraphs under it.
            "Nine Month 2024 Financial Results\n\nRevenue increased 10% to $6.0 million from $5.5 million in the same period last year.",
        ] {
            assert_eq!(with_head(body), vec![], "{body}");
        }
    }

    #[test]
    fn without_a_results_lead_there_is_no_release_period() {
        let text = "Orbis Labs Opens a New Plant\n\nBOSTON, Nov. 12, 2024 /PRNewswire/ -- Orbis Labs, Inc. opened a plant in the third quarter.\n\nRevenue was $2.1 million.\n";
        assert_eq!(rows(text), vec![]);
    }

    #[test]
    fn a_release_of_a_quarter_and_a_year_needs_the_word() {
        let head = "Orbis Labs Reports Fourth Quarter and Full Year 2024 Results\n\nBOSTON, Mar. 3, 2025 /PRNewswire/ -- Orbis Labs, Inc. (Nasdaq: ORBL) today reported results for the fourth quarter and year ended December 31, 2024.\n\n";
        assert_eq!(
            rows(&format!(
                "{head}Net loss for the full year was $20.0 million.\n"
            )),
            vec![("net_loss".into(), "2024-FY".into(), 20_000_000.0, false)]
        );
        assert_eq!(
            rows(&format!(
                "{head}Net loss for the fourth quarter was $5.0 million.\n"
            )),
            vec![("net_loss".into(), "2024-Q4".into(), 5_000_000.0, false)]
        );
        assert_eq!(rows(&format!("{head}Net loss was $5.0 million.\n")), vec![]);
    }
}
