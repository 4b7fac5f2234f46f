//! Every word list of the engine (lexicon terms, conference names, rule trigger words, INN
//! endings, contact-heading words) found in one scan per document.
//!
//! Each list used to have its own automaton, and the five scans over every document were a
//! third of the time spent on real releases. Now two overlapping automata, one over the
//! patterns of every list matched in any ASCII casing and one over the exact-case lists, report
//! every occurrence of every pattern; [`Hits::leftmost_longest`] then gives each list exactly what a
//! leftmost-longest automaton of its own would have reported.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::{contiguous, noncontiguous};
use aho_corasick::{dfa, Anchored, MatchKind};

/// One list of patterns, matched either exactly or in any ASCII casing.
#[derive(Debug, Clone, Default)]
pub struct WordList {
    pub patterns: Vec<String>,
    pub exact_case: bool,
}

impl WordList {
    pub fn new(patterns: Vec<String>, exact_case: bool) -> WordList {
        WordList {
            patterns,
            exact_case,
        }
    }

    /// A list of fixed words written in the source.
    pub fn of(words: &[&str], exact_case: bool) -> WordList {
        WordList::new(words.iter().map(|w| w.to_string()).collect(), exact_case)
    }
}

/// An occurrence of pattern `id` of a list, in byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub id: u32,
}

/// The compiled union of several word lists: one automaton for the lists matched in any
/// casing and one for the exact-case lists.
///
/// The exact-case lists are mostly short acronyms (`US`, `MET`, `ASH`); folded into the
/// case-insensitive automaton they matched inside ordinary words hundreds of times per document
/// (`us` in "focus") only to be dropped for their casing, and reporting those matches cost more
/// than a second pass over the text does.
#[derive(Debug)]
pub struct Dictionary {
    automata: Automata,
    n_lists: usize,
}

/// The two automata, of one kind: `None` for a side that has no patterns.
#[derive(Debug)]
enum Automata {
    Fast([Option<Tagged<dfa::DFA>>; 2]),
    Compact([Option<Tagged<contiguous::NFA>>; 2]),
}

/// One automaton and, for each of its patterns, the list it came from and its index there.
#[derive(Debug)]
struct Tagged<A> {
    automaton: A,
    tags: Vec<(u16, u32)>,
    /// The longest pattern, in bytes: how far back a scan started mid-text must begin.
    longest: usize,
}

impl Dictionary {
    /// The dictionary with DFAs: the fastest scan, but a build of ~15 ms and several megabytes
    /// for the engine's lists.
    pub fn new(lists: &[&WordList]) -> Result<Dictionary, String> {
        let sides = Dictionary::sides(lists, |nfa| {
            dfa::Builder::new().build_from_noncontiguous(nfa)
        })?;
        Ok(Dictionary {
            automata: Automata::Fast(sides),
            n_lists: lists.len(),
        })
    }

    /// The dictionary with compact NFAs: built in a few milliseconds, it scans at about half the
    /// speed of [`Dictionary::new`]'s, which is the better deal for a few hundred releases.
    /// Both report exactly the same hits.
    pub fn compact(lists: &[&WordList]) -> Result<Dictionary, String> {
        let sides = Dictionary::sides(lists, |nfa| {
            contiguous::Builder::new().build_from_noncontiguous(nfa)
        })?;
        Ok(Dictionary {
            automata: Automata::Compact(sides),
            n_lists: lists.len(),
        })
    }

    /// The automaton over every folded list's patterns and the one over every exact-case list's.
    /// `finish` turns the automaton's first form, a noncontiguous NFA, into the kind scanned.
    fn sides<A>(
        lists: &[&WordList],
        finish: impl Fn(&noncontiguous::NFA) -> Result<A, aho_corasick::BuildError>,
    ) -> Result<[Option<Tagged<A>>; 2], String> {
        let side = |exact_case: bool| -> Result<Option<Tagged<A>>, String> {
            let mut patterns: Vec<&str> = Vec::new();
            let mut tags = Vec::new();
            for (li, list) in lists.iter().enumerate() {
                if list.exact_case != exact_case {
                    continue;
                }
                for (pi, p) in list.patterns.iter().enumerate() {
                    patterns.push(p);
                    tags.push((li as u16, pi as u32));
                }
            }
            if patterns.is_empty() {
                return Ok(None);
            }
            // Standard (overlapping) matching reports every occurrence, so no list's match
            // hides another's.
            let automaton = noncontiguous::Builder::new()
                .ascii_case_insensitive(!exact_case)
                .match_kind(MatchKind::Standard)
                .prefilter(false)
                .build(&patterns)
                .and_then(|nfa| finish(&nfa))
                .map_err(|e| e.to_string())?;
            let longest = patterns.iter().map(|p| p.len()).max().unwrap_or(0);
            Ok(Some(Tagged {
                automaton,
                tags,
                longest,
            }))
        };
        Ok([side(false)?, side(true)?])
    }

    /// Every occurrence of every pattern in `text`, by list, in the order the scan met their ends.
    pub fn scan(&self, text: &str) -> Hits {
        let mut lists = vec![Vec::new(); self.n_lists];
        match &self.automata {
            Automata::Fast(sides) => scan_sides(sides, text.as_bytes(), &mut lists),
            Automata::Compact(sides) => scan_sides(sides, text.as_bytes(), &mut lists),
        }
        Hits(lists)
    }
}

/// Texts shorter than this are scanned in one piece: splitting them saves less than the
/// second half's run-in costs.
const SPLIT_FROM: usize = 1024;

/// Scans `text` with whichever of the two automata exist, pushing each hit onto its list.
fn scan_sides<A: Automaton>(sides: &[Option<Tagged<A>>; 2], text: &[u8], lists: &mut [Vec<Hit>]) {
    match sides {
        [Some(folded), Some(exact)] => scan_split([folded, exact], text, lists),
        [Some(one), None] | [None, Some(one)] => scan_split([one], text, lists),
        [None, None] => {}
    }
}

/// The overlapping scan of every automaton in `automata` over `text`, stepped in lockstep over
/// the text's two halves.
///
/// A scan is a chain of table lookups, each waiting for the one before; on real releases the
/// word scan spent its time waiting, not computing. Stepping independent chains (each automaton,
/// and each over its own half of the text) in one loop lets the processor overlap the lookups:
/// on the archive corpus two automata over two halves scan 1.6x as fast as two plain passes.
///
/// The second half's chains start `longest` bytes before the middle with hits dropped until
/// they pass it: an automaton's state is the longest suffix of what it has read that begins a
/// pattern, which is never longer than the longest pattern, so by the middle they are in the state
/// a scan from the start would be. Hits ending at or before the middle are the first half's.
fn scan_split<A: Automaton, const N: usize>(
    automata: [&Tagged<A>; N],
    text: &[u8],
    lists: &mut [Vec<Hit>],
) {
    let longest = automata.iter().map(|a| a.longest).max().unwrap_or(0);
    let start = |a: &Tagged<A>| {
        a.automaton
            .start_state(Anchored::No)
            .expect("unanchored automata have an unanchored start state")
    };
    let mut first: [StateID; N] = automata.map(start);
    if text.len() < SPLIT_FROM.max(4 * longest) {
        for (at, &byte) in text.iter().enumerate() {
            for k in 0..N {
                first[k] = automata[k]
                    .automaton
                    .next_state(Anchored::No, first[k], byte);
                report(automata[k], first[k], at + 1, lists);
            }
        }
        return;
    }
    let middle = text.len() / 2;
    let mut second: [StateID; N] = automata.map(start);
    for &byte in &text[middle - longest..middle] {
        for k in 0..N {
            second[k] = automata[k]
                .automaton
                .next_state(Anchored::No, second[k], byte);
        }
    }
    // The second half's hits wait here so each list stays in the order of the hits' ends.
    let mut later: Vec<Vec<Hit>> = vec![Vec::new(); lists.len()];
    let (head, tail) = text.split_at(middle);
    for (at, (&a, &b)) in head.iter().zip(tail).enumerate() {
        for k in 0..N {
            let automaton = &automata[k].automaton;
            first[k] = automaton.next_state(Anchored::No, first[k], a);
            second[k] = automaton.next_state(Anchored::No, second[k], b);
            report(automata[k], first[k], at + 1, lists);
            report(automata[k], second[k], middle + at + 1, &mut later);
        }
    }
    // An odd length leaves the tail one byte longer than the head.
    for (at, &byte) in tail.iter().enumerate().skip(head.len()) {
        for k in 0..N {
            second[k] = automata[k]
                .automaton
                .next_state(Anchored::No, second[k], byte);
            report(automata[k], second[k], middle + at + 1, &mut later);
        }
    }
    for (list, hits) in lists.iter_mut().zip(later) {
        list.extend(hits);
    }
}

/// Pushes the patterns that end at `end` in state `state` onto their lists.
#[inline(always)]
fn report<A: Automaton>(tagged: &Tagged<A>, state: StateID, end: usize, lists: &mut [Vec<Hit>]) {
    let automaton = &tagged.automaton;
    if !(automaton.is_special(state) && automaton.is_match(state)) {
        return;
    }
    for index in 0..automaton.match_len(state) {
        let pattern = automaton.match_pattern(state, index);
        let (list, id) = tagged.tags[pattern.as_usize()];
        lists[list as usize].push(Hit {
            start: end - automaton.pattern_len(pattern),
            end,
            id,
        });
    }
}

/// What [`Dictionary::scan`] found, list by list (in the order the lists were given).
#[derive(Debug, Clone, Default)]
pub struct Hits(Vec<Vec<Hit>>);

impl Hits {
    /// Every occurrence of list `list`'s patterns, overlapping ones included.
    pub fn all(&self, list: usize) -> &[Hit] {
        self.0.get(list).map_or(&[], Vec::as_slice)
    }

    /// The matches a leftmost-longest automaton over list `list` alone reports: the earliest
    /// start wins, the longest of those, and the scan resumes after it.
    pub fn leftmost_longest(&self, list: usize) -> Vec<Hit> {
        let mut hits = self.all(list).to_vec();
        hits.sort_unstable_by_key(|h| (h.start, std::cmp::Reverse(h.end), h.id));
        let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
        for h in hits {
            if out.last().is_none_or(|last| h.start >= last.end) {
                out.push(h);
            }
        }
        out
    }

    /// [`Hits::leftmost_longest`], keeping the matches that are whole words of `text`. The
    /// boundary is checked after the longest match is chosen, as the lists' own automata did.
    pub fn whole_words(&self, list: usize, text: &str) -> Vec<Hit> {
        let mut hits = self.leftmost_longest(list);
        hits.retain(|h| crate::text::is_whole_word(text, h.start, h.end));
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, AhoCorasickBuilder};

    /// Every hit of `lists` in `text` as one overlapping `AhoCorasick` search per list reports it.
    fn hits_of_plain_searches(lists: &[&WordList], text: &str) -> Vec<Vec<Hit>> {
        lists
            .iter()
            .map(|l| {
                let ac: AhoCorasick = AhoCorasickBuilder::new()
                    .ascii_case_insensitive(!l.exact_case)
                    .build(&l.patterns)
                    .unwrap();
                let mut hits: Vec<Hit> = ac
                    .find_overlapping_iter(text)
                    .map(|m| Hit {
                        start: m.start(),
                        end: m.end(),
                        id: m.pattern().as_u32(),
                    })
                    .collect();
                hits.sort_by_key(|h| (h.end, h.start, h.id));
                hits
            })
            .collect()
    }

    /// The split, lockstep scan finds exactly what plain overlapping searches do, with both kinds
    /// of automaton, on texts short and long, odd and even, with hits across the middle.
    #[test]
    fn split_scans_find_what_plain_searches_find() {
        let folded = WordList::of(
            &[
                "cell therapy",
                "cell",
                "therapy",
                "car-t",
                "mab",
                "phase",
                "t cell",
            ],
            false,
        );
        let exact = WordList::of(&["ASH", "US", "CAR", "ASCO Annual Meeting"], true);
        let only_folded = WordList::of(&["ell", "apy"], false);
        let sentence = "Our CAR-T cell therapy (a T cell mAb) goes to phase 2 in the US; ASH and \
                        the ASCO Annual Meeting will hear of it. Therapy cells, thereafter. ";
        for repeats in [1, 7, 40, 41] {
            // A one-byte shift makes odd lengths and moves the middle through every pattern.
            for shift in ["", "x"] {
                let text = format!("{shift}{}", sentence.repeat(repeats));
                for lists in [
                    vec![&folded, &exact, &only_folded],
                    vec![&exact],
                    vec![&folded],
                ] {
                    let want = hits_of_plain_searches(&lists, &text);
                    for dict in [Dictionary::new(&lists), Dictionary::compact(&lists)] {
                        let hits = dict.unwrap().scan(&text);
                        for (li, want) in want.iter().enumerate() {
                            let mut got = hits.all(li).to_vec();
                            assert!(got.is_sorted_by_key(|h| h.end), "list {li} in end order");
                            got.sort_by_key(|h| (h.end, h.start, h.id));
                            assert_eq!(&got, want, "list {li}, {} bytes", text.len());
                        }
                    }
                }
            }
        }
    }

    /// Each list gets what a leftmost-longest automaton of its own would have reported.
    #[test]
    fn lists_match_as_their_own_automata_would() {
        let folded = WordList::of(&["new york", "york", "new", "ash"], false);
        let exact = WordList::of(&["ASH", "US"], true);
        let dict = Dictionary::new(&[&folded, &exact]).unwrap();
        let text = "New York: ASH and the ash tree; focus on US";
        let hits = dict.scan(text);
        for (li, l) in [&folded, &exact].into_iter().enumerate() {
            let own = AhoCorasickBuilder::new()
                .ascii_case_insensitive(!l.exact_case)
                .match_kind(MatchKind::LeftmostLongest)
                .build(&l.patterns)
                .unwrap();
            let want: Vec<(usize, usize, u32)> = own
                .find_iter(text)
                .map(|m| (m.start(), m.end(), m.pattern().as_u32()))
                .collect();
            let got: Vec<(usize, usize, u32)> = hits
                .leftmost_longest(li)
                .iter()
                .map(|h| (h.start, h.end, h.id))
                .collect();
            assert_eq!(got, want, "list {li}");
        }
        // "us" inside "focus" is a folded occurrence only; the exact list sees "US" alone.
        assert_eq!(hits.all(1).len(), 2);
        assert!(hits.all(7).is_empty());
    }
}
