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
use aho_corasick::{Anchored, MatchKind};
use std::cell::{Cell, RefCell};

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
    /// How many spaces of a long run of them [`Dictionary::scan_outside`] must keep: one more
    /// than the longest run of spaces in any pattern. `None` when a pattern is nothing but
    /// spaces, as it would match all along a run.
    spaces_kept: Option<usize>,
}

/// [`Dictionary::spaces_kept`] for these lists' patterns.
fn spaces_kept(lists: &[&WordList]) -> Option<usize> {
    let mut longest_run = 0;
    for pattern in lists.iter().flat_map(|l| &l.patterns) {
        if pattern.bytes().all(|b| b == b' ') {
            return None;
        }
        let runs = pattern.as_bytes().split(|&b| b != b' ');
        longest_run = longest_run.max(runs.map(<[u8]>::len).max().unwrap_or(0));
    }
    Some(longest_run + 1)
}

/// The two automata, of one kind: `None` for a side that has no patterns.
#[derive(Debug)]
enum Automata {
    Fast([Option<Tagged<FlatDfa>>; 2]),
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
    /// The dictionary with flat DFAs: the fastest scan (~450 MB/s on real releases), but for
    /// the engine's lists a build of ~9 ms and 3.6 MB of tables.
    pub fn new(lists: &[&WordList]) -> Result<Dictionary, String> {
        let sides = Dictionary::sides(lists, |nfa, patterns, exact_case| {
            FlatDfa::new(
                nfa,
                &ByteClasses::of(patterns, !exact_case),
                MAX_FLAT_ENTRIES,
            )
        })?;
        Ok(Dictionary {
            automata: Automata::Fast(sides),
            n_lists: lists.len(),
            spaces_kept: spaces_kept(lists),
        })
    }

    /// The dictionary with compact NFAs: built in ~5 ms, it scans at a seventh of the speed of
    /// [`Dictionary::new`]'s (~62 MB/s), which is the better deal for up to a megabyte or so of
    /// text. Both report exactly the same hits.
    pub fn compact(lists: &[&WordList]) -> Result<Dictionary, String> {
        let sides = Dictionary::sides(lists, |nfa, _, _| {
            contiguous::Builder::new()
                .build_from_noncontiguous(nfa)
                .map_err(|e| e.to_string())
        })?;
        Ok(Dictionary {
            automata: Automata::Compact(sides),
            n_lists: lists.len(),
            spaces_kept: spaces_kept(lists),
        })
    }

    /// The automaton over every folded list's patterns and the one over every exact-case list's.
    /// `finish` turns the automaton's first form, a noncontiguous NFA over `patterns`, matched
    /// in exact case or not, into the kind scanned.
    fn sides<A>(
        lists: &[&WordList],
        finish: impl Fn(&noncontiguous::NFA, &[&str], bool) -> Result<A, String>,
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
                .map_err(|e| e.to_string())
                .and_then(|nfa| finish(&nfa, &patterns, exact_case))?;
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
        Hits(self.scan_bytes(text.as_bytes()))
    }

    fn scan_bytes(&self, text: &[u8]) -> Vec<Vec<Hit>> {
        HIT_LISTS.with_borrow_mut(|(firsts, laters)| {
            let n = self.n_lists;
            for lists in [&mut *firsts, &mut *laters] {
                lists.resize_with(n.max(lists.len()), Vec::new);
                lists.iter_mut().for_each(Vec::clear);
            }
            let (firsts, laters) = (&mut firsts[..n], &mut laters[..n]);
            match &self.automata {
                Automata::Fast(sides) => scan_sides(sides, text, firsts, laters),
                Automata::Compact(sides) => scan_sides(sides, text, firsts, laters),
            }
            let lists = firsts
                .iter()
                .zip(laters.iter())
                .map(|(first, later)| [first.as_slice(), later.as_slice()].concat())
                .collect();
            for list in firsts.iter_mut().chain(laters.iter_mut()) {
                if list.capacity() * std::mem::size_of::<Hit>() > KEEP_BUFFER_BYTES {
                    *list = Vec::new();
                }
            }
            lists
        })
    }

    /// [`Dictionary::scan`] of a text whose byte ranges `blanks` (in order, not overlapping)
    /// are all spaces: the web addresses normalising blanked out, 14% of the archive's bytes.
    /// Each is scanned as a run of [`Dictionary::spaces_kept`] spaces, and the hits are the ones
    /// the scan of the whole text finds.
    ///
    /// No pattern holds that many spaces in a row, so none spans such a run or ends past the
    /// run's first spaces or starts before its last ones, which both texts share; and where a
    /// scan stands after a run (the longest end of what it read that begins a pattern) begins
    /// within the run's last spaces. The kept spaces are the blank's first ones for a hit that
    /// ends in them and its last ones for a hit that starts in them.
    pub fn scan_outside(&self, text: &str, blanks: &[(usize, usize)]) -> Hits {
        let Some(kept) = self.spaces_kept else {
            return self.scan(text);
        };
        let bytes = text.as_bytes();
        // Where each shortened blank's kept spaces start in the shortened text, and how many
        // bytes it and the blanks before it lost.
        let mut shortened: Vec<(usize, usize)> = Vec::new();
        let mut short = SHORTENED_TEXT.take();
        short.clear();
        let mut copied_to = 0;
        let mut lost = 0;
        for &(start, end) in blanks {
            debug_assert!(bytes[start..end].iter().all(|&b| b == b' '));
            if end - start <= kept {
                continue;
            }
            short.extend_from_slice(&bytes[copied_to..start + kept]);
            lost += end - start - kept;
            shortened.push((short.len() - kept, lost));
            copied_to = end;
        }
        if shortened.is_empty() {
            // Nothing was copied: the buffer goes back for the next text.
            SHORTENED_TEXT.set(short);
            return self.scan(text);
        }
        short.extend_from_slice(&bytes[copied_to..]);
        let mut lists = self.scan_bytes(&short);
        if short.capacity() <= KEEP_BUFFER_BYTES {
            SHORTENED_TEXT.set(short);
        }
        // The bytes lost before a hit: by the blanks whose kept spaces end before its end, and
        // of those, the ones whose kept spaces start at or before its start. A list's hits come
        // in the order of their ends, so one walk along the blanks serves a list.
        let lost = |n: usize| n.checked_sub(1).map_or(0, |last| shortened[last].1);
        for list in &mut lists {
            let mut ended = 0;
            for hit in list {
                while ended < shortened.len() && shortened[ended].0 + kept < hit.end {
                    ended += 1;
                }
                let mut started = ended;
                while started < shortened.len() && shortened[started].0 <= hit.start {
                    started += 1;
                }
                hit.start += lost(started);
                hit.end += lost(ended);
            }
        }
        Hits(lists)
    }
}

/// A thread keeps a scan buffer only up to this size, so that one very large release (files
/// of up to 64 MB are read) does not hold its memory for the rest of the process.
const KEEP_BUFFER_BYTES: usize = 1 << 20;

/// One list of hits per word list.
type HitLists = Vec<Vec<Hit>>;

thread_local! {
    /// The hit lists of a thread's scans, for the first and the second half of a text, kept from
    /// one document to the next: lists grown a push at a time in every document were ~2% of a
    /// load's instructions (their reallocations and copies), and each document's lists are now
    /// one allocation of their final size.
    static HIT_LISTS: RefCell<(HitLists, HitLists)> = const { RefCell::new((Vec::new(), Vec::new())) };
    /// [`Dictionary::scan_outside`]'s shortened copy of a text, kept for the same reason.
    static SHORTENED_TEXT: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// Texts shorter than this are scanned in one piece: splitting them saves less than the
/// second half's run-in costs.
const SPLIT_FROM: usize = 1024;

/// Scans `text` with whichever of the two automata exist, pushing each hit onto its list.
fn scan_sides<A: Stepper>(
    sides: &[Option<Tagged<A>>; 2],
    text: &[u8],
    lists: &mut [Vec<Hit>],
    later: &mut [Vec<Hit>],
) {
    match sides {
        [Some(folded), Some(exact)] => scan_split([folded, exact], text, lists, later),
        [Some(one), None] | [None, Some(one)] => scan_split([one], text, lists, later),
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
/// a scan from the start would be. Hits ending at or before the middle are the first half's,
/// pushed onto `lists`; the second half's go onto `later`, so that each list followed by its
/// `later` one is in the order of the hits' ends.
#[inline(never)]
fn scan_split<A: Stepper, const N: usize>(
    automata: [&Tagged<A>; N],
    text: &[u8],
    lists: &mut [Vec<Hit>],
    later: &mut [Vec<Hit>],
) {
    let longest = automata.iter().map(|a| a.longest).max().unwrap_or(0);
    let mut first: [A::State; N] = automata.map(|a| a.automaton.start());
    if text.len() < SPLIT_FROM.max(4 * longest) {
        for (at, &byte) in text.iter().enumerate() {
            for k in 0..N {
                first[k] = automata[k].automaton.next(first[k], byte);
                report(automata[k], first[k], at + 1, lists);
            }
        }
        return;
    }
    let middle = text.len() / 2;
    let mut second: [A::State; N] = automata.map(|a| a.automaton.start());
    for &byte in &text[middle - longest..middle] {
        for k in 0..N {
            second[k] = automata[k].automaton.next(second[k], byte);
        }
    }
    let (head, tail) = text.split_at(middle);
    // The tail cut to the head's length, so that the loop's one bound covers both.
    let paired_tail = &tail[..head.len()];
    let mut at = 0;
    while at < head.len() {
        // Steps every chain until one enters a match state. Nothing here calls out, so the
        // chains' states stay in registers rather than going through the stack at every byte.
        let mut matched = false;
        while at < head.len() {
            let (a, b) = (head[at], paired_tail[at]);
            for k in 0..N {
                let automaton = &automata[k].automaton;
                first[k] = automaton.next(first[k], a);
                second[k] = automaton.next(second[k], b);
                matched |= automaton.is_match(first[k]) | automaton.is_match(second[k]);
            }
            if matched {
                break;
            }
            at += 1;
        }
        if !matched {
            break;
        }
        for k in 0..N {
            report(automata[k], first[k], at + 1, lists);
            report(automata[k], second[k], middle + at + 1, later);
        }
        at += 1;
    }
    // An odd length leaves the tail one byte longer than the head.
    for (at, &byte) in tail.iter().enumerate().skip(head.len()) {
        for k in 0..N {
            second[k] = automata[k].automaton.next(second[k], byte);
            report(automata[k], second[k], middle + at + 1, later);
        }
    }
}

/// Pushes the patterns that end at `end` in state `state` onto their lists.
#[inline(always)]
fn report<A: Stepper>(tagged: &Tagged<A>, state: A::State, end: usize, lists: &mut [Vec<Hit>]) {
    if tagged.automaton.is_match(state) {
        push_matches(tagged, state, end, lists);
    }
}

/// Kept out of the scan's loop, which then holds its chains of states in registers.
#[inline(never)]
fn push_matches<A: Stepper>(
    tagged: &Tagged<A>,
    state: A::State,
    end: usize,
    lists: &mut [Vec<Hit>],
) {
    tagged.automaton.for_each_match(state, |pattern, len| {
        let (list, id) = tagged.tags[pattern];
        lists[list as usize].push(Hit {
            start: end - len,
            end,
            id,
        });
    });
}

/// What a scan needs of an automaton: where it starts, where a byte takes it, and which
/// patterns end in a state.
trait Stepper {
    type State: Copy;
    fn start(&self) -> Self::State;
    fn next(&self, state: Self::State, byte: u8) -> Self::State;
    fn is_match(&self, state: Self::State) -> bool;
    /// Calls `f(pattern, length)` for each pattern that ends in match state `state`.
    fn for_each_match(&self, state: Self::State, f: impl FnMut(usize, usize));
}

impl Stepper for contiguous::NFA {
    type State = StateID;

    fn start(&self) -> StateID {
        self.start_state(Anchored::No)
            .expect("unanchored automata have an unanchored start state")
    }

    #[inline(always)]
    fn next(&self, state: StateID, byte: u8) -> StateID {
        self.next_state(Anchored::No, state, byte)
    }

    #[inline(always)]
    fn is_match(&self, state: StateID) -> bool {
        self.is_special(state) && Automaton::is_match(self, state)
    }

    fn for_each_match(&self, state: StateID, mut f: impl FnMut(usize, usize)) {
        for index in 0..self.match_len(state) {
            let pattern = self.match_pattern(state, index);
            f(pattern.as_usize(), self.pattern_len(pattern));
        }
    }
}

/// Which bytes an automaton cannot tell apart, as columns of a transition table.
struct ByteClasses {
    /// Each byte's column.
    of_byte: [u8; 256],
    /// One byte of each column.
    representatives: Vec<u8>,
}

impl ByteClasses {
    /// The columns of an automaton over `patterns`: one per byte that occurs in them (a letter
    /// and its other case share one when `fold_case`) and one for every byte that occurs in none,
    /// which from any state leads back to the start.
    fn of(patterns: &[&str], fold_case: bool) -> ByteClasses {
        let fold = |b: u8| if fold_case { b.to_ascii_lowercase() } else { b };
        let mut used = [false; 256];
        for p in patterns {
            for &b in p.as_bytes() {
                used[fold(b) as usize] = true;
            }
        }
        let mut of_byte = [0u8; 256];
        let mut representatives = Vec::new();
        let mut other: Option<u8> = None;
        for b in 0..=255u8 {
            let folded = fold(b);
            if folded != b {
                continue; // takes its lower case's column, below
            }
            if used[b as usize] {
                of_byte[b as usize] = representatives.len() as u8;
                representatives.push(b);
            } else {
                let column = *other.get_or_insert_with(|| {
                    representatives.push(b);
                    (representatives.len() - 1) as u8
                });
                of_byte[b as usize] = column;
            }
        }
        for b in 0..=255u8 {
            if fold(b) != b {
                of_byte[b as usize] = of_byte[fold(b) as usize];
            }
        }
        ByteClasses {
            of_byte,
            representatives,
        }
    }
}

/// An overlapping automaton's transitions resolved into one flat table, `trans[state + column]`:
/// a state is its row's offset, the rows are in breadth-first order (the shallow states where
/// most bytes leave a scan share cache lines) with the match states first, so "is this a match
/// state" is one comparison.
///
/// It replaced aho-corasick's own DFA, built from the same NFA. That DFA's rows are padded to a
/// power of two (8.5 MB for the engine's lists against 3.6 MB here), its build took ~40% more
/// instructions than this copy does, and stepping it through the `Automaton` interface the
/// scan's four chains of states did not fit in registers: every step went through the stack.
/// Over a sample of the archive the word scan went from ~250 to ~450 MB/s (medians of five
/// processes run in turn, each the best of five passes).
#[derive(Debug)]
struct FlatDfa {
    of_byte: [u8; 256],
    trans: Vec<u32>,
    start: Row,
    /// The states below this one are the match states.
    match_limit: usize,
    stride: u32,
    /// Match state `state / stride`'s patterns are `matches[match_ends[i]..match_ends[i + 1]]`,
    /// each as (pattern, length).
    match_ends: Vec<u32>,
    matches: Vec<(u32, u32)>,
}

/// The most transitions a flat table may hold (64 MB): the engine's lists need ~0.9 million.
/// A larger user lexicon gets the compact automaton instead, as a failed build always did. It
/// also keeps every state's row offset within `u32`.
const MAX_FLAT_ENTRIES: usize = 16 << 20;

impl FlatDfa {
    /// Copies the states of `automaton` that an unanchored scan can reach, unless that takes
    /// more than `max_entries` transitions.
    ///
    /// Each row is built as the textbook construction does, from the row of the state's failure
    /// state (a shallower one, so already built) with the state's own trie transitions written
    /// over it. Asking the NFA for every unanchored transition instead walked a chain of
    /// failure links for each of the ~0.9 million entries: four fifths of the build's
    /// instructions. An anchored `next_state` of a noncontiguous NFA follows no failure link (its
    /// source returns `DEAD` where it would), so it gives exactly a state's own transition, or
    /// `DEAD`; a test walks the finished table against the NFA's unanchored transitions.
    fn new(
        automaton: &noncontiguous::NFA,
        classes: &ByteClasses,
        max_entries: usize,
    ) -> Result<FlatDfa, String> {
        let start = automaton
            .start_state(Anchored::No)
            .map_err(|e| e.to_string())?;
        let stride = classes.representatives.len();
        // The states in breadth-first order, which is the order of their depth in the trie, and
        // each one's place there by its identifier (`u32::MAX` for none yet).
        let mut index: Vec<u32> = Vec::new();
        let mut order: Vec<StateID> = Vec::new();
        // Each state's failure state, by place: the state of the longest proper suffix of the
        // state's path that is a path of the trie.
        let mut fail: Vec<u32> = Vec::new();
        let mut place = |state: StateID, order: &mut Vec<StateID>| -> (u32, bool) {
            let id = state.as_usize();
            if id >= index.len() {
                index.resize(id + 1, u32::MAX);
            }
            let new = index[id] == u32::MAX;
            if new {
                index[id] = order.len() as u32;
                order.push(state);
            }
            (index[id], new)
        };
        place(start, &mut order);
        fail.push(0);
        let mut next: Vec<u32> = Vec::new();
        let mut k = 0;
        while k < order.len() {
            // Checked as the states are found, before the table is allocated. The last pass
            // finds no new state, so the check before it saw them all.
            if order.len() * stride > max_entries {
                return Err(format!(
                    "more than {max_entries} transitions for a flat table"
                ));
            }
            let state = order[k];
            let fail_row = fail[k] as usize * stride;
            for (column, &byte) in classes.representatives.iter().enumerate() {
                let own = automaton.next_state(Anchored::Yes, state, byte);
                let to = if automaton.is_dead(own) {
                    // Only the start state has no failure state, and it has a transition on
                    // every byte (back to itself where no pattern begins).
                    next[fail_row + column]
                } else {
                    let (to, new) = place(own, &mut order);
                    if new {
                        // A child of the start state fails to the start; a deeper one to where
                        // its parent's failure state goes on the same byte.
                        fail.push(if k == 0 { 0 } else { next[fail_row + column] });
                    }
                    to
                };
                next.push(to);
            }
            k += 1;
        }
        let (mut renumbered, others): (Vec<usize>, Vec<usize>) = (0..order.len())
            .partition(|&k| automaton.is_special(order[k]) && automaton.is_match(order[k]));
        let n_match = renumbered.len();
        renumbered.extend(others);
        let mut row_of = vec![0u32; order.len()];
        for (row, &k) in renumbered.iter().enumerate() {
            row_of[k] = (row * stride) as u32;
        }
        let mut trans = vec![0u32; order.len() * stride];
        for (k, targets) in next.chunks_exact(stride).enumerate() {
            let row = row_of[k] as usize;
            for (column, &to) in targets.iter().enumerate() {
                trans[row + column] = row_of[to as usize];
            }
        }
        let mut match_ends = vec![0u32];
        let mut matches = Vec::new();
        for &k in &renumbered[..n_match] {
            let state = order[k];
            for m in 0..automaton.match_len(state) {
                let pattern = automaton.match_pattern(state, m);
                matches.push((pattern.as_u32(), automaton.pattern_len(pattern) as u32));
            }
            match_ends.push(matches.len() as u32);
        }
        // What makes `next`'s unchecked lookup sound: every row offset in the table, and every
        // column, stays within it.
        let start = row_of[0];
        if std::iter::once(&start)
            .chain(&trans)
            .any(|&to| to as usize + stride > trans.len())
            || classes
                .of_byte
                .iter()
                .any(|&column| column as usize >= stride)
        {
            return Err("a flat table's row or column out of bounds".to_string());
        }
        Ok(FlatDfa {
            of_byte: classes.of_byte,
            trans,
            start: Row(start as usize),
            match_limit: n_match * stride,
            stride: stride as u32,
            match_ends,
            matches,
        })
    }
}

/// A state of a [`FlatDfa`]: its row's offset in the table. Only a table makes them (its start
/// state and its transitions), so a `Row` is a row of the table that made it. The table stores offsets as `u32`, half the
/// cache lines; a state holds one at full width, since widening it at every step was an
/// instruction per lookup of the scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Row(usize);

impl Stepper for FlatDfa {
    type State = Row;

    fn start(&self) -> Row {
        self.start
    }

    /// The scan's step, taken for every byte of every document by each automaton. The index is
    /// checked: unchecked, it saved a fifth of the word scan's instructions, a small part of a
    /// load, not worth an `unsafe` block.
    #[inline(always)]
    fn next(&self, state: Row, byte: u8) -> Row {
        Row(self.trans[state.0 + self.of_byte[byte as usize] as usize] as usize)
    }

    #[inline(always)]
    fn is_match(&self, state: Row) -> bool {
        state.0 < self.match_limit
    }

    fn for_each_match(&self, state: Row, mut f: impl FnMut(usize, usize)) {
        let i = state.0 / self.stride as usize;
        let range = self.match_ends[i] as usize..self.match_ends[i + 1] as usize;
        for &(pattern, len) in &self.matches[range] {
            f(pattern as usize, len as usize);
        }
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

    /// A thread keeps its scan buffers from one text to the next, but not those a very large
    /// text grew past [`KEEP_BUFFER_BYTES`]; and what it kept never shows in a later scan.
    #[test]
    fn threads_keep_only_small_scan_buffers() {
        let words = WordList::of(&["cell", "phase"], false);
        let dict = Dictionary::new(&[&words]).unwrap();
        let kept_text = || SHORTENED_TEXT.with(|c| c.take().capacity());
        let kept_hits =
            || HIT_LISTS.with_borrow(|(a, b)| a.iter().chain(b).map(Vec::capacity).sum::<usize>());
        let small = format!("cell phase{}cell", " ".repeat(40));
        let hits = dict.scan_outside(&small, &[(10, 50)]);
        assert_eq!(hits.all(0).len(), 3);
        assert!(kept_text() > 0 && kept_hits() > 0);
        // Over a megabyte of text and of hits (24 bytes each): neither is kept.
        let large = format!("{}{}", "cell ".repeat(250_000), " ".repeat(100));
        let hits = dict.scan_outside(&large, &[(1_250_000, 1_250_100)]);
        assert_eq!(hits.all(0).len(), 250_000);
        assert_eq!((kept_text(), kept_hits()), (0, 0));
        let hits = dict.scan_outside(&small, &[(10, 50)]);
        assert_eq!(
            hits.all(0).iter().map(|h| h.start).collect::<Vec<_>>(),
            [0, 5, 50]
        );
    }

    /// A scan around blanked runs of spaces finds every hit the whole scan finds, at the same
    /// offsets and in the same order: on random lists (spaces in them, runs of them too) and
    /// texts with random blanks, through both kinds of automaton.
    #[test]
    fn scans_outside_blanks_find_what_whole_scans_find() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let alphabet = prop::sample::select(vec!["a", "B", "z", " ", "  ", "-", "é", "1"]);
        let word = prop::collection::vec(alphabet.clone(), 1..6).prop_map(|w| w.concat());
        let list = (prop::collection::vec(word, 1..8), any::<bool>());
        let lists = prop::collection::vec(list, 1..4);
        let tokens = prop::collection::vec(alphabet, 0..600);
        // Blanks as (first token, tokens) pairs, sorted and made disjoint below.
        let blanks = prop::collection::vec((0..600usize, 1..40usize), 0..12);
        let mut runner = TestRunner::new(Config {
            cases: 300,
            ..Config::default()
        });
        runner
            .run(&(lists, tokens, blanks), |(lists, tokens, mut blanks)| {
                let lists: Vec<WordList> = lists
                    .into_iter()
                    .map(|(patterns, exact)| WordList::new(patterns, exact))
                    .filter(|l| l.patterns.iter().all(|p| p.trim() != ""))
                    .collect();
                let lists: Vec<&WordList> = lists.iter().collect();
                blanks.sort();
                let mut text = String::new();
                let mut ranges: Vec<(usize, usize)> = Vec::new();
                let mut blank = blanks.iter().peekable();
                let mut i = 0;
                while i < tokens.len() {
                    // Blanks that start inside an earlier one are skipped: they must not overlap.
                    while blank.next_if(|&&(first, _)| first < i).is_some() {}
                    match blank.next_if(|&&(first, _)| first == i) {
                        Some(&(_, n)) => {
                            let n = n.min(tokens.len() - i);
                            let width: usize = tokens[i..i + n].iter().map(|t| t.len()).sum();
                            ranges.push((text.len(), text.len() + width));
                            text.push_str(&" ".repeat(width));
                            i += n;
                        }
                        None => {
                            text.push_str(tokens[i]);
                            i += 1;
                        }
                    }
                }
                for dict in [Dictionary::new(&lists), Dictionary::compact(&lists)] {
                    let dict = dict.unwrap();
                    let whole = dict.scan(&text);
                    let outside = dict.scan_outside(&text, &ranges);
                    for li in 0..lists.len() {
                        prop_assert_eq!(outside.all(li), whole.all(li), "list {}", li);
                    }
                }
                Ok(())
            })
            .unwrap();
    }

    /// The flat table's columns lump bytes together; on patterns and texts drawn from a small
    /// alphabet of both cases, digits, punctuation and multi-byte letters, every hit is still
    /// the one plain searches find.
    #[test]
    fn flat_tables_find_what_plain_searches_find_on_any_text() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let alphabet =
            prop::sample::select(vec!["a", "A", "b", "B", "z", "1", "-", " ", "é", "É", "ö"]);
        let word = prop::collection::vec(alphabet.clone(), 1..6).prop_map(|w| w.concat());
        let list = (prop::collection::vec(word, 1..8), any::<bool>());
        let lists = prop::collection::vec(list, 1..4);
        let text = prop::collection::vec(alphabet, 0..3000).prop_map(|t| t.concat());
        let mut runner = TestRunner::new(Config {
            cases: 200,
            ..Config::default()
        });
        runner
            .run(&(lists, text), |(lists, text)| {
                let lists: Vec<WordList> = lists
                    .into_iter()
                    .map(|(patterns, exact)| WordList::new(patterns, exact))
                    .collect();
                let lists: Vec<&WordList> = lists.iter().collect();
                let want = hits_of_plain_searches(&lists, &text);
                let hits = Dictionary::new(&lists).unwrap().scan(&text);
                for (li, want) in want.iter().enumerate() {
                    let mut got = hits.all(li).to_vec();
                    got.sort_by_key(|h| (h.end, h.start, h.id));
                    prop_assert_eq!(&got, want);
                }
                Ok(())
            })
            .unwrap();
    }

    /// Walks the flat table and the NFA's own unanchored transitions side by side from their
    /// start states over every column: each flat state stands for exactly one NFA state, and
    /// both report the same patterns there. Returns how many states were compared.
    fn assert_flat_table_is_the_nfa(patterns: &[&str], fold_case: bool) -> usize {
        let nfa = noncontiguous::Builder::new()
            .ascii_case_insensitive(fold_case)
            .match_kind(MatchKind::Standard)
            .prefilter(false)
            .build(patterns)
            .unwrap();
        let classes = ByteClasses::of(patterns, fold_case);
        let flat = FlatDfa::new(&nfa, &classes, MAX_FLAT_ENTRIES).unwrap();
        let nfa_start = nfa.start_state(Anchored::No).unwrap();
        let mut nfa_of: std::collections::HashMap<Row, StateID> = [(flat.start, nfa_start)].into();
        let mut queue = vec![flat.start];
        while let Some(state) = queue.pop() {
            let nfa_state = nfa_of[&state];
            let mut flat_matches = Vec::new();
            if flat.is_match(state) {
                flat.for_each_match(state, |p, len| flat_matches.push((p, len)));
            }
            let nfa_matches: Vec<(usize, usize)> = if nfa.is_match(nfa_state) {
                (0..nfa.match_len(nfa_state))
                    .map(|i| nfa.match_pattern(nfa_state, i))
                    .map(|p| (p.as_usize(), nfa.pattern_len(p)))
                    .collect()
            } else {
                Vec::new()
            };
            assert_eq!(flat_matches, nfa_matches, "patterns of {patterns:?}");
            for byte in 0..=255u8 {
                let to = flat.next(state, byte);
                let nfa_to = nfa.next_state(Anchored::No, nfa_state, byte);
                match nfa_of.get(&to) {
                    Some(&seen) => assert_eq!(seen, nfa_to, "byte {byte} of {patterns:?}"),
                    None => {
                        nfa_of.insert(to, nfa_to);
                        queue.push(to);
                    }
                }
            }
        }
        let distinct: std::collections::HashSet<StateID> = nfa_of.values().copied().collect();
        assert_eq!(distinct.len(), nfa_of.len(), "one flat state per NFA state");
        assert_eq!(nfa_of.len() * flat.stride as usize, flat.trans.len());
        nfa_of.len()
    }

    /// The table built from failure rows is the NFA, state for state, on overlapping patterns
    /// (suffixes of others, shared prefixes, repeats, both cases, multi-byte letters) and on
    /// random lists.
    #[test]
    fn flat_tables_are_the_nfa_they_were_built_from() {
        let words = [
            "cell therapy",
            "therapy",
            "rapy",
            "the",
            "he",
            "hers",
            "his",
            "she",
            "aaa",
            "aa",
            "Phase",
            "phase 2",
            "é",
            "ÉTUDE",
            "étude",
            "abab",
            "bab",
            "ab",
            "b",
        ];
        for fold_case in [false, true] {
            assert!(assert_flat_table_is_the_nfa(&words, fold_case) > words.len());
        }

        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        let alphabet = prop::sample::select(vec!["a", "A", "b", "B", "1", " ", "é", "É"]);
        let word = prop::collection::vec(alphabet, 1..7).prop_map(|w| w.concat());
        let list = (prop::collection::vec(word, 1..12), any::<bool>());
        let mut runner = TestRunner::new(Config {
            cases: 200,
            ..Config::default()
        });
        runner
            .run(&list, |(patterns, fold_case)| {
                let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
                assert_flat_table_is_the_nfa(&refs, fold_case);
                Ok(())
            })
            .unwrap();
    }

    /// A table past its size limit is refused, not built: the engine then keeps the compact
    /// automaton (a very large user lexicon).
    #[test]
    fn flat_tables_past_the_limit_are_refused() {
        let patterns: Vec<String> = (0..200).map(|i| format!("term{i:03}x")).collect();
        let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
        let nfa = noncontiguous::Builder::new()
            .ascii_case_insensitive(true)
            .build(&refs)
            .unwrap();
        let classes = ByteClasses::of(&refs, true);
        let flat = FlatDfa::new(&nfa, &classes, MAX_FLAT_ENTRIES).unwrap();
        let entries = flat.trans.len();
        assert!(FlatDfa::new(&nfa, &classes, entries).is_ok());
        let refused = FlatDfa::new(&nfa, &classes, entries - 1).unwrap_err();
        assert!(refused.contains("transitions"), "{refused}");
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
