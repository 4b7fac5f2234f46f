//! Stage 4: facts. Each module assembles one table's rows from the mentions of a document.

pub mod contacts;
pub mod document;
pub mod events;
pub mod facilities;
pub mod financials;
pub mod grants;
pub mod metrics;
pub mod partnerships;
pub mod quotes;
pub mod regulatory;
pub mod release_date;
pub mod reporting_period;
pub mod statements;
pub mod table;
pub mod trials;
pub mod triggers;
pub mod whose;

use crate::mentions::conferences::ConferenceMention;
use crate::mentions::dictionary::Hit;
use crate::mentions::index::MentionIndex;
use crate::mentions::lexicon::{Entry, Lexicon, TermKind, TermMatch};
use crate::mentions::products::ProductMention;
use crate::text::structure::Structure;
use crate::text::Sentence;
use triggers::{SentenceTriggers, Trigger};

/// A fact with where it was found, in byte offsets of the normalised text.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub start: usize,
    pub end: usize,
    /// Index into the document's sentences: the evidence.
    pub sentence: usize,
    /// The name of the rule that made the row (`rules/<table>.toml`).
    pub rule: &'static str,
    pub fact: T,
}

/// Everything the fact assemblers share about one document.
pub struct DocContext<'a> {
    pub text: &'a str,
    /// The text's non-blank lines ([`crate::text::nonblank_lines`]).
    pub lines: &'a [(usize, usize)],
    pub sentences: &'a [Sentence],
    pub lexicon: &'a Lexicon,
    pub terms: &'a [TermMatch],
    pub products: &'a [ProductMention],
    pub conferences: &'a [ConferenceMention],
    pub triggers: &'a SentenceTriggers,
    /// The issuer's name and ticker as the header gives them, if it does.
    pub company: Option<&'a str>,
    pub ticker: Option<&'a str>,
    /// The release's date as its header gives it.
    pub date: Option<chrono::NaiveDate>,
    /// Where the words every contact heading holds one of occur in the text.
    pub contact_heading_words: &'a [Hit],
    /// Money, periods, dates and phases, each found once for every table that reads them.
    pub mentions: MentionIndex<'a>,
    /// Each sentence's section (headline, body, about, forward-looking, contacts), paragraph,
    /// and whether it is a table row.
    pub structure: Structure<'a>,
}

impl<'a> DocContext<'a> {
    /// False when sentence `si` holds none of the words the rule of `trigger` needs.
    pub fn may_hold(&self, si: usize, trigger: Trigger) -> bool {
        self.triggers.may_hold(si, trigger)
    }

    /// False when sentence `si` holds no word of any of `triggers`.
    pub fn may_hold_any(&self, si: usize, triggers: &[Trigger]) -> bool {
        self.triggers.may_hold_any(si, triggers)
    }

    /// The issuer's name and ticker, those of them the header gives.
    pub fn issuer(&self) -> Vec<&'a str> {
        [self.company, self.ticker].into_iter().flatten().collect()
    }

    /// The sentence holding byte `pos`.
    pub fn sentence_at(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.end <= pos);
        (i < self.sentences.len() && self.sentences[i].start <= pos).then_some(i)
    }

    /// Lexicon matches of `kind` inside `start..end`.
    pub fn terms_in(
        &self,
        start: usize,
        end: usize,
        kind: TermKind,
    ) -> impl Iterator<Item = (&'a TermMatch, &'a Entry)> + '_ {
        let from = self.terms.partition_point(|t| t.start < start);
        self.terms[from..]
            .iter()
            .take_while(move |t| t.end <= end)
            .map(|t| (t, &self.lexicon.entries[t.entry as usize]))
            .filter(move |(_, e)| e.kind == kind)
    }

    /// Product mentions inside `start..end`.
    pub fn products_in(&self, start: usize, end: usize) -> &'a [ProductMention] {
        let from = self.products.partition_point(|p| p.start < start);
        let to = self.products.partition_point(|p| p.start < end);
        let slice = &self.products[from..to.max(from)];
        let keep = slice.iter().take_while(|p| p.end <= end).count();
        &slice[..keep]
    }
}

/// Each module's `compile_rules` (`text::pattern::compile_rules!`), to build every rule up front.
pub(crate) const RULE_COMPILERS: &[fn()] = &[
    contacts::compile_rules,
    document::compile_rules,
    events::compile_rules,
    facilities::compile_rules,
    financials::compile_rules,
    grants::compile_rules,
    partnerships::compile_rules,
    quotes::compile_rules,
    regulatory::compile_rules,
    reporting_period::compile_rules,
    statements::compile_rules,
    trials::compile_rules,
    triggers::compile_rules,
];
