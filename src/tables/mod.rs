//! Stage 5: tables. Arrow record batches built straight from the extracted rows, strings as
//! `Utf8View` so polars takes them without converting.

pub mod parquet;
pub mod schema;

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringViewBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_buffer::Buffer;
use arrow_schema::SchemaRef;
use chrono::NaiveDate;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::extract::{Corpus, DocumentRecord, Row};

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

fn days(d: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
    (d - epoch).num_days() as i32
}

// Each column builder starts at its column's length: growing one by doubling copied it over
// and over (tables of tens of thousands of rows).
fn strings<'a>(values: impl Iterator<Item = Option<&'a str>>) -> ArrayRef {
    let mut b = StringViewBuilder::with_capacity(values.size_hint().0);
    for v in values {
        b.append_option(v);
    }
    Arc::new(b.finish())
}

fn ints(values: impl Iterator<Item = Option<i64>>) -> ArrayRef {
    let mut b = Int64Builder::with_capacity(values.size_hint().0);
    for v in values {
        b.append_option(v);
    }
    Arc::new(b.finish())
}

fn floats(values: impl Iterator<Item = f64>) -> ArrayRef {
    let mut b = Float64Builder::with_capacity(values.size_hint().0);
    for v in values {
        b.append_value(v);
    }
    Arc::new(b.finish())
}

fn dates(values: impl Iterator<Item = Option<NaiveDate>>) -> ArrayRef {
    let mut b = Date32Builder::with_capacity(values.size_hint().0);
    for v in values {
        b.append_option(v.map(days));
    }
    Arc::new(b.finish())
}

fn bools(values: impl Iterator<Item = bool>) -> ArrayRef {
    let mut b = BooleanBuilder::with_capacity(values.size_hint().0);
    for v in values {
        b.append_value(v);
    }
    Arc::new(b.finish())
}

/// A string column of values written row by row through one buffer (a period's label), rather
/// than each allocated on its own.
fn written_strings<R>(rows: &[R], write: impl Fn(&R, &mut String)) -> ArrayRef {
    let mut b = StringViewBuilder::with_capacity(rows.len());
    let mut value = String::new();
    for r in rows {
        value.clear();
        write(r, &mut value);
        b.append_value(&value);
    }
    Arc::new(b.finish())
}

fn batch(name: &'static str, schema: SchemaRef, columns: Vec<ArrayRef>) -> Result<RecordBatch> {
    RecordBatch::try_new(schema, columns).map_err(|e| Error::Arrow {
        table: name,
        message: e.to_string(),
    })
}

/// The documents' texts as Arrow buffers, each holding the bytes of a `String`: every one is
/// UTF-8, so a span of one is UTF-8 exactly when both its ends fall between two characters.
struct TextBuffers(Vec<Buffer>);

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

/// A fact table: the shared leading columns, then `extra` built from the same rows.
fn fact_batch<T: Sync>(
    name: &'static str,
    schema: SchemaRef,
    corpus: &Corpus,
    texts: &TextBuffers,
    rows_of: impl Fn(&DocumentRecord) -> &[Row<T>],
    extra: impl Fn(&[(usize, &DocumentRecord, &Row<T>)]) -> Result<Vec<(&'static str, ArrayRef)>> + Sync,
) -> Result<RecordBatch> {
    // Each row with its document's index, whose text buffer its evidence views.
    let located: Vec<(usize, &DocumentRecord, &Row<T>)> = corpus
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
                strings(located.iter().map(|(_, _, r)| Some(r.rule))),
            ])
        },
        || extra(&located),
    );
    let mut columns = shared?;
    let shared_count = columns.len();
    for (i, (column, array)) in own?.into_iter().enumerate() {
        // Built by name: a column built in another's place is an error, not a swapped table.
        let expected = schema
            .fields()
            .get(shared_count + i)
            .map(|f| f.name().as_str());
        if expected != Some(column) {
            return Err(Error::Arrow {
                table: name,
                message: format!("column {column} built where the schema has {expected:?}"),
            });
        }
        columns.push(array);
    }
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
    let financials = || {
        fact_batch(
            "financials",
            schema::financials(),
            corpus,
            texts,
            |d| &d.financials,
            |rows| {
                Ok(vec![
                    (
                        "metric",
                        strings(rows.iter().map(|(_, _, r)| Some(r.fact.metric))),
                    ),
                    (
                        "qualifier",
                        strings(rows.iter().map(|(_, _, r)| r.fact.qualifier.as_deref())),
                    ),
                    (
                        "period",
                        written_strings(rows, |(_, _, r), out| r.fact.period.write_label(out)),
                    ),
                    (
                        "fiscal_label",
                        strings(
                            rows.iter()
                                .map(|(_, _, r)| r.fact.period.fiscal_label.as_deref()),
                        ),
                    ),
                    (
                        "period_type",
                        strings(
                            rows.iter()
                                .map(|(_, _, r)| Some(r.fact.period.ptype.as_str())),
                        ),
                    ),
                    (
                        "fiscal_year",
                        ints(
                            rows.iter()
                                .map(|(_, _, r)| Some(r.fact.period.fiscal_year as i64)),
                        ),
                    ),
                    (
                        "period_end",
                        dates(rows.iter().map(|(_, _, r)| Some(r.fact.period.end))),
                    ),
                    ("value", floats(rows.iter().map(|(_, _, r)| r.fact.value))),
                    (
                        "currency",
                        strings(rows.iter().map(|(_, _, r)| Some(r.fact.currency))),
                    ),
                    (
                        "comparative",
                        bools(rows.iter().map(|(_, _, r)| r.fact.comparative)),
                    ),
                ])
            },
        )
    };
    let trials = || {
        fact_batch(
            "trials",
            schema::trials(),
            corpus,
            texts,
            |d| &d.trials,
            |rows| {
                Ok(vec![
                    (
                        "phase",
                        strings(rows.iter().map(|(_, _, r)| Some(r.fact.phase.as_str()))),
                    ),
                    (
                        "product",
                        strings(rows.iter().map(|(_, _, r)| r.fact.product.as_deref())),
                    ),
                    (
                        "target",
                        strings(rows.iter().map(|(_, _, r)| r.fact.target.as_deref())),
                    ),
                    (
                        "modality",
                        strings(rows.iter().map(|(_, _, r)| r.fact.modality.as_deref())),
                    ),
                    (
                        "indication",
                        strings(rows.iter().map(|(_, _, r)| r.fact.indication.as_deref())),
                    ),
                    (
                        "indication_abbr",
                        strings(
                            rows.iter()
                                .map(|(_, _, r)| r.fact.indication_abbr.as_deref()),
                        ),
                    ),
                    (
                        "country",
                        strings(rows.iter().map(|(_, _, r)| r.fact.country.as_deref())),
                    ),
                    (
                        "enrollment",
                        ints(rows.iter().map(|(_, _, r)| r.fact.enrollment)),
                    ),
                    (
                        "status",
                        strings(rows.iter().map(|(_, _, r)| r.fact.status)),
                    ),
                ])
            },
        )
    };
    let events = || {
        fact_batch(
            "events",
            schema::events(),
            corpus,
            texts,
            |d| &d.events,
            |rows| {
                Ok(vec![
                    (
                        "conference",
                        strings(rows.iter().map(|(_, _, r)| r.fact.conference.as_deref())),
                    ),
                    (
                        "conference_name",
                        strings(
                            rows.iter()
                                .map(|(_, _, r)| r.fact.conference_name.as_deref()),
                        ),
                    ),
                    ("edition", ints(rows.iter().map(|(_, _, r)| r.fact.edition))),
                    (
                        "title",
                        strings(rows.iter().map(|(_, _, r)| r.fact.title.as_deref())),
                    ),
                    (
                        "presentation",
                        strings(rows.iter().map(|(_, _, r)| r.fact.presentation.as_deref())),
                    ),
                    (
                        "product",
                        strings(rows.iter().map(|(_, _, r)| r.fact.product.as_deref())),
                    ),
                    (
                        "event_date",
                        dates(rows.iter().map(|(_, _, r)| r.fact.event_date)),
                    ),
                    (
                        "venue",
                        strings(rows.iter().map(|(_, _, r)| r.fact.venue.as_deref())),
                    ),
                    (
                        "abstract_id",
                        strings(rows.iter().map(|(_, _, r)| r.fact.abstract_id.as_deref())),
                    ),
                ])
            },
        )
    };
    let facilities = || {
        fact_batch(
            "facilities",
            schema::facilities(),
            corpus,
            texts,
            |d| &d.facilities,
            |rows| {
                Ok(vec![
                    (
                        "location",
                        strings(rows.iter().map(|(_, _, r)| r.fact.location.as_deref())),
                    ),
                    (
                        "area_sqft",
                        ints(rows.iter().map(|(_, _, r)| r.fact.area_sqft)),
                    ),
                    ("kind", strings(rows.iter().map(|(_, _, r)| r.fact.kind))),
                ])
            },
        )
    };
    let regulatory = || {
        fact_batch(
            "regulatory",
            schema::regulatory(),
            corpus,
            texts,
            |d| &d.regulatory,
            |rows| {
                Ok(vec![
                    (
                        "agency",
                        strings(rows.iter().map(|(_, _, r)| Some(r.fact.agency.as_str()))),
                    ),
                    (
                        "action",
                        strings(rows.iter().map(|(_, _, r)| Some(r.fact.action))),
                    ),
                    (
                        "product",
                        strings(rows.iter().map(|(_, _, r)| r.fact.product.as_deref())),
                    ),
                    (
                        "phase",
                        strings(rows.iter().map(|(_, _, r)| r.fact.phase.as_deref())),
                    ),
                    (
                        "indication",
                        strings(rows.iter().map(|(_, _, r)| r.fact.indication.as_deref())),
                    ),
                ])
            },
        )
    };
    let partnerships = || {
        fact_batch(
            "partnerships",
            schema::partnerships(),
            corpus,
            texts,
            |d| &d.partnerships,
            |rows| {
                Ok(vec![
                    (
                        "partner",
                        strings(rows.iter().map(|(_, _, r)| Some(r.fact.partner.as_str()))),
                    ),
                    (
                        "kind",
                        strings(rows.iter().map(|(_, _, r)| Some(r.fact.kind))),
                    ),
                ])
            },
        )
    };
    let grants = || {
        fact_batch(
            "grants",
            schema::grants(),
            corpus,
            texts,
            |d| &d.grants,
            |rows| {
                Ok(vec![
                    (
                        "funder",
                        strings(rows.iter().map(|(_, _, r)| Some(r.fact.funder.as_str()))),
                    ),
                    (
                        "funder_abbr",
                        strings(rows.iter().map(|(_, _, r)| r.fact.funder_abbr.as_deref())),
                    ),
                    ("amount", floats(rows.iter().map(|(_, _, r)| r.fact.amount))),
                    (
                        "currency",
                        strings(rows.iter().map(|(_, _, r)| Some(r.fact.currency))),
                    ),
                    (
                        "purpose",
                        strings(rows.iter().map(|(_, _, r)| r.fact.purpose.as_deref())),
                    ),
                ])
            },
        )
    };
    let contacts = || {
        fact_batch(
            "contacts",
            schema::contacts(),
            corpus,
            texts,
            |d| &d.contacts,
            |rows| {
                Ok(vec![
                    (
                        "name",
                        strings(rows.iter().map(|(_, _, r)| r.fact.name.as_deref())),
                    ),
                    (
                        "title",
                        strings(rows.iter().map(|(_, _, r)| r.fact.title.as_deref())),
                    ),
                    (
                        "organization",
                        strings(rows.iter().map(|(_, _, r)| r.fact.organization.as_deref())),
                    ),
                    (
                        "phone",
                        strings(rows.iter().map(|(_, _, r)| r.fact.phone.as_deref())),
                    ),
                    (
                        "email",
                        strings(rows.iter().map(|(_, _, r)| r.fact.email.as_deref())),
                    ),
                ])
            },
        )
    };
    let quotes = || {
        fact_batch(
            "quotes",
            schema::quotes(),
            corpus,
            texts,
            |d| &d.quotes,
            |rows| {
                Ok(vec![
                    (
                        "speaker",
                        strings(rows.iter().map(|(_, _, r)| r.fact.speaker.as_deref())),
                    ),
                    (
                        "speaker_title",
                        strings(rows.iter().map(|(_, _, r)| r.fact.speaker_title.as_deref())),
                    ),
                    (
                        "text",
                        text_views(
                            "quotes",
                            texts,
                            rows.iter().map(|(i, _, r)| (*i, r.span.clone())),
                        )?,
                    ),
                ])
            },
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
    let builds: [(&'static str, &(dyn Fn() -> Result<RecordBatch> + Sync)); 11] = [
        ("documents", &documents),
        ("financials", &financials),
        ("trials", &trials),
        ("events", &events),
        ("facilities", &facilities),
        ("regulatory", &regulatory),
        ("partnerships", &partnerships),
        ("grants", &grants),
        ("contacts", &contacts),
        ("quotes", &quotes),
        ("skipped", &skipped),
    ];
    let tables = builds
        .par_iter()
        .map(|&(name, build)| build().map(|batch| (name, batch)))
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

    /// Two columns of one type built in each other's place would pass Arrow's checks.
    #[test]
    fn a_column_built_under_another_name_is_an_error() {
        let corpus = Corpus::default();
        let texts = TextBuffers(Vec::new());
        let empty = || strings(std::iter::empty());
        let swapped = fact_batch(
            "partnerships",
            schema::partnerships(),
            &corpus,
            &texts,
            |d| &d.partnerships,
            |_| Ok(vec![("kind", empty()), ("partner", empty())]),
        );
        let err = swapped.unwrap_err().to_string();
        assert!(
            err.contains("column kind built where the schema has"),
            "{err}"
        );
        let right = fact_batch(
            "partnerships",
            schema::partnerships(),
            &corpus,
            &texts,
            |d| &d.partnerships,
            |_| Ok(vec![("partner", empty()), ("kind", empty())]),
        );
        assert_eq!(right.unwrap().num_rows(), 0);
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
