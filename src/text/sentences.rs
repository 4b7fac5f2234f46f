//! Sentence splitting tuned to press releases: survives `Inc.`, `Md.`, `Calif.`, `U.S.`, `No.`,
//! `vs.`, initials, decimals and list numbers, and treats each line of a release as ending a
//! sentence unless the line is plainly hard-wrapped prose.

use std::sync::LazyLock;

/// A sentence as a byte range of the normalised text, trimmed of surrounding white space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
}

/// Words that end with a period without ending a sentence. Compared case-sensitively with the
/// word just before the period; single capital letters (initials, `U.S.`) are handled apart.
const ABBREVIATIONS: &[&str] = &[
    "Inc", "Corp", "Co", "Ltd", "Cos", "Bros", "Pte", "Pty", "Md", "Calif", "Cal", "Mass", "Penn",
    "Conn", "Fla", "Ga", "Ill", "Ind", "Mich", "Minn", "Tex", "Va", "Wash", "Wis", "Ariz", "Colo",
    "Del", "Ky", "La", "Mo", "Nev", "Okla", "Ore", "Pa", "Tenn", "Ala", "Ark", "Kan", "Neb",
    "Miss", "Mont", "Wyo", "Vt", "Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "Mt", "Ft",
    "Ave", "Blvd", "Rd", "Ste", "No", "Nos", "no", "vs", "v", "e.g", "i.e", "approx", "Approx",
    "Fig", "Figs", "fig", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
    "Nov", "Dec", "Gov", "Sen", "Rep", "Gen", "Col", "Lt", "Capt", "Dept", "dept", "est", "al",
    "cf", "ca", "Ph.D", "M.D", "Pharm.D", "Ph", "Vol", "vol", "pp", "Ref", "ref", "Mfg", "Intl",
    "Assn", "Univ", "Hon",
];

fn is_abbreviation(word: &str) -> bool {
    if word.len() == 1 && word.as_bytes()[0].is_ascii_uppercase() {
        return true; // an initial, or a part of U.S. / N.V. / S.A.
    }
    // Dotted forms such as `U.S` or `e.g`: every part one or two letters.
    if word.contains('.') && word.split('.').all(|p| !p.is_empty() && p.len() <= 2) {
        return true;
    }
    // Asked at most sentence ends: a scan of the list there was 2% of a load, and hashing each
    // word for a set of them still 0.6% of the archive's instructions. As numbers, the words are
    // found in a sorted list with a few comparisons.
    static SORTED: LazyLock<Vec<u64>> = LazyLock::new(|| {
        let mut words: Vec<u64> = ABBREVIATIONS.iter().map(|w| packed(w)).collect();
        words.sort_unstable();
        words
    });
    word.len() <= LONGEST_ABBREVIATION && SORTED.binary_search(&packed(word)).is_ok()
}

/// A word of at most seven bytes as one number: its bytes, zeros after them, and its length in
/// the last byte, so that two words are equal exactly when their numbers are.
fn packed(word: &str) -> u64 {
    let mut bytes = [0u8; 8];
    bytes[..word.len()].copy_from_slice(word.as_bytes());
    bytes[7] = word.len() as u8;
    u64::from_le_bytes(bytes)
}

/// The length of the longest word in [`ABBREVIATIONS`]: no longer word needs looking up.
const LONGEST_ABBREVIATION: usize = {
    let mut longest = 0;
    let mut i = 0;
    while i < ABBREVIATIONS.len() {
        if ABBREVIATIONS[i].len() > longest {
            longest = ABBREVIATIONS[i].len();
        }
        i += 1;
    }
    // Each must fit in the number `packed` makes of it.
    assert!(longest <= 7, "an abbreviation longer than seven bytes");
    longest
};

/// The word (letters, digits and inner dots) that ends right before byte `pos`.
fn word_before(text: &str, pos: usize) -> &str {
    let bytes = text.as_bytes();
    let mut i = pos;
    while i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'.') {
        i -= 1;
    }
    text[i..pos].trim_start_matches('.')
}

/// Splits `text` into sentences.
pub fn split_sentences(text: &str) -> Vec<Sentence> {
    // Room for a sentence per 64 bytes: the archive's releases average 135 bytes a sentence
    // (34 of its 24,636 hold more sentences than this) and the generated ones 84. Grown a push
    // at a time, the list took ~5 reallocations a release.
    let mut out = Vec::with_capacity(text.len() / 64 + 4);
    let bytes = text.as_bytes();
    let mut line_start = 0;
    let mut sent_start = 0;
    while line_start <= bytes.len() {
        let line_end =
            memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i);
        split_line(text, line_start, line_end, &mut sent_start, &mut out);
        if line_end >= bytes.len() {
            push_trimmed(text, sent_start, bytes.len(), &mut out);
            break;
        }
        // A line break ends the sentence unless the line is wrapped prose continuing in lower case.
        let next_start = line_end + 1;
        if !continues_on_next_line(text, line_start, line_end, next_start)
            && !mention_continues(&text[sent_start..line_end], &text[next_start..])
        {
            push_trimmed(text, sent_start, line_end, &mut out);
            sent_start = next_start;
        }
        line_start = next_start;
    }
    out
}

/// Whether a sentence goes on after a line break or a blank line because the break falls
/// inside a mention (hard-wrapped text, a `<p>` that ends mid-phrase): a phase and its numeral
/// ("the Phase\n1 trial"), a month and its day ("ended June\n30, 2024"), an amount and its
/// scale ("$4.2\nmillion"), a currency sign and its amount ("$\n4.2 million"). A mention is
/// one mention, whatever the wrapping.
fn mention_continues(so_far: &str, after: &str) -> bool {
    let so_far = so_far.trim_end();
    let mut words_back = so_far.rsplit(|c: char| c.is_whitespace());
    let last_word = words_back.next().unwrap_or("");
    let word_before = words_back.next().unwrap_or("");
    let next = after.trim_start();
    let next_word = next
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    let next_is_number = next.bytes().next().is_some_and(|b| b.is_ascii_digit());
    let is_phase = last_word.eq_ignore_ascii_case("phase")
        && next
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_digit() || b == b'I' || b == b'V');
    // Capitalised only: a line ending in "may" is a verb far more often than a month.
    let is_month = crate::mentions::dates::is_month_name;
    let day = last_word.trim_end_matches(',');
    let next_is_year = next.len() >= 4
        && (next.starts_with("19") || next.starts_with("20"))
        && next.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    let is_date = (next_is_number && is_month(last_word))
        || (next_is_year
            && is_month(word_before)
            && (1..=2).contains(&day.len())
            && day.bytes().all(|b| b.is_ascii_digit()));
    let is_amount = last_word.ends_with(|c: char| c.is_ascii_digit())
        && last_word.starts_with(CURRENCY_SIGNS)
        && SCALE_WORDS
            .iter()
            .any(|s| s.eq_ignore_ascii_case(next_word));
    let is_currency = next_is_number && CURRENCY_WORDS.contains(&last_word);
    is_phase || is_date || is_amount || is_currency
}

const CURRENCY_SIGNS: &[char] = &['$', '\u{20ac}', '\u{a3}', '\u{a5}', '(', '-'];
const CURRENCY_WORDS: &[&str] = &[
    "$", "US$", "\u{20ac}", "\u{a3}", "\u{a5}", "RMB", "HK$", "C$", "A$",
];
const SCALE_WORDS: &[&str] = &["thousand", "million", "billion", "trillion"];

/// A line this long that stops without a full stop is taken for hard-wrapped prose.
const HARD_WRAPPED_LINE: usize = 50;

fn continues_on_next_line(
    text: &str,
    line_start: usize,
    line_end: usize,
    next_start: usize,
) -> bool {
    let line = text[line_start..line_end].trim_end();
    if line.len() < HARD_WRAPPED_LINE || line.ends_with(['.', '!', '?', ';', '"', ')']) {
        return false;
    }
    let next = text[next_start..].trim_start_matches([' ', '\t']);
    let Some(&first) = next.as_bytes().first() else {
        return false;
    };
    // A long line that ends in a colon goes on only in lower case ("leukemia:\nupdated
    // results"): before a capital it introduces what follows.
    if first.is_ascii_lowercase() {
        return true;
    }
    if line.ends_with(':') {
        return false;
    }
    // Hard-wrapped prose (fixed-width exhibits, text wires): a long line that stops mid-clause
    // goes on in the next, whatever its first letter. Not a heading, a table row or a list item.
    let next_line = &next[..memchr::memchr(b'\n', next.as_bytes()).unwrap_or(next.len())];
    line.len() >= HARD_WRAPPED_LINE
        && (first.is_ascii_uppercase()
            || first.is_ascii_digit()
            || next.starts_with(['$', '\u{20ac}', '\u{a3}', '\u{a5}', '(']))
        && !line.starts_with('#')
        && memchr::memchr(b'|', line.as_bytes()).is_none()
        && memchr::memchr(b'|', next_line.as_bytes()).is_none()
        && next_line.trim_end().len() >= 3
}

fn split_line(text: &str, from: usize, to: usize, sent_start: &mut usize, out: &mut Vec<Sentence>) {
    let bytes = text.as_bytes();
    let mut i = from;
    // Only terminators matter; memchr finds the next one a vector at a time.
    while let Some(p) = memchr::memchr3(b'.', b'!', b'?', &bytes[i.min(to)..to]) {
        i += p;
        let b = bytes[i];
        {
            // Take closing quotes, brackets and footnote markers with the terminator.
            let mut j = i + 1;
            while j < to && matches!(bytes[j], b'"' | b'\'' | b')' | b']') {
                j += 1;
            }
            while j < to && text[j..].starts_with(['\u{b9}', '\u{b2}', '\u{b3}']) {
                j += 2;
            }
            let gap_end = {
                let mut k = j;
                while k < to && matches!(bytes[k], b' ' | b'\t' | b'\r') {
                    k += 1;
                }
                k
            };
            if gap_end > j && gap_end < to && starts_sentence(bytes[gap_end]) {
                let ends = if b == b'.' {
                    !is_abbreviation(word_before(text, i))
                } else {
                    true
                };
                if ends {
                    push_trimmed(text, *sent_start, j, out);
                    *sent_start = gap_end;
                }
            }
            i = j.max(i + 1);
        }
    }
}

fn starts_sentence(b: u8) -> bool {
    b.is_ascii_uppercase()
        || b.is_ascii_digit()
        || matches!(b, b'"' | b'\'' | b'(' | b'[' | b'-' | b'*' | b'#')
        || b >= 0x80
}

/// Pushes `text[start..end]` without the white space (as `char::is_whitespace` has it) at its
/// ends, unless nothing is left.
fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Sentence>) {
    let (s, e) = trimmed(text, start, end);
    if s < e {
        out.push(Sentence { start: s, end: e });
    }
}

/// `text[start..end]` trimmed as `str::trim` does, ASCII spaces a byte at a time: `str::trim`
/// decodes every character it looks at, and this ran for each of the ~60 sentences of a
/// release (1.5% of the engine's instructions on the archive).
fn trimmed(text: &str, start: usize, end: usize) -> (usize, usize) {
    // `char::is_whitespace` in ASCII: tab, line feed, vertical tab, form feed, carriage return
    // and space (`u8::is_ascii_whitespace` leaves out the vertical tab).
    let space = |b: u8| matches!(b, b'\t'..=b'\r' | b' ');
    let bytes = text.as_bytes();
    let (mut s, mut e) = (start, end);
    while s < e && space(bytes[s]) {
        s += 1;
    }
    while e > s && space(bytes[e - 1]) {
        e -= 1;
    }
    // An edge that is not ASCII may be white space of another kind (a no-break space).
    if s < e && (!bytes[s].is_ascii() || !bytes[e - 1].is_ascii()) {
        let slice = &text[s..e];
        let (lead, trail) = (
            slice.len() - slice.trim_start().len(),
            slice.len() - slice.trim_end().len(),
        );
        (s, e) = (s + lead, e - trail);
    }
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phase_broken_over_lines_stays_in_its_sentence() {
        for text in [
            "Acme began the Phase\n1 trial of AB-12. It enrolls adults.",
            "Acme began the Phase\n\nII trial of AB-12. It enrolls adults.",
            "Acme began the phase \n 3 trial of AB-12. It enrolls adults.",
        ] {
            let s = split_sentences(text);
            assert_eq!(s.len(), 2, "{text:?}: {s:?}");
            assert!(text[s[0].start..s[0].end].ends_with("AB-12."), "{text:?}");
        }
        // A heading that ends in "Phase" and a list starting with a number stay apart from
        // the words before, unless it is the numeral: "Next Phase\nPlans" is two lines.
        assert_eq!(
            split_sentences("The Next Phase\nPlans for 2025 follow.").len(),
            2
        );
        assert_eq!(split_sentences("Emphase\n1 item").len(), 2);
    }

    #[test]
    fn a_date_or_amount_broken_over_lines_stays_in_its_sentence() {
        for text in [
            "Net loss for the quarter ended June\n30, 2024 was flat. Cash rose.",
            "Net loss for the quarter ended Sept.\n\n30, 2024 was flat. Cash rose.",
            "Net loss for the quarter was $4.2\nmillion, flat. Cash rose.",
            "Net loss for the quarter was $4.2\n\nmillion, flat. Cash rose.",
            "Net loss for the quarter was US$\n4.2 million, flat. Cash rose.",
            "Net loss for the quarter ended June 30,\n2024 was flat. Cash rose.",
        ] {
            let s = split_sentences(text);
            assert_eq!(s.len(), 2, "{text:?}: {s:?}");
            assert!(text[s[0].start..s[0].end].ends_with("flat."), "{text:?}");
        }
        // Lines that only look alike stay apart: a verb "may", a year, a count of people.
        for text in [
            "Results may\n2 follow.",
            "Revenue was $4.2\nMillions of people use it.",
            "Fiscal 2024\n30 patients were dosed.",
        ] {
            assert_eq!(split_sentences(text).len(), 2, "{text:?}");
        }
    }

    fn split(text: &str) -> Vec<&str> {
        split_sentences(text)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    /// The byte-wise trim trims what `str::trim` does, with every kind of white space at
    /// either end, alone or mixed, and nothing left at all.
    #[test]
    fn trimmed_is_str_trim() {
        let spaces = [
            " ", "\t", "\n", "\u{b}", "\u{c}", "\r", "\u{85}", "\u{a0}", "\u{2028}", "\u{3000}",
        ];
        let cores = ["", "x", "é", "a b", "\u{a0}x\u{a0}", "x\u{200b}", "日本"];
        let mut checked = 0;
        for left in spaces.iter().chain([&""]) {
            for inner in spaces.iter().chain([&""]) {
                for core in cores {
                    for right in spaces.iter().chain([&""]) {
                        let text = format!("<{left}{inner}{core}{inner}{right}>");
                        let (start, end) = (1, text.len() - 1);
                        let slice = &text[start..end];
                        let want_start = start + slice.len() - slice.trim_start().len();
                        let want_end = end - (slice.len() - slice.trim_end().len());
                        let (s, e) = trimmed(&text, start, end);
                        if want_start < want_end {
                            assert_eq!((s, e), (want_start, want_end), "{text:?}");
                        } else {
                            assert!(s >= e, "{text:?}");
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 800);
    }

    #[test]
    fn every_abbreviation_is_asked() {
        for word in ABBREVIATIONS {
            assert!(word.len() <= LONGEST_ABBREVIATION, "{word}");
            assert!(is_abbreviation(word), "{word}");
        }
        for word in ["Incs", "Corporation", "Pharm.Ds", "", "ok", "Inc\u{0}"] {
            assert!(!is_abbreviation(word), "{word}");
        }
        // Words a letter longer or shorter, or in another casing, are abbreviations exactly
        // when the list (or the initials and dotted forms) says so.
        let listed = |w: &str| {
            (w.len() == 1 && w.as_bytes()[0].is_ascii_uppercase())
                || (w.contains('.') && w.split('.').all(|p| !p.is_empty() && p.len() <= 2))
                || ABBREVIATIONS.contains(&w)
        };
        let mut asked = 0;
        for word in ABBREVIATIONS {
            let variants = [
                format!("{word}s"),
                format!("{word}x1"),
                format!("A{word}"),
                word[..word.len() - 1].to_string(),
                word.to_uppercase(),
                word.to_lowercase(),
            ];
            for v in variants {
                assert_eq!(is_abbreviation(&v), listed(&v), "{v}");
                asked += 1;
            }
        }
        assert!(asked > 600);
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let t = "GAITHERSBURG, Md. and SHANGHAI, Dec. 4, 2020 - Acme Inc. (NASDAQ: AC) said the U.S. FDA agreed. It is No. 1 vs. peers.";
        assert_eq!(
            split(t),
            vec![
                "GAITHERSBURG, Md. and SHANGHAI, Dec. 4, 2020 - Acme Inc. (NASDAQ: AC) said the U.S. FDA agreed.",
                "It is No. 1 vs. peers."
            ]
        );
    }

    #[test]
    fn decimals_and_quotes() {
        let t = "Net loss was $15.9 million. \"We grew,\" said Dr. J. Smith. Revenue rose 3.5%.";
        assert_eq!(
            split(t),
            vec![
                "Net loss was $15.9 million.",
                "\"We grew,\" said Dr. J. Smith.",
                "Revenue rose 3.5%."
            ]
        );
    }

    #[test]
    fn lines_end_sentences_but_wrapped_prose_continues() {
        let t = "About the Study\nThis Phase I study will enroll 22 patients to evaluate the safety and\nefficacy of C-CAR088.\n\nContact:\nSarah Kelly";
        assert_eq!(
            split(t),
            vec![
                "About the Study",
                "This Phase I study will enroll 22 patients to evaluate the safety and\nefficacy of C-CAR088.",
                "Contact:",
                "Sarah Kelly"
            ]
        );
    }

    #[test]
    fn closing_quote_stays_with_its_sentence() {
        let t = "we will have 70,000 square feet,\" said Tony Liu, CEO. \"All plasmids are made in-house.\"";
        assert_eq!(
            split(t),
            vec![
                "we will have 70,000 square feet,\" said Tony Liu, CEO.",
                "\"All plasmids are made in-house.\""
            ]
        );
    }

    #[test]
    fn footnote_marker_after_period() {
        let t = "a 19 percent increase since 2016.\u{b9} Despite the increase, gaps exist.";
        assert_eq!(
            split(t),
            vec![
                "a 19 percent increase since 2016.\u{b9}",
                "Despite the increase, gaps exist."
            ]
        );
    }
}
