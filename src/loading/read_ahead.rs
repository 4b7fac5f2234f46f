//! Reading ahead of the workers when a load's files are not in the page cache.
//!
//! Each worker reads its file with one blocking `read`, so a load whose files are on disk keeps
//! at most one request per thread in flight; on this machine's virtual disk a release takes
//! 60-130 us to read that way, against under 40 us from the page cache, and the archive (24,636
//! files) loaded 3x slower from disk. Telling the kernel which files come next
//! (`posix_fadvise(WILLNEED)`) lets it queue their reads while the workers extract. That costs
//! ~4 us a file, so it starts only once reads are seen to wait for the disk: a load from the
//! page cache does not pay for it.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use super::{read_document_timed, RawDocument, Skipped, SourceFile};

/// Opening and reading a release from the page cache takes well under 40 us (the generated
/// corpus, warm: 9,989 of 10,000 reads, decoding included, under 50 us; from disk most took
/// 60-130 us), and copying a large one ~1 ns a byte. A read slower than that most likely
/// waited for the disk.
fn waited_for_disk(took: Duration, bytes: u64) -> bool {
    took > Duration::from_micros(40) + Duration::from_nanos(bytes)
}

/// Hinting starts once this many reads waited, and they are at least a quarter of the reads so
/// far: a worker that is preempted mid-read now and then must not start it on a cached corpus.
const SLOW_READS_TO_START: usize = 16;

/// How many files past the workers' position may be asked for: enough to keep the disk's queue
/// full, few enough that what was asked for is still cached when a worker reaches it.
const WINDOW_FILES: usize = 256;

/// The files of one job, handed to the workers in order ([`Hinter::next_file`]) so that the
/// hints can run ahead of them.
pub struct ReadAhead<'a> {
    files: &'a [SourceFile],
    /// The next file a worker takes.
    next: AtomicUsize,
    cold: AtomicBool,
    slow_reads: AtomicUsize,
    finished: AtomicBool,
    /// How far the hints have reached: the files before this one were hinted or taken.
    hinted: AtomicUsize,
}

impl<'a> ReadAhead<'a> {
    pub fn new(files: &'a [SourceFile]) -> ReadAhead<'a> {
        ReadAhead {
            files,
            next: AtomicUsize::new(0),
            cold: AtomicBool::new(false),
            slow_reads: AtomicUsize::new(0),
            finished: AtomicBool::new(false),
            hinted: AtomicUsize::new(0),
        }
    }

    /// Starts the hinting thread in `scope`. It waits until a read is seen to wait for the disk
    /// and stops when the returned [`Hinter`] is dropped, even by a panic.
    pub fn start<'scope, 'env>(
        &'scope self,
        scope: &'scope std::thread::Scope<'scope, 'env>,
    ) -> Hinter<'scope, 'a> {
        let thread = scope.spawn(|| self.run()).thread().clone();
        Hinter {
            read_ahead: self,
            thread,
        }
    }

    /// The hinting thread's loop: waits until a read is seen to wait for the disk, then keeps
    /// up to [`WINDOW_FILES`] files ahead of the workers until they are done.
    fn run(&self) {
        while !self.cold.load(Ordering::Acquire) {
            if self.finished.load(Ordering::Acquire) {
                return;
            }
            std::thread::park();
        }
        while !self.finished.load(Ordering::Acquire) {
            let taken = self.next.load(Ordering::Relaxed);
            let ahead = self.hinted.load(Ordering::Relaxed).max(taken);
            let Some(file) = self.files.get(ahead) else {
                return;
            };
            if ahead >= taken + WINDOW_FILES {
                // The window is full: a worker wakes this thread once it is half used.
                std::thread::park();
                continue;
            }
            will_read(&file.path);
            self.hinted.store(ahead + 1, Ordering::Relaxed);
        }
    }
}

/// The workers' side of a started [`ReadAhead`].
pub struct Hinter<'r, 'a> {
    read_ahead: &'r ReadAhead<'a>,
    thread: std::thread::Thread,
}

impl<'a> Hinter<'_, 'a> {
    /// The next file no worker has taken yet, with its index in the job; `None` when all are.
    pub fn next_file(&self) -> Option<(usize, &'a SourceFile)> {
        let ra = self.read_ahead;
        let i = ra.next.fetch_add(1, Ordering::Relaxed);
        if ra.cold.load(Ordering::Relaxed)
            && ra.hinted.load(Ordering::Relaxed) < i + WINDOW_FILES / 2
        {
            self.thread.unpark();
        }
        ra.files.get(i).map(|f| (i, f))
    }

    /// Reads one file as [`super::read_document`] does, noting whether the read waited for the
    /// disk; enough such reads start the hinting.
    pub fn read_document(&self, file: &SourceFile) -> Result<RawDocument, Skipped> {
        read_document_timed(file, |took, bytes| {
            if waited_for_disk(took, bytes) {
                self.saw_slow_read();
            }
        })
    }

    fn saw_slow_read(&self) {
        let ra = self.read_ahead;
        let slow = ra.slow_reads.fetch_add(1, Ordering::Relaxed) + 1;
        if slow >= SLOW_READS_TO_START
            && slow * 4 >= ra.next.load(Ordering::Relaxed)
            && !ra.cold.swap(true, Ordering::AcqRel)
        {
            self.thread.unpark();
        }
    }
}

impl Drop for Hinter<'_, '_> {
    fn drop(&mut self) {
        self.read_ahead.finished.store(true, Ordering::Release);
        self.thread.unpark();
    }
}

/// Asks the kernel to start reading `path` into the page cache. A file that cannot be opened is
/// left for the worker to report.
#[cfg(target_os = "linux")]
fn will_read(path: &Path) {
    if let Ok(file) = std::fs::File::open(path) {
        let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::WillNeed);
    }
}

#[cfg(not(target_os = "linux"))]
fn will_read(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` small releases in a temporary folder, which lives as long as the first value.
    fn releases(n: usize) -> (tempfile::TempDir, Vec<SourceFile>) {
        let dir = tempfile::tempdir().unwrap();
        let files = (0..n)
            .map(|i| {
                let path = dir.path().join(format!("{i}.txt"));
                std::fs::write(&path, format!("release {i}")).unwrap();
                SourceFile {
                    path,
                    doc_id: i.to_string(),
                }
            })
            .collect();
        (dir, files)
    }

    #[test]
    fn never_starts_unless_a_read_waited_and_stops_when_dropped() {
        let (_dir, files) = releases(3);
        let read_ahead = ReadAhead::new(&files);
        std::thread::scope(|scope| {
            let hinter = read_ahead.start(scope);
            std::thread::sleep(Duration::from_millis(5));
            drop(hinter);
        });
        assert!(!read_ahead.cold.load(Ordering::Acquire));
    }

    #[test]
    fn starts_on_a_run_of_slow_reads_not_on_a_few_among_many() {
        let (_dir, files) = releases(1);
        let read_ahead = ReadAhead::new(&files);
        std::thread::scope(|scope| {
            let hinter = read_ahead.start(scope);
            // A cached corpus: a thousand reads, then a few preempted ones.
            read_ahead.next.store(1000, Ordering::Relaxed);
            for _ in 0..SLOW_READS_TO_START * 2 {
                hinter.saw_slow_read();
            }
            assert!(!read_ahead.cold.load(Ordering::Acquire));
        });
        let read_ahead = ReadAhead::new(&files);
        std::thread::scope(|scope| {
            let hinter = read_ahead.start(scope);
            // A corpus on disk: the first reads all wait.
            read_ahead
                .next
                .store(SLOW_READS_TO_START, Ordering::Relaxed);
            for _ in 0..SLOW_READS_TO_START - 1 {
                hinter.saw_slow_read();
            }
            assert!(
                !read_ahead.cold.load(Ordering::Acquire),
                "not before the count"
            );
            hinter.saw_slow_read();
            assert!(read_ahead.cold.load(Ordering::Acquire));
        });
    }

    #[test]
    fn a_read_from_the_page_cache_is_not_slow_but_one_from_disk_is() {
        assert!(!waited_for_disk(Duration::from_micros(12), 5_000));
        assert!(waited_for_disk(Duration::from_micros(90), 5_000));
        // A large cached file takes longer to copy, and is not mistaken for a disk read.
        assert!(!waited_for_disk(Duration::from_micros(600), 1_000_000));
        assert!(waited_for_disk(Duration::from_millis(8), 1_000_000));
    }

    #[test]
    fn a_panicking_worker_does_not_leave_it_waiting() {
        let (_dir, files) = releases(3);
        let read_ahead = ReadAhead::new(&files);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            std::thread::scope(|scope| {
                let _hinter = read_ahead.start(scope);
                panic!("a worker's bug");
            })
        }));
        assert!(outcome.is_err(), "the scope ends and passes the panic on");
    }

    #[test]
    fn keeps_within_its_window_and_ends_at_the_last_file() {
        let (_dir, files) = releases(WINDOW_FILES + 40);
        let read_ahead = ReadAhead::new(&files);
        let (hinted_first, hinted_all) = std::thread::scope(|scope| {
            let hinter = read_ahead.start(scope);
            for _ in 0..SLOW_READS_TO_START {
                hinter.saw_slow_read();
            }
            // With the workers at file 0 it hints the window and waits there.
            std::thread::sleep(Duration::from_millis(50));
            let hinted_first = read_ahead.hinted.load(Ordering::Relaxed);
            // Once they move on it hints to the end of the list and stops by itself.
            while hinter
                .next_file()
                .is_some_and(|(i, _)| i < files.len() - 10)
            {}
            let t = std::time::Instant::now();
            while read_ahead.hinted.load(Ordering::Relaxed) < files.len()
                && t.elapsed() < Duration::from_secs(10)
            {
                std::thread::sleep(Duration::from_millis(1));
            }
            (hinted_first, read_ahead.hinted.load(Ordering::Relaxed))
        });
        assert_eq!(hinted_first, WINDOW_FILES);
        assert_eq!(hinted_all, files.len());
    }
}
