//! How far a job has come, read from another thread: the Python binding's progress bar polls
//! it while the job runs without the GIL.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

/// Shared by an [`crate::Extractor`] and whoever watches its jobs; clones share the counts.
#[derive(Debug, Clone, Default)]
pub struct Progress(Arc<Counts>);

#[derive(Debug, Default)]
struct Counts {
    total: AtomicUsize,
    done: AtomicUsize,
    bytes: AtomicU64,
}

/// A reading of [`Progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// Files (or texts) the job has in all; 0 while folders are still being walked.
    pub total: usize,
    /// Files read and extracted, or passed over.
    pub done: usize,
    /// Bytes of text read so far.
    pub bytes: u64,
}

impl Progress {
    /// A job of `total` files starts, or a scan learns its size: counts start again.
    pub fn start(&self, total: usize) {
        self.0.total.store(total, Ordering::Relaxed);
        self.0.done.store(0, Ordering::Relaxed);
        self.0.bytes.store(0, Ordering::Relaxed);
    }

    /// Sets the total without resetting what is done (a scan's later batches).
    pub fn set_total(&self, total: usize) {
        self.0.total.store(total, Ordering::Relaxed);
    }

    /// One file finished, with `bytes` of text.
    pub fn file_done(&self, bytes: usize) {
        self.0.done.fetch_add(1, Ordering::Relaxed);
        self.0.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    pub fn read(&self) -> Reading {
        Reading {
            total: self.0.total.load(Ordering::Relaxed),
            done: self.0.done.load(Ordering::Relaxed),
            bytes: self.0.bytes.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_one_count() {
        let progress = Progress::default();
        let watcher = progress.clone();
        progress.start(3);
        progress.file_done(10);
        progress.file_done(5);
        assert_eq!(
            watcher.read(),
            Reading {
                total: 3,
                done: 2,
                bytes: 15
            }
        );
        progress.set_total(4);
        assert_eq!(watcher.read().done, 2);
        progress.start(1);
        assert_eq!(watcher.read().done, 0);
    }
}
