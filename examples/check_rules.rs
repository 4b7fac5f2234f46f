//! Runs every rule's examples through the engine and prints the failures:
//!
//!     cargo run --release --example check_rules [TABLE]
//!
//! With `CBMG_RULES_DIR=rules`, the rule files are read from that folder at run time, so an
//! edited file is checked without rebuilding. Exits 1 when an example fails.

fn main() {
    let table = std::env::args().nth(1);
    let failures: Vec<_> = cbmg::rule_examples::check()
        .into_iter()
        .filter(|f| table.as_deref().is_none_or(|t| t == f.table))
        .collect();
    for f in &failures {
        println!("{f}\n");
    }
    let rules = cbmg::rule_examples::list();
    let examples: usize = rules.iter().map(|r| r.examples + r.rejects).sum();
    println!(
        "{} rules, {} examples and rejects, {} failing",
        rules.len(),
        examples,
        failures.len()
    );
    std::process::exit(i32::from(!failures.is_empty()));
}
