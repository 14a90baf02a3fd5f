//! The whole document.

use super::agreement::Agreement;
use super::cell::{Assessment, Cell, CellMap};
use super::evidence::Excerpt;
use super::framework::{Element, Framework};
use super::ids::{
    AgreementId, ElementId, FrameworkId, InitiativeId, NoteId, ProjectId, SourceId, ViewId,
};
use super::initiative::Initiative;
use super::note::Note;
use super::source::Source;
use super::standard;
use super::view::SavedView;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The project-file format this build writes.
pub const FORMAT_VERSION: u32 = 2;

/// A normgrid project: frameworks (columns), agreements (rows), cells, initiatives and notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub format_version: u32,
    /// Stable for the project's life: a review file names it, and its REFI-QDA GUIDs
    /// derive from it.
    pub id: ProjectId,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The date the mapping reflects ("as of 1 December 2019").
    pub as_of: NaiveDate,
    #[serde(default)]
    pub frameworks: Vec<Framework>,
    #[serde(default)]
    pub agreements: Vec<Agreement>,
    #[serde(default)]
    pub initiatives: Vec<Initiative>,
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Saved views; optional, so files without views keep their exact bytes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<SavedView>,
    #[serde(default)]
    pub cells: CellMap,
    /// The texts quotes come from. Last in the file, so the long texts sit below everything
    /// people read and diff; a project without sources writes nothing here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Source>,
}

impl Project {
    /// An empty project holding the two standard frameworks.
    pub fn new(title: impl Into<String>, as_of: NaiveDate) -> Self {
        let title = title.into();
        Self {
            format_version: FORMAT_VERSION,
            id: ProjectId::generate(&title),
            title,
            description: String::new(),
            as_of,
            frameworks: vec![
                standard::key_elements_framework(),
                standard::ungge_norms_framework(),
            ],
            agreements: Vec::new(),
            initiatives: Vec::new(),
            notes: Vec::new(),
            views: Vec::new(),
            cells: CellMap::default(),
            sources: Vec::new(),
        }
    }

    /// Looks up an agreement.
    pub fn agreement(&self, id: &AgreementId) -> Option<&Agreement> {
        self.agreements.iter().find(|a| &a.id == id)
    }

    /// Row position of an agreement.
    pub fn agreement_index(&self, id: &AgreementId) -> Option<usize> {
        self.agreements.iter().position(|a| &a.id == id)
    }

    /// Looks up a framework.
    pub fn framework(&self, id: &FrameworkId) -> Option<&Framework> {
        self.frameworks.iter().find(|f| &f.id == id)
    }

    /// Position of a framework.
    pub fn framework_index(&self, id: &FrameworkId) -> Option<usize> {
        self.frameworks.iter().position(|f| &f.id == id)
    }

    /// Looks up an element and the framework that holds it.
    pub fn element(&self, id: &ElementId) -> Option<(&Framework, &Element)> {
        self.frameworks.iter().find_map(|f| {
            f.elements
                .iter()
                .find(|e| &e.id == id)
                .map(|element| (f, element))
        })
    }

    /// (framework position, element position) of an element.
    pub fn element_position(&self, id: &ElementId) -> Option<(usize, usize)> {
        self.frameworks.iter().enumerate().find_map(|(fi, f)| {
            f.elements
                .iter()
                .position(|e| &e.id == id)
                .map(|ei| (fi, ei))
        })
    }

    /// Every element in column order, with its framework.
    pub fn elements(&self) -> impl Iterator<Item = (&Framework, &Element)> {
        self.frameworks
            .iter()
            .flat_map(|f| f.elements.iter().map(move |e| (f, e)))
    }

    /// Looks up an initiative.
    pub fn initiative(&self, id: &InitiativeId) -> Option<&Initiative> {
        self.initiatives.iter().find(|i| &i.id == id)
    }

    /// Looks up a saved view.
    pub fn view(&self, id: &ViewId) -> Option<&SavedView> {
        self.views.iter().find(|v| &v.id == id)
    }

    /// Looks up a source.
    pub fn source(&self, id: &SourceId) -> Option<&Source> {
        self.sources.iter().find(|s| &s.id == id)
    }

    /// The sources of one agreement, in file order.
    pub fn sources_of<'a>(
        &'a self,
        agreement: &'a AgreementId,
    ) -> impl Iterator<Item = &'a Source> {
        self.sources
            .iter()
            .filter(move |s| s.agreement.as_ref() == Some(agreement))
    }

    /// Looks up a note.
    pub fn note(&self, id: &NoteId) -> Option<&Note> {
        self.notes.iter().find(|n| &n.id == id)
    }

    /// An agreement's short name, or its id when the project lacks it (a removed row).
    pub fn agreement_label(&self, agreement: &AgreementId) -> String {
        self.agreement(agreement)
            .map_or_else(|| agreement.to_string(), |a| a.short_name.clone())
    }

    /// An element's display name, or its id when the project lacks it.
    pub fn element_label(&self, element: &ElementId) -> String {
        self.element(element)
            .map_or_else(|| element.to_string(), |(_, e)| e.display_name())
    }

    /// Every excerpt of the project: new excerpt ids are unique among these.
    pub fn all_excerpts(&self) -> Vec<Excerpt> {
        self.cells
            .iter()
            .flat_map(|(_, _, cell)| cell.evidence.iter().cloned())
            .collect()
    }

    /// "Paris Call / Reference to Human Rights": how messages and exports name a cell.
    pub fn cell_label(&self, agreement: &AgreementId, element: &ElementId) -> String {
        format!(
            "{} / {}",
            self.agreement_label(agreement),
            self.element_label(element)
        )
    }

    /// The cell at (agreement, element); an empty cell when nothing is stored.
    pub fn cell(&self, agreement: &AgreementId, element: &ElementId) -> Cell {
        self.cells
            .get(agreement, element)
            .cloned()
            .unwrap_or_default()
    }

    /// The assessment at (agreement, element).
    pub fn assessment(&self, agreement: &AgreementId, element: &ElementId) -> Assessment {
        self.cells.assessment(agreement, element)
    }
}
