//! The `trials` table: every phase mention in a clinical context, with what its part of the
//! sentence says about product, target, modality, indication, country, enrollment and status.
//!
//! A sentence naming several phases ("a Phase IIb trial for ReJoin ... as well as a Phase I
//! trial for AlloJoin ... are ongoing") is cut into one segment per phase at the last clause
//! break before each next phase; attributes come from the segment first, then from the sentence,
//! then from other sentences of the document about the same product or disease.

use std::cell::LazyCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use crate::text::rule::{Rule, RuleList, RuleSet};

use super::triggers::Trigger;
use super::{DocContext, Located};
use crate::mentions::lexicon::TermKind;
use crate::mentions::phases::PhaseMention;
use crate::text::RELEASE_REACH;

use crate::tables::columns::Column;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrialFact {
    pub phase: String,
    pub product: Option<String>,
    pub target: Option<String>,
    pub modality: Option<String>,
    pub indication: Option<String>,
    pub indication_abbr: Option<String>,
    pub country: Option<String>,
    pub enrollment: Option<i64>,
    pub status: Option<&'static str>,
    /// The trial's registry number: `NCT04096274`.
    pub nct_id: Option<String>,
    /// The trial's own name: `KEYNOTE-689`, `PARADIGM`.
    pub trial_name: Option<String>,
}

/// Words that make a sentence about a clinical study; a phase without one of them (or a disease,
/// modality or product) is a phase of something else: "Phase 2 of the clubhouse".
static CLINICAL_CUE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?-u:\b)(?:trials?|clinical|patients?|dos(?:e|es|ed|ing)|enrol(?:l|ls|led|ling|lment|ment)|IND|cohorts?|topline|top-line|endpoints?|registrational|pivotal|placebo|efficacy)(?-u:\b)")
        .expect("clinical cue regex")
});

static STUDY_AFTER: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)^\s*(?:[\w-]+\s+){0,3}?stud(?:y|ies)(?-u:\b)")
        .expect("study regex")
});

/// The `status` rules of `rules/trials.toml`, most specific first, in one set: one pass tells
/// which of them match. What each produces, and the set.
pub(crate) static STATUS: LazyLock<(Vec<&'static str>, RuleSet)> = LazyLock::new(|| {
    let family = crate::rulebook::family("trials", "status");
    let set = crate::text::pattern::regex_set(family.patterns()).expect("status regexes");
    (family.produced(), set)
});

/// The `enrollment` rules of `rules/trials.toml`, most telling first; each captures the number
/// as `n`.
pub(crate) static ENROLLMENT: LazyLock<RuleList> = LazyLock::new(|| {
    crate::text::pattern::regex_list(crate::rulebook::family("trials", "enrollment").patterns())
        .expect("enrollment regexes")
});

static PLURAL_TRIALS: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)^[^.]{0,60}?(?-u:\b)(?:trials|studies)(?-u:\b)")
        .expect("plural regex")
});

/// What makes a phase no trial when it comes right before it: the phase is left out, skipped or
/// not started ("omitting Phase 1 and Phase 2 trials", "has not yet started a Phase 3").
static DENIED_BEFORE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"(?i)(?-u:\b)(?:omit\w*|skip\w*|bypass\w*|forgo\w*|without(?:\s+the\s+need\s+(?:for|of))?|instead\s+of|no\s+need\s+for|(?:not|never)\s+(?:yet\s+)?(?:started|begun|begin|start|initiated|commenced|conducted|required|run))\s+(?:(?:a|an|the|any|separate|traditional|conventional|formal)\s+)?(?:Phase\s+\S+\s+(?:and|or|and/or|nor)\s+)?$",
    )
    .expect("denied regex")
});

static NCT_ID: LazyLock<Rule> =
    LazyLock::new(|| crate::text::pattern::regex(r"(?-u:\b)NCT\d{8}(?-u:\b)").expect("NCT regex"));

/// A trial's own name: a word in capitals, with a number or a numeral after it, right before
/// "trial", "study" or "program" ("the KEYNOTE-689 trial", "its Phase 3 PARADIGM program",
/// "the EMBRACE Phase 2 study").
static TRIAL_NAME: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"(?-u:\b)(?P<name>[A-Z][A-Z0-9]{2,}(?:-[A-Z0-9]+)*(?:\s+(?:II|III|IV|[1-9]))?)\s+(?:(?i:clinical|pivotal|registrational|global|confirmatory|Phase\s+[0-9IVX]+[ab]?(?:/[0-9IVX]+[ab]?)?)\s+){0,2}(?i:trials?|stud(?:y|ies)|program)(?-u:\b)",
    )
    .expect("trial name regex")
});

/// Words in capitals before "trial" that are not a trial's name.
const NOT_TRIAL_NAMES: &[&str] = &[
    "IND", "FDA", "EMA", "NDA", "BLA", "CTA", "USA", "US", "EU", "UK", "CAR", "MRI", "DNA", "RNA",
    "COVID", "HIV", "GMP", "GLP", "NIH", "NCI", "BARDA", "DOD", "MHRA", "NMPA", "PMDA", "TGA",
    "CDE", "SBIR", "STTR", "IIT", "ISS", "RCT", "PK", "PD", "AI", "OLE",
];

/// How far before a phase [`DENIED_BEFORE`] looks (bytes).
const DENIAL_REACH: usize = 80;

static CLAUSE_BREAK: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?:;|,\s*(?:and|as\s+well\s+as|while|whereas)?|\s+as\s+well\s+as|\s+and\s+(?:a|an|the|its|our)\s)").expect("clause break regex")
});

/// The status `ctx.text[start..end]`, a part of sentence `si`, states. The set's one pass over
/// the text is the costliest search of a trial sentence, and many sentences hold none of its
/// words. (Checking for the words within the part itself, not the sentence, was tried: the
/// parts it turns away are the short ones, and it saved nothing.)
fn status_in(ctx: &DocContext, si: usize, start: usize, end: usize) -> Option<&'static str> {
    if !ctx.may_hold(si, Trigger::TrialStatus) {
        return None;
    }
    let (names, set) = &*STATUS;
    set.first_matching(&ctx.text[start..end]).map(|i| names[i])
}

/// The number enrolled that `ctx.text[start..end]`, a part of sentence `si`, states.
fn enrollment_in(ctx: &DocContext, si: usize, start: usize, end: usize) -> Option<i64> {
    let text = &ctx.text[start..end];
    // Every enrolment pattern holds a number.
    if !ctx.may_hold(si, Trigger::Enrollment) || !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let matching = ENROLLMENT.matching(text);
    (0..ENROLLMENT.len()).find_map(|i| {
        matching
            .captures_iter(i)
            .next()
            .and_then(|c| c["n"].replace(',', "").parse::<i64>().ok())
            .filter(|n| *n > 0 && *n < 1_000_000)
    })
}

/// Byte ranges of the segments of one sentence, one per phase mention.
fn segments(text: &str, start: usize, end: usize, phases: &[&PhaseMention]) -> Vec<(usize, usize)> {
    let mut bounds = vec![start];
    for pair in phases.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let gap = &text[a.end..b.start];
        let cut = CLAUSE_BREAK
            .find_iter(gap)
            .last()
            .map_or(b.start, |m| a.end + m.start());
        bounds.push(cut);
    }
    bounds.push(end);
    bounds.windows(2).map(|w| (w[0], w[1])).collect()
}

struct Segment {
    /// The status the segment states, worked out once: the sentence's last segment lends it to
    /// the others too.
    status: Option<&'static str>,
    trials: Vec<TrialFact>,
}

fn describe(
    ctx: &DocContext,
    si: usize,
    phase: &PhaseMention,
    (s, e): (usize, usize),
    status: Option<&'static str>,
) -> Vec<TrialFact> {
    let mut base = TrialFact {
        phase: phase.phase.clone(),
        ..Default::default()
    };

    // "Phase 3 OPAL-2 study of MT-114": a code right before "study"/"trial" names the study.
    let is_study_name = |p: &&crate::mentions::products::ProductMention| {
        crate::text::next_word_is(&ctx.text[p.end..], &["study", "trial", "program"])
    };
    // ...but "Phase 2 ORB-417 trial" names the product when nothing else is named.
    let in_segment = ctx.products_in(s, e);
    let has_non_study = in_segment.iter().any(|p| !is_study_name(&p));
    let product = in_segment
        .iter()
        .filter(|p| !has_non_study || !is_study_name(p))
        .min_by_key(|p| {
            if p.end <= phase.start {
                phase.start - p.end
            } else {
                p.start.saturating_sub(phase.end)
            }
        });
    base.product = product.map(|p| p.name.clone());

    let targets: Vec<_> = ctx.terms_in(s, e, TermKind::Target).collect();
    base.target = targets.first().map(|(first, entry)| {
        // `CD19/CD20`: targets joined by a slash are one dual target.
        let mut name = entry.name.clone();
        let mut last_end = first.end;
        for (t, en) in targets.iter().skip(1) {
            if ctx.text[last_end..t.start].trim() == "/" {
                name.push('/');
                name.push_str(&en.name);
                last_end = t.end;
            }
        }
        name
    });

    let modalities: Vec<_> = ctx
        .terms_in(s, e, TermKind::Modality)
        .map(|(_, en)| en.name.clone())
        .collect();
    base.modality = modalities
        .iter()
        .find(|m| !ctx.lexicon.is_generic(TermKind::Modality, m))
        .or(modalities.first())
        .cloned();

    base.country = ctx
        .terms_in(s, e, TermKind::Country)
        .next()
        .map(|(_, en)| en.name.clone())
        .or_else(|| crate::facts::regulatory::implied_country(ctx.text, s, e));
    base.enrollment = enrollment_in(ctx, si, s, e);
    base.status = status;
    base.nct_id = NCT_ID.find(&ctx.text[s..e]).map(|m| m.as_str().to_string());
    base.trial_name = trial_name_in(ctx, (s, e), phase, base.product.as_deref());

    let mut indications: Vec<(String, Option<String>)> = Vec::new();
    let mut nearest: Option<((bool, usize), String)> = None;
    for (t, en) in ctx.terms_in(s, e, TermKind::Indication) {
        if !indications.iter().any(|(n, _)| *n == en.name) {
            indications.push((en.name.clone(), en.abbreviation.clone()));
        }
        // The disease a trial is "for" or "in" comes after its phase; one before it is the
        // product's kind ("a solid tumor gene therapy ... in a Phase 1/2 trial for head and
        // neck cancer").
        let distance = if t.start >= phase.end {
            (false, t.start - phase.end)
        } else {
            (true, phase.start.saturating_sub(t.end))
        };
        let generic = ctx.lexicon.is_generic(TermKind::Indication, &en.name);
        if !generic && nearest.as_ref().is_none_or(|(d, _)| distance < *d) {
            nearest = Some((distance, en.name.clone()));
        }
    }
    if indications
        .iter()
        .any(|(n, _)| !ctx.lexicon.is_generic(TermKind::Indication, n))
    {
        indications.retain(|(n, _)| !ctx.lexicon.is_generic(TermKind::Indication, n));
    }
    // "two Phase I trials ... for ALL and DLBCL": one row per disease when the trials are plural
    // and no single product is named; otherwise the first disease.
    let plural = || {
        PLURAL_TRIALS.is_match(&ctx.text[phase.end..e])
            || ctx.text[s..phase.start]
                .to_ascii_lowercase()
                .contains("two ")
    };
    let take = if base.product.is_none() && plural() {
        indications.len()
    } else {
        indications.len().min(1)
    };
    if take == 0 {
        return vec![base];
    }
    if take == 1 {
        if let Some(i) =
            nearest.and_then(|(_, name)| indications.iter().position(|(n, _)| *n == name))
        {
            let (name, abbr) = indications.swap_remove(i);
            return vec![TrialFact {
                indication: Some(name),
                indication_abbr: abbr,
                ..base
            }];
        }
    }
    indications
        .into_iter()
        .take(take)
        .map(|(name, abbr)| TrialFact {
            indication: Some(name),
            indication_abbr: abbr,
            ..base.clone()
        })
        .collect()
}

/// The name of the trial of `phase` that `ctx.text[s..e]` gives, the nearest to the phase: not
/// its product, a disease's or modality's abbreviation, an agency or the issuer's ticker.
fn trial_name_in(
    ctx: &DocContext,
    (s, e): (usize, usize),
    phase: &PhaseMention,
    product: Option<&str>,
) -> Option<String> {
    let segment = &ctx.text[s..e];
    if !segment.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    TRIAL_NAME
        .captures_iter(segment)
        .filter_map(|c| {
            let m = c.name("name")?;
            let name = m.as_str();
            let head = name.split([' ', '-']).next().unwrap_or(name);
            let (a, b) = (s + m.start(), s + m.end());
            let other_term = ctx
                .terms
                .iter()
                .any(|t| t.start <= a && b <= t.end + 1 && t.end > a);
            let is_other = NOT_TRIAL_NAMES.contains(&head)
                || product.is_some_and(|p| p.eq_ignore_ascii_case(name))
                || ctx.ticker == Some(name)
                || other_term
                || name.starts_with("NCT")
                || name.starts_with("PHASE");
            let distance = if b <= phase.start {
                phase.start - b
            } else {
                a.saturating_sub(phase.end)
            };
            (!is_other).then(|| (distance, name.to_string()))
        })
        .min()
        .map(|(_, name)| name)
}

/// "ENV105 is in a Phase 2 trial for prostate cancer and a Phase 1 trial for lung cancer": an
/// item of a list of phases without a product of its own takes the product named between it and
/// the item before, when that item chose another ("CYB003 ... in Phase 3 studies ... and CYB004,
/// a ... molecule in a Phase 2 study"), else the product the list opens with.
fn lend_products_along_the_list(
    ctx: &DocContext,
    phases: &[&PhaseMention],
    sentence_start: usize,
    segs: &mut [Segment],
) {
    for k in 1..segs.len() {
        let before = segs[k - 1].trials.first().and_then(|t| t.product.clone());
        let between = ctx
            .products_in(phases[k - 1].end, phases[k].start)
            .iter()
            .find(|p| {
                before
                    .as_ref()
                    .is_none_or(|b| !b.eq_ignore_ascii_case(&p.name))
            })
            .map(|p| p.name.clone());
        let opening = before.filter(|b| {
            ctx.products_in(sentence_start, phases[k - 1].start)
                .iter()
                .any(|p| p.name.eq_ignore_ascii_case(b))
        });
        let Some(product) = between.or(opening) else {
            continue;
        };
        for t in &mut segs[k].trials {
            if t.product.is_none() {
                t.product = Some(product.clone());
            }
        }
    }
}

/// Trials in one document.
pub fn extract_trials(ctx: &DocContext) -> Vec<Located<TrialFact>> {
    let text = ctx.text;
    // A golf course's "Phase 2" needs no further look: no clinical word, disease or modality.
    let clinical_terms = ctx.terms.iter().any(|t| {
        matches!(
            ctx.lexicon.entries[t.entry as usize].kind,
            TermKind::Indication | TermKind::Modality
        )
    });
    // Rows come from phase mentions only; most releases name none, and finding that out is
    // cheaper than looking for a clinical word through the whole text.
    let phases = ctx.mentions.phases();
    if phases.is_empty() || (!clinical_terms && !CLINICAL_CUE.is_match(text)) {
        return Vec::new();
    }
    let mut rows: Vec<Located<TrialFact>> = Vec::new();
    let mut i = 0;
    while i < phases.len() {
        let Some(si) = ctx.sentence_at(phases[i].start) else {
            i += 1;
            continue;
        };
        let sentence = ctx.sentences[si];
        let in_sentence: Vec<&PhaseMention> = phases[i..]
            .iter()
            .take_while(|p| p.start < sentence.end)
            .collect();
        i += in_sentence.len();
        // A phase written across a line break ("Phase\n1") may end past the sentence its start
        // is in: the sentence is read up to the phase's end.
        let sentence = crate::text::Sentence {
            start: sentence.start,
            end: in_sentence
                .iter()
                .map(|p| p.end)
                .fold(sentence.end, usize::max),
        };
        let sentence_text = &text[sentence.start..sentence.end];
        // A product code alone is no clinical evidence ("ERC-20" in a blockchain release).
        let has_terms = ctx
            .terms_in(sentence.start, sentence.end, TermKind::Indication)
            .next()
            .is_some()
            || ctx
                .terms_in(sentence.start, sentence.end, TermKind::Modality)
                .next()
                .is_some();
        // "Study" counts only as the phase's own noun ("Phase 1 study"), not in "Feasibility Study".
        let study_after_phase = in_sentence.iter().any(|p| {
            STUDY_AFTER.is_match(
                &text[p.end..crate::text::floor_boundary(text, (p.end + 40).min(sentence.end))],
            )
        });
        if !CLINICAL_CUE.is_match(sentence_text) && !has_terms && !study_after_phase {
            continue;
        }
        let ranges = segments(text, sentence.start, sentence.end, &in_sentence);
        let mut segs: Vec<Segment> = in_sentence
            .iter()
            .zip(&ranges)
            .map(|(p, &r)| {
                let status = status_in(ctx, si, r.0, r.1);
                Segment {
                    status,
                    trials: describe(ctx, si, p, r, status),
                }
            })
            .collect();
        // What the sentence says around the list applies to every item: the verb before the
        // first phase ("recently commenced ..."), the predicate after the last ("... are ongoing").
        // The head is read only for an item whose own part names no status: the status set's
        // search is the costliest of a trial sentence, and most items name theirs.
        let head_status =
            LazyCell::new(|| status_in(ctx, si, sentence.start, in_sentence[0].start));
        let tail_status = segs.last().and_then(|s| s.status);
        let sentence_country = ctx
            .terms_in(sentence.start, sentence.end, TermKind::Country)
            .next()
            .map(|(_, en)| en.name.clone());
        lend_products_along_the_list(ctx, &in_sentence, sentence.start, &mut segs);
        let mut prev_modality: Option<String> = None;
        for seg in &mut segs {
            for t in &mut seg.trials {
                t.status = t.status.or_else(|| *head_status).or(tail_status);
                if t.country.is_none() {
                    t.country = sentence_country.clone();
                }
                if t.modality.is_none() && t.product.is_none() {
                    t.modality = prev_modality.clone();
                }
            }
            prev_modality = seg
                .trials
                .last()
                .and_then(|t| t.modality.clone())
                .or(prev_modality);
        }
        for (p, seg) in in_sentence.iter().zip(segs) {
            let reach = crate::text::ceil_boundary(text, p.start.saturating_sub(DENIAL_REACH));
            if DENIED_BEFORE.is_match(&text[reach.max(sentence.start)..p.start]) {
                continue;
            }
            for t in seg.trials {
                rows.push(Located {
                    start: p.start,
                    end: p.end,
                    sentence: si,
                    rule: "phase_in_clinical_sentence",
                    fact: t,
                });
            }
        }
    }
    // Products first: a product filled in brings the disease of the sentences about it.
    fill_product_from_paragraph(ctx, &mut rows);
    fill_bare_from_single_product(ctx, &mut rows);
    fill_from_related_sentences(ctx, phases, &mut rows);
    absorb_rows_without_product(absorb_bare_rows(merge_repeats(rows)))
}

/// A headline's "Phase 3 Depression Program" is the body's one Phase 3 trial of a named product
/// in depression: a row with a disease and no product joins the one row of the same phase and
/// disease that names a product.
fn absorb_rows_without_product(rows: Vec<Located<TrialFact>>) -> Vec<Located<TrialFact>> {
    let mut keep = vec![true; rows.len()];
    let mut fills: Vec<(usize, usize)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if r.fact.product.is_some() || r.fact.indication.is_none() {
            continue;
        }
        let mut same = rows.iter().enumerate().filter(|(_, o)| {
            o.fact.product.is_some()
                && o.fact.phase == r.fact.phase
                && o.fact.indication == r.fact.indication
        });
        if let (Some((j, _)), None) = (same.next(), same.next()) {
            keep[i] = false;
            fills.push((j, i));
        }
    }
    let mut rows = rows;
    for (into, from) in fills {
        let f = rows[from].fact.clone();
        let t = &mut rows[into].fact;
        t.status = t.status.or(f.status);
        t.country = t.country.take().or(f.country);
        t.enrollment = t.enrollment.or(f.enrollment);
        t.modality = t.modality.take().or(f.modality);
        t.target = t.target.take().or(f.target);
        t.nct_id = t.nct_id.take().or(f.nct_id);
        t.trial_name = t.trial_name.take().or(f.trial_name);
    }
    rows.into_iter()
        .zip(keep)
        .filter_map(|(r, k)| k.then_some(r))
        .collect()
}

/// "Lonza will support our planned Phase 2 trial": a trial named without a product, in a release
/// about one product, is that product's trial, and in the release's one disease when it names
/// none of its own.
fn fill_bare_from_single_product(ctx: &DocContext, rows: &mut [Located<TrialFact>]) {
    let mut products: Vec<String> = ctx.products.iter().map(|p| p.name.to_lowercase()).collect();
    products.sort();
    products.dedup();
    if products.len() != 1 {
        return;
    }
    let product = ctx
        .products
        .iter()
        .find(|p| p.name.to_lowercase() == products[0])
        .map(|p| p.name.clone());
    let mut indications: Vec<(String, Option<String>)> = Vec::new();
    for (_, e) in ctx.terms_in(0, ctx.text.len(), TermKind::Indication) {
        if !e.generic && !indications.iter().any(|(n, _)| *n == e.name) {
            indications.push((e.name.clone(), e.abbreviation.clone()));
        }
    }
    for row in rows.iter_mut() {
        let t = &mut row.fact;
        if t.product.is_none() && t.target.is_none() {
            // "Clene is preparing a confirmatory Phase 3 ALS trial": the one product's.
            t.product.clone_from(&product);
            if t.indication.is_none() {
                if let [(name, abbr)] = indications.as_slice() {
                    t.indication = Some(name.clone());
                    t.indication_abbr.clone_from(abbr);
                }
            }
        }
    }
}

/// "Soligenix's dusquetide ... The designation follows recent Phase 2a clinical results": a
/// trial sentence without a product, in a paragraph that names one product, is that product's.
fn fill_product_from_paragraph(ctx: &DocContext, rows: &mut [Located<TrialFact>]) {
    for row in rows.iter_mut() {
        if row.fact.product.is_some() || row.fact.target.is_some() {
            continue;
        }
        let paragraph = ctx.structure.paragraph(row.sentence);
        let first = (0..=row.sentence)
            .rev()
            .take_while(|&si| ctx.structure.paragraph(si) == paragraph)
            .last()
            .unwrap_or(row.sentence);
        let last = (row.sentence..ctx.sentences.len())
            .take_while(|&si| ctx.structure.paragraph(si) == paragraph)
            .last()
            .unwrap_or(row.sentence);
        let (start, end) = (ctx.sentences[first].start, ctx.sentences[last].end);
        let mut names: Vec<&str> = ctx
            .products_in(start, end)
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        names.sort_by_key(|n| n.to_ascii_lowercase());
        names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        if let [only] = names.as_slice() {
            row.fact.product = Some((*only).to_string());
        }
    }
}

/// A headline's "Phase 3 Trial" with no product or disease is the body's one Phase 3 trial.
fn absorb_bare_rows(rows: Vec<Located<TrialFact>>) -> Vec<Located<TrialFact>> {
    let described = |r: &TrialFact| r.product.is_some() || r.indication.is_some();
    let mut out: Vec<Located<TrialFact>> = Vec::new();
    let mut bare: Vec<Located<TrialFact>> = Vec::new();
    for r in rows {
        if described(&r.fact) {
            out.push(r)
        } else {
            bare.push(r)
        }
    }
    // The rows of each phase, kept as rows are added, so each bare row looks only at its own.
    let mut by_phase: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, r) in out.iter().enumerate() {
        by_phase.entry(r.fact.phase.clone()).or_default().push(i);
    }
    for b in bare {
        let same_phase = by_phase.entry(b.fact.phase.clone()).or_default();
        if let [i] = same_phase.as_slice() {
            let f = &mut out[*i].fact;
            f.status = f.status.or(b.fact.status);
            f.country = f.country.take().or(b.fact.country);
            f.enrollment = f.enrollment.or(b.fact.enrollment);
            f.modality = f.modality.take().or(b.fact.modality);
            f.target = f.target.take().or(b.fact.target);
            f.nct_id = f.nct_id.take().or(b.fact.nct_id);
            f.trial_name = f.trial_name.take().or(b.fact.trial_name);
        } else {
            same_phase.push(out.len());
            out.push(b);
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

/// A trial sentence often leaves out what the lead said: "today announces the initiation of
/// patient recruitment ... anti-BCMA CAR-T ... Multiple Myeloma in China" and later "This
/// Phase I clinical study will enroll 22 patients". Fill status and country from a phase-less
/// sentence about the same product, or the same disease with the same target or modality.
fn fill_from_related_sentences(
    ctx: &DocContext,
    phases: &[PhaseMention],
    rows: &mut [Located<TrialFact>],
) {
    // Worked out once per sentence, not once per row and sentence: fact-dense releases have
    // dozens of rows. Phases and sentences are both in text order, so one pass marks them.
    let mut holds_phase = vec![false; ctx.sentences.len()];
    for p in phases {
        if let Some(si) = ctx.sentence_at(p.start) {
            holds_phase[si] |= p.end <= ctx.sentences[si].end;
        }
    }
    let mut statuses: Vec<Option<Option<&'static str>>> = vec![None; ctx.sentences.len()];
    for row in rows.iter_mut() {
        if row.fact.status.is_some() && row.fact.country.is_some() && row.fact.indication.is_some()
        {
            continue;
        }
        // A related sentence is looked for within the reach of one release of the row.
        let from = ctx
            .sentences
            .partition_point(|s| s.end + RELEASE_REACH < row.start);
        let to = ctx
            .sentences
            .partition_point(|s| s.start <= row.end + RELEASE_REACH);
        for (si, s) in ctx.sentences.iter().enumerate().take(to).skip(from) {
            if si == row.sentence || holds_phase[si] {
                continue;
            }
            let same_product = row.fact.product.as_ref().is_some_and(|name| {
                ctx.products_in(s.start, s.end)
                    .iter()
                    .any(|p| p.name.eq_ignore_ascii_case(name))
            });
            let same_indication = row.fact.indication.as_ref().is_some_and(|name| {
                ctx.terms_in(s.start, s.end, TermKind::Indication)
                    .any(|(_, en)| &en.name == name)
            });
            let same_target = row.fact.target.as_ref().is_some_and(|name| {
                ctx.terms_in(s.start, s.end, TermKind::Target)
                    .any(|(_, en)| name.split('/').any(|n| n == en.name))
            });
            let same_modality = row.fact.modality.as_ref().is_some_and(|name| {
                ctx.terms_in(s.start, s.end, TermKind::Modality)
                    .any(|(_, en)| &en.name == name)
            });
            if !(same_product || (same_indication && (same_target || same_modality))) {
                continue;
            }
            if row.fact.status.is_none() {
                row.fact.status =
                    *statuses[si].get_or_insert_with(|| status_in(ctx, si, s.start, s.end));
            }
            if row.fact.country.is_none() {
                row.fact.country = ctx
                    .terms_in(s.start, s.end, TermKind::Country)
                    .next()
                    .map(|(_, en)| en.name.clone());
            }
            if row.fact.indication.is_none() && same_product {
                if let Some((_, en)) = ctx
                    .terms_in(s.start, s.end, TermKind::Indication)
                    .find(|(_, en)| !en.generic)
                {
                    row.fact.indication = Some(en.name.clone());
                    row.fact.indication_abbr.clone_from(&en.abbreviation);
                }
            }
            if row.fact.status.is_some()
                && row.fact.country.is_some()
                && row.fact.indication.is_some()
            {
                break;
            }
        }
    }
}

/// The same trial named twice in a document (headline and body) is one row; later mentions
/// fill what the first left out.
fn merge_repeats(rows: Vec<Located<TrialFact>>) -> Vec<Located<TrialFact>> {
    let mut out: Vec<Located<TrialFact>> = Vec::new();
    // Rows can be the same trial only when their phase and product (or, without a product,
    // their indication) are: each row is compared with the earlier rows of its key alone.
    let mut by_key: HashMap<(String, bool, Option<String>), Vec<usize>> = HashMap::new();
    for row in rows {
        let r = &row.fact;
        let key = match &r.product {
            Some(p) => (r.phase.clone(), true, Some(p.to_ascii_lowercase())),
            None => (r.phase.clone(), false, r.indication.clone()),
        };
        let candidates = by_key.entry(key).or_default();
        let same = candidates.iter().copied().find(|&i| {
            let f = &out[i].fact;
            if f.phase != r.phase {
                return false;
            }
            match (&f.product, &r.product) {
                (Some(a), Some(b)) => {
                    a.eq_ignore_ascii_case(b)
                        && (f.indication.is_none()
                            || r.indication.is_none()
                            || f.indication == r.indication)
                }
                (None, None) => {
                    f.indication == r.indication
                        && (f.modality.is_none()
                            || r.modality.is_none()
                            || f.modality == r.modality)
                }
                _ => false,
            }
        });
        match same {
            Some(i) => {
                let f = &mut out[i].fact;
                f.target = f.target.take().or_else(|| r.target.clone());
                f.modality = f.modality.take().or_else(|| r.modality.clone());
                if f.indication.is_none() {
                    f.indication = r.indication.clone();
                    f.indication_abbr = r.indication_abbr.clone();
                }
                f.country = f.country.take().or_else(|| r.country.clone());
                f.enrollment = f.enrollment.or(r.enrollment);
                f.status = f.status.or(r.status);
                f.nct_id = f.nct_id.take().or_else(|| r.nct_id.clone());
                f.trial_name = f.trial_name.take().or_else(|| r.trial_name.clone());
            }
            None => {
                candidates.push(out.len());
                out.push(row);
            }
        }
    }
    out
}

crate::text::pattern::compile_rules!(
    CLINICAL_CUE,
    STUDY_AFTER,
    STATUS,
    ENROLLMENT,
    PLURAL_TRIALS,
    CLAUSE_BREAK,
    DENIED_BEFORE,
    NCT_ID,
    TRIAL_NAME,
);

impl crate::facts::table::FactTable for TrialFact {
    const NAME: &'static str = "trials";

    fn columns() -> Vec<Column<Self>> {
        vec![
            Column::text("phase", |f| Some(f.phase.as_str())),
            Column::text_or_null("product", |f| f.product.as_deref()),
            Column::text_or_null("target", |f| f.target.as_deref()),
            Column::text_or_null("modality", |f| f.modality.as_deref()),
            Column::text_or_null("indication", |f| f.indication.as_deref()),
            Column::text_or_null("indication_abbr", |f| f.indication_abbr.as_deref()),
            Column::text_or_null("country", |f| f.country.as_deref()),
            Column::int_or_null("enrollment", |f| f.enrollment),
            Column::text_or_null("status", |f| f.status),
            Column::text_or_null("nct_id", |f| f.nct_id.as_deref()),
            Column::text_or_null("trial_name", |f| f.trial_name.as_deref()),
        ]
    }

    fn extract(doc: &DocContext) -> Vec<Located<Self>> {
        extract_trials(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mentions::lexicon::Lexicon;

    fn trials(orig: &str) -> Vec<TrialFact> {
        let lexicon = Lexicon::builtin();
        let prepared = crate::extract::Extractor::builtin().prepare(orig);
        let ctx = prepared.ctx(&lexicon);
        extract_trials(&ctx).into_iter().map(|l| l.fact).collect()
    }

    /// A phase broken over a line ("Phase\n1", or over two blocks) is one mention; it used to
    /// end past its sentence and lose the whole release to a panic.
    #[test]
    fn phase_split_by_a_line_break_is_one_trial() {
        for text in [
            "Acme Bio initiated the Phase\n1 trial of AB-12 in patients with psoriasis.",
            "Acme Bio initiated the Phase\n\n1 trial of AB-12 in patients with psoriasis.",
            "Acme Bio initiated the Phase\r\n2 Trial of AB-12 in patients.",
        ] {
            let got = trials(text);
            assert_eq!(got.len(), 1, "{text:?}: {got:?}");
            assert!(got[0].phase.starts_with("Phase "), "{got:?}");
        }
    }

    #[test]
    fn study_with_product_target_enrollment_and_status_from_the_lead() {
        let got = trials("Acme today announces the initiation of patient recruitment to support the study of anti-BCMA CAR-T therapy targeting relapsed and refractory Multiple Myeloma in China.\n\nThis Phase I clinical study will enroll 22 patients to evaluate the safety and efficacy of C-CAR088 (anti-BCMA Chimeric Antigen Receptor T-Cell therapy) in patients with relapsed and/or refractory Multiple Myeloma.");
        assert_eq!(got.len(), 1);
        let t = &got[0];
        assert_eq!(t.phase, "Phase 1");
        assert_eq!(t.product.as_deref(), Some("C-CAR088"));
        assert_eq!(t.target.as_deref(), Some("BCMA"));
        assert_eq!(t.modality.as_deref(), Some("CAR-T"));
        assert_eq!(t.indication.as_deref(), Some("Multiple Myeloma"));
        assert_eq!(t.indication_abbr.as_deref(), Some("MM"));
        assert_eq!(t.enrollment, Some(22));
        assert_eq!(t.status, Some("recruiting"));
        assert_eq!(t.country.as_deref(), Some("China"));
    }

    #[test]
    fn two_phases_in_one_sentence_share_the_predicate() {
        let got = trials("A Phase IIb trial in China for Rejoin\u{ae} autologous Human Adipose-derived Mesenchymal Progenitor Cell (haMPC) for the treatment of Knee Osteoarthritis (KOA) as well as a Phase I trial in China for AlloJoin\u{2122} (CBMG's \"Off-the-Shelf\" haMPC) for the treatment of KOA are ongoing.");
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].phase.as_str(), got[0].product.as_deref()),
            ("Phase 2b", Some("Rejoin"))
        );
        assert_eq!(
            (got[1].phase.as_str(), got[1].product.as_deref()),
            ("Phase 1", Some("AlloJoin"))
        );
        for t in &got {
            assert_eq!(t.indication.as_deref(), Some("Knee Osteoarthritis"));
            assert_eq!(t.indication_abbr.as_deref(), Some("KOA"));
            assert_eq!(t.country.as_deref(), Some("China"));
            assert_eq!(t.status, Some("ongoing"));
            assert_eq!(t.modality.as_deref(), Some("MSC"));
        }
    }

    #[test]
    fn regulatory_statuses() {
        let got = trials("The China NMPA (formerly CFDA) approved the Company's IND application for a Phase II trial for AlloJoin\u{ae}, an allogenic haMPC therapy for the treatment of Knee Osteoarthritis (KOA), and has accepted the Company's IND application for a Phase II trial for ReJoin\u{ae} autologous haMPC therapy for the treatment of KOA.");
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].product.as_deref(), got[0].status),
            (Some("AlloJoin"), Some("ind_approved"))
        );
        assert_eq!(
            (got[1].product.as_deref(), got[1].status),
            (Some("ReJoin"), Some("ind_accepted"))
        );
        assert_eq!(got[0].country.as_deref(), Some("China"));
    }

    #[test]
    fn plural_trials_split_by_indication() {
        let got = trials("CBMG recently commenced two Phase I human clinical trials in China using CAR-T to treat relapsed/refractory CD19+ B-cell Acute Lymphoblastic Leukemia (ALL) and Refractory Diffuse Large B-cell Lymphoma (DLBCL) as well as an ongoing Phase I trial in China for AlloJoinTM (CBMG's haMPC) for the treatment of Knee Osteoarthritis (KOA).");
        let summary: Vec<_> = got
            .iter()
            .map(|t| {
                (
                    t.indication.clone().unwrap_or_default(),
                    t.product.clone(),
                    t.modality.clone(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    "Acute Lymphoblastic Leukemia".to_string(),
                    None,
                    Some("CAR-T".to_string())
                ),
                (
                    "Diffuse Large B-cell Lymphoma".to_string(),
                    None,
                    Some("CAR-T".to_string())
                ),
                (
                    "Knee Osteoarthritis".to_string(),
                    Some("AlloJoin".to_string()),
                    Some("MSC".to_string())
                ),
            ]
        );
        assert_eq!(got[0].status, Some("initiated"));
        assert_eq!(got[2].status, Some("ongoing"));
    }

    #[test]
    fn bare_mentions_join_the_described_trial() {
        let got = trials("Castellan Announces Results from Phase 3 SUNRISE Trial\n\nCastellan announced results from its completed Phase 3 trial of castelimod in plaque psoriasis.");
        assert_eq!(got.len(), 1);
        assert_eq!(
            (got[0].product.as_deref(), got[0].status),
            (Some("castelimod"), Some("topline_data"))
        );
        let got = trials("Cellura signed an agreement for CL-44, its TIL therapy for advanced melanoma.\n\n\"This will support our planned Phase 2 trial,\" said Peter Hale.");
        assert_eq!(
            (got[0].product.as_deref(), got[0].indication.as_deref()),
            (Some("CL-44"), Some("Melanoma"))
        );
    }

    #[test]
    fn study_acronyms_are_not_products_and_indication_comes_from_the_product() {
        let got = trials(
            "The pivotal Phase 3 OPAL-2 study of MT-114 in atopic dermatitis completed enrollment.",
        );
        assert_eq!(got[0].product.as_deref(), Some("MT-114"));
        let got = trials("Phase 2 ORB-417 trial in Acute Myeloid Leukemia completed enrollment");
        assert_eq!(got[0].product.as_deref(), Some("ORB-417"));
        let got = trials("Acme Receives RMAT Designation for MR-3 in Knee Osteoarthritis\n\nMR-3 is being evaluated in an ongoing Phase 2b trial in the United States.");
        assert_eq!(
            (got[0].product.as_deref(), got[0].indication.as_deref()),
            (Some("MR-3"), Some("Knee Osteoarthritis"))
        );
    }

    #[test]
    fn phases_of_other_things_are_not_trials() {
        assert!(trials(
            "Phase 2 of the clubhouse renovation will open in May, with a new 18-hole course."
        )
        .is_empty());
        assert!(
            trials("The company completed Phase II of its residential development in Austin.")
                .is_empty()
        );
    }

    #[test]
    fn headline_and_body_merge() {
        let got = trials("Acme Doses First Patient in Phase 1 Trial of AB-101\n\nAcme dosed the first patient in its Phase 1 trial of AB-101 in patients with glioblastoma in the United States.");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].indication.as_deref(), Some("Glioblastoma"));
        assert_eq!(got[0].status, Some("dosing"));
        assert_eq!(got[0].country.as_deref(), Some("United States"));
    }

    #[test]
    fn denied_and_excluded_phases_give_no_row() {
        let got = trials("Under the animal rule, Acme may seek licensure of AB-7 for mpox with a Phase 3 trial, omitting Phase 1 and Phase 2 trials.");
        let phases: Vec<&str> = got.iter().map(|t| t.phase.as_str()).collect();
        assert_eq!(phases, vec!["Phase 3"]);
        assert!(trials("Acme has not yet started a Phase 3 trial of AB-3 in gout.").is_empty());
    }

    #[test]
    fn registry_number_and_trial_name() {
        let got = trials("Acme began the Phase 3 KEYNOTE-689 trial (NCT03765918) of AB-3 in head and neck cancer.");
        assert_eq!(got[0].nct_id.as_deref(), Some("NCT03765918"));
        assert_eq!(got[0].trial_name.as_deref(), Some("KEYNOTE-689"));
        assert_eq!(got[0].product.as_deref(), Some("AB-3"));
        let got = trials("Acme expanded its multinational Phase 3 PARADIGM program of CYB003 for major depressive disorder.");
        assert_eq!(got[0].trial_name.as_deref(), Some("PARADIGM"));
        let got = trials("Acme dosed the first patient in the Phase 2 IND trial of AB-3 in gout.");
        assert_eq!(got[0].trial_name, None);
    }

    #[test]
    fn a_headline_program_without_product_joins_the_bodys_trial() {
        let got = trials("Acme Advances Phase 3 Depression Program\n\nAcme expanded its Phase 3 program of CYB003 for major depressive disorder to 550 participants.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].product.as_deref(), Some("CYB003"));
    }

    #[test]
    fn topline_and_enrollment_completed_statuses() {
        let got = trials(
            "Acme reported positive topline results from its Phase 3 trial of AB-3 in gout.",
        );
        assert_eq!(got[0].status, Some("topline_data"));
        let got = trials("Acme completed enrollment in its Phase 2 trial of AB-3 in gout.");
        assert_eq!(got[0].status, Some("enrollment_completed"));
    }

    #[test]
    fn items_of_a_list_share_the_product_it_opens_with() {
        let got = trials("Currently, ENV105 is in a Phase 2 clinical trial for prostate cancer and a Phase 1 trial for lung cancer.");
        let rows: Vec<(&str, Option<&str>, Option<&str>)> = got
            .iter()
            .map(|t| {
                (
                    t.phase.as_str(),
                    t.product.as_deref(),
                    t.indication.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                ("Phase 2", Some("ENV105"), Some("Prostate Cancer")),
                ("Phase 1", Some("ENV105"), Some("Lung Cancer")),
            ]
        );
        let got = trials("The Company is developing CYB003, a psilocin analog, in Phase 3 studies for major depressive disorder and CYB004, a N, N-dimethyltryptamine molecule in a Phase 2 study for generalized anxiety disorder.");
        let products: Vec<Option<&str>> = got.iter().map(|t| t.product.as_deref()).collect();
        assert_eq!(products, vec![Some("CYB003"), Some("CYB004")]);
    }

    #[test]
    fn the_disease_after_the_phase_is_the_trials() {
        let got = trials("The lead program is evaluating a solid tumor gene therapy, Gedeptin, in a multicenter Phase 1/2 clinical trial for advanced head and neck cancers.");
        assert_eq!(got[0].indication.as_deref(), Some("Head and Neck Cancer"));
    }

    #[test]
    fn a_trial_without_a_product_takes_its_paragraphs_one_product() {
        let got = trials("Acme's lead drug dusquetide won orphan status in Behcet's disease. The designation follows recent Phase 2a clinical results in patients.\n\nAcme also sells CX-9 in Europe.");
        assert_eq!(got[0].product.as_deref(), Some("dusquetide"));
    }
}
