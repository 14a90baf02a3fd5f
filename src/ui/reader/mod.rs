//! The Reader panel: the selected agreement's sources (and the project's own), with their
//! outline, search in one source or all of them, every quoted excerpt highlighted in its
//! cell's colour, and a selected passage made into evidence for the selected cell.
//!
//! Big texts stay fast: the text is cut into chunks (lines, long lines split), each chunk's
//! height is measured once per source and width, and each frame lays out (through egui's
//! galley cache) and paints only the chunks in view.

mod text_view;

use super::actions::Action;
use super::events::AppEvent;
use super::memo::Memo;
use super::view::ViewState;
use crate::model::{AgreementId, Assessment, ElementId, ExcerptId, Project, SourceId};
use crate::sources::SearchIndex;
use crate::sources::evidence::{ExcerptCheck, ExcerptState, check_project, outline_of};
use crate::sources::outline::{Heading, HeadingKind, Outline};
use egui::{RichText, TextEdit, Ui};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::ops::Range;
use text_view::TextLayout;

/// What identifies one version of a source's text: its length and a hash of it.
type TextKey = (usize, u64);

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

/// The hits of a search in one source, for the all-sources list.
#[derive(Clone, Debug)]
struct SourceHits {
    source: SourceId,
    title: String,
    /// Agreement short name, or "Project" for a project-level source.
    group: String,
    /// (hit, locator, context) per hit.
    hits: Vec<(Range<usize>, String, String)>,
}

/// What is prepared once per source text: its search index and outline.
struct Prepared {
    key: TextKey,
    index: SearchIndex,
    outline: Outline,
}

/// Every excerpt of the project checked against its source, recomputed only when the
/// evidence or a source text changed (not on every note keystroke).
#[derive(Default)]
pub struct EvidenceChecks {
    revision: Option<(u64, u64)>,
    fingerprint: Option<u64>,
    checks: Vec<ExcerptCheck>,
    text_keys: HashMap<SourceId, TextKey>,
}

impl EvidenceChecks {
    /// Brings the checks up to date with the project at `revision`.
    pub fn refresh(&mut self, project: &Project, revision: (u64, u64)) {
        if self.revision == Some(revision) {
            return;
        }
        self.revision = Some(revision);
        self.text_keys = project
            .sources
            .iter()
            .map(|s| (s.id.clone(), text_key(&s.text)))
            .collect();
        let fingerprint = evidence_fingerprint(project, &self.text_keys);
        if self.fingerprint != Some(fingerprint) {
            self.fingerprint = Some(fingerprint);
            self.checks = check_project(project);
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
    /// The passage selected with the pointer: where the drag began and where it is now.
    selection: Option<(usize, usize)>,
    /// Scroll so that this byte offset shows, on the next frame that draws the text.
    scroll_to: Option<usize>,
    /// Headings opened in the outline.
    expanded: HashSet<usize>,
    prepared: HashMap<SourceId, Prepared>,
    layout: Option<TextLayout>,
    hits: Memo<(SourceId, TextKey, String), Vec<Range<usize>>>,
    all_hits: Memo<((u64, u64), String), (usize, Vec<SourceHits>)>,
    highlights: Memo<((u64, u64), SourceId), Vec<Highlight>>,
    /// Each excerpt's check, shared with the cell panel's badges.
    pub evidence: EvidenceChecks,
}

/// What the reader panel reads from the app.
pub struct ReaderInput<'a> {
    pub project: &'a Project,
    pub revision: (u64, u64),
    pub review_mode: bool,
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
        let shown_is_offered = self
            .source
            .as_ref()
            .is_some_and(|id| offered.contains(id));
        if agreement_changed || !shown_is_offered {
            self.chosen_for = Some(agreement.cloned());
            if !shown_is_offered {
                self.source = offered.first().cloned();
                self.selection = None;
            }
        }
    }

    /// Shows `source` from `offset` on.
    fn open_at(&mut self, source: SourceId, offset: usize) {
        if self.source.as_ref() != Some(&source) {
            self.selection = None;
        }
        self.source = Some(source);
        self.scroll_to = Some(offset);
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
                ExcerptState::Relocated { start, end } | ExcerptState::Changed { start, end, .. } => {
                    *start..*end
                }
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
                .on_hover_text("Hide this panel; View → Show reader shows it again")
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
        ui.label("Select an agreement to read its sources.");
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
                highlights_of(project, checks, &source_id)
            })
            .clone()
    };
    let hits = current_hits(project, reader, &source_id);
    if let Some(source) = project.source(&source_id) {
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
    let title_of = |id: &SourceId| {
        project.source(id).map_or_else(
            || id.to_string(),
            |s| match &s.agreement {
                None => format!("{} (project)", s.title),
                Some(_) => s.title.clone(),
            },
        )
    };
    let shown = reader.source.as_ref().map(&title_of).unwrap_or_default();
    if offered.len() > 1 {
        egui::ComboBox::from_label("Source")
            .selected_text(shown)
            .width(ui.available_width() - 60.0)
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

/// The hits of the query in the shown source, as cached byte ranges.
fn current_hits(project: &Project, reader: &mut ReaderState, source: &SourceId) -> Vec<Range<usize>> {
    let query = reader.query.trim().to_owned();
    if query.is_empty() {
        return Vec::new();
    }
    let Some(key) = reader.prepared(project, source).map(|p| p.key) else {
        return Vec::new();
    };
    let prepared = reader.prepared.get(source);
    reader
        .hits
        .get_or_compute((source.clone(), key, query.clone()), || {
            prepared.map(|p| p.index.find(&query)).unwrap_or_default()
        })
        .clone()
}

fn search_ui(ui: &mut Ui, input: &ReaderInput<'_>, reader: &mut ReaderState) {
    let project = input.project;
    let mut step: Option<bool> = None; // Some(true): next, Some(false): previous
    ui.horizontal(|ui| {
        let label = ui.label(SEARCH_LABEL);
        let response = ui
            .add(
                TextEdit::singleline(&mut reader.query)
                    .id_salt("reader-search")
                    .desired_width(ui.available_width())
                    .hint_text("words in the text"),
            )
            .labelled_by(label.id);
        if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            step = Some(!ui.input(|i| i.modifiers.shift));
            response.request_focus();
        }
    });
    // After the field: the hits of what was just typed.
    let hits = match reader.source.clone() {
        Some(source) => current_hits(project, reader, &source),
        None => Vec::new(),
    };
    if reader.query != reader.last_query {
        reader.last_query = reader.query.clone();
        reader.current_hit = (!hits.is_empty()).then_some(0);
        if let Some(first) = hits.first() {
            reader.scroll_to = Some(first.start);
        }
    }
    if let Some(forward) = step {
        step_now(reader, &hits, forward);
    }
    ui.horizontal(|ui| {
        let count = hit_count_text(reader.current_hit, hits.len(), reader.query.trim().is_empty());
        if !count.is_empty() {
            ui.label(RichText::new(count).small());
        }
        if ui
            .add_enabled(!hits.is_empty(), egui::Button::new("Previous hit").small())
            .on_hover_text("Shift+Enter in the search box")
            .clicked()
        {
            step_now(reader, &hits, false);
        }
        if ui
            .add_enabled(!hits.is_empty(), egui::Button::new("Next hit").small())
            .on_hover_text("Enter in the search box")
            .clicked()
        {
            step_now(reader, &hits, true);
        }
        ui.checkbox(&mut reader.search_all, "All sources")
            .on_hover_text("List the hits in every source of the project, grouped by agreement");
    });
}

/// Moves to the next (or previous) hit, wrapping around, and scrolls to it.
fn step_now(reader: &mut ReaderState, hits: &[Range<usize>], forward: bool) {
    let from = reader
        .current_hit
        .and_then(|i| hits.get(i))
        .map_or(0, |h| h.start);
    let next = match (forward, reader.current_hit) {
        (true, None) => (!hits.is_empty()).then_some(0),
        (true, Some(_)) => crate::sources::search::next_hit(hits, from),
        (false, _) => crate::sources::search::previous_hit(hits, from),
    };
    reader.current_hit = next;
    if let Some(hit) = next.and_then(|i| hits.get(i)) {
        reader.scroll_to = Some(hit.start);
    }
}

/// "Hit 3 of 12", "12 hits", "No hits" or nothing.
pub fn hit_count_text(current: Option<usize>, count: usize, empty_query: bool) -> String {
    match (empty_query, count, current) {
        (true, _, _) => String::new(),
        (false, 0, _) => "No hits".to_owned(),
        (false, n, Some(i)) if i < n => format!("Hit {} of {n}", i + 1),
        (false, n, _) => format!("{n} hits"),
    }
}

/// Hits in every source, grouped by agreement, each with its locator and some context.
fn all_hits_ui(ui: &mut Ui, input: &ReaderInput<'_>, reader: &mut ReaderState) {
    let project = input.project;
    let query = reader.query.trim().to_owned();
    let ids: Vec<SourceId> = project.sources.iter().map(|s| s.id.clone()).collect();
    for id in &ids {
        reader.prepared(project, id);
    }
    let prepared = &reader.prepared;
    let (total, groups) = reader
        .all_hits
        .get_or_compute((input.revision, query.clone()), || {
            all_hits(project, prepared, &query)
        })
        .clone();
    let mut open: Option<(SourceId, usize)> = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(
            RichText::new(if total > MAX_LISTED_HITS {
                format!("{total} hits in all sources (the first {MAX_LISTED_HITS} listed)")
            } else {
                format!("{total} hits in all sources")
            })
            .small(),
        );
        egui::ScrollArea::vertical()
            .id_salt("reader-all-hits")
            .max_height(180.0)
            .show(ui, |ui| {
                let mut last_group = String::new();
                for group in &groups {
                    if group.group != last_group {
                        ui.strong(&group.group);
                        last_group.clone_from(&group.group);
                    }
                    ui.label(RichText::new(&group.title).weak().small());
                    for (hit, locator, context) in &group.hits {
                        let text = if locator.is_empty() {
                            context.clone()
                        } else {
                            format!("{locator}: {context}")
                        };
                        if ui
                            .add(egui::Button::new(RichText::new(text).small()).wrap().frame(false))
                            .on_hover_text("Open the source here")
                            .clicked()
                        {
                            open = Some((group.source.clone(), hit.start));
                        }
                    }
                }
            });
    });
    if let Some((source, offset)) = open {
        reader.open_at(source.clone(), offset);
        let hits = current_hits(project, reader, &source);
        reader.current_hit = hits.iter().position(|h| h.start == offset);
    }
}

fn all_hits(
    project: &Project,
    prepared: &HashMap<SourceId, Prepared>,
    query: &str,
) -> (usize, Vec<SourceHits>) {
    let mut total = 0;
    let mut listed = 0;
    let mut groups: Vec<(Option<usize>, SourceHits)> = Vec::new();
    for source in &project.sources {
        let Some(p) = prepared.get(&source.id) else {
            continue;
        };
        let found = p.index.find(query);
        total += found.len();
        if found.is_empty() {
            continue;
        }
        let take = MAX_LISTED_HITS.saturating_sub(listed).min(found.len());
        listed += take;
        let hits = found
            .into_iter()
            .take(take)
            .map(|hit| {
                let locator = p.outline.locator_at(hit.start);
                let context = context_of(&source.text, &hit);
                (hit, locator, context)
            })
            .collect();
        let order = source
            .agreement
            .as_ref()
            .and_then(|a| project.agreement_index(a));
        let group = source
            .agreement
            .as_ref()
            .and_then(|a| project.agreement(a))
            .map_or_else(|| "Project".to_owned(), |a| a.short_name.clone());
        groups.push((
            order,
            SourceHits {
                source: source.id.clone(),
                title: source.title.clone(),
                group,
                hits,
            },
        ));
    }
    // Agreements in grid order, the project's own sources last.
    groups.sort_by_key(|(order, _)| order.unwrap_or(usize::MAX));
    (total, groups.into_iter().map(|(_, g)| g).collect())
}

/// About forty characters either side of a hit, on one line.
fn context_of(text: &str, hit: &Range<usize>) -> String {
    const SIDE: usize = 40;
    let before: String = {
        let head = text.get(..hit.start).unwrap_or_default();
        let chars: Vec<char> = head.chars().rev().take(SIDE).collect();
        chars.into_iter().rev().collect()
    };
    let found = text.get(hit.clone()).unwrap_or_default();
    let after: String = text
        .get(hit.end..)
        .unwrap_or_default()
        .chars()
        .take(SIDE)
        .collect();
    let line = format!("…{before}«{found}»{after}…");
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A heading as the outline lists it: "Art. 15 General principles".
fn heading_label(heading: &Heading) -> String {
    let number = &heading.number;
    let name = match heading.kind {
        HeadingKind::Chapter => format!("Chapter {number}"),
        HeadingKind::Section => format!("Section {number}"),
        HeadingKind::Article => format!("Art. {number}"),
        HeadingKind::Principle => format!("Principle {number}"),
        HeadingKind::Norm => format!("Norm {number}"),
        HeadingKind::Recommendation => format!("Recommendation {number}"),
        HeadingKind::Paragraph => format!("para. {number}"),
        HeadingKind::SubParagraph | HeadingKind::Point => format!("({number})"),
    };
    let title: String = heading.title.chars().take(60).collect();
    if title.trim().is_empty() {
        name
    } else {
        format!("{name} {}", title.trim())
    }
}

/// The outline: headings as a tree; a heading with others under it opens and closes.
fn outline_ui(ui: &mut Ui, project: &Project, reader: &mut ReaderState, source: &SourceId) {
    if reader.prepared(project, source).is_none() {
        return;
    }
    let Some(prepared) = reader.prepared.get(source) else {
        return;
    };
    let headings = prepared.outline.headings();
    if headings.is_empty() {
        return;
    }
    let mut has_children = vec![false; headings.len()];
    for heading in headings {
        if let Some(parent) = heading.parent
            && let Some(flag) = has_children.get_mut(parent)
        {
            *flag = true;
        }
    }
    // Headings come in document order with parents first, so one pass finds which show.
    let mut shown = vec![false; headings.len()];
    let mut depth = vec![0usize; headings.len()];
    let mut rows = Vec::new();
    for (i, heading) in headings.iter().enumerate() {
        let visible = match heading.parent {
            None => true,
            Some(p) if p < i => shown[p] && reader.expanded.contains(&p),
            Some(_) => false,
        };
        shown[i] = visible;
        depth[i] = heading.parent.filter(|&p| p < i).map_or(0, |p| depth[p] + 1);
        if visible {
            rows.push(i);
        }
    }
    let labels: Vec<(usize, String, usize, bool)> = rows
        .iter()
        .map(|&i| (i, heading_label(&headings[i]), headings[i].start, has_children[i]))
        .collect();
    let mut toggle = None;
    let mut jump = None;
    egui::CollapsingHeader::new(format!("Outline ({} headings)", headings.len()))
        .id_salt("reader-outline")
        .default_open(true)
        .show(ui, |ui| {
            let row_height = ui.spacing().interact_size.y;
            egui::ScrollArea::vertical()
                .id_salt("reader-outline-rows")
                .max_height(150.0)
                .auto_shrink([false, true])
                .show_rows(ui, row_height, labels.len(), |ui, visible| {
                    for (index, label, start, children) in &labels[visible] {
                        ui.horizontal(|ui| {
                            ui.add_space(depth[*index] as f32 * 12.0);
                            if *children {
                                let open = reader.expanded.contains(index);
                                if ui
                                    .small_button(if open { "▾" } else { "▸" })
                                    .on_hover_text(if open { "Fold" } else { "Unfold" })
                                    .clicked()
                                {
                                    toggle = Some(*index);
                                }
                            } else {
                                ui.add_space(18.0);
                            }
                            if ui
                                .add(egui::Button::new(label.as_str()).frame(false).truncate())
                                .on_hover_text("Scroll the text here")
                                .clicked()
                            {
                                jump = Some(*start);
                            }
                        });
                    }
                });
        });
    if let Some(index) = toggle
        && !reader.expanded.remove(&index)
    {
        reader.expanded.insert(index);
    }
    if jump.is_some() {
        reader.scroll_to = jump;
    }
}

/// Why the selection cannot become evidence now, or the cell it would go to.
fn evidence_target(
    project: &Project,
    reader: &ReaderState,
    view: &ViewState,
    review_mode: bool,
) -> Result<(AgreementId, ElementId), &'static str> {
    if review_mode {
        return Err("Review mode: the content is locked");
    }
    let (Some(agreement), Some(element)) =
        (view.selection.agreement.clone(), view.selection.element.clone())
    else {
        return Err("Select a cell in the grid first");
    };
    if project.agreement(&agreement).is_none() || project.element(&element).is_none() {
        return Err("Select a cell in the grid first");
    }
    if reader.selected_range().is_none() {
        return Err("Select a passage in the text first: drag over it");
    }
    Ok((agreement, element))
}

/// The edit that adds the selected passage to the selected cell as one excerpt (anchor,
/// derived locator, `author` and time), or why it cannot be made.
pub fn evidence_edit(
    project: &Project,
    reader: &ReaderState,
    view: &ViewState,
    review_mode: bool,
    author: &str,
) -> Result<AppEvent, &'static str> {
    let (agreement, element) = evidence_target(project, reader, view, review_mode)?;
    let source = reader
        .source
        .as_ref()
        .and_then(|id| project.source(id))
        .ok_or("Open a source in the reader first")?;
    let range = reader
        .selected_range()
        .ok_or("Select a passage in the text first: drag over it")?;
    let range = trimmed(&source.text, range);
    let outline = reader
        .prepared
        .get(&source.id)
        .map_or_else(|| outline_of(source), |p| p.outline.clone());
    let mut cell = project.cell(&agreement, &element);
    let mut excerpt = crate::sources::evidence::excerpt_from_range(source, &outline, range, &cell.evidence);
    if excerpt.exact.trim().is_empty() {
        return Err("The selection holds only spaces");
    }
    excerpt.stamp(author, chrono::Utc::now());
    cell.evidence.push(excerpt);
    Ok(AppEvent::EditCell {
        agreement,
        element,
        cell,
        typing: None,
    })
}

/// `range` without the spaces and line breaks a drag picks up at its ends.
fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let Some(selected) = text.get(range.clone()) else {
        return range;
    };
    let start = range.start + (selected.len() - selected.trim_start().len());
    let end = range.end - (selected.len() - selected.trim_end().len());
    if start < end { start..end } else { range }
}

/// The selected passage's size and the button that makes it evidence for the selected cell.
fn evidence_bar_ui(
    ui: &mut Ui,
    input: &ReaderInput<'_>,
    reader: &ReaderState,
    view: &ViewState,
    events: &mut Vec<AppEvent>,
) {
    let project = input.project;
    let cell_name = match (&view.selection.agreement, &view.selection.element) {
        (Some(a), Some(e)) => match (project.agreement(a), project.element(e)) {
            (Some(a), Some((_, e))) => format!("{} / {}", a.short_name, e.display_name()),
            _ => "the selected cell".to_owned(),
        },
        _ => "the selected cell".to_owned(),
    };
    let selected = reader.selected_range().and_then(|range| {
        let source = project.source(reader.source.as_ref()?)?;
        let text = source.text.get(range)?;
        Some(text.chars().count())
    });
    let target = evidence_target(project, reader, view, input.review_mode);
    // Always one line for the selection and one for the button: the text below must not
    // move while the user drags over it.
    ui.label(
        RichText::new(selected.map_or_else(
            || "No passage selected: drag over the text to select one".to_owned(),
            |chars| format!("{chars} characters selected"),
        ))
        .small()
        .weak(),
    );
    let key = Action::UseAsEvidence
        .shortcut_text(ui.ctx())
        .unwrap_or_default();
    let button = ui.add_enabled(
        target.is_ok(),
        egui::Button::new(format!("Use as evidence for {cell_name}")).truncate(),
    );
    let button = match target {
        Ok(_) => button.on_hover_text(format!(
            "Add the selected passage to the cell's evidence, with its place in the text ({key})"
        )),
        Err(reason) => button.on_disabled_hover_text(reason),
    };
    if button.clicked() {
        events.push(AppEvent::Action(Action::UseAsEvidence));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hit_count_says_where_you_are() {
        assert_eq!(hit_count_text(Some(2), 12, false), "Hit 3 of 12");
        assert_eq!(hit_count_text(None, 12, false), "12 hits");
        assert_eq!(hit_count_text(None, 0, false), "No hits");
        assert_eq!(hit_count_text(Some(0), 3, true), "");
    }

    #[test]
    fn a_selection_loses_the_spaces_at_its_ends() {
        let text = "a  quoted words \n b";
        assert_eq!(&text[trimmed(text, 1..17)], "quoted words");
        assert_eq!(trimmed(text, 1..3), 1..3, "only spaces: left as it is");
    }

    #[test]
    fn context_stays_on_one_line_and_marks_the_hit() {
        let text = "First line\nsecond line with the word here\nthird";
        let at = text.find("word").unwrap_or_default();
        let context = context_of(text, &(at..at + 4));
        assert!(context.contains("«word»"), "{context}");
        assert!(!context.contains('\n'));
    }
}
