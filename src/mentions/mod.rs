//! Stage 3: mentions. Each finder recognises one kind of thing in text and knows nothing of
//! what it means for a fact: dates, money, periods, phases, and lexicon terms (indications,
//! targets, modalities, countries), all word lists found in one pass by `dictionary`.

pub mod conferences;
pub mod dates;
pub mod dictionary;
pub mod index;
pub mod lexicon;
pub mod money;
pub mod organizations;
pub mod periods;
pub mod phases;
pub mod products;
pub mod tickers;

/// Each module's `compile_rules` (`text::pattern::compile_rules!`), to build every rule up front.
pub(crate) const RULE_COMPILERS: &[fn()] = &[
    conferences::compile_rules,
    dates::compile_rules,
    lexicon::compile_rules,
    money::compile_rules,
    organizations::compile_rules,
    periods::compile_rules,
    phases::compile_rules,
    products::compile_rules,
    tickers::compile_rules,
];
