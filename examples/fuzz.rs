//! Fuzzes the whole engine, from a file's bytes to its rows, for a time budget: no input may
//! panic, and every row's offsets must hold (`DocumentRecord::offset_problems`).
//!
//!     cargo run --release --example fuzz -- [--seconds 1800] [--seed 1] [--out FOLDER]
//!
//! Inputs are the repository's releases (`seeds/`, `tests/data/releases/`) mutated the ways
//! real folders break them: cut anywhere, hard-wrapped, nested in deep or broken HTML, spliced
//! into one another, sprinkled with control bytes, odd spaces and stray marks, repeated,
//! re-encoded and bit-flipped, and each read as text, Markdown and HTML. Generation uses
//! proptest's strategies and random source (stable Rust; cargo-fuzz needs nightly). A failing
//! input is shrunk and written to `--out` (default `target/fuzz-failures`); the run prints its
//! count, time and failures, and exits 1 if there was one.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cbmg::extract::Extractor;
use cbmg::loading::{document_from_bytes, Format};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// One way of breaking a text, applied at a place given as a fraction of its length.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(f64),
    HardWrap(usize),
    NestInHtml { depth: usize, tag: &'static str },
    Splice { other: usize, at: f64, from: f64 },
    Insert { at: f64, what: String },
    Repeat { at: f64, len: usize, times: usize },
    Delete { at: f64, len: usize },
    FlipByte { at: f64, bit: u8 },
    AsWindows1252,
    AsUtf16,
    SpacesAs(&'static str),
}

const ODD_TEXT: &[&str] = &[
    "\u{0}",
    "\u{1}",
    "\u{7}",
    "\u{8}",
    "\u{b}",
    "\u{c}",
    "\u{1b}[0m",
    "\r",
    "\r\n",
    "\n\n\n",
    "\u{a0}",
    "\u{2028}",
    "\u{2029}",
    "\u{3000}",
    "\u{200b}",
    "\u{feff}",
    "\u{fffd}",
    "\u{301}",
    "\u{1f600}",
    "\"",
    "\u{201c}",
    "\u{201d}",
    "(",
    ")",
    "[",
    "$",
    "\u{20ac}",
    "%",
    "|",
    "<",
    ">",
    "&amp;",
    "&#x0;",
    "<p>",
    "</p>",
    "<table><tr><td>",
    "</td></tr>",
    "<!--",
    "-->",
    "<script>",
    "Phase",
    "Phase\n",
    " million",
    "(NASDAQ:",
    "--",
    "/PRNewswire/ --",
    "ended ",
    "1,2,3",
];

const TAGS: &[&str] = &[
    "span",
    "div",
    "section",
    "ul",
    "li",
    "table",
    "p",
    "b",
    "blockquote",
];

fn mutation(n_sources: usize) -> impl Strategy<Value = Mutation> {
    let frac = 0.0..1.0f64;
    prop_oneof![
        frac.clone().prop_map(Mutation::Truncate),
        (8usize..120).prop_map(Mutation::HardWrap),
        (1usize..3000, proptest::sample::select(TAGS))
            .prop_map(|(depth, tag)| Mutation::NestInHtml { depth, tag }),
        (0..n_sources, frac.clone(), frac.clone()).prop_map(|(other, at, from)| Mutation::Splice {
            other,
            at,
            from
        }),
        (frac.clone(), proptest::sample::select(ODD_TEXT)).prop_map(|(at, what)| {
            Mutation::Insert {
                at,
                what: what.to_string(),
            }
        }),
        (frac.clone(), "\\PC{1,20}").prop_map(|(at, what)| Mutation::Insert { at, what }),
        (frac.clone(), 1usize..200, 2usize..200).prop_map(|(at, len, times)| Mutation::Repeat {
            at,
            len,
            times
        }),
        (frac.clone(), 1usize..500).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (frac.clone(), 0u8..8).prop_map(|(at, bit)| Mutation::FlipByte { at, bit }),
        Just(Mutation::AsWindows1252),
        Just(Mutation::AsUtf16),
        proptest::sample::select(&["\t", "\u{a0}", "\n", "  ", "\u{2009}"][..])
            .prop_map(Mutation::SpacesAs),
    ]
}

fn place(bytes: &[u8], at: f64) -> usize {
    ((bytes.len() as f64) * at) as usize
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation, sources: &[Vec<u8>]) {
    match m {
        Mutation::Truncate(at) => bytes.truncate(place(bytes, *at)),
        Mutation::HardWrap(width) => {
            let mut out = Vec::with_capacity(bytes.len() + bytes.len() / width);
            let mut column = 0;
            for &b in bytes.iter() {
                if b == b' ' && column >= *width {
                    out.push(b'\n');
                    column = 0;
                } else {
                    out.push(b);
                    column = if b == b'\n' { 0 } else { column + 1 };
                }
            }
            *bytes = out;
        }
        Mutation::NestInHtml { depth, tag } => {
            let mut out = format!("<{tag}>").repeat(*depth).into_bytes();
            out.extend_from_slice(bytes);
            // Closed only half the time: broken markup is common.
            if depth % 2 == 0 {
                out.extend_from_slice(format!("</{tag}>").repeat(*depth).as_bytes());
            }
            *bytes = out;
        }
        Mutation::Splice { other, at, from } => {
            let other = &sources[*other];
            let at = place(bytes, *at);
            let tail = other[place(other, *from)..].to_vec();
            bytes.truncate(at);
            bytes.extend_from_slice(&tail);
        }
        Mutation::Insert { at, what } => {
            let at = place(bytes, *at);
            bytes.splice(at..at, what.bytes());
        }
        Mutation::Repeat { at, len, times } => {
            let at = place(bytes, *at);
            let end = (at + len).min(bytes.len());
            let piece = bytes[at..end].repeat(*times);
            bytes.splice(at..at, piece);
        }
        Mutation::Delete { at, len } => {
            let at = place(bytes, *at);
            let end = (at + len).min(bytes.len());
            bytes.drain(at..end);
        }
        Mutation::FlipByte { at, bit } => {
            let at = place(bytes, *at);
            if let Some(b) = bytes.get_mut(at) {
                *b ^= 1 << bit;
            }
        }
        Mutation::AsWindows1252 => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let (encoded, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
            *bytes = encoded.into_owned();
        }
        Mutation::AsUtf16 => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let mut out = vec![0xff, 0xfe];
            for unit in text.encode_utf16() {
                out.extend_from_slice(&unit.to_le_bytes());
            }
            *bytes = out;
        }
        Mutation::SpacesAs(space) => {
            let text = String::from_utf8_lossy(bytes).replace(' ', space);
            *bytes = text.into_bytes();
        }
    }
}

/// One input: a source, what is done to it, and the format it is read as.
fn input(n_sources: usize) -> impl Strategy<Value = (usize, Vec<Mutation>, u8)> {
    (
        0..n_sources,
        proptest::collection::vec(mutation(n_sources), 0..6),
        0u8..3,
    )
}

fn bytes_of(case: &(usize, Vec<Mutation>, u8), sources: &[Vec<u8>]) -> (Vec<u8>, Format) {
    let mut bytes = sources[case.0].clone();
    for m in &case.1 {
        apply(&mut bytes, m, sources);
    }
    let format = [Format::Text, Format::Markdown, Format::Html][case.2 as usize];
    (bytes, format)
}

/// None when the engine reads the input soundly, else what went wrong.
fn run_one(extractor: &Extractor, bytes: &[u8], format: Format) -> Option<String> {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        match document_from_bytes("fuzz".into(), "fuzz".into(), format, bytes.to_vec()) {
            Ok(raw) => extractor.extract_document(raw).offset_problems(),
            Err(_) => Vec::new(),
        }
    }));
    match outcome {
        Ok(problems) if problems.is_empty() => None,
        Ok(problems) => Some(problems.join("\n")),
        Err(panic) => Some(format!("panic: {}", cbmg::extract::panic_text(&panic))),
    }
}

fn sources(root: &Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for folder in ["seeds", "tests/data/releases"] {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("txt" | "md" | "html")
            ) {
                out.push(std::fs::read(path).expect("a release of the repository"));
            }
        }
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let seconds: u64 = arg("--seconds").map_or(60, |s| s.parse().expect("--seconds N"));
    let seed: u64 = arg("--seed").map_or(1, |s| s.parse().expect("--seed N"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = arg("--out").map_or_else(|| root.join("target/fuzz-failures"), PathBuf::from);
    let sources = sources(root);
    assert!(!sources.is_empty(), "no releases under {}", root.display());
    // Panics are caught and reported with their input; the default hook would print each.
    std::panic::set_hook(Box::new(|_| {}));

    let extractor = Extractor::builtin();
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let strategy = input(sources.len());
    let started = Instant::now();
    let budget = Duration::from_secs(seconds);
    let (mut runs, mut bytes_read, mut failures) = (0u64, 0u64, 0u64);
    while started.elapsed() < budget {
        let mut tree = strategy.new_tree(&mut runner).expect("an input");
        let (bytes, format) = bytes_of(&tree.current(), &sources);
        runs += 1;
        bytes_read += bytes.len() as u64;
        let Some(mut problem) = run_one(&extractor, &bytes, format) else {
            continue;
        };
        // Shrink: keep the simplest input that still fails.
        let mut failing = (bytes, format);
        while tree.simplify() {
            let candidate = bytes_of(&tree.current(), &sources);
            if let Some(p) = run_one(&extractor, &candidate.0, candidate.1) {
                failing = candidate;
                problem = p;
            } else if !tree.complicate() {
                break;
            }
        }
        failures += 1;
        std::fs::create_dir_all(&out).expect("the failures folder");
        let name = format!("failure-{seed}-{runs}.{}", failing.1.as_str());
        std::fs::write(out.join(&name), &failing.0).expect("a failing input");
        eprintln!("{name} ({:?}): {problem}", failing.1);
    }
    println!(
        "{runs} inputs ({:.0} MB) in {:.0} s, seed {seed}: {failures} failing",
        bytes_read as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    std::process::exit(i32::from(failures > 0));
}
