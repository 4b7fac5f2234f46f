//! Listings as releases write them: `(NASDAQ: CBMG)`, `(NASDAQ:CBMG)`, `(Nasdaq: CBMG)`,
//! `(NYSE American: CYBN)`, `(HKEX: 2171)`, `(Nasdaq:XXXX; HKEX:YYYY)`, `(NasdaqGM:IXHL)`,
//! `(OTCQB: CANB)`. The exchange names come from `data/exchanges.csv`.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::text::rule::Rule;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TickerMention {
    /// The whole parenthesis.
    pub start: usize,
    pub end: usize,
    pub exchange: String,
    pub ticker: String,
}

const EXCHANGES: &str = include_str!("../../data/exchanges.csv");

static EXCHANGE_NAMES: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for line in EXCHANGES.lines().skip_while(|l| l.starts_with('#')).skip(1) {
        let mut cols = line.splitn(2, ',');
        let (Some(name), Some(syns)) = (cols.next(), cols.next()) else {
            continue;
        };
        for syn in syns.split('|').chain(std::iter::once(name)) {
            map.insert(syn.trim().to_ascii_lowercase(), name.trim().to_string());
        }
    }
    map
});

static PAREN: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::scanning_regex(r"\((?P<body>[^()\n]{3,80})\)").expect("paren regex")
});

static LISTING: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r"^\s*(?P<ex>[A-Za-z][A-Za-z .\-]{0,40}?)\s*:\s*(?P<tk>[A-Z0-9]{1,6}(?:\.[A-Z]{1,2})?)\s*$",
    )
    .expect("listing regex")
});

/// The exchange's normal name for what a release wrote (`Nasdaq` -> `NASDAQ`).
pub fn exchange_name(written: &str) -> Option<&'static str> {
    EXCHANGE_NAMES
        .get(&written.trim().to_ascii_lowercase())
        .map(|s| s.as_str())
}

/// Every listing parenthesis in `text`, in order; a parenthesis with several listings yields
/// the first.
pub fn find_tickers(text: &str) -> Vec<TickerMention> {
    let mut out = Vec::new();
    for c in PAREN.captures_iter(text) {
        let whole = c.get(0).expect("group 0");
        for part in c["body"].split([';', ',', '|']) {
            let Some(l) = LISTING.captures(part) else {
                continue;
            };
            let Some(exchange) = exchange_name(&l["ex"]) else {
                continue;
            };
            out.push(TickerMention {
                start: whole.start(),
                end: whole.end(),
                exchange: exchange.to_string(),
                ticker: l["tk"].to_string(),
            });
            break;
        }
    }
    out
}

crate::text::pattern::compile_rules!(EXCHANGE_NAMES, PAREN, LISTING);

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> (String, String) {
        let t = &find_tickers(text)[0];
        (t.exchange.clone(), t.ticker.clone())
    }

    #[test]
    fn listing_styles() {
        assert_eq!(
            first("Group Inc. (NASDAQ: CBMG)"),
            ("NASDAQ".into(), "CBMG".into())
        );
        assert_eq!(
            first("Group Inc.(NASDAQ:CBMG)"),
            ("NASDAQ".into(), "CBMG".into())
        );
        assert_eq!(
            first("Cybin (NYSE American: CYBN)"),
            ("NYSE AMERICAN".into(), "CYBN".into())
        );
        assert_eq!(first("Ltd. (HKEX: 2171)"), ("HKEX".into(), "2171".into()));
        assert_eq!(
            first("(Nasdaq:LEGN; HKEX:1234)"),
            ("NASDAQ".into(), "LEGN".into())
        );
        assert_eq!(
            first("Incannex (NasdaqGM:IXHL)"),
            ("NASDAQ".into(), "IXHL".into())
        );
        assert_eq!(
            first("Can B Corp. (OTCQB: CANB)"),
            ("OTCQB".into(), "CANB".into())
        );
        assert_eq!(first("GE (NYSE: GE)"), ("NYSE".into(), "GE".into()));
    }

    #[test]
    fn other_parentheses_are_not_listings() {
        assert!(find_tickers("(Abstract ID: P229) and (Source: Blood Cancer J. 2014)").is_empty());
        assert!(find_tickers("(\"CBMG\" or the \"Company\")").is_empty());
    }
}
