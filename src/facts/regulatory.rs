//! The `regulatory` table: an agency's step on a product: IND accepted, approved or cleared,
//! orphan, breakthrough, fast track and RMAT designations, priority review, filings and
//! approvals, with the product, phase and indication the clause names.

use std::sync::LazyLock;

use crate::text::rule::{Rule, RuleList};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use super::triggers::Trigger;
use super::{DocContext, Located};
use crate::mentions::lexicon::TermKind;

use crate::tables::columns::Column;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegulatoryFact {
    pub agency: String,
    pub action: &'static str,
    pub product: Option<String>,
    pub phase: Option<String>,
    pub indication: Option<String>,
}

const AGENCIES: &str = include_str!("../../data/agencies.csv");

struct AgencyLexicon {
    ac: AhoCorasick,
    /// Every way the file writes an agency, in the automaton's order.
    patterns: Vec<String>,
    /// The agency each pattern names.
    names: Vec<String>,
    /// (agency, country it regulates) for agencies that imply one.
    countries: Vec<(String, String)>,
}

/// Every way `data/agencies.csv` writes an agency.
pub fn agency_patterns() -> impl Iterator<Item = &'static str> {
    AGENCY_LEXICON.patterns.iter().map(String::as_str)
}

/// The rows of `data/agencies.csv`: name, country (may be empty) and `|`-separated synonyms.
static AGENCY_LEXICON: LazyLock<AgencyLexicon> = LazyLock::new(|| {
    let (mut patterns, mut names, mut countries) = (Vec::new(), Vec::new(), Vec::new());
    for row in crate::data::rows(AGENCIES) {
        let (name, country) = (crate::data::field(&row, 0), crate::data::field(&row, 1));
        for syn in crate::data::list(crate::data::field(&row, 2)) {
            patterns.push(syn.to_string());
            names.push(name.to_string());
        }
        if !country.is_empty() {
            countries.push((name.to_string(), country.to_string()));
        }
    }
    let ac = AhoCorasickBuilder::new()
        // A DFA costs some memory once per process and scans several times faster.
        .kind(Some(AhoCorasickKind::DFA))
        .match_kind(MatchKind::LeftmostLongest)
        .build(&patterns)
        .expect("agency patterns");
    AgencyLexicon {
        ac,
        patterns,
        names,
        countries,
    }
});

impl crate::facts::table::FactTable for RegulatoryFact {
    const NAME: &'static str = "regulatory";

    fn columns() -> Vec<Column<Self>> {
        vec![
            Column::text("agency", |f| Some(f.agency.as_str())),
            Column::text("action", |f| Some(f.action)),
            Column::text_or_null("product", |f| f.product.as_deref()),
            Column::text_or_null("phase", |f| f.phase.as_deref()),
            Column::text_or_null("indication", |f| f.indication.as_deref()),
        ]
    }

    fn extract(doc: &DocContext) -> Vec<Located<Self>> {
        extract_regulatory(doc)
    }
}

#[cfg(test)]
pub(crate) fn agency_count(text: &str, from: usize, to: usize) -> usize {
    agencies_in(text, from, to).len()
}

/// The country implied by the first agency named in `text[from..to]` ("the China NMPA
/// approved ..."), for trials that name no country.
pub fn implied_country(text: &str, from: usize, to: usize) -> Option<String> {
    agencies_in(text, from, to)
        .into_iter()
        .find_map(|(_, _, a)| agency_country(&a))
        .map(String::from)
}

/// The country an agency regulates, for trials that do not name one.
pub fn agency_country(agency: &str) -> Option<&'static str> {
    AGENCY_LEXICON
        .countries
        .iter()
        .find(|(name, _)| name == agency)
        .map(|(_, country)| country.as_str())
}

/// Agency mentions in `text[from..to]`, as (start, end, name); lower-case synonyms match
/// case-insensitively by being lower-cased in the file and compared on a lower-cased copy.
fn agencies_in(text: &str, from: usize, to: usize) -> Vec<(usize, usize, String)> {
    let lex = &*AGENCY_LEXICON;
    let hay = &text[from..to];
    let lower = hay.to_ascii_lowercase();
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    // Each pass's matches are in order and never overlap one another, so a match of the
    // second pass need only be checked against the first pass's, by binary search.
    let mut first_pass: Vec<(usize, usize)> = Vec::new();
    for (source, case_sensitive) in [(hay, true), (lower.as_str(), false)] {
        for m in lex.ac.find_iter(source) {
            let pattern_has_caps = source[m.start()..m.end()].chars().any(|c| c.is_uppercase());
            if case_sensitive != pattern_has_caps {
                continue;
            }
            let bounded = crate::text::is_whole_word(hay, m.start(), m.end());
            // "NMPA (formerly CFDA)": the former name is not a second agency.
            let formerly = lower[..m.start()].trim_end().ends_with("formerly");
            let n = first_pass.partition_point(|&(s, _)| s < m.end());
            let overlaps_first_pass = n > 0 && first_pass[n - 1].1 > m.start();
            if bounded && !formerly && !overlaps_first_pass {
                if case_sensitive {
                    first_pass.push((m.start(), m.end()));
                }
                out.push((
                    from + m.start(),
                    from + m.end(),
                    lex.names[m.pattern().as_usize()].clone(),
                ));
            }
        }
    }
    out.sort();
    out
}

static PLANNED: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?:(?:priority|goal|plan|intention|aim)\s+is|plans?|planning|intends?|expects?|anticipates?|aims?|seeks?|will|would|may)\s+(?:to\s+)?(?:[\w-]+\s+){0,2}$").expect("planned regex")
});

/// The `action` rules of `rules/regulatory.toml`: their names, what each produces, and the
/// list. An agency sentence names one or two steps, so one pass of the list's set picks the
/// rules worth searching it with.
pub(crate) static ACTIONS: LazyLock<(Vec<&'static str>, Vec<&'static str>, RuleList)> =
    LazyLock::new(|| {
        let family = crate::rulebook::family("regulatory", "action");
        let rules = crate::text::pattern::regex_list(family.patterns()).expect("action regexes");
        (family.names(), family.produced(), rules)
    });

/// Regulatory steps in one document.
pub fn extract_regulatory(ctx: &DocContext) -> Vec<Located<RegulatoryFact>> {
    let text = ctx.text;
    let mut out: Vec<Located<RegulatoryFact>> = Vec::new();
    for (si, s) in ctx.sentences.iter().enumerate() {
        if !ctx.may_hold(si, Trigger::Agency) {
            continue;
        }
        let agencies = agencies_in(text, s.start, s.end);
        if agencies.is_empty() {
            continue;
        }
        let sentence = &text[s.start..s.end];
        let mut actions: Vec<(usize, usize, &'static str, &'static str)> = Vec::new();
        let (names, produced, rules) = &*ACTIONS;
        let matching = rules.matching(sentence);
        for (i, (name, action)) in names.iter().zip(produced).enumerate() {
            for m in matching.find_iter(i) {
                let (a, b) = (s.start + m.start(), s.start + m.end());
                if !actions.iter().any(|&(x, y, _, _)| a < y && x < b) {
                    actions.push((a, b, action, name));
                }
            }
        }
        actions.sort();
        // "plans to submit a New Drug Application" is an intention, not a step taken.
        actions.retain(|&(a, _, _, _)| {
            !PLANNED.is_match(&text[crate::text::floor_boundary(text, a.saturating_sub(40))..a])
        });
        // A "Priority Review Voucher" is a tradable reward, not a review.
        actions.retain(|&(_, b, action, _)| {
            action != "priority_review" || !crate::text::next_word_is(&text[b..], &["voucher"])
        });
        for (i, &(a, b, action, rule)) in actions.iter().enumerate() {
            // The clause of this action: from the previous action's end to the next one's start.
            let lo = if i == 0 { s.start } else { actions[i - 1].1 };
            let hi = actions.get(i + 1).map_or(s.end, |n| n.0);
            let agency = agencies
                .iter()
                .filter(|(x, _, _)| *x >= lo && *x < hi)
                .min_by_key(|(x, _, _)| if *x < a { a - x } else { x.saturating_sub(b) })
                .or_else(|| agencies.iter().min_by_key(|(x, _, _)| x.abs_diff(a)));
            let Some((_, _, agency)) = agency else {
                continue;
            };
            let product = ctx
                .products_in(lo, hi)
                .iter()
                .min_by_key(|p| p.start.abs_diff(b))
                .map(|p| p.name.clone());
            let phase = ctx
                .mentions
                .phases_in(lo, hi)
                .first()
                .map(|p| p.phase.clone());
            let indication = ctx
                .terms_in(lo, hi, TermKind::Indication)
                .next()
                .map(|(_, e)| e.name.clone());
            out.push(Located {
                start: a,
                end: b,
                sentence: si,
                rule,
                fact: RegulatoryFact {
                    agency: agency.clone(),
                    action,
                    product,
                    phase,
                    indication,
                },
            });
        }
    }
    // The same step told twice (headline and body) is one row.
    let mut unique: Vec<Located<RegulatoryFact>> = Vec::new();
    for r in out {
        let dup = unique.iter_mut().find(|u| {
            u.fact.agency == r.fact.agency
                && u.fact.action == r.fact.action
                && (u.fact.product == r.fact.product
                    || u.fact.product.is_none()
                    || r.fact.product.is_none())
        });
        match dup {
            Some(u) => {
                u.fact.product = u.fact.product.take().or(r.fact.product);
                u.fact.phase = u.fact.phase.take().or(r.fact.phase);
                u.fact.indication = u.fact.indication.take().or(r.fact.indication);
            }
            None => unique.push(r),
        }
    }
    unique
}

crate::text::pattern::compile_rules!(AGENCY_LEXICON, PLANNED, ACTIONS);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mentions::lexicon::Lexicon;

    fn steps(orig: &str) -> Vec<RegulatoryFact> {
        let lexicon = Lexicon::builtin();
        let prepared = crate::extract::Extractor::builtin().prepare(orig);
        let ctx = prepared.ctx(&lexicon);
        extract_regulatory(&ctx)
            .into_iter()
            .map(|l| l.fact)
            .collect()
    }

    #[test]
    fn nmpa_approves_and_accepts() {
        let got = steps("The China NMPA (formerly CFDA) approved the Company's IND application for a Phase II trial for AlloJoin\u{ae}, an allogenic therapy for the treatment of Knee Osteoarthritis (KOA), and has accepted the Company's IND application for a Phase II trial for ReJoin\u{ae} autologous haMPC therapy for the treatment of KOA.");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(
            (
                got[0].agency.as_str(),
                got[0].action,
                got[0].product.as_deref()
            ),
            ("NMPA", "ind_approved", Some("AlloJoin"))
        );
        assert_eq!(got[0].phase.as_deref(), Some("Phase 2"));
        assert_eq!(
            (got[1].action, got[1].product.as_deref()),
            ("ind_accepted", Some("ReJoin"))
        );
        assert_eq!(got[1].indication.as_deref(), Some("Knee Osteoarthritis"));
    }

    #[test]
    fn passive_acceptance_and_designations() {
        let got = steps("Our program for KOA, ReJoin\u{ae}, was accepted by the NMPA in China to begin a Phase II clinical trial.");
        assert_eq!(
            (got[0].agency.as_str(), got[0].action),
            ("NMPA", "ind_accepted")
        );
        let got = steps("The U.S. Food and Drug Administration (FDA) granted Orphan Drug Designation to AB-101 for the treatment of glioblastoma.");
        assert_eq!(
            (
                got[0].agency.as_str(),
                got[0].action,
                got[0].product.as_deref()
            ),
            ("FDA", "orphan_designation", Some("AB-101"))
        );
        assert_eq!(got[0].indication.as_deref(), Some("Glioblastoma"));
        let got = steps("Acme announced the FDA has cleared its IND for XY-12, a CAR-T therapy.");
        assert_eq!(got[0].action, "ind_cleared");
    }

    #[test]
    fn intentions_are_not_steps() {
        assert!(steps("Castellan plans to submit a New Drug Application to the FDA in the first half of 2025.").is_empty());
        assert!(steps("Tonix's priority is to submit a New Drug Application to the U.S. Food and Drug Administration this month.").is_empty());
        assert!(
            steps("If approved, the company is eligible for an FDA Priority Review Voucher.")
                .iter()
                .all(|r| r.action != "priority_review")
        );
        let got = steps("Vycor markets ViewSite, an FDA-cleared surgical access system.");
        assert_eq!(got[0].action, "device_clearance");
        let got = steps("Ascentage is conducting an FDA-cleared, global registrational Phase III trial of olverembatinib.");
        assert_eq!(got[0].action, "ind_cleared");
    }

    #[test]
    fn cfda_is_kept_as_written() {
        let got = steps("In 2016 the CFDA accepted the IND dossier for C-CAR011.");
        assert_eq!(got[0].agency, "CFDA");
    }
}
