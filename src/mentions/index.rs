//! The mentions of one document, each kind found at most once and read by every fact table.
//!
//! The word-list mentions (lexicon terms, products, conferences, trigger words) are found for
//! the whole text before the fact tables run. The kinds found by costlier patterns (money,
//! periods, phases) are found on first use: the first table that asks for the money of a
//! sentence finds it, and every later one reads what was found. (The header's dateline is read
//! before this index exists, from the release's first lines only.) Most sentences are asked by no
//! table at all, so finding them all up front would cost more than it saves.

use std::cell::OnceCell;

use super::dates::{find_dates, DateMention};
use super::money::{find_money_in, MoneyMention};
use super::periods::{find_periods_in, fiscal_year_end, FiscalCalendar, PeriodMention};
use super::phases::{find_phases_in, PhaseMention};
use crate::text::Sentence;

/// One document's mentions by sentence.
pub struct MentionIndex<'a> {
    text: &'a str,
    sentences: &'a [Sentence],
    money: Vec<OnceCell<Vec<MoneyMention>>>,
    periods: Vec<OnceCell<Vec<PeriodMention>>>,
    phases: OnceCell<Vec<PhaseMention>>,
    dates: OnceCell<Vec<DateMention>>,
    fiscal: OnceCell<FiscalCalendar>,
}

impl<'a> MentionIndex<'a> {
    pub fn new(text: &'a str, sentences: &'a [Sentence]) -> MentionIndex<'a> {
        MentionIndex {
            text,
            sentences,
            money: std::iter::repeat_with(OnceCell::new)
                .take(sentences.len())
                .collect(),
            periods: std::iter::repeat_with(OnceCell::new)
                .take(sentences.len())
                .collect(),
            phases: OnceCell::new(),
            dates: OnceCell::new(),
            fiscal: OnceCell::new(),
        }
    }

    /// The amounts of money in sentence `si`, in order.
    pub fn money(&self, si: usize) -> &[MoneyMention] {
        let s = self.sentences[si];
        self.money[si].get_or_init(|| find_money_in(self.text, s.start, s.end))
    }

    /// The period phrases of sentence `si`, in order, read with the document's fiscal calendar.
    pub fn periods(&self, si: usize) -> &[PeriodMention] {
        let s = self.sentences[si];
        self.periods[si].get_or_init(|| find_periods_in(self.text, s.start, s.end, self.fiscal()))
    }

    /// The fiscal year the document states ("fiscal year ending June 30"), read from the whole
    /// text the first time a period needs it.
    pub fn fiscal(&self) -> FiscalCalendar {
        *self.fiscal.get_or_init(|| fiscal_year_end(self.text))
    }

    /// Every phase of the document ("Phase 2b", "Phase I/II"), in order.
    pub fn phases(&self) -> &[PhaseMention] {
        self.phases
            .get_or_init(|| find_phases_in(self.text, 0, self.text.len()))
    }

    /// Every date of the document, in order.
    pub fn dates(&self) -> &[DateMention] {
        self.dates.get_or_init(|| find_dates(self.text))
    }

    /// The first date inside `start..end`.
    pub fn first_date_in(&self, start: usize, end: usize) -> Option<&DateMention> {
        let dates = self.dates();
        let from = dates.partition_point(|d| d.start < start);
        dates.get(from).filter(|d| d.end <= end)
    }

    /// The phases inside `start..end`.
    pub fn phases_in(&self, start: usize, end: usize) -> &[PhaseMention] {
        let phases = self.phases();
        let from = phases.partition_point(|p| p.start < start);
        let to = from + phases[from..].partition_point(|p| p.end <= end);
        &phases[from..to]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::split_sentences;

    #[test]
    fn each_kind_is_what_its_finder_gives() {
        let text = "Net loss was $4.2 million for the quarter ended June 30, 2024. \
                    The Phase 2 trial and the Phase 1b/2 study continue. Revenue was $1.1 million.";
        let sentences = split_sentences(text);
        let index = MentionIndex::new(text, &sentences);
        for (si, s) in sentences.iter().enumerate() {
            assert_eq!(index.money(si), find_money_in(text, s.start, s.end));
            let fiscal = fiscal_year_end(text);
            let periods = find_periods_in(text, s.start, s.end, fiscal);
            assert_eq!(index.periods(si), periods);
        }
        assert_eq!(index.money(0).len(), 1);
        assert_eq!(index.phases(), find_phases_in(text, 0, text.len()));
        let second = sentences[1];
        let in_second = index.phases_in(second.start, second.end);
        assert_eq!(in_second.len(), 2);
        assert_eq!(index.phases_in(0, sentences[0].end), []);
        assert_eq!(
            index.phases_in(in_second[1].start, in_second[1].end - 1),
            []
        );
        let date = index.first_date_in(0, sentences[0].end).unwrap();
        assert_eq!(&text[date.start..date.end], "June 30, 2024");
        assert!(index
            .first_date_in(sentences[1].start, text.len())
            .is_none());
        assert!(index.first_date_in(date.start, date.end - 1).is_none());
    }
}
