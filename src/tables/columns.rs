//! Arrow columns built from row values: each builder starts at its column's length, and
//! strings are `Utf8View`, which polars takes without converting.

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringViewBuilder,
};
use arrow_array::ArrayRef;
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

/// A fact table's own columns, each built by name from a value of the row's fact:
/// `OwnColumns::new(rows).text("product", |f| f.product.as_deref()).int(...)`.
pub struct OwnColumns<'r, 'a, T> {
    rows: &'r [TableRow<'a, T>],
    columns: Vec<(&'static str, ArrayRef)>,
}

impl<'r, 'a, T> OwnColumns<'r, 'a, T> {
    pub fn new(rows: &'r [TableRow<'a, T>]) -> Self {
        OwnColumns {
            rows,
            columns: Vec::new(),
        }
    }

    fn facts(&self) -> impl Iterator<Item = &'a T> + 'r {
        self.rows.iter().map(|(_, _, r)| &r.fact)
    }

    pub fn text(mut self, name: &'static str, value: impl Fn(&'a T) -> Option<&'a str>) -> Self {
        let array = strings(self.facts().map(value));
        self.columns.push((name, array));
        self
    }

    /// A text column whose values are written into a buffer (a period's label).
    pub fn written(mut self, name: &'static str, write: impl Fn(&'a T, &mut String)) -> Self {
        let array = written_strings(self.rows, |(_, _, r), out| write(&r.fact, out));
        self.columns.push((name, array));
        self
    }

    pub fn int(mut self, name: &'static str, value: impl Fn(&'a T) -> Option<i64>) -> Self {
        let array = ints(self.facts().map(value));
        self.columns.push((name, array));
        self
    }

    pub fn float(mut self, name: &'static str, value: impl Fn(&'a T) -> f64) -> Self {
        let array = floats(self.facts().map(value));
        self.columns.push((name, array));
        self
    }

    pub fn date(mut self, name: &'static str, value: impl Fn(&'a T) -> Option<NaiveDate>) -> Self {
        let array = dates(self.facts().map(value));
        self.columns.push((name, array));
        self
    }

    pub fn boolean(mut self, name: &'static str, value: impl Fn(&'a T) -> bool) -> Self {
        let array = bools(self.facts().map(value));
        self.columns.push((name, array));
        self
    }

    /// A column built some other way (spans of the text).
    pub fn column(mut self, name: &'static str, array: ArrayRef) -> Self {
        self.columns.push((name, array));
        self
    }

    pub fn finish(self) -> Vec<(&'static str, ArrayRef)> {
        self.columns
    }
}
