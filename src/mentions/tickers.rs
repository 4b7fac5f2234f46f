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
    for row in crate::data::rows(EXCHANGES) {
        let name = crate::data::field(&row, 0);
        for syn in crate::data::list(crate::data::field(&row, 1)).chain([name]) {
            map.insert(syn.to_ascii_lowercase(), name.to_string());
        }
    }
    map
});

/// Every `(...)` holding 3 to 80 characters and no bracket or line break, in order: the matches
/// of the regex `\([^()\n]{3,80}\)`, found by hand because that regex, searching every
/// release whole, was 2-3% of the engine's time. Byte ranges of the whole parenthesis.
fn short_parentheses(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = memchr::memchr(b'(', &bytes[from..]) {
        let open = from + p;
        from = open + 1;
        // Only a `)` coming before any other bracket or line break can close it.
        let Some(q) = memchr::memchr3(b'(', b')', b'\n', &bytes[open + 1..]) else {
            break;
        };
        let close = open + 1 + q;
        if bytes[close] == b')' && (3..=80).contains(&text[open + 1..close].chars().count()) {
            out.push((open, close + 1));
            from = close + 1;
        }
    }
    out
}

static LISTING: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(
        r#"^\s*(?P<ex>[A-Za-z][A-Za-z .\-]{0,40}?)\s*:\s*"?(?P<tk>[A-Z0-9]{1,6}(?:\.[A-Z]{1,2})?)"?\s*$"#,
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
    for (start, end) in short_parentheses(text) {
        for part in text[start + 1..end - 1].split([';', ',', '|']) {
            // Every listing has its colon; most parentheses have none.
            if !part.contains(':') {
                continue;
            }
            let Some(l) = LISTING.captures(part) else {
                continue;
            };
            let Some(exchange) = exchange_name(&l["ex"]) else {
                continue;
            };
            out.push(TickerMention {
                start,
                end,
                exchange: exchange.to_string(),
                ticker: l["tk"].to_string(),
            });
            break;
        }
    }
    out
}

crate::text::pattern::compile_rules!(EXCHANGE_NAMES, LISTING);

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
        assert_eq!(
            first("Westbrook Minerals Inc (NYSE-A:WBM) signed"),
            ("NYSE AMERICAN".into(), "WBM".into())
        );
        assert_eq!(
            first("Helio Corp. (TSX: \"HLO\", OTC: \"HLOCF\") will"),
            ("TSX".into(), "HLO".into())
        );
    }

    /// Older names of exchanges are kept as the release wrote them.
    #[test]
    fn older_exchange_names_as_written() {
        assert_eq!(first("(NYSE MKT: ABC)").0, "NYSE MKT");
        assert_eq!(first("(NYSE Amex: ABC)").0, "NYSE AMEX");
        assert_eq!(first("(AMEX: ABC)").0, "AMEX");
        assert_eq!(first("(OTCBB: ABCD)").0, "OTCBB");
    }

    /// The hand scan finds what the regex it replaces finds, on every sample release and on
    /// brackets nested, unclosed, broken by a line, too short, too long and full of non-ASCII.
    #[test]
    fn parentheses_found_as_the_regex_finds_them() {
        let paren = regex::Regex::new(r"\([^()\n]{3,80}\)").unwrap();
        let edges = [
            "(a (NASDAQ: X) b)",
            "((ab) (abc) (",
            "(NYSE:\n GE) (é€ü) (éé) x(",
            &format!("({}) ({})", "é".repeat(80), "a".repeat(81)),
        ];
        let mut n_found = 0;
        for t in crate::text::sample_texts(&edges) {
            let want: Vec<(usize, usize)> =
                paren.find_iter(&t).map(|m| (m.start(), m.end())).collect();
            n_found += want.len();
            assert_eq!(short_parentheses(&t), want, "{t:?}");
        }
        assert!(
            n_found > crate::text::at_least(1000, 100),
            "parentheses checked: {n_found}"
        );
    }

    #[test]
    fn other_parentheses_are_not_listings() {
        assert!(find_tickers("(Abstract ID: P229) and (Source: Blood Cancer J. 2014)").is_empty());
        assert!(find_tickers("(\"CBMG\" or the \"Company\")").is_empty());
    }
}
