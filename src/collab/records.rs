//! Field-by-field access to everything that compare and merge match by id.
//!
//! Each record names its fields, tells whether two versions agree on one, copies one field from
//! another version, and renders a field for people. Diff and merge are written once against
//! this trait instead of once per kind.

use crate::model::{
    Agreement, Cell, Element, FrameworkId, Initiative, Note, NoteTarget, Project, ProvisionLink,
    SavedView,
};
use chrono::NaiveDate;

/// Something matched by id whose fields can be compared and merged one at a time.
pub trait Record: Clone {
    /// What people call one of these: "agreement", "cell".
    const KIND: &'static str;
    /// Field names in display order.
    const FIELDS: &'static [&'static str];
    /// True when both versions hold the same value in `field`.
    fn same_field(&self, other: &Self, field: &str) -> bool;
    /// Copies `field` from `from`.
    fn copy_field(&mut self, from: &Self, field: &str);
    /// The field's value as people read it.
    fn show_field(&self, field: &str) -> String;

    /// The fields where `self` and `other` differ.
    fn changed_fields(&self, other: &Self) -> Vec<&'static str> {
        Self::FIELDS
            .iter()
            .copied()
            .filter(|field| !self.same_field(other, field))
            .collect()
    }

    /// True when no field differs.
    fn same_record(&self, other: &Self) -> bool {
        Self::FIELDS
            .iter()
            .all(|field| self.same_field(other, field))
    }
}

macro_rules! record {
    ($ty:ty, $kind:literal, { $($field:ident => $show:expr),* $(,)? }) => {
        impl Record for $ty {
            const KIND: &'static str = $kind;
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];
            fn same_field(&self, other: &Self, field: &str) -> bool {
                match field {
                    $(stringify!($field) => self.$field == other.$field,)*
                    _ => true,
                }
            }
            fn copy_field(&mut self, from: &Self, field: &str) {
                match field {
                    $(stringify!($field) => self.$field = from.$field.clone(),)*
                    _ => {}
                }
            }
            fn show_field(&self, field: &str) -> String {
                match field {
                    $(stringify!($field) => {
                        let show: fn(&Self) -> String = $show;
                        show(self)
                    })*
                    _ => String::new(),
                }
            }
        }
    };
}

/// The project's own fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectInfo {
    pub title: String,
    pub description: String,
    pub as_of: NaiveDate,
}

impl ProjectInfo {
    pub fn of(project: &Project) -> Self {
        Self {
            title: project.title.clone(),
            description: project.description.clone(),
            as_of: project.as_of,
        }
    }
}

record!(ProjectInfo, "project", {
    title => |r| r.title.clone(),
    description => |r| r.description.clone(),
    as_of => |r| r.as_of.to_string(),
});

/// A framework's own fields; its elements are records of their own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameworkInfo {
    pub id: FrameworkId,
    pub name: String,
    pub description: String,
}

record!(FrameworkInfo, "framework", {
    name => |r| r.name.clone(),
    description => |r| r.description.clone(),
});

/// An element with the framework that holds it, so moving between frameworks is a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacedElement {
    pub framework: FrameworkId,
    pub element: Element,
}

impl PlacedElement {
    /// Every element of a project, with its framework.
    pub fn all(project: &Project) -> Vec<Self> {
        project
            .elements()
            .map(|(f, e)| Self {
                framework: f.id.clone(),
                element: e.clone(),
            })
            .collect()
    }
}

impl Record for PlacedElement {
    const KIND: &'static str = "element";
    const FIELDS: &'static [&'static str] = &["framework", "label", "name", "definition"];
    fn same_field(&self, other: &Self, field: &str) -> bool {
        match field {
            "framework" => self.framework == other.framework,
            "label" => self.element.label == other.element.label,
            "name" => self.element.name == other.element.name,
            "definition" => self.element.definition == other.element.definition,
            _ => true,
        }
    }
    fn copy_field(&mut self, from: &Self, field: &str) {
        match field {
            "framework" => self.framework = from.framework.clone(),
            "label" => self.element.label = from.element.label.clone(),
            "name" => self.element.name = from.element.name.clone(),
            "definition" => self.element.definition = from.element.definition.clone(),
            _ => {}
        }
    }
    fn show_field(&self, field: &str) -> String {
        match field {
            "framework" => self.framework.to_string(),
            "label" => self.element.label.clone(),
            "name" => self.element.name.clone(),
            "definition" => self.element.definition.clone(),
            _ => String::new(),
        }
    }
}

fn show_links(links: &[ProvisionLink]) -> String {
    links
        .iter()
        .map(|l| match &l.provision {
            Some(p) => format!("{}/{p}", l.agreement),
            None => l.agreement.to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

record!(Agreement, "agreement", {
    name => |r| r.name.clone(),
    short_name => |r| r.short_name.clone(),
    year => |r| r.year.map(|y| y.to_string()).unwrap_or_default(),
    space => |r| r.space.label().to_owned(),
    binding => |r| r.binding.label().to_owned(),
    supporters => |r| r.supporters.clone(),
    url => |r| r.url.clone(),
    summary => |r| r.summary.clone(),
    unique_elements => |r| r.unique_elements.join("; "),
    provisions => |r| r
        .provisions
        .iter()
        .map(|p| if p.title.is_empty() { p.label.clone() } else { format!("{} {}", p.label, p.title) })
        .collect::<Vec<_>>()
        .join("; "),
});

record!(Initiative, "initiative", {
    title => |r| r.title.clone(),
    stakeholder => |r| r.stakeholder.clone(),
    group => |r| r.group.label().to_owned(),
    description => |r| r.description.clone(),
    url => |r| r.url.clone(),
    supports => |r| show_links(&r.supports),
    norms => |r| r.norms.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "),
});

/// Where a note is attached, as people read it.
pub fn show_target(target: &NoteTarget) -> String {
    match target {
        NoteTarget::Project => "project".to_owned(),
        NoteTarget::Agreement(a) => format!("agreement {a}"),
        NoteTarget::Element(e) => format!("element {e}"),
        NoteTarget::Cell(a, e) => format!("cell {a} / {e}"),
    }
}

record!(Note, "note", {
    target => |r| show_target(&r.target),
    author => |r| r.author.clone(),
    date => |r| r.date.to_string(),
    text => |r| r.text.clone(),
    kind => |r| r.kind.label().to_owned(),
});

record!(SavedView, "view", {
    name => |r| r.name.clone(),
    text => |r| r.text.clone(),
    space => |r| r.space.map(|s| s.label().to_owned()).unwrap_or_default(),
    binding => |r| r.binding.map(|b| b.label().to_owned()).unwrap_or_default(),
    review => |r| r.review.map(|s| s.label().to_owned()).unwrap_or_default(),
    column_filters => |r| r
        .column_filters
        .iter()
        .map(|(element, allowed)| {
            let allowed: Vec<&str> = allowed.iter().map(|a| a.label()).collect();
            format!("{element}: {}", allowed.join("/"))
        })
        .collect::<Vec<_>>()
        .join("; "),
    sort => |r| format!("{:?}{}", r.sort, if r.descending { " descending" } else { "" }),
    descending => |r| r.descending.to_string(),
    column_sort => |r| r
        .column_sort
        .as_ref()
        .map(|c| format!("{}{}", c.element, if c.descending { " descending" } else { "" }))
        .unwrap_or_default(),
    frameworks => |r| r
        .frameworks
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", "),
});

/// Cells compare on content and review status. Who edited and reviewed them follows the
/// value taken, so it is never a conflict of its own.
impl Record for Cell {
    const KIND: &'static str = "cell";
    const FIELDS: &'static [&'static str] = &["assessment", "note", "evidence", "review"];
    fn same_field(&self, other: &Self, field: &str) -> bool {
        match field {
            "assessment" => self.assessment == other.assessment,
            "note" => self.note == other.note,
            "evidence" => self.evidence == other.evidence,
            "review" => self.review == other.review,
            _ => true,
        }
    }
    fn copy_field(&mut self, from: &Self, field: &str) {
        match field {
            "assessment" => self.assessment = from.assessment,
            "note" => self.note = from.note.clone(),
            "evidence" => self.evidence = from.evidence.clone(),
            "review" => {
                self.review = from.review;
                self.reviewed_by = from.reviewed_by.clone();
                self.reviewed_at = from.reviewed_at;
            }
            _ => {}
        }
    }
    fn show_field(&self, field: &str) -> String {
        match field {
            "assessment" => self.assessment.label().to_owned(),
            "note" => self.note.clone(),
            "evidence" => self.quotes_joined(),
            "review" => self.review.label().to_owned(),
            _ => String::new(),
        }
    }
}

/// A field's value in quotes on one line, "(empty)" when blank, cut at `max_chars` if given.
pub fn quoted(text: &str, max_chars: Option<usize>) -> String {
    if text.is_empty() {
        return "(empty)".to_owned();
    }
    let one_line = text.replace('\n', " ");
    match max_chars {
        Some(max) if one_line.chars().count() > max => {
            let short: String = one_line.chars().take(max).collect();
            format!("“{short}…”")
        }
        _ => format!("“{one_line}”"),
    }
}

/// Who changed `field` of a cell and when, as the file records it.
pub fn cell_field_author(
    cell: &Cell,
    field: &str,
) -> (String, Option<chrono::DateTime<chrono::Utc>>) {
    if field == "review" {
        (cell.reviewed_by.clone(), cell.reviewed_at)
    } else {
        (cell.edited_by.clone(), cell.edited_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AgreementId, Assessment};

    #[test]
    fn changed_fields_lists_only_differences() {
        let mut a = Agreement::new(AgreementId::new("x"), "X treaty", "X");
        let mut b = a.clone();
        b.year = Some(2020);
        assert_eq!(a.changed_fields(&b), vec!["year"]);
        a.copy_field(&b, "year");
        assert!(a.same_record(&b));
        let cell = Cell::with_assessment(Assessment::Indirect);
        assert_eq!(cell.show_field("assessment"), "Indirect");
    }
}
