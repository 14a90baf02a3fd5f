//! Merging volunteers' copies of a project, by id and field by field.
//!
//! Three-way: a field changed on one side only is taken; the same change on both sides is
//! taken once; a field changed differently on both sides, or a removal on one side against a
//! change on the other, is a [`Conflict`]. Two-way (no base): every difference is a conflict.
//!
//! The merge is a pure function of the three projects and the choices made so far, so a view
//! can show the conflicts, let the user choose, and merge again. A conflict nobody decided is
//! never settled silently: ours is kept, the cell is marked Disputed and a note records the
//! other side's value.

use super::records::{FrameworkInfo, PlacedElement, ProjectInfo, Record, quoted, show_target};
use crate::commands::{Command, Dependents};
use crate::model::text::counted;
use crate::model::{
    AgreementId, Cell, ElementId, Excerpt, ExcerptId, FrameworkId, InitiativeId, Note, NoteId,
    NoteKind, NoteTarget, Project, ReviewStatus, SourceId, ViewId,
};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// The author of notes the merge writes.
pub const MERGE_AUTHOR: &str = "normgrid merge";

/// One of the three versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    Base,
    Ours,
    Theirs,
}

impl Side {
    pub fn label(self) -> &'static str {
        match self {
            Self::Base => "base",
            Self::Ours => "ours",
            Self::Theirs => "theirs",
        }
    }
}

/// What a conflict is about, by stable id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConflictKey {
    Project,
    Framework(FrameworkId),
    Element(ElementId),
    Agreement(AgreementId),
    Initiative(InitiativeId),
    Note(NoteId),
    Cell(AgreementId, ElementId),
    View(ViewId),
    Source(SourceId),
}

/// How the user settled a conflict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    Base,
    Ours,
    Theirs,
    /// A cell the user wrote by hand (cell conflicts only).
    Edited(Box<Cell>),
}

/// What happens to conflicts without a choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Fallback {
    /// Keep ours, mark the cell Disputed and write the other side into a note.
    #[default]
    Mark,
    /// Take this side (`--prefer ours|theirs`).
    Prefer(Side),
}

/// Why two versions could not be merged automatically.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConflictKind {
    /// These fields changed differently on the two sides.
    Fields(Vec<&'static str>),
    /// One side removed it; the other changed it or something attached to it.
    RemovedVsChanged { removed_by: Side },
    /// Two-way merge: only one side has it.
    OnlyIn(Side),
}

/// One version of a conflicting thing, as people read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub present: bool,
    /// Every field with its value.
    pub fields: Vec<(&'static str, String)>,
    /// Who last changed it, when recorded.
    pub by: Option<String>,
}

impl Version {
    fn absent() -> Self {
        Self {
            present: false,
            fields: Vec::new(),
            by: None,
        }
    }

    fn of<R: Record>(record: Option<&R>) -> Self {
        match record {
            None => Self::absent(),
            Some(record) => Self {
                present: true,
                fields: R::FIELDS
                    .iter()
                    .map(|f| (*f, record.show_field(f)))
                    .collect(),
                by: None,
            },
        }
    }

    /// The value of one field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| *f == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The three versions of a conflicting cell, for side-by-side display and hand editing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellVersions {
    pub base: Option<Cell>,
    pub ours: Cell,
    pub theirs: Cell,
    /// The merge of the fields that did not conflict, with ours in those that did.
    pub merged: Cell,
}

/// How a conflict was settled in this merge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    Chosen(Choice),
    Preferred(Side),
    /// Nobody decided: ours kept, marked for review.
    Marked,
}

/// One thing the merge could not settle by itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub key: ConflictKey,
    /// "agreement", "cell"…
    pub subject: &'static str,
    /// "Paris Call", "Paris Call / Reference to Human Rights"
    pub title: String,
    pub kind: ConflictKind,
    /// `None` in a two-way merge.
    pub base: Option<Version>,
    pub ours: Version,
    pub theirs: Version,
    pub cells: Option<CellVersions>,
    pub resolution: Resolution,
}

impl Conflict {
    /// The fields to show side by side: the conflicting ones, or all for presence conflicts.
    pub fn shown_fields(&self) -> Vec<&'static str> {
        match &self.kind {
            ConflictKind::Fields(fields) => fields.clone(),
            _ => {
                let mut fields: Vec<&'static str> = Vec::new();
                for version in [Some(&self.ours), Some(&self.theirs), self.base.as_ref()]
                    .into_iter()
                    .flatten()
                {
                    for (f, _) in &version.fields {
                        if !fields.contains(f) {
                            fields.push(f);
                        }
                    }
                }
                fields
            }
        }
    }

    /// One line saying what conflicts.
    pub fn describe(&self) -> String {
        match &self.kind {
            ConflictKind::Fields(fields) => format!("both changed {}", fields.join(", ")),
            ConflictKind::RemovedVsChanged { removed_by } => {
                let other = if *removed_by == Side::Ours {
                    Side::Theirs
                } else {
                    Side::Ours
                };
                format!(
                    "{} removed it; {} changed it",
                    removed_by.label(),
                    other.label()
                )
            }
            ConflictKind::OnlyIn(side) => format!("only {} has it", side.label()),
        }
    }

    /// True when a person (or `--prefer`) decided it.
    pub fn is_resolved(&self) -> bool {
        !matches!(self.resolution, Resolution::Marked)
    }
}

/// The merged project and every conflict met on the way.
#[derive(Clone, Debug)]
pub struct MergeResult {
    pub project: Project,
    pub conflicts: Vec<Conflict>,
    /// Fields and items taken from each side without conflict.
    pub taken_from_ours: usize,
    pub taken_from_theirs: usize,
}

impl MergeResult {
    /// Conflicts kept as ours and marked, because nobody decided them.
    pub fn unresolved(&self) -> usize {
        self.conflicts.iter().filter(|c| !c.is_resolved()).count()
    }

    /// A readable conflict report.
    pub fn report(&self, names: [&str; 3]) -> String {
        let [base, ours, theirs] = names;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Merge of {ours} (ours) and {theirs} (theirs), base {base}"
        );
        let _ = writeln!(
            out,
            "{} taken from ours, {} from theirs, {}",
            counted(self.taken_from_ours, "change", "changes"),
            self.taken_from_theirs,
            counted(self.conflicts.len(), "conflict", "conflicts")
        );
        for conflict in &self.conflicts {
            let _ = writeln!(
                out,
                "\nCONFLICT {} {}: {}",
                conflict.subject,
                conflict.title,
                conflict.describe()
            );
            for field in conflict.shown_fields() {
                let _ = writeln!(out, "  {field}:");
                let mut line = |label: &str, version: Option<&Version>| {
                    let Some(version) = version else { return };
                    let value = if version.present {
                        quoted(version.field(field).unwrap_or_default(), None)
                    } else {
                        "(removed)".to_owned()
                    };
                    let by = version
                        .by
                        .as_ref()
                        .map(|b| format!("  ({b})"))
                        .unwrap_or_default();
                    let _ = writeln!(out, "    {label:<7} {value}{by}");
                };
                line("base", conflict.base.as_ref());
                line("ours", Some(&conflict.ours));
                line("theirs", Some(&conflict.theirs));
            }
            let outcome = match &conflict.resolution {
                Resolution::Chosen(Choice::Edited(_)) => "resolved: edited by hand".to_owned(),
                Resolution::Chosen(choice) => format!("resolved: took {}", choice_label(choice)),
                Resolution::Preferred(side) => {
                    format!("resolved: took {} (--prefer)", side.label())
                }
                Resolution::Marked => {
                    "UNRESOLVED: kept ours; marked Disputed with a merge note".to_owned()
                }
            };
            let _ = writeln!(out, "  {outcome}");
        }
        out
    }
}

fn choice_label(choice: &Choice) -> &'static str {
    match choice {
        Choice::Base => "base",
        Choice::Ours => "ours",
        Choice::Theirs => "theirs",
        Choice::Edited(_) => "edited",
    }
}

/// Merges `ours` and `theirs`, three-way when `base` is given, two-way otherwise.
/// `choices` settles conflicts by key; the rest follow `fallback`.
pub fn merge_projects(
    base: Option<&Project>,
    ours: &Project,
    theirs: &Project,
    choices: &BTreeMap<ConflictKey, Choice>,
    fallback: Fallback,
) -> MergeResult {
    let mut merge = Merge {
        base,
        ours: ours.clone(),
        theirs: theirs.clone(),
        choices,
        fallback,
        conflicts: Vec::new(),
        marks: Vec::new(),
        taken_from_ours: 0,
        taken_from_theirs: 0,
    };
    merge.settle_containers();
    let project = merge.merge_contents();
    let mut result = MergeResult {
        project,
        conflicts: merge.conflicts,
        taken_from_ours: merge.taken_from_ours,
        taken_from_theirs: merge.taken_from_theirs,
    };
    add_mark_notes(&mut result.project, merge.marks);
    result
}

/// What a marked conflict leaves behind: a note where the reviewer will see it.
struct Mark {
    target: NoteTarget,
    text: String,
}

struct Merge<'a> {
    base: Option<&'a Project>,
    /// Working copies: removals and restorations settled by [`Merge::settle_containers`].
    ours: Project,
    theirs: Project,
    choices: &'a BTreeMap<ConflictKey, Choice>,
    fallback: Fallback,
    conflicts: Vec<Conflict>,
    marks: Vec<Mark>,
    taken_from_ours: usize,
    taken_from_theirs: usize,
}

/// Agreements, elements and frameworks: things other items hang off.
#[derive(Clone, Debug)]
enum Container {
    Framework(FrameworkId),
    Element(ElementId),
    Agreement(AgreementId),
}

impl Container {
    fn key(&self) -> ConflictKey {
        match self {
            Self::Framework(id) => ConflictKey::Framework(id.clone()),
            Self::Element(id) => ConflictKey::Element(id.clone()),
            Self::Agreement(id) => ConflictKey::Agreement(id.clone()),
        }
    }

    fn subject(&self) -> &'static str {
        match self {
            Self::Framework(_) => "framework",
            Self::Element(_) => "element",
            Self::Agreement(_) => "agreement",
        }
    }

    fn exists(&self, project: &Project) -> bool {
        match self {
            Self::Framework(id) => project.framework(id).is_some(),
            Self::Element(id) => project.element(id).is_some(),
            Self::Agreement(id) => project.agreement(id).is_some(),
        }
    }

    fn title(&self, project: &Project) -> Option<String> {
        match self {
            Self::Framework(id) => project.framework(id).map(|f| f.name.clone()),
            Self::Element(id) => project.element(id).map(|(_, e)| e.display_name()),
            Self::Agreement(id) => project.agreement(id).map(|a| a.short_name.clone()),
        }
    }

    fn version(&self, project: &Project) -> Version {
        match self {
            Self::Framework(id) => Version::of(project.framework(id).map(framework_info).as_ref()),
            Self::Element(id) => Version::of(placed(project, id).as_ref()),
            Self::Agreement(id) => Version::of(project.agreement(id)),
        }
    }

    /// The container and everything attached to it, for telling whether a side changed it.
    fn footprint(&self, project: &Project) -> String {
        let mut out = String::new();
        match self {
            Self::Framework(id) => {
                let Some(framework) = project.framework(id) else {
                    return out;
                };
                let _ = write!(out, "{framework:?}");
                for element in &framework.elements {
                    out.push_str(&Self::Element(element.id.clone()).footprint(project));
                }
            }
            Self::Element(id) => {
                let _ = write!(out, "{:?}", placed(project, id));
                for (a, e, cell) in project.cells.iter() {
                    if e == id {
                        let _ = write!(out, "{a}{cell:?}");
                    }
                }
                for note in project
                    .notes
                    .iter()
                    .filter(|n| n.target.concerns_element(id))
                {
                    let _ = write!(out, "{note:?}");
                }
                for initiative in project.initiatives.iter().filter(|i| i.norms.contains(id)) {
                    let _ = write!(out, "{}", initiative.id);
                }
            }
            Self::Agreement(id) => {
                let _ = write!(
                    out,
                    "{:?}{:?}",
                    project.agreement(id),
                    project.cells.row(id)
                );
                for source in project.sources_of(id) {
                    let _ = write!(out, "{source:?}");
                }
                for note in project
                    .notes
                    .iter()
                    .filter(|n| n.target.concerns_agreement(id))
                {
                    let _ = write!(out, "{note:?}");
                }
                for initiative in &project.initiatives {
                    for link in initiative.supports.iter().filter(|l| &l.agreement == id) {
                        let _ = write!(out, "{}{link:?}", initiative.id);
                    }
                }
            }
        }
        out
    }

    /// The command that removes it with everything attached (its inverse puts all back).
    fn removal(&self) -> Command {
        match self {
            Self::Framework(id) => Command::RemoveFramework { id: id.clone() },
            Self::Element(id) => Command::RemoveElement { id: id.clone() },
            Self::Agreement(id) => Command::RemoveAgreement { id: id.clone() },
        }
    }

    fn remove_from(&self, project: &mut Project) {
        let _ = self.removal().apply(project);
    }

    /// Puts `source`'s version, with what hangs off it, into `target`.
    fn restore_into(&self, target: &mut Project, source: &Project) {
        let mut scratch = source.clone();
        let Ok(insert) = self.removal().apply(&mut scratch) else {
            return;
        };
        let insert = match insert {
            Command::InsertAgreement {
                index,
                agreement,
                dependents,
            } => {
                let dependents = fit_dependents(target, *dependents, Some(&agreement.id), &[]);
                Command::InsertAgreement {
                    index: index.min(target.agreements.len()),
                    agreement,
                    dependents: Box::new(dependents),
                }
            }
            Command::InsertElement {
                framework,
                index,
                element,
                dependents,
            } => {
                let Some(fi) = target.framework_index(&framework) else {
                    return;
                };
                let dependents =
                    fit_dependents(target, *dependents, None, std::slice::from_ref(&element.id));
                Command::InsertElement {
                    index: index.min(target.frameworks[fi].elements.len()),
                    framework,
                    element,
                    dependents: Box::new(dependents),
                }
            }
            Command::InsertFramework {
                index,
                mut framework,
                dependents,
            } => {
                framework
                    .elements
                    .retain(|e| target.element(&e.id).is_none());
                let ids: Vec<ElementId> = framework.elements.iter().map(|e| e.id.clone()).collect();
                let dependents = fit_dependents(target, *dependents, None, &ids);
                Command::InsertFramework {
                    index: index.min(target.frameworks.len()),
                    framework,
                    dependents: Box::new(dependents),
                }
            }
            _ => return,
        };
        let _ = insert.apply(target);
    }
}

/// Keeps the dependents that can be restored into `target` without orphans.
fn fit_dependents(
    target: &Project,
    mut dependents: Dependents,
    new_agreement: Option<&AgreementId>,
    new_elements: &[ElementId],
) -> Dependents {
    let has_agreement = |a: &AgreementId| target.agreement(a).is_some() || new_agreement == Some(a);
    let has_element = |e: &ElementId| target.element(e).is_some() || new_elements.contains(e);
    dependents
        .cells
        .retain(|(a, e, _)| has_agreement(a) && has_element(e));
    dependents.notes.retain(|(_, note)| {
        target.note(&note.id).is_none()
            && match &note.target {
                NoteTarget::Project => true,
                NoteTarget::Agreement(a) => has_agreement(a),
                NoteTarget::Element(e) => has_element(e),
                NoteTarget::Cell(a, e) => has_agreement(a) && has_element(e),
            }
    });
    dependents
        .supports
        .retain(|(i, _, _)| target.initiative(i).is_some());
    dependents
        .norms
        .retain(|(i, _, _)| target.initiative(i).is_some());
    dependents
        .sources
        .retain(|(_, source)| target.source(&source.id).is_none());
    // Positions come from another version, which may hold more notes or sources: past the
    // target's end they mean "at the end", never a refused restore.
    for (k, (index, _)) in dependents.notes.iter_mut().enumerate() {
        *index = (*index).min(target.notes.len() + k);
    }
    for (k, (index, _)) in dependents.sources.iter_mut().enumerate() {
        *index = (*index).min(target.sources.len() + k);
    }
    dependents
}

fn framework_info(framework: &crate::model::Framework) -> FrameworkInfo {
    FrameworkInfo {
        id: framework.id.clone(),
        name: framework.name.clone(),
        description: framework.description.clone(),
    }
}

fn placed(project: &Project, id: &ElementId) -> Option<PlacedElement> {
    project.element(id).map(|(f, e)| PlacedElement {
        framework: f.id.clone(),
        element: e.clone(),
    })
}

/// What a conflict would be about.
struct Subject {
    key: ConflictKey,
    kind: &'static str,
    title: String,
}

/// Whether a thing present on one side only stays.
enum Presence {
    Keep,
    Drop,
}

impl Merge<'_> {
    fn resolution(&self, key: &ConflictKey) -> Resolution {
        match self.choices.get(key) {
            Some(choice) => Resolution::Chosen(choice.clone()),
            None => match self.fallback {
                Fallback::Mark => Resolution::Marked,
                Fallback::Prefer(side) => Resolution::Preferred(side),
            },
        }
    }

    /// Decides whether something present on one side only stays.
    /// `changed(side)` tells whether that side changed it since the base.
    fn presence(
        &mut self,
        subject: &Subject,
        [in_base, in_ours, in_theirs]: [bool; 3],
        changed: impl Fn(Side) -> bool,
        versions: impl Fn(Side) -> Version,
    ) -> Presence {
        let Subject {
            key,
            kind: subject,
            title,
        } = subject;
        let (present_side, missing_side) = match (in_ours, in_theirs) {
            (true, true) => return Presence::Keep,
            (false, false) => return Presence::Drop,
            (true, false) => (Side::Ours, Side::Theirs),
            (false, true) => (Side::Theirs, Side::Ours),
        };
        let kind = match (self.base.is_some(), in_base) {
            // Added on one side.
            (true, false) => {
                self.count_taken(present_side);
                return Presence::Keep;
            }
            (true, true) => {
                if !changed(present_side) {
                    self.count_taken(missing_side);
                    return Presence::Drop;
                }
                ConflictKind::RemovedVsChanged {
                    removed_by: missing_side,
                }
            }
            (false, _) => ConflictKind::OnlyIn(present_side),
        };
        let resolution = self.resolution(key);
        let keep = match &resolution {
            Resolution::Chosen(Choice::Ours) | Resolution::Preferred(Side::Ours) => in_ours,
            Resolution::Chosen(Choice::Theirs) | Resolution::Preferred(Side::Theirs) => in_theirs,
            Resolution::Chosen(Choice::Base) | Resolution::Preferred(Side::Base) => {
                in_base || self.base.is_none()
            }
            Resolution::Chosen(Choice::Edited(_)) | Resolution::Marked => true,
        };
        let conflict = Conflict {
            key: key.clone(),
            subject,
            title: title.clone(),
            kind,
            base: self.base.map(|_| versions(Side::Base)),
            ours: versions(Side::Ours),
            theirs: versions(Side::Theirs),
            cells: None,
            resolution: resolution.clone(),
        };
        if resolution == Resolution::Marked {
            self.marks.push(Mark {
                target: note_target_for(key),
                text: format!(
                    "Merge conflict: {} {title}: {}. It was kept; remove it if it should go, then delete this note.",
                    subject,
                    conflict.describe()
                ),
            });
        }
        self.conflicts.push(conflict);
        if keep { Presence::Keep } else { Presence::Drop }
    }

    fn count_taken(&mut self, side: Side) {
        match side {
            Side::Ours => self.taken_from_ours += 1,
            Side::Theirs => self.taken_from_theirs += 1,
            Side::Base => {}
        }
    }

    /// Settles which frameworks, elements and agreements stay, and makes both working copies
    /// agree on it: a kept one is restored (with its cells and notes) where it was removed,
    /// a dropped one is removed (with what hangs off it) where it remains.
    fn settle_containers(&mut self) {
        let empty = Project::new("", self.ours.as_of);
        let base = self.base.unwrap_or(&empty);
        let framework_ids = union_ids(
            [base, &self.ours, &self.theirs]
                .iter()
                .flat_map(|p| p.frameworks.iter().map(|f| f.id.clone())),
        );
        for id in framework_ids {
            self.settle(&Container::Framework(id));
        }
        let element_ids = union_ids(
            [base, &self.ours, &self.theirs]
                .iter()
                .flat_map(|p| p.elements().map(|(_, e)| e.id.clone())),
        );
        for id in element_ids {
            self.settle(&Container::Element(id));
        }
        let agreement_ids = union_ids(
            [base, &self.ours, &self.theirs]
                .iter()
                .flat_map(|p| p.agreements.iter().map(|a| a.id.clone())),
        );
        for id in agreement_ids {
            self.settle(&Container::Agreement(id));
        }
    }

    fn settle(&mut self, container: &Container) {
        let in_base = self.base.is_some_and(|b| container.exists(b));
        let in_ours = container.exists(&self.ours);
        let in_theirs = container.exists(&self.theirs);
        // In both, or added on one side only: the record merge takes care of it.
        if (in_ours && in_theirs) || (self.base.is_some() && !in_base) {
            return;
        }
        let title = container
            .title(&self.ours)
            .or_else(|| container.title(&self.theirs))
            .or_else(|| self.base.and_then(|b| container.title(b)))
            .unwrap_or_default();
        let base_footprint = self.base.map(|b| container.footprint(b));
        let ours_footprint = container.footprint(&self.ours);
        let theirs_footprint = container.footprint(&self.theirs);
        let base_version = self.base.map(|b| container.version(b));
        let ours_version = container.version(&self.ours);
        let theirs_version = container.version(&self.theirs);
        let subject = Subject {
            key: container.key(),
            kind: container.subject(),
            title,
        };
        let presence = self.presence(
            &subject,
            [in_base, in_ours, in_theirs],
            |side| {
                let footprint = if side == Side::Ours {
                    &ours_footprint
                } else {
                    &theirs_footprint
                };
                base_footprint.as_ref() != Some(footprint)
            },
            |side| match side {
                Side::Base => base_version.clone().unwrap_or_else(Version::absent),
                Side::Ours => ours_version.clone(),
                Side::Theirs => theirs_version.clone(),
            },
        );
        match presence {
            Presence::Drop => {
                container.remove_from(&mut self.ours);
                container.remove_from(&mut self.theirs);
            }
            Presence::Keep => {
                // Restore from the base when it has it, so the other side's edits still count
                // as one-sided changes; otherwise (two-way) copy the side that has it.
                let source = match self.base {
                    Some(base) => base.clone(),
                    None if in_ours => self.ours.clone(),
                    None => self.theirs.clone(),
                };
                if !in_ours {
                    container.restore_into(&mut self.ours, &source);
                }
                if !in_theirs {
                    container.restore_into(&mut self.theirs, &source);
                }
            }
        }
    }

    /// Takes each field changed on one side only; returns the result (ours in the fields that
    /// conflict) and the conflicting fields.
    fn merge_fields<R: Record>(
        &mut self,
        base: Option<&R>,
        ours: &R,
        theirs: &R,
    ) -> (R, Vec<&'static str>) {
        let mut merged = ours.clone();
        let mut conflicting = Vec::new();
        for field in R::FIELDS {
            if ours.same_field(theirs, field) {
                continue;
            }
            match base {
                Some(b) if b.same_field(ours, field) => {
                    merged.copy_field(theirs, field);
                    self.taken_from_theirs += 1;
                }
                Some(b) if b.same_field(theirs, field) => self.taken_from_ours += 1,
                _ => conflicting.push(*field),
            }
        }
        (merged, conflicting)
    }

    /// Merges a record present on both sides, field by field. Returns the merged record.
    fn merge_record<R: Record>(
        &mut self,
        key: &ConflictKey,
        title: &str,
        base: Option<&R>,
        ours: &R,
        theirs: &R,
    ) -> R {
        let (mut merged, conflicting) = self.merge_fields(base, ours, theirs);
        if conflicting.is_empty() {
            return merged;
        }
        let resolution = self.resolution(key);
        let from = match &resolution {
            Resolution::Chosen(Choice::Theirs) | Resolution::Preferred(Side::Theirs) => {
                Some(theirs)
            }
            Resolution::Chosen(Choice::Base) | Resolution::Preferred(Side::Base) => base,
            _ => None,
        };
        if let Some(from) = from {
            for field in &conflicting {
                merged.copy_field(from, field);
            }
        }
        let conflict = Conflict {
            key: key.clone(),
            subject: R::KIND,
            title: title.to_owned(),
            kind: ConflictKind::Fields(conflicting.clone()),
            base: self.base.map(|_| Version::of(base)),
            ours: Version::of(Some(ours)),
            theirs: Version::of(Some(theirs)),
            cells: None,
            resolution: resolution.clone(),
        };
        if resolution == Resolution::Marked {
            let detail: Vec<String> = conflicting
                .iter()
                .map(|f| {
                    format!(
                        "{f}: kept ours {}, theirs was {}",
                        quoted(&ours.show_field(f), None),
                        quoted(&theirs.show_field(f), None)
                    )
                })
                .collect();
            self.marks.push(Mark {
                target: note_target_for(key),
                text: format!(
                    "Merge conflict on {} {title}: {}.",
                    R::KIND,
                    detail.join("; ")
                ),
            });
        }
        self.conflicts.push(conflict);
        merged
    }

    /// Merges an id-keyed list: presence, fields and order.
    fn merge_list<R: Record, K: Ord + Clone>(
        &mut self,
        lists: [Option<&[R]>; 3],
        id: impl Fn(&R) -> K,
        key: impl Fn(&K) -> ConflictKey,
        title: impl Fn(&R) -> String,
    ) -> Vec<R> {
        let [base, ours, theirs] = lists;
        let index = |list: Option<&[R]>| -> BTreeMap<K, R> {
            list.unwrap_or_default()
                .iter()
                .map(|r| (id(r), r.clone()))
                .collect()
        };
        let (base_map, ours_map, theirs_map) = (index(base), index(ours), index(theirs));
        let ids =
            |list: Option<&[R]>| -> Vec<K> { list.unwrap_or_default().iter().map(&id).collect() };
        let (base_ids, ours_ids, theirs_ids) = (ids(base), ids(ours), ids(theirs));
        let mut merged = BTreeMap::new();
        for k in union_ids(ours_ids.iter().chain(theirs_ids.iter()).cloned()) {
            let (b, o, t) = (base_map.get(&k), ours_map.get(&k), theirs_map.get(&k));
            let name = o.or(t).or(b).map(&title).unwrap_or_default();
            let record = match (o, t) {
                (Some(o), Some(t)) => Some(self.merge_record(&key(&k), &name, b, o, t)),
                _ => {
                    let subject = Subject {
                        key: key(&k),
                        kind: R::KIND,
                        title: name,
                    };
                    let present = self.presence(
                        &subject,
                        [b.is_some(), o.is_some(), t.is_some()],
                        |side| {
                            let version = if side == Side::Ours { o } else { t };
                            match (b, version) {
                                (Some(b), Some(v)) => !b.same_record(v),
                                _ => true,
                            }
                        },
                        |side| {
                            Version::of(match side {
                                Side::Base => b,
                                Side::Ours => o,
                                Side::Theirs => t,
                            })
                        },
                    );
                    match present {
                        Presence::Keep => o.or(t).or(b).cloned(),
                        Presence::Drop => None,
                    }
                }
            };
            if let Some(record) = record {
                merged.insert(k, record);
            }
        }
        let keep: BTreeSet<K> = merged.keys().cloned().collect();
        merge_order(&base_ids, &ours_ids, &theirs_ids, &keep)
            .into_iter()
            .filter_map(|k| merged.remove(&k))
            .collect()
    }

    /// Merges everything once both copies agree on which containers exist.
    fn merge_contents(&mut self) -> Project {
        let base = self.base;
        let ours = self.ours.clone();
        let theirs = self.theirs.clone();
        let mut project = ours.clone();

        let info = self.merge_record(
            &ConflictKey::Project,
            &ours.title,
            base.map(ProjectInfo::of).as_ref(),
            &ProjectInfo::of(&ours),
            &ProjectInfo::of(&theirs),
        );
        project.title = info.title;
        project.description = info.description;
        project.as_of = info.as_of;

        let framework_infos =
            |p: &Project| p.frameworks.iter().map(framework_info).collect::<Vec<_>>();
        let frameworks = self.merge_list(
            [
                base.map(framework_infos).as_deref(),
                Some(&framework_infos(&ours)),
                Some(&framework_infos(&theirs)),
            ],
            |f| f.id.clone(),
            |id| ConflictKey::Framework(id.clone()),
            |f| f.name.clone(),
        );
        let elements = self.merge_list(
            [
                base.map(PlacedElement::all).as_deref(),
                Some(&PlacedElement::all(&ours)),
                Some(&PlacedElement::all(&theirs)),
            ],
            |e| e.element.id.clone(),
            |id| ConflictKey::Element(id.clone()),
            |e| e.element.display_name(),
        );
        project.frameworks = frameworks
            .into_iter()
            .map(|info| {
                let members: BTreeMap<ElementId, crate::model::Element> = elements
                    .iter()
                    .filter(|e| e.framework == info.id)
                    .map(|e| (e.element.id.clone(), e.element.clone()))
                    .collect();
                let order_in = |p: Option<&Project>| -> Vec<ElementId> {
                    p.and_then(|p| p.framework(&info.id))
                        .map(|f| f.elements.iter().map(|e| e.id.clone()).collect())
                        .unwrap_or_default()
                };
                let keep: BTreeSet<ElementId> = members.keys().cloned().collect();
                let order = merge_order(
                    &order_in(base),
                    &order_in(Some(&ours)),
                    &order_in(Some(&theirs)),
                    &keep,
                );
                crate::model::Framework {
                    id: info.id.clone(),
                    name: info.name,
                    description: info.description,
                    elements: order
                        .into_iter()
                        .filter_map(|id| members.get(&id).cloned())
                        .collect(),
                }
            })
            .collect();

        project.agreements = self.merge_list(
            [
                base.map(|b| b.agreements.as_slice()),
                Some(&ours.agreements),
                Some(&theirs.agreements),
            ],
            |a| a.id.clone(),
            |id| ConflictKey::Agreement(id.clone()),
            |a| a.short_name.clone(),
        );
        project.initiatives = self.merge_list(
            [
                base.map(|b| b.initiatives.as_slice()),
                Some(&ours.initiatives),
                Some(&theirs.initiatives),
            ],
            |i| i.id.clone(),
            |id| ConflictKey::Initiative(id.clone()),
            |i| i.title.clone(),
        );
        project.notes = self.merge_list(
            [
                base.map(|b| b.notes.as_slice()),
                Some(&ours.notes),
                Some(&theirs.notes),
            ],
            |n| n.id.clone(),
            |id| ConflictKey::Note(id.clone()),
            |n| format!("by {} on {}", n.author, show_target(&n.target)),
        );
        // Views are matched by id like everything else, so neither side's views are dropped.
        project.views = self.merge_list(
            [
                base.map(|b| b.views.as_slice()),
                Some(&ours.views),
                Some(&theirs.views),
            ],
            |v| v.id.clone(),
            |id| ConflictKey::View(id.clone()),
            |v| v.name.clone(),
        );
        project.sources = self.merge_list(
            [
                base.map(|b| b.sources.as_slice()),
                Some(&ours.sources),
                Some(&theirs.sources),
            ],
            |s| s.id.clone(),
            |id| ConflictKey::Source(id.clone()),
            |s| s.title.clone(),
        );
        project.cells = Default::default();
        self.merge_cells(&mut project, &ours, &theirs);
        self.keep_sources_consistent(&mut project, &ours, &theirs);
        project
    }

    /// A source removed on one side while the other side quotes it is kept, so no excerpt
    /// points at nothing; a quote whose source is nowhere keeps its text and loses the link;
    /// a source whose agreement the merge removed becomes a project-level source. Each of
    /// these leaves a merge note.
    fn keep_sources_consistent(&mut self, project: &mut Project, ours: &Project, theirs: &Project) {
        let quoted_sources: BTreeSet<SourceId> = project
            .cells
            .iter()
            .flat_map(|(_, _, cell)| cell.evidence.iter().filter_map(|e| e.source.clone()))
            .collect();
        let mut unlinked = BTreeSet::new();
        for id in quoted_sources {
            if project.source(&id).is_some() {
                continue;
            }
            let found = [Some(ours), Some(theirs), self.base]
                .into_iter()
                .flatten()
                .find_map(|p| p.source(&id).cloned());
            match found {
                Some(source) => {
                    self.marks.push(Mark {
                        target: NoteTarget::Project,
                        text: format!(
                            "Merge: source `{id}` ({}) was removed on one side, but the other side quotes it; it was kept. Remove it in normgrid once nothing quotes it, then delete this note.",
                            quoted(&source.title, Some(80))
                        ),
                    });
                    project.sources.push(source);
                }
                None => {
                    unlinked.insert(id);
                }
            }
        }
        if !unlinked.is_empty() {
            let cells: Vec<(AgreementId, ElementId, Cell)> = project
                .cells
                .iter()
                .filter(|(_, _, c)| {
                    c.evidence
                        .iter()
                        .any(|e| e.source.as_ref().is_some_and(|s| unlinked.contains(s)))
                })
                .map(|(a, e, c)| (a.clone(), e.clone(), c.clone()))
                .collect();
            for (agreement, element, mut cell) in cells {
                for excerpt in &mut cell.evidence {
                    if excerpt
                        .source
                        .as_ref()
                        .is_some_and(|s| unlinked.contains(s))
                    {
                        excerpt.source = None;
                        excerpt.position = None;
                    }
                }
                project.cells.set(&agreement, &element, cell);
            }
            for id in unlinked {
                self.marks.push(Mark {
                    target: NoteTarget::Project,
                    text: format!(
                        "Merge: quotes named source `{id}`, which no version has; they keep their text without a source. Attach the source and link them again, then delete this note."
                    ),
                });
            }
        }
        let agreements: BTreeSet<AgreementId> =
            project.agreements.iter().map(|a| a.id.clone()).collect();
        for source in &mut project.sources {
            if let Some(agreement) = source.agreement.take_if(|a| !agreements.contains(a)) {
                self.marks.push(Mark {
                    target: NoteTarget::Project,
                    text: format!(
                        "Merge: source `{}` belonged to agreement `{agreement}`, which the merge removed; it is now a project-level source. Delete this note once checked.",
                        source.id
                    ),
                });
            }
        }
    }

    fn merge_cells(&mut self, project: &mut Project, ours: &Project, theirs: &Project) {
        let keys: BTreeSet<(AgreementId, ElementId)> = ours
            .cells
            .iter()
            .chain(theirs.cells.iter())
            .map(|(a, e, _)| (a.clone(), e.clone()))
            .collect();
        let agreements: BTreeSet<AgreementId> =
            project.agreements.iter().map(|a| a.id.clone()).collect();
        let elements: BTreeSet<ElementId> = project.elements().map(|(_, e)| e.id.clone()).collect();
        let empty = Cell::default();
        for (agreement, element) in keys {
            if !agreements.contains(&agreement) || !elements.contains(&element) {
                continue;
            }
            let base = self.base.map(|b| {
                b.cells
                    .get(&agreement, &element)
                    .cloned()
                    .unwrap_or_default()
            });
            let o = ours.cells.get(&agreement, &element).unwrap_or(&empty);
            let t = theirs.cells.get(&agreement, &element).unwrap_or(&empty);
            let cell = if o == t {
                o.clone()
            } else {
                self.merge_cell(project, &agreement, &element, base.as_ref(), o, t)
            };
            project.cells.set(&agreement, &element, cell);
        }
    }

    fn merge_cell(
        &mut self,
        project: &Project,
        agreement: &AgreementId,
        element: &ElementId,
        base: Option<&Cell>,
        ours: &Cell,
        theirs: &Cell,
    ) -> Cell {
        let key = ConflictKey::Cell(agreement.clone(), element.clone());
        let (mut merged, mut conflicting) = self.merge_fields(base, ours, theirs);
        merge_stamps(&mut merged, base, ours, theirs);
        // Both sides changed the evidence: merge it excerpt by excerpt, and only excerpts
        // changed differently on the two sides conflict.
        let evidence = conflicting.contains(&"evidence").then(|| {
            self.merge_evidence(
                base.map(|b| b.evidence.as_slice()),
                &ours.evidence,
                &theirs.evidence,
            )
        });
        let with_evidence = |cell: &Cell, evidence: &[Excerpt]| Cell {
            evidence: evidence.to_vec(),
            ..cell.clone()
        };
        let (ours_pick, theirs_pick, base_pick) = match &evidence {
            Some(e) => {
                conflicting.retain(|f| *f != "evidence");
                merged.evidence = e.ours.clone();
                if !e.conflicts.is_empty() {
                    conflicting.push("evidence");
                }
                (
                    with_evidence(ours, &e.ours),
                    with_evidence(theirs, &e.theirs),
                    with_evidence(base.unwrap_or(ours), &e.base),
                )
            }
            None => (ours.clone(), theirs.clone(), base.unwrap_or(ours).clone()),
        };
        if conflicting.is_empty() {
            return merged;
        }
        let title = project.cell_label(agreement, element);
        let auto_merged = merged.clone();
        let resolution = self.resolution(&key);
        let take_all = |merged: &mut Cell, from: &Cell| {
            for field in &conflicting {
                merged.copy_field(from, field);
            }
            merged.edited_by = from.edited_by.clone();
            merged.edited_at = from.edited_at;
        };
        match &resolution {
            Resolution::Chosen(Choice::Edited(cell)) => merged = (**cell).clone(),
            Resolution::Chosen(Choice::Theirs) | Resolution::Preferred(Side::Theirs) => {
                take_all(&mut merged, &theirs_pick);
            }
            Resolution::Chosen(Choice::Base) | Resolution::Preferred(Side::Base) => {
                take_all(&mut merged, &base_pick);
            }
            Resolution::Chosen(Choice::Ours) | Resolution::Preferred(Side::Ours) => {
                take_all(&mut merged, &ours_pick);
            }
            Resolution::Marked => {
                let detail: Vec<String> = conflicting
                    .iter()
                    .flat_map(|f| match (*f, &evidence) {
                        ("evidence", Some(e)) => e.conflicts.clone(),
                        _ => vec![format!(
                            "{f}: kept ours {}, theirs said {}",
                            quoted(&ours.show_field(f), None),
                            quoted(&theirs.show_field(f), None)
                        )],
                    })
                    .collect();
                if let Some(e) = &evidence {
                    merged.evidence = e.marked.clone();
                }
                let by = super::diff::by_line(&theirs.edited_by, theirs.edited_at)
                    .map(|b| format!(" (theirs by {b})"))
                    .unwrap_or_default();
                self.marks.push(Mark {
                    target: NoteTarget::Cell(agreement.clone(), element.clone()),
                    text: format!(
                        "Merge conflict: {}{by}. Decide, set the review status, then delete this note.",
                        detail.join("; ")
                    ),
                });
                merged.review = ReviewStatus::Disputed;
                merged.reviewed_by = MERGE_AUTHOR.to_owned();
                merged.reviewed_at = None;
            }
        }
        let version = |cell: &Cell| {
            let mut version = Version::of(Some(cell));
            version.by = super::diff::by_line(&cell.edited_by, cell.edited_at);
            version
        };
        self.conflicts.push(Conflict {
            key,
            subject: "cell",
            title,
            kind: ConflictKind::Fields(conflicting),
            base: base.map(version),
            ours: version(ours),
            theirs: version(theirs),
            cells: Some(CellVersions {
                base: base.cloned(),
                ours: ours.clone(),
                theirs: theirs.clone(),
                merged: auto_merged,
            }),
            resolution,
        });
        merged
    }
}

/// A cell's evidence merged excerpt by excerpt, once per way of settling its conflicts.
struct EvidenceMerge {
    /// Ours in every conflicting excerpt (and ours' presence where one side removed it).
    ours: Vec<Excerpt>,
    theirs: Vec<Excerpt>,
    /// The base's version of conflicting excerpts; ours in a two-way merge.
    base: Vec<Excerpt>,
    /// Nobody decided: ours in conflicting fields, and an excerpt removed on one side but
    /// changed on the other is kept, so nothing is lost.
    marked: Vec<Excerpt>,
    /// One line per conflict, for the merge note.
    conflicts: Vec<String>,
}

impl Merge<'_> {
    /// Merges three versions of one cell's excerpts, matched by id.
    fn merge_evidence(
        &mut self,
        base: Option<&[Excerpt]>,
        ours: &[Excerpt],
        theirs: &[Excerpt],
    ) -> EvidenceMerge {
        let index = |list: &[Excerpt]| -> BTreeMap<ExcerptId, Excerpt> {
            // The first of a repeated id wins; validation refuses repeats before a merge.
            let mut map = BTreeMap::new();
            for excerpt in list {
                map.entry(excerpt.id.clone())
                    .or_insert_with(|| excerpt.clone());
            }
            map
        };
        let ids =
            |list: &[Excerpt]| -> Vec<ExcerptId> { union_ids(list.iter().map(|e| e.id.clone())) };
        let base_list = base.unwrap_or_default();
        let (base_map, ours_map, theirs_map) = (index(base_list), index(ours), index(theirs));
        let mut picks: [BTreeMap<ExcerptId, Excerpt>; 4] = Default::default();
        let mut conflicts = Vec::new();
        // Excerpts both sides added under one readable id (two quotes of one paragraph).
        let mut renamed = Vec::new();
        let mut taken_ids: BTreeSet<ExcerptId> = base_map
            .keys()
            .chain(ours_map.keys())
            .chain(theirs_map.keys())
            .cloned()
            .collect();
        for id in union_ids(ids(ours).into_iter().chain(ids(theirs))) {
            let (b, o, t) = (base_map.get(&id), ours_map.get(&id), theirs_map.get(&id));
            match (o, t) {
                (Some(o), Some(t))
                    if self.base.is_some()
                        && b.is_none()
                        && (&o.exact, &o.source) != (&t.exact, &t.source) =>
                {
                    // Two different quotes that happen to share an id: both are kept.
                    let fresh = (2..)
                        .map(|n| ExcerptId::new(format!("{id}-{n}")))
                        .find(|candidate| !taken_ids.contains(candidate))
                        .unwrap_or_else(|| id.clone());
                    taken_ids.insert(fresh.clone());
                    let mut theirs_version = t.clone();
                    theirs_version.id = fresh;
                    renamed.push(theirs_version);
                    self.count_taken(Side::Ours);
                    self.count_taken(Side::Theirs);
                    for pick in &mut picks {
                        pick.insert(id.clone(), o.clone());
                    }
                }
                (Some(o), Some(t)) => {
                    let (merged, conflicting) = self.merge_fields(b, o, t);
                    let mut theirs_version = merged.clone();
                    let mut base_version = merged.clone();
                    for field in &conflicting {
                        theirs_version.copy_field(t, field);
                        base_version.copy_field(b.unwrap_or(o), field);
                    }
                    for field in &conflicting {
                        conflicts.push(format!(
                            "excerpt `{id}` {field}: kept ours {}, theirs said {}",
                            quoted(&o.show_field(field), None),
                            quoted(&t.show_field(field), None)
                        ));
                    }
                    let [ours_pick, theirs_pick, base_pick, marked_pick] = &mut picks;
                    ours_pick.insert(id.clone(), merged.clone());
                    marked_pick.insert(id.clone(), merged);
                    theirs_pick.insert(id.clone(), theirs_version);
                    base_pick.insert(id, base_version);
                }
                (Some(present), None) | (None, Some(present)) => {
                    let present_side = if o.is_some() {
                        Side::Ours
                    } else {
                        Side::Theirs
                    };
                    let keep_all = |picks: &mut [BTreeMap<ExcerptId, Excerpt>; 4]| {
                        for pick in picks.iter_mut() {
                            pick.insert(id.clone(), present.clone());
                        }
                    };
                    match (self.base.is_some(), b) {
                        // Added on one side.
                        (true, None) => {
                            self.count_taken(present_side);
                            keep_all(&mut picks);
                        }
                        // Removed on one side, untouched on the other.
                        (true, Some(b)) if b == present => {
                            self.count_taken(if present_side == Side::Ours {
                                Side::Theirs
                            } else {
                                Side::Ours
                            });
                        }
                        (three_way, b) => {
                            let [ours_pick, theirs_pick, base_pick, marked_pick] = &mut picks;
                            if present_side == Side::Ours {
                                ours_pick.insert(id.clone(), present.clone());
                            } else {
                                theirs_pick.insert(id.clone(), present.clone());
                            }
                            match b {
                                Some(b) => {
                                    base_pick.insert(id.clone(), b.clone());
                                }
                                None if !three_way && present_side == Side::Ours => {
                                    base_pick.insert(id.clone(), present.clone());
                                }
                                None => {}
                            }
                            marked_pick.insert(id.clone(), present.clone());
                            let what = if three_way {
                                let other = if present_side == Side::Ours {
                                    Side::Theirs
                                } else {
                                    Side::Ours
                                };
                                format!(
                                    "{} removed it, {} changed it",
                                    other.label(),
                                    present_side.label()
                                )
                            } else {
                                format!("only {} has it", present_side.label())
                            };
                            conflicts.push(format!(
                                "excerpt `{id}` {}: {what}; kept",
                                quoted(&present.exact, Some(80))
                            ));
                        }
                    }
                }
                (None, None) => {}
            }
        }
        let base_ids = ids(base_list);
        let (ours_ids, theirs_ids) = (ids(ours), ids(theirs));
        let ordered = |pick: &mut BTreeMap<ExcerptId, Excerpt>| -> Vec<Excerpt> {
            let keep: BTreeSet<ExcerptId> = pick.keys().cloned().collect();
            merge_order(&base_ids, &ours_ids, &theirs_ids, &keep)
                .into_iter()
                .filter_map(|id| pick.remove(&id))
                .chain(renamed.iter().cloned())
                .collect()
        };
        let [ours_pick, theirs_pick, base_pick, marked_pick] = &mut picks;
        EvidenceMerge {
            ours: ordered(ours_pick),
            theirs: ordered(theirs_pick),
            base: ordered(base_pick),
            marked: ordered(marked_pick),
            conflicts,
        }
    }
}

/// Who-and-when follows the change: the side that changed it since the base, or the later
/// one when both did. Never a conflict of its own.
fn merge_stamps(merged: &mut Cell, base: Option<&Cell>, ours: &Cell, theirs: &Cell) {
    let pick = |o: (&String, Option<chrono::DateTime<chrono::Utc>>),
                t: (&String, Option<chrono::DateTime<chrono::Utc>>),
                b: Option<(&String, Option<chrono::DateTime<chrono::Utc>>)>|
     -> bool {
        // true: take theirs
        if o == t {
            return false;
        }
        match b {
            Some(b) if b == o => true,
            Some(b) if b == t => false,
            _ => t.1 > o.1,
        }
    };
    if pick(
        (&ours.edited_by, ours.edited_at),
        (&theirs.edited_by, theirs.edited_at),
        base.map(|b| (&b.edited_by, b.edited_at)),
    ) {
        merged.edited_by = theirs.edited_by.clone();
        merged.edited_at = theirs.edited_at;
    }
    if merged.review == theirs.review
        && pick(
            (&ours.reviewed_by, ours.reviewed_at),
            (&theirs.reviewed_by, theirs.reviewed_at),
            base.map(|b| (&b.reviewed_by, b.reviewed_at)),
        )
    {
        merged.reviewed_by = theirs.reviewed_by.clone();
        merged.reviewed_at = theirs.reviewed_at;
    }
}

fn note_target_for(key: &ConflictKey) -> NoteTarget {
    match key {
        ConflictKey::Agreement(a) => NoteTarget::Agreement(a.clone()),
        ConflictKey::Element(e) => NoteTarget::Element(e.clone()),
        ConflictKey::Cell(a, e) => NoteTarget::Cell(a.clone(), e.clone()),
        _ => NoteTarget::Project,
    }
}

fn add_mark_notes(project: &mut Project, marks: Vec<Mark>) {
    let today = chrono::Local::now().date_naive();
    for (n, mark) in marks.into_iter().enumerate() {
        let target_exists = match &mark.target {
            NoteTarget::Project => true,
            NoteTarget::Agreement(a) => project.agreement(a).is_some(),
            NoteTarget::Element(e) => project.element(e).is_some(),
            NoteTarget::Cell(a, e) => {
                project.agreement(a).is_some() && project.element(e).is_some()
            }
        };
        let mut id = NoteId::new(format!("merge-conflict-{}", n + 1));
        let mut suffix = 1;
        while project.note(&id).is_some() {
            suffix += 1;
            id = NoteId::new(format!("merge-conflict-{}-{suffix}", n + 1));
        }
        project.notes.push(Note {
            id,
            target: if target_exists {
                mark.target
            } else {
                NoteTarget::Project
            },
            author: MERGE_AUTHOR.to_owned(),
            date: today,
            text: mark.text,
            kind: NoteKind::MergeConflict,
        });
    }
}

fn union_ids<K: Ord + Clone>(ids: impl Iterator<Item = K>) -> Vec<K> {
    let mut seen = BTreeSet::new();
    ids.filter(|id| seen.insert(id.clone())).collect()
}

/// Merged order of the ids in `keep`: the side that reordered the shared items gives the
/// skeleton (ours when both did), and items only one side has go after their predecessor there.
fn merge_order<K: Ord + Clone>(base: &[K], ours: &[K], theirs: &[K], keep: &BTreeSet<K>) -> Vec<K> {
    let in_all: BTreeSet<&K> = {
        let o: BTreeSet<&K> = ours.iter().collect();
        let t: BTreeSet<&K> = theirs.iter().collect();
        base.iter()
            .filter(|k| o.contains(k) && t.contains(k) && keep.contains(*k))
            .collect()
    };
    let shared = |list: &[K]| -> Vec<K> {
        list.iter()
            .filter(|k| in_all.contains(k))
            .cloned()
            .collect()
    };
    let ours_reordered = shared(ours) != shared(base);
    let (skeleton, other) = if ours_reordered {
        (ours, theirs)
    } else {
        (theirs, ours)
    };
    let mut order: Vec<K> = skeleton
        .iter()
        .filter(|k| keep.contains(*k))
        .cloned()
        .collect();
    let mut placed: BTreeSet<K> = order.iter().cloned().collect();
    for source in [other, skeleton] {
        for (i, k) in source.iter().enumerate() {
            if placed.contains(k) || !keep.contains(k) {
                continue;
            }
            let position = source[..i]
                .iter()
                .rev()
                .find_map(|p| order.iter().position(|o| o == p))
                .map_or(0, |p| p + 1);
            order.insert(position, k.clone());
            placed.insert(k.clone());
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &str) -> Vec<char> {
        list.chars().collect()
    }

    #[test]
    fn order_keeps_additions_next_to_their_neighbours() {
        let keep: BTreeSet<char> = "anbcx".chars().collect();
        let merged = merge_order(&ids("abc"), &ids("anbc"), &ids("abcx"), &keep);
        assert_eq!(merged, ids("anbcx"));
    }

    #[test]
    fn order_follows_the_side_that_reordered() {
        let keep: BTreeSet<char> = "abc".chars().collect();
        assert_eq!(
            merge_order(&ids("abc"), &ids("abc"), &ids("cab"), &keep),
            ids("cab")
        );
        assert_eq!(
            merge_order(&ids("abc"), &ids("bca"), &ids("abc"), &keep),
            ids("bca")
        );
    }
}
