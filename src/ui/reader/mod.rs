//! The Reader panel: the selected agreement's sources (and the project's own), with their
//! outline, search in one source or all of them, every quoted excerpt highlighted in its
//! cell's colour, and a selected passage made into evidence for the selected cell.
//!
//! Big texts stay fast: the text is cut into chunks (lines, long lines split), each chunk's
//! height is measured once per source and width, and each frame lays out (through egui's
//! galley cache) and paints only the chunks in view.

mod evidence;
mod outline;
mod page_view;
mod search;
mod text_view;

use super::actions::Action;
use super::events::AppEvent;
use super::job::Job;
use super::memo::Memo;
use super::view::ViewState;
use crate::model::{AgreementId, Assessment, ElementId, ExcerptId, Project, SourceId};
use crate::sources::SearchIndex;
use crate::sources::evidence::{
    ExcerptCheck, ExcerptState, check_project, check_project_while, outline_of,
};
use crate::sources::outline::Outline;
use egui::{RichText, Ui};
use evidence::evidence_bar_ui;
pub use evidence::evidence_edit;
use outline::outline_ui;
pub use page_view::{PAGE_LABEL, TEXT_LABEL};
pub use search::hit_count_text;
use search::{SourceHits, all_hits_ui, current_hits, search_ui};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use text_view::TextLayout;

/// What identifies one version of a source's text: its length and a hash of it.
type TextKey = (usize, u64);

/// The hits of a search in one source, in text order.
type Hits = Arc<Vec<Range<usize>>>;

/// The excerpts quoting one source, in text order.
type Highlights = Arc<Vec<Highlight>>;

/// Hits in all sources: how many in all, and the listed ones grouped by source.
type AllHits = (usize, Vec<SourceHits>);

/// How many hits the all-sources list shows.
const MAX_LISTED_HITS: usize = 300;

/// The label of the reader's search field (tests and the key-safety list find it by this).
pub const SEARCH_LABEL: &str = "Search in source";

/// One excerpt quoting the shown source, where it is and whose cell it belongs to.
#[derive(Clone, Debug, PartialEq)]
pub struct Highlight {
    pub range: Range<usize>,
    pub agreement: AgreementId,
    pub element: ElementId,
    pub excerpt: ExcerptId,
    pub assessment: Assessment,
    /// "Paris Call / Reference to Human Rights": what a click on it selects.
    pub cell_name: String,
}

/// How long the quotes are checked on the UI thread before the rest goes to a worker.
const CHECK_HERE_FOR: std::time::Duration = std::time::Duration::from_millis(80);

/// What is prepared once per source text: its search index and outline.
struct Prepared {
    key: TextKey,
    index: SearchIndex,
    outline: Outline,
}

/// Every excerpt of the project checked against its source, recomputed only when the
/// evidence or a source text changed (not on every note keystroke). The reader, the cell
/// panel and the status bar's counts all read these checks.
#[derive(Default)]
pub struct EvidenceChecks {
    revision: Option<(u64, u64)>,
    fingerprint: Option<u64>,
    checks: Vec<ExcerptCheck>,
    /// A check running off the UI thread; `checks` holds the last finished one meanwhile.
    pending: Option<Job<Vec<ExcerptCheck>>>,
    text_keys: HashMap<SourceId, TextKey>,
    /// Each text's address when it was hashed: an edit gives a text a new allocation, so an
    /// unchanged address and length mean an unchanged text, and a big source is hashed once.
    hashed_at: HashMap<SourceId, (usize, TextKey)>,
    /// Goes up whenever a source text changes (search results over all texts depend on it).
    texts_generation: u64,
}

impl EvidenceChecks {
    /// Brings the checks up to date with the project at `revision`, here and now.
    pub fn refresh(&mut self, project: &Project, revision: (u64, u64)) {
        self.refresh_with(project, revision, None);
    }

    /// Brings the checks up to date with the project at `revision` on a worker thread, so
    /// that a project whose quotes are slow to prove opens and paints at once; the window
    /// repaints when the checks are in.
    pub fn refresh_in_background(
        &mut self,
        ctx: &egui::Context,
        project: &Project,
        revision: (u64, u64),
    ) {
        self.refresh_with(project, revision, Some(ctx));
    }

    /// Whether a check is running: the checks are from before the last change.
    pub fn checking(&self) -> bool {
        self.pending.is_some()
    }

    /// Whether the checks answer for `revision`: computed for it and not still running.
    pub fn is_current(&self, revision: (u64, u64)) -> bool {
        self.revision == Some(revision) && self.pending.is_none()
    }

    fn refresh_with(
        &mut self,
        project: &Project,
        revision: (u64, u64),
        background: Option<&egui::Context>,
    ) {
        if let Some(job) = &self.pending {
            match job.poll() {
                Ok(Some(checks)) => {
                    self.checks = checks;
                    self.pending = None;
                }
                Ok(None) => {}
                // The worker ended without an answer: check again.
                Err(()) => {
                    self.pending = None;
                    self.fingerprint = None;
                    self.revision = None;
                }
            }
        }
        if self.revision == Some(revision) {
            return;
        }
        self.revision = Some(revision);
        let text_keys: HashMap<SourceId, TextKey> = project
            .sources
            .iter()
            .map(|source| {
                let address = source.text.as_ptr() as usize;
                let key = match self.hashed_at.get(&source.id) {
                    Some(&(at, key)) if at == address && key.0 == source.text.len() => key,
                    _ => text_key(&source.text),
                };
                self.hashed_at.insert(source.id.clone(), (address, key));
                (source.id.clone(), key)
            })
            .collect();
        if text_keys != self.text_keys {
            self.text_keys = text_keys;
            self.texts_generation += 1;
        }
        let fingerprint = evidence_fingerprint(project, &self.text_keys);
        if self.fingerprint != Some(fingerprint) {
            self.fingerprint = Some(fingerprint);
            self.pending = None;
            // Checked here while that is quick (most projects: no flicker, counts at once);
            // a project that takes longer goes to a worker and the window paints meanwhile.
            let started = std::time::Instant::now();
            let quick = || background.is_none() || started.elapsed() < CHECK_HERE_FOR;
            match check_project_while(project, quick) {
                Some(checks) => self.checks = checks,
                None => {
                    let snapshot = project.clone();
                    self.pending = background.and_then(|ctx| {
                        Job::start(ctx, "quote-check", move || check_project(&snapshot))
                    });
                    if self.pending.is_none() {
                        // No thread to be had: check here after all.
                        self.checks = check_project(project);
                    }
                }
            }
        }
    }

    /// The checks as last computed.
    pub fn checks(&self) -> &[ExcerptCheck] {
        &self.checks
    }

    /// The state of one excerpt of one cell, if it was checked.
    pub fn state_of(
        &self,
        agreement: &AgreementId,
        element: &ElementId,
        excerpt: &ExcerptId,
    ) -> Option<&ExcerptState> {
        self.checks
            .iter()
            .find(|c| &c.agreement == agreement && &c.element == element && &c.excerpt == excerpt)
            .map(|c| &c.state)
    }

    fn text_key(&self, source: &SourceId) -> Option<TextKey> {
        self.text_keys.get(source).copied()
    }
}

fn text_key(text: &str) -> TextKey {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    (text.len(), hasher.finish())
}

/// A hash of everything the checks depend on: the source texts and every excerpt.
fn evidence_fingerprint(project: &Project, text_keys: &HashMap<SourceId, TextKey>) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let mut keys: Vec<_> = text_keys.iter().collect();
    keys.sort();
    keys.hash(&mut hasher);
    for (agreement, element, cell) in project.cells.iter() {
        if cell.evidence.is_empty() {
            continue;
        }
        (agreement, element).hash(&mut hasher);
        for excerpt in &cell.evidence {
            excerpt.id.hash(&mut hasher);
            excerpt.source.hash(&mut hasher);
            excerpt.exact.hash(&mut hasher);
            excerpt.prefix.hash(&mut hasher);
            excerpt.suffix.hash(&mut hasher);
            excerpt.position.map(|p| (p.start, p.end)).hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// Everything the reader remembers between frames. View state only: nothing here is saved.
#[derive(Default)]
pub struct ReaderState {
    /// The source shown.
    source: Option<SourceId>,
    /// The agreement the source was chosen for; another selection picks again.
    chosen_for: Option<Option<AgreementId>>,
    query: String,
    search_all: bool,
    current_hit: Option<usize>,
    last_query: String,
    /// The passage selected with the pointer or Shift+arrows: where it began and where it
    /// is now (the caret).
    selection: Option<(usize, usize)>,
    /// The keyboard caret in the text, when the text has the keyboard and nothing is selected.
    caret: Option<usize>,
    /// Scroll so that this byte offset shows, on the next frame that draws the text.
    scroll_to: Option<usize>,
    /// Headings opened in the outline.
    expanded: HashSet<usize>,
    prepared: HashMap<SourceId, Prepared>,
    layout: Option<TextLayout>,
    hits: Memo<(SourceId, TextKey, String), Hits>,
    all_hits: Memo<(u64, String), AllHits>,
    highlights: Memo<((u64, u64), SourceId), Highlights>,
    /// Each excerpt's check, shared with the cell panel's badges.
    pub evidence: EvidenceChecks,
    /// The page view of PDF sources.
    page: page_view::PageState,
    /// Originals attached in this session, by sha256: where they were read from, and whether
    /// they were copied beside the project yet.
    originals: HashMap<String, (PathBuf, bool)>,
    /// Byte offset a third down the text view (where scroll targets land), so the page view
    /// opens at the same place.
    top_offset: usize,
    /// The last scroll target of the text view and, once drawn, the offset it landed at.
    scrolled_to: Option<(usize, Option<f32>)>,
}

/// What the reader panel reads from the app.
pub struct ReaderInput<'a> {
    pub project: &'a Project,
    pub revision: (u64, u64),
    pub review_mode: bool,
    /// The project's file, near which the originals of its sources are kept.
    pub project_path: Option<&'a Path>,
}

impl ReaderState {
    /// The source shown, if any.
    pub fn source(&self) -> Option<&SourceId> {
        self.source.as_ref()
    }

    /// The selected passage as a byte range of the shown source's text; `None` when nothing
    /// (or only an empty range) is selected.
    pub fn selected_range(&self) -> Option<Range<usize>> {
        let (a, b) = self.selection?;
        let range = a.min(b)..a.max(b);
        (!range.is_empty()).then_some(range)
    }

    /// An original attached in this session: the page view can show it before the project
    /// is saved, and Save copies it beside the project.
    pub fn remember_original(&mut self, sha256: &str, path: PathBuf) {
        if !sha256.is_empty() {
            self.originals.insert(sha256.to_owned(), (path, false));
        }
    }

    /// The originals attached in this session not yet copied beside the project.
    pub fn originals_to_keep(&self) -> Vec<(String, PathBuf)> {
        self.originals
            .iter()
            .filter(|(_, (_, kept))| !kept)
            .map(|(sha, (path, _))| (sha.clone(), path.clone()))
            .collect()
    }

    /// The original with this digest is now beside the project.
    pub fn original_kept(&mut self, sha256: &str) {
        if let Some((_, kept)) = self.originals.get_mut(sha256) {
            *kept = true;
        }
    }

    /// Whether the page view is shown (a PDF source with its original at hand).
    pub fn showing_page(&self) -> bool {
        self.page.showing
    }

    /// Forgets the selected passage (after it became evidence).
    pub fn clear_selection(&mut self) {
        self.selection = None;
    }

    /// The outline of `source`, prepared once per text.
    fn prepared(&mut self, project: &Project, source: &SourceId) -> Option<&Prepared> {
        let text_source = project.source(source)?;
        let key = self
            .evidence
            .text_key(source)
            .unwrap_or_else(|| text_key(&text_source.text));
        let fresh = self.prepared.get(source).is_some_and(|p| p.key == key);
        if !fresh {
            self.prepared.insert(
                source.clone(),
                Prepared {
                    key,
                    index: SearchIndex::new(&text_source.text),
                    outline: outline_of(text_source),
                },
            );
        }
        self.prepared.get(source)
    }

    /// Picks the source to show when the selected agreement changed: the one shown if it is
    /// still offered, else the agreement's own first source, else a project-level one.
    fn choose_source(&mut self, project: &Project, agreement: Option<&AgreementId>) {
        let offered = offered_sources(project, agreement);
        let agreement_changed = self.chosen_for.as_ref() != Some(&agreement.cloned());
        let shown_is_offered = self.source.as_ref().is_some_and(|id| offered.contains(id));
        if agreement_changed || !shown_is_offered {
            self.chosen_for = Some(agreement.cloned());
            if !shown_is_offered {
                self.show(offered.first().cloned());
            }
        }
    }

    /// Shows `source` from `offset` on.
    fn open_at(&mut self, source: SourceId, offset: usize) {
        self.show(Some(source));
        self.scroll_to = Some(offset);
    }

    /// Switches to `source`; what referred to the other text (selection, current hit, open
    /// outline headings) is dropped.
    fn show(&mut self, source: Option<SourceId>) {
        if self.source != source {
            self.selection = None;
            self.current_hit = None;
            self.expanded.clear();
        }
        self.source = source;
    }
}

/// The sources the reader offers for `agreement`: its own, then the project-level ones.
/// With no agreement selected, every source.
fn offered_sources(project: &Project, agreement: Option<&AgreementId>) -> Vec<SourceId> {
    match agreement {
        Some(agreement) => project
            .sources
            .iter()
            .filter(|s| s.agreement.as_ref() == Some(agreement))
            .chain(project.sources.iter().filter(|s| s.agreement.is_none()))
            .map(|s| s.id.clone())
            .collect(),
        None => project.sources.iter().map(|s| s.id.clone()).collect(),
    }
}

/// The excerpts quoting `source`, where their checks found them.
fn highlights_of(project: &Project, checks: &[ExcerptCheck], source: &SourceId) -> Vec<Highlight> {
    let mut highlights: Vec<Highlight> = checks
        .iter()
        .filter(|c| c.source.as_ref() == Some(source))
        .filter_map(|check| {
            let cell = project.cell(&check.agreement, &check.element);
            let excerpt = cell.excerpt(&check.excerpt)?;
            let range = match &check.state {
                ExcerptState::Verified { .. } => {
                    let p = excerpt.position?;
                    p.start..p.end
                }
                ExcerptState::Relocated { start, end }
                | ExcerptState::Changed { start, end, .. } => *start..*end,
                _ => return None,
            };
            let agreement_name = project
                .agreement(&check.agreement)
                .map_or_else(|| check.agreement.to_string(), |a| a.short_name.clone());
            let element_name = project
                .element(&check.element)
                .map_or_else(|| check.element.to_string(), |(_, e)| e.display_name());
            Some(Highlight {
                range,
                agreement: check.agreement.clone(),
                element: check.element.clone(),
                excerpt: check.excerpt.clone(),
                assessment: cell.assessment,
                cell_name: format!("{agreement_name} / {element_name}"),
            })
        })
        .filter(|h| !h.range.is_empty())
        .collect();
    highlights.sort_by_key(|h| (h.range.start, h.range.end));
    highlights
}

/// Draws the reader panel.
pub fn reader_panel_ui(
    ui: &mut Ui,
    input: &ReaderInput<'_>,
    reader: &mut ReaderState,
    view: &mut ViewState,
    events: &mut Vec<AppEvent>,
) {
    let project = input.project;
    ui.horizontal(|ui| {
        ui.strong("Reader");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button("Hide reader")
                .on_hover_text("Hide this panel; View → Reader panel shows it again")
                .clicked()
            {
                events.push(AppEvent::Action(Action::ToggleReader));
            }
        });
    });
    reveal_excerpt(project, reader, view);
    reader.choose_source(project, view.selection.agreement.as_ref());
    if project.sources.is_empty() {
        ui.label(
            "This project has no source texts yet. Attach one with `normgrid source add` to \
             read it here and quote from it.",
        );
        return;
    }
    source_picker_ui(ui, project, reader, view.selection.agreement.as_ref());
    search_ui(ui, input, reader);
    if reader.search_all && !reader.query.trim().is_empty() {
        all_hits_ui(ui, input, reader);
    }
    let Some(source_id) = reader.source.clone() else {
        // With an agreement selected, the line above already says it has no text of its own.
        ui.label(if view.selection.agreement.is_some() {
            "Pick one of the project's sources above to read it."
        } else {
            "Select an agreement to read its sources, or pick a source above."
        });
        return;
    };
    outline_ui(ui, project, reader, &source_id);
    evidence_bar_ui(ui, input, reader, view, events);
    ui.separator();
    let highlights = {
        let checks = reader.evidence.checks();
        reader
            .highlights
            .get_or_compute((input.revision, source_id.clone()), || {
                Arc::new(highlights_of(project, checks, &source_id))
            })
            .clone()
    };
    let hits = current_hits(project, reader, &source_id);
    if let Some(source) = project.source(&source_id) {
        if page_view::page_switch_and_view_ui(
            ui,
            source,
            input.project_path,
            reader,
            &highlights,
            events,
        ) {
            return;
        }
        text_view::text_ui(ui, source, reader, &hits, &highlights, events);
    }
}

/// "Show in reader" in the cell panel: open that excerpt's source and scroll to it.
fn reveal_excerpt(project: &Project, reader: &mut ReaderState, view: &mut ViewState) {
    let Some(id) = view.reveal_excerpt.take() else {
        return;
    };
    let (Some(agreement), Some(element)) = (&view.selection.agreement, &view.selection.element)
    else {
        return;
    };
    let cell = project.cell(agreement, element);
    let Some(excerpt) = cell.excerpt(&id) else {
        return;
    };
    let Some(source) = excerpt.source.clone() else {
        return;
    };
    let offset = reader
        .evidence
        .state_of(agreement, element, &id)
        .and_then(|state| match state {
            ExcerptState::Relocated { start, .. } | ExcerptState::Changed { start, .. } => {
                Some(*start)
            }
            _ => None,
        })
        .or(excerpt.position.map(|p| p.start))
        .unwrap_or(0);
    reader.chosen_for = Some(Some(agreement.clone()));
    reader.open_at(source, offset);
}

fn source_picker_ui(
    ui: &mut Ui,
    project: &Project,
    reader: &mut ReaderState,
    agreement: Option<&AgreementId>,
) {
    let offered = offered_sources(project, agreement);
    // A title from an older file may be megabytes long: the list shows its start.
    let title_of = |id: &SourceId| {
        project.source(id).map_or_else(
            || id.to_string(),
            |s| {
                let title = match s.title.char_indices().nth(120) {
                    Some((at, _)) => format!("{}…", &s.title[..at]),
                    None => s.title.clone(),
                };
                match &s.agreement {
                    None => format!("{title} (project)"),
                    Some(_) => title,
                }
            },
        )
    };
    let shown = reader.source.as_ref().map(&title_of).unwrap_or_default();
    if offered.len() > 1 {
        egui::ComboBox::from_label("Source")
            .selected_text(shown)
            // Room for the "Source" label beside it, which must never wrap letter by letter.
            .width((ui.available_width() - 80.0).max(80.0))
            .show_ui(ui, |ui| {
                for id in &offered {
                    if ui
                        .selectable_label(reader.source.as_ref() == Some(id), title_of(id))
                        .clicked()
                        && reader.source.as_ref() != Some(id)
                    {
                        reader.open_at(id.clone(), 0);
                    }
                }
            });
    } else {
        ui.add(egui::Label::new(RichText::new(shown).strong()).truncate());
    }
    if let Some(agreement) = agreement
        && !project
            .sources
            .iter()
            .any(|s| s.agreement.as_ref() == Some(agreement))
    {
        ui.label(
            RichText::new("No text attached to this agreement; showing the project's sources.")
                .weak()
                .small(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;

    fn sample() -> Project {
        match crate::sample::bpf_2019() {
            Ok(loaded) => loaded.project,
            Err(error) => panic!("the sample loads: {error}"),
        }
    }

    #[test]
    fn an_agreement_offers_its_own_sources_first_then_the_projects() {
        let mut project = sample();
        let paris = AgreementId::new("paris-call");
        let report = SourceId::new("bpf-2019-report");
        let own = Source {
            id: SourceId::new("paris-call-text"),
            agreement: Some(paris.clone()),
            ..project.sources[0].clone()
        };
        project.sources.push(own.clone());
        assert_eq!(
            offered_sources(&project, Some(&paris)),
            [own.id.clone(), report.clone()]
        );
        let other = project.agreements[0].id.clone();
        assert_eq!(
            offered_sources(&project, Some(&other)),
            std::slice::from_ref(&report)
        );
        assert_eq!(offered_sources(&project, None), [report, own.id]);
    }

    #[test]
    fn every_verified_quote_of_the_sample_is_highlighted_where_it_is() {
        let project = sample();
        let mut evidence = EvidenceChecks::default();
        evidence.refresh(&project, (1, 0));
        let report = SourceId::new("bpf-2019-report");
        let highlights = highlights_of(&project, evidence.checks(), &report);
        let verified = evidence
            .checks()
            .iter()
            .filter(|c| matches!(c.state, ExcerptState::Verified { .. }))
            .count();
        assert_eq!(highlights.len(), verified);
        assert!(
            verified >= 38,
            "the sample's quotes are verified: {verified}"
        );
        let text = &project.sources[0].text;
        for highlight in &highlights {
            let cell = project.cell(&highlight.agreement, &highlight.element);
            let Some(excerpt) = cell.excerpt(&highlight.excerpt) else {
                panic!("highlight {} has its excerpt", highlight.excerpt);
            };
            let quoted =
                crate::sources::normalize(&text[highlight.range.clone()], Default::default()).text;
            let exact = crate::sources::normalize(&excerpt.exact, Default::default()).text;
            assert_eq!(quoted, exact, "{}", highlight.excerpt);
            assert_eq!(highlight.assessment, cell.assessment);
        }
        let Some(paris) = highlights
            .iter()
            .find(|h| h.excerpt.as_str() == "bpf-2019-report-we-reaffirm-that-the")
        else {
            panic!("Paris Call's quote is highlighted");
        };
        assert_eq!(paris.range, 58430..58487);
        assert!(paris.cell_name.starts_with("Paris Call / "));
    }

    #[test]
    fn checks_follow_the_evidence_not_every_edit() {
        let mut project = sample();
        let mut evidence = EvidenceChecks::default();
        evidence.refresh(&project, (1, 0));
        let generation = evidence.texts_generation;
        let paris = AgreementId::new("paris-call");
        let human_rights = ElementId::new("ke-human-rights");
        let mut cell = project.cell(&paris, &human_rights);
        cell.evidence[0].exact = "words the report never says at all".to_owned();
        cell.evidence[0].position = None;
        project.cells.set(&paris, &human_rights, cell.clone());
        evidence.refresh(&project, (2, 0));
        assert_eq!(
            evidence.state_of(&paris, &human_rights, &cell.evidence[0].id),
            Some(&ExcerptState::Missing),
            "a changed quote is checked again"
        );
        assert_eq!(evidence.texts_generation, generation, "no text changed");
        project.sources[0].text.push_str("\nAn annex.");
        evidence.refresh(&project, (3, 0));
        assert_eq!(evidence.texts_generation, generation + 1, "a text changed");
    }
}
