//! The `facilities` table: sites with their size and use. "a new 22,000 square foot facility
//! in Rockville, Maryland" -> Rockville, Maryland, 22000, R&D. Square metres are converted.

use std::sync::LazyLock;

use crate::text::rule::Rule;

use super::triggers::Trigger;
use super::{DocContext, Located};

use crate::tables::columns::Column;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacilityFact {
    pub location: Option<String>,
    pub area_sqft: Option<i64>,
    pub kind: Option<&'static str>,
}

pub(crate) const AREA_PATTERN: &str = r"(?i)(?-u:\b)(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?P<k>thousand|k))?[\s-]*(?:(?P<ft>square[\s-]+(?:foot|feet)|sq\.?\s*ft\.?|sf)|(?P<m>square[\s-]+met(?:er|re)s?|sq\.?\s*m|m2|m\u{b2}|sqm))(?-u:\b|\s|$)";

pub(crate) static AREA: LazyLock<Rule> =
    LazyLock::new(|| crate::text::pattern::regex(AREA_PATTERN).expect("area regex"));

pub(crate) const SITE_WORD_PATTERN: &str = r"(?i)(?-u:\b)(?:facilit(?:y|ies)|site|campus|plant|headquarters|building|laborator(?:y|ies)|space|cent(?:er|re)|capacity|office)(?-u:\b)";

pub(crate) static SITE_WORD: LazyLock<Rule> =
    LazyLock::new(|| crate::text::pattern::regex(SITE_WORD_PATTERN).expect("site regex"));

static IN_PLACE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?-u:\b)(?:in|at)\s+(?:the\s+)?(?P<place>[A-Z][A-Za-z.'-]+(?:(?:,\s*|\s+)[A-Z][A-Za-z.'-]+){0,3})").expect("place regex")
});

static LIST_IN_PARENS: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"\((?P<list>[A-Z][a-z]+(?:,\s*(?:and\s+)?[A-Z][a-z]+)+)\)")
        .expect("list regex")
});

fn kind_of(clause: &str) -> Option<&'static str> {
    let c = clause.to_ascii_lowercase();
    if c.contains("total") && c.contains("capacity") {
        Some("total_capacity")
    } else if clause.contains("GMP") {
        Some("GMP")
    } else if c.contains("manufactur") || c.contains("production") {
        Some("manufacturing")
    } else if c.contains("research")
        || c.contains("r&d")
        || c.contains("laborator")
        || c.contains(" lab")
    {
        Some("R&D")
    } else if c.contains("office") || c.contains("headquarters") {
        Some("office")
    } else {
        None
    }
}

fn place_in(text: &str) -> Option<String> {
    if let Some(c) = LIST_IN_PARENS.captures(text) {
        return Some(c["list"].replace(", and ", ", ").replace(" and ", ", "));
    }
    for c in IN_PLACE.captures_iter(text) {
        let mut words: Vec<&str> = Vec::new();
        for w in c["place"].split(' ') {
            if crate::mentions::dates::is_month_name(w) {
                break;
            }
            // "Shanghai's Pharma Valley": the possessive names the place.
            if let Some(owner) = w.strip_suffix("'s") {
                words.push(owner);
                break;
            }
            words.push(w);
        }
        let place = words.join(" ");
        let place = place
            .trim_end_matches([',', '.'])
            .trim_end_matches("'s")
            .to_string();
        if !place.is_empty() && !matches!(place.as_str(), "October" | "The" | "Phase" | "Company") {
            return Some(place);
        }
    }
    None
}

/// Facilities in one document.
pub fn extract_facilities(ctx: &DocContext) -> Vec<Located<FacilityFact>> {
    let text = ctx.text;
    // Where the release says its site is, for sentences that only give a size. Worked out only
    // when such a sentence comes: most releases name a site or an office and give no size, and
    // looking cost ~3% of a load of the archive.
    let doc_place = std::cell::OnceCell::new();
    let doc_place = || {
        doc_place
            .get_or_init(|| {
                ctx.sentences.iter().enumerate().find_map(|(si, s)| {
                    if !ctx.may_hold(si, Trigger::Site) {
                        return None;
                    }
                    let t = &text[s.start..s.end];
                    SITE_WORD.find(t).and_then(|m| place_in(&t[m.start()..]))
                })
            })
            .clone()
    };
    let mut out = Vec::new();
    for (si, s) in ctx.sentences.iter().enumerate() {
        let sentence = &text[s.start..s.end];
        if !ctx.may_hold(si, Trigger::Area)
            || !ctx.may_hold(si, Trigger::Site)
            || !SITE_WORD.is_match(sentence)
        {
            continue;
        }
        for c in AREA.captures_iter(sentence) {
            let whole = c.get(0).expect("group 0");
            let n: f64 = c["n"].replace(',', "").parse().unwrap_or(0.0);
            let n = if c.name("k").is_some() { n * 1000.0 } else { n };
            let sqft = if c.name("m").is_some() {
                n * 10.763_910_416_7
            } else {
                n
            };
            if sqft < 100.0 {
                continue;
            }
            // The clause of this figure: up to the next figure.
            let clause_end = AREA
                .find_at(sentence, whole.end())
                .map_or(sentence.len(), |m| m.start());
            let clause_start = sentence[..whole.start()]
                .rfind(['.', ';'])
                .map_or(0, |i| i + 1);
            let clause = &sentence[clause_start..clause_end];
            let location = place_in(&sentence[whole.end()..clause_end])
                .or_else(|| place_in(&sentence[clause_start..whole.start()]))
                .or_else(doc_place);
            let end = whole.end() - (whole.as_str().len() - whole.as_str().trim_end().len());
            out.push(Located {
                start: s.start + whole.start(),
                end: s.start + end,
                sentence: si,
                rule: "area_of_site",
                fact: FacilityFact {
                    location,
                    area_sqft: Some(sqft.round() as i64),
                    kind: kind_of(clause),
                },
            });
        }
    }
    out
}

crate::text::pattern::compile_rules!(AREA, SITE_WORD, IN_PLACE, LIST_IN_PARENS);

impl crate::facts::table::FactTable for FacilityFact {
    const NAME: &'static str = "facilities";

    fn columns() -> Vec<Column<Self>> {
        vec![
            Column::text_or_null("location", |f| f.location.as_deref()),
            Column::int_or_null("area_sqft", |f| f.area_sqft),
            Column::text_or_null("kind", |f| f.kind),
        ]
    }

    fn extract(doc: &DocContext) -> Vec<Located<Self>> {
        extract_facilities(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mentions::lexicon::Lexicon;

    fn facilities(text: &str) -> Vec<FacilityFact> {
        let lexicon = Lexicon::builtin();
        let prepared = crate::extract::Extractor::builtin().prepare(text);
        let ctx = prepared.ctx(&lexicon);
        extract_facilities(&ctx)
            .into_iter()
            .map(|f| f.fact)
            .collect()
    }

    #[test]
    fn seed_style_sites() {
        let got = facilities("We started our U.S. expansion for research and clinical development in a new 22,000 square foot facility in Rockville, Maryland in October 2019.");
        assert_eq!(
            got,
            vec![FacilityFact {
                location: Some("Rockville, Maryland".into()),
                area_sqft: Some(22_000),
                kind: Some("R&D")
            }]
        );
        let got = facilities("We currently have three manufacturing facilities in China (Beijing, Shanghai, and Wuxi) with 47,300 square feet of capacity.");
        assert_eq!(got[0].location.as_deref(), Some("Beijing, Shanghai, Wuxi"));
        assert_eq!(
            (got[0].area_sqft, got[0].kind),
            (Some(47_300), Some("manufacturing"))
        );
        let got = facilities("With the opening of the new Zhangjiang facility in Shanghai's Pharma Valley, we will have a total GMP capacity of 70,000 square feet.");
        assert_eq!(
            (got[0].area_sqft, got[0].kind, got[0].location.as_deref()),
            (Some(70_000), Some("total_capacity"), Some("Shanghai"))
        );
    }

    #[test]
    fn square_metres_are_converted() {
        let got = facilities("The 5,000 square metre GMP plant in Suzhou opened.");
        assert_eq!(
            (got[0].area_sqft, got[0].kind, got[0].location.as_deref()),
            (Some(53_820), Some("GMP"), Some("Suzhou"))
        );
    }

    #[test]
    fn a_size_alone_takes_the_site_named_before() {
        let got = facilities(
            "Acme Robotics opened its new headquarters in Austin, Texas on Monday. \
             The building adds 40,000 sq. ft. of office space.",
        );
        assert_eq!(
            got,
            vec![FacilityFact {
                location: Some("Austin, Texas".into()),
                area_sqft: Some(40_000),
                kind: Some("office")
            }]
        );
        // No site named anywhere: the size stands alone.
        let got = facilities("The building adds 40,000 sq. ft. of office space.");
        assert_eq!(
            (got[0].location.as_deref(), got[0].area_sqft),
            (None, Some(40_000))
        );
    }

    /// Each way of writing the unit is found: the sentences are picked by the unit's words
    /// before the rule searches them.
    #[test]
    fn every_spelling_of_the_unit() {
        let cases = [
            ("The Lyon plant covers 12,000 SF of space.", 12_000),
            ("A 3,000 m2 laboratory in Basel.", 32_292),
            ("A 2,500 m\u{b2} site in Lyon.", 26_910),
            ("A 1,200 sqm office in Paris.", 12_917),
            ("The 9.5 thousand square-foot facility in Ghent.", 9_500),
            ("Its 800 sq m office in Oslo.", 8_611),
        ];
        for (sentence, sqft) in cases {
            let got = facilities(sentence);
            assert_eq!(got.len(), 1, "{sentence}: {got:?}");
            assert_eq!(got[0].area_sqft, Some(sqft), "{sentence}");
        }
    }

    #[test]
    fn areas_without_a_site_are_ignored() {
        assert!(facilities("The wound covered 12 square feet.").is_empty());
    }
}
