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

/// Parts a pattern may name as `{NAME}`, shared with the engine's own rules so each is written
/// once: a month's name in any of its forms, a year, and an ordinal of a quarter.
const PARTS: [(&str, &str); 3] = [
    ("MONTH", crate::mentions::dates::MONTH),
    ("YEAR", crate::mentions::periods::YEAR),
    ("ORDINAL", crate::mentions::periods::ORDINAL),
];

/// `pattern` with each `{NAME}` of [`PARTS`] written out; an unknown name is an error.
fn with_parts(pattern: &str) -> Result<String, String> {
    let mut out = pattern.to_string();
    for (name, part) in PARTS {
        out = out.replace(&format!("{{{name}}}"), part);
    }
    let unknown = out.match_indices('{').find_map(|(i, _)| {
        let name: String = out[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || *c == '_')
            .collect();
        (!name.is_empty() && out[i + 1 + name.len()..].starts_with('}')).then_some(name)
    });
    match unknown {
        Some(name) => Err(format!("no part named {{{name}}}")),
        None => Ok(out),
    }
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
            read_dir_files(std::path::Path::new(&dir)).and_then(|files| Rulebook::parse(&files))
        }
        None => Rulebook::parse(&FILES.map(|(t, text)| (t, text.to_string()))),
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
    fn parse(files: &[(&'static str, String)]) -> Result<Rulebook, String> {
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
                        r.pattern = Some(with_parts(p).map_err(|e| {
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
        let book = Rulebook::parse(&FILES.map(|(t, text)| (t, text.to_string()))).unwrap();
        assert!(book.families.len() >= 9);
        for f in &book.families {
            assert!(!f.rules.is_empty(), "{}.{} has no rule", f.table, f.name);
        }
    }

    #[test]
    fn shared_parts_are_written_out() {
        let p = with_parts(r"ended\s+{MONTH}\s+\d{1,2},\s+{YEAR}").unwrap();
        assert!(p.starts_with(r"ended\s+(?:Jan(?:uary)?"), "{p}");
        assert!(p.ends_with(r"\d{1,2},\s+(?:19|20)\d{2}"), "{p}");
        assert_eq!(
            with_parts("{MONTHS}").unwrap_err(),
            "no part named {MONTHS}"
        );
    }

    #[test]
    fn a_family_needs_a_pattern_or_code_for_each_rule() {
        let bad = "[kind]\nanchor = true\n[[kind.rule]]\nname = \"x\"\n";
        let err = Rulebook::parse(&[("t", bad.to_string())]).err().unwrap();
        assert!(err.contains("pattern or a code place"), "{err}");
        let dup = "[a]\n[[a.rule]]\nname = \"x\"\ncode = \"c\"\n[b]\n[[b.rule]]\nname = \"x\"\ncode = \"c\"\n";
        let err = Rulebook::parse(&[("t", dup.to_string())]).err().unwrap();
        assert!(err.contains("used in a too"), "{err}");
        let err = Rulebook::parse(&[("t", String::new())]).err().unwrap();
        assert!(err.contains("no family"), "{err}");
        let unknown = "[a]\n[[a.rule]]\nname = \"x\"\ncode = \"c\"\nexample = []\n";
        assert!(Rulebook::parse(&[("t", unknown.to_string())]).is_err());
    }
}
