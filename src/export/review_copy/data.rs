//! The data model the review copy embeds as JSON: only what the page shows, keyed by ids,
//! so the script never needs the project file's structure.

use crate::collab::review_file::{VerdictStatus, cell_fingerprint};
use crate::model::query::{searchable_texts, visible_columns, visible_rows};
use crate::model::{
    Agreement, AgreementId, Assessment, Binding, Cell, Excerpt, NoteTarget, Project, ReviewStatus,
    SavedView, Source, Space,
};
use crate::palette::{assessment_fill, assessment_text};
use crate::sources::evidence::{Checker, ExcerptState, outline_of};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// How many bytes of source text the page shows on each side of a quote.
pub const CONTEXT_BYTES: usize = 300;

/// Everything the review copy's script reads.
#[derive(Serialize)]
pub struct ReviewData<'p> {
    pub project: ProjectData<'p>,
    /// Names, letters and colours of the assessments, in the legend's order.
    pub assessments: Vec<Choice>,
    /// Review statuses a cell can have in the project.
    pub review_statuses: Vec<Choice>,
    /// Verdicts a reviewer can give, spelt as the review file wants them.
    pub verdicts: Vec<Choice>,
    pub spaces: Vec<Choice>,
    pub bindings: Vec<Choice>,
    pub frameworks: Vec<FrameworkData<'p>>,
    pub agreements: Vec<AgreementData<'p>>,
    /// The project's saved views, each with its rows' order.
    pub views: Vec<ViewData<'p>>,
    /// The charts, each an SVG data URL.
    pub charts: Vec<ChartData>,
}

/// A saved view as the project file stores it, with the order `model::query` gives its rows.
#[derive(Serialize)]
pub struct ViewData<'p> {
    #[serde(flatten)]
    pub view: &'p SavedView,
    /// Every agreement, as its index in `agreements`, in the view's order. The page only
    /// filters this list, so the order is the app's, never re-sorted in the browser.
    pub order: Vec<usize>,
}

/// The project's identity and when the copy was made.
#[derive(Serialize)]
pub struct ProjectData<'p> {
    pub id: &'p str,
    pub title: &'p str,
    pub description: &'p str,
    pub as_of: NaiveDate,
    pub made_at: DateTime<Utc>,
    /// The review file's `format` and `version`, so the script writes what the import reads.
    pub review_format: &'static str,
    pub review_version: u32,
}

/// One value of an enum: the key the data uses, what people read, and for assessments the
/// letter and colours.
#[derive(Serialize)]
pub struct Choice {
    pub key: String,
    pub label: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub letter: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub fill: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
}

/// A framework and its elements (the grid's columns).
#[derive(Serialize)]
pub struct FrameworkData<'p> {
    pub id: &'p str,
    pub name: &'p str,
    pub description: &'p str,
    pub elements: Vec<ElementData<'p>>,
}

/// One column.
#[derive(Serialize)]
pub struct ElementData<'p> {
    pub id: &'p str,
    /// "(a)" for norms, empty for key elements.
    pub label: &'p str,
    pub name: &'p str,
    pub description: &'p str,
}

/// One row with its stored cells.
#[derive(Serialize)]
pub struct AgreementData<'p> {
    pub id: &'p str,
    pub name: &'p str,
    pub short_name: &'p str,
    pub year: Option<i32>,
    pub space: String,
    pub binding: String,
    pub initiatives: Vec<InitiativeData<'p>>,
    /// `cell_fingerprint` of every grid cell in column order, empty cells too.
    pub fingerprints: Vec<String>,
    /// Stored cells (and cells with notes), by element id.
    pub cells: BTreeMap<&'p str, CellData<'p>>,
    /// `model::query::searchable_texts`, lowercased and joined by newlines: what the page's
    /// search box matches, the same texts as the app's filter box.
    pub search: String,
}

/// An initiative linked to an agreement.
#[derive(Serialize)]
pub struct InitiativeData<'p> {
    pub title: &'p str,
    pub stakeholder: &'p str,
    pub group: &'static str,
    pub description: &'p str,
}

/// What the detail panel shows for one cell.
#[derive(Serialize)]
pub struct CellData<'p> {
    /// False for a cell shown only for its notes: it has no review status to filter on.
    pub stored: bool,
    pub assessment: String,
    pub note: &'p str,
    pub review: String,
    pub edited_by: &'p str,
    pub edited_at: Option<DateTime<Utc>>,
    pub reviewed_by: &'p str,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub notes: Vec<NoteData<'p>>,
    pub evidence: Vec<ExcerptData<'p>>,
}

/// A discussion or review note on a cell: its history.
#[derive(Serialize)]
pub struct NoteData<'p> {
    pub author: &'p str,
    pub date: NaiveDate,
    pub kind: &'static str,
    pub text: &'p str,
}

/// One evidence excerpt and where it stands in its source.
#[derive(Serialize)]
pub struct ExcerptData<'p> {
    pub exact: &'p str,
    pub locator: &'p str,
    pub comment: &'p str,
    pub source_title: &'p str,
    /// The source is a project-level document (a report) that quotes the agreement: a
    /// verified quote is found there, not in the agreement's own text.
    pub source_quotes_the_agreement: bool,
    /// The word `normgrid check` uses: "verified", "changed", "locator only"…
    pub state: &'static str,
    /// True for the states `normgrid check` fails on.
    pub failing: bool,
    /// Word-by-word differences of a changed quote.
    pub differences: String,
    /// The passage in its source with context, when the source holds it.
    pub passage: Option<Passage<'p>>,
    /// The headings around the passage, outermost first.
    pub outline: Vec<String>,
    /// The quote on its page, highlighted, when the original PDF was at hand.
    pub page: Option<super::pages::PageCrop>,
}

/// A quote's passage in its source, split so the page can highlight the exact words.
#[derive(Serialize)]
pub struct Passage<'p> {
    pub before: &'p str,
    pub exact: &'p str,
    pub after: &'p str,
}

/// A chart as an image.
#[derive(Serialize)]
pub struct ChartData {
    pub title: String,
    pub data_url: String,
}

fn key_of<T: Serialize>(value: &T) -> String {
    // Unit variants serialise as their name; anything else would be a bug we show as empty.
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

fn choice(key: String, label: &'static str) -> Choice {
    Choice {
        key,
        label,
        letter: String::new(),
        fill: String::new(),
        text: String::new(),
    }
}

/// The review copy's data for `project`.
pub fn review_data<'p>(
    project: &'p Project,
    made_at: DateTime<Utc>,
    charts: Vec<ChartData>,
    crops: &super::pages::PageCrops,
) -> ReviewData<'p> {
    let mut checker = Checker::new(project);
    let mut outlines = HashMap::new();
    let mut cell_notes: HashMap<(&str, &str), Vec<NoteData<'_>>> = HashMap::new();
    for note in &project.notes {
        if let NoteTarget::Cell(agreement, element) = &note.target {
            cell_notes
                .entry((agreement.as_str(), element.as_str()))
                .or_default()
                .push(NoteData {
                    author: &note.author,
                    date: note.date,
                    kind: note.kind.label(),
                    text: &note.text,
                });
        }
    }
    let mut agreements: Vec<AgreementData<'_>> = project
        .agreements
        .iter()
        .map(|agreement| {
            agreement_data(
                project,
                agreement,
                &mut checker,
                &mut outlines,
                &mut cell_notes,
            )
        })
        .collect();
    if !crops.is_empty() {
        add_page_crops(project, &mut agreements, crops);
    }
    ReviewData {
        project: ProjectData {
            id: project.id.as_str(),
            title: &project.title,
            description: &project.description,
            as_of: project.as_of,
            made_at,
            review_format: crate::collab::review_file::REVIEW_FORMAT,
            review_version: crate::collab::review_file::REVIEW_VERSION,
        },
        assessments: [
            Assessment::Yes,
            Assessment::Indirect,
            Assessment::No,
            Assessment::NotAssessed,
        ]
        .into_iter()
        .map(|a| Choice {
            key: key_of(&a),
            label: a.label(),
            letter: a.letter().to_string(),
            fill: assessment_fill(a).hex(),
            text: assessment_text(a).hex(),
        })
        .collect(),
        review_statuses: ReviewStatus::ALL
            .into_iter()
            .map(|s| choice(key_of(&s), s.label()))
            .collect(),
        verdicts: VerdictStatus::ALL
            .into_iter()
            .map(|v| choice(v.key().to_owned(), v.review_status().label()))
            .collect(),
        spaces: Space::ALL
            .into_iter()
            .map(|s| choice(key_of(&s), s.label()))
            .collect(),
        bindings: Binding::ALL
            .into_iter()
            .map(|b| choice(key_of(&b), b.label()))
            .collect(),
        frameworks: project
            .frameworks
            .iter()
            .map(|f| FrameworkData {
                id: f.id.as_str(),
                name: &f.name,
                description: &f.description,
                elements: f
                    .elements
                    .iter()
                    .map(|e| ElementData {
                        id: e.id.as_str(),
                        label: &e.label,
                        name: &e.name,
                        description: &e.definition,
                    })
                    .collect(),
            })
            .collect(),
        agreements,
        views: project
            .views
            .iter()
            .map(|view| view_data(project, view))
            .collect(),
        charts,
    }
}

/// Gives each excerpt its page crop; the excerpts are listed in the cells' own order.
fn add_page_crops(
    project: &Project,
    agreements: &mut [AgreementData<'_>],
    crops: &super::pages::PageCrops,
) {
    for agreement in agreements {
        let agreement_id = AgreementId::new(agreement.id);
        for (element, cell) in &mut agreement.cells {
            let stored = project.cell(&agreement_id, &crate::model::ElementId::new(*element));
            for (data, excerpt) in cell.evidence.iter_mut().zip(&stored.evidence) {
                data.page = crops
                    .get(agreement.id, element, excerpt.id.as_str())
                    .cloned();
            }
        }
    }
}

type Outlines<'p> = HashMap<&'p str, crate::sources::outline::Outline>;

fn agreement_data<'p>(
    project: &'p Project,
    agreement: &'p Agreement,
    checker: &mut Checker<'p>,
    outlines: &mut Outlines<'p>,
    cell_notes: &mut HashMap<(&'p str, &'p str), Vec<NoteData<'p>>>,
) -> AgreementData<'p> {
    let empty_fingerprint = cell_fingerprint(&Cell::default());
    let mut fingerprints = Vec::new();
    let mut cells = BTreeMap::new();
    for (_, element) in project.elements() {
        let stored = project.cells.get(&agreement.id, &element.id);
        fingerprints.push(stored.map_or_else(|| empty_fingerprint.clone(), cell_fingerprint));
        let notes = cell_notes
            .remove(&(agreement.id.as_str(), element.id.as_str()))
            .unwrap_or_default();
        if stored.is_none() && notes.is_empty() {
            continue;
        }
        let data = match stored {
            Some(cell) => cell_data(project, cell, notes, checker, outlines),
            None => CellData {
                stored: false,
                assessment: key_of(&Assessment::NotAssessed),
                note: "",
                review: key_of(&ReviewStatus::Draft),
                edited_by: "",
                edited_at: None,
                reviewed_by: "",
                reviewed_at: None,
                notes,
                evidence: Vec::new(),
            },
        };
        cells.insert(element.id.as_str(), data);
    }
    AgreementData {
        id: agreement.id.as_str(),
        name: &agreement.name,
        short_name: &agreement.short_name,
        year: agreement.year,
        space: key_of(&agreement.space),
        binding: key_of(&agreement.binding),
        initiatives: project
            .initiatives
            .iter()
            .filter(|i| i.supports.iter().any(|link| link.agreement == agreement.id))
            .map(|i| InitiativeData {
                title: &i.title,
                stakeholder: &i.stakeholder,
                group: i.group.label(),
                description: &i.description,
            })
            .collect(),
        fingerprints,
        cells,
        search: search_text(project, agreement),
    }
}

/// What the page's search box matches for `agreement`.
fn search_text(project: &Project, agreement: &Agreement) -> String {
    let mut search = String::new();
    searchable_texts(project, agreement, |text| {
        if !text.is_empty() {
            search.push_str(&text.to_lowercase());
            search.push('\n');
        }
    });
    search
}

/// `view` with its rows' order: the view's sort over every agreement, with the view's columns
/// (the number of Yes counts shown columns). Filters are left to the page; a filter keeps the
/// order of the rows it lets through, so the page's filtered list is the app's.
fn view_data<'p>(project: &'p Project, view: &'p SavedView) -> ViewData<'p> {
    let mut query = view.query(project);
    query.clear_filters();
    let columns = visible_columns(project, &view.hidden_frameworks(project));
    let index_of: HashMap<&AgreementId, usize> = project
        .agreements
        .iter()
        .enumerate()
        .map(|(index, a)| (&a.id, index))
        .collect();
    let order = visible_rows(project, &query, &columns)
        .iter()
        .filter_map(|id| index_of.get(id).copied())
        .collect();
    ViewData { view, order }
}

fn cell_data<'p>(
    project: &'p Project,
    cell: &'p Cell,
    notes: Vec<NoteData<'p>>,
    checker: &mut Checker<'p>,
    outlines: &mut Outlines<'p>,
) -> CellData<'p> {
    CellData {
        stored: true,
        assessment: key_of(&cell.assessment),
        note: &cell.note,
        review: key_of(&cell.review),
        edited_by: &cell.edited_by,
        edited_at: cell.edited_at,
        reviewed_by: &cell.reviewed_by,
        reviewed_at: cell.reviewed_at,
        notes,
        evidence: cell
            .evidence
            .iter()
            .map(|excerpt| excerpt_data(project, excerpt, checker, outlines))
            .collect(),
    }
}

fn excerpt_data<'p>(
    project: &'p Project,
    excerpt: &'p Excerpt,
    checker: &mut Checker<'p>,
    outlines: &mut Outlines<'p>,
) -> ExcerptData<'p> {
    let state = checker.state(excerpt);
    let source = excerpt.source.as_ref().and_then(|id| project.source(id));
    let range = state.located(excerpt);
    let (passage, outline) = match (source, range) {
        // A report's own headings would name another agreement's articles: like a locator,
        // the outline path is only given in the agreement's own text.
        (Some(source), Some(range)) => (
            passage_of(&source.text, range.clone()),
            if source.agreement.is_some() {
                outline_path(source, outlines, range.start)
            } else {
                Vec::new()
            },
        ),
        _ => (None, Vec::new()),
    };
    ExcerptData {
        exact: &excerpt.exact,
        locator: &excerpt.locator,
        comment: &excerpt.comment,
        source_title: source.map_or("", |s| s.title.as_str()),
        source_quotes_the_agreement: source.is_some_and(|s| s.agreement.is_none()),
        state: state.word(&excerpt.exact),
        failing: state.is_failure(),
        differences: match &state {
            ExcerptState::Changed { differences, .. } => differences.clone(),
            _ => String::new(),
        },
        passage,
        outline,
        page: None,
    }
}

/// `range` of `text` with up to [`CONTEXT_BYTES`] either side, cut at character boundaries;
/// `None` when the range does not fit the text (a hostile or stale position).
pub fn passage_of(text: &str, range: std::ops::Range<usize>) -> Option<Passage<'_>> {
    if range.start > range.end
        || range.end > text.len()
        || !text.is_char_boundary(range.start)
        || !text.is_char_boundary(range.end)
    {
        return None;
    }
    let mut from = range.start.saturating_sub(CONTEXT_BYTES);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (range.end + CONTEXT_BYTES).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    Some(Passage {
        before: text.get(from..range.start)?,
        exact: text.get(range.clone())?,
        after: text.get(range.end..to)?,
    })
}

/// The heading lines (as written, shortened) of every unit containing `offset`, outermost
/// first.
fn outline_path<'p>(source: &'p Source, outlines: &mut Outlines<'p>, offset: usize) -> Vec<String> {
    let outline = outlines
        .entry(source.id.as_str())
        .or_insert_with(|| outline_of(source));
    let headings = outline.headings();
    let mut path = Vec::new();
    let mut index = outline.heading_at(offset);
    while let Some(at) = index {
        let Some(heading) = headings.get(at) else {
            break;
        };
        let line = source
            .text
            .get(heading.start..)
            .and_then(|rest| rest.lines().next())
            .unwrap_or_default()
            .trim();
        path.push(shortened(line, 120));
        index = heading.parent;
    }
    path.reverse();
    path
}

fn shortened(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(max_chars).collect();
        short.push('…');
        short
    }
}
