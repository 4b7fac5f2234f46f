//! Runs every rule's examples (`rules/<table>.toml`) through the whole engine, gates included,
//! and says which fail: what `python -m cbmg rules --check` and `cargo test` report.
//!
//! An example passes when the table holds a row with every value its `row` names, with the
//! value its rule produces in the family's column, and, for a rule that makes rows, with the
//! rule's name in `rule`. A reject passes when no row of the table holds what the rule would
//! give: its value (or, for a rule that makes rows, its name).

use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, RecordBatch,
    StringViewArray,
};
use chrono::NaiveDate;

use crate::extract::{Corpus, Extractor};
use crate::loading::{Format, RawDocument};
use crate::rulebook::{rulebook, Family, RuleRecord};

/// One rule's entry in the listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSummary {
    pub table: &'static str,
    pub family: &'static str,
    pub name: &'static str,
    /// `pattern` or the code place that reads it.
    pub kind: &'static str,
    pub examples: usize,
    pub rejects: usize,
}

/// Every rule of every table, in file order.
pub fn list() -> Vec<RuleSummary> {
    rulebook()
        .families
        .iter()
        .flat_map(|f| {
            f.rules.iter().map(move |r| RuleSummary {
                table: f.table,
                family: f.name.as_str(),
                name: r.name.as_str(),
                kind: if r.pattern.is_some() {
                    "pattern"
                } else {
                    "code"
                },
                examples: r.examples.len(),
                rejects: r.rejects.len(),
            })
        })
        .collect()
}

/// An example or reject that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub table: &'static str,
    pub rule: &'static str,
    pub text: String,
    pub problem: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}.{}: {}\n    text: {}",
            self.table, self.rule, self.problem, self.text
        )
    }
}

/// Runs every example and reject of every rule; the failures, none when all hold.
pub fn check() -> Vec<Failure> {
    let extractor = Extractor::builtin();
    let mut failures = Vec::new();
    for family in &rulebook().families {
        for rule in &family.rules {
            failures.extend(check_rule(&extractor, family, rule));
        }
    }
    failures
}

fn check_rule(
    extractor: &Extractor,
    family: &'static Family,
    rule: &'static RuleRecord,
) -> Vec<Failure> {
    let mut failures = Vec::new();
    let fail = |text: &str, problem: String| Failure {
        table: family.table,
        rule: rule.name.as_str(),
        text: text.to_string(),
        problem,
    };
    if rule.examples.is_empty() {
        failures.push(fail("", "no example".to_string()));
    }
    // What every row of this rule holds.
    let mut signature: Vec<(String, String)> = Vec::new();
    if let (Some(column), Some(value)) = (&family.fills, &rule.produces) {
        signature.push((column.clone(), value.clone()));
    }
    if family.anchor {
        signature.push(("rule".to_string(), rule.name.clone()));
    }
    for ex in &rule.examples {
        let Some(batch) = table_of(extractor, &ex.text, family.table) else {
            failures.push(fail(&ex.text, format!("no table {}", family.table)));
            continue;
        };
        // Every name the `rule` column gives is a record of the table: code that names a rule
        // the file lacks fails here.
        for i in 0..batch.num_rows() {
            let name = cell(&batch, "rule", i).unwrap_or_default();
            if crate::rulebook::record(family.table, &name).is_none() {
                let problem = format!(
                    "a row names rule {name:?}, which rules/{}.toml lacks",
                    family.table
                );
                failures.push(fail(&ex.text, problem));
            }
        }
        let mut want = signature.clone();
        for (column, value) in &ex.row {
            if batch.schema().index_of(column).is_err() {
                failures.push(fail(&ex.text, format!("no column {column}")));
                continue;
            }
            want.retain(|(c, _)| c != column);
            want.push((column.clone(), expected(value)));
        }
        if family.fills.is_some() && rule.produces.is_none() {
            // The value is read from the match: the example must say which.
            let column = family.fills.as_deref().unwrap_or_default();
            if !ex.row.contains_key(column) {
                failures.push(fail(
                    &ex.text,
                    format!("the example's row must give {column}"),
                ));
            }
        }
        let rows: Vec<Vec<(String, String)>> = (0..batch.num_rows())
            .map(|i| {
                want.iter()
                    .map(|(c, _)| {
                        (
                            c.clone(),
                            cell(&batch, c, i).unwrap_or_else(|| "null".into()),
                        )
                    })
                    .collect()
            })
            .collect();
        if !rows.iter().any(|got| got == &want) {
            failures.push(fail(
                &ex.text,
                format!("no row with {} (rows: {})", show(&want), show_rows(&rows)),
            ));
        }
    }
    for text in &rule.rejects {
        let Some(batch) = table_of(extractor, text, family.table) else {
            continue;
        };
        let hits = (0..batch.num_rows()).any(|i| {
            if signature.is_empty() {
                // A rule whose value is read from the match: any value in its column.
                let column = family.fills.as_deref().unwrap_or("rule");
                cell(&batch, column, i).is_some()
            } else {
                signature
                    .iter()
                    .all(|(c, v)| cell(&batch, c, i).as_deref() == Some(v.as_str()))
            }
        });
        if hits {
            failures.push(fail(
                text,
                format!("a row with {} where none should be", show(&signature)),
            ));
        }
    }
    failures
}

/// The table `table` of a load of `text` as one document.
fn table_of(extractor: &Extractor, text: &str, table: &str) -> Option<RecordBatch> {
    let raw = RawDocument {
        doc_id: "example".to_string(),
        path: "example.txt".to_string(),
        format: Format::Text,
        encoding: "utf-8",
        text: text.to_string(),
        headline: None,
    };
    let corpus = Corpus {
        documents: vec![extractor.extract_document(raw)],
        skipped: Vec::new(),
    };
    crate::tables::build(corpus).ok()?.get(table).cloned()
}

/// An expected value as the cells are written: whole numbers without a decimal point.
fn expected(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => number(*f),
        toml::Value::Boolean(b) => b.to_string(),
        other => format!("{other:?}"),
    }
}

fn number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Row `i` of `column`, written as text; `None` for a null or a column the table lacks.
fn cell(batch: &RecordBatch, column: &str, i: usize) -> Option<String> {
    let array: &ArrayRef = batch.column_by_name(column)?;
    if array.is_null(i) {
        return None;
    }
    let any = array.as_any();
    if let Some(a) = any.downcast_ref::<StringViewArray>() {
        return Some(a.value(i).to_string());
    }
    if let Some(a) = any.downcast_ref::<Int64Array>() {
        return Some(a.value(i).to_string());
    }
    if let Some(a) = any.downcast_ref::<Float64Array>() {
        return Some(number(a.value(i)));
    }
    if let Some(a) = any.downcast_ref::<BooleanArray>() {
        return Some(a.value(i).to_string());
    }
    if let Some(a) = any.downcast_ref::<Date32Array>() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
        let day = epoch.checked_add_signed(chrono::Duration::days(a.value(i).into()))?;
        return Some(day.to_string());
    }
    None
}

fn show(pairs: &[(String, String)]) -> String {
    let parts: Vec<String> = pairs.iter().map(|(c, v)| format!("{c}={v}")).collect();
    format!("{{{}}}", parts.join(", "))
}

fn show_rows(rows: &[Vec<(String, String)>]) -> String {
    if rows.is_empty() {
        return "none".to_string();
    }
    rows.iter().map(|r| show(r)).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every example and reject of every rule holds, through the whole engine: a rule whose
    /// examples a gate turns away fails here, in the repository alone.
    #[test]
    fn every_rule_example_holds() {
        let failures = check();
        let report: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
        assert!(
            failures.is_empty(),
            "{} failing:\n{}",
            failures.len(),
            report.join("\n")
        );
    }

    #[test]
    fn every_rule_has_three_examples_and_four_hundred_in_all() {
        let rules = list();
        let thin: Vec<String> = rules
            .iter()
            .filter(|r| r.examples < 3)
            .map(|r| format!("{}.{} ({})", r.table, r.name, r.examples))
            .collect();
        assert!(
            thin.is_empty(),
            "rules with fewer than 3 examples: {thin:?}"
        );
        let total: usize = rules.iter().map(|r| r.examples + r.rejects).sum();
        assert!(total >= 400, "{total} examples and rejects in all");
    }

    #[test]
    fn cells_read_as_the_examples_write_them() {
        assert_eq!(number(15_900_000.0), "15900000");
        assert_eq!(number(0.42), "0.42");
        assert_eq!(expected(&toml::Value::Integer(120)), "120");
        assert_eq!(expected(&toml::Value::Float(8.2e6)), "8200000");
        assert_eq!(expected(&toml::Value::Boolean(false)), "false");
    }
}
