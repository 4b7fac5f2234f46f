//! Arrow columns built from row values: each builder starts at its column's length, and
//! strings are `Utf8View`, which polars takes without converting.

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringViewBuilder,
};
use arrow_array::ArrayRef;
use arrow_schema::{DataType, Field};
use chrono::NaiveDate;

use crate::facts::table::TableRow;

fn days(d: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
    (d - epoch).num_days() as i32
}

// Each column builder starts at its column's length: growing one by doubling copied it over
// and over (tables of tens of thousands of rows).
pub fn strings<'a>(values: impl Iterator<Item = Option<&'a str>>) -> ArrayRef {
    let mut b = StringViewBuilder::with_capacity(values.size_hint().0);
    for v in values {
        b.append_option(v);
    }
    Arc::new(b.finish())
}

pub fn ints(values: impl Iterator<Item = Option<i64>>) -> ArrayRef {
    let mut b = Int64Builder::with_capacity(values.size_hint().0);
    for v in values {
        b.append_option(v);
    }
    Arc::new(b.finish())
}

pub fn floats(values: impl Iterator<Item = f64>) -> ArrayRef {
    let mut b = Float64Builder::with_capacity(values.size_hint().0);
    for v in values {
        b.append_value(v);
    }
    Arc::new(b.finish())
}

pub fn dates(values: impl Iterator<Item = Option<NaiveDate>>) -> ArrayRef {
    let mut b = Date32Builder::with_capacity(values.size_hint().0);
    for v in values {
        b.append_option(v.map(days));
    }
    Arc::new(b.finish())
}

pub fn bools(values: impl Iterator<Item = bool>) -> ArrayRef {
    let mut b = BooleanBuilder::with_capacity(values.size_hint().0);
    for v in values {
        b.append_value(v);
    }
    Arc::new(b.finish())
}

/// A string column of values written row by row through one buffer (a period's label), rather
/// than each allocated on its own.
pub fn written_strings<R>(rows: &[R], write: impl Fn(&R, &mut String)) -> ArrayRef {
    let mut b = StringViewBuilder::with_capacity(rows.len());
    let mut value = String::new();
    for r in rows {
        value.clear();
        write(r, &mut value);
        b.append_value(&value);
    }
    Arc::new(b.finish())
}

/// How a column's value is read from a row's fact.
pub enum Value<T> {
    Text(for<'x> fn(&'x T) -> Option<&'x str>),
    /// Text written into a buffer (a period's label).
    Written(fn(&T, &mut String)),
    Int(fn(&T) -> Option<i64>),
    Float(fn(&T) -> f64),
    Date(fn(&T) -> Option<NaiveDate>),
    Bool(fn(&T) -> bool),
    /// The row's own span of the original text, as written.
    Span,
}

/// One column of a fact table's own: its name, whether it may be null, and its value. The
/// table's schema and its Arrow columns are both made from this one declaration.
pub struct Column<T> {
    pub name: &'static str,
    pub nullable: bool,
    pub value: Value<T>,
}

impl<T> Column<T> {
    fn new(name: &'static str, value: Value<T>) -> Column<T> {
        Column {
            name,
            nullable: false,
            value,
        }
    }

    pub fn text(name: &'static str, value: for<'x> fn(&'x T) -> Option<&'x str>) -> Column<T> {
        Column::new(name, Value::Text(value))
    }

    pub fn written(name: &'static str, write: fn(&T, &mut String)) -> Column<T> {
        Column::new(name, Value::Written(write))
    }

    pub fn int(name: &'static str, value: fn(&T) -> Option<i64>) -> Column<T> {
        Column::new(name, Value::Int(value))
    }

    pub fn float(name: &'static str, value: fn(&T) -> f64) -> Column<T> {
        Column::new(name, Value::Float(value))
    }

    pub fn date(name: &'static str, value: fn(&T) -> Option<NaiveDate>) -> Column<T> {
        Column::new(name, Value::Date(value))
    }

    pub fn boolean(name: &'static str, value: fn(&T) -> bool) -> Column<T> {
        Column::new(name, Value::Bool(value))
    }

    pub fn span(name: &'static str) -> Column<T> {
        Column::new(name, Value::Span)
    }

    /// A text column that may hold nulls; in the others a null is an error.
    pub fn text_or_null(
        name: &'static str,
        value: for<'x> fn(&'x T) -> Option<&'x str>,
    ) -> Column<T> {
        Column::text(name, value).nullable()
    }

    pub fn int_or_null(name: &'static str, value: fn(&T) -> Option<i64>) -> Column<T> {
        Column::int(name, value).nullable()
    }

    pub fn date_or_null(name: &'static str, value: fn(&T) -> Option<NaiveDate>) -> Column<T> {
        Column::date(name, value).nullable()
    }

    fn nullable(mut self) -> Column<T> {
        self.nullable = true;
        self
    }

    /// The column's field in the table's schema.
    pub fn field(&self) -> Field {
        let data_type = match self.value {
            Value::Text(_) | Value::Written(_) | Value::Span => DataType::Utf8View,
            Value::Int(_) => DataType::Int64,
            Value::Float(_) => DataType::Float64,
            Value::Date(_) => DataType::Date32,
            Value::Bool(_) => DataType::Boolean,
        };
        Field::new(self.name, data_type, self.nullable)
    }

    /// The column of `rows`; `spans` makes a column of the rows' spans of their texts.
    pub fn build(
        &self,
        rows: &[TableRow<'_, T>],
        spans: impl FnOnce(&[TableRow<'_, T>]) -> crate::error::Result<ArrayRef>,
    ) -> crate::error::Result<ArrayRef> {
        let facts = || rows.iter().map(|(_, _, r)| &r.fact);
        Ok(match self.value {
            Value::Text(value) => strings(facts().map(value)),
            Value::Written(write) => written_strings(rows, |(_, _, r), out| write(&r.fact, out)),
            Value::Int(value) => ints(facts().map(value)),
            Value::Float(value) => floats(facts().map(value)),
            Value::Date(value) => dates(facts().map(value)),
            Value::Bool(value) => bools(facts().map(value)),
            Value::Span => spans(rows)?,
        })
    }
}
