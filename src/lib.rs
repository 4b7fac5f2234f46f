//! cbmg: biotech press releases to analysable Arrow tables.
//!
//! The engine runs by stage: [`loading`] reads files, [`text`] normalises them and splits
//! sentences, [`mentions`] finds dates, money, periods, phases and lexicon terms, [`facts`]
//! assembles table rows, and [`tables`] builds Arrow record batches. The engine knows nothing
//! of Python; `python.rs` (behind the `python` feature) is the one thin binding.

pub mod data;
pub mod error;
pub mod extract;
pub mod facts;
pub mod loading;
pub mod mentions;
pub mod progress;
pub mod rule_examples;
pub mod rulebook;
pub mod stop;
pub mod tables;
pub mod text;

#[cfg(feature = "python")]
mod python;

/// Extraction makes a few hundred small vectors and strings per release; with glibc's malloc,
/// allocating and freeing them was ~5% of a load of the archive corpus, and loads with mimalloc
/// take ~5% less time (`bench/README.md`). It serves the engine's own allocations only: Python and
/// polars keep theirs, and every Arrow buffer handed over is freed by the engine's code.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub use error::{Error, Result};
pub use extract::{Corpus, Extractor, InMemoryText, Options, Scan};
pub use progress::Progress;
pub use stop::StopFlag;

/// Loads files and folders with default options and builds every table.
pub fn load(inputs: &[std::path::PathBuf], options: &Options) -> Result<tables::Tables> {
    let extractor = Extractor::new(options)?;
    let corpus = extractor.extract_paths(inputs)?;
    tables::build(corpus)
}
