//! Quote anchors in the W3C Web Annotation style, and re-anchoring them in a text.
//!
//! An anchor describes a passage twice, as Hypothesis does: by position
//! (`TextPositionSelector`: `start`, `end`) and by content (`TextQuoteSelector`: `exact`,
//! `prefix`, `suffix`). Offsets are byte offsets into the UTF-8 text, on char boundaries;
//! [`char_offset_from_byte`] and [`byte_offset_from_char`] convert to and from the code
//! point offsets the W3C model uses.

use super::normalize::{NormalizeOptions, Normalized, normalize};
use std::ops::Range;

/// How many chars of context an anchor keeps on each side of its quote.
pub const CONTEXT_CHARS: usize = 32;

/// Largest share of a quote's chars that may differ in a fuzzy ("changed") match.
pub const FUZZY_MAX_ERROR_RATE: f64 = 0.15;

/// How many candidate places the fuzzy search verifies at most.
const FUZZY_MAX_CANDIDATES: usize = 32;

/// Above this many alignment cells (quote tokens × match tokens, after their common start
/// and end are set aside) a diff is coarse: one deletion and one insertion.
const DIFF_MAX_CELLS: usize = 4_000_000;

/// Most work the approximate search does for one quote: bytes scanned for its pieces plus
/// cells of the edit-distance table. A longer quote gets the linear check
/// ([`linear_near_match`]) instead, and is undecided when that can't tell.
const FUZZY_WORK_BUDGET: usize = 120_000_000;

/// How many chars the linear check uses to find a long quote's first and last words.
const LINEAR_PROBE_CHARS: usize = 24;

/// A passage of a source text: its position and its content with some context.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextAnchor {
    /// Byte offset of the first byte of the quote.
    pub start: usize,
    /// Byte offset just past the quote.
    pub end: usize,
    /// The quoted text.
    pub exact: String,
    /// Up to [`CONTEXT_CHARS`] chars before the quote.
    pub prefix: String,
    /// Up to [`CONTEXT_CHARS`] chars after the quote.
    pub suffix: String,
}

/// One piece of the difference between a stored quote and the text found in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffOp {
    /// Text in both.
    Equal(String),
    /// Text in the source that the quote lacks.
    Insert(String),
    /// Text in the quote that the source lacks.
    Delete(String),
}

/// Where an anchor's quote is in a text now.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolution {
    /// The quote is at the anchor's position.
    Verified {
        /// Byte offset of the quote's start.
        start: usize,
        /// Byte offset past the quote's end.
        end: usize,
    },
    /// The quote is elsewhere; the anchor can be moved there.
    Relocated {
        /// Byte offset of the quote's start.
        start: usize,
        /// Byte offset past the quote's end.
        end: usize,
    },
    /// A near match: the source says something slightly different.
    Changed {
        /// Byte offset of the near match's start.
        start: usize,
        /// Byte offset past the near match's end.
        end: usize,
        /// 1.0 for identical, falling with the edit distance.
        similarity: f64,
        /// From the (normalised) quote to the (normalised) text found.
        diff: Vec<DiffOp>,
    },
    /// The quote is not in the text, not even approximately.
    Missing,
    /// Not found exactly, and too long to compare approximately within the search's
    /// budget: neither "changed" nor "missing" can be said without a guess.
    Undecided {
        /// The quote's length in chars.
        chars: usize,
    },
}

impl Resolution {
    /// The byte range where the quote (or its near match) is, unless it is missing.
    pub fn range(&self) -> Option<Range<usize>> {
        match *self {
            Self::Verified { start, end }
            | Self::Relocated { start, end }
            | Self::Changed { start, end, .. } => Some(start..end),
            Self::Missing | Self::Undecided { .. } => None,
        }
    }
}

/// How many anchors of a source ended in each state: what `normgrid check` and replacing a
/// source report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ResolutionCounts {
    /// At their position, or at the same range after normalisation.
    pub verified: usize,
    /// Found elsewhere.
    pub relocated: usize,
    /// Near matches with differences.
    pub changed: usize,
    /// Not found.
    pub missing: usize,
    /// Of the verified and relocated ones, how many needed the normalised match.
    pub normalized: usize,
}

impl<'a> FromIterator<&'a Resolved> for ResolutionCounts {
    fn from_iter<I: IntoIterator<Item = &'a Resolved>>(resolved: I) -> Self {
        let mut counts = Self::default();
        for one in resolved {
            match one.resolution {
                Resolution::Verified { .. } => counts.verified += 1,
                Resolution::Relocated { .. } => counts.relocated += 1,
                Resolution::Changed { .. } => counts.changed += 1,
                Resolution::Missing | Resolution::Undecided { .. } => counts.missing += 1,
            }
            counts.normalized += usize::from(one.matched_by == MatchKind::Normalized);
        }
        counts
    }
}

/// Which step of [`resolve_detailed`] found the quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchKind {
    /// The text at the stored position is the quote.
    Position,
    /// An exact search found it.
    Exact,
    /// A search on normalised text (whitespace, quotes, dashes, hyphenation) found it.
    Normalized,
    /// An approximate search found a near match.
    Fuzzy,
    /// Nothing found.
    None,
}

/// A [`Resolution`] with the step that produced it.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// Where the quote is now.
    pub resolution: Resolution,
    /// How it was found.
    pub matched_by: MatchKind,
}

/// The largest char boundary of `text` at or below `offset` (clamped to the text).
pub fn floor_boundary(text: &str, offset: usize) -> usize {
    text.floor_char_boundary(offset.min(text.len()))
}

/// The code point offset of a byte offset (rounded down to a char boundary).
pub fn char_offset_from_byte(text: &str, byte: usize) -> usize {
    text[..floor_boundary(text, byte)].chars().count()
}

/// The byte offset of a code point offset (clamped to the text's end).
pub fn byte_offset_from_char(text: &str, char_offset: usize) -> usize {
    text.char_indices()
        .nth(char_offset)
        .map_or(text.len(), |(at, _)| at)
}

/// The last `count` chars of `text`.
fn last_chars(text: &str, count: usize) -> &str {
    let from = text
        .char_indices()
        .rev()
        .nth(count.saturating_sub(1))
        .map_or(0, |(at, _)| at);
    if count == 0 { "" } else { &text[from..] }
}

/// The first `count` chars of `text`.
fn first_chars(text: &str, count: usize) -> &str {
    let to = text
        .char_indices()
        .nth(count)
        .map_or(text.len(), |(at, _)| at);
    &text[..to]
}

impl TextAnchor {
    /// Anchors `start..end` of `text`, with [`CONTEXT_CHARS`] chars of context each side.
    ///
    /// Offsets out of range are clamped, offsets inside a char move to its start, and a
    /// reversed range is swapped: a hostile file gives an odd anchor, never a panic.
    pub fn new(text: &str, start: usize, end: usize) -> Self {
        let (low, high) = if start <= end {
            (start, end)
        } else {
            (end, start)
        };
        let start = floor_boundary(text, low);
        let end = floor_boundary(text, high);
        Self {
            start,
            end,
            exact: text[start..end].to_owned(),
            prefix: last_chars(&text[..start], CONTEXT_CHARS).to_owned(),
            suffix: first_chars(&text[end..], CONTEXT_CHARS).to_owned(),
        }
    }

    /// The anchor re-taken where `resolution` found it in `text`, with fresh context and the
    /// source's own wording there; `None` when the quote is missing. Moving an excerpt (`fmt`,
    /// Save, replacing a source) keeps the excerpt's wording instead:
    /// `evidence::move_anchor`.
    pub fn moved_to(&self, text: &str, resolution: &Resolution) -> Option<Self> {
        let range = resolution.range()?;
        Some(Self::new(text, range.start, range.end))
    }

    /// Whether the anchor's range lies on char boundaries of `text` and holds its quote.
    fn still_at_position(&self, text: &str) -> bool {
        self.start <= self.end
            && text
                .get(self.start..self.end)
                .is_some_and(|here| here == self.exact)
    }
}

/// Finds an anchor's quote in `text`; see [`resolve_detailed`].
pub fn resolve(text: &str, anchor: &TextAnchor) -> Resolution {
    resolve_detailed(text, anchor).resolution
}

/// Finds an anchor's quote in `text`: at its position (O(quote length)), then by exact
/// search (prefix and suffix pick between repeats, then nearness to the old position), then
/// on normalised text, then approximately (at most 15 % of the quote's chars differ).
pub fn resolve_detailed(text: &str, anchor: &TextAnchor) -> Resolved {
    Resolver::new(text).resolve_detailed(anchor)
}

/// Resolves many anchors in one source, normalising the source at most once.
#[derive(Debug)]
pub struct Resolver<'text> {
    text: &'text str,
    normalized: std::cell::OnceCell<Normalized>,
}

impl<'text> Resolver<'text> {
    /// A resolver for `text`; nothing is computed until an anchor needs it.
    pub fn new(text: &'text str) -> Self {
        Self {
            text,
            normalized: std::cell::OnceCell::new(),
        }
    }

    /// Where an anchor's quote is now; see [`resolve_detailed`].
    pub fn resolve(&self, anchor: &TextAnchor) -> Resolution {
        self.resolve_detailed(anchor).resolution
    }

    /// Where an anchor's quote is now, and which step found it; see [`resolve_detailed`].
    pub fn resolve_detailed(&self, anchor: &TextAnchor) -> Resolved {
        let text = self.text;
        let found = |resolution, matched_by| Resolved {
            resolution,
            matched_by,
        };
        if anchor.exact.is_empty() {
            return found(Resolution::Missing, MatchKind::None);
        }
        if anchor.still_at_position(text) {
            let resolution = Resolution::Verified {
                start: anchor.start,
                end: anchor.end,
            };
            return found(resolution, MatchKind::Position);
        }
        let exact_hits = text
            .match_indices(anchor.exact.as_str())
            .map(|(at, hit)| at..at + hit.len());
        if let Some(best) = best_hit(text, anchor, exact_hits) {
            return found(placed(anchor, best), MatchKind::Exact);
        }
        let quote = normalize(anchor.exact.trim(), NormalizeOptions::default()).text;
        if quote.is_empty() {
            return found(Resolution::Missing, MatchKind::None);
        }
        let normalized = self
            .normalized
            .get_or_init(|| normalize(text, NormalizeOptions::default()));
        let normalized_hits = normalized
            .text
            .match_indices(quote.as_str())
            .map(|(at, hit)| normalized.original_range(at..at + hit.len()));
        if let Some(best) = best_hit(text, anchor, normalized_hits) {
            return found(placed(anchor, best), MatchKind::Normalized);
        }
        match fuzzy_find(
            normalized,
            &quote,
            normalized.normalized_offset(anchor.start),
        ) {
            Fuzzy::Near(near) => {
                let range = normalized.original_range(near.range.clone());
                let resolution = Resolution::Changed {
                    start: range.start,
                    end: range.end,
                    similarity: near.similarity,
                    diff: diff_words(&quote, &normalized.text[near.range]),
                };
                found(resolution, MatchKind::Fuzzy)
            }
            Fuzzy::None => found(Resolution::Missing, MatchKind::None),
            Fuzzy::Undecided => found(
                Resolution::Undecided {
                    chars: quote.chars().count(),
                },
                MatchKind::None,
            ),
        }
    }
}

fn placed(anchor: &TextAnchor, range: Range<usize>) -> Resolution {
    if range.start == anchor.start && range.end == anchor.end {
        Resolution::Verified {
            start: range.start,
            end: range.end,
        }
    } else {
        Resolution::Relocated {
            start: range.start,
            end: range.end,
        }
    }
}

/// The hit whose surroundings best match the anchor's prefix and suffix; ties go to the
/// one nearest the old position.
fn best_hit(
    text: &str,
    anchor: &TextAnchor,
    hits: impl Iterator<Item = Range<usize>>,
) -> Option<Range<usize>> {
    hits.map(|range| {
        let score = context_score(text, anchor, &range);
        let distance = range.start.abs_diff(anchor.start);
        (score, distance, range)
    })
    .min_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)))
    .map(|(_, _, range)| range)
}

/// How many chars of the prefix (backwards) and suffix (forwards) agree around `range`.
fn context_score(text: &str, anchor: &TextAnchor, range: &Range<usize>) -> usize {
    let before = text.get(..range.start).unwrap_or_default();
    let after = text.get(range.end..).unwrap_or_default();
    let prefix_score = anchor
        .prefix
        .chars()
        .rev()
        .zip(before.chars().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let suffix_score = anchor
        .suffix
        .chars()
        .zip(after.chars())
        .take_while(|(a, b)| a == b)
        .count();
    prefix_score + suffix_score
}

/// A near match in normalised text.
struct NearMatch {
    range: Range<usize>,
    similarity: f64,
}

/// Approximate search for `quote` in `normalized`, O(n·k) to find candidates: the quote is
/// cut into k + 1 pieces, so any match with at most k edits contains one piece unchanged
/// (pigeonhole). Places where many pieces agree are verified by edit distance.
fn fuzzy_find(normalized: &Normalized, quote: &str, near: usize) -> Fuzzy {
    let pattern: Vec<char> = quote.chars().collect();
    let max_edits = (pattern.len() as f64 * FUZZY_MAX_ERROR_RATE).floor() as usize;
    if max_edits == 0 {
        return Fuzzy::None;
    }
    let text = normalized.text.as_str();
    let char_starts: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
    let char_index = |byte: usize| char_starts.partition_point(|&at| at < byte);
    let near_char = char_index(near) as i64;
    let chars: Vec<char> = text.chars().collect();

    let scan_work = (max_edits + 1).saturating_mul(text.len());
    let table_work = pattern.len().saturating_mul(pattern.len() + 2 * max_edits);
    let (edits, span) = if scan_work.saturating_add(table_work) > FUZZY_WORK_BUDGET {
        match linear_near_match(text, &char_starts, &chars, &pattern, max_edits, near_char) {
            Some(found) => found,
            None => return Fuzzy::Undecided,
        }
    } else {
        let budget = Budget {
            max_edits,
            scan_work,
            table_work,
        };
        match pigeonhole_match(text, &char_starts, &pattern, budget, near_char) {
            Some((edits, span)) => whole_passage(&chars, &pattern, edits, span, max_edits),
            None => return Fuzzy::None,
        }
    };
    Fuzzy::Near(near_match(
        &chars,
        &char_starts,
        text.len(),
        &pattern,
        edits,
        span,
    ))
}

/// What one quote's full search may spend.
#[derive(Clone, Copy)]
struct Budget {
    max_edits: usize,
    /// Bytes scanned for the pieces.
    scan_work: usize,
    /// Cells of one edit-distance table.
    table_work: usize,
}

/// The full search: pieces vote for places, the best places are verified by edit distance.
/// Gives the edits and char span of the first place within `max_edits`.
fn pigeonhole_match(
    text: &str,
    char_starts: &[usize],
    pattern: &[char],
    budget: Budget,
    near_char: i64,
) -> Option<(usize, Range<usize>)> {
    let Budget {
        max_edits,
        scan_work,
        table_work,
    } = budget;
    let char_index = |byte: usize| char_starts.partition_point(|&at| at < byte);
    let pieces = max_edits + 1;
    let mut candidates: Vec<i64> = Vec::new();
    for piece in 0..pieces {
        let from = piece * pattern.len() / pieces;
        let to = (piece + 1) * pattern.len() / pieces;
        let needle: String = pattern[from..to].iter().collect();
        if needle.trim().is_empty() {
            continue;
        }
        candidates.extend(
            text.match_indices(needle.as_str())
                .map(|(at, _)| char_index(at) as i64 - from as i64),
        );
    }
    candidates.sort_unstable();

    // Candidates within max_edits of a cluster's first one are one place (bounded, so
    // that a text full of common words does not chain into one huge window); the more
    // pieces vote for a place, the likelier it is.
    let mut clusters: Vec<(usize, i64, i64)> = Vec::new();
    for candidate in candidates {
        match clusters.last_mut() {
            Some((votes, first, last)) if candidate - *first <= max_edits as i64 => {
                *votes += 1;
                *last = candidate;
            }
            _ => clusters.push((1, candidate, candidate)),
        }
    }
    let most_votes = clusters
        .iter()
        .map(|&(votes, _, _)| votes)
        .max()
        .unwrap_or(0);
    clusters.retain(|&(votes, _, _)| votes * 2 >= most_votes);
    clusters
        .sort_by_key(|&(votes, first, _)| (std::cmp::Reverse(votes), first.abs_diff(near_char)));
    // Each place verified costs one table: as many as the budget has room for.
    let affordable = (FUZZY_WORK_BUDGET.saturating_sub(scan_work) / table_work.max(1)).max(1);
    clusters.truncate(FUZZY_MAX_CANDIDATES.min(affordable));

    // Places are tried best-voted first (ties: nearest the old position); the first within
    // the edit budget wins, so a typical re-anchoring verifies one window.
    let mut best: Option<(usize, Range<usize>)> = None;
    for (_, first, last) in clusters {
        let window_start = (first - max_edits as i64).max(0) as usize;
        let window_end =
            ((last + (pattern.len() + max_edits) as i64).max(0) as usize).min(char_starts.len());
        if window_start >= window_end {
            continue;
        }
        let window: Vec<char> = text[char_starts[window_start]..]
            .chars()
            .take(window_end - window_start)
            .collect();
        if let Some((edits, span)) = best_alignment(pattern, &window)
            && edits <= max_edits
        {
            best = Some((edits, window_start + span.start..window_start + span.end));
            break;
        }
    }
    best
}

/// What the approximate search found.
enum Fuzzy {
    Near(NearMatch),
    None,
    /// Over budget, and the linear check could not tell.
    Undecided,
}

/// A match's char span as a byte range with its similarity. A near match that starts or ends
/// inside a word takes the whole word: "liberties" read as "fundame" would show a difference
/// that is not in the text. Only where the match's edge differs from the quote's: a quote
/// that itself starts or ends inside a word keeps its edge.
fn near_match(
    chars: &[char],
    char_starts: &[usize],
    text_len: usize,
    pattern: &[char],
    mut edits: usize,
    mut span: Range<usize>,
) -> NearMatch {
    let is_word = |index: usize| chars.get(index).is_some_and(|c| c.is_alphanumeric());
    if span.start > 0 && chars.get(span.start) != pattern.first() {
        while span.start > 0 && is_word(span.start) && is_word(span.start - 1) {
            span.start -= 1;
            edits += 1;
        }
    }
    if span.end > 0 && chars.get(span.end - 1) != pattern.last() {
        while span.end < chars.len() && is_word(span.end) && is_word(span.end - 1) {
            span.end += 1;
            edits += 1;
        }
    }
    let byte_at = |index: usize| char_starts.get(index).copied().unwrap_or(text_len);
    let longest = pattern.len().max(span.len()).max(1);
    NearMatch {
        range: byte_at(span.start)..byte_at(span.end),
        similarity: 1.0 - edits as f64 / longest as f64,
    }
}

/// The near match grown to the whole changed passage: when the quote's first (or last) word
/// stands a little before (or after) the aligned span, the span reaches back (or on) to it.
/// "We do not reaffirm" for the quote "We reaffirm" is the passage, not "not reaffirm":
/// taking the cheaper fragment would drop words that reverse the meaning.
fn whole_passage(
    chars: &[char],
    pattern: &[char],
    edits: usize,
    span: Range<usize>,
    max_edits: usize,
) -> (usize, Range<usize>) {
    let first_word: Vec<char> = pattern
        .iter()
        .copied()
        .take_while(|c| c.is_alphanumeric())
        .collect();
    let last_word: Vec<char> = {
        let mut word: Vec<char> = pattern
            .iter()
            .rev()
            .copied()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        word.reverse();
        word
    };
    let mut grown = span.clone();
    let starts_as_quoted = chars
        .get(span.start..)
        .is_some_and(|rest| rest.starts_with(&first_word));
    if !first_word.is_empty() && !starts_as_quoted {
        let reach = span.start.saturating_sub(max_edits);
        grown.start = (reach..span.start)
            .rev()
            .find(|&at| {
                chars[at..].starts_with(&first_word)
                    && (at == 0 || !chars[at - 1].is_alphanumeric())
            })
            .unwrap_or(span.start);
    }
    let ends_as_quoted = chars
        .get(..span.end)
        .is_some_and(|before| before.ends_with(&last_word));
    if !last_word.is_empty() && !ends_as_quoted {
        let reach = (span.end + max_edits).min(chars.len());
        grown.end = (span.end..=reach)
            .find(|&at| {
                chars[..at].ends_with(&last_word)
                    && chars.get(at).is_none_or(|c| !c.is_alphanumeric())
            })
            .unwrap_or(span.end);
    }
    if grown == span {
        return (edits, span);
    }
    match edit_distance_within(pattern, &chars[grown.clone()], max_edits) {
        Some(grown_edits) => (grown_edits, grown),
        None => (edits, span),
    }
}

/// The edit distance between `a` and `b` when it is at most `limit`. Callers keep
/// `a.len() × b.len()` within the search's budget.
fn edit_distance_within(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, &x) in a.iter().enumerate() {
        current[0] = i + 1;
        for j in 1..=b.len() {
            let substitution = previous[j - 1] + usize::from(b[j - 1] != x);
            current[j] = substitution.min(previous[j] + 1).min(current[j - 1] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = previous[b.len()];
    (distance <= limit).then_some(distance)
}

/// The linear check for a quote too long for the full search: find its first and last
/// [`LINEAR_PROBE_CHARS`] chars, take what agrees from each end, and measure the rest only
/// when it is small. A long quote with a word or two changed is found in time linear in
/// the text; one that differs in many places gives `None` (undecided).
fn linear_near_match(
    text: &str,
    char_starts: &[usize],
    chars: &[char],
    pattern: &[char],
    max_edits: usize,
    near: i64,
) -> Option<(usize, Range<usize>)> {
    let probe = LINEAR_PROBE_CHARS.min(pattern.len() / 2).max(1);
    let head = &pattern[..probe];
    let tail = &pattern[pattern.len() - probe..];
    let hits = |needle: &[char]| -> Vec<usize> {
        let needle: String = needle.iter().collect();
        let mut found: Vec<usize> = text
            .match_indices(needle.as_str())
            .map(|(at, _)| char_starts.partition_point(|&start| start < at))
            .take(4096)
            .collect();
        found.sort_by_key(|&at| (at as i64).abs_diff(near));
        found.truncate(16);
        found
    };
    let common_prefix = |start: usize| {
        chars[start..]
            .iter()
            .zip(pattern)
            .take_while(|(a, b)| a == b)
            .count()
    };
    let common_suffix = |end: usize| {
        chars[..end]
            .iter()
            .rev()
            .zip(pattern.iter().rev())
            .take_while(|(a, b)| a == b)
            .count()
    };
    let mut spans: Vec<Range<usize>> = Vec::new();
    let tails = hits(tail);
    for start in hits(head) {
        let expected = start + pattern.len();
        let end = tails
            .iter()
            .map(|&at| at + probe)
            .filter(|&end| end > start && end.abs_diff(expected) <= max_edits)
            .min_by_key(|&end| end.abs_diff(expected))
            .unwrap_or(expected.min(chars.len()));
        spans.push(start..end);
    }
    for end in tails.iter().map(|&at| at + probe) {
        let start = end.saturating_sub(pattern.len());
        spans.push(start..end);
    }
    spans
        .into_iter()
        .filter_map(|span| {
            let found = &chars[span.clone()];
            let prefix = common_prefix(span.start).min(found.len());
            let suffix = common_suffix(span.end)
                .min(found.len() - prefix)
                .min(pattern.len() - prefix);
            let quote_middle = &pattern[prefix..pattern.len() - suffix];
            let found_middle = &found[prefix..found.len() - suffix];
            let edits = if quote_middle.len().saturating_mul(found_middle.len()) <= 4_000_000 {
                edit_distance_within(quote_middle, found_middle, max_edits)?
            } else {
                return None;
            };
            (edits <= max_edits).then_some((edits, span))
        })
        .min_by_key(|(edits, span)| (*edits, (span.start as i64).abs_diff(near)))
}

/// Fewest edits to turn some substring of `window` into `pattern`, and that substring's
/// char range (semi-global edit distance, two rows with start pointers).
fn best_alignment(pattern: &[char], window: &[char]) -> Option<(usize, Range<usize>)> {
    // Each cell: (edits, start column of the alignment that reaches it).
    let mut previous: Vec<(usize, usize)> = (0..=window.len()).map(|column| (0, column)).collect();
    let mut current = previous.clone();
    for (row, &wanted) in pattern.iter().enumerate() {
        current[0] = (row + 1, 0);
        for column in 1..=window.len() {
            let substitution = previous[column - 1].0 + usize::from(window[column - 1] != wanted);
            let skip_pattern = previous[column].0 + 1;
            let skip_window = current[column - 1].0 + 1;
            current[column] = if substitution <= skip_pattern && substitution <= skip_window {
                (substitution, previous[column - 1].1)
            } else if skip_pattern <= skip_window {
                (skip_pattern, previous[column].1)
            } else {
                (skip_window, current[column - 1].1)
            };
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous
        .iter()
        .enumerate()
        .min_by_key(|(column, (edits, start))| (*edits, column - start))
        .map(|(column, &(edits, start))| (edits, start..column))
}

/// Words (alphanumeric runs) and single other chars: the units a diff shows.
fn diff_tokens(text: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut word_start: Option<usize> = None;
    for (at, c) in text.char_indices() {
        if c.is_alphanumeric() {
            word_start.get_or_insert(at);
            continue;
        }
        if let Some(start) = word_start.take() {
            tokens.push(&text[start..at]);
        }
        tokens.push(&text[at..at + c.len_utf8()]);
    }
    if let Some(start) = word_start {
        tokens.push(&text[start..]);
    }
    tokens
}

/// A word-level diff from `quote` to `found` (Levenshtein alignment over words and
/// punctuation, each run of differences shown as one deletion and one insertion).
pub fn diff_words(quote: &str, found: &str) -> Vec<DiffOp> {
    let a = diff_tokens(quote);
    let b = diff_tokens(found);
    if a == b {
        return vec![DiffOp::Equal(quote.to_owned())];
    }
    // The common start and end are equal as they stand: only the middle needs the table,
    // so a long quote with one word changed costs time linear in its length.
    let same_start = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let same_end = a[same_start..]
        .iter()
        .rev()
        .zip(b[same_start..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (head, tail) = (&a[..same_start], &a[a.len() - same_end..]);
    let (a, b) = (
        &a[same_start..a.len() - same_end],
        &b[same_start..b.len() - same_end],
    );
    if (a.len() + 1).saturating_mul(b.len() + 1) > DIFF_MAX_CELLS {
        let mut ops = Vec::new();
        if !head.is_empty() {
            ops.push(DiffOp::Equal(head.concat()));
        }
        if !a.is_empty() {
            ops.push(DiffOp::Delete(a.concat()));
        }
        if !b.is_empty() {
            ops.push(DiffOp::Insert(b.concat()));
        }
        if !tail.is_empty() {
            ops.push(DiffOp::Equal(tail.concat()));
        }
        return ops;
    }
    let width = b.len() + 1;
    let mut cost = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            cost[i * width + j] = if i == 0 {
                j
            } else if j == 0 {
                i
            } else {
                let substitution =
                    cost[(i - 1) * width + j - 1] + usize::from(a[i - 1] != b[j - 1]);
                substitution
                    .min(cost[(i - 1) * width + j] + 1)
                    .min(cost[i * width + j - 1] + 1)
            };
        }
    }
    // Walk back from the end: per char, Some(true) = equal, Some(false) = only in the quote,
    // None = only in the source.
    let mut steps: Vec<(Option<bool>, &str)> = Vec::new();
    let (mut i, mut j) = (a.len(), b.len());
    while i > 0 || j > 0 {
        let here = cost[i * width + j];
        if i > 0 && j > 0 && a[i - 1] == b[j - 1] && here == cost[(i - 1) * width + j - 1] {
            steps.push((Some(true), a[i - 1]));
            i -= 1;
            j -= 1;
        } else if i > 0 && j > 0 && here == cost[(i - 1) * width + j - 1] + 1 {
            steps.push((None, b[j - 1]));
            steps.push((Some(false), a[i - 1]));
            i -= 1;
            j -= 1;
        } else if i > 0 && (j == 0 || here == cost[(i - 1) * width + j] + 1) {
            steps.push((Some(false), a[i - 1]));
            i -= 1;
        } else {
            steps.push((None, b[j - 1]));
            j -= 1;
        }
    }
    steps.extend(head.iter().rev().map(|token| (Some(true), *token)));
    steps.reverse();
    steps.extend(tail.iter().map(|token| (Some(true), *token)));
    // Group each run of differences as one deletion followed by one insertion.
    let mut ops = Vec::new();
    let (mut deleted, mut inserted, mut equal) = (String::new(), String::new(), String::new());
    for (kind, c) in steps {
        if kind == Some(true) {
            if !deleted.is_empty() {
                ops.push(DiffOp::Delete(std::mem::take(&mut deleted)));
            }
            if !inserted.is_empty() {
                ops.push(DiffOp::Insert(std::mem::take(&mut inserted)));
            }
            equal.push_str(c);
        } else {
            if !equal.is_empty() {
                ops.push(DiffOp::Equal(std::mem::take(&mut equal)));
            }
            if kind.is_some() {
                deleted.push_str(c);
            } else {
                inserted.push_str(c);
            }
        }
    }
    for (run, op) in [
        (equal, DiffOp::Equal as fn(String) -> DiffOp),
        (deleted, DiffOp::Delete),
        (inserted, DiffOp::Insert),
    ] {
        if !run.is_empty() {
            ops.push(op(run));
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TREATY: &str = "Article 15 - Conditions and safeguards\n\
        1 Each Party shall ensure that the establishment, implementation and application of \
        the powers and procedures provided for in this Section are subject to conditions and \
        safeguards provided for under its domestic law, which shall provide for the adequate \
        protection of human rights and liberties.\n";

    fn anchor_on(text: &str, quote: &str) -> TextAnchor {
        let start = text.find(quote).unwrap_or(0);
        TextAnchor::new(text, start, start + quote.len())
    }

    #[test]
    fn new_takes_context_on_both_sides() {
        let anchor = anchor_on(TREATY, "protection of human rights");
        assert_eq!(anchor.exact, "protection of human rights");
        assert_eq!(anchor.prefix.chars().count(), CONTEXT_CHARS);
        assert!(anchor.prefix.ends_with("provide for the adequate "));
        assert_eq!(anchor.suffix, " and liberties.\n");
    }

    #[test]
    fn new_never_panics_on_hostile_offsets() {
        let text = "né à Genève";
        let inside_char = TextAnchor::new(text, 2, 99);
        assert_eq!(inside_char.start, 1);
        assert_eq!(inside_char.end, text.len());
        let reversed = TextAnchor::new(text, 5, 0);
        assert_eq!((reversed.start, reversed.end), (0, 4));
        assert_eq!(TextAnchor::new("", 3, 7).exact, "");
    }

    #[test]
    fn unchanged_text_verifies_at_the_position() {
        let anchor = anchor_on(TREATY, "human rights and liberties");
        let resolved = resolve_detailed(TREATY, &anchor);
        assert_eq!(resolved.matched_by, MatchKind::Position);
        assert_eq!(
            resolved.resolution,
            Resolution::Verified {
                start: anchor.start,
                end: anchor.end
            }
        );
    }

    #[test]
    fn moved_quote_is_relocated_by_exact_search() {
        let anchor = anchor_on(TREATY, "human rights and liberties");
        let edited = format!("Preamble added.\n{TREATY}");
        let resolved = resolve_detailed(&edited, &anchor);
        assert_eq!(resolved.matched_by, MatchKind::Exact);
        let shift = "Preamble added.\n".len();
        assert_eq!(
            resolved.resolution,
            Resolution::Relocated {
                start: anchor.start + shift,
                end: anchor.end + shift
            }
        );
    }

    #[test]
    fn context_picks_between_repeats_then_nearness() {
        let text = "alpha norm beta. gamma norm delta. alpha norm beta.";
        let second = text.find("gamma norm").map_or(0, |at| at + "gamma ".len());
        let anchor = TextAnchor::new(text, second, second + "norm".len());
        // Shift everything so the position check fails; the context still picks "gamma".
        let edited = format!("xx{text}");
        assert_eq!(
            resolve(&edited, &anchor),
            Resolution::Relocated {
                start: second + 2,
                end: second + 2 + 4
            }
        );
        // Without context, the repeat nearest the old position wins.
        let bare = TextAnchor {
            prefix: String::new(),
            suffix: String::new(),
            ..anchor
        };
        let last = text.rfind("norm").unwrap_or(0);
        let near_last = TextAnchor {
            start: last + 1,
            end: last + 5,
            ..bare
        };
        assert_eq!(
            resolve(text, &near_last),
            Resolution::Relocated {
                start: last,
                end: last + 4
            }
        );
    }

    #[test]
    fn typography_differences_need_the_normalised_match() {
        let source = "States should \u{201C}encourage responsible re-\nporting of ICT vulnerabilities\u{201D}";
        let anchor = TextAnchor {
            start: 0,
            end: 0,
            exact: "\"encourage responsible reporting of ICT  vulnerabilities\"".to_owned(),
            prefix: "States should ".to_owned(),
            suffix: String::new(),
        };
        let resolved = resolve_detailed(source, &anchor);
        assert_eq!(resolved.matched_by, MatchKind::Normalized);
        let start = source.find('\u{201C}').unwrap_or(0);
        assert_eq!(
            resolved.resolution,
            Resolution::Relocated {
                start,
                end: source.len()
            }
        );
    }

    #[test]
    fn amended_wording_is_changed_with_a_diff() {
        let anchor = anchor_on(
            TREATY,
            "which shall provide for the adequate protection of human rights and liberties",
        );
        let amended = TREATY.replace("adequate protection", "effective protection");
        let resolved = resolve_detailed(&amended, &anchor);
        assert_eq!(resolved.matched_by, MatchKind::Fuzzy);
        let Resolution::Changed {
            start,
            end,
            similarity,
            diff,
        } = resolved.resolution
        else {
            panic!("expected a near match, got {:?}", resolved.resolution);
        };
        assert_eq!(
            &amended[start..end],
            "which shall provide for the effective protection of human rights and liberties"
        );
        assert!(
            similarity > 0.85 && similarity < 1.0,
            "similarity {similarity}"
        );
        let deleted: String = diff
            .iter()
            .filter_map(|op| {
                if let DiffOp::Delete(run) = op {
                    Some(run.as_str())
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(deleted, "adequate", "{diff:?}");
        let rebuilt: String = diff
            .iter()
            .filter_map(|op| match op {
                DiffOp::Equal(run) | DiffOp::Insert(run) => Some(run.as_str()),
                DiffOp::Delete(_) => None,
            })
            .collect();
        assert_eq!(rebuilt, &amended[start..end]);
    }

    #[test]
    fn near_match_in_a_text_of_few_distinct_words() {
        // Every piece of the quote occurs hundreds of times: the candidate places must stay
        // separate, not chain into one window over the whole text.
        let words = [
            "States",
            "should",
            "cooperate",
            "in",
            "the",
            "of",
            "human",
            "rights",
        ];
        let mut rng = fastrand::Rng::with_seed(7);
        let text: String = (0..4_000)
            .map(|_| format!("{} ", words[rng.usize(..words.len())]))
            .collect();
        let start = text.floor_char_boundary(text.len() / 2);
        let end = text.floor_char_boundary(start + 300);
        let anchor = TextAnchor::new(&text, start, end);
        let mut edited = text.clone();
        for typo in [start + 40, start + 150, start + 260] {
            edited.replace_range(typo..typo + 1, "#");
        }
        let resolution = resolve(&edited, &anchor);
        let Resolution::Changed {
            start: found,
            end: found_end,
            similarity,
            ..
        } = resolution
        else {
            panic!("expected a near match, got {resolution:?}");
        };
        assert!(
            found.abs_diff(start) <= 3 && found_end.abs_diff(end) <= 3,
            "{found}..{found_end} vs {start}..{end}"
        );
        assert!(similarity >= 0.98, "similarity {similarity}");
    }

    #[test]
    fn replacing_a_source_counts_relocated_changed_and_missing_and_moves_anchors() {
        let quotes = [
            "Each Party shall ensure",
            "human rights and liberties",
            "which shall provide for the adequate protection of human rights",
            "subject to conditions and safeguards",
        ];
        let anchors: Vec<TextAnchor> = quotes
            .iter()
            .map(|quote| anchor_on(TREATY, quote))
            .collect();
        let amended = TREATY
            .replace("Article 15", "Article 15 (as amended in 2026)")
            .replace("adequate protection", "effective protection")
            .replace(
                "are subject to conditions and safeguards",
                "follow the rules",
            )
            .replace("human rights and liberties", "human rights and\nliberties");
        let resolver = Resolver::new(&amended);
        let resolved: Vec<Resolved> = anchors
            .iter()
            .map(|anchor| resolver.resolve_detailed(anchor))
            .collect();
        let counts: ResolutionCounts = resolved.iter().collect();
        assert_eq!(
            counts,
            ResolutionCounts {
                verified: 0,
                relocated: 2,
                changed: 1,
                missing: 1,
                normalized: 1
            }
        );
        // Moved anchors verify at their new place, in the new version's own wording.
        for (anchor, one) in anchors.iter().zip(&resolved) {
            match anchor.moved_to(&amended, &one.resolution) {
                Some(moved) => {
                    assert_eq!(
                        resolve(&amended, &moved),
                        Resolution::Verified {
                            start: moved.start,
                            end: moved.end
                        }
                    );
                    assert_eq!(one.resolution.range(), Some(moved.start..moved.end));
                }
                None => assert_eq!(one.resolution, Resolution::Missing),
            }
        }
        let moved = anchors[1].moved_to(&amended, &resolved[1].resolution);
        assert_eq!(
            moved.map(|anchor| anchor.exact),
            Some("human rights and\nliberties".to_owned())
        );
    }

    #[test]
    fn unrelated_or_empty_quotes_are_missing() {
        let gone = anchor_on(TREATY, "the adequate protection of human rights");
        let rewritten = "Article 15 - Repealed.\n";
        assert_eq!(resolve(rewritten, &gone), Resolution::Missing);
        assert_eq!(resolve(TREATY, &TextAnchor::default()), Resolution::Missing);
        assert_eq!(resolve("", &gone), Resolution::Missing);
        let whitespace = TextAnchor {
            exact: " \n ".to_owned(),
            ..TextAnchor::default()
        };
        assert_eq!(
            resolve("no spaces here? yes", &whitespace),
            Resolution::Missing
        );
    }

    #[test]
    fn hostile_positions_fall_back_to_search() {
        let text = "né à Genève, le traité";
        let hostile = TextAnchor {
            start: 2,
            end: 999,
            exact: "traité".to_owned(),
            ..TextAnchor::default()
        };
        let at = text.find("traité").unwrap_or(0);
        assert_eq!(
            resolve(text, &hostile),
            Resolution::Relocated {
                start: at,
                end: text.len()
            }
        );
        let reversed = TextAnchor {
            start: 9,
            end: 3,
            ..hostile
        };
        assert!(matches!(
            resolve(text, &reversed),
            Resolution::Relocated { .. }
        ));
    }

    #[test]
    fn offsets_convert_between_bytes_and_code_points() {
        let text = "a\u{00E9}\u{1F600}b";
        assert_eq!(char_offset_from_byte(text, 3), 2);
        assert_eq!(
            char_offset_from_byte(text, 4),
            2,
            "inside a char rounds down"
        );
        assert_eq!(byte_offset_from_char(text, 3), 7);
        assert_eq!(byte_offset_from_char(text, 99), text.len());
    }

    #[test]
    fn diff_shows_whole_words() {
        assert_eq!(
            diff_words("same", "same"),
            vec![DiffOp::Equal("same".to_owned())]
        );
        assert_eq!(
            diff_words(
                "the adequate protection, now",
                "the effective protection now"
            ),
            vec![
                DiffOp::Equal("the ".to_owned()),
                DiffOp::Delete("adequate".to_owned()),
                DiffOp::Insert("effective".to_owned()),
                DiffOp::Equal(" protection".to_owned()),
                DiffOp::Delete(",".to_owned()),
                DiffOp::Equal(" now".to_owned()),
            ]
        );
    }

    #[test]
    fn one_resolver_serves_many_anchors_of_a_source() {
        let quotes = [
            "Each Party shall ensure",
            "human rights and liberties",
            "adequate protection",
        ];
        let anchors: Vec<TextAnchor> = quotes
            .iter()
            .map(|quote| anchor_on(TREATY, quote))
            .collect();
        let edited = format!(
            "New preamble.\n{}",
            TREATY.replace("human rights", "human\nrights")
        );
        let resolver = Resolver::new(&edited);
        let kinds: Vec<MatchKind> = anchors
            .iter()
            .map(|anchor| {
                let resolved = resolver.resolve_detailed(anchor);
                assert_eq!(resolved, resolve_detailed(&edited, anchor));
                assert!(matches!(resolved.resolution, Resolution::Relocated { .. }));
                resolved.matched_by
            })
            .collect();
        assert_eq!(
            kinds,
            [MatchKind::Exact, MatchKind::Normalized, MatchKind::Exact]
        );
    }

    proptest! {
        #[test]
        fn a_typo_in_the_source_is_changed_at_the_same_place(
            text in "([a-z]{1,8} ){25,60}",
            from in 0usize..40,
            length in 60usize..100,
            typo_at in 10usize..50,
        ) {
            let end = (from + length).min(text.len());
            let anchor = TextAnchor::new(&text, from, end);
            prop_assume!(anchor.exact.trim().len() >= 40 && from + typo_at < anchor.end);
            let mut edited = text.clone();
            edited.replace_range(from + typo_at..from + typo_at + 1, "Z");
            let resolution = resolve(&edited, &anchor);
            let Resolution::Changed { start, end: found_end, similarity, .. } = resolution else {
                return Err(TestCaseError::fail(format!("{resolution:?}")));
            };
            prop_assert!(start.abs_diff(anchor.start) <= 3, "start {start} vs {}", anchor.start);
            prop_assert!(found_end.abs_diff(anchor.end) <= 3, "end {found_end} vs {}", anchor.end);
            prop_assert!((0.9..1.0).contains(&similarity), "similarity {similarity}");
        }

        #[test]
        fn anchoring_then_resolving_is_verified(
            text in "\\PC{1,200}",
            a: proptest::sample::Index,
            b: proptest::sample::Index,
        ) {
            let start = text.floor_char_boundary(a.index(text.len()));
            // At least one char, so the quote is never empty.
            let first_char = text[start..].chars().next().map_or(0, char::len_utf8);
            let end = text.floor_char_boundary(b.index(text.len() + 1)).max(start + first_char);
            let anchor = TextAnchor::new(&text, start, end);
            prop_assert!(!anchor.exact.is_empty());
            prop_assert_eq!(
                resolve(&text, &anchor),
                Resolution::Verified { start: anchor.start, end: anchor.end }
            );
        }

        #[test]
        fn inserting_before_the_quote_relocates_it(
            text in "[a-z ]{0,60}QUOTE[a-z ]{0,60}",
            inserted in "[a-z ]{1,40}",
        ) {
            let start = text.find("QUOTE").unwrap_or(0);
            let anchor = TextAnchor::new(&text, start, start + 5);
            let edited = format!("{inserted}{text}");
            prop_assert_eq!(
                resolve(&edited, &anchor),
                Resolution::Relocated { start: start + inserted.len(), end: start + inserted.len() + 5 }
            );
        }

        #[test]
        fn every_step_returns_char_boundary_ranges(
            text in "[ab\u{e9}\u{fb01}\u{201c}\u{ad} \n-]{0,80}",
            exact in "[ab\u{e9}\u{fb01}\u{201c}\u{ad} \n-]{0,30}",
            start in 0usize..100,
            end in 0usize..100,
        ) {
            // A small alphabet of multi-byte, normalised and ligature chars reaches the
            // normalised and fuzzy steps often.
            let anchor = TextAnchor { start, end, exact, prefix: String::new(), suffix: String::new() };
            if let Some(range) = resolve(&text, &anchor).range() {
                prop_assert!(text.get(range).is_some());
            }
        }

        #[test]
        fn resolving_never_panics(text in "\\PC{0,120}", exact in "\\PC{0,40}", start in 0usize..200, end in 0usize..200) {
            let anchor = TextAnchor { start, end, exact, prefix: String::new(), suffix: String::new() };
            match resolve(&text, &anchor) {
                Resolution::Verified { start, end } | Resolution::Relocated { start, end }
                | Resolution::Changed { start, end, .. } => {
                    prop_assert!(text.get(start..end).is_some());
                }
                Resolution::Missing | Resolution::Undecided { .. } => {}
            }
        }
    }
}
