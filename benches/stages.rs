//! Each stage of the engine on the releases in the repository (the seeds and the 30 test
//! releases), so a regression shows where it happened:
//!
//!     cargo bench --bench stages
//!
//! Loading is left out (it is the file system's time); every other stage is timed on the same
//! documents, already decoded.
use std::path::{Path, PathBuf};

use cbmg::extract::{engine_lists, Extractor};
use cbmg::loading::{discover, read_document, RawDocument};
use cbmg::mentions::dictionary::Dictionary;
use cbmg::mentions::{dates, money, periods, phases};
use cbmg::text::{split_sentences, NormText};
use cbmg::Options;
use divan::{black_box, Bencher};

fn main() {
    divan::main();
}

fn releases() -> Vec<RawDocument> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let inputs: Vec<PathBuf> = ["seeds", "tests/data/releases"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    let (files, _) = discover(&inputs).expect("test releases");
    files.iter().filter_map(|f| read_document(f).ok()).collect()
}

fn texts() -> Vec<String> {
    releases().into_iter().map(|d| d.text).collect()
}

fn bytes(texts: &[String]) -> divan::counter::BytesCount {
    divan::counter::BytesCount::new(texts.iter().map(String::len).sum::<usize>())
}

mod text {
    use super::*;

    #[divan::bench]
    fn normalise(bencher: Bencher) {
        let texts = texts();
        bencher.counter(bytes(&texts)).bench(|| {
            texts
                .iter()
                .map(|t| NormText::new(t).text.len())
                .sum::<usize>()
        });
    }

    #[divan::bench]
    fn sentences(bencher: Bencher) {
        let norm: Vec<String> = texts().iter().map(|t| NormText::new(t).text).collect();
        bencher
            .counter(bytes(&norm))
            .bench(|| norm.iter().map(|t| split_sentences(t).len()).sum::<usize>());
    }
}

mod mentions {
    use super::*;

    fn normalised() -> Vec<String> {
        texts().iter().map(|t| NormText::new(t).text).collect()
    }

    /// Lexicon terms, conference names and trigger words: the engine's one automaton pass.
    #[divan::bench]
    fn word_scan(bencher: Bencher) {
        let (norm, extractor) = (normalised(), Extractor::builtin());
        bencher.counter(bytes(&norm)).bench(|| {
            norm.iter().for_each(|t| {
                black_box(extractor.dictionary().scan(t));
            })
        });
    }

    /// Building the word automata over every list the engine scans for, once per process: the
    /// DFA a large load uses and the compact NFA a small one does.
    #[divan::bench(args = ["dfa", "compact"])]
    fn word_automata_build(bencher: Bencher, kind: &str) {
        let extractor = Extractor::builtin();
        let lists = engine_lists(extractor.lexicon());
        bencher.bench(|| match kind {
            "dfa" => Dictionary::new(&lists),
            _ => Dictionary::compact(&lists),
        });
    }

    #[divan::bench]
    fn lexicon_terms_from_scan(bencher: Bencher) {
        let (norm, extractor) = (normalised(), Extractor::builtin());
        let hits: Vec<_> = norm
            .iter()
            .map(|t| extractor.dictionary().scan(t))
            .collect();
        bencher.counter(bytes(&norm)).bench(|| {
            norm.iter()
                .zip(&hits)
                .map(|(t, h)| extractor.lexicon().terms(t, h, [0, 1]).len())
                .sum::<usize>()
        });
    }

    #[divan::bench]
    fn dates_money_periods_phases(bencher: Bencher) {
        let norm = normalised();
        bencher.counter(bytes(&norm)).bench(|| {
            norm.iter()
                .map(|t| {
                    let n = t.len();
                    dates::find_dates_in(t, 0, n).len()
                        + money::find_money_in(t, 0, n).len()
                        + periods::find_periods_in(t, 0, n, periods::fiscal_year_end(t)).len()
                        + phases::find_phases_in(t, 0, n).len()
                })
                .sum::<usize>()
        });
    }
}

mod facts {
    use super::*;

    #[divan::bench]
    fn prepare(bencher: Bencher) {
        let (texts, extractor) = (texts(), Extractor::builtin());
        // Large loads scan words with the DFA; building it here makes every stage use it.
        extractor.dictionary();
        bencher.counter(bytes(&texts)).bench(|| {
            texts.iter().for_each(|t| {
                black_box(extractor.prepare(t));
            })
        });
    }

    #[divan::bench]
    fn every_fact(bencher: Bencher) {
        let docs = releases();
        let extractor = Extractor::new(&Options::default()).expect("lexicon");
        extractor.dictionary();
        let n = docs.iter().map(|d| d.text.len()).sum::<usize>();
        bencher
            .counter(divan::counter::BytesCount::new(n))
            .with_inputs(|| docs.clone())
            .bench_values(|docs| {
                docs.into_iter().for_each(|d| {
                    black_box(extractor.extract_document(d));
                })
            });
    }
}

mod tables {
    use super::*;

    #[divan::bench]
    fn arrow(bencher: Bencher) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let extractor = Extractor::new(&Options::default()).expect("lexicon");
        let corpus = extractor
            .extract_paths(&[root.join("seeds"), root.join("tests/data/releases")])
            .expect("test releases");
        bencher
            .with_inputs(|| corpus.clone())
            .bench_values(|c| black_box(cbmg::tables::build(c)));
    }
}
