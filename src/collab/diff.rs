//! Compare two versions of a project by stable id: what was added, removed, renamed or
//! changed, down to each cell field, with who changed it and when.

use super::records::{
    FrameworkInfo, PlacedElement, ProjectInfo, Record, cell_field_author, line_count,
    lines_differing, quoted, sha_prefix, show_evidence, show_target,
};
use crate::model::{AgreementId, Cell, ElementId, Excerpt, Project, Source};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// What happened to one thing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    Added,
    Removed,
    /// Its name changed (name, short name or title).
    Renamed,
    Changed,
}

impl ChangeKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Renamed => "renamed",
            Self::Changed => "changed",
        }
    }

    fn sign(self) -> char {
        match self {
            Self::Added => '+',
            Self::Removed => '-',
            Self::Renamed | Self::Changed => '~',
        }
    }
}

/// One difference between the old and the new project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// "project", "framework", "element", "agreement", "initiative", "note", "view",
    /// "source", "cell" or "excerpt".
    pub subject: &'static str,
    /// The id; for a cell, "agreement-id / element-id"; for an excerpt, "agreement-id /
    /// element-id / excerpt-id".
    pub id: String,
    /// What people call it, from the new version when it has one.
    pub name: String,
    pub kind: ChangeKind,
    /// The field that changed; empty for additions and removals.
    pub field: &'static str,
    pub old: String,
    pub new: String,
    /// Who made the change, when the file records it.
    pub by: String,
    pub at: Option<DateTime<Utc>>,
    /// The cell, so a view can jump to it.
    pub cell: Option<(AgreementId, ElementId)>,
}

/// Every difference, in a stable order: project, frameworks, elements, agreements,
/// initiatives, notes, views, sources, cells, then excerpts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectDiff {
    pub changes: Vec<Change>,
}

impl ProjectDiff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// (subject, kind) → count, for the summary line.
    pub fn counts(&self) -> BTreeMap<(&'static str, ChangeKind), usize> {
        let mut counts = BTreeMap::new();
        for change in &self.changes {
            *counts.entry((change.subject, change.kind)).or_insert(0) += 1;
        }
        counts
    }

    /// The counts as words: "1 agreement added, 5 cell fields changed".
    pub fn summary(&self) -> String {
        self.counts()
            .into_iter()
            .map(|((subject, kind), n)| {
                let noun = match (subject, kind) {
                    ("cell", _) => "cell field",
                    ("excerpt", ChangeKind::Changed) => "excerpt field",
                    ("source", ChangeKind::Changed) => "source field",
                    _ => subject,
                };
                let plural = if n == 1 { "" } else { "s" };
                format!("{n} {noun}{plural} {}", kind.label())
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Number of distinct cells that changed.
    pub fn changed_cells(&self) -> usize {
        self.changes
            .iter()
            .filter_map(|c| c.cell.as_ref())
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// A readable report for the terminal.
    pub fn to_text(&self, old_name: &str, new_name: &str) -> String {
        let mut out = format!("Comparing {old_name} (old) with {new_name} (new)\n");
        if self.is_empty() {
            out.push_str("No differences.\n");
            return out;
        }
        let _ = writeln!(out, "{}", self.summary());
        let mut section = "";
        for change in &self.changes {
            if change.subject != section {
                section = change.subject;
                let _ = writeln!(out, "\n{}", section_title(section));
            }
            let _ = write!(out, "{} {}", change.kind.sign(), change.name);
            if change.name != change.id {
                let _ = write!(out, " [{}]", change.id);
            }
            match change.kind {
                ChangeKind::Added | ChangeKind::Removed => {
                    let _ = write!(out, ": {}", change.kind.label());
                    // An excerpt says what it quoted, so a removal can be judged from the list.
                    let what = if change.kind == ChangeKind::Added {
                        &change.new
                    } else {
                        &change.old
                    };
                    if !what.is_empty() {
                        let _ = write!(out, " {}", quoted(what, Some(120)));
                    }
                }
                ChangeKind::Renamed | ChangeKind::Changed => {
                    let _ = write!(
                        out,
                        ": {}: {} → {}",
                        change.field,
                        quoted(&change.old, Some(120)),
                        quoted(&change.new, Some(120))
                    );
                }
            }
            if let Some(by) = by_line(&change.by, change.at) {
                let _ = write!(out, "  ({by})");
            }
            out.push('\n');
        }
        out
    }

    /// The same changes as CSV, one row per change, for spreadsheets.
    pub fn to_csv(&self) -> String {
        let mut csv = crate::formats::csv_text::CsvText::new();
        csv.row([
            "subject",
            "id",
            "name",
            "change",
            "field",
            "old",
            "new",
            "changed_by",
            "changed_at",
        ]);
        for c in &self.changes {
            let at = c.at.map(|t| t.to_rfc3339()).unwrap_or_default();
            csv.row([
                c.subject,
                &c.id,
                &c.name,
                c.kind.label(),
                c.field,
                &c.old,
                &c.new,
                &c.by,
                &at,
            ]);
        }
        csv.into_string()
    }
}

fn section_title(subject: &str) -> &'static str {
    match subject {
        "project" => "Project",
        "framework" => "Frameworks",
        "element" => "Elements",
        "agreement" => "Agreements",
        "initiative" => "Initiatives",
        "note" => "Notes",
        "view" => "Saved views",
        "source" => "Sources",
        "excerpt" => "Evidence excerpts",
        _ => "Cells",
    }
}

/// "Ana, 2026-11-20 14:02 UTC", or `None` when nothing is recorded.
pub fn by_line(by: &str, at: Option<DateTime<Utc>>) -> Option<String> {
    match (by.is_empty(), at) {
        (true, None) => None,
        (false, None) => Some(by.to_owned()),
        (true, Some(at)) => Some(at.format("%Y-%m-%d %H:%M UTC").to_string()),
        (false, Some(at)) => Some(format!("{by}, {}", at.format("%Y-%m-%d %H:%M UTC"))),
    }
}

/// Everything that differs from `old` to `new`, matched by id.
pub fn diff_projects(old: &Project, new: &Project) -> ProjectDiff {
    let mut changes = Vec::new();
    let info = |p: &Project| ProjectInfo::of(p);
    record_changes(
        &mut changes,
        "project",
        Some(&info(old)),
        Some(&info(new)),
        new.title.clone(),
    );

    let frameworks = |p: &Project| -> Vec<(String, FrameworkInfo)> {
        p.frameworks
            .iter()
            .map(|f| {
                let info = FrameworkInfo {
                    id: f.id.clone(),
                    name: f.name.clone(),
                    description: f.description.clone(),
                };
                (f.id.to_string(), info)
            })
            .collect()
    };
    keyed_changes(&mut changes, &frameworks(old), &frameworks(new), |f| {
        f.name.clone()
    });
    let elements = |p: &Project| -> Vec<(String, PlacedElement)> {
        PlacedElement::all(p)
            .into_iter()
            .map(|e| (e.element.id.to_string(), e))
            .collect()
    };
    keyed_changes(&mut changes, &elements(old), &elements(new), |e| {
        e.element.display_name()
    });
    let agreements = |p: &Project| {
        p.agreements
            .iter()
            .map(|a| (a.id.to_string(), a.clone()))
            .collect::<Vec<_>>()
    };
    keyed_changes(&mut changes, &agreements(old), &agreements(new), |a| {
        a.short_name.clone()
    });
    let initiatives = |p: &Project| {
        p.initiatives
            .iter()
            .map(|i| (i.id.to_string(), i.clone()))
            .collect::<Vec<_>>()
    };
    keyed_changes(&mut changes, &initiatives(old), &initiatives(new), |i| {
        i.title.clone()
    });
    let notes = |p: &Project| {
        p.notes
            .iter()
            .map(|n| (n.id.to_string(), n.clone()))
            .collect::<Vec<_>>()
    };
    let first_note_change = changes.len();
    keyed_changes(&mut changes, &notes(old), &notes(new), |n| {
        format!("{} on {}", n.author, show_target(&n.target))
    });
    // A note's author and date are who wrote what changed.
    let authors: BTreeMap<String, (String, chrono::NaiveDate)> = new
        .notes
        .iter()
        .chain(old.notes.iter())
        .map(|n| (n.id.to_string(), (n.author.clone(), n.date)))
        .rev()
        .collect();
    for change in &mut changes[first_note_change..] {
        if let Some((author, date)) = authors.get(&change.id) {
            // Notes carry a date, not a time.
            change.by = format!("{author}, {date}");
        }
    }

    let views = |p: &Project| {
        p.views
            .iter()
            .map(|v| (v.id.to_string(), v.clone()))
            .collect::<Vec<_>>()
    };
    keyed_changes(&mut changes, &views(old), &views(new), |v| v.name.clone());
    source_changes(&mut changes, &old.sources, &new.sources);

    cell_changes(&mut changes, old, new);
    ProjectDiff { changes }
}

fn record_changes<R: Record>(
    changes: &mut Vec<Change>,
    id: &str,
    old: Option<&R>,
    new: Option<&R>,
    name: String,
) {
    match (old, new) {
        (None, None) => {}
        (None, Some(_)) | (Some(_), None) => changes.push(Change {
            subject: R::KIND,
            id: id.to_owned(),
            name,
            kind: if old.is_none() {
                ChangeKind::Added
            } else {
                ChangeKind::Removed
            },
            field: "",
            old: String::new(),
            new: String::new(),
            by: String::new(),
            at: None,
            cell: None,
        }),
        (Some(old), Some(new)) => {
            for field in old.changed_fields(new) {
                let renamed = matches!(field, "name" | "short_name" | "title");
                changes.push(Change {
                    subject: R::KIND,
                    id: id.to_owned(),
                    name: name.clone(),
                    kind: if renamed {
                        ChangeKind::Renamed
                    } else {
                        ChangeKind::Changed
                    },
                    field,
                    old: old.show_field(field),
                    new: new.show_field(field),
                    by: String::new(),
                    at: None,
                    cell: None,
                });
            }
        }
    }
}

/// Changes between two id-keyed lists, in the new list's order, then removals in the old's.
fn keyed_changes<R: Record>(
    changes: &mut Vec<Change>,
    old: &[(String, R)],
    new: &[(String, R)],
    name: impl Fn(&R) -> String,
) {
    let old_by_id: BTreeMap<&str, &R> = old.iter().map(|(id, r)| (id.as_str(), r)).collect();
    let new_ids: BTreeSet<&str> = new.iter().map(|(id, _)| id.as_str()).collect();
    for (id, record) in new {
        record_changes(
            changes,
            id,
            old_by_id.get(id.as_str()).copied(),
            Some(record),
            name(record),
        );
    }
    for (id, record) in old {
        if !new_ids.contains(id.as_str()) {
            record_changes(changes, id, Some(record), None, name(record));
        }
    }
}

fn cell_changes(changes: &mut Vec<Change>, old: &Project, new: &Project) {
    let keys: BTreeSet<(&AgreementId, &ElementId)> = old
        .cells
        .iter()
        .chain(new.cells.iter())
        .map(|(a, e, _)| (a, e))
        .collect();
    let short_name = |a: &AgreementId| {
        new.agreement(a)
            .or_else(|| old.agreement(a))
            .map_or_else(|| a.to_string(), |a| a.short_name.clone())
    };
    let element_name = |e: &ElementId| {
        new.element(e)
            .or_else(|| old.element(e))
            .map_or_else(|| e.to_string(), |(_, e)| e.display_name())
    };
    // Cells in the new project's row and column order, so the list reads like the grid.
    let rows: BTreeMap<&AgreementId, usize> = new
        .agreements
        .iter()
        .enumerate()
        .map(|(i, a)| (&a.id, i))
        .collect();
    let columns: BTreeMap<&ElementId, usize> = new
        .elements()
        .enumerate()
        .map(|(i, (_, e))| (&e.id, i))
        .collect();
    let position = |(a, e): &(&AgreementId, &ElementId)| {
        (
            rows.get(a).copied().unwrap_or(usize::MAX),
            columns.get(e).copied().unwrap_or(usize::MAX),
        )
    };
    let mut keys: Vec<_> = keys.into_iter().collect();
    keys.sort_by_key(position);
    let empty = Cell::default();
    let mut excerpts = Vec::new();
    for (agreement, element) in keys {
        let before = old.cells.get(agreement, element).unwrap_or(&empty);
        let after = new.cells.get(agreement, element).unwrap_or(&empty);
        let place = CellPlace {
            agreement,
            element,
            name: format!("{} / {}", short_name(agreement), element_name(element)),
        };
        excerpt_changes(&mut excerpts, &place, before, after);
        // Evidence is compared excerpt by excerpt below, never as one block.
        for field in before
            .changed_fields(after)
            .into_iter()
            .filter(|f| *f != "evidence")
        {
            let (by, at) = cell_field_author(after, field);
            changes.push(Change {
                subject: "cell",
                id: format!("{agreement} / {element}"),
                name: format!("{} / {}", short_name(agreement), element_name(element)),
                kind: ChangeKind::Changed,
                field,
                old: before.show_field(field),
                new: after.show_field(field),
                by,
                at,
                cell: Some((agreement.clone(), element.clone())),
            });
        }
    }
    changes.append(&mut excerpts);
}

/// The cell an excerpt change belongs to.
struct CellPlace<'a> {
    agreement: &'a AgreementId,
    element: &'a ElementId,
    name: String,
}

/// Excerpts matched by id within one cell: added, removed, and each changed field.
fn excerpt_changes(changes: &mut Vec<Change>, place: &CellPlace<'_>, before: &Cell, after: &Cell) {
    if before.evidence == after.evidence {
        return;
    }
    let change = |excerpt: &Excerpt, kind: ChangeKind| Change {
        subject: "excerpt",
        id: format!("{} / {} / {}", place.agreement, place.element, excerpt.id),
        name: format!("{} / {}", place.name, excerpt.id),
        kind,
        field: "",
        old: String::new(),
        new: String::new(),
        by: after.edited_by.clone(),
        at: after.edited_at,
        cell: Some((place.agreement.clone(), place.element.clone())),
    };
    for excerpt in &after.evidence {
        match before.excerpt(&excerpt.id) {
            None => {
                let mut added = change(excerpt, ChangeKind::Added);
                added.new = show_evidence(std::slice::from_ref(excerpt));
                if !excerpt.added_by.is_empty() || excerpt.added_at.is_some() {
                    added.by = excerpt.added_by.clone();
                    added.at = excerpt.added_at;
                }
                changes.push(added);
            }
            Some(old) => {
                for field in old.changed_fields(excerpt) {
                    let mut changed = change(excerpt, ChangeKind::Changed);
                    changed.field = field;
                    changed.old = old.show_field(field);
                    changed.new = excerpt.show_field(field);
                    changes.push(changed);
                }
            }
        }
    }
    for excerpt in &before.evidence {
        if after.excerpt(&excerpt.id).is_none() {
            let mut removed = change(excerpt, ChangeKind::Removed);
            removed.old = show_evidence(std::slice::from_ref(excerpt));
            changes.push(removed);
        }
    }
}

/// Sources matched by id: added, removed, and each changed field. A new text is described by
/// its line counts and how many lines differ, never printed.
fn source_changes(changes: &mut Vec<Change>, old: &[Source], new: &[Source]) {
    let change = |source: &Source, kind: ChangeKind, field: &'static str| Change {
        subject: "source",
        id: source.id.to_string(),
        name: source.title.clone(),
        kind,
        field,
        old: String::new(),
        new: String::new(),
        by: String::new(),
        at: None,
        cell: None,
    };
    let optional = |value: Option<String>| value.unwrap_or_default();
    for source in new {
        let Some(before) = old.iter().find(|s| s.id == source.id) else {
            changes.push(change(source, ChangeKind::Added, ""));
            continue;
        };
        let fields: [(&'static str, String, String); 8] = [
            ("title", before.title.clone(), source.title.clone()),
            (
                "agreement",
                optional(before.agreement.as_ref().map(ToString::to_string)),
                optional(source.agreement.as_ref().map(ToString::to_string)),
            ),
            (
                "file_name",
                before.file_name.clone(),
                source.file_name.clone(),
            ),
            (
                "kind",
                before.kind.label().to_owned(),
                source.kind.label().to_owned(),
            ),
            ("url", before.url.clone(), source.url.clone()),
            (
                "retrieved",
                optional(before.retrieved.map(|d| d.to_string())),
                optional(source.retrieved.map(|d| d.to_string())),
            ),
            (
                "sha256",
                sha_prefix(&before.sha256),
                sha_prefix(&source.sha256),
            ),
            (
                "pages",
                show_pages(before, source),
                show_pages(source, before),
            ),
        ];
        for (field, was, now) in fields {
            let differs = match field {
                "sha256" => before.sha256 != source.sha256,
                "pages" => before.pages != source.pages,
                _ => was != now,
            };
            if differs {
                let kind = if field == "title" {
                    ChangeKind::Renamed
                } else {
                    ChangeKind::Changed
                };
                let mut changed = change(source, kind, field);
                changed.old = was;
                changed.new = now;
                changes.push(changed);
            }
        }
        if before.text != source.text {
            let (removed, added) = lines_differing(&before.text, &source.text);
            let mut changed = change(source, ChangeKind::Changed, "text");
            changed.old = crate::model::text::counted(line_count(&before.text), "line", "lines");
            changed.new = format!(
                "{}; {removed} removed, {added} added",
                crate::model::text::counted(line_count(&source.text), "line", "lines")
            );
            changes.push(changed);
        }
    }
    for source in old {
        if !new.iter().any(|s| s.id == source.id) {
            changes.push(change(source, ChangeKind::Removed, ""));
        }
    }
}

/// "12 pages", or "12 pages (starts moved)" when `other` has as many pages at other offsets.
fn show_pages(source: &Source, other: &Source) -> String {
    let count = crate::model::text::counted(source.pages.len(), "page", "pages");
    if source.pages.len() == other.pages.len() && source.pages != other.pages {
        format!("{count} (starts moved)")
    } else {
        count
    }
}
