//! cbmg: biotech press releases to analysable Arrow tables.
//!
//! The engine runs by stage: [`loading`] reads files, [`text`] normalises them and splits
//! sentences, [`mentions`] finds dates, money, periods, phases and lexicon terms, [`facts`]
//! assembles table rows, and [`tables`] builds Arrow record batches. The engine knows nothing
//! of Python; `python.rs` (behind the `python` feature) is the one thin binding.

pub mod error;
pub mod extract;
pub mod facts;
pub mod loading;
pub mod mentions;
pub mod tables;
pub mod text;

#[cfg(feature = "python")]
mod python;

pub use error::{Error, Result};
pub use extract::{Corpus, Extractor, Options, Scan};

/// Loads files and folders with default options and builds every table.
pub fn load(inputs: &[std::path::PathBuf], options: &Options) -> Result<tables::Tables> {
    let extractor = Extractor::new(options)?;
    let corpus = extractor.extract_paths(inputs)?;
    tables::build(corpus)
}
