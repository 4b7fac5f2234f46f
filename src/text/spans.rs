//! Whether a span overlaps any of a set of spans, by binary search: a rule that asks it for
//! every mention of a long text must not walk every span each time.

/// Spans (byte ranges) in order of start, with the furthest end reached by each prefix.
#[derive(Debug, Default)]
pub struct SpanSet {
    spans: Vec<(usize, usize)>,
    furthest_end: Vec<usize>,
}

impl SpanSet {
    pub fn new(spans: impl IntoIterator<Item = (usize, usize)>) -> SpanSet {
        let mut spans: Vec<(usize, usize)> = spans.into_iter().collect();
        spans.sort_unstable();
        let mut reach = 0;
        let furthest_end = spans
            .iter()
            .map(|&(_, e)| {
                reach = reach.max(e);
                reach
            })
            .collect();
        SpanSet {
            spans,
            furthest_end,
        }
    }

    /// True when some span shares a byte with `start..end`.
    pub fn overlaps(&self, start: usize, end: usize) -> bool {
        let n = self.spans.partition_point(|&(s, _)| s < end);
        n > 0 && self.furthest_end[n - 1] > start
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn overlaps_is_the_walk_over_every_span(
            spans in proptest::collection::vec((0usize..200, 1usize..40), 0..30),
            start in 0usize..240,
            len in 1usize..40,
        ) {
            let spans: Vec<(usize, usize)> = spans.into_iter().map(|(s, l)| (s, s + l)).collect();
            let set = SpanSet::new(spans.iter().copied());
            let end = start + len;
            let walk = spans.iter().any(|&(s, e)| s < end && start < e);
            prop_assert_eq!(set.overlaps(start, end), walk);
        }
    }
}
