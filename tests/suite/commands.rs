//! Commands and undo: every edit can be undone exactly, and removals never leave orphans.

use normgrid::commands::{Command, CommandError, History};
use normgrid::model::validate::problems;
use normgrid::model::{
    Agreement, AgreementId, Assessment, Cell, Element, ElementId, Framework, FrameworkId,
    Initiative, InitiativeId, Note, NoteId, NoteKind, NoteTarget, Project, ProvisionId,
    ProvisionLink, ReviewStatus,
};
use normgrid::sample;
use proptest::prelude::*;

fn sample_project() -> Project {
    sample::bpf_2019().unwrap().project
}

#[test]
fn set_assessment_then_undo_and_redo() {
    let mut project = sample_project();
    let original = project.clone();
    let mut history = History::default();
    let (a, e) = (AgreementId::new("manrs"), ElementId::new("ke-cbms"));
    let mut cell = project.cell(&a, &e);
    cell.assessment = Assessment::Yes;
    cell.stamp("Ana", chrono::Utc::now());
    history
        .apply(
            &mut project,
            Command::SetCell {
                agreement: a.clone(),
                element: e.clone(),
                cell,
            },
        )
        .unwrap();
    assert_eq!(project.assessment(&a, &e), Assessment::Yes);
    assert!(history.has_unsaved_changes());
    // The label names the cell and the new value, with the names the project had then.
    let expected = format!(
        "{} / {} → Yes",
        original.agreement(&a).unwrap().short_name,
        original.element(&e).unwrap().1.display_name()
    );
    assert_eq!(
        history.undo(&mut project).unwrap().as_deref(),
        Some(expected.as_str())
    );
    assert_eq!(project, original);
    assert!(!history.has_unsaved_changes());
    history.redo(&mut project).unwrap();
    assert_eq!(project.assessment(&a, &e), Assessment::Yes);
    assert_eq!(project.cell(&a, &e).edited_by, "Ana");
}

#[test]
fn removing_an_agreement_takes_its_cells_notes_and_links_and_undo_restores_them() {
    let mut project = sample_project();
    let original = project.clone();
    let mut history = History::default();
    let paris = AgreementId::new("paris-call");
    history
        .apply(&mut project, Command::RemoveAgreement { id: paris.clone() })
        .unwrap();
    assert!(project.agreement(&paris).is_none());
    assert!(project.cells.row(&paris).is_none());
    assert!(
        project
            .notes
            .iter()
            .all(|n| !n.target.concerns_agreement(&paris))
    );
    assert!(
        project
            .initiatives
            .iter()
            .all(|i| i.supports.iter().all(|l| l.agreement != paris))
    );
    assert!(problems(&project).is_empty(), "{:?}", problems(&project));
    history.undo(&mut project).unwrap();
    assert_eq!(project, original);
}

#[test]
fn removing_a_framework_takes_its_columns_and_norm_links() {
    let mut project = sample_project();
    let original = project.clone();
    let norms = FrameworkId::new("ungge2015-norms");
    let mut history = History::default();
    history
        .apply(&mut project, Command::RemoveFramework { id: norms })
        .unwrap();
    assert_eq!(project.elements().count(), 10);
    assert!(project.initiatives.iter().all(|i| i.norms.is_empty()));
    assert!(problems(&project).is_empty());
    history.undo(&mut project).unwrap();
    assert_eq!(project, original);
}

#[test]
fn removing_a_linked_provision_is_refused() {
    let mut project = sample_project();
    let before = project.clone();
    let mut paris = project
        .agreement(&AgreementId::new("paris-call"))
        .unwrap()
        .clone();
    paris.provisions.retain(|p| p.id.as_str() != "principle-1");
    let error = Command::UpdateAgreement {
        agreement: Box::new(paris),
    }
    .apply(&mut project)
    .unwrap_err();
    assert!(
        matches!(error, CommandError::ProvisionInUse { .. }),
        "{error}"
    );
    assert_eq!(project, before);
}

#[test]
fn a_failing_batch_changes_nothing() {
    let mut project = sample_project();
    let before = project.clone();
    let batch = Command::Batch {
        label: "Import".to_owned(),
        commands: vec![
            Command::SetCell {
                agreement: AgreementId::new("manrs"),
                element: ElementId::new("ke-cbms"),
                cell: Cell::with_assessment(Assessment::Yes),
            },
            Command::SetCell {
                agreement: AgreementId::new("nope"),
                element: ElementId::new("ke-cbms"),
                cell: Cell::with_assessment(Assessment::Yes),
            },
        ],
    };
    assert!(batch.apply(&mut project).is_err());
    assert_eq!(project, before);
}

#[test]
fn cells_cannot_be_set_for_unknown_rows_or_columns() {
    let mut project = sample_project();
    let error = Command::SetCell {
        agreement: AgreementId::new("paris-call"),
        element: ElementId::new("no-such-element"),
        cell: Cell::with_assessment(Assessment::No),
    }
    .apply(&mut project)
    .unwrap_err();
    assert_eq!(error.to_string(), "no element with id `no-such-element`");
}

/// A command chosen by index into the current project's contents, so it is usually valid.
#[derive(Clone, Debug)]
enum Action {
    SetAssessment(usize, usize, usize),
    SetNote(usize, usize, String),
    SetReview(usize, usize, usize),
    AddAgreement(usize, String),
    RenameAgreement(usize, String),
    MoveAgreement(usize, usize),
    RemoveAgreement(usize),
    AddElement(usize, usize, String),
    RenameElement(usize, String),
    MoveElement(usize, usize),
    RemoveElement(usize),
    AddFramework(usize, String),
    RenameFramework(usize, String),
    MoveFramework(usize, usize),
    RemoveFramework(usize),
    AddNote(usize, String),
    EditNote(usize, String),
    RemoveNote(usize),
    AddInitiative(usize, usize, String),
    EditInitiative(usize, usize),
    RemoveInitiative(usize),
    EditProjectInfo(String),
}

fn action() -> impl Strategy<Value = Action> {
    let n = 0usize..64;
    let text = "[a-zA-Z ]{0,12}";
    prop_oneof![
        (n.clone(), n.clone(), 0usize..4).prop_map(|(a, e, v)| Action::SetAssessment(a, e, v)),
        (n.clone(), n.clone(), text).prop_map(|(a, e, t)| Action::SetNote(a, e, t)),
        (n.clone(), n.clone(), 0usize..4).prop_map(|(a, e, v)| Action::SetReview(a, e, v)),
        (n.clone(), text).prop_map(|(i, t)| Action::AddAgreement(i, t)),
        (n.clone(), text).prop_map(|(i, t)| Action::RenameAgreement(i, t)),
        (n.clone(), n.clone()).prop_map(|(i, j)| Action::MoveAgreement(i, j)),
        n.clone().prop_map(Action::RemoveAgreement),
        (n.clone(), n.clone(), text).prop_map(|(f, i, t)| Action::AddElement(f, i, t)),
        (n.clone(), text).prop_map(|(i, t)| Action::RenameElement(i, t)),
        (n.clone(), n.clone()).prop_map(|(i, j)| Action::MoveElement(i, j)),
        n.clone().prop_map(Action::RemoveElement),
        (n.clone(), text).prop_map(|(i, t)| Action::AddFramework(i, t)),
        (n.clone(), text).prop_map(|(i, t)| Action::RenameFramework(i, t)),
        (n.clone(), n.clone()).prop_map(|(i, j)| Action::MoveFramework(i, j)),
        n.clone().prop_map(Action::RemoveFramework),
        (n.clone(), text).prop_map(|(i, t)| Action::AddNote(i, t)),
        (n.clone(), text).prop_map(|(i, t)| Action::EditNote(i, t)),
        n.clone().prop_map(Action::RemoveNote),
        (n.clone(), n.clone(), text).prop_map(|(i, a, t)| Action::AddInitiative(i, a, t)),
        (n.clone(), n.clone()).prop_map(|(i, a)| Action::EditInitiative(i, a)),
        n.clone().prop_map(Action::RemoveInitiative),
        text.prop_map(Action::EditProjectInfo),
    ]
}

fn pick<T>(items: &[T], index: usize) -> Option<&T> {
    if items.is_empty() {
        None
    } else {
        items.get(index % items.len())
    }
}

fn command_for(project: &Project, action: &Action, serial: usize) -> Option<Command> {
    let elements: Vec<ElementId> = project.elements().map(|(_, e)| e.id.clone()).collect();
    let agreement = |i: usize| pick(&project.agreements, i).map(|a| a.id.clone());
    let element = |i: usize| pick(&elements, i).cloned();
    let cell_command = |a: usize, e: usize, change: &dyn Fn(&mut Cell)| {
        let (agreement, element) = (agreement(a)?, element(e)?);
        let mut cell = project.cell(&agreement, &element);
        change(&mut cell);
        Some(Command::SetCell {
            agreement,
            element,
            cell,
        })
    };
    Some(match action {
        Action::SetAssessment(a, e, v) => {
            cell_command(*a, *e, &|c| c.assessment = Assessment::ALL[*v])?
        }
        Action::SetNote(a, e, t) => cell_command(*a, *e, &|c| c.note.clone_from(t))?,
        Action::SetReview(a, e, v) => cell_command(*a, *e, &|c| c.review = ReviewStatus::ALL[*v])?,
        Action::AddAgreement(i, name) => Command::InsertAgreement {
            index: i % (project.agreements.len() + 1),
            agreement: Box::new(Agreement::new(
                AgreementId::new(format!("new-agreement-{serial}")),
                name.clone(),
                name.clone(),
            )),
            dependents: Box::default(),
        },
        Action::RenameAgreement(i, name) => {
            let mut agreement = pick(&project.agreements, *i)?.clone();
            agreement.short_name.clone_from(name);
            Command::UpdateAgreement {
                agreement: Box::new(agreement),
            }
        }
        Action::MoveAgreement(i, j) => Command::MoveAgreement {
            id: agreement(*i)?,
            to: j % project.agreements.len().max(1),
        },
        Action::RemoveAgreement(i) => Command::RemoveAgreement { id: agreement(*i)? },
        Action::AddElement(f, i, name) => {
            let framework = pick(&project.frameworks, *f)?;
            Command::InsertElement {
                framework: framework.id.clone(),
                index: i % (framework.elements.len() + 1),
                element: Element {
                    id: ElementId::new(format!("new-element-{serial}")),
                    label: String::new(),
                    name: name.clone(),
                    definition: String::new(),
                },
                dependents: Box::default(),
            }
        }
        Action::RenameElement(i, name) => {
            let id = element(*i)?;
            let mut element = project.element(&id)?.1.clone();
            element.name.clone_from(name);
            Command::UpdateElement { element }
        }
        Action::MoveElement(i, j) => {
            let id = element(*i)?;
            let (framework, _) = project.element(&id)?;
            Command::MoveElement {
                id,
                to: j % framework.elements.len(),
            }
        }
        Action::RemoveElement(i) => Command::RemoveElement { id: element(*i)? },
        Action::AddFramework(i, name) => Command::InsertFramework {
            index: i % (project.frameworks.len() + 1),
            framework: Box::new(Framework {
                id: FrameworkId::new(format!("new-framework-{serial}")),
                name: name.clone(),
                description: String::new(),
                elements: vec![Element {
                    id: ElementId::new(format!("new-framework-element-{serial}")),
                    label: "(x)".to_owned(),
                    name: name.clone(),
                    definition: String::new(),
                }],
            }),
            dependents: Box::default(),
        },
        Action::RenameFramework(i, name) => {
            let framework = pick(&project.frameworks, *i)?;
            Command::UpdateFramework {
                id: framework.id.clone(),
                name: name.clone(),
                description: framework.description.clone(),
            }
        }
        Action::MoveFramework(i, j) => Command::MoveFramework {
            id: pick(&project.frameworks, *i)?.id.clone(),
            to: j % project.frameworks.len(),
        },
        Action::RemoveFramework(i) => Command::RemoveFramework {
            id: pick(&project.frameworks, *i)?.id.clone(),
        },
        Action::AddNote(i, text) => {
            let target = match (agreement(*i), element(*i)) {
                (Some(a), Some(e)) if i % 3 == 0 => NoteTarget::Cell(a, e),
                (Some(a), _) if i % 3 == 1 => NoteTarget::Agreement(a),
                (_, Some(e)) if i % 3 == 2 => NoteTarget::Element(e),
                _ => NoteTarget::Project,
            };
            Command::InsertNote {
                index: i % (project.notes.len() + 1),
                note: Note {
                    id: NoteId::new(format!("new-note-{serial}")),
                    target,
                    author: "Tester".to_owned(),
                    date: project.as_of,
                    text: text.clone(),
                    kind: NoteKind::Discussion,
                },
            }
        }
        Action::EditNote(i, text) => {
            let mut note = pick(&project.notes, *i)?.clone();
            note.text.clone_from(text);
            Command::UpdateNote { note }
        }
        Action::RemoveNote(i) => Command::RemoveNote {
            id: pick(&project.notes, *i)?.id.clone(),
        },
        Action::AddInitiative(i, a, title) => {
            let mut initiative = Initiative::new(
                InitiativeId::new(format!("new-initiative-{serial}")),
                title.clone(),
            );
            if let Some(agreement) = pick(&project.agreements, *a) {
                initiative.supports.push(ProvisionLink {
                    agreement: agreement.id.clone(),
                    provision: pick(&agreement.provisions, *a).map(|p| p.id.clone()),
                });
            }
            if let Some(norm) = element(*a) {
                initiative.norms.push(norm);
            }
            Command::InsertInitiative {
                index: i % (project.initiatives.len() + 1),
                initiative: Box::new(initiative),
            }
        }
        Action::EditInitiative(i, a) => {
            let mut initiative = pick(&project.initiatives, *i)?.clone();
            initiative.supports.reverse();
            if let Some(agreement) = pick(&project.agreements, *a) {
                initiative.supports.push(ProvisionLink {
                    agreement: agreement.id.clone(),
                    provision: None,
                });
            }
            Command::UpdateInitiative {
                initiative: Box::new(initiative),
            }
        }
        Action::RemoveInitiative(i) => Command::RemoveInitiative {
            id: pick(&project.initiatives, *i)?.id.clone(),
        },
        Action::EditProjectInfo(title) => Command::SetProjectInfo {
            title: title.clone(),
            description: project.description.clone(),
            as_of: project.as_of,
        },
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn undoing_every_command_restores_the_original(actions in proptest::collection::vec(action(), 1..40)) {
        let original = sample_project();
        let mut project = original.clone();
        let mut history = History::default();
        let mut applied = 0;
        for (serial, action) in actions.iter().enumerate() {
            let Some(command) = command_for(&project, action, serial) else { continue };
            let before = project.clone();
            match history.apply(&mut project, command) {
                Ok(()) => applied += 1,
                Err(_) => prop_assert_eq!(&project, &before, "a failed command changed the project"),
            }
            prop_assert!(problems(&project).is_empty(), "orphans after {:?}: {:?}", action, problems(&project));
        }
        let edited = project.clone();
        for _ in 0..applied {
            prop_assert!(history.undo(&mut project).unwrap().is_some());
        }
        prop_assert!(history.undo(&mut project).unwrap().is_none());
        prop_assert_eq!(&project, &original);
        prop_assert!(!history.has_unsaved_changes());
        for _ in 0..applied {
            prop_assert!(history.redo(&mut project).unwrap().is_some());
        }
        prop_assert_eq!(&project, &edited);
    }
}

#[test]
fn provision_ids_are_looked_up_within_their_agreement() {
    let project = sample_project();
    let tech = project.agreement(&AgreementId::new("tech-accord")).unwrap();
    assert!(tech.provision(&ProvisionId::new("principle-4")).is_some());
    assert!(tech.provision(&ProvisionId::new("principle-9")).is_none());
}
