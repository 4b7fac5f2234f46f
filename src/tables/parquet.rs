//! Tables written to Parquet a batch at a time, one file per table, so a scan of any size keeps
//! one batch in memory. Each batch becomes one row group.

use std::fs::File;
use std::path::{Path, PathBuf};

use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::{schema, Tables};
use crate::error::{Error, Result};

/// Open Parquet files, one per table, that batches are appended to.
pub struct ParquetSink {
    writers: Vec<(&'static str, PathBuf, ArrowWriter<File>)>,
}

fn write_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

impl ParquetSink {
    /// Creates `dir/<table>.parquet` for each of `tables` (every table when empty).
    pub fn create(dir: &Path, tables: &[String]) -> Result<ParquetSink> {
        std::fs::create_dir_all(dir).map_err(|e| Error::from_io(dir, e))?;
        let known = schema::all();
        if let Some(unknown) = tables.iter().find(|t| !known.iter().any(|(n, _)| n == t)) {
            return Err(Error::Io {
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
            let file = File::create(&path).map_err(|e| Error::from_io(&path, e))?;
            let writer = ArrowWriter::try_new(file, schema, Some(props.clone()))
                .map_err(|e| write_error(&path, e))?;
            writers.push((name, path, writer));
        }
        Ok(ParquetSink { writers })
    }

    /// Appends one batch of every open table.
    pub fn write(&mut self, tables: &Tables) -> Result<()> {
        for (name, path, writer) in &mut self.writers {
            if let Some(batch) = tables.get(name) {
                writer.write(batch).map_err(|e| write_error(path, e))?;
                // One row group per batch: nothing of it stays buffered.
                writer.flush().map_err(|e| write_error(path, e))?;
            }
        }
        Ok(())
    }

    /// Writes the footers; the files are complete only after this.
    pub fn finish(self) -> Result<Vec<PathBuf>> {
        let mut paths = Vec::new();
        for (_, path, writer) in self.writers {
            writer.close().map_err(|e| write_error(&path, e))?;
            paths.push(path);
        }
        Ok(paths)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            let tables = super::super::build(corpus).unwrap();
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
}
