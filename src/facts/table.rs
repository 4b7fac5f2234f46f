//! What makes a fact table, and the one list of them.
//!
//! A table is a type of fact that implements [`FactTable`] in its own module: its name, its own
//! columns (each declared once: name, type, nullability, and how its value is read from a fact),
//! and how its rows are found in a document. The
//! [`fact_tables!`] list below is the only other place that names it: from that list come the
//! rows each document keeps ([`FactRows`]), the extraction of every table, the schemas, the
//! Arrow tables and the offset checks.

use super::{DocContext, Located};
use crate::error::Result;
use crate::extract::{DocumentRecord, Row};
use crate::tables::columns::Column;

/// One row of a table being built: the index of its document (whose text buffer its spans
/// view), the document, and the row.
pub type TableRow<'a, T> = (usize, &'a DocumentRecord, &'a Row<T>);

/// One fact table.
pub trait FactTable: Sized + Send + Sync + 'static {
    /// The table's name in Python and `SCHEMA.md`.
    const NAME: &'static str;

    /// The table's own columns, after the ones every fact table starts with: its schema and
    /// its Arrow columns are both made from them.
    fn columns() -> Vec<Column<Self>>;

    /// The rows of one document, in the normalised text's byte offsets.
    fn extract(doc: &DocContext) -> Vec<Located<Self>>;
}

/// Declares the fact tables, in the order the tables of a load come in: each as the field of
/// [`FactRows`] that holds its rows and its fact type.
macro_rules! fact_tables {
    ($($field:ident: $fact:ty),* $(,)?) => {
        /// One document's rows of every fact table.
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct FactRows {
            $(pub $field: Vec<Row<$fact>>,)*
        }

        impl FactRows {
            /// Every table's rows of one document, each mapped by `rows` to table rows.
            pub fn extract(doc: &DocContext, rows: &crate::extract::RowMaker) -> FactRows {
                FactRows {
                    $($field: rows.rows(<$fact as FactTable>::extract(doc)),)*
                }
            }

            /// What is wrong with the offsets of the rows, one line per fault.
            pub fn offset_problems(&self, text: &str, problems: &mut Vec<String>) {
                $(crate::extract::offset_problems_of(
                    <$fact as FactTable>::NAME,
                    text,
                    &self.$field,
                    problems,
                );)*
            }
        }

        /// Every fact table: its name, its schema and how to build it from a corpus.
        pub const FACT_TABLES: &[TableEntry] = &[
            $(TableEntry {
                name: <$fact as FactTable>::NAME,
                field: stringify!($field),
                schema: crate::tables::schema::fact_table::<$fact>,
                build: |corpus, texts| {
                    crate::tables::fact_batch::<$fact>(corpus, texts, |d| &d.facts.$field)
                },
            },)*
        ];
    };
}

/// A fact table as the table stage sees it.
pub struct TableEntry {
    pub name: &'static str,
    /// The field of [`FactRows`] that holds its rows.
    pub field: &'static str,
    pub schema: fn() -> arrow_schema::SchemaRef,
    pub build: fn(
        &crate::extract::Corpus,
        &crate::tables::TextBuffers,
    ) -> Result<arrow_array::RecordBatch>,
}

fact_tables! {
    financials: super::financials::FinancialFact,
    trials: super::trials::TrialFact,
    events: super::events::EventFact,
    facilities: super::facilities::FacilityFact,
    regulatory: super::regulatory::RegulatoryFact,
    partnerships: super::partnerships::PartnershipFact,
    grants: super::grants::GrantFact,
    contacts: super::contacts::ContactFact,
    quotes: super::quotes::QuoteFact,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table's rows are kept under its own name.
    #[test]
    fn each_table_is_kept_under_its_name() {
        for t in FACT_TABLES {
            assert_eq!(t.name, t.field);
        }
        let names: Vec<&str> = FACT_TABLES.iter().map(|t| t.name).collect();
        let mut unique = names.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
    }
}
