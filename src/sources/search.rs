//! Search in source texts for the reader: case-insensitive, on normalised text (so "co-
//! operation" across a line end, curly quotes and ligatures still match), with each hit as
//! a byte range of the original text.

use super::normalize::{NormalizeOptions, Normalized, normalize};
use std::ops::Range;

const FOLDED: NormalizeOptions = NormalizeOptions { fold_case: true };

/// A source text prepared once for many searches (the reader searches as the user types).
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    folded: Normalized,
}

impl SearchIndex {
    /// Normalises and case-folds `text` for searching.
    pub fn new(text: &str) -> Self {
        Self {
            folded: normalize(text, FOLDED),
        }
    }

    /// Every non-overlapping hit of `query`, in order, as byte ranges of the original text.
    /// A query of only whitespace finds nothing.
    pub fn find(&self, query: &str) -> Vec<Range<usize>> {
        let needle = normalize(query.trim(), FOLDED).text;
        if needle.is_empty() {
            return Vec::new();
        }
        self.folded
            .text
            .match_indices(needle.as_str())
            .map(|(at, hit)| self.folded.original_range(at..at + hit.len()))
            .collect()
    }
}

/// Every hit of `query` in `text`; see [`SearchIndex::find`].
pub fn find_all(text: &str, query: &str) -> Vec<Range<usize>> {
    SearchIndex::new(text).find(query)
}

/// Index of the first hit starting after `offset`, wrapping to the first hit ("next").
pub fn next_hit(hits: &[Range<usize>], offset: usize) -> Option<usize> {
    if hits.is_empty() {
        return None;
    }
    let after = hits.partition_point(|hit| hit.start <= offset);
    Some(if after < hits.len() { after } else { 0 })
}

/// Index of the last hit starting before `offset`, wrapping to the last hit ("previous").
pub fn previous_hit(hits: &[Range<usize>], offset: usize) -> Option<usize> {
    let before = hits.partition_point(|hit| hit.start < offset);
    before.checked_sub(1).or_else(|| hits.len().checked_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn hits_are_ordered_ranges_on_char_boundaries(
            text in "[aAé\u{130}\u{fb01} \n-]{0,60}",
            query in "[aAé\u{130}\u{fb01} -]{0,6}",
        ) {
            let hits = find_all(&text, &query);
            for hit in &hits {
                prop_assert!(text.get(hit.clone()).is_some());
            }
            prop_assert!(hits.windows(2).all(|pair| pair[0].start <= pair[1].start));
        }
    }

    const TEXT: &str =
        "Human Rights and the “human rights” of users; HUMAN   RIGHTS\nonline. Co-\noperation.";

    #[test]
    fn finds_every_hit_ignoring_case_quotes_and_whitespace() {
        let hits = find_all(TEXT, "human rights");
        let found: Vec<&str> = hits.iter().map(|hit| &TEXT[hit.clone()]).collect();
        assert_eq!(found, ["Human Rights", "human rights", "HUMAN   RIGHTS"]);
        let quoted = find_all(TEXT, "\"Human Rights\"");
        assert_eq!(
            quoted
                .iter()
                .map(|hit| &TEXT[hit.clone()])
                .collect::<Vec<_>>(),
            ["“human rights”"]
        );
    }

    #[test]
    fn finds_words_hyphenated_across_lines() {
        let hits = find_all(TEXT, "cooperation");
        assert_eq!(
            hits.iter()
                .map(|hit| &TEXT[hit.clone()])
                .collect::<Vec<_>>(),
            ["Co-\noperation"]
        );
    }

    #[test]
    fn empty_queries_and_texts_find_nothing() {
        assert!(find_all(TEXT, "").is_empty());
        assert!(find_all(TEXT, " \n ").is_empty());
        assert!(find_all("", "rights").is_empty());
        assert!(find_all(TEXT, "privacy").is_empty());
    }

    #[test]
    fn next_and_previous_wrap_around() {
        let index = SearchIndex::new(TEXT);
        let hits = index.find("rights");
        assert_eq!(hits.len(), 3);
        assert_eq!(
            next_hit(&hits, 0),
            Some(0),
            "the first hit starts after offset 0"
        );
        assert_eq!(next_hit(&hits, hits[0].start), Some(1));
        assert_eq!(next_hit(&hits, hits[2].start), Some(0));
        assert_eq!(previous_hit(&hits, hits[1].start), Some(0));
        assert_eq!(previous_hit(&hits, 0), Some(2));
        assert_eq!(next_hit(&[], 5), None);
        assert_eq!(previous_hit(&[], 5), None);
    }
}
