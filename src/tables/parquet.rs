//! Tables written to Parquet a batch at a time, one file per table, so a scan of any size keeps
//! one batch in memory (two while one is written and the next extracted). Each batch becomes one
//! row group.

use std::fs::File;
use std::path::{Path, PathBuf};

use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::{schema, Tables};
use crate::error::{Error, Result};
use crate::extract::Corpus;

/// Open Parquet files, one per table, that batches are appended to.
pub struct ParquetSink {
    dir: PathBuf,
    /// Each table's writer, writing to a temporary file beside the table's own path.
    writers: Vec<(&'static str, PathBuf, ArrowWriter<File>)>,
}

/// The temporary name `path` is written under until every batch and the footer are: a run that
/// fails leaves a previous run's file as it was.
fn partial_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.partial"))
}

impl Drop for ParquetSink {
    /// A sink dropped before [`ParquetSink::finish`] (an error, a panic) removes its partial files.
    fn drop(&mut self) {
        for (_, path, _) in self.writers.drain(..) {
            let _ = std::fs::remove_file(partial_path(&path));
        }
    }
}

/// What [`ParquetSink::write_all`] wrote: documents, files passed over, and the table files.
#[derive(Debug)]
pub struct Written {
    pub documents: usize,
    pub skipped: usize,
    pub paths: Vec<PathBuf>,
}

/// A Parquet writer's error on `path`; one that came from the system keeps its error number.
fn write_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

fn parquet_error(path: &Path, e: parquet::errors::ParquetError) -> Error {
    match e {
        parquet::errors::ParquetError::External(inner) => {
            match inner.downcast::<std::io::Error>() {
                Ok(io) => Error::from_write_io(path, *io),
                Err(other) => write_error(path, other),
            }
        }
        other => write_error(path, other),
    }
}

impl ParquetSink {
    /// Creates `dir/<table>.parquet` for each of `tables` (every table when empty).
    pub fn create(dir: &Path, tables: &[String]) -> Result<ParquetSink> {
        // An empty path would write the tables into the working directory.
        if dir.as_os_str().is_empty() {
            return Err(Error::Write {
                path: dir.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "no output folder given",
                ),
            });
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::from_write_io(dir, e))?;
        let known = schema::all();
        if let Some(unknown) = tables.iter().find(|t| !known.iter().any(|(n, _)| n == t)) {
            return Err(Error::Write {
                path: dir.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("no table named {unknown:?}"),
                ),
            });
        }
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let mut writers = Vec::new();
        for (name, schema) in known {
            if !tables.is_empty() && !tables.iter().any(|t| t == name) {
                continue;
            }
            let path = dir.join(format!("{name}.parquet"));
            let partial = partial_path(&path);
            let file = File::create(&partial).map_err(|e| Error::from_write_io(&partial, e))?;
            let writer = ArrowWriter::try_new(file, schema, Some(props.clone()))
                .map_err(|e| parquet_error(&path, e))?;
            writers.push((name, path, writer));
        }
        Ok(ParquetSink {
            dir: dir.to_path_buf(),
            writers,
        })
    }

    /// Appends one batch of every open table.
    pub fn write(&mut self, tables: &Tables) -> Result<()> {
        for (name, path, writer) in &mut self.writers {
            if let Some(batch) = tables.get(name) {
                writer.write(batch).map_err(|e| parquet_error(path, e))?;
                // One row group per batch: nothing of it stays buffered.
                writer.flush().map_err(|e| parquet_error(path, e))?;
            }
        }
        Ok(())
    }

    /// Extracts, builds and writes every batch of `batches`, then the footers.
    ///
    /// Writing a batch (encoding and compressing its columns) runs on one thread; done between
    /// batches it left the pool's other core idle meanwhile (`cbmg --out` over the archive used
    /// 1.58 cores). So batch k is written on a thread of its own while batch k + 1 is extracted
    /// (1.84 cores).
    pub fn write_all(mut self, batches: impl Iterator<Item = Result<Corpus>>) -> Result<Written> {
        let dir = self.dir.clone();
        let (documents, skipped) = pipelined(batches, |tables| self.write(&tables), &dir)?;
        let paths = self.finish()?;
        Ok(Written {
            documents,
            skipped,
            paths,
        })
    }

    /// Writes the footers, then gives each file its table's name (replacing an older one); the
    /// files are complete only after this.
    pub fn finish(mut self) -> Result<Vec<PathBuf>> {
        let mut paths = Vec::new();
        while let Some((name, path, writer)) = self.writers.pop() {
            paths.push((name, path));
            if let Err(e) = writer.close() {
                // The ones closed so far go too; the rest go when the sink is dropped.
                for (_, path) in &paths {
                    let _ = std::fs::remove_file(partial_path(path));
                }
                return Err(parquet_error(&paths[paths.len() - 1].1, e));
            }
        }
        for (_, path) in &paths {
            std::fs::rename(partial_path(path), path).map_err(|e| Error::from_write_io(path, e))?;
        }
        paths.reverse();
        Ok(paths.into_iter().map(|(_, path)| path).collect())
    }
}

/// Builds each batch's tables here and hands them to `write`, which runs on a thread of its own,
/// so the next batch is extracted while one is written. Returns the documents and skipped files
/// of the batches written.
///
/// The hand-over waits for the writer to take each batch: at most one batch is being written
/// while the next is extracted, so memory still follows the batch size. The first error, from
/// either side, stops both; a writer that panics is an error that names `dir`, never a panic.
fn pipelined(
    batches: impl Iterator<Item = Result<Corpus>>,
    mut write: impl FnMut(Tables) -> Result<()> + Send,
    dir: &Path,
) -> Result<(usize, usize)> {
    let (to_writer, from_extractor) = std::sync::mpsc::sync_channel::<Tables>(0);
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> Result<()> {
            for tables in from_extractor {
                write(tables)?;
            }
            Ok(())
        });
        let extracted = || -> Result<(usize, usize)> {
            let (mut documents, mut skipped) = (0, 0);
            for corpus in batches {
                let corpus = corpus?;
                let counts = (corpus.documents.len(), corpus.skipped.len());
                if to_writer.send(super::build(corpus)?).is_err() {
                    // The writer stopped on an error, which `join` below returns.
                    break;
                }
                documents += counts.0;
                skipped += counts.1;
            }
            Ok((documents, skipped))
        };
        let extracted = extracted();
        drop(to_writer);
        let written = writer.join().unwrap_or_else(|panic| {
            Err(write_error(
                dir,
                format!(
                    "writing Parquet failed: {}; please report this",
                    crate::extract::panic_text(&panic)
                ),
            ))
        });
        written.and(extracted)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run that stops before its footers leaves the files of the run before it untouched and
    /// no partial file behind.
    #[test]
    fn an_unfinished_run_keeps_the_previous_files() {
        let dir = std::env::temp_dir().join(format!("cbmg-parquet-keep-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let old = dir.join("trials.parquet");
        std::fs::write(&old, b"a previous run's table").unwrap();
        let sink = ParquetSink::create(&dir, &["trials".into()]).unwrap();
        assert!(partial_path(&old).exists());
        drop(sink);
        assert_eq!(std::fs::read(&old).unwrap(), b"a previous run's table");
        assert!(!partial_path(&old).exists());
        let sink = ParquetSink::create(&dir, &["trials".into()]).unwrap();
        assert_eq!(sink.finish().unwrap(), std::slice::from_ref(&old));
        assert!(std::fs::read(&old).unwrap().starts_with(b"PAR1"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// An empty path would put the tables in the working directory.
    #[test]
    fn an_empty_output_path_is_an_error() {
        let err = ParquetSink::create(Path::new(""), &[]).err().unwrap();
        assert!(err.to_string().starts_with("cannot write"), "{err}");
        assert!(err.to_string().contains("no output folder given"), "{err}");
    }

    #[test]
    fn batches_append_to_one_file_per_table() {
        let dir = std::env::temp_dir().join(format!("cbmg-parquet-{}", std::process::id()));
        let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let scan = crate::Extractor::new(&crate::Options::default())
            .unwrap()
            .scan(&[seeds], 2)
            .unwrap();
        let mut sink = ParquetSink::create(&dir, &["documents".into(), "trials".into()]).unwrap();
        let mut docs = 0;
        for corpus in scan {
            let tables = super::super::build(corpus.unwrap()).unwrap();
            docs += tables.get("documents").unwrap().num_rows();
            sink.write(&tables).unwrap();
        }
        let paths = sink.finish().unwrap();
        assert_eq!(docs, 5);
        assert_eq!(paths.len(), 2);
        let reader = parquet::file::reader::SerializedFileReader::new(
            File::open(dir.join("documents.parquet")).unwrap(),
        )
        .unwrap();
        use parquet::file::reader::FileReader;
        assert_eq!(reader.metadata().file_metadata().num_rows(), 5);
        assert_eq!(reader.metadata().num_row_groups(), 3);
        assert!(ParquetSink::create(&dir, &["nope".into()]).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn releases_scan(batch_size: usize) -> crate::extract::Scan {
        let releases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/releases");
        crate::Extractor::new(&crate::Options::default())
            .unwrap()
            .scan(&[releases], batch_size)
            .unwrap()
    }

    fn temp_dir(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("cbmg-parquet-{name}-{}", std::process::id()))
    }

    fn row_groups(dir: &Path, table: &str) -> usize {
        use parquet::file::reader::FileReader;
        let file = File::open(dir.join(format!("{table}.parquet"))).unwrap();
        let reader = parquet::file::reader::SerializedFileReader::new(file).unwrap();
        reader.metadata().num_row_groups()
    }

    /// Row group `group` of `dir/<table>.parquet`, read back as one record batch.
    fn row_group(dir: &Path, table: &str, group: usize) -> RecordBatch {
        use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
        let file = File::open(dir.join(format!("{table}.parquet"))).unwrap();
        let mut batches: Vec<RecordBatch> = ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .with_row_groups(vec![group])
            .with_batch_size(usize::MAX)
            .build()
            .unwrap()
            .map(|b| b.unwrap())
            .collect();
        assert_eq!(batches.len(), 1, "{table}, row group {group}");
        batches.pop().unwrap()
    }

    use arrow_array::RecordBatch;

    #[test]
    fn writing_beside_the_extraction_writes_what_writing_after_it_did() {
        // Batches of 7 files: 60 files (half of them JSON, passed over) make 9 batches, so the
        // writer and the extraction overlap
        // overlap several times, and the last batch is a short one.
        let want: Vec<Tables> = releases_scan(7)
            .map(|corpus| super::super::build(corpus.unwrap()).unwrap())
            .collect();
        let dir = temp_dir("pipelined");
        let written = ParquetSink::create(&dir, &[])
            .unwrap()
            .write_all(releases_scan(7))
            .unwrap();
        let rows =
            |table: &str| -> usize { want.iter().map(|t| t.get(table).unwrap().num_rows()).sum() };
        assert_eq!(written.documents, rows("documents"));
        assert_eq!(written.skipped, rows("skipped"));
        assert!(written.documents > 20 && written.skipped > 0, "{written:?}");
        assert_eq!(written.paths.len(), schema::all().len());
        for (name, _) in schema::all() {
            // A batch with no rows of a table adds no row group to its file.
            let batches: Vec<&RecordBatch> = want
                .iter()
                .map(|t| t.get(name).unwrap())
                .filter(|b| b.num_rows() > 0)
                .collect();
            assert_eq!(row_groups(&dir, name), batches.len(), "{name}");
            for (group, expected) in batches.into_iter().enumerate() {
                let got = row_group(&dir, name, group);
                assert_eq!(
                    got.columns(),
                    expected.columns(),
                    "{name}, row group {group}"
                );
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_writer_that_fails_stops_the_extraction_with_its_error() {
        let mut extracted = 0;
        let batches = releases_scan(1).inspect(|_| extracted += 1);
        let mut writes = 0;
        let result = pipelined(
            batches,
            |_| {
                writes += 1;
                if writes == 2 {
                    return Err(write_error(Path::new("trials.parquet"), "disk full"));
                }
                Ok(())
            },
            Path::new("out"),
        );
        let message = result.unwrap_err().to_string();
        assert!(
            message.contains("trials.parquet") && message.contains("disk full"),
            "{message}"
        );
        assert_eq!(writes, 2);
        // The writer took two batches; the extraction may have finished a third, never more.
        assert!(
            (2..=3).contains(&extracted),
            "{extracted} batches extracted of 60"
        );
    }

    #[test]
    fn a_writer_that_panics_is_an_error_not_a_panic() {
        let result = pipelined(
            releases_scan(20),
            |_| -> Result<()> { panic!("column encoder broke") },
            Path::new("out"),
        );
        let message = result.unwrap_err().to_string();
        assert!(
            message.contains("out") && message.contains("column encoder broke"),
            "{message}"
        );
    }

    /// A panic on the extracting side (caught above, by the binding) must not leave the writer
    /// waiting for a batch that never comes: the panic comes out, after what was handed over.
    #[test]
    fn a_panic_while_extracting_ends_the_writer_too() {
        let mut written = 0;
        let batches =
            releases_scan(10)
                .enumerate()
                .map(|(i, corpus)| if i == 2 { panic!("rule broke") } else { corpus });
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pipelined(
                batches,
                |_| {
                    written += 1;
                    Ok(())
                },
                Path::new("out"),
            )
        }));
        assert!(result.is_err());
        assert_eq!(written, 2);
    }
}
