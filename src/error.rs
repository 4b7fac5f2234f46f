//! The engine's one error type. The Python binding maps each variant onto a Python exception
//! in one place (`python.rs`), so the messages here are what a user reads.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("no such file or directory: {}", .0.display())]
    NotFound(PathBuf),
    #[error("permission denied: {}", .0.display())]
    PermissionDenied(PathBuf),
    #[error("cannot read {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The job's [`crate::StopFlag`] was set (Ctrl-C in Python).
    #[error("stopped before the end of the job")]
    Stopped,
    #[error("invalid lexicon {}: line {line}: {message}", .path.display())]
    InvalidLexicon {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("cannot build the {table} table: {message}")]
    Arrow {
        table: &'static str,
        message: String,
    },
}

impl Error {
    /// A failure to create or write `path`: permission denied as such, the rest as
    /// [`Error::Write`] (with the system's error number, when it gave one).
    pub fn from_write_io(path: &std::path::Path, source: std::io::Error) -> Self {
        match source.kind() {
            std::io::ErrorKind::PermissionDenied => Error::PermissionDenied(path.to_path_buf()),
            _ => Error::Write {
                path: path.to_path_buf(),
                source,
            },
        }
    }

    /// Classifies an I/O error on `path` the way a user thinks of it.
    pub fn from_io(path: &std::path::Path, source: std::io::Error) -> Self {
        match source.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound(path.to_path_buf()),
            std::io::ErrorKind::PermissionDenied => Error::PermissionDenied(path.to_path_buf()),
            _ => Error::Io {
                path: path.to_path_buf(),
                source,
            },
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
