//! Loads folders with the engine alone (no Python) and prints timings: a target for `perf`.
//!
//!     cargo run --release --example load_folder -- FOLDER [FOLDER...]
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let inputs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let t = Instant::now();
    let extractor = cbmg::Extractor::new(&cbmg::Options::default()).expect("lexicon");
    let t_lex = t.elapsed();
    let corpus = extractor.extract_paths(&inputs).expect("load");
    let t_extract = t.elapsed();
    let bytes: usize = corpus.documents.iter().map(|d| d.raw.text.len()).sum();
    let n_documents = corpus.documents.len();
    let tables = cbmg::tables::build(corpus).expect("tables");
    let t_tables = t.elapsed();
    println!(
        "{} documents, {:.1} MB: lexicon {:.3}s, extract {:.3}s, tables {:.3}s => {:.1} MB/s",
        n_documents,
        bytes as f64 / 1e6,
        t_lex.as_secs_f64(),
        (t_extract - t_lex).as_secs_f64(),
        (t_tables - t_extract).as_secs_f64(),
        bytes as f64 / 1e6 / t_tables.as_secs_f64()
    );
    drop(tables);
}
