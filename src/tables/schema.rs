//! The table contract (`SCHEMA.md`), defined once: names, types and nullability of every column.
//! The Python package mirrors it and a test checks the two agree.

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};

/// The columns every fact table starts with.
fn fact_columns() -> Vec<Field> {
    vec![
        Field::new("doc_id", DataType::Utf8View, false),
        Field::new("doc_date", DataType::Date32, true),
        Field::new("start", DataType::Int64, false),
        Field::new("end", DataType::Int64, false),
        Field::new("evidence", DataType::Utf8View, false),
        Field::new("rule", DataType::Utf8View, false),
    ]
}

fn fact_table(extra: Vec<Field>) -> SchemaRef {
    let mut fields = fact_columns();
    fields.extend(extra);
    Arc::new(Schema::new(fields))
}

pub fn documents() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("doc_id", DataType::Utf8View, false),
        Field::new("path", DataType::Utf8View, false),
        Field::new("format", DataType::Utf8View, false),
        Field::new("encoding", DataType::Utf8View, false),
        Field::new("title", DataType::Utf8View, true),
        Field::new("date", DataType::Date32, true),
        Field::new("dateline", DataType::Utf8View, true),
        Field::new("wire", DataType::Utf8View, true),
        Field::new("company", DataType::Utf8View, true),
        Field::new("exchange", DataType::Utf8View, true),
        Field::new("ticker", DataType::Utf8View, true),
        Field::new("n_chars", DataType::Int64, false),
        Field::new("text", DataType::Utf8View, false),
    ]))
}

pub fn financials() -> SchemaRef {
    fact_table(vec![
        Field::new("metric", DataType::Utf8View, false),
        Field::new("qualifier", DataType::Utf8View, true),
        Field::new("period", DataType::Utf8View, false),
        Field::new("fiscal_label", DataType::Utf8View, true),
        Field::new("period_type", DataType::Utf8View, false),
        Field::new("fiscal_year", DataType::Int64, false),
        Field::new("period_end", DataType::Date32, true),
        Field::new("value", DataType::Float64, false),
        Field::new("currency", DataType::Utf8View, false),
        Field::new("comparative", DataType::Boolean, false),
    ])
}

pub fn trials() -> SchemaRef {
    fact_table(vec![
        Field::new("phase", DataType::Utf8View, false),
        Field::new("product", DataType::Utf8View, true),
        Field::new("target", DataType::Utf8View, true),
        Field::new("modality", DataType::Utf8View, true),
        Field::new("indication", DataType::Utf8View, true),
        Field::new("indication_abbr", DataType::Utf8View, true),
        Field::new("country", DataType::Utf8View, true),
        Field::new("enrollment", DataType::Int64, true),
        Field::new("status", DataType::Utf8View, true),
    ])
}

pub fn events() -> SchemaRef {
    fact_table(vec![
        Field::new("conference", DataType::Utf8View, true),
        Field::new("conference_name", DataType::Utf8View, true),
        Field::new("edition", DataType::Int64, true),
        Field::new("title", DataType::Utf8View, true),
        Field::new("presentation", DataType::Utf8View, true),
        Field::new("product", DataType::Utf8View, true),
        Field::new("event_date", DataType::Date32, true),
        Field::new("venue", DataType::Utf8View, true),
        Field::new("abstract_id", DataType::Utf8View, true),
    ])
}

pub fn facilities() -> SchemaRef {
    fact_table(vec![
        Field::new("location", DataType::Utf8View, true),
        Field::new("area_sqft", DataType::Int64, true),
        Field::new("kind", DataType::Utf8View, true),
    ])
}

pub fn regulatory() -> SchemaRef {
    fact_table(vec![
        Field::new("agency", DataType::Utf8View, false),
        Field::new("action", DataType::Utf8View, false),
        Field::new("product", DataType::Utf8View, true),
        Field::new("phase", DataType::Utf8View, true),
        Field::new("indication", DataType::Utf8View, true),
    ])
}

pub fn partnerships() -> SchemaRef {
    fact_table(vec![
        Field::new("partner", DataType::Utf8View, false),
        Field::new("kind", DataType::Utf8View, false),
    ])
}

pub fn grants() -> SchemaRef {
    fact_table(vec![
        Field::new("funder", DataType::Utf8View, false),
        Field::new("funder_abbr", DataType::Utf8View, true),
        Field::new("amount", DataType::Float64, false),
        Field::new("currency", DataType::Utf8View, false),
        Field::new("purpose", DataType::Utf8View, true),
    ])
}

pub fn contacts() -> SchemaRef {
    fact_table(vec![
        Field::new("name", DataType::Utf8View, true),
        Field::new("title", DataType::Utf8View, true),
        Field::new("organization", DataType::Utf8View, true),
        Field::new("phone", DataType::Utf8View, true),
        Field::new("email", DataType::Utf8View, true),
    ])
}

pub fn quotes() -> SchemaRef {
    fact_table(vec![
        Field::new("speaker", DataType::Utf8View, true),
        Field::new("speaker_title", DataType::Utf8View, true),
        Field::new("text", DataType::Utf8View, false),
    ])
}

pub fn skipped() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("path", DataType::Utf8View, false),
        Field::new("reason", DataType::Utf8View, false),
        Field::new("detail", DataType::Utf8View, true),
    ]))
}

/// Every table's name and schema, in the order `corpus.tables()` returns them.
pub fn all() -> Vec<(&'static str, SchemaRef)> {
    vec![
        ("documents", documents()),
        ("financials", financials()),
        ("trials", trials()),
        ("events", events()),
        ("facilities", facilities()),
        ("regulatory", regulatory()),
        ("partnerships", partnerships()),
        ("grants", grants()),
        ("contacts", contacts()),
        ("quotes", quotes()),
        ("skipped", skipped()),
    ]
}
