//! The `grants` table: non-dilutive awards, with funder, amount and purpose.
//! "CBMG was awarded $2.29 million from the California Institute for Regenerative Medicine
//! (CIRM) to support pre-clinical studies of AlloJoin" -> CIRM, 2290000.0 USD, the purpose.

use std::sync::LazyLock;

use crate::text::rule::Rule;

use super::triggers::Trigger;
use super::{DocContext, Located};
use crate::mentions::organizations::org_at;

use crate::tables::columns::Column;

#[derive(Debug, Clone, PartialEq)]
pub struct GrantFact {
    pub funder: String,
    pub funder_abbr: Option<String>,
    pub amount: f64,
    pub currency: &'static str,
    pub purpose: Option<String>,
}

pub(crate) const GRANT_WORD_PATTERN: &str = r"(?i)(?-u:\b)(?:grants?|awards?|awarded|non-dilutive|funding\s+from|funded\s+by|contract\s+from)(?-u:\b)";

pub(crate) static GRANT_WORD: LazyLock<Rule> =
    LazyLock::new(|| crate::text::pattern::regex(GRANT_WORD_PATTERN).expect("grant regex"));

/// "awarded $X from ORG", "a $X grant from ORG", "funding of $X from ORG".
static FROM_ORG: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)^[^.;]{0,60}?(?-u:\b)(?:from|by)\s+").expect("from regex")
});

/// "ORG has awarded (COMPANY) $X", "ORG awarded a $X grant".
static ORG_AWARDED: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"(?i)(?:has\s+|have\s+)?(?:awarded|granted|provided)\s+[^;$]{0,90}?$",
    )
    .expect("org awarded regex")
});

static PURPOSE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?-u:\b)(?:to\s+(?:support|fund|advance|develop|conduct|accelerate|further)|for\s+the\s+(?:development|advancement|study)\s+of|in\s+support\s+of)(?-u:\b)[^.;]*").expect("purpose regex")
});

/// Grants in one document.
pub fn extract_grants(ctx: &DocContext) -> Vec<Located<GrantFact>> {
    let text = ctx.text;
    let mut out = Vec::new();
    for (si, s) in ctx.sentences.iter().enumerate() {
        let sentence = &text[s.start..s.end];
        if !ctx.may_hold(si, Trigger::Grant) || !GRANT_WORD.is_match(sentence) {
            continue;
        }
        for m in ctx.mentions.money(si) {
            if m.per_share || m.is_change {
                continue;
            }
            let after = &text[m.end..s.end];
            let before = &text[s.start..m.start];
            let funder = FROM_ORG
                .find(after)
                .and_then(|f| org_at(text, m.end + f.end()))
                .or_else(|| {
                    // "The U.S. Department of Defense has awarded $876,000 to ...": the funder leads.
                    let cut = ORG_AWARDED.find(before)?;
                    let lead_end = s.start + text[s.start..s.start + cut.start()].trim_end().len();
                    // The longest organisation name that ends right where "awarded" begins.
                    let word_starts = (s.start..lead_end)
                        .filter(|&i| i == s.start || text.as_bytes()[i - 1] == b' ');
                    word_starts
                        .filter_map(|i| org_at(text, i))
                        .find(|o| o.end == lead_end)
                });
            let Some(org) = funder else { continue };
            let purpose = PURPOSE
                .find(&text[m.end..s.end])
                .map(|p| p.as_str().trim().trim_end_matches(['.', ',']).to_string());
            out.push(Located {
                start: m.start,
                end: m.end,
                sentence: si,
                rule: "amount_from_funder",
                fact: GrantFact {
                    funder: org.name,
                    funder_abbr: org.abbreviation,
                    amount: m.value,
                    currency: m.currency,
                    purpose,
                },
            });
            break;
        }
    }
    out
}

crate::text::pattern::compile_rules!(GRANT_WORD, FROM_ORG, ORG_AWARDED, PURPOSE);

impl crate::facts::table::FactTable for GrantFact {
    const NAME: &'static str = "grants";

    fn columns() -> Vec<Column<Self>> {
        vec![
            Column::text("funder", |f| Some(f.funder.as_str())),
            Column::text_or_null("funder_abbr", |f| f.funder_abbr.as_deref()),
            Column::float("amount", |f| f.amount),
            Column::text("currency", |f| Some(f.currency)),
            Column::text_or_null("purpose", |f| f.purpose.as_deref()),
        ]
    }

    fn extract(doc: &DocContext) -> Vec<Located<Self>> {
        extract_grants(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mentions::lexicon::Lexicon;

    fn grants(text: &str) -> Vec<GrantFact> {
        let lexicon = Lexicon::builtin();
        let prepared = crate::extract::Extractor::builtin().prepare(text);
        let ctx = prepared.ctx(&lexicon);
        extract_grants(&ctx).into_iter().map(|g| g.fact).collect()
    }

    #[test]
    fn awarded_from_funder_with_purpose() {
        let got = grants("In 2017 CBMG was awarded $2.29 million from the California Institute for Regenerative Medicine (CIRM) to support pre-clinical studies of AlloJoin for Knee Osteoarthritis in the United States.");
        assert_eq!(got.len(), 1);
        assert_eq!(
            got[0].funder,
            "California Institute for Regenerative Medicine"
        );
        assert_eq!(got[0].funder_abbr.as_deref(), Some("CIRM"));
        assert_eq!(got[0].amount, 2_290_000.0);
        assert_eq!(got[0].purpose.as_deref(), Some("to support pre-clinical studies of AlloJoin for Knee Osteoarthritis in the United States"));
    }

    #[test]
    fn funder_first() {
        let got = grants("Kairos announced that the U.S. Department of Defense has awarded $876,000 to Cedars-Sinai Medical Center to fund a Phase 1 study.");
        assert_eq!(got[0].funder, "U.S. Department of Defense");
        assert_eq!(got[0].amount, 876_000.0);
    }

    #[test]
    fn funder_awarding_the_company() {
        let got = grants("The Cancer Prevention and Research Institute of Texas (CPRIT) has awarded Lonestar Oncology, Inc. (Nasdaq: LSON) a $12 million product development grant to fund a Phase 1 trial.");
        assert_eq!(
            (got[0].funder_abbr.as_deref(), got[0].amount),
            (Some("CPRIT"), 12_000_000.0)
        );
    }

    #[test]
    fn money_without_grant_words_is_no_grant() {
        assert!(grants(
            "The company raised $5 million from institutional investors in an offering."
        )
        .is_empty());
    }
}
