//! Stage 5: tables. Arrow record batches built straight from the extracted rows, strings as
//! `Utf8View` so polars takes them without converting.

pub mod columns;
pub mod parquet;
pub mod schema;

use std::sync::Arc;

use arrow_array::builder::StringViewBuilder;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_buffer::Buffer;
use arrow_schema::SchemaRef;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::extract::{Corpus, DocumentRecord, Row};
use crate::facts::table::{FactTable, TableEntry, TableRow, FACT_TABLES};
use columns::{dates, ints, strings};

/// Every table of a load, in the order of [`schema::all`].
#[derive(Debug, Clone)]
pub struct Tables {
    pub tables: Vec<(&'static str, RecordBatch)>,
}

impl Tables {
    pub fn get(&self, name: &str) -> Option<&RecordBatch> {
        self.tables.iter().find(|(n, _)| *n == name).map(|(_, b)| b)
    }
}

fn batch(name: &'static str, schema: SchemaRef, columns: Vec<ArrayRef>) -> Result<RecordBatch> {
    RecordBatch::try_new(schema, columns).map_err(|e| Error::Arrow {
        table: name,
        message: e.to_string(),
    })
}

/// The documents' texts as Arrow buffers, each holding the bytes of a `String`: every one is
/// UTF-8, so a span of one is UTF-8 exactly when both its ends fall between two characters.
pub struct TextBuffers(Vec<Buffer>);

impl TextBuffers {
    /// Takes each document's text into a buffer, without copying it.
    fn take_from(corpus: &mut Corpus) -> TextBuffers {
        TextBuffers(
            corpus
                .documents
                .iter_mut()
                .map(|d| Buffer::from_vec(std::mem::take(&mut d.raw.text).into_bytes()))
                .collect(),
        )
    }

    /// Whether `span` of text `doc` is UTF-8, as arrow would check it byte by byte: in bounds,
    /// and empty or with neither end inside a character.
    fn is_text(&self, doc: usize, span: &std::ops::Range<usize>) -> bool {
        let bytes = self.0[doc].as_slice();
        // A UTF-8 continuation byte is 0b10xx_xxxx; every other byte starts a character.
        let between_chars =
            |i: usize| i == bytes.len() || bytes.get(i).is_some_and(|&b| (b as i8) >= -0x40);
        span.start <= span.end
            && span.end <= bytes.len()
            && (span.is_empty() || (between_chars(span.start) && between_chars(span.end)))
    }
}

/// Spans of document texts as string views into the texts themselves: each document's text is
/// one Arrow buffer, shared (not copied) by `documents.text` and every table's `evidence`.
fn text_views(
    name: &'static str,
    texts: &TextBuffers,
    spans: impl Iterator<Item = (usize, std::ops::Range<usize>)>,
) -> Result<ArrayRef> {
    let mut b = StringViewBuilder::with_capacity(spans.size_hint().0);
    let mut block_of: Vec<Option<u32>> = vec![None; texts.0.len()];
    let to_u32 = |n: usize| {
        u32::try_from(n).map_err(|_| Error::Arrow {
            table: name,
            message: "a document longer than 4 GiB".into(),
        })
    };
    for (doc, span) in spans {
        // What arrow makes of it: `len` bytes from the start (a reversed range is empty).
        let span = span.start..span.start + span.len();
        // Checking the two ends stands in for arrow's check of every byte of every view, which
        // read all the texts again (`documents.text` alone is the whole corpus): 0.8% of an
        // archive load's instructions, most of them in its longest table.
        if !texts.is_text(doc, &span) {
            return Err(Error::Arrow {
                table: name,
                message: format!("bytes {span:?} of document {doc} are not whole characters"),
            });
        }
        let block = *block_of[doc].get_or_insert_with(|| b.append_block(texts.0[doc].clone()));
        let (offset, len) = (to_u32(span.start)?, to_u32(span.len())?);
        b.try_append_view(block, offset, len)
            .map_err(|e| Error::Arrow {
                table: name,
                message: e.to_string(),
            })?;
    }
    Ok(Arc::new(b.finish()))
}

/// A fact table: the shared leading columns, then the table's own, built from the same rows.
pub(crate) fn fact_batch<T: FactTable>(
    corpus: &Corpus,
    texts: &TextBuffers,
    rows_of: impl Fn(&DocumentRecord) -> &[Row<T>],
) -> Result<RecordBatch> {
    let name = T::NAME;
    let schema = schema::fact_table::<T>();
    // Each row with its document's index, whose text buffer its evidence views.
    let located: Vec<TableRow<T>> = corpus
        .documents
        .iter()
        .enumerate()
        .flat_map(|(i, d)| rows_of(d).iter().map(move |r| (i, d, r)))
        .collect();
    // A table's shared columns and its own are built side by side: the largest table (the
    // financials of the generated corpus, 70,000 rows) was the whole table stage's wait.
    let (shared, own) = rayon::join(
        || -> Result<Vec<ArrayRef>> {
            Ok(vec![
                strings(located.iter().map(|(_, d, _)| Some(d.raw.doc_id.as_str()))),
                dates(located.iter().map(|(_, d, _)| d.date)),
                ints(located.iter().map(|(_, _, r)| Some(r.start))),
                ints(located.iter().map(|(_, _, r)| Some(r.end))),
                text_views(
                    name,
                    texts,
                    located.iter().map(|(i, _, r)| (*i, r.evidence.clone())),
                )?,
                strings(
                    located
                        .iter()
                        .map(|(_, d, r)| r.company.map(|c| d.companies[c as usize].name.as_str())),
                ),
                strings(located.iter().map(|(_, d, r)| {
                    r.company
                        .and_then(|c| d.companies[c as usize].ticker.as_deref())
                })),
                strings(located.iter().map(|(_, _, r)| Some(r.section))),
                strings(located.iter().map(|(_, _, r)| Some(r.rule))),
            ])
        },
        || -> Result<Vec<ArrayRef>> {
            let spans = |rows: &[TableRow<T>]| {
                text_views(
                    name,
                    texts,
                    rows.iter().map(|(i, _, r)| (*i, r.span.clone())),
                )
            };
            T::columns()
                .iter()
                .map(|c| c.build(&located, spans))
                .collect()
        },
    );
    let mut columns = shared?;
    columns.extend(own?);
    batch(name, schema, columns)
}

/// Builds every table of a corpus, taking its texts into Arrow buffers without copying them.
pub fn build(mut corpus: Corpus) -> Result<Tables> {
    let texts = TextBuffers::take_from(&mut corpus);
    let tables = build_from(&corpus, &texts);
    // The records are copied into the tables by now. Freeing them took ~15 ms on one thread
    // for the generated corpus; every thread of the pool shares it. (Not left to a background
    // job: a fork while it frees could leave the child an allocator lock no thread will release.)
    corpus.documents.into_par_iter().for_each(drop);
    tables
}

/// [`build`] over a corpus whose texts are already Arrow buffers.
fn build_from(corpus: &Corpus, texts: &TextBuffers) -> Result<Tables> {
    let docs = &corpus.documents;
    let documents = || {
        batch(
            "documents",
            schema::documents(),
            vec![
                strings(docs.iter().map(|d| Some(d.raw.doc_id.as_str()))),
                strings(docs.iter().map(|d| Some(d.raw.path.as_str()))),
                strings(docs.iter().map(|d| Some(d.raw.format.as_str()))),
                strings(docs.iter().map(|d| Some(d.raw.encoding))),
                strings(docs.iter().map(|d| d.title.as_deref())),
                dates(docs.iter().map(|d| d.date)),
                strings(docs.iter().map(|d| d.date_source)),
                strings(docs.iter().map(|d| Some(d.kind))),
                strings(docs.iter().map(|d| d.dateline.as_deref())),
                strings(docs.iter().map(|d| d.wire.as_deref())),
                strings(docs.iter().map(|d| d.company.as_deref())),
                strings(docs.iter().map(|d| d.exchange.as_deref())),
                strings(docs.iter().map(|d| d.ticker.as_deref())),
                ints(docs.iter().map(|d| Some(d.n_chars))),
                text_views(
                    "documents",
                    texts,
                    texts.0.iter().enumerate().map(|(i, t)| (i, 0..t.len())),
                )?,
            ],
        )
    };
    let skipped = || {
        batch(
            "skipped",
            schema::skipped(),
            vec![
                strings(corpus.skipped.iter().map(|s| Some(s.path.as_str()))),
                strings(corpus.skipped.iter().map(|s| Some(s.reason))),
                strings(corpus.skipped.iter().map(|s| s.detail.as_deref())),
            ],
        )
    };
    // The tables are independent of each other: built on every thread of the pool, as the
    // documents were, rather than one after another while the other threads wait.
    enum Build {
        Documents,
        Fact(&'static TableEntry),
        Skipped,
    }
    let builds: Vec<Build> = std::iter::once(Build::Documents)
        .chain(FACT_TABLES.iter().map(Build::Fact))
        .chain(std::iter::once(Build::Skipped))
        .collect();
    let tables = builds
        .par_iter()
        .map(|build| match build {
            Build::Documents => documents().map(|b| ("documents", b)),
            Build::Fact(t) => (t.build)(corpus, texts).map(|b| (t.name, b)),
            Build::Skipped => skipped().map(|b| ("skipped", b)),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Tables { tables })
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Array, StringViewArray};

    fn buffers(texts: &[&str]) -> TextBuffers {
        TextBuffers(
            texts
                .iter()
                .map(|t| Buffer::from_vec(t.as_bytes().to_vec()))
                .collect(),
        )
    }

    /// Every span of a text of one- to four-byte characters (and past its end): the two-ends
    /// check says UTF-8 exactly when the bytes are, as arrow's check of every byte did.
    #[test]
    fn a_span_is_text_exactly_when_its_bytes_are_utf8() {
        let text = "a€ b\u{e9}\u{1F600}c\u{300}\n";
        let texts = buffers(&[text]);
        let (bytes, n) = (text.as_bytes(), text.len());
        for start in 0..=n + 1 {
            for end in 0..=n + 1 {
                let utf8 =
                    start <= end && end <= n && std::str::from_utf8(&bytes[start..end]).is_ok();
                assert_eq!(texts.is_text(0, &(start..end)), utf8, "{start}..{end}");
            }
        }
    }

    /// A table's schema and its columns come from one declaration: names in one order, and a
    /// null in a column not declared nullable is an error, not a silent null.
    #[test]
    fn own_columns_follow_their_declaration() {
        use crate::facts::partnerships::PartnershipFact;
        let schema = schema::fact_table::<PartnershipFact>();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(&names[names.len() - 2..], ["partner", "kind"]);
        let column = columns::Column::<PartnershipFact>::text("kind", |_| None);
        let built = column.build(&[], |_| unreachable!()).unwrap();
        let field = column.field();
        let err = RecordBatch::try_new(
            Arc::new(arrow_schema::Schema::new(vec![field])),
            vec![strings(std::iter::once(None))],
        );
        assert!(err.is_err());
        assert_eq!(built.len(), 0);
    }

    #[test]
    fn views_hold_their_spans_and_a_span_inside_a_character_is_an_error() {
        let texts = buffers(&["Shanghai \u{2014} CBMG", "€5 million"]);
        #[allow(clippy::reversed_empty_ranges)]
        let spans = [
            (0, 0..8),
            (1, 0..3),
            (0, 9..12),
            (1, 3..4),
            (0, 0..0),
            (0, 12..10),
        ];
        let views = text_views("t", &texts, spans.into_iter()).unwrap();
        let views = views.as_any().downcast_ref::<StringViewArray>().unwrap();
        let got: Vec<&str> = (0..views.len()).map(|i| views.value(i)).collect();
        assert_eq!(got, ["Shanghai", "€", "\u{2014}", "5", "", ""]);
        for bad in [(0, 9..10), (1, 1..4), (0, 0..99)] {
            let err = text_views("t", &texts, std::iter::once(bad.clone())).unwrap_err();
            assert!(
                err.to_string().contains("not whole characters"),
                "{bad:?}: {err}"
            );
        }
    }
}
