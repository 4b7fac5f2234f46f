//! Money amounts: `$15.9 million`, `\$2.29 million` (escape already removed), `US$1.2 billion`,
//! `RMB 10.5 million`, `€3.4m`, `$(0.12)`, `$2.74M`, `12.5 million euros`, with flags for a
//! per-share figure and for a change ("a decrease of $1.2 million") rather than a level.

use std::ops::Range;
use std::sync::LazyLock;

use crate::text::rule::Rule;

use crate::text::{ceil_boundary, floor_boundary};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MoneyMention {
    pub start: usize,
    pub end: usize,
    /// In plain currency units, always non-negative; `negative` records parentheses or a minus.
    pub value: f64,
    pub currency: &'static str,
    pub negative: bool,
    /// A scale word was written (`million`); an amount without one may borrow it from a partner
    /// in `$15.9 and $37.3 million`.
    pub has_scale: bool,
    pub per_share: bool,
    /// The amount is a change between two figures, not a figure.
    pub is_change: bool,
}

const PREFIX: &str = r"(?P<cur>US\$|U\.S\.\s?\$|USD\s?\$?|C\$|CA\$|CAD\s?\$?|A\$|AU\$|AUD\s?\$?|HK\$|HKD\s?\$?|S\$|SGD\s?\$?|NZ\$|\$|€|EUR\s?€?|£|GBP\s?£?|RMB\s?¥?|CNY\s?¥?|¥|JPY\s?¥?|CHF\s?|SEK\s?|NOK\s?|DKK\s?|₹|INR\s?|₩|KRW\s?|ILS\s?|₪)";
const NUMBER: &str = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)";
const SCALE: &str = r"(?P<scale>(?i:thousand|million|billion|trillion|mln|mn|mm|bn|k|m|b))";
/// A scale written as a word, which may follow its amount after a blank line (a hard-wrapped
/// line or an HTML block that ends after the number: "$4.2\n\nmillion").
const SCALE_WORD: &str = r"(?P<scale_word>(?i:thousand|million|billion|trillion))";
const SUFFIX_CUR: &str = r"(?P<scur>(?i:euros?|u\.s\. dollars|us dollars|dollars|yuan|renminbi|swiss francs|pounds sterling|yen)|EUR|USD|RMB|CNY|GBP|CHF|JPY|HKD|CAD|AUD)";

/// An amount after its currency. A `(` or `-` right before the currency is looked up by hand:
/// as an optional first group of the regex it made every hyphen and bracket a place to try a
/// match, where the currency alone lets the regex jump between currency signs and codes.
static PREFIXED: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(&format!(
        r"{PREFIX}\s?(?P<neg2>\(|-)?{NUMBER}(?P<close>\))?(?:\s?{SCALE}(?-u:\b)|\s{{2,3}}{SCALE_WORD}(?-u:\b))?"
    ))
    .expect("money regex")
});

static SUFFIXED: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(&format!(
        r"(?-u:\b){NUMBER}\s?(?:{SCALE}\s+)?{SUFFIX_CUR}(?-u:\b)"
    ))
    .expect("suffixed money regex")
});

static PER_SHARE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)^\s*(?:per|a)\s+(?:basic\s+and\s+diluted\s+|diluted\s+|basic\s+|common\s+|ordinary\s+)?(?:share|ADS)(?-u:\b)")
        .expect("per share regex")
});

static CHANGE_BEFORE: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)(?:increase|decrease|reduction|rise|decline|growth|change|improvement|savings?|increased|decreased|grew|declined|rose|fell|up|down|reduced|lower|higher)\s+(?:of\s+|by\s+)?(?:approximately\s+|about\s+|roughly\s+|nearly\s+)?$|(?-u:\b)by\s+(?:approximately\s+|about\s+|roughly\s+|nearly\s+|an\s+additional\s+)?$")
        .expect("change regex")
});

static CHANGE_AFTER: LazyLock<Rule> = LazyLock::new(|| {
    crate::text::pattern::regex(r"(?i)^\s*(?:increase|decrease|reduction|rise|decline|improvement|higher|lower|more|less)(?-u:\b)")
        .expect("change-after regex")
});

/// The ISO code of a currency as written, spaces and ASCII case aside (`US $`, `Euros`).
fn currency_code(symbol: &str) -> &'static str {
    // Folded into a buffer on the stack: this runs for every amount. Anything longer than the
    // longest name `code_of_folded` knows is none of them, and gets its default.
    let mut folded = [0u8; 16];
    let mut len = 0;
    for c in symbol.chars().filter(|c| !c.is_whitespace()) {
        let c = c.to_ascii_lowercase();
        let Some(slot) = folded.get_mut(len..len + c.len_utf8()) else {
            return "USD";
        };
        c.encode_utf8(slot);
        len += c.len_utf8();
    }
    code_of_folded(std::str::from_utf8(&folded[..len]).unwrap_or(""))
}

/// The ISO code of a currency name already without spaces and in lower case.
fn code_of_folded(folded: &str) -> &'static str {
    match folded {
        "c$" | "ca$" | "cad" | "cad$" => "CAD",
        "a$" | "au$" | "aud" | "aud$" => "AUD",
        "hk$" | "hkd" | "hkd$" => "HKD",
        "s$" | "sgd" | "sgd$" => "SGD",
        "nz$" => "NZD",
        "€" | "eur" | "eur€" | "euro" | "euros" => "EUR",
        "£" | "gbp" | "gbp£" | "poundssterling" => "GBP",
        "rmb" | "rmb¥" | "cny" | "cny¥" | "yuan" | "renminbi" => "CNY",
        "¥" | "jpy" | "jpy¥" | "yen" => "JPY",
        "chf" | "swissfrancs" => "CHF",
        "sek" => "SEK",
        "nok" => "NOK",
        "dkk" => "DKK",
        "₹" | "inr" => "INR",
        "₩" | "krw" => "KRW",
        "ils" | "₪" => "ILS",
        _ => "USD",
    }
}

fn scale_exponent(scale: &str) -> Option<i32> {
    match scale {
        "k" | "K" => Some(3),
        "m" | "M" | "mm" | "MM" => Some(6),
        "b" | "B" => Some(9),
        _ => match scale.to_ascii_lowercase().as_str() {
            "thousand" => Some(3),
            "million" | "mln" | "mn" => Some(6),
            "billion" | "bn" => Some(9),
            "trillion" => Some(12),
            _ => None,
        },
    }
}

/// `digits` (with optional commas and one decimal point) times 10^`exp`, computed so that
/// `15.9` million is exactly 15900000.0 rather than 15899999.999999998.
///
/// `None` when `digits` holds anything else, no digit, or more than fits in 64 bits. The digits
/// are read in one pass, without the copies a parse of the cleaned string needed: it ran for
/// every amount and showed in profiles.
pub fn scaled_value(digits: &str, exp: i32) -> Option<f64> {
    let mut mantissa: u64 = 0;
    let mut any_digit = false;
    let mut frac_len: Option<i32> = None;
    for b in digits.bytes() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
                any_digit = true;
                if let Some(n) = frac_len.as_mut() {
                    *n += 1;
                }
            }
            b',' => {}
            b'.' if frac_len.is_none() => frac_len = Some(0),
            _ => return None,
        }
    }
    if !any_digit {
        return None;
    }
    let shift = exp - frac_len.unwrap_or(0);
    let value = if shift >= 0 {
        mantissa as f64 * 10f64.powi(shift)
    } else {
        mantissa as f64 / 10f64.powi(-shift)
    };
    Some(value)
}

/// The parts of a match of [`PREFIXED`], as byte ranges of the haystack.
#[derive(Debug, Clone, PartialEq)]
struct PrefixedParts {
    /// The currency symbol or code, perhaps with the space after it.
    currency: Range<usize>,
    /// A `(` or `-` between the currency and the number.
    sign: Option<usize>,
    number: Range<usize>,
    /// A `)` right after the number.
    close: Option<usize>,
    scale: Option<Range<usize>>,
}

impl PrefixedParts {
    /// Reads the parts of the match at `whole` from its text, which is what the regex's groups
    /// held (a test checks it on every sample release) without their capture search, a bounded
    /// backtracker over every amount.
    ///
    /// No currency holds a digit, and a full stop in one (`U.S.`) is never followed by one, so
    /// the number starts at the first digit or `.digit`. It runs over digits, commas and full
    /// stops: whatever the regex matched after it starts with `)`, a space or a letter. What
    /// follows it is `)` if the regex took one, then the scale after white space (one character,
    /// or up to three before a scale word).
    fn read(hay: &str, whole: Range<usize>) -> Option<PrefixedParts> {
        let bytes = &hay.as_bytes()[..whole.end];
        let number_start = (whole.start..whole.end).find(|&i| {
            bytes[i].is_ascii_digit()
                || (bytes[i] == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
        })?;
        let number_end = number_start
            + bytes[number_start..]
                .iter()
                .take_while(|b| b.is_ascii_digit() || matches!(b, b',' | b'.'))
                .count();
        let sign = (number_start > whole.start && matches!(bytes[number_start - 1], b'(' | b'-'))
            .then(|| number_start - 1);
        let close = (bytes.get(number_end) == Some(&b')')).then_some(number_end);
        let after = close.map_or(number_end, |at| at + 1);
        let scale_start = whole.end - hay[after..whole.end].trim_start().len();
        Some(PrefixedParts {
            currency: whole.start..sign.unwrap_or(number_start),
            sign,
            number: number_start..number_end,
            close,
            scale: (scale_start < whole.end).then_some(scale_start..whole.end),
        })
    }
}

/// Every amount of money in `text[from..to]`, offsets into `text`.
pub fn find_money_in(text: &str, from: usize, to: usize) -> Vec<MoneyMention> {
    let hay = &text[from..to];
    let mut out: Vec<MoneyMention> = Vec::new();
    for whole in PREFIXED.find_iter(hay) {
        let Some(PrefixedParts {
            currency: cur,
            sign,
            number,
            close,
            scale,
        }) = PrefixedParts::read(hay, whole.range())
        else {
            continue;
        };
        // A bare `m`/`b`/`k` scale must not eat the start of a word: `$5 by` is not `$5 b`.
        let scale = scale.filter(|s| {
            s.len() > 1
                || hay[s.end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphabetic())
        });
        // The symbol must not be glued to a preceding letter (`ABC$5`).
        if cur.start > 0 && hay.as_bytes()[cur.start - 1].is_ascii_alphanumeric() {
            continue;
        }
        let exp = scale
            .clone()
            .and_then(|s| scale_exponent(&hay[s]))
            .unwrap_or(0);
        let Some(value) = scaled_value(&hay[number.clone()], exp) else {
            continue;
        };
        let before_currency = cur.start.checked_sub(1).map(|i| (i, hay.as_bytes()[i]));
        let open = match before_currency {
            Some((i, b @ (b'(' | b'-'))) => Some((i, b)),
            _ => sign.map(|at| (at, hay.as_bytes()[at])),
        };
        let closed = close.is_some();
        let negative =
            matches!(open, Some((_, b'-'))) || (matches!(open, Some((_, b'('))) && closed);
        let start = match open {
            Some((at, b'(')) if closed => at.min(cur.start),
            _ => cur.start,
        };
        let end = match &scale {
            Some(s) => s.end,
            None => close.map_or(number.end, |at| at + 1),
        };
        out.push(mention(
            text,
            from,
            start,
            end,
            value,
            currency_code(&hay[cur]),
            negative,
            scale.is_some(),
        ));
    }
    for caps in SUFFIXED.captures_iter(hay) {
        let whole = caps.get(0).expect("group 0");
        if out
            .iter()
            .any(|m| m.start < from + whole.end() && from + whole.start() < m.end)
        {
            continue;
        }
        let num = caps.name("num").expect("number");
        let scale = caps.name("scale");
        let exp = scale.and_then(|s| scale_exponent(s.as_str())).unwrap_or(0);
        let Some(value) = scaled_value(num.as_str(), exp) else {
            continue;
        };
        let cur = caps.name("scur").expect("currency");
        out.push(mention(
            text,
            from,
            whole.start(),
            whole.end(),
            value,
            currency_code(cur.as_str()),
            false,
            scale.is_some(),
        ));
    }
    out.sort_by_key(|m| m.start);
    borrow_scales(text, &mut out);
    out
}

#[allow(clippy::too_many_arguments)]
fn mention(
    text: &str,
    from: usize,
    start: usize,
    end: usize,
    value: f64,
    currency: &'static str,
    negative: bool,
    has_scale: bool,
) -> MoneyMention {
    let (start, end) = (from + start, from + end);
    let after = &text[end..ceil_boundary(text, end + 40)];
    let before = &text[floor_boundary(text, start.saturating_sub(40))..start];
    MoneyMention {
        start,
        end,
        value,
        currency,
        negative,
        has_scale,
        per_share: PER_SHARE.is_match(after),
        is_change: CHANGE_BEFORE.is_match(before) || CHANGE_AFTER.is_match(after),
    }
}

/// `$15.9 and $37.3 million`: the first amount takes the scale of the second when only
/// `and`/`or`/`to` stands between them.
fn borrow_scales(text: &str, found: &mut [MoneyMention]) {
    for i in (0..found.len().saturating_sub(1)).rev() {
        let (a, b) = (found[i], found[i + 1]);
        if a.has_scale || !b.has_scale || a.per_share || a.currency != b.currency {
            continue;
        }
        let between = text[a.end..b.start].trim();
        if matches!(
            between,
            "and" | "or" | "to" | "-" | "," | "and approximately"
        ) {
            let exp = scale_exponent(
                text[..b.end]
                    .rsplit(|c: char| !c.is_alphabetic())
                    .next()
                    .unwrap_or(""),
            )
            .unwrap_or(0);
            found[i].value *= 10f64.powi(exp);
            found[i].has_scale = true;
        }
    }
}

crate::text::pattern::compile_rules!(PREFIXED, SUFFIXED, PER_SHARE, CHANGE_BEFORE, CHANGE_AFTER);

#[cfg(test)]
mod tests {
    use super::*;

    fn money(text: &str) -> Vec<MoneyMention> {
        find_money_in(text, 0, text.len())
    }

    fn values(text: &str) -> Vec<(f64, &'static str)> {
        money(text).iter().map(|m| (m.value, m.currency)).collect()
    }

    /// The parts read from a match are what the regex's groups held.
    #[test]
    fn prefixed_parts_read_from_the_match_as_from_its_groups() {
        let edges = [
            "$(2.5) million, $-3, $ (4.25)M, US$1,234,567.89 bn, U.S. $5 mm, U.S.$.5 k, CHF 12 ",
            "RMB ¥10.5 million; EUR€3 Mio; $1,2345; $5. next; $5 by; $5 mé; $5\u{a0}million; ₹ 9 K",
            "A$7 thousand, HK$45 million, AUD $ 3.1, $12.5bn, $1,234.5 trillion, $3)",
            "$4.2\n\nmillion; $4.2\n\n\nbillion; $4.2\n\n\n\nmillion; $7\n\nm; $(3.1)\n\nthousand",
        ];
        let mut checked = 0;
        for text in crate::text::sample_texts(&edges) {
            for caps in PREFIXED.captures_iter(&text) {
                let whole = caps.get(0).unwrap();
                let parts = PrefixedParts::read(&text, whole.range()).unwrap();
                let cur = caps.name("cur").unwrap();
                let code = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
                assert_eq!(parts.currency.start, cur.start(), "{}", whole.as_str());
                assert_eq!(code(&text[parts.currency.clone()]), code(cur.as_str()));
                assert_eq!(parts.sign, caps.name("neg2").map(|m| m.start()));
                assert_eq!(parts.number, caps.name("num").unwrap().range());
                assert_eq!(parts.close, caps.name("close").map(|m| m.start()));
                let scale = caps.name("scale").or_else(|| caps.name("scale_word"));
                assert_eq!(parts.scale, scale.map(|m| m.range()));
                checked += 1;
            }
        }
        assert!(
            checked > crate::text::at_least(200, 50),
            "amounts checked: {checked}"
        );
    }

    /// The one-pass reading gives what parsing the cleaned digits gave, on every kind of input.
    #[test]
    fn scaled_values_read_as_the_cleaned_digits_parse() {
        fn by_parse(digits: &str, exp: i32) -> Option<f64> {
            let clean: String = digits.chars().filter(|c| *c != ',').collect();
            let (int_part, frac_part) = clean.split_once('.').unwrap_or((clean.as_str(), ""));
            let mantissa: u64 = format!("{int_part}{frac_part}").parse().ok()?;
            let shift = exp - frac_part.len() as i32;
            Some(if shift >= 0 {
                mantissa as f64 * 10f64.powi(shift)
            } else {
                mantissa as f64 / 10f64.powi(-shift)
            })
        }
        let mut inputs: Vec<String> = [
            "15.9",
            "1,234,567",
            ".5",
            "5.",
            "0.12",
            "",
            ",",
            ".",
            "1.2.3",
            "12a",
            "18446744073709551615",
            "18446744073709551616",
            "1,8446,744,073,709,551,615.0",
            "00.000",
            "2.74",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every string of up to five characters from digits, commas and full stops.
        let alphabet = ['1', '0', '9', ',', '.'];
        let mut frontier = vec![String::new()];
        for _ in 0..5 {
            frontier = frontier
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            inputs.extend(frontier.iter().cloned());
        }
        for digits in &inputs {
            for exp in [0, 3, 6, 9] {
                assert_eq!(
                    scaled_value(digits, exp),
                    by_parse(digits, exp),
                    "{digits} e{exp}"
                );
            }
        }
    }

    /// The code read through the stack buffer is the one the cleaned, lower-cased copy gave.
    #[test]
    fn currency_codes_as_from_a_folded_copy() {
        fn by_copy(symbol: &str) -> &'static str {
            let s: String = symbol.chars().filter(|c| !c.is_whitespace()).collect();
            code_of_folded(&s.to_ascii_lowercase())
        }
        let mut symbols: Vec<String> = [
            "US$",
            "U.S. $",
            "usd",
            "CAD $",
            "Pounds Sterling",
            "pounds  sterling",
            "RMB ¥",
            "€",
            "EUR€",
            "₹",
            "Swiss Francs",
            "u.s. dollars",
            "poundssterlingx",
            "a very long currency name",
            "ＵＳＤ",
            "US\u{a0}$",
            "",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for text in crate::text::sample_texts(&[]) {
            for caps in PREFIXED.captures_iter(&text) {
                symbols.push(caps["cur"].to_string());
            }
            for caps in SUFFIXED.captures_iter(&text) {
                symbols.push(caps["scur"].to_string());
            }
        }
        for symbol in &symbols {
            assert_eq!(currency_code(symbol), by_copy(symbol), "{symbol}");
        }
    }

    #[test]
    fn scales_are_exact() {
        assert_eq!(values("was $15.9 million"), vec![(15_900_000.0, "USD")]);
        assert_eq!(
            values("awarded $2.29 million from"),
            vec![(2_290_000.0, "USD")]
        );
        assert_eq!(
            values("the $18 billion business"),
            vec![(18_000_000_000.0, "USD")]
        );
        assert_eq!(
            values("R&D expenses of $2.74M, down"),
            vec![(2_740_000.0, "USD")]
        );
        assert_eq!(values("cash of $1,234,567"), vec![(1_234_567.0, "USD")]);
        assert_eq!(values("$850 thousand"), vec![(850_000.0, "USD")]);
    }

    #[test]
    fn currencies() {
        assert_eq!(values("RMB 10.5 million"), vec![(10_500_000.0, "CNY")]);
        assert_eq!(values("€3.4m in grants"), vec![(3_400_000.0, "EUR")]);
        assert_eq!(values("US$1.2 billion"), vec![(1_200_000_000.0, "USD")]);
        assert_eq!(values("HK$45 million"), vec![(45_000_000.0, "HKD")]);
        assert_eq!(values("12.5 million euros"), vec![(12_500_000.0, "EUR")]);
        assert_eq!(values("EUR 7.1 million"), vec![(7_100_000.0, "EUR")]);
    }

    #[test]
    fn respectively_pairs_borrow_the_scale() {
        assert_eq!(
            values("was $15.9 and $37.3 million respectively"),
            vec![(15_900_000.0, "USD"), (37_300_000.0, "USD")]
        );
    }

    #[test]
    fn per_share_and_negative() {
        let m = money("a net loss of $(2.5) million, or $(0.12) per basic and diluted share");
        assert_eq!(m.len(), 2);
        assert!(m[0].negative && !m[0].per_share);
        assert_eq!(m[0].value, 2_500_000.0);
        assert!(m[1].negative && m[1].per_share);
        assert_eq!(m[1].value, 0.12);
    }

    #[test]
    fn changes_are_flagged() {
        let m = money("were $5.1 million, a decrease of $1.2 million compared to $6.3 million");
        assert_eq!(
            m.iter().map(|m| m.is_change).collect::<Vec<_>>(),
            vec![false, true, false]
        );
    }

    #[test]
    fn scale_letter_needs_a_word_end() {
        assert_eq!(values("raised $5 by selling"), vec![(5.0, "USD")]);
    }
}
