//! Every change to a document is a [`Command`]. Applying one returns its inverse, which
//! [`History`] keeps for undo. Removing an agreement, element or framework also removes what
//! hangs off it (cells, notes, initiative links) and the inverse puts all of it back, so the
//! model never holds orphans and nothing is lost to undo.

use crate::model::{
    Agreement, AgreementId, Cell, Element, ElementId, ExcerptId, Framework, FrameworkId,
    Initiative, InitiativeId, Note, NoteId, NoteTarget, Project, ProvisionLink, SavedView, Source,
    SourceId, ViewId,
};
use chrono::NaiveDate;
use std::collections::HashSet;

/// One undoable change to a [`Project`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Replaces a whole cell (assessment, note, evidence, review, editor).
    SetCell {
        agreement: AgreementId,
        element: ElementId,
        cell: Cell,
    },
    SetProjectInfo {
        title: String,
        description: String,
        as_of: NaiveDate,
    },
    InsertAgreement {
        index: usize,
        agreement: Box<Agreement>,
        dependents: Box<Dependents>,
    },
    RemoveAgreement {
        id: AgreementId,
    },
    /// Replaces an agreement's metadata (names, year, provisions…), matched by id.
    UpdateAgreement {
        agreement: Box<Agreement>,
    },
    MoveAgreement {
        id: AgreementId,
        to: usize,
    },
    InsertFramework {
        index: usize,
        framework: Box<Framework>,
        dependents: Box<Dependents>,
    },
    RemoveFramework {
        id: FrameworkId,
    },
    UpdateFramework {
        id: FrameworkId,
        name: String,
        description: String,
    },
    MoveFramework {
        id: FrameworkId,
        to: usize,
    },
    InsertElement {
        framework: FrameworkId,
        index: usize,
        element: Element,
        dependents: Box<Dependents>,
    },
    RemoveElement {
        id: ElementId,
    },
    /// Replaces an element's label, name and definition, matched by id.
    UpdateElement {
        element: Element,
    },
    /// Moves an element within its framework.
    MoveElement {
        id: ElementId,
        to: usize,
    },
    InsertInitiative {
        index: usize,
        initiative: Box<Initiative>,
    },
    RemoveInitiative {
        id: InitiativeId,
    },
    UpdateInitiative {
        initiative: Box<Initiative>,
    },
    InsertNote {
        index: usize,
        note: Note,
    },
    RemoveNote {
        id: NoteId,
    },
    UpdateNote {
        note: Note,
    },
    /// Replaces the whole project, e.g. with the result of a merge; undo brings the old back.
    ReplaceProject {
        label: String,
        project: Box<Project>,
    },
    /// Several commands as one undo step; applied in order, undone in reverse.
    Batch {
        label: String,
        commands: Vec<Command>,
    },
    /// Saves a named view at `index` in `Project::views`.
    InsertView {
        index: usize,
        view: Box<SavedView>,
    },
    RemoveView {
        id: ViewId,
    },
    /// Replaces a view's filters, sort and frameworks (and name), matched by id.
    UpdateView {
        view: Box<SavedView>,
    },
    RenameView {
        id: ViewId,
        name: String,
    },
    /// Attaches a source text at `index` in `Project::sources`.
    InsertSource {
        index: usize,
        source: Box<Source>,
    },
    /// Detaches a source; refused while an excerpt quotes it.
    RemoveSource {
        id: SourceId,
    },
    /// Replaces a source (its details, or a new version of its text), matched by id.
    UpdateSource {
        source: Box<Source>,
    },
}

/// What hangs off an agreement or element: removed with it, restored by undo.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dependents {
    pub cells: Vec<(AgreementId, ElementId, Cell)>,
    /// Notes with their positions in `Project::notes`, ascending.
    pub notes: Vec<(usize, Note)>,
    /// Initiative `supports` links with their positions, ascending per initiative.
    pub supports: Vec<(InitiativeId, usize, ProvisionLink)>,
    /// Initiative `norms` links with their positions, ascending per initiative.
    pub norms: Vec<(InitiativeId, usize, ElementId)>,
    /// An agreement's sources with their positions in `Project::sources`, ascending.
    pub sources: Vec<(usize, Source)>,
}

/// Why a command could not be applied. The project is left unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("no {kind} with id `{id}`")]
    Unknown { kind: &'static str, id: String },
    #[error("a {kind} with id `{id}` already exists")]
    DuplicateId { kind: &'static str, id: String },
    #[error("position {index} is out of range (at most {max})")]
    OutOfRange { index: usize, max: usize },
    #[error(
        "source `{source_id}` is quoted by {}; remove them first",
        crate::model::text::counted(*excerpts, "excerpt", "excerpts")
    )]
    SourceInUse {
        source_id: SourceId,
        excerpts: usize,
    },
    #[error("provision `{provision}` of `{agreement}` is linked from initiative `{initiative}`")]
    ProvisionInUse {
        agreement: AgreementId,
        provision: String,
        initiative: InitiativeId,
    },
}

type Outcome = Result<Command, CommandError>;

fn unknown(kind: &'static str, id: &impl ToString) -> CommandError {
    CommandError::Unknown {
        kind,
        id: id.to_string(),
    }
}

fn check_index(index: usize, max: usize) -> Result<(), CommandError> {
    if index > max {
        Err(CommandError::OutOfRange { index, max })
    } else {
        Ok(())
    }
}

impl Command {
    /// Short description for the Undo/Redo menu.
    pub fn label(&self) -> String {
        match self {
            Self::SetCell { .. } => "Edit cell".to_owned(),
            Self::SetProjectInfo { .. } => "Edit project info".to_owned(),
            Self::InsertAgreement { agreement, .. } => {
                format!("Add agreement {}", agreement.short_name)
            }
            Self::RemoveAgreement { id } => format!("Remove agreement {id}"),
            Self::UpdateAgreement { agreement } => {
                format!("Edit agreement {}", agreement.short_name)
            }
            Self::MoveAgreement { .. } => "Move agreement".to_owned(),
            Self::InsertFramework { framework, .. } => format!("Add framework {}", framework.name),
            Self::RemoveFramework { id } => format!("Remove framework {id}"),
            Self::UpdateFramework { name, .. } => format!("Edit framework {name}"),
            Self::MoveFramework { .. } => "Move framework".to_owned(),
            Self::InsertElement { element, .. } => format!("Add element {}", element.name),
            Self::RemoveElement { id } => format!("Remove element {id}"),
            Self::UpdateElement { element } => format!("Edit element {}", element.name),
            Self::MoveElement { .. } => "Move element".to_owned(),
            Self::InsertInitiative { initiative, .. } => {
                format!("Add initiative {}", initiative.title)
            }
            Self::RemoveInitiative { .. } => "Remove initiative".to_owned(),
            Self::UpdateInitiative { initiative } => {
                format!("Edit initiative {}", initiative.title)
            }
            Self::InsertNote { .. } => "Add note".to_owned(),
            Self::RemoveNote { .. } => "Remove note".to_owned(),
            Self::UpdateNote { .. } => "Edit note".to_owned(),
            Self::ReplaceProject { label, .. } | Self::Batch { label, .. } => label.clone(),
            Self::InsertView { view, .. } => format!("Save view {}", view.name),
            Self::RemoveView { id } => format!("Delete view {id}"),
            Self::UpdateView { view } => format!("Update view {}", view.name),
            Self::RenameView { name, .. } => format!("Rename view to {name}"),
            Self::InsertSource { source, .. } => format!("Attach source {}", source.title),
            Self::RemoveSource { id } => format!("Remove source {id}"),
            Self::UpdateSource { source } => format!("Update source {}", source.title),
        }
    }

    /// The Undo/Redo label naming the change with the project's names as they are before it
    /// applies, e.g. "Paris Call / Reference to Human Rights → Yes".
    pub fn describe(&self, project: &Project) -> String {
        match self {
            Self::SetCell {
                agreement,
                element,
                cell,
            } => describe_set_cell(project, agreement, element, cell),
            other => other.label(),
        }
    }

    /// Applies the command and returns its inverse. On error nothing changed.
    pub fn apply(&self, project: &mut Project) -> Outcome {
        match self {
            Self::SetCell {
                agreement,
                element,
                cell,
            } => set_cell(project, agreement, element, cell),
            Self::SetProjectInfo {
                title,
                description,
                as_of,
            } => {
                let inverse = Self::SetProjectInfo {
                    title: std::mem::replace(&mut project.title, title.clone()),
                    description: std::mem::replace(&mut project.description, description.clone()),
                    as_of: std::mem::replace(&mut project.as_of, *as_of),
                };
                Ok(inverse)
            }
            Self::InsertAgreement {
                index,
                agreement,
                dependents,
            } => insert_agreement(project, *index, agreement, dependents),
            Self::RemoveAgreement { id } => remove_agreement(project, id),
            Self::UpdateAgreement { agreement } => update_agreement(project, agreement),
            Self::MoveAgreement { id, to } => {
                let from = project
                    .agreement_index(id)
                    .ok_or_else(|| unknown("agreement", id))?;
                move_item(&mut project.agreements, from, *to)?;
                Ok(Self::MoveAgreement {
                    id: id.clone(),
                    to: from,
                })
            }
            Self::InsertFramework {
                index,
                framework,
                dependents,
            } => insert_framework(project, *index, framework, dependents),
            Self::RemoveFramework { id } => remove_framework(project, id),
            Self::UpdateFramework {
                id,
                name,
                description,
            } => {
                let index = project
                    .framework_index(id)
                    .ok_or_else(|| unknown("framework", id))?;
                let framework = &mut project.frameworks[index];
                Ok(Self::UpdateFramework {
                    id: id.clone(),
                    name: std::mem::replace(&mut framework.name, name.clone()),
                    description: std::mem::replace(&mut framework.description, description.clone()),
                })
            }
            Self::MoveFramework { id, to } => {
                let from = project
                    .framework_index(id)
                    .ok_or_else(|| unknown("framework", id))?;
                move_item(&mut project.frameworks, from, *to)?;
                Ok(Self::MoveFramework {
                    id: id.clone(),
                    to: from,
                })
            }
            Self::InsertElement {
                framework,
                index,
                element,
                dependents,
            } => insert_element(project, framework, *index, element, dependents),
            Self::RemoveElement { id } => remove_element(project, id),
            Self::UpdateElement { element } => {
                let (fi, ei) = project
                    .element_position(&element.id)
                    .ok_or_else(|| unknown("element", &element.id))?;
                let old =
                    std::mem::replace(&mut project.frameworks[fi].elements[ei], element.clone());
                Ok(Self::UpdateElement { element: old })
            }
            Self::MoveElement { id, to } => {
                let (fi, from) = project
                    .element_position(id)
                    .ok_or_else(|| unknown("element", id))?;
                move_item(&mut project.frameworks[fi].elements, from, *to)?;
                Ok(Self::MoveElement {
                    id: id.clone(),
                    to: from,
                })
            }
            Self::InsertInitiative { index, initiative } => {
                check_index(*index, project.initiatives.len())?;
                if project.initiative(&initiative.id).is_some() {
                    return Err(CommandError::DuplicateId {
                        kind: "initiative",
                        id: initiative.id.to_string(),
                    });
                }
                check_initiative_links(project, initiative)?;
                project.initiatives.insert(*index, (**initiative).clone());
                Ok(Self::RemoveInitiative {
                    id: initiative.id.clone(),
                })
            }
            Self::RemoveInitiative { id } => {
                let index = project
                    .initiatives
                    .iter()
                    .position(|i| &i.id == id)
                    .ok_or_else(|| unknown("initiative", id))?;
                let initiative = project.initiatives.remove(index);
                Ok(Self::InsertInitiative {
                    index,
                    initiative: Box::new(initiative),
                })
            }
            Self::UpdateInitiative { initiative } => {
                let index = project
                    .initiatives
                    .iter()
                    .position(|i| i.id == initiative.id)
                    .ok_or_else(|| unknown("initiative", &initiative.id))?;
                check_initiative_links(project, initiative)?;
                let old =
                    std::mem::replace(&mut project.initiatives[index], (**initiative).clone());
                Ok(Self::UpdateInitiative {
                    initiative: Box::new(old),
                })
            }
            Self::InsertNote { index, note } => {
                check_index(*index, project.notes.len())?;
                if project.note(&note.id).is_some() {
                    return Err(CommandError::DuplicateId {
                        kind: "note",
                        id: note.id.to_string(),
                    });
                }
                check_note_target(project, &note.target)?;
                project.notes.insert(*index, note.clone());
                Ok(Self::RemoveNote {
                    id: note.id.clone(),
                })
            }
            Self::RemoveNote { id } => {
                let index = project
                    .notes
                    .iter()
                    .position(|n| &n.id == id)
                    .ok_or_else(|| unknown("note", id))?;
                let note = project.notes.remove(index);
                Ok(Self::InsertNote { index, note })
            }
            Self::UpdateNote { note } => {
                let index = project
                    .notes
                    .iter()
                    .position(|n| n.id == note.id)
                    .ok_or_else(|| unknown("note", &note.id))?;
                check_note_target(project, &note.target)?;
                let old = std::mem::replace(&mut project.notes[index], note.clone());
                Ok(Self::UpdateNote { note: old })
            }
            Self::ReplaceProject {
                label,
                project: new,
            } => {
                let old = std::mem::replace(project, (**new).clone());
                Ok(Self::ReplaceProject {
                    label: label.clone(),
                    project: Box::new(old),
                })
            }
            Self::Batch { label, commands } => {
                let mut inverses = Vec::with_capacity(commands.len());
                for command in commands {
                    match command.apply(project) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(error) => {
                            // Roll back so a failed batch changes nothing.
                            for inverse in inverses.iter().rev() {
                                let _ = inverse.apply(project);
                            }
                            return Err(error);
                        }
                    }
                }
                inverses.reverse();
                Ok(Self::Batch {
                    label: label.clone(),
                    commands: inverses,
                })
            }
            Self::InsertView { index, view } => insert_view(project, *index, view),
            Self::RemoveView { id } => {
                let index = view_index(project, id)?;
                let view = project.views.remove(index);
                Ok(Self::InsertView {
                    index,
                    view: Box::new(view),
                })
            }
            Self::UpdateView { view } => {
                let index = view_index(project, &view.id)?;
                let old = std::mem::replace(&mut project.views[index], (**view).clone());
                Ok(Self::UpdateView {
                    view: Box::new(old),
                })
            }
            Self::RenameView { id, name } => {
                let index = view_index(project, id)?;
                let old = std::mem::replace(&mut project.views[index].name, name.clone());
                Ok(Self::RenameView {
                    id: id.clone(),
                    name: old,
                })
            }
            Self::InsertSource { index, source } => insert_source(project, *index, source),
            Self::RemoveSource { id } => remove_source(project, id),
            Self::UpdateSource { source } => {
                let index = source_index(project, &source.id)?;
                if let Some(agreement) = &source.agreement
                    && project.agreement(agreement).is_none()
                {
                    return Err(unknown("agreement", agreement));
                }
                let old = std::mem::replace(&mut project.sources[index], (**source).clone());
                Ok(Self::UpdateSource {
                    source: Box::new(old),
                })
            }
        }
    }
}

fn source_index(project: &Project, id: &SourceId) -> Result<usize, CommandError> {
    project
        .sources
        .iter()
        .position(|s| &s.id == id)
        .ok_or_else(|| unknown("source", id))
}

fn insert_source(project: &mut Project, index: usize, source: &Source) -> Outcome {
    check_index(index, project.sources.len())?;
    if project.source(&source.id).is_some() {
        return Err(CommandError::DuplicateId {
            kind: "source",
            id: source.id.to_string(),
        });
    }
    if let Some(agreement) = &source.agreement
        && project.agreement(agreement).is_none()
    {
        return Err(unknown("agreement", agreement));
    }
    project.sources.insert(index, source.clone());
    Ok(Command::RemoveSource {
        id: source.id.clone(),
    })
}

fn remove_source(project: &mut Project, id: &SourceId) -> Outcome {
    let index = source_index(project, id)?;
    let excerpts = project
        .cells
        .iter()
        .flat_map(|(_, _, cell)| &cell.evidence)
        .filter(|excerpt| excerpt.source.as_ref() == Some(id))
        .count();
    if excerpts > 0 {
        return Err(CommandError::SourceInUse {
            source_id: id.clone(),
            excerpts,
        });
    }
    let source = project.sources.remove(index);
    Ok(Command::InsertSource {
        index,
        source: Box::new(source),
    })
}

/// "Agreement / Element → Yes" when the assessment changes, else which part of the cell did.
fn describe_set_cell(
    project: &Project,
    agreement: &AgreementId,
    element: &ElementId,
    new: &Cell,
) -> String {
    let place = project.cell_label(agreement, element);
    let old = project.cell(agreement, element);
    if old.assessment != new.assessment {
        format!("{place} → {}", new.assessment.label())
    } else if old.review != new.review {
        format!("{place}: {}", new.review.label())
    } else if old.note != new.note {
        format!("{place}: note")
    } else if old.evidence.len() < new.evidence.len() {
        format!("{place}: add evidence")
    } else if old.evidence.len() > new.evidence.len() {
        format!("{place}: remove evidence")
    } else if old.evidence != new.evidence {
        format!("{place}: evidence")
    } else {
        format!("{place}: edit cell")
    }
}

fn set_cell(
    project: &mut Project,
    agreement: &AgreementId,
    element: &ElementId,
    cell: &Cell,
) -> Outcome {
    if project.agreement(agreement).is_none() {
        return Err(unknown("agreement", agreement));
    }
    if project.element(element).is_none() {
        return Err(unknown("element", element));
    }
    let old = project.cells.set(agreement, element, cell.clone());
    Ok(Command::SetCell {
        agreement: agreement.clone(),
        element: element.clone(),
        cell: old,
    })
}

fn view_index(project: &Project, id: &ViewId) -> Result<usize, CommandError> {
    project
        .views
        .iter()
        .position(|v| &v.id == id)
        .ok_or_else(|| unknown("view", id))
}

fn insert_view(project: &mut Project, index: usize, view: &SavedView) -> Outcome {
    check_index(index, project.views.len())?;
    if project.view(&view.id).is_some() {
        return Err(CommandError::DuplicateId {
            kind: "view",
            id: view.id.to_string(),
        });
    }
    project.views.insert(index, view.clone());
    Ok(Command::RemoveView {
        id: view.id.clone(),
    })
}

fn move_item<T>(items: &mut Vec<T>, from: usize, to: usize) -> Result<(), CommandError> {
    if to >= items.len() {
        return Err(CommandError::OutOfRange {
            index: to,
            max: items.len().saturating_sub(1),
        });
    }
    let item = items.remove(from);
    items.insert(to, item);
    Ok(())
}

fn insert_agreement(
    project: &mut Project,
    index: usize,
    agreement: &Agreement,
    dependents: &Dependents,
) -> Outcome {
    check_index(index, project.agreements.len())?;
    if project.agreement(&agreement.id).is_some() {
        return Err(CommandError::DuplicateId {
            kind: "agreement",
            id: agreement.id.to_string(),
        });
    }
    project.agreements.insert(index, agreement.clone());
    if let Err(error) = check_dependents(project, dependents) {
        project.agreements.remove(index);
        return Err(error);
    }
    restore_dependents(project, dependents);
    Ok(Command::RemoveAgreement {
        id: agreement.id.clone(),
    })
}

fn remove_agreement(project: &mut Project, id: &AgreementId) -> Outcome {
    let index = project
        .agreement_index(id)
        .ok_or_else(|| unknown("agreement", id))?;
    let agreements = HashSet::from([id.clone()]);
    let dependents = take_dependents(project, &agreements, &HashSet::new());
    let agreement = project.agreements.remove(index);
    Ok(Command::InsertAgreement {
        index,
        agreement: Box::new(agreement),
        dependents: Box::new(dependents),
    })
}

fn update_agreement(project: &mut Project, agreement: &Agreement) -> Outcome {
    let index = project
        .agreement_index(&agreement.id)
        .ok_or_else(|| unknown("agreement", &agreement.id))?;
    for initiative in &project.initiatives {
        for link in &initiative.supports {
            if link.agreement == agreement.id
                && let Some(provision) = &link.provision
                && agreement.provision(provision).is_none()
            {
                return Err(CommandError::ProvisionInUse {
                    agreement: agreement.id.clone(),
                    provision: provision.to_string(),
                    initiative: initiative.id.clone(),
                });
            }
        }
    }
    let old = std::mem::replace(&mut project.agreements[index], agreement.clone());
    Ok(Command::UpdateAgreement {
        agreement: Box::new(old),
    })
}

fn insert_framework(
    project: &mut Project,
    index: usize,
    framework: &Framework,
    dependents: &Dependents,
) -> Outcome {
    check_index(index, project.frameworks.len())?;
    if project.framework(&framework.id).is_some() {
        return Err(CommandError::DuplicateId {
            kind: "framework",
            id: framework.id.to_string(),
        });
    }
    let mut new_ids = HashSet::new();
    for element in &framework.elements {
        if project.element(&element.id).is_some() || !new_ids.insert(&element.id) {
            return Err(CommandError::DuplicateId {
                kind: "element",
                id: element.id.to_string(),
            });
        }
    }
    project.frameworks.insert(index, framework.clone());
    if let Err(error) = check_dependents(project, dependents) {
        project.frameworks.remove(index);
        return Err(error);
    }
    restore_dependents(project, dependents);
    Ok(Command::RemoveFramework {
        id: framework.id.clone(),
    })
}

fn remove_framework(project: &mut Project, id: &FrameworkId) -> Outcome {
    let index = project
        .framework_index(id)
        .ok_or_else(|| unknown("framework", id))?;
    let elements: HashSet<ElementId> = project.frameworks[index]
        .elements
        .iter()
        .map(|e| e.id.clone())
        .collect();
    let dependents = take_dependents(project, &HashSet::new(), &elements);
    let framework = project.frameworks.remove(index);
    Ok(Command::InsertFramework {
        index,
        framework: Box::new(framework),
        dependents: Box::new(dependents),
    })
}

fn insert_element(
    project: &mut Project,
    framework: &FrameworkId,
    index: usize,
    element: &Element,
    dependents: &Dependents,
) -> Outcome {
    let fi = project
        .framework_index(framework)
        .ok_or_else(|| unknown("framework", framework))?;
    check_index(index, project.frameworks[fi].elements.len())?;
    if project.element(&element.id).is_some() {
        return Err(CommandError::DuplicateId {
            kind: "element",
            id: element.id.to_string(),
        });
    }
    project.frameworks[fi]
        .elements
        .insert(index, element.clone());
    if let Err(error) = check_dependents(project, dependents) {
        project.frameworks[fi].elements.remove(index);
        return Err(error);
    }
    restore_dependents(project, dependents);
    Ok(Command::RemoveElement {
        id: element.id.clone(),
    })
}

fn remove_element(project: &mut Project, id: &ElementId) -> Outcome {
    let (fi, ei) = project
        .element_position(id)
        .ok_or_else(|| unknown("element", id))?;
    let dependents = take_dependents(project, &HashSet::new(), &HashSet::from([id.clone()]));
    let element = project.frameworks[fi].elements.remove(ei);
    Ok(Command::InsertElement {
        framework: project.frameworks[fi].id.clone(),
        index: ei,
        element,
        dependents: Box::new(dependents),
    })
}

/// Removes and returns everything that refers to the given agreements or elements.
fn take_dependents(
    project: &mut Project,
    agreements: &HashSet<AgreementId>,
    elements: &HashSet<ElementId>,
) -> Dependents {
    let mut taken = Dependents::default();
    for agreement in agreements {
        for (element, cell) in project.cells.take_row(agreement) {
            taken.cells.push((agreement.clone(), element, cell));
        }
    }
    for element in elements {
        for (agreement, cell) in project.cells.take_column(element) {
            taken.cells.push((agreement, element.clone(), cell));
        }
    }
    let concerns = |target: &NoteTarget| {
        agreements.iter().any(|a| target.concerns_agreement(a))
            || elements.iter().any(|e| target.concerns_element(e))
    };
    let mut kept_notes = Vec::with_capacity(project.notes.len());
    for (index, note) in std::mem::take(&mut project.notes).into_iter().enumerate() {
        if concerns(&note.target) {
            taken.notes.push((index, note));
        } else {
            kept_notes.push(note);
        }
    }
    project.notes = kept_notes;
    for initiative in &mut project.initiatives {
        let mut kept = Vec::with_capacity(initiative.supports.len());
        for (index, link) in std::mem::take(&mut initiative.supports)
            .into_iter()
            .enumerate()
        {
            if agreements.contains(&link.agreement) {
                taken.supports.push((initiative.id.clone(), index, link));
            } else {
                kept.push(link);
            }
        }
        initiative.supports = kept;
        let mut kept = Vec::with_capacity(initiative.norms.len());
        for (index, norm) in std::mem::take(&mut initiative.norms)
            .into_iter()
            .enumerate()
        {
            if elements.contains(&norm) {
                taken.norms.push((initiative.id.clone(), index, norm));
            } else {
                kept.push(norm);
            }
        }
        initiative.norms = kept;
    }
    let mut kept_sources = Vec::with_capacity(project.sources.len());
    for (index, source) in std::mem::take(&mut project.sources).into_iter().enumerate() {
        if source
            .agreement
            .as_ref()
            .is_some_and(|a| agreements.contains(a))
        {
            taken.sources.push((index, source));
        } else {
            kept_sources.push(source);
        }
    }
    project.sources = kept_sources;
    taken
}

/// Checks that restoring `dependents` would not create orphans or dangling links.
fn check_dependents(project: &Project, dependents: &Dependents) -> Result<(), CommandError> {
    for (agreement, element, _) in &dependents.cells {
        if project.agreement(agreement).is_none() {
            return Err(unknown("agreement", agreement));
        }
        if project.element(element).is_none() {
            return Err(unknown("element", element));
        }
    }
    for (index, note) in &dependents.notes {
        check_index(*index, project.notes.len() + dependents.notes.len())?;
        if project.note(&note.id).is_some() {
            return Err(CommandError::DuplicateId {
                kind: "note",
                id: note.id.to_string(),
            });
        }
    }
    for (initiative, _, _) in &dependents.supports {
        if project.initiative(initiative).is_none() {
            return Err(unknown("initiative", initiative));
        }
    }
    for (initiative, _, _) in &dependents.norms {
        if project.initiative(initiative).is_none() {
            return Err(unknown("initiative", initiative));
        }
    }
    for (index, source) in &dependents.sources {
        check_index(*index, project.sources.len() + dependents.sources.len())?;
        if project.source(&source.id).is_some() {
            return Err(CommandError::DuplicateId {
                kind: "source",
                id: source.id.to_string(),
            });
        }
    }
    Ok(())
}

fn restore_dependents(project: &mut Project, dependents: &Dependents) {
    for (index, source) in &dependents.sources {
        let index = (*index).min(project.sources.len());
        project.sources.insert(index, source.clone());
    }
    for (agreement, element, cell) in &dependents.cells {
        project.cells.set(agreement, element, cell.clone());
    }
    for (index, note) in &dependents.notes {
        let index = (*index).min(project.notes.len());
        project.notes.insert(index, note.clone());
    }
    for (initiative_id, index, link) in &dependents.supports {
        if let Some(initiative) = project
            .initiatives
            .iter_mut()
            .find(|i| &i.id == initiative_id)
        {
            let index = (*index).min(initiative.supports.len());
            initiative.supports.insert(index, link.clone());
        }
    }
    for (initiative_id, index, norm) in &dependents.norms {
        if let Some(initiative) = project
            .initiatives
            .iter_mut()
            .find(|i| &i.id == initiative_id)
        {
            let index = (*index).min(initiative.norms.len());
            initiative.norms.insert(index, norm.clone());
        }
    }
}

fn check_initiative_links(project: &Project, initiative: &Initiative) -> Result<(), CommandError> {
    for link in &initiative.supports {
        let agreement = project
            .agreement(&link.agreement)
            .ok_or_else(|| unknown("agreement", &link.agreement))?;
        if let Some(provision) = &link.provision
            && agreement.provision(provision).is_none()
        {
            return Err(unknown("provision", provision));
        }
    }
    for norm in &initiative.norms {
        if project.element(norm).is_none() {
            return Err(unknown("element", norm));
        }
    }
    Ok(())
}

fn check_note_target(project: &Project, target: &NoteTarget) -> Result<(), CommandError> {
    let (agreement, element) = match target {
        NoteTarget::Project => (None, None),
        NoteTarget::Agreement(a) => (Some(a), None),
        NoteTarget::Element(e) => (None, Some(e)),
        NoteTarget::Cell(a, e) => (Some(a), Some(e)),
    };
    if let Some(a) = agreement
        && project.agreement(a).is_none()
    {
        return Err(unknown("agreement", a));
    }
    if let Some(e) = element
        && project.element(e).is_none()
    {
        return Err(unknown("element", e));
    }
    Ok(())
}

/// The field being typed into. Consecutive edits with the same key make one undo step, so a
/// sentence typed into a note is undone at once, not a letter at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypingKey {
    /// A cell's note, or a quote's text, locator or comment.
    Cell(AgreementId, ElementId, CellField),
    /// One of an agreement's details, named by the field's stable name ("name", "year", …).
    Agreement(AgreementId, &'static str),
    /// One of an element's fields ("name", "definition", …).
    Element(ElementId, &'static str),
    /// One of an initiative's fields ("title", "url", …).
    Initiative(InitiativeId, &'static str),
    /// One of the project's fields ("title", "description", "as_of").
    ProjectInfo(&'static str),
}

/// The typed text fields of a cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CellField {
    Note,
    /// The text of a quote typed by hand (a sourced quote is the source's own words).
    Quote(ExcerptId),
    Locator(ExcerptId),
    Comment(ExcerptId),
}

/// One applied change: what redoes it and what undoes it.
#[derive(Clone, Debug)]
struct Entry {
    label: String,
    redo: Command,
    undo: Command,
    /// Identifies the document state this entry leads to, for the unsaved-changes marker.
    state: u64,
    /// Set while the entry may still absorb further typing in the same field.
    coalesce_key: Option<TypingKey>,
}

/// Undo/redo stacks over a project.
#[derive(Clone, Debug, Default)]
pub struct History {
    done: Vec<Entry>,
    undone: Vec<Entry>,
    next_state: u64,
    saved_state: u64,
}

impl History {
    /// Applies `command` to `project` and records it for undo. Clears the redo stack.
    pub fn apply(&mut self, project: &mut Project, command: Command) -> Result<(), CommandError> {
        // Named before applying, so a removal can still name what it removes.
        let label = command.describe(project);
        let undo = command.apply(project)?;
        self.next_state += 1;
        self.done.push(Entry {
            label,
            redo: command,
            undo,
            state: self.next_state,
            coalesce_key: None,
        });
        self.undone.clear();
        Ok(())
    }

    /// Like [`History::apply`], but typing into one field makes one undo step, not one per key:
    /// when the last entry has the same `key` and nothing was undone since, it is extended.
    pub fn apply_coalescing(
        &mut self,
        project: &mut Project,
        command: Command,
        key: TypingKey,
    ) -> Result<(), CommandError> {
        let extend = self.undone.is_empty()
            && self
                .done
                .last()
                .is_some_and(|e| e.coalesce_key.as_ref() == Some(&key));
        if !extend {
            self.apply(project, command)?;
            if let Some(entry) = self.done.last_mut() {
                entry.coalesce_key = Some(key);
            }
            return Ok(());
        }
        command.apply(project)?;
        self.next_state += 1;
        if let Some(entry) = self.done.last_mut() {
            entry.redo = command;
            entry.state = self.next_state;
        }
        Ok(())
    }

    /// Ends coalescing, so the next edit of the same field starts a new undo step.
    pub fn break_coalescing(&mut self) {
        if let Some(entry) = self.done.last_mut() {
            entry.coalesce_key = None;
        }
    }

    /// Undoes the last change; returns its label, or `None` when there is nothing to undo.
    pub fn undo(&mut self, project: &mut Project) -> Result<Option<String>, CommandError> {
        let Some(mut entry) = self.done.pop() else {
            return Ok(None);
        };
        entry.coalesce_key = None;
        match entry.undo.apply(project) {
            Ok(redo) => {
                entry.redo = redo;
                let label = entry.label.clone();
                self.undone.push(entry);
                Ok(Some(label))
            }
            Err(error) => {
                self.done.push(entry);
                Err(error)
            }
        }
    }

    /// Redoes the last undone change; returns its label, or `None` when there is nothing to redo.
    pub fn redo(&mut self, project: &mut Project) -> Result<Option<String>, CommandError> {
        let Some(mut entry) = self.undone.pop() else {
            return Ok(None);
        };
        match entry.redo.apply(project) {
            Ok(undo) => {
                entry.undo = undo;
                let label = entry.label.clone();
                self.done.push(entry);
                Ok(Some(label))
            }
            Err(error) => {
                self.undone.push(entry);
                Err(error)
            }
        }
    }

    /// Label of the change Undo would revert.
    pub fn undo_label(&self) -> Option<&str> {
        self.done.last().map(|e| e.label.as_str())
    }

    /// How many changes Undo can take back.
    pub fn undo_depth(&self) -> usize {
        self.done.len()
    }

    /// Drops the changes Redo would reapply (a mode switch starts a new line of work).
    pub fn forget_redo(&mut self) {
        self.undone.clear();
    }

    /// Label of the change Redo would reapply.
    pub fn redo_label(&self) -> Option<&str> {
        self.undone.last().map(|e| e.label.as_str())
    }

    /// Records that the current state is what is on disk.
    pub fn mark_saved(&mut self) {
        self.saved_state = self.current_state();
    }

    /// Marks the document as differing from any file, e.g. after restoring a recovery copy.
    pub fn mark_unsaved(&mut self) {
        self.saved_state = u64::MAX;
    }

    /// Identifies the current document state; it changes with every edit, undo and redo.
    pub fn state(&self) -> u64 {
        self.current_state()
    }

    /// True when the document differs from what was last saved or loaded.
    pub fn has_unsaved_changes(&self) -> bool {
        self.current_state() != self.saved_state
    }

    fn current_state(&self) -> u64 {
        self.done.last().map_or(0, |e| e.state)
    }
}
