//! Loads folders with the engine alone (no Python) and prints timings: a target for `perf`.
//!
//!     cargo run --release --example load_folder -- [--warm] FOLDER [FOLDER...]
//!
//! `--warm` extracts the folders once before the timed pass, so one-time costs (compiling the
//! rules) stay out of it; with callgrind, `--toggle-collect=*measured_pass*` counts that pass alone.
use std::path::PathBuf;
use std::time::Instant;

#[inline(never)]
fn measured_pass(extractor: &cbmg::Extractor, inputs: &[PathBuf]) {
    let t = Instant::now();
    let corpus = extractor.extract_paths(inputs).expect("load");
    let t_extract = t.elapsed();
    let bytes: usize = corpus.documents.iter().map(|d| d.raw.text.len()).sum();
    let n_documents = corpus.documents.len();
    let tables = cbmg::tables::build(corpus).expect("tables");
    let t_tables = t.elapsed();
    println!(
        "{} documents, {:.1} MB: extract {:.3}s, tables {:.3}s => {:.1} MB/s",
        n_documents,
        bytes as f64 / 1e6,
        t_extract.as_secs_f64(),
        (t_tables - t_extract).as_secs_f64(),
        bytes as f64 / 1e6 / t_tables.as_secs_f64()
    );
    drop(tables);
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let warm = args.iter().any(|a| a == "--warm");
    args.retain(|a| a != "--warm");
    let inputs: Vec<PathBuf> = args.into_iter().map(PathBuf::from).collect();
    let t = Instant::now();
    let extractor = cbmg::Extractor::new(&cbmg::Options::default()).expect("lexicon");
    println!("lexicon {:.3}s", t.elapsed().as_secs_f64());
    if warm {
        let t = Instant::now();
        drop(extractor.extract_paths(&inputs).expect("load"));
        println!("warm-up pass {:.3}s", t.elapsed().as_secs_f64());
    }
    measured_pass(&extractor, &inputs);
}
