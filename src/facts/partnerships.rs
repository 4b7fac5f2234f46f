//! The `partnerships` table: who the issuer works with, and how (joint laboratory,
//! collaboration, letter of intent, license, supply).

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::text::rule::Rule;

use super::triggers::Trigger;
use super::{DocContext, Located};
use crate::mentions::organizations::org_at;
use crate::text::spans::SpanSet;
use crate::text::RELEASE_REACH;

use crate::tables::columns::Column;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnershipFact {
    pub partner: String,
    pub kind: &'static str,
}

/// What a kind rule produces, and its name.
type KindAndRule = (&'static str, &'static str);

/// The `kind` rules of `rules/partnerships.toml`: what each produces, and its rule; the order
/// breaks ties, most specific first. They search only sentences holding one of the words their
/// matches need (`Trigger::Partnership`).
pub(crate) static KINDS: LazyLock<(Vec<KindAndRule>, Vec<Rule>)> = LazyLock::new(|| {
    let family = crate::rulebook::family("partnerships", "kind");
    let rules = family
        .patterns()
        .into_iter()
        .map(|p| crate::text::pattern::regex(p).expect("partnership regex"))
        .collect();
    (
        family.produced().into_iter().zip(family.names()).collect(),
        rules,
    )
});

/// Where the partner's name follows: "with (the) X", "between A and X", "from X".
static PARTNER_AFTER: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::scanning_regex(
        r"(?:(?-u:\b)(?:with|between\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*\s+and|from)|\)\s+and)\s+",
    )
    .expect("partner regex")
});

/// Names that are parts of a sentence, not partners.
fn is_noise(name: &str) -> bool {
    let first = name.split_whitespace().next().unwrap_or("");
    matches!(
        name,
        "Company"
            | "Phase"
            | "FDA"
            | "NMPA"
            | "EMA"
            | "U.S"
            | "China"
            | "United States"
            | "The"
            | "MoU"
            | "MOU"
            | "LOI"
            | "SEC"
    ) || matches!(
        first,
        "Announced"
            | "Type"
            | "Drug"
            | "Q1"
            | "Q2"
            | "Q3"
            | "Q4"
            | "Inc"
            | "Inc."
            | "Reports"
            | "Patients"
            | "Phase"
    )
}

fn is_issuer(name: &str, issuer: &[&str]) -> bool {
    issuer
        .iter()
        .any(|i| !i.is_empty() && (name.contains(i) || i.contains(name)))
}

/// How near (bytes) a partnership's trigger word must be to a partner to be the most
/// specific kind's.
const NEAR_TRIGGER: usize = 80;

/// "GE" in one sentence, "GE Healthcare" in most others: the partner's usual full name, from
/// the text within [`RELEASE_REACH`] of `at`.
fn usual_name(text: &str, short: &str, at: usize) -> String {
    let from = crate::text::floor_boundary(text, at.saturating_sub(RELEASE_REACH));
    let to = crate::text::floor_boundary(text, at.saturating_add(RELEASE_REACH));
    let mut counts: Vec<(&str, usize)> = Vec::new();
    // memchr's searcher, not `match_indices`: both give the non-overlapping occurrences, and
    // this search over the whole release was ~1% of a load of the archive.
    for i in memchr::memmem::find_iter(&text.as_bytes()[from..to], short.as_bytes()) {
        let i = from + i;
        let bounded_before = i == 0 || !text.as_bytes()[i - 1].is_ascii_alphanumeric();
        let Some(rest) = text[i + short.len()..].strip_prefix(' ') else {
            continue;
        };
        let word = &rest[..rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len())];
        let capitalised = word.len() >= 2
            && word.as_bytes()[0].is_ascii_uppercase()
            && word[1..].bytes().all(|b| b.is_ascii_lowercase());
        if bounded_before && capitalised {
            match counts.iter_mut().find(|(w, _)| *w == word) {
                Some((_, n)) => *n += 1,
                None => counts.push((word, 1)),
            }
        }
    }
    match counts.into_iter().max_by_key(|(_, n)| *n) {
        Some((w, n)) if n >= 3 => format!("{short} {w}"),
        _ => short.to_string(),
    }
}

/// Partnerships in one document; `issuer` names (company, ticker) are never partners.
pub fn extract_partnerships(ctx: &DocContext, issuer: &[&str]) -> Vec<Located<PartnershipFact>> {
    let text = ctx.text;
    let mut out: Vec<Located<PartnershipFact>> = Vec::new();
    let mut in_other_about = false;
    // Each partner's usual name, worked out once: working it out reads the text around it, and
    // a partner may be named in many sentences.
    let mut usual_names: HashMap<String, String> = HashMap::new();
    // The spans of lexicon terms and products, made when a first partner is named.
    let mut not_partners: Option<SpanSet> = None;
    // The rows of `out` by the first word of their partner: partners that are one another's
    // names or a name and its longer form ("GE", "GE Healthcare") share it.
    let mut rows_by_first_word: HashMap<String, Vec<usize>> = HashMap::new();
    for (si, s) in ctx.sentences.iter().enumerate() {
        let sentence = &text[s.start..s.end];
        // "About CCRM": a section about another organisation, whose partners are not the issuer's.
        if let Some((a, b)) = ctx.structure.about_heading(si) {
            in_other_about = !is_issuer(&text[a..b], issuer);
            continue;
        }
        if in_other_about || !ctx.may_hold(si, Trigger::Partnership) {
            continue;
        }
        let mut partners: Vec<(usize, usize, String)> = Vec::new();
        for end in PARTNER_AFTER.match_ends(sentence) {
            if let Some(org) = org_at(text, s.start + end) {
                let name = org
                    .abbreviation
                    .clone()
                    .filter(|a| a.len() >= 3)
                    .unwrap_or(org.name.clone());
                // Diseases ("patients with Bipolar Disorder"), products and study codes are not partners.
                let not_partners = not_partners.get_or_insert_with(|| {
                    SpanSet::new(
                        ctx.terms
                            .iter()
                            .map(|t| (t.start, t.end))
                            .chain(ctx.products.iter().map(|p| (p.start, p.end))),
                    )
                });
                let is_term = not_partners.overlaps(org.start, org.end);
                if !is_issuer(&name, issuer) && !is_noise(&name) && !is_term && name.len() >= 2 {
                    // "with Columbia University and Synapticure": two partners.
                    // Each part is placed by where it stands in the text, and a part of
                    // fewer than two letters ("C  and  R") is no name.
                    let at = text
                        .get(org.start..org.end)
                        .and_then(|span| span.find(name.as_str()))
                        .map(|i| org.start + i);
                    match (name.split_once(" and "), at) {
                        (Some((a, b)), Some(at)) if a.contains(' ') || b.contains(' ') => {
                            let (a, b) = (a.trim_end(), b.trim_start());
                            if a.len() >= 2 {
                                partners.push((at, at + a.len(), a.to_string()));
                            }
                            let b_end = at + name.len();
                            if b.len() >= 2 {
                                partners.push((b_end - b.len(), b_end, b.to_string()));
                            }
                        }
                        _ => partners.push((org.start, org.end, name)),
                    }
                }
            }
        }
        // The kinds' words are searched only once a partner is named: a sentence with the words
        // and no partner (most, as "agreement" and "partner" are common) gives no row either way.
        if partners.is_empty() {
            continue;
        }
        let (kind_names, kind_rules) = &*KINDS;
        // Each trigger's place in the sentence and its kind's place in the kinds' list (which
        // is also its priority), in order of place and then priority.
        let mut triggers: Vec<(usize, usize)> = kind_rules
            .iter()
            .enumerate()
            .flat_map(|(k, rule)| rule.find_iter(sentence).map(move |m| (m.start(), k)))
            .collect();
        if triggers.is_empty() {
            continue;
        }
        triggers.sort_unstable();
        for (start, end, partner) in partners {
            let rel = start - s.start;
            // Among triggers near the partner the most specific wins: "license agreement with
            // X" is a license, "partnership with X to establish a joint laboratory" a joint lab.
            let near_from = triggers.partition_point(|&(t, _)| t + NEAR_TRIGGER < rel);
            let near_to = triggers.partition_point(|&(t, _)| t <= rel + NEAR_TRIGGER);
            let before = triggers.partition_point(|&(t, _)| t <= rel);
            // Else the kind of the nearest trigger before the partner, else the first trigger.
            let k = triggers[near_from..near_to]
                .iter()
                .map(|&(_, k)| k)
                .min()
                .or_else(|| before.checked_sub(1).map(|i| triggers[i].1))
                .unwrap_or(triggers[0].1);
            let (kind, rule) = kind_names[k];
            let partner = usual_names
                .entry(partner)
                .or_insert_with_key(|short| usual_name(text, short, start))
                .clone();
            let first_word = partner.split(' ').next().unwrap_or("").to_string();
            let same_first_word = rows_by_first_word.entry(first_word).or_default();
            let same = |o: &Located<PartnershipFact>| {
                o.fact.partner == partner
                    || o.fact.partner.starts_with(&format!("{partner} "))
                    || partner.starts_with(&format!("{} ", o.fact.partner))
            };
            match same_first_word.iter().copied().find(|&i| same(&out[i])) {
                Some(i) => {
                    // One row per partner: the longer name, the first-seen kind.
                    let prev = &mut out[i];
                    if partner.len() > prev.fact.partner.len() {
                        prev.fact.partner = partner;
                    }
                }
                None => {
                    same_first_word.push(out.len());
                    out.push(Located {
                        start,
                        end,
                        sentence: si,
                        rule,
                        fact: PartnershipFact { partner, kind },
                    });
                }
            }
        }
    }
    out
}

crate::text::pattern::compile_rules!(KINDS, PARTNER_AFTER);

impl crate::facts::table::FactTable for PartnershipFact {
    const NAME: &'static str = "partnerships";

    fn columns() -> Vec<Column<Self>> {
        vec![
            Column::text("partner", |f| Some(f.partner.as_str())),
            Column::text("kind", |f| Some(f.kind)),
        ]
    }

    fn extract(doc: &DocContext) -> Vec<Located<Self>> {
        extract_partnerships(doc, &doc.issuer())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mentions::lexicon::Lexicon;

    fn partners(text: &str) -> Vec<(String, &'static str)> {
        let lexicon = Lexicon::builtin();
        let prepared = crate::extract::Extractor::builtin().prepare(text);
        let ctx = prepared.ctx(&lexicon);
        extract_partnerships(
            &ctx,
            &["Cellular Biomedicine Group", "CBMG", "Aldon Therapeutics"],
        )
        .into_iter()
        .map(|p| (p.fact.partner, p.fact.kind))
        .collect()
    }

    /// A partner's name followed by a non-ASCII letter used to be cut inside the character.
    #[test]
    fn names_next_to_accented_letters_do_not_panic() {
        for text in [
            "Acme signed a collaboration agreement with C  and  R\u{e3}partnership for patients.",
            "Acme formed a partnership with R\u{e3}o Labs and R\u{e3}o Labs Inc.",
            "Acme entered an alliance with Ž\u{e9}ta Bio, and Žéta Bio agreed to supply it.",
        ] {
            partners(text);
        }
    }

    /// Two partners named as one ("with The Hook Outlet and Treehouse Dispensary") are two
    /// rows, each spanning its own name in the text.
    #[test]
    fn partners_joined_by_and_span_their_own_names() {
        let text = "Acme entered a partnership with The Hook Outlet and Treehouse Dispensary.";
        let lexicon = Lexicon::builtin();
        let prepared = crate::extract::Extractor::builtin().prepare(text);
        let ctx = prepared.ctx(&lexicon);
        let got = extract_partnerships(&ctx, &["Acme"]);
        let spans: Vec<&str> = got.iter().map(|p| &text[p.start..p.end]).collect();
        assert_eq!(spans, ["Hook Outlet", "Treehouse Dispensary"], "{got:?}");
    }

    #[test]
    fn joint_laboratories_and_collaborations() {
        let got = partners("Our Shanghai facility includes a \"Joint Laboratory of Cell Therapy\" with GE Healthcare and a \"Joint Cell Therapy Technology Innovation and Application Center\" with Thermo Fisher Scientific, whose partnerships focus on manufacturing.");
        assert_eq!(got[0], ("GE Healthcare".to_string(), "joint_laboratory"));
        let got = partners("Through its collaboration with the Centre for Commercialization of Regenerative Medicine (CCRM), GE is providing CBMG with services.");
        assert_eq!(got, vec![("CCRM".to_string(), "collaboration")]);
    }

    #[test]
    fn license_and_loi() {
        assert_eq!(
            partners(
                "Acme entered into an exclusive license agreement with Beta Pharma for AB-101."
            ),
            vec![("Beta Pharma".to_string(), "license")]
        );
        assert_eq!(partners("CBMG signed a non-binding letter of intent with GE Healthcare to install FlexFactory."), vec![("GE Healthcare".to_string(), "letter_of_intent")]);
    }

    #[test]
    fn two_partners_in_one_sentence() {
        let got = partners("Our Shanghai facility includes a \"Joint Laboratory of Cell Therapy\" with GE Healthcare and a \"Joint Cell Therapy Technology Innovation and Application Center\" with Thermo Fisher Scientific.");
        assert_eq!(
            got,
            vec![
                ("GE Healthcare".to_string(), "joint_laboratory"),
                ("Thermo Fisher Scientific".to_string(), "joint_laboratory")
            ]
        );
    }

    /// The heading read by hand is what the regex it replaced captured (trimmed), on every
    /// sentence of every sample release and on the edges of its `\s+`, `{2,80}` and `$`.
    #[test]
    fn another_organisations_about_section_is_skipped() {
        let got = partners("About CCRM\n\nCCRM, funded by the Government of Canada and industry partners, collaborates with the University of Toronto.");
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn joint_announcement_names_the_other_company() {
        let got = partners("Aldon Therapeutics, Inc. (Nasdaq: ALDN) and Brevik Biosciences AS (Euronext: BRVK) today announced a research collaboration.");
        assert_eq!(
            got,
            vec![("Brevik Biosciences".to_string(), "collaboration")]
        );
    }

    #[test]
    fn licensed_professionals_diseases_and_pairs() {
        assert!(partners(
            "RazorPitch is not operated by a licensed broker, a dealer, or a registered adviser."
        )
        .is_empty());
        assert!(partners("Acme Partners with Mass General for a Phase II Trial involving Patients with Bipolar Disorder.").iter().all(|(p, _)| !p.contains("Bipolar")));
        let got = partners(
            "In collaboration with Columbia University and Synapticure, Clene received a grant.",
        );
        assert_eq!(
            got,
            vec![
                ("Columbia University".to_string(), "collaboration"),
                ("Synapticure".to_string(), "collaboration")
            ]
        );
    }

    #[test]
    fn no_partner_no_row() {
        assert!(partners("The agreement is subject to customary closing conditions.").is_empty());
    }
}
