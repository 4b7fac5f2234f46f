//! Every word list of the engine (lexicon terms, conference names, rule trigger words, INN
//! endings, contact-heading words) found in one scan per document.
//!
//! Each list used to have its own automaton, and the five scans over every document were a
//! third of the time spent on real releases. Now two overlapping automata, one over the
//! patterns of every list matched in any ASCII casing and one over the exact-case lists, report
//! every occurrence of every pattern; [`Hits::leftmost_longest`] then gives each list exactly what a
//! leftmost-longest automaton of its own would have reported.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

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
    automata: Vec<TaggedAutomaton>,
    n_lists: usize,
}

/// One automaton and, for each of its patterns, the list it came from and its index there.
#[derive(Debug)]
struct TaggedAutomaton {
    ac: AhoCorasick,
    tags: Vec<(u16, u32)>,
}

impl Dictionary {
    /// The dictionary with DFAs: the fastest scan, but a build of ~15 ms and several megabytes
    /// for the engine's lists.
    pub fn new(lists: &[&WordList]) -> Result<Dictionary, String> {
        Dictionary::build(lists, AhoCorasickKind::DFA)
    }

    /// The dictionary with compact NFAs: built in a few milliseconds, it scans at about half the
    /// speed of [`Dictionary::new`]'s, which is the better deal for a few hundred releases.
    /// Both report exactly the same hits.
    pub fn compact(lists: &[&WordList]) -> Result<Dictionary, String> {
        Dictionary::build(lists, AhoCorasickKind::ContiguousNFA)
    }

    fn build(lists: &[&WordList], kind: AhoCorasickKind) -> Result<Dictionary, String> {
        let mut automata = Vec::new();
        for exact_case in [false, true] {
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
                continue;
            }
            let ac = AhoCorasickBuilder::new()
                .ascii_case_insensitive(!exact_case)
                // Overlapping search reports every occurrence, so no list's match hides another's.
                .match_kind(MatchKind::Standard)
                .kind(Some(kind))
                .build(&patterns)
                .map_err(|e| e.to_string())?;
            automata.push(TaggedAutomaton { ac, tags });
        }
        Ok(Dictionary {
            automata,
            n_lists: lists.len(),
        })
    }

    /// Every occurrence of every pattern in `text`, by list, in the order the scan met their ends.
    pub fn scan(&self, text: &str) -> Hits {
        let mut lists = vec![Vec::new(); self.n_lists];
        for automaton in &self.automata {
            for m in automaton.ac.find_overlapping_iter(text) {
                let (list, id) = automaton.tags[m.pattern().as_usize()];
                lists[list as usize].push(Hit {
                    start: m.start(),
                    end: m.end(),
                    id,
                });
            }
        }
        Hits(lists)
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
