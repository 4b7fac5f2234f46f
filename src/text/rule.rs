//! The compiled form of a rule and its matches: the `regex` crate's `Regex` API (the subset the
//! rules use), over `regex-automata`'s meta regex, which `regex::Regex` wraps too.
//!
//! The wrapper exists for one setting the `regex` crate does not expose: whether a rule gets a
//! literal prefilter. Building prefilters was ~13 of the ~30 ms that compiling every rule costs a
//! first load, and most rules only ever search one sentence or a short gap that a trigger word
//! already picked, where a prefilter saves nothing. Rules that search whole documents keep theirs
//! ([`crate::text::pattern::scanning_regex`]). Matching is the same either way: leftmost-first,
//! UTF-8 haystacks, empty matches only at character boundaries, as `regex::Regex` configures it.

use regex_automata::{
    meta, nfa::thompson::WhichCaptures, util::captures, util::iter, util::syntax, Anchored, Input,
    MatchKind, PatternID, PatternSet,
};
use std::borrow::Cow;
use std::ops::Range;

/// One compiled rule.
#[derive(Clone, Debug)]
pub struct Rule {
    meta: meta::Regex,
}

impl Rule {
    /// Compiles `pattern` (already in the engine's dialect) with or without a literal prefilter.
    pub fn new(pattern: &str, prefilter: bool) -> Result<Rule, Box<meta::BuildError>> {
        let config = regex_config()
            .match_kind(MatchKind::LeftmostFirst)
            .auto_prefilter(prefilter);
        let meta = build(config, &[pattern])?;
        Ok(Rule { meta })
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.meta.is_match(haystack)
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        self.find_at(haystack, 0)
    }

    /// The first match starting at or after `start`, with the text before it still seen by
    /// look-behind assertions such as `\b` and `^`.
    pub fn find_at<'h>(&self, haystack: &'h str, start: usize) -> Option<Match<'h>> {
        let input = Input::new(haystack).span(start..haystack.len());
        self.meta
            .search(&input)
            .map(|m| Match::new(haystack, m.range()))
    }

    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> impl Iterator<Item = Match<'h>> + 'r
    where
        'h: 'r,
    {
        self.meta
            .find_iter(haystack)
            .map(move |m| Match::new(haystack, m.range()))
    }

    /// Where each match of [`Rule::find_iter`] ends, found without looking for where it starts
    /// (a search backwards from every end), for callers that read on from the end.
    pub fn match_ends<'r, 'h>(&'r self, haystack: &'h str) -> impl Iterator<Item = usize> + 'r
    where
        'h: 'r,
    {
        let mut searcher = iter::Searcher::new(Input::new(haystack));
        std::iter::from_fn(move || {
            searcher
                .advance_half(|input| Ok(self.meta.search_half(input)))
                .map(|m| m.offset())
        })
    }

    /// The matches that lie within `range` of `haystack`, which look-around assertions (`^`,
    /// `$`, `\b`) still see whole; offsets are into `haystack`.
    pub fn find_iter_in<'r, 'h>(
        &'r self,
        haystack: &'h str,
        range: Range<usize>,
    ) -> impl Iterator<Item = Match<'h>> + 'r
    where
        'h: 'r,
    {
        self.meta
            .find_iter(Input::new(haystack).span(range))
            .map(move |m| Match::new(haystack, m.range()))
    }

    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        self.search_captures(haystack, Anchored::No)
    }

    /// The match that starts where `haystack` starts, with its groups: what [`Rule::captures`]
    /// gives when its match starts there. When no match starts there the search stops at once,
    /// where `captures` would go on through the rest of the haystack for a later one.
    pub fn captures_at_start<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        self.search_captures(haystack, Anchored::Yes)
    }

    fn search_captures<'h>(&self, haystack: &'h str, anchored: Anchored) -> Option<Captures<'h>> {
        let mut caps = self.meta.create_captures();
        let input = Input::new(haystack).anchored(anchored);
        self.meta.search_captures(&input, &mut caps);
        caps.is_match().then_some(Captures { haystack, caps })
    }

    pub fn captures_iter<'r, 'h>(
        &'r self,
        haystack: &'h str,
    ) -> impl Iterator<Item = Captures<'h>> + 'r
    where
        'h: 'r,
    {
        self.meta
            .captures_iter(haystack)
            .map(move |caps| Captures { haystack, caps })
    }

    /// The names of the groups by index (group 0, the whole match, has none).
    pub fn capture_names(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        self.meta.group_info().pattern_names(PatternID::ZERO)
    }

    /// `haystack` with its first match replaced by `with` (taken literally: no `$` groups).
    pub fn replace<'h>(&self, haystack: &'h str, with: &str) -> Cow<'h, str> {
        self.replace_matches(haystack, self.find(haystack), with)
    }

    /// `haystack` with every match replaced by `with` (taken literally: no `$` groups).
    pub fn replace_all<'h>(&self, haystack: &'h str, with: &str) -> Cow<'h, str> {
        self.replace_matches(haystack, self.find_iter(haystack), with)
    }

    fn replace_matches<'h>(
        &self,
        haystack: &'h str,
        matches: impl IntoIterator<Item = Match<'h>>,
        with: &str,
    ) -> Cow<'h, str> {
        let mut matches = matches.into_iter().peekable();
        if matches.peek().is_none() {
            return Cow::Borrowed(haystack);
        }
        let mut out = String::with_capacity(haystack.len());
        let mut last = 0;
        for m in matches {
            out.push_str(&haystack[last..m.start()]);
            out.push_str(with);
            last = m.end();
        }
        out.push_str(&haystack[last..]);
        Cow::Owned(out)
    }
}

/// Several rules searched in one pass, which tells which of them match anywhere (what
/// `regex::RegexSet` does), built without a prefilter: sets search a short span each.
#[derive(Clone, Debug)]
pub struct RuleSet {
    meta: meta::Regex,
}

impl RuleSet {
    /// Compiles `patterns` (already in the engine's dialect) into one set.
    pub fn new<P: AsRef<str>>(patterns: &[P]) -> Result<RuleSet, Box<meta::BuildError>> {
        // What `regex::RegexSet::new` sets on top, less the prefilter.
        let config = regex_config()
            .match_kind(MatchKind::All)
            .which_captures(WhichCaptures::None)
            .auto_prefilter(false);
        let meta = build(config, patterns)?;
        Ok(RuleSet { meta })
    }

    /// The index of the first of the set's patterns that matches somewhere in `haystack`.
    pub fn first_matching(&self, haystack: &str) -> Option<usize> {
        self.matching(haystack).iter().next().map(|p| p.as_usize())
    }

    /// Every pattern of the set that matches somewhere in `haystack`.
    fn matching(&self, haystack: &str) -> PatternSet {
        let mut matched = PatternSet::new(self.meta.pattern_len());
        self.meta
            .which_overlapping_matches(&Input::new(haystack), &mut matched);
        matched
    }
}

/// A rule written as alternatives tried in order, as the one regex `(?:a|b|c)` would try them,
/// whose every match says which alternative it is.
///
/// The same regex with a named group per alternative needs a capture search to tell which group
/// took part: after the lazy DFA has found the match, a bounded backtracker runs over it again,
/// which on the generated corpus was most of what the metric rule cost. Compiled as one pattern
/// per alternative, the DFA's match carries the pattern's number instead.
#[derive(Clone, Debug)]
pub struct Alternatives {
    meta: meta::Regex,
}

impl Alternatives {
    /// Compiles `patterns` (already in the engine's dialect), most preferred first.
    pub fn new<P: AsRef<str>>(patterns: &[P]) -> Result<Alternatives, Box<meta::BuildError>> {
        let config = regex_config()
            .match_kind(MatchKind::LeftmostFirst)
            .which_captures(WhichCaptures::Implicit)
            .auto_prefilter(false);
        let meta = build(config, patterns)?;
        Ok(Alternatives { meta })
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.meta.is_match(haystack)
    }

    /// The matches, each with the index of its alternative.
    pub fn find_iter<'r, 'h>(
        &'r self,
        haystack: &'h str,
    ) -> impl Iterator<Item = (usize, Match<'h>)> + 'r
    where
        'h: 'r,
    {
        self.meta
            .find_iter(haystack)
            .map(move |m| (m.pattern().as_usize(), Match::new(haystack, m.range())))
    }
}

/// Rules searched in the same haystacks, most of which match in few of them: one pass of a set
/// over a haystack tells which of the rules match there at all, and only those search it.
///
/// Each search costs a fixed setup (a cache from the pool, a start state) besides the scan, which
/// on short spans such as one sentence is most of it; eight rules that find nothing cost eight.
#[derive(Clone, Debug)]
pub struct RuleList {
    rules: Vec<Rule>,
    set: RuleSet,
}

impl RuleList {
    /// Compiles `patterns` (already in the engine's dialect) into rules and their set.
    pub fn new<P: AsRef<str>>(patterns: &[P]) -> Result<RuleList, Box<meta::BuildError>> {
        let rules = patterns
            .iter()
            .map(|p| Rule::new(p.as_ref(), false))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(RuleList {
            rules,
            set: RuleSet::new(patterns)?,
        })
    }

    /// The rules, in the order their patterns were given.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// How many rules the list holds.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rules, by index, that match somewhere in `haystack`; the rest are left out, which
    /// never changes what a rule finds there.
    pub fn matching<'r, 'h>(&'r self, haystack: &'h str) -> Matching<'r, 'h> {
        Matching {
            list: self,
            haystack,
            matched: self.set.matching(haystack),
        }
    }
}

/// Which rules of a [`RuleList`] match in one haystack, and their matches there.
pub struct Matching<'r, 'h> {
    list: &'r RuleList,
    haystack: &'h str,
    matched: PatternSet,
}

impl<'r, 'h> Matching<'r, 'h> {
    fn rule(&self, index: usize) -> Option<&'r Rule> {
        self.matched
            .contains(PatternID::must(index))
            .then(|| &self.list.rules[index])
    }

    /// Rule `index`'s matches in the haystack, as [`Rule::find_iter`] gives them.
    pub fn find_iter(&self, index: usize) -> impl Iterator<Item = Match<'h>> + 'r
    where
        'h: 'r,
    {
        let haystack = self.haystack;
        self.rule(index)
            .into_iter()
            .flat_map(move |rule| rule.find_iter(haystack))
    }

    /// Rule `index`'s captures in the haystack, as [`Rule::captures_iter`] gives them.
    pub fn captures_iter(&self, index: usize) -> impl Iterator<Item = Captures<'h>> + 'r
    where
        'h: 'r,
    {
        let haystack = self.haystack;
        self.rule(index)
            .into_iter()
            .flat_map(move |rule| rule.captures_iter(haystack))
    }
}

/// The settings `regex::Regex` and `regex::RegexSet` build with, so rules match exactly as
/// they did when they were built by `regex`.
fn regex_config() -> meta::Config {
    meta::Config::new()
        .nfa_size_limit(Some(10 * (1 << 20)))
        .hybrid_cache_capacity(2 * (1 << 20))
        .utf8_empty(true)
}

fn build<P: AsRef<str>>(
    config: meta::Config,
    patterns: &[P],
) -> Result<meta::Regex, Box<meta::BuildError>> {
    meta::Builder::new()
        .configure(config)
        .syntax(syntax::Config::new().utf8(true))
        .build_many(patterns)
        .map_err(Box::new)
}

/// A match of a rule: a span of the haystack it was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match<'h> {
    haystack: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    fn new(haystack: &'h str, range: Range<usize>) -> Match<'h> {
        Match {
            haystack,
            start: range.start,
            end: range.end,
        }
    }

    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn as_str(&self) -> &'h str {
        &self.haystack[self.start..self.end]
    }
}

/// The groups of one match.
#[derive(Clone, Debug)]
pub struct Captures<'h> {
    haystack: &'h str,
    caps: captures::Captures,
}

impl<'h> Captures<'h> {
    /// Group `index` (0 is the whole match), when it took part in the match.
    pub fn get(&self, index: usize) -> Option<Match<'h>> {
        self.caps
            .get_group(index)
            .map(|span| Match::new(self.haystack, span.range()))
    }

    /// The group called `name`, when it took part in the match.
    ///
    /// Found by reading the pattern's few group names in order: regex's own lookup goes through
    /// a map that hashes the name with SipHash, which was ~0.3% of a load of the archive.
    pub fn name(&self, name: &str) -> Option<Match<'h>> {
        let pattern = self.caps.pattern()?;
        let index = self
            .caps
            .group_info()
            .pattern_names(pattern)
            .position(|group| group == Some(name))?;
        self.get(index)
    }
}

/// `caps[0]`: the text of a group that must have matched (panics otherwise, as in `regex`).
impl<'h> std::ops::Index<usize> for Captures<'h> {
    type Output = str;

    fn index(&self, index: usize) -> &str {
        self.get(index)
            .unwrap_or_else(|| panic!("no group at index '{index}'"))
            .as_str()
    }
}

/// `caps["name"]`: the text of a named group that must have matched.
impl<'h> std::ops::Index<&str> for Captures<'h> {
    type Output = str;

    fn index(&self, name: &str) -> &str {
        self.name(name)
            .unwrap_or_else(|| panic!("no group named '{name}'"))
            .as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ends are those of `find_iter`'s matches, including matches that could end earlier
    /// (`\s+` runs on) and ones that follow each other with no gap.
    #[test]
    fn match_ends_are_find_iter_ends() {
        let rule = Rule::new(r"(?:(?-u:\b)(?:with|from)|\)\s+and)\s+", true).unwrap();
        for text in [
            "a deal with   GE Healthcare (GEH) and Lonza, from with  from x",
            "withwith with",
            "",
            "Ünited with é from",
        ] {
            let ends: Vec<usize> = rule.find_iter(text).map(|m| m.end()).collect();
            assert_eq!(rule.match_ends(text).collect::<Vec<_>>(), ends, "{text}");
        }
        assert_eq!(
            rule.match_ends("a deal with   GE (GEH) and Lonza")
                .collect::<Vec<_>>(),
            vec![14, 27]
        );
    }

    /// At every position of a text, the anchored search gives what `captures` gives when its
    /// match starts there (groups and all), and nothing when `captures` finds a later match or
    /// none; `\b` at the start sees the haystack's start, as `captures` does.
    #[test]
    fn captures_at_start_is_captures_starting_there() {
        let rule = Rule::new(
            r"(?-u:\b)(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+)*)(?: \((?P<abbr>[A-Z]+)\))?",
            false,
        )
        .unwrap();
        let text =
            "with GE Healthcare (GEH) and the Centre for Regenerative Medicine, 2017, Ünited Lonza";
        let mut anchored_matches = 0;
        for (at, _) in text.char_indices() {
            let haystack = &text[at..];
            let expected = rule
                .captures(haystack)
                .filter(|c| c.get(0).unwrap().start() == 0);
            let got = rule.captures_at_start(haystack);
            let groups = |c: &Captures| -> Vec<Option<(usize, usize)>> {
                (0..3)
                    .map(|i| c.get(i).map(|m| (m.start(), m.end())))
                    .collect()
            };
            assert_eq!(
                expected.as_ref().map(groups),
                got.as_ref().map(groups),
                "at {at}"
            );
            anchored_matches += usize::from(got.is_some());
        }
        // Healthcare, Centre, Regenerative, Medicine, Lonza; not "GE" (no small letter follows),
        // not "ealthcare" (no boundary), not "Ünited" (Ü is outside A-Z).
        assert_eq!(anchored_matches, 5);
    }

    /// Alternatives match as their alternation does, and name the alternative that matched:
    /// the earliest start wins, then the first alternative that matches there.
    #[test]
    fn alternatives_match_as_their_alternation() {
        let patterns = [r"ab", r"abc", r"(?i)b\w*", r"c(?-u:\b)", r"\d+"];
        let alternatives = Alternatives::new(&patterns).unwrap();
        let groups: Vec<String> = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| format!("(?P<p{i}>{p})"))
            .collect();
        let alternation = regex::Regex::new(&groups.join("|")).unwrap();
        for haystack in ["abc", "xabcab Bcd 42c", "", "é b12 c", "cab"] {
            let want: Vec<(usize, std::ops::Range<usize>)> = alternation
                .captures_iter(haystack)
                .map(|c| {
                    let i = (0..patterns.len())
                        .find(|i| c.name(&format!("p{i}")).is_some())
                        .unwrap();
                    (i, c.get(0).unwrap().range())
                })
                .collect();
            let got: Vec<(usize, std::ops::Range<usize>)> = alternatives
                .find_iter(haystack)
                .map(|(i, m)| (i, m.range()))
                .collect();
            assert_eq!(got, want, "{haystack}");
            assert_eq!(
                alternatives.is_match(haystack),
                alternation.is_match(haystack)
            );
        }
        assert_eq!(alternatives.find_iter("abc").next().unwrap().0, 0);
    }

    /// Every method against `regex::Regex` on the same pattern and haystack, prefilter or not.
    #[test]
    fn rules_match_as_the_regex_crate_does() {
        let pattern = r"(?i)\b(?P<n>\d+)\s+(?P<unit>patients?|sites?)(?P<opt>!)?|x*";
        let haystack = "Enrolled 12 patients at 3 sites; é 40 Patients, none.";
        let want = regex::Regex::new(pattern).unwrap();
        for prefilter in [false, true] {
            let got = Rule::new(pattern, prefilter).unwrap();
            assert_eq!(got.is_match(haystack), want.is_match(haystack));
            assert_eq!(
                got.find_iter(haystack)
                    .map(|m| m.range())
                    .collect::<Vec<_>>(),
                want.find_iter(haystack)
                    .map(|m| m.range())
                    .collect::<Vec<_>>(),
            );
            for start in [0, 5, 11, 20, haystack.len()] {
                assert_eq!(
                    got.find_at(haystack, start).map(|m| m.range()),
                    want.find_at(haystack, start).map(|m| m.range()),
                );
            }
            // Every group by name, one that did not take part and one the pattern lacks.
            let names = ["n", "unit", "opt", "none"];
            let wanted: Vec<_> = want
                .captures_iter(haystack)
                .map(|c| names.map(|n| c.name(n).map(|m| m.range())))
                .collect();
            let found: Vec<_> = got
                .captures_iter(haystack)
                .map(|c| names.map(|n| c.name(n).map(|m| m.range())))
                .collect();
            assert_eq!(found, wanted);
            let c = got.captures("7 sites").unwrap();
            assert_eq!((&c["n"], &c[2], c.name("opt")), ("7", "sites", None));
            assert!(got
                .captures("")
                .is_some_and(|c| c.get(0).unwrap().is_empty()));
            assert_eq!(
                got.capture_names().collect::<Vec<_>>(),
                want.capture_names().collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn sets_tell_the_first_matching_pattern_as_the_regex_crate_does() {
        let patterns = [
            r"(?i)\bplanned\b",
            r"\d+ patients",
            r"(?i)ongoing|underway",
            r"^$",
        ];
        let want = regex::RegexSet::new(patterns).unwrap();
        let got = RuleSet::new(&patterns).unwrap();
        for haystack in [
            "",
            "a PLANNED study of 40 patients",
            "ongoing; 12 patients",
            "none",
        ] {
            let first = want.matches(haystack).iter().next();
            assert_eq!(got.first_matching(haystack), first, "{haystack:?}");
        }
    }

    /// A list's rules find through `matching` exactly what each finds alone: nothing where the
    /// set says it does not match, every match and capture where it does.
    #[test]
    fn lists_find_what_their_rules_find_alone() {
        let patterns = [
            r"(?i)\b(?P<n>\d+) patients",
            r"(?i)(?P<word>planned|ongoing)",
            r"^(?P<all>)$",
            r"(?P<q>Q[1-4]) (?P<y>\d{4})",
        ];
        let list = RuleList::new(&patterns).unwrap();
        assert_eq!(list.len(), 4);
        for haystack in [
            "",
            "a PLANNED study of 40 patients, then 12 Patients in Q3 2025 and Q4 2026",
            "ongoing",
            "none",
        ] {
            let matching = list.matching(haystack);
            for (i, pattern) in patterns.iter().enumerate() {
                let want = regex::Regex::new(pattern).unwrap();
                let found: Vec<(usize, usize)> = matching
                    .find_iter(i)
                    .map(|m| (m.start(), m.end()))
                    .collect();
                let expected: Vec<(usize, usize)> = want
                    .find_iter(haystack)
                    .map(|m| (m.start(), m.end()))
                    .collect();
                assert_eq!(found, expected, "{pattern} in {haystack:?}");
                let groups: Vec<Vec<Option<&str>>> = matching
                    .captures_iter(i)
                    .map(|c| (0..=2).map(|g| c.get(g).map(|m| m.as_str())).collect())
                    .collect();
                let expected: Vec<Vec<Option<&str>>> = want
                    .captures_iter(haystack)
                    .map(|c| (0..=2).map(|g| c.get(g).map(|m| m.as_str())).collect())
                    .collect();
                assert_eq!(groups, expected, "{pattern} in {haystack:?}");
            }
        }
    }

    #[test]
    fn replacing_matches_as_the_regex_crate_does() {
        let want = regex::Regex::new(r"\d+").unwrap();
        let rule = Rule::new(r"\d+", false).unwrap();
        assert!(matches!(
            rule.replace_all("none", "#"),
            Cow::Borrowed("none")
        ));
        for haystack in ["a 12 b 3", "7", "", "x1y22z"] {
            assert_eq!(
                rule.replace_all(haystack, "#"),
                want.replace_all(haystack, "#")
            );
            assert_eq!(rule.replace(haystack, ""), want.replace(haystack, ""));
        }
    }
}
