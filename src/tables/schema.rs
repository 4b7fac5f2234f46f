//! The table contract (`SCHEMA.md`): names, types and nullability of every column. The columns
//! of `documents` and `skipped` and those every fact table starts with are here; a fact table's
//! own columns are its module's [`FactTable::columns`]. Python reads the schemas from here
//! (`_core.schemas()`).

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};

use crate::facts::table::{FactTable, FACT_TABLES};

/// The columns every fact table starts with.
fn fact_columns() -> Vec<Field> {
    vec![
        Field::new("doc_id", DataType::Utf8View, false),
        Field::new("doc_date", DataType::Date32, true),
        Field::new("start", DataType::Int64, false),
        Field::new("end", DataType::Int64, false),
        Field::new("evidence", DataType::Utf8View, false),
        Field::new("company", DataType::Utf8View, true),
        Field::new("ticker", DataType::Utf8View, true),
        Field::new("section", DataType::Utf8View, false),
        Field::new("rule", DataType::Utf8View, false),
    ]
}

/// The schema of fact table `T`: the shared columns, then its own.
pub fn fact_table<T: FactTable>() -> SchemaRef {
    let mut fields = fact_columns();
    fields.extend(T::columns().iter().map(|c| c.field()));
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
        Field::new("date_source", DataType::Utf8View, true),
        Field::new("kind", DataType::Utf8View, false),
        Field::new("dateline", DataType::Utf8View, true),
        Field::new("wire", DataType::Utf8View, true),
        Field::new("company", DataType::Utf8View, true),
        Field::new("exchange", DataType::Utf8View, true),
        Field::new("ticker", DataType::Utf8View, true),
        Field::new("n_chars", DataType::Int64, false),
        Field::new("text", DataType::Utf8View, false),
    ]))
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
    std::iter::once(("documents", documents()))
        .chain(FACT_TABLES.iter().map(|t| (t.name, (t.schema)())))
        .chain(std::iter::once(("skipped", skipped())))
        .collect()
}
