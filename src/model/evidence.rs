//! Evidence excerpts: quotes that a cell rests on, anchored in a source's text.

use super::ids::{ExcerptId, SourceId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a quote sits in its source's text, in the W3C Web Annotation model that
/// Hypothesis uses: a `TextPositionSelector` (`start`, `end`, byte offsets on char
/// boundaries) and a `TextQuoteSelector` (`exact` with `prefix` and `suffix` context).
/// See `docs/sources.md`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextPosition {
    pub start: usize,
    pub end: usize,
}

/// One quote that supports a cell's assessment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Excerpt {
    /// Unique within its cell; made from the source and the locator ("budapest-art-15").
    pub id: ExcerptId,
    /// The source it quotes; `None` for a quote typed by hand or kept from format 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceId>,
    /// The quoted text, exactly as the source has it.
    pub exact: String,
    /// Up to 32 characters of the source before the quote.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub prefix: String,
    /// Up to 32 characters of the source after the quote.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub suffix: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<TextPosition>,
    /// Where the quote is: "Art. 15(1)", "para. 13(j)", "Principle 6, p. 4".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub locator: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub added_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_at: Option<DateTime<Utc>>,
}

impl Excerpt {
    /// A quote with no source: what a format-1 file's quote becomes.
    pub fn unsourced(id: ExcerptId, exact: impl Into<String>, locator: impl Into<String>) -> Self {
        Self {
            id,
            source: None,
            exact: exact.into(),
            prefix: String::new(),
            suffix: String::new(),
            position: None,
            locator: locator.into(),
            comment: String::new(),
            added_by: String::new(),
            added_at: None,
        }
    }

    /// The quote on one line: runs of spaces and line breaks (a source's layout, not its
    /// words) become one space. What lists, exports and tooltips show.
    pub fn display_text(&self) -> String {
        self.exact.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Records who added it and when (to the second).
    pub fn stamp(&mut self, editor: &str, now: DateTime<Utc>) {
        self.added_by = editor.to_owned();
        self.added_at = DateTime::from_timestamp(now.timestamp(), 0);
    }

    /// A readable id for a new excerpt, unique among `existing`: the source id and the
    /// locator ("report-para-13-j"), or the quote's first words when there is no locator.
    pub fn new_id(
        source: Option<&SourceId>,
        locator: &str,
        exact: &str,
        existing: &[Excerpt],
    ) -> ExcerptId {
        let words: String = exact
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ");
        let cited = citation_for_id(locator);
        let place = if cited.trim().is_empty() {
            words.as_str()
        } else {
            cited.as_str()
        };
        let name = match source {
            Some(source) => format!("{source} {place}"),
            None => place.to_owned(),
        };
        ExcerptId::readable(&name, |candidate| {
            existing.iter().any(|e| e.id.as_str() == candidate)
        })
    }
}

/// The part of a locator an id names: from the article (or numbered paragraph, principle…)
/// on, without the page when there is more: "Chapter II, Art. 3(2), p. 2" → "Art. 3(2)".
fn citation_for_id(locator: &str) -> String {
    let parts: Vec<&str> = locator.split(", ").map(str::trim).collect();
    let unit = parts.iter().position(|part| {
        ["Art.", "para.", "Principle", "Norm", "Recommendation"]
            .iter()
            .any(|name| part.starts_with(name))
    });
    let mut kept: Vec<&str> = parts[unit.unwrap_or(0)..].to_vec();
    if kept.len() > 1 && kept.last().is_some_and(|last| last.starts_with("p. ")) {
        kept.pop();
    }
    kept.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_read_like_source_and_locator_and_never_collide() {
        let source = SourceId::new("budapest");
        let first = Excerpt::new_id(Some(&source), "Art. 15(1)", "Each Party", &[]);
        assert_eq!(first.as_str(), "budapest-art-15-1");
        let taken = [Excerpt::unsourced(first.clone(), "x", "")];
        let second = Excerpt::new_id(Some(&source), "Art. 15(1)", "Each Party", &taken);
        assert_eq!(second.as_str(), "budapest-art-15-1-2");
        let nested = Excerpt::new_id(Some(&source), "Chapter II, Art. 3(2), p. 2", "x", &[]);
        assert_eq!(nested.as_str(), "budapest-art-3-2");
        let page_only = Excerpt::new_id(Some(&source), "p. 12", "x", &[]);
        assert_eq!(page_only.as_str(), "budapest-p-12");
        let typed = Excerpt::new_id(None, "", "States should not conduct", &[]);
        assert_eq!(typed.as_str(), "states-should-not-conduct");
    }
}
