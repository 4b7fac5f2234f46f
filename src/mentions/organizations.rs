//! Organisation names as releases write them: runs of capitalised words with the small words
//! names contain (`Centre for Commercialization of Regenerative Medicine`), optionally followed
//! by an abbreviation in parentheses (`(CCRM)`).

use std::sync::LazyLock;

use crate::text::rule::Rule;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgMention {
    pub start: usize,
    pub end: usize,
    pub name: String,
    pub abbreviation: Option<String>,
}

static ORG: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"(?-u:\b)(?P<name>(?:U\.S\.[ \t]+)?[A-Z][A-Za-z0-9&.'-]*(?:[ \t]+(?:(?:of|for|and|&|de|du|the|on)[ \t]+[A-Z][A-Za-z&.'-]*|[A-Z][A-Za-z0-9&.'-]*)){0,7})(?:[ \t]+\((?P<abbr>[A-Z][A-Za-z0-9&.-]{1,12})\))?",
    )
    .expect("organisation regex")
});

/// Words of headlines and trial descriptions that do not continue an organisation's name.
const HEADLINE_WORDS: &[&str] = &[
    "Phase",
    "Trial",
    "Study",
    "Treatment",
    "Patients",
    "Next-Generation",
    "Data",
    "Results",
];

/// Legal forms that end company names.
const LEGAL: &[&str] = &[
    "Inc",
    "Incorporated",
    "Corp",
    "Corporation",
    "Ltd",
    "Limited",
    "LLC",
    "plc",
    "PLC",
    "AG",
    "AB",
    "AS",
    "ASA",
    "SA",
    "S.A",
    "N.V",
    "NV",
    "GmbH",
    "SE",
    "S.p.A",
    "Co",
    "Oyj",
    "A/S",
    "Pty",
    "Pte",
];

/// Words that start sentences or name roles, never organisations on their own.
const NOT_ORGS: &[&str] = &[
    "The",
    "This",
    "These",
    "Our",
    "We",
    "Its",
    "It",
    "In",
    "On",
    "As",
    "A",
    "An",
    "For",
    "With",
    "Through",
    "Following",
    "Company",
    "Dr",
    "Mr",
    "Ms",
    "CEO",
    "CFO",
    "Chief",
    "President",
];

/// The organisation whose name starts at `pos` (after an optional "the"), if any.
pub fn org_at(text: &str, pos: usize) -> Option<OrgMention> {
    let rest = &text[pos..];
    let skip = rest.len() - rest.trim_start().len();
    let mut start = pos + skip;
    if text[start..].starts_with("the ") {
        start += 4;
    }
    // Only a name that starts here counts, so the search is anchored: an unanchored one read on
    // through the rest of the document for a later name, to be thrown away.
    let caps = ORG.captures_at_start(&text[start..])?;
    let whole = caps.get(0)?;
    let mut name = caps["name"].to_string();
    // "Thermo Fisher Scientific. These": a full stop after a word ends the name.
    let mut kept = 0;
    let words_in: Vec<&str> = name.split(' ').collect();
    for (i, w) in words_in.iter().enumerate() {
        let bare = w.trim_end_matches('.');
        // "MGH for Phase II Trial of ...": a headline's words after a small word are not the name.
        if i > 0 && HEADLINE_WORDS.contains(&bare) {
            if kept > 0
                && matches!(
                    words_in[kept - 1],
                    "for" | "of" | "and" | "&" | "on" | "the" | "de" | "du"
                )
            {
                kept -= 1;
            }
            break;
        }
        kept = i + 1;
        // "Define Biotech Co. Ltd. BioKey": a legal form with its full stop ends the name.
        if w.ends_with('.')
            && LEGAL.contains(&bare)
            && words_in
                .get(i + 1)
                .is_some_and(|n| !LEGAL.contains(&n.trim_end_matches(['.', ','])))
        {
            break;
        }
        if w.ends_with('.')
            && bare.len() > 3
            && !matches!(bare, "Corp" | "Bros" | "Intl")
            && !bare.contains('.')
        {
            break;
        }
    }
    name = name.split(' ').take(kept).collect::<Vec<_>>().join(" ");
    let name_len_in_text = name.len();
    let mut name = name.trim_end_matches(['.', ',']).to_string();
    // A last word cut short by the pattern ("Beta Pharma for AB-" before "101") is no part of
    // the name, nor is the small word that joined it.
    let next = text[start + name_len_in_text..]
        .chars()
        .next()
        .filter(|_| name_len_in_text == caps["name"].len());
    if next.is_some_and(|c| c.is_alphanumeric() || c == '-') {
        let mut words: Vec<&str> = name.split(' ').collect();
        words.pop();
        while words
            .last()
            .is_some_and(|w| matches!(*w, "of" | "for" | "and" | "&" | "de" | "du" | "the" | "on"))
        {
            words.pop();
        }
        name = words.join(" ");
    }
    // "GE's FlexFactory": the possessive ends the name.
    if let Some(i) = name.find("'s") {
        name.truncate(i);
    }
    // "Nordic Pharma AB", "Acme Inc.": the legal form is not part of the name; nor is "The".
    let mut words: Vec<&str> = name.split(' ').collect();
    while words.len() > 1 && LEGAL.contains(&words[words.len() - 1].trim_end_matches([',', '.'])) {
        words.pop();
    }
    let without_the = words.len() > 1 && words[0] == "The";
    if without_the {
        words.remove(0);
    }
    let name = words.join(" ").trim_end_matches(',').to_string();
    // The span starts where the name does, past a "The" the name leaves out.
    let name_start = if without_the {
        // Right after "The" and its spaces; a name written otherwise keeps the whole span.
        let after_the = text[start..].find(name.as_str()).filter(|&i| i <= 8);
        start + after_the.unwrap_or(0)
    } else {
        start
    };
    let first = name.split_whitespace().next().unwrap_or("");
    // "Dr. Andronesi" is a person.
    if matches!(first, "Dr." | "Mr." | "Ms." | "Mrs." | "Prof.") {
        return None;
    }
    if name.is_empty() || NOT_ORGS.contains(&first) && name.split_whitespace().count() == 1 {
        return None;
    }
    // "(CCRM)" is an abbreviation; "(France)" and "(Berlin)" are places.
    let abbreviation = caps
        .name("abbr")
        .filter(|_| name_len_in_text == caps["name"].len())
        .map(|a| a.as_str().to_string())
        .filter(|a| a.chars().filter(|c| c.is_ascii_lowercase()).count() <= 1);
    let end = if abbreviation.is_some() {
        start + whole.end()
    } else {
        name_start + name.len()
    };
    Some(OrgMention {
        start: name_start,
        end,
        name,
        abbreviation,
    })
}

crate::text::pattern::compile_rules!(ORG);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_small_words_and_abbreviations() {
        let t = "with the Centre for Commercialization of Regenerative Medicine (CCRM), a leader";
        let o = org_at(t, 5).unwrap();
        assert_eq!(
            o.name,
            "Centre for Commercialization of Regenerative Medicine"
        );
        assert_eq!(o.abbreviation.as_deref(), Some("CCRM"));
        assert_eq!(
            org_at("with GE Healthcare and a", 5).unwrap().name,
            "GE Healthcare"
        );
        assert_eq!(org_at("install GE's FlexFactory", 8).unwrap().name, "GE");
        assert_eq!(
            org_at("the U.S. Department of Defense has", 0)
                .unwrap()
                .name,
            "U.S. Department of Defense"
        );
        assert!(org_at("with patients", 5).is_none());
        assert_eq!(
            org_at("with Nordic Pharma AB for", 5).unwrap().name,
            "Nordic Pharma"
        );
        assert_eq!(org_at("with Lonza\n\nBASEL", 5).unwrap().name, "Lonza");
        let o = org_at(
            "The Cancer Prevention and Research Institute of Texas (CPRIT) has",
            0,
        )
        .unwrap();
        assert_eq!(
            (o.name.as_str(), o.abbreviation.as_deref()),
            (
                "Cancer Prevention and Research Institute of Texas",
                Some("CPRIT")
            )
        );
        assert_eq!(
            org_at("with Thermo Fisher Scientific. These partners", 5)
                .unwrap()
                .name,
            "Thermo Fisher Scientific"
        );
    }
}
