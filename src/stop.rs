//! Stopping a running job from another thread: the Python binding sets the flag when Ctrl-C
//! arrives, and the job's threads look at it between documents.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Shared by an [`crate::Extractor`] and whoever may stop its jobs; clones share one flag.
#[derive(Debug, Clone, Default)]
pub struct StopFlag(Arc<AtomicBool>);

impl StopFlag {
    /// Asks every job of the extractor to stop at its next document.
    pub fn stop(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_stopped(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// An [`crate::Error::Stopped`] when the flag is set, so a job can end with `?`.
    pub fn check(&self) -> crate::Result<()> {
        if self.is_stopped() {
            Err(crate::Error::Stopped)
        } else {
            Ok(())
        }
    }
}
