//! The rule records of `rules/<table>.toml`: every named phrasing a fact table reads, with the
//! sentences it must and must not match.
//!
//! A table's file holds families of rules. A family is one slot of the table's extraction (the
//! trials table's `status`, the regulatory table's `action`): the table's code asks for the
//! family by name and uses its records in file order, most specific first. A record is a name
//! that reads like the phrase shape, a pattern (or, for a shape read by code, none), what it
//! produces, and its examples. Adding a record to a family is all it takes to add a phrasing:
//! the gate words that let a sentence reach the family are read off the records' patterns
//! ([`crate::text::required_words`]), and `tests/rule_examples.rs` runs every example through
//! the whole engine.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

/// Each table's rule file, by table name.
const FILES: [(&str, &str); 9] = [
    ("financials", include_str!("../rules/financials.toml")),
    ("trials", include_str!("../rules/trials.toml")),
    ("events", include_str!("../rules/events.toml")),
    ("facilities", include_str!("../rules/facilities.toml")),
    ("regulatory", include_str!("../rules/regulatory.toml")),
    ("partnerships", include_str!("../rules/partnerships.toml")),
    ("grants", include_str!("../rules/grants.toml")),
    ("contacts", include_str!("../rules/contacts.toml")),
    ("quotes", include_str!("../rules/quotes.toml")),
];

/// Phrasings more than one table reads (`rules/vocabulary.toml`), which a pattern names as
/// `{NAME}`.
const VOCABULARY: &str = include_str!("../rules/vocabulary.toml");

/// Parts a pattern may name as `{NAME}`, shared with the engine's own rules so each is written
/// once: a month's name in any of its forms, a year, and an ordinal of a quarter.
const ENGINE_PARTS: [(&str, &str); 3] = [
    ("MONTH", crate::mentions::dates::MONTH),
    ("YEAR", crate::mentions::periods::YEAR),
    ("ORDINAL", crate::mentions::periods::ORDINAL),
];

/// One phrasing of `rules/vocabulary.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyPart {
    pattern: String,
    /// What the phrasing means; for readers of the file.
    #[allow(dead_code)]
    note: Option<String>,
}

/// Every part a pattern may name: the engine's and the vocabulary's.
struct Parts(BTreeMap<String, String>);

impl Parts {
    fn new(vocabulary: &str) -> Result<Parts, String> {
        let parsed: BTreeMap<String, VocabularyPart> =
            toml::from_str(vocabulary).map_err(|e| format!("rules/vocabulary.toml: {e}"))?;
        let mut parts: BTreeMap<String, String> = ENGINE_PARTS
            .iter()
            .map(|(n, p)| (n.to_string(), p.to_string()))
            .collect();
        for (name, part) in parsed {
            if parts.contains_key(&name) {
                return Err(format!(
                    "rules/vocabulary.toml: {name} is a part of the engine"
                ));
            }
            parts.insert(name, format!("(?:{})", part.pattern));
        }
        Ok(Parts(parts))
    }

    /// `pattern` with each `{NAME}` written out, parts inside parts too; an unknown name, or a
    /// part that names itself, is an error.
    fn write_out(&self, pattern: &str) -> Result<String, String> {
        let mut out = pattern.to_string();
        // One part is written out per round: more rounds than parts means one names itself.
        for _ in 0..=self.0.len() * 8 {
            let Some((at, name)) = first_part_name(&out) else {
                return Ok(out);
            };
            let part = self
                .0
                .get(&name)
                .ok_or_else(|| format!("no part named {{{name}}}"))?;
            out.replace_range(at..at + name.len() + 2, part);
        }
        Err(format!("a part names itself in {pattern}"))
    }
}

/// Where the first `{NAME}` (capitals and '_') of `pattern` is, and the name. Counted
/// repetitions (`{0,6}`) are not names.
fn first_part_name(pattern: &str) -> Option<(usize, String)> {
    pattern.match_indices('{').find_map(|(i, _)| {
        let name: String = pattern[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || *c == '_')
            .collect();
        (!name.is_empty() && pattern[i + 1 + name.len()..].starts_with('}')).then_some((i, name))
    })
}

/// A sentence (or a short release) a rule must fire on, and what the row it gives must hold.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    /// Column name to value; columns not named are not checked. `"null"` expects a null.
    #[serde(default)]
    pub row: BTreeMap<String, toml::Value>,
}

/// One named phrasing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleRecord {
    pub name: String,
    /// What a match gives the family's column (`terminated` for a status rule); none when the
    /// value is read from the match itself (an enrolment's number).
    pub produces: Option<String>,
    /// The regex, in the engine's dialect (`(?x)` comments welcome): `\w` is an ASCII word
    /// character or any non-ASCII one, `\d` an ASCII digit, `\b` an ASCII word boundary.
    pub pattern: Option<String>,
    /// For a shape read by code rather than a pattern: where that code is.
    pub code: Option<String>,
    /// What the rule is for, when its name does not say it all.
    pub note: Option<String>,
    #[serde(default)]
    pub examples: Vec<Example>,
    /// Texts it must not give a row on.
    #[serde(default)]
    pub rejects: Vec<String>,
}

/// A family of rules that fill one column of one table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    #[serde(skip)]
    pub table: &'static str,
    #[serde(skip)]
    pub name: String,
    /// The column a record's `produces` fills; none when the family only finds rows.
    pub fills: Option<String>,
    /// Whether a record of this family is what makes a row: its name is then the row's `rule`.
    #[serde(default)]
    pub anchor: bool,
    pub note: Option<String>,
    #[serde(rename = "rule")]
    pub rules: Vec<RuleRecord>,
}

impl Family {
    /// The records' names, in file order.
    pub fn names(&'static self) -> Vec<&'static str> {
        self.rules.iter().map(|r| r.name.as_str()).collect()
    }

    /// The records' patterns, in file order; a record without one fails the build of the
    /// family's rules, which the rulebook's own test runs.
    pub fn patterns(&'static self) -> Vec<&'static str> {
        self.rules
            .iter()
            .map(|r| {
                r.pattern.as_deref().unwrap_or_else(|| {
                    panic!(
                        "{}.{}: rule {} has no pattern",
                        self.table, self.name, r.name
                    )
                })
            })
            .collect()
    }

    /// What each record produces, in file order (its name when it says nothing).
    pub fn produced(&'static self) -> Vec<&'static str> {
        self.rules
            .iter()
            .map(|r| r.produces.as_deref().unwrap_or(r.name.as_str()))
            .collect()
    }
}

/// Every table's families, tables in [`FILES`]' order and families by name.
pub struct Rulebook {
    pub families: Vec<Family>,
}

/// Set to a folder of `<table>.toml` files, the rules are read from there instead of the ones
/// built in: a rule author checks an edited file without rebuilding (`CONTRIBUTING.md`).
pub const RULES_DIR_VARIABLE: &str = "CBMG_RULES_DIR";

static RULEBOOK: LazyLock<Rulebook> = LazyLock::new(|| {
    let parsed = match std::env::var_os(RULES_DIR_VARIABLE) {
        Some(dir) => {
            let dir = std::path::Path::new(&dir);
            read_dir_files(dir).and_then(|files| {
                // A folder without its own vocabulary uses the built-in one.
                let vocabulary = std::fs::read_to_string(dir.join("vocabulary.toml"))
                    .unwrap_or_else(|_| VOCABULARY.to_string());
                Rulebook::parse(&files, &vocabulary)
            })
        }
        None => Rulebook::parse(&FILES.map(|(t, text)| (t, text.to_string())), VOCABULARY),
    };
    match parsed {
        Ok(book) => book,
        // The built-in files are part of the build and `rulebook_files_parse` fails first on
        // a bad one; a folder of the author's own says what is wrong with it.
        Err(message) => panic!("{message}"),
    }
});

/// The rule files of each table from `dir`.
fn read_dir_files(dir: &std::path::Path) -> Result<Vec<(&'static str, String)>, String> {
    FILES
        .iter()
        .map(|(table, _)| {
            let path = dir.join(format!("{table}.toml"));
            std::fs::read_to_string(&path)
                .map(|text| (*table, text))
                .map_err(|e| format!("{}: {e}", path.display()))
        })
        .collect()
}

impl Rulebook {
    fn parse(files: &[(&'static str, String)], vocabulary: &str) -> Result<Rulebook, String> {
        let parts = Parts::new(vocabulary)?;
        let mut families = Vec::new();
        for (table, text) in files {
            let table: &'static str = table;
            let parsed: BTreeMap<String, Family> =
                toml::from_str(text).map_err(|e| format!("rules/{table}.toml: {e}"))?;
            for (name, mut family) in parsed {
                family.table = table;
                family.name = name;
                for r in &mut family.rules {
                    if let Some(p) = &r.pattern {
                        r.pattern = Some(parts.write_out(p).map_err(|e| {
                            format!("rules/{table}.toml, {}.{}: {e}", family.name, r.name)
                        })?);
                    }
                }
                families.push(family);
            }
        }
        let book = Rulebook { families };
        book.check(&files.iter().map(|(t, _)| *t).collect::<Vec<_>>())?;
        Ok(book)
    }

    /// Names unique within a table, a pattern or a place in code for each record, and a value
    /// for each record of a family that fills a column.
    fn check(&self, tables: &[&str]) -> Result<(), String> {
        if let Some(empty) = tables
            .iter()
            .find(|t| !self.families.iter().any(|f| f.table == **t))
        {
            return Err(format!("rules/{empty}.toml has no family of rules"));
        }
        let mut seen: BTreeMap<(&str, &str), &str> = BTreeMap::new();
        for f in &self.families {
            for r in &f.rules {
                let at = format!("rules/{}.toml, {}.{}", f.table, f.name, r.name);
                if let Some(other) = seen.insert((f.table, r.name.as_str()), f.name.as_str()) {
                    return Err(format!("{at}: the name is used in {other} too"));
                }
                if r.pattern.is_some() == r.code.is_some() {
                    return Err(format!("{at}: give a pattern or a code place, not both"));
                }
                let ok_name = !r.name.is_empty()
                    && r.name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                if !ok_name {
                    return Err(format!("{at}: a name is lower case, digits and '_'"));
                }
            }
        }
        Ok(())
    }
}

/// The whole rulebook.
pub fn rulebook() -> &'static Rulebook {
    &RULEBOOK
}

/// The family `name` of `table`. Asking for one the files lack is a mistake in the engine's
/// code, which every test run finds (all rules are built up front).
pub fn family(table: &str, name: &str) -> &'static Family {
    RULEBOOK
        .families
        .iter()
        .find(|f| f.table == table && f.name == name)
        .unwrap_or_else(|| panic!("rules/{table}.toml has no family {name}"))
}

/// The record `name` of `table`, in whichever family it is.
pub fn record(table: &str, name: &str) -> Option<(&'static Family, &'static RuleRecord)> {
    RULEBOOK
        .families
        .iter()
        .filter(|f| f.table == table)
        .find_map(|f| f.rules.iter().find(|r| r.name == name).map(|r| (f, r)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rulebook_files_parse() {
        let book =
            Rulebook::parse(&FILES.map(|(t, text)| (t, text.to_string())), VOCABULARY).unwrap();
        assert!(book.families.len() >= 9);
        for f in &book.families {
            assert!(!f.rules.is_empty(), "{}.{} has no rule", f.table, f.name);
        }
    }

    #[test]
    fn shared_parts_are_written_out() {
        let parts = Parts::new(VOCABULARY).unwrap();
        let with_parts = |p| parts.write_out(p);
        let p = with_parts(r"ended\s+{MONTH}\s+\d{1,2},\s+{YEAR}").unwrap();
        assert!(p.starts_with(r"ended\s+(?:Jan(?:uary)?"), "{p}");
        assert!(p.ends_with(r"\d{1,2},\s+(?:19|20)\d{2}"), "{p}");
        assert_eq!(
            with_parts("{MONTHS}").unwrap_err(),
            "no part named {MONTHS}"
        );
    }

    #[test]
    fn vocabulary_parts_are_written_out_inside_each_other() {
        let vocabulary =
            "[A]\npattern = 'x{B}'\n[B]\npattern = 'y{0,2}'\n[LOOP]\npattern = '{LOOP}'\n";
        let parts = Parts::new(vocabulary).unwrap();
        assert_eq!(parts.write_out("{A}z").unwrap(), "(?:x(?:y{0,2}))z");
        assert!(parts
            .write_out("{LOOP}")
            .unwrap_err()
            .contains("names itself"));
        let clash = Parts::new("[MONTH]\npattern = 'x'\n").err().unwrap();
        assert!(clash.contains("a part of the engine"), "{clash}");
    }

    /// Each IND step of the vocabulary is a record of the same name, reading the vocabulary's
    /// phrase and giving its name, in every table that reads IND steps.
    #[test]
    fn tables_that_read_ind_steps_name_them_alike() {
        let parsed: BTreeMap<String, VocabularyPart> = toml::from_str(VOCABULARY).unwrap();
        let steps: Vec<String> = parsed
            .keys()
            .filter(|k| k.starts_with("IND_") && *k != "IND_DOCUMENT")
            .map(|k| k.to_lowercase())
            .collect();
        assert_eq!(steps, ["ind_accepted", "ind_approved", "ind_cleared"]);
        for (table, family) in [("trials", "status"), ("regulatory", "action")] {
            let file = FILES.iter().find(|(t, _)| *t == table).unwrap().1;
            let raw: BTreeMap<String, Family> = toml::from_str(file).unwrap();
            for step in &steps {
                let record = raw[family].rules.iter().find(|r| &r.name == step);
                let record = record.unwrap_or_else(|| panic!("{table}.{family} lacks {step}"));
                let part = format!("{{{}}}", step.to_uppercase());
                assert_eq!(
                    record.pattern.as_deref(),
                    Some(part.as_str()),
                    "{table}.{step}"
                );
                assert_eq!(record.produces.as_deref(), Some(step.as_str()));
            }
        }
    }

    /// The values a table's column takes are its records' `produces`, written nowhere else in
    /// the engine; the README's table of that column lists every one.
    #[test]
    fn the_readme_lists_every_value_a_rule_produces() {
        let readme = include_str!("../README.md");
        for f in &rulebook().families {
            let Some(column) = f.fills.as_deref() else {
                continue;
            };
            let row = readme
                .lines()
                .filter(|l| l.starts_with(&format!("| {column} |")))
                .find(|l| {
                    f.produced()
                        .first()
                        .is_some_and(|v| l.contains(&format!("`{v}`")))
                });
            let Some(row) = row else {
                // A column whose values are read from the text (an enrolment's number).
                assert!(
                    f.rules.iter().all(|r| r.produces.is_none()),
                    "{}.{}",
                    f.table,
                    column
                );
                continue;
            };
            for value in f.produced() {
                assert!(
                    row.contains(&format!("`{value}`")),
                    "README's {}.{column} lacks `{value}`",
                    f.table
                );
            }
        }
    }

    #[test]
    fn a_family_needs_a_pattern_or_code_for_each_rule() {
        let bad = "[kind]\nanchor = true\n[[kind.rule]]\nname = \"x\"\n";
        let err = Rulebook::parse(&[("t", bad.to_string())], VOCABULARY)
            .err()
            .unwrap();
        assert!(err.contains("pattern or a code place"), "{err}");
        let dup = "[a]\n[[a.rule]]\nname = \"x\"\ncode = \"c\"\n[b]\n[[b.rule]]\nname = \"x\"\ncode = \"c\"\n";
        let err = Rulebook::parse(&[("t", dup.to_string())], VOCABULARY)
            .err()
            .unwrap();
        assert!(err.contains("used in a too"), "{err}");
        let err = Rulebook::parse(&[("t", String::new())], VOCABULARY)
            .err()
            .unwrap();
        assert!(err.contains("no family"), "{err}");
        let unknown = "[a]\n[[a.rule]]\nname = \"x\"\ncode = \"c\"\nexample = []\n";
        assert!(Rulebook::parse(&[("t", unknown.to_string())], VOCABULARY).is_err());
    }
}
