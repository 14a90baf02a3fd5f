//! Field-by-field access to everything that compare and merge match by id.
//!
//! Each record names its fields, tells whether two versions agree on one, copies one field from
//! another version, and renders a field for people. Diff and merge are written once against
//! this trait instead of once per kind.

use crate::model::{
    Agreement, Cell, Element, Excerpt, FrameworkId, Initiative, Note, NoteTarget, Project,
    ProvisionLink, SavedView, Source,
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
            "evidence" => show_evidence(&self.evidence),
            "review" => self.review.label().to_owned(),
            _ => String::new(),
        }
    }
}

/// A cell's excerpts one per line, each with its id, locator, source and comment, so two
/// versions that differ only in a comment or a source still read differently.
pub fn show_evidence(evidence: &[Excerpt]) -> String {
    evidence
        .iter()
        .map(|e| {
            let mut line = format!("[{}] “{}”", e.id, e.exact);
            let origin: Vec<String> = [
                Some(e.locator.clone()).filter(|l| !l.is_empty()),
                e.source.as_ref().map(|s| format!("source {s}")),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !origin.is_empty() {
                line.push_str(&format!(" ({})", origin.join(", ")));
            }
            if !e.comment.is_empty() {
                line.push_str(&format!(" — {}", e.comment));
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// An excerpt compares on what it says and where it points. Who added it follows the value.
impl Record for Excerpt {
    const KIND: &'static str = "excerpt";
    const FIELDS: &'static [&'static str] = &["quote", "locator", "comment", "anchor", "source"];
    fn same_field(&self, other: &Self, field: &str) -> bool {
        match field {
            "quote" => self.exact == other.exact,
            "locator" => self.locator == other.locator,
            "comment" => self.comment == other.comment,
            "anchor" => {
                (self.position, &self.prefix, &self.suffix)
                    == (other.position, &other.prefix, &other.suffix)
            }
            "source" => self.source == other.source,
            _ => true,
        }
    }
    fn copy_field(&mut self, from: &Self, field: &str) {
        match field {
            "quote" => self.exact = from.exact.clone(),
            "locator" => self.locator = from.locator.clone(),
            "comment" => self.comment = from.comment.clone(),
            "anchor" => {
                self.position = from.position;
                self.prefix = from.prefix.clone();
                self.suffix = from.suffix.clone();
            }
            "source" => self.source = from.source.clone(),
            _ => {}
        }
    }
    fn show_field(&self, field: &str) -> String {
        match field {
            "quote" => self.exact.clone(),
            "locator" => self.locator.clone(),
            "comment" => self.comment.clone(),
            "anchor" => self
                .position
                .map(|p| format!("bytes {}–{}", p.start, p.end))
                .unwrap_or_default(),
            "source" => self
                .source
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            _ => String::new(),
        }
    }
}

/// A source merges on its description and, as one field, its content: the file, kind,
/// sha256, pages and text all come from one extraction, so they are never mixed across sides.
impl Record for Source {
    const KIND: &'static str = "source";
    const FIELDS: &'static [&'static str] = &["title", "agreement", "url", "retrieved", "content"];
    fn same_field(&self, other: &Self, field: &str) -> bool {
        match field {
            "title" => self.title == other.title,
            "agreement" => self.agreement == other.agreement,
            "url" => self.url == other.url,
            "retrieved" => self.retrieved == other.retrieved,
            "content" => {
                (
                    &self.file_name,
                    self.kind,
                    &self.sha256,
                    &self.pages,
                    &self.text,
                ) == (
                    &other.file_name,
                    other.kind,
                    &other.sha256,
                    &other.pages,
                    &other.text,
                )
            }
            _ => true,
        }
    }
    fn copy_field(&mut self, from: &Self, field: &str) {
        match field {
            "title" => self.title = from.title.clone(),
            "agreement" => self.agreement = from.agreement.clone(),
            "url" => self.url = from.url.clone(),
            "retrieved" => self.retrieved = from.retrieved,
            "content" => {
                self.file_name = from.file_name.clone();
                self.kind = from.kind;
                self.sha256 = from.sha256.clone();
                self.pages = from.pages.clone();
                self.text = from.text.clone();
            }
            _ => {}
        }
    }
    fn show_field(&self, field: &str) -> String {
        match field {
            "title" => self.title.clone(),
            "agreement" => self
                .agreement
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            "url" => self.url.clone(),
            "retrieved" => self.retrieved.map(|d| d.to_string()).unwrap_or_default(),
            "content" => show_source_content(self),
            _ => String::new(),
        }
    }
}

/// "TXT bpf-2019.txt, 2 031 lines, 12 pages, sha256 3f2a9c01b7d4…": a source's content in
/// one line, never its text.
pub fn show_source_content(source: &Source) -> String {
    let mut parts = vec![source.kind.label().to_owned()];
    if !source.file_name.is_empty() {
        parts[0] = format!("{} {}", source.kind.label(), source.file_name);
    }
    parts.push(crate::model::text::counted(
        line_count(&source.text),
        "line",
        "lines",
    ));
    if !source.pages.is_empty() {
        parts.push(crate::model::text::counted(
            source.pages.len(),
            "page",
            "pages",
        ));
    }
    if !source.sha256.is_empty() {
        parts.push(format!("sha256 {}", sha_prefix(&source.sha256)));
    }
    parts.join(", ")
}

/// The first 12 characters of a sha256, followed by "…" when cut.
pub fn sha_prefix(sha256: &str) -> String {
    let short: String = sha256.chars().take(12).collect();
    if short.len() < sha256.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// Lines in a text; an empty text has none.
pub fn line_count(text: &str) -> usize {
    if text.is_empty() {
        0
    } else {
        text.split('\n').count()
    }
}

/// How many lines of `old` are gone and how many of `new` are new, after the common start
/// and end: linear in the text's length, however large the source.
pub fn lines_differing(old: &str, new: &str) -> (usize, usize) {
    let old: Vec<&str> = if old.is_empty() {
        Vec::new()
    } else {
        old.split('\n').collect()
    };
    let new: Vec<&str> = if new.is_empty() {
        Vec::new()
    } else {
        new.split('\n').collect()
    };
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let old_middle = &old[prefix..old.len() - suffix];
    let new_middle = &new[prefix..new.len() - suffix];
    // Lines that only moved inside the changed stretch are not counted as changed.
    let mut unmatched: std::collections::HashMap<&str, isize> = std::collections::HashMap::new();
    for line in old_middle {
        *unmatched.entry(line).or_insert(0) += 1;
    }
    for line in new_middle {
        *unmatched.entry(line).or_insert(0) -= 1;
    }
    let removed = unmatched
        .values()
        .filter(|n| **n > 0)
        .map(|n| n.unsigned_abs())
        .sum();
    let added = unmatched
        .values()
        .filter(|n| **n < 0)
        .map(|n| n.unsigned_abs())
        .sum();
    (removed, added)
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

    #[test]
    fn changed_lines_are_counted_after_the_common_start_and_end() {
        assert_eq!(lines_differing("a\nb\nc\nd", "a\nB\nc\nd"), (1, 1));
        assert_eq!(lines_differing("a\nb", "a\nb\nc\nd"), (0, 2));
        assert_eq!(lines_differing("", "x"), (0, 1));
        assert_eq!(lines_differing("x\ny\nz", "z\ny\nx"), (0, 0));
        assert_eq!(lines_differing("same", "same"), (0, 0));
        assert_eq!(line_count(""), 0);
        assert_eq!(sha_prefix("0123456789abcdef"), "0123456789ab…");
    }
}
