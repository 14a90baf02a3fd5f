//! Evidence excerpts against their sources: anchoring a quote, checking every quote of a
//! project, moving anchors that drifted, and re-anchoring when a source gets a new version.

use super::anchor::{MatchKind, Resolution, Resolver, TextAnchor};
use super::outline::{Outline, OutlineOptions};
use crate::commands::Command;
use crate::model::{
    AgreementId, Cell, ElementId, Excerpt, ExcerptId, Project, Source, SourceId, TextPosition,
};
use std::collections::HashMap;

/// The anchor an excerpt stores, if it has a position.
pub fn anchor_of(excerpt: &Excerpt) -> Option<TextAnchor> {
    let position = excerpt.position?;
    Some(TextAnchor {
        start: position.start,
        end: position.end,
        exact: excerpt.exact.clone(),
        prefix: excerpt.prefix.clone(),
        suffix: excerpt.suffix.clone(),
    })
}

/// Stores `anchor` in `excerpt`: position, quote and context.
pub fn set_anchor(excerpt: &mut Excerpt, anchor: TextAnchor) {
    excerpt.position = Some(TextPosition {
        start: anchor.start,
        end: anchor.end,
    });
    excerpt.exact = anchor.exact;
    excerpt.prefix = anchor.prefix;
    excerpt.suffix = anchor.suffix;
}

/// Moves an excerpt's anchor to `range` of `text`, keeping its own wording: re-anchoring
/// changes where a quote is, never what it says. A quote found only after normalising
/// stays proven by the normalised match at its new position, and the cell's review
/// fingerprint (which hashes the wording) does not change.
pub fn move_anchor(excerpt: &mut Excerpt, text: &str, range: std::ops::Range<usize>) {
    let anchor = TextAnchor::new(text, range.start, range.end);
    excerpt.position = Some(TextPosition {
        start: anchor.start,
        end: anchor.end,
    });
    excerpt.prefix = anchor.prefix;
    excerpt.suffix = anchor.suffix;
}

/// The outline of a source, with its pages.
pub fn outline_of(source: &Source) -> Outline {
    Outline::with_options(
        &source.text,
        &OutlineOptions {
            page_starts: source.pages.clone(),
            ..OutlineOptions::default()
        },
    )
}

/// Where `range` is, as a citation of the agreement: its articles, paragraphs and pages. A
/// project-level source (a report quoting several agreements) is cited by page only: its own
/// headings would be taken for the agreement's.
pub fn derived_locator(
    source: &Source,
    outline: &Outline,
    range: std::ops::Range<usize>,
) -> String {
    if source.agreement.is_some() {
        outline.locator_of_range(range.start, range.end)
    } else {
        source
            .page_at(range.start)
            .map(|page| format!("p. {page}"))
            .unwrap_or_default()
    }
}

/// A new excerpt quoting `range` of `source`, with its derived locator.
pub fn excerpt_from_range(
    source: &Source,
    outline: &Outline,
    range: std::ops::Range<usize>,
    existing: &[Excerpt],
) -> Excerpt {
    let mut anchor = TextAnchor::new(&source.text, range.start, range.end);
    // The quote is the passage's words: the page's line breaks are layout, not wording. The
    // anchor still proves it, through the normalised match at its position.
    anchor.exact = words_of_passage(&anchor.exact);
    let locator = derived_locator(source, outline, anchor.start..anchor.end);
    let id = Excerpt::new_id(Some(&source.id), &locator, &anchor.exact, existing);
    let mut excerpt = Excerpt::unsourced(id, String::new(), locator);
    excerpt.source = Some(source.id.clone());
    set_anchor(&mut excerpt, anchor);
    excerpt
}

/// A passage as words: each line break (with the spaces around it) becomes one space; a
/// word hyphenated across a line end ("co-" / "operation", a letter before the hyphen and a
/// lower-case letter after the break) is joined, and a compound ("Anti-" / "Corruption")
/// keeps its hyphen, as the quote matcher does; a soft hyphen at a line end joins too. Between two Chinese or Japanese characters a line break
/// is no space at all.
pub fn words_of_passage(passage: &str) -> String {
    use super::normalize::is_set_without_spaces;
    let mut out = String::with_capacity(passage.len());
    let mut pending_break = false;
    for c in passage.chars() {
        match c {
            '\n' | '\r' | '\u{0c}' | '\u{2028}' | '\u{2029}' => pending_break = true,
            ' ' | '\t' if pending_break => {}
            _ => {
                if pending_break {
                    let trimmed = out.trim_end_matches([' ', '\t']).len();
                    out.truncate(trimmed);
                    let mut ending = out.chars().rev();
                    let last = ending.next();
                    let before_last = ending.next();
                    let hyphenated = matches!(last, Some('-' | '\u{2010}' | '\u{2011}'))
                        && before_last.is_some_and(char::is_alphabetic)
                        && c.is_lowercase();
                    let compound = matches!(last, Some('-' | '\u{2010}' | '\u{2011}'))
                        && before_last.is_some_and(char::is_alphabetic)
                        && c.is_alphabetic();
                    if hyphenated || last == Some('\u{00AD}') {
                        out.pop();
                    } else if compound {
                        // "Anti-" / "Corruption": the hyphen stays, the break goes.
                    } else if !out.is_empty()
                        && !last
                            .is_some_and(|l| is_set_without_spaces(l) && is_set_without_spaces(c))
                    {
                        out.push(' ');
                    }
                    pending_break = false;
                }
                out.push(c);
            }
        }
    }
    out
}

/// Why a quote could not be anchored in a source.
#[derive(Debug, thiserror::Error)]
pub enum QuoteError {
    #[error("the quote is empty")]
    Empty,
    #[error(
        "the quote is not in {source_title}, not even after normalising spaces, quotes and dashes. \
         Closest passage ({}% alike{}): “{closest}”. Copy the sentence from the source \
         (`normgrid source show`) and try again.",
        percent_alike(*similarity),
        place(locator)
    )]
    Near {
        source_title: String,
        closest: String,
        locator: String,
        similarity: f64,
    },
    #[error(
        "the quote ({chars} characters) is not in {source_title} as written, and it is too long \
         to compare approximately in reasonable time: quote a shorter passage (a sentence or a \
         paragraph), copied from `normgrid source show`"
    )]
    TooLong { source_title: String, chars: usize },
    #[error(
        "the quote occurs {count} times in {source_title} (at {places}); quote more words so \
         that it points at one place"
    )]
    Ambiguous {
        source_title: String,
        count: usize,
        places: String,
    },
    #[error(
        "the quote is not in {source_title}, not even approximately. Check that it comes from \
         this source (`normgrid source list`)."
    )]
    Missing { source_title: String },
}

/// A similarity as a whole percentage, rounded down: a quote one char off is 99 % alike,
/// never 100 %.
pub fn percent_alike(similarity: f64) -> u32 {
    let percent = (similarity * 100.0).floor().clamp(0.0, 100.0) as u32;
    if similarity < 1.0 {
        percent.min(99)
    } else {
        percent
    }
}

/// ", at Art. 3" for a passage with a locator; nothing for one without.
fn place(locator: &str) -> String {
    if locator.trim().is_empty() {
        String::new()
    } else {
        format!(", at {locator}")
    }
}

/// Finds `quote` in `source` (exactly, then normalised) and returns where it is. A near
/// match is refused with the closest passage, so nothing is anchored on a guess.
pub fn find_quote(source: &Source, quote: &str) -> Result<std::ops::Range<usize>, QuoteError> {
    let quote = quote.trim();
    if quote.is_empty() {
        return Err(QuoteError::Empty);
    }
    let hits = super::search::find_all(&source.text, quote);
    if hits.len() > 1 {
        let outline = outline_of(source);
        let places: Vec<String> = hits
            .iter()
            .take(5)
            .map(|hit| {
                let locator = outline.locator_of_range(hit.start, hit.end);
                if locator.is_empty() {
                    format!("byte {}", hit.start)
                } else {
                    locator
                }
            })
            .collect();
        return Err(QuoteError::Ambiguous {
            source_title: source.title.clone(),
            count: hits.len(),
            places: places.join("; "),
        });
    }
    let probe = TextAnchor {
        start: 0,
        end: 0,
        exact: quote.to_owned(),
        prefix: String::new(),
        suffix: String::new(),
    };
    let resolved = Resolver::new(&source.text).resolve_detailed(&probe);
    match resolved.resolution {
        Resolution::Verified { start, end } | Resolution::Relocated { start, end } => {
            Ok(start..end)
        }
        Resolution::Changed {
            start,
            end,
            similarity,
            ..
        } => Err(QuoteError::Near {
            source_title: source.title.clone(),
            closest: source.text[start..end].to_owned(),
            locator: outline_of(source).locator_of_range(start, end),
            similarity,
        }),
        Resolution::Missing => Err(QuoteError::Missing {
            source_title: source.title.clone(),
        }),
        Resolution::Undecided { chars } => Err(QuoteError::TooLong {
            source_title: source.title.clone(),
            chars,
        }),
    }
}

/// What checking one excerpt against its source found.
#[derive(Clone, Debug, PartialEq)]
pub enum ExcerptState {
    /// A quote with no source: nothing to prove it against.
    Unsourced,
    /// It names a source the project does not have.
    NoSuchSource,
    /// At its position; `normalized` when only the normalised text matches there.
    Verified { normalized: bool },
    /// Found elsewhere in the source; `fmt` or Save moves the anchor.
    Relocated { start: usize, end: usize },
    /// A near match: the source now says something slightly different.
    Changed {
        start: usize,
        end: usize,
        similarity: f64,
        /// The differences, word by word: `[-quote only-]` and `{+source only+}`.
        differences: String,
    },
    /// Not found.
    Missing,
    /// Not found as written, and too long to compare approximately: quote less.
    Undecided { chars: usize },
}

impl ExcerptState {
    /// Where the quote stands in its source now: its anchor when verified, the place found
    /// when relocated or changed; `None` when there is no such place.
    pub fn located(&self, excerpt: &Excerpt) -> Option<std::ops::Range<usize>> {
        match self {
            Self::Verified { .. } => excerpt.position.map(|p| p.start..p.end),
            Self::Relocated { start, end } | Self::Changed { start, end, .. } => Some(*start..*end),
            Self::Unsourced | Self::NoSuchSource | Self::Missing | Self::Undecided { .. } => None,
        }
    }

    /// One word for lists and badges.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Unsourced => "no source",
            Self::NoSuchSource => "source missing",
            Self::Verified { .. } => "verified",
            Self::Relocated { .. } => "relocated",
            Self::Changed { .. } => "changed",
            Self::Missing => "missing",
            Self::Undecided { .. } => "undecided",
        }
    }

    /// The word lists and exports show for an excerpt in this state: an excerpt with no
    /// quote, only a locator, is "locator only", not "no source".
    pub fn word(&self, exact: &str) -> &'static str {
        match self {
            Self::Unsourced if exact.trim().is_empty() => "locator only",
            other => other.label(),
        }
    }

    /// True for the states `normgrid check` fails on.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            Self::Changed { .. } | Self::Missing | Self::NoSuchSource | Self::Undecided { .. }
        )
    }
}

/// One excerpt of one cell, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct ExcerptCheck {
    pub agreement: AgreementId,
    pub element: ElementId,
    pub excerpt: ExcerptId,
    pub source: Option<SourceId>,
    pub state: ExcerptState,
    /// The excerpt holds only a locator.
    pub exact_is_empty: bool,
}

/// How many excerpts ended in each state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CheckCounts {
    pub verified: usize,
    /// Of the verified, how many needed the normalised match.
    pub normalized: usize,
    pub relocated: usize,
    pub changed: usize,
    pub missing: usize,
    /// Quotes without a source (typed by hand, or kept from format 1).
    pub unsourced: usize,
    /// Excerpts holding only a locator, no quote: nothing to prove.
    pub locator_only: usize,
    pub no_such_source: usize,
}

impl CheckCounts {
    /// Counts a list of checks.
    pub fn of(checks: &[ExcerptCheck]) -> Self {
        let mut counts = Self::default();
        for check in checks {
            match check.state {
                ExcerptState::Unsourced if check.exact_is_empty => counts.locator_only += 1,
                ExcerptState::Unsourced => counts.unsourced += 1,
                ExcerptState::NoSuchSource => counts.no_such_source += 1,
                ExcerptState::Verified { normalized } => {
                    counts.verified += 1;
                    counts.normalized += usize::from(normalized);
                }
                ExcerptState::Relocated { .. } => counts.relocated += 1,
                ExcerptState::Changed { .. } => counts.changed += 1,
                ExcerptState::Missing | ExcerptState::Undecided { .. } => counts.missing += 1,
            }
        }
        counts
    }

    /// "21 verified (14 exactly, 7 after normalising), 0 relocated, 0 changed, 0 missing".
    pub fn summary(&self) -> String {
        let mut text = format!(
            "{} verified ({} exactly, {} after normalising), {} relocated, {} changed, {} missing",
            self.verified,
            self.verified - self.normalized,
            self.normalized,
            self.relocated,
            self.changed,
            self.missing
        );
        if self.no_such_source > 0 {
            text.push_str(&format!(
                ", {} naming a source not in the project",
                self.no_such_source
            ));
        }
        if self.unsourced > 0 {
            text.push_str(&format!(", {} without a source", self.unsourced));
        }
        if self.locator_only > 0 {
            text.push_str(&format!(
                ", {} without a quote",
                crate::model::text::counted(self.locator_only, "locator", "locators")
            ));
        }
        text
    }

    /// True when `normgrid check` fails.
    pub fn has_failures(&self) -> bool {
        self.changed + self.missing + self.no_such_source > 0
    }
}

/// Checks one excerpt against `source` with a resolver made for it.
pub fn check_excerpt(resolver: &Resolver<'_>, excerpt: &Excerpt) -> ExcerptState {
    let anchor = anchor_of(excerpt).unwrap_or_else(|| TextAnchor {
        // Never anchored (a quote linked by hand in the file): search for it everywhere.
        start: usize::MAX,
        end: usize::MAX,
        exact: excerpt.exact.clone(),
        prefix: excerpt.prefix.clone(),
        suffix: excerpt.suffix.clone(),
    });
    let resolved = resolver.resolve_detailed(&anchor);
    match resolved.resolution {
        Resolution::Verified { .. } => ExcerptState::Verified {
            normalized: resolved.matched_by == MatchKind::Normalized,
        },
        Resolution::Relocated { start, end } => ExcerptState::Relocated { start, end },
        Resolution::Changed {
            start,
            end,
            similarity,
            diff,
        } => ExcerptState::Changed {
            start,
            end,
            similarity,
            differences: show_diff(&diff),
        },
        Resolution::Missing => ExcerptState::Missing,
        Resolution::Undecided { chars } => ExcerptState::Undecided { chars },
    }
}

fn show_diff(diff: &[super::anchor::DiffOp]) -> String {
    use super::anchor::DiffOp;
    diff.iter()
        .map(|op| match op {
            DiffOp::Equal(text) => text.clone(),
            DiffOp::Delete(text) => format!("[-{text}-]"),
            DiffOp::Insert(text) => format!("{{+{text}+}}"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks every excerpt of the project, each source's text normalised at most once.
pub fn check_project(project: &Project) -> Vec<ExcerptCheck> {
    check_project_while(project, || true).unwrap_or_default()
}

/// [`check_project`], asking `go_on` before each excerpt: `None` as soon as it says no (the
/// GUI checks here while that is quick and hands a slow project to a worker).
pub fn check_project_while(
    project: &Project,
    mut go_on: impl FnMut() -> bool,
) -> Option<Vec<ExcerptCheck>> {
    let mut checker = Checker::new(project);
    let mut checks = Vec::new();
    for (agreement, element, cell) in project.cells.iter() {
        for excerpt in &cell.evidence {
            if !go_on() {
                return None;
            }
            checks.push(ExcerptCheck {
                agreement: agreement.clone(),
                element: element.clone(),
                excerpt: excerpt.id.clone(),
                source: excerpt.source.clone(),
                state: checker.state(excerpt),
                exact_is_empty: excerpt.exact.trim().is_empty(),
            });
        }
    }
    Some(checks)
}

/// Checks excerpts against the sources of one project, preparing each source's text at
/// most once however many excerpts quote it.
pub struct Checker<'p> {
    sources: HashMap<&'p SourceId, &'p Source>,
    resolvers: HashMap<&'p SourceId, Resolver<'p>>,
}

impl<'p> Checker<'p> {
    /// A checker for `project`'s sources.
    pub fn new(project: &'p Project) -> Self {
        Self {
            sources: project.sources.iter().map(|s| (&s.id, s)).collect(),
            resolvers: HashMap::new(),
        }
    }

    /// Where `excerpt` stands against its source.
    pub fn state(&mut self, excerpt: &Excerpt) -> ExcerptState {
        let Some(id) = &excerpt.source else {
            return ExcerptState::Unsourced;
        };
        let Some(source) = self.sources.get(id).copied() else {
            return ExcerptState::NoSuchSource;
        };
        let resolver = self
            .resolvers
            .entry(&source.id)
            .or_insert_with(|| Resolver::new(&source.text));
        check_excerpt(resolver, excerpt)
    }
}

/// The project with every relocated excerpt's anchor moved to where its quote is now, and
/// how many moved. Changed and missing excerpts are left for a person to decide.
pub fn with_relocated_anchors(project: &Project) -> (Project, usize) {
    let mut updated = project.clone();
    let mut moved = 0;
    for check in check_project(project) {
        let ExcerptState::Relocated { start, end } = check.state else {
            continue;
        };
        let Some(source) = check.source.as_ref().and_then(|id| project.source(id)) else {
            continue;
        };
        let mut cell = updated.cell(&check.agreement, &check.element);
        if let Some(excerpt) = cell.evidence.iter_mut().find(|e| e.id == check.excerpt) {
            move_anchor(excerpt, &source.text, start..end);
            moved += 1;
        }
        updated.cells.set(&check.agreement, &check.element, cell);
    }
    (updated, moved)
}

/// One excerpt whose quote is not where it was after a source was replaced.
#[derive(Clone, Debug, PartialEq)]
pub struct Drift {
    pub agreement: AgreementId,
    pub element: ElementId,
    pub excerpt: Excerpt,
    pub state: ExcerptState,
}

/// What replacing a source with a new version does to the excerpts that quote it.
#[derive(Clone, Debug)]
pub struct Replacement {
    /// Replaces the source and moves the anchors of verified and relocated excerpts: one
    /// undo step.
    pub command: Command,
    pub counts: CheckCounts,
    /// Relocated, changed and missing excerpts, for the user to look at; changed ones keep
    /// their old quote until [`confirm_changed`] takes the new wording.
    pub drifted: Vec<Drift>,
}

/// Plans replacing `old`'s text (and details) with `new`, keeping `old`'s id and agreement.
pub fn plan_replacement(project: &Project, old: &SourceId, mut new: Source) -> Option<Replacement> {
    let current = project.source(old)?;
    new.id = current.id.clone();
    new.agreement.clone_from(&current.agreement);
    let resolver = Resolver::new(&new.text);
    let mut commands = vec![Command::UpdateSource {
        source: Box::new(new.clone()),
    }];
    let mut checks = Vec::new();
    let mut drifted = Vec::new();
    for (agreement, element, cell) in project.cells.iter() {
        let mut changed_cell: Option<Cell> = None;
        for (index, excerpt) in cell.evidence.iter().enumerate() {
            if excerpt.source.as_ref() != Some(old) {
                continue;
            }
            let state = check_excerpt(&resolver, excerpt);
            if let ExcerptState::Verified { .. } | ExcerptState::Relocated { .. } = state {
                let range = match state {
                    ExcerptState::Relocated { start, end } => start..end,
                    _ => excerpt.position.map_or(0..0, |p| p.start..p.end),
                };
                // New position and context; the wording stays the excerpt's own.
                let mut moved = excerpt.clone();
                move_anchor(&mut moved, &new.text, range);
                if moved != *excerpt {
                    let cell = changed_cell.get_or_insert_with(|| cell.clone());
                    cell.evidence[index] = moved;
                }
            }
            if !matches!(state, ExcerptState::Verified { .. }) {
                drifted.push(Drift {
                    agreement: agreement.clone(),
                    element: element.clone(),
                    excerpt: excerpt.clone(),
                    state: state.clone(),
                });
            }
            checks.push(ExcerptCheck {
                agreement: agreement.clone(),
                element: element.clone(),
                excerpt: excerpt.id.clone(),
                source: Some(old.clone()),
                state,
                exact_is_empty: excerpt.exact.trim().is_empty(),
            });
        }
        if let Some(cell) = changed_cell {
            commands.push(Command::SetCell {
                agreement: agreement.clone(),
                element: element.clone(),
                cell,
            });
        }
    }
    Some(Replacement {
        command: Command::Batch {
            label: format!("Replace source {}", new.title),
            commands,
        },
        counts: CheckCounts::of(&checks),
        drifted,
    })
}

/// The command that takes the source's new wording for a changed excerpt, after the user
/// has looked at the differences.
pub fn confirm_changed(project: &Project, drift: &Drift) -> Option<Command> {
    let ExcerptState::Changed { start, end, .. } = drift.state else {
        return None;
    };
    let source = project.source(drift.excerpt.source.as_ref()?)?;
    let mut cell = project.cell(&drift.agreement, &drift.element);
    let excerpt = cell
        .evidence
        .iter_mut()
        .find(|e| e.id == drift.excerpt.id)?;
    // The new wording is the passage's words, as a quote taken in the reader is.
    let mut anchor = TextAnchor::new(&source.text, start, end);
    anchor.exact = words_of_passage(&anchor.exact);
    set_anchor(excerpt, anchor);
    Some(Command::SetCell {
        agreement: drift.agreement.clone(),
        element: drift.element.clone(),
        cell,
    })
}

#[cfg(test)]
mod tests {
    use super::words_of_passage;

    #[test]
    fn a_passage_keeps_its_words_not_the_pages_line_breaks() {
        assert_eq!(
            words_of_passage("without undue\ndelay,  notwithstanding"),
            "without undue delay,  notwithstanding"
        );
        assert_eq!(words_of_passage("infor\u{00AD}\nmation"), "information");
        assert_eq!(words_of_passage("co-\noperation"), "cooperation");
        assert_eq!(words_of_passage("Anti-\nCorruption"), "Anti-Corruption");
        assert_eq!(
            words_of_passage("end of line   \r\n  next"),
            "end of line next"
        );
        assert_eq!(
            words_of_passage("Статья 2\n1. Каждая"),
            "Статья 2 1. Каждая"
        );
    }
}
