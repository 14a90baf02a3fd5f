//! Merging volunteers' copies: one-sided changes survive, identical changes merge once,
//! conflicts are found and never settled silently.

use normgrid::collab::merge::{ConflictKind, Resolution};
use normgrid::collab::{Choice, ConflictKey, Fallback, Side, diff_projects, merge_projects};
use normgrid::commands::Command;
use normgrid::model::{
    Agreement, AgreementId, Assessment, Cell, ElementId, Excerpt, ExcerptId, Note, NoteId,
    NoteKind, NoteTarget, Project, ReviewStatus,
};
use normgrid::sample;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn base() -> Project {
    sample::bpf_2019().unwrap().project
}

fn merge(
    base: Option<&Project>,
    ours: &Project,
    theirs: &Project,
) -> normgrid::collab::MergeResult {
    merge_projects(base, ours, theirs, &BTreeMap::new(), Fallback::Mark)
}

/// A three-way merge with one conflict settled by `choice`.
fn merge_choosing(
    base: &Project,
    ours: &Project,
    theirs: &Project,
    key: ConflictKey,
    choice: Choice,
) -> normgrid::collab::MergeResult {
    merge_projects(
        Some(base),
        ours,
        theirs,
        &BTreeMap::from([(key, choice)]),
        Fallback::Mark,
    )
}

/// `base` with MANRS removed, and its cells, notes and links with it.
fn without_manrs(base: &Project) -> Project {
    let mut project = base.clone();
    Command::RemoveAgreement {
        id: AgreementId::new("manrs"),
    }
    .apply(&mut project)
    .unwrap();
    project
}

fn set(project: &mut Project, agreement: &str, element: &str, cell: Cell) {
    Command::SetCell {
        agreement: AgreementId::new(agreement),
        element: ElementId::new(element),
        cell,
    }
    .apply(project)
    .unwrap();
}

fn cell_of(project: &Project, agreement: &str, element: &str) -> Cell {
    project.cell(&AgreementId::new(agreement), &ElementId::new(element))
}

fn assessed(assessment: Assessment, note: &str, by: &str) -> Cell {
    Cell {
        assessment,
        note: note.to_owned(),
        edited_by: by.to_owned(),
        ..Cell::default()
    }
}

#[test]
fn different_fields_of_one_cell_merge_without_conflict() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    let original = cell_of(&base, "paris-call", "ke-cbms");
    let mut o = original.clone();
    o.assessment = Assessment::Indirect;
    set(&mut ours, "paris-call", "ke-cbms", o);
    let mut t = original.clone();
    t.evidence = vec![Excerpt::unsourced(
        ExcerptId::new("quote"),
        "Principle 9",
        "",
    )];
    set(&mut theirs, "paris-call", "ke-cbms", t);

    let result = merge(Some(&base), &ours, &theirs);
    assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
    let merged = cell_of(&result.project, "paris-call", "ke-cbms");
    assert_eq!(merged.assessment, Assessment::Indirect);
    assert_eq!(merged.evidence[0].exact, "Principle 9");
    assert_eq!(merged.note, original.note);
}

#[test]
fn the_same_change_on_both_sides_is_taken_once() {
    let base = base();
    let mut ours = base.clone();
    let note = Note {
        id: NoteId::new("shared-note"),
        target: NoteTarget::Project,
        author: "Ana".to_owned(),
        date: base.as_of,
        text: "Check the 2020 additions".to_owned(),
        kind: NoteKind::Discussion,
    };
    Command::InsertNote {
        index: ours.notes.len(),
        note,
    }
    .apply(&mut ours)
    .unwrap();
    set(
        &mut ours,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Yes, "", "Ana"),
    );
    let theirs = ours.clone();
    let result = merge(Some(&base), &ours, &theirs);
    assert!(result.conflicts.is_empty());
    assert_eq!(result.project, ours);
    assert_eq!(
        result
            .project
            .notes
            .iter()
            .filter(|n| n.id.as_str() == "shared-note")
            .count(),
        1
    );
}

#[test]
fn conflicting_assessments_are_marked_disputed_with_theirs_in_a_note() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    set(
        &mut ours,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Indirect, "ours", "Ana"),
    );
    set(
        &mut theirs,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Yes, "theirs", "Ben"),
    );

    let result = merge(Some(&base), &ours, &theirs);
    assert_eq!(result.conflicts.len(), 1);
    let conflict = &result.conflicts[0];
    assert_eq!(
        conflict.key,
        ConflictKey::Cell(AgreementId::new("manrs"), ElementId::new("ke-cbms"))
    );
    assert_eq!(
        conflict.kind,
        ConflictKind::Fields(vec!["assessment", "note"])
    );
    assert_eq!(conflict.resolution, Resolution::Marked);
    assert_eq!(result.unresolved(), 1);

    let merged = cell_of(&result.project, "manrs", "ke-cbms");
    assert_eq!(merged.assessment, Assessment::Indirect);
    assert_eq!(merged.review, ReviewStatus::Disputed);
    // Theirs is not dropped: it is written beside the cell.
    let note = result
        .project
        .notes
        .iter()
        .find(|n| n.kind == NoteKind::MergeConflict)
        .unwrap();
    assert_eq!(
        note.target,
        NoteTarget::Cell(AgreementId::new("manrs"), ElementId::new("ke-cbms"))
    );
    assert!(note.text.contains("“Yes”") && note.text.contains("“theirs”"));
    assert!(normgrid::model::validate::problems(&result.project).is_empty());
}

#[test]
fn choices_and_prefer_settle_conflicts() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    set(
        &mut ours,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Indirect, "", "Ana"),
    );
    set(
        &mut theirs,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Yes, "", "Ben"),
    );
    let key = ConflictKey::Cell(AgreementId::new("manrs"), ElementId::new("ke-cbms"));

    let theirs_chosen = merge_choosing(&base, &ours, &theirs, key.clone(), Choice::Theirs);
    assert_eq!(theirs_chosen.unresolved(), 0);
    let merged = cell_of(&theirs_chosen.project, "manrs", "ke-cbms");
    assert_eq!(merged.assessment, Assessment::Yes);
    assert_eq!(merged.edited_by, "Ben");

    let base_chosen = merge_choosing(&base, &ours, &theirs, key.clone(), Choice::Base);
    assert_eq!(
        cell_of(&base_chosen.project, "manrs", "ke-cbms").assessment,
        Assessment::No
    );

    let edited = assessed(
        Assessment::Indirect,
        "Agreed at the call on 3 March",
        "Chair",
    );
    let by_hand = merge_choosing(
        &base,
        &ours,
        &theirs,
        key,
        Choice::Edited(Box::new(edited.clone())),
    );
    assert_eq!(cell_of(&by_hand.project, "manrs", "ke-cbms"), edited);

    let preferred = merge_projects(
        Some(&base),
        &ours,
        &theirs,
        &BTreeMap::new(),
        Fallback::Prefer(Side::Ours),
    );
    assert_eq!(preferred.unresolved(), 0);
    assert_eq!(
        cell_of(&preferred.project, "manrs", "ke-cbms").assessment,
        Assessment::Indirect
    );
    assert!(
        preferred
            .project
            .notes
            .iter()
            .all(|n| n.kind != NoteKind::MergeConflict)
    );
}

#[test]
fn removing_an_agreement_the_other_side_edited_is_a_conflict_and_nothing_is_lost() {
    let base = base();
    let ours = without_manrs(&base);
    let mut theirs = base.clone();
    set(
        &mut theirs,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Yes, "Action 3", "Ben"),
    );

    let result = merge(Some(&base), &ours, &theirs);
    assert_eq!(result.conflicts.len(), 1);
    assert_eq!(
        result.conflicts[0].kind,
        ConflictKind::RemovedVsChanged {
            removed_by: Side::Ours
        }
    );
    // Undecided: kept, with theirs' edit and every other cell of the row.
    assert!(
        result
            .project
            .agreement(&AgreementId::new("manrs"))
            .is_some()
    );
    assert_eq!(
        cell_of(&result.project, "manrs", "ke-cbms").note,
        "Action 3"
    );
    assert_eq!(
        result
            .project
            .cells
            .row(&AgreementId::new("manrs"))
            .unwrap()
            .len(),
        base.cells.row(&AgreementId::new("manrs")).unwrap().len()
    );

    // Choosing ours removes it with everything attached.
    let removed = merge_choosing(
        &base,
        &ours,
        &theirs,
        ConflictKey::Agreement(AgreementId::new("manrs")),
        Choice::Ours,
    );
    assert!(
        removed
            .project
            .agreement(&AgreementId::new("manrs"))
            .is_none()
    );
    assert!(
        removed
            .project
            .cells
            .row(&AgreementId::new("manrs"))
            .is_none()
    );
    assert!(normgrid::model::validate::problems(&removed.project).is_empty());
}

#[test]
fn removing_an_untouched_agreement_merges_cleanly() {
    let base = base();
    let ours = without_manrs(&base);
    let mut theirs = base.clone();
    set(
        &mut theirs,
        "paris-call",
        "ke-cbms",
        assessed(Assessment::Yes, "", "Ben"),
    );
    let result = merge(Some(&base), &ours, &theirs);
    assert!(result.conflicts.is_empty());
    assert!(
        result
            .project
            .agreement(&AgreementId::new("manrs"))
            .is_none()
    );
    assert_eq!(
        cell_of(&result.project, "paris-call", "ke-cbms").assessment,
        Assessment::Yes
    );
    assert!(normgrid::model::validate::problems(&result.project).is_empty());
}

#[test]
fn two_way_merge_treats_every_difference_as_a_conflict() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    set(
        &mut ours,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Yes, "", "Ana"),
    );
    let mut added = Agreement::new(AgreementId::new("new-one"), "A new one", "New");
    added.year = Some(2020);
    Command::InsertAgreement {
        index: 0,
        agreement: Box::new(added),
        dependents: Box::default(),
    }
    .apply(&mut theirs)
    .unwrap();
    let result = merge(None, &ours, &theirs);
    let kinds: Vec<&ConflictKind> = result.conflicts.iter().map(|c| &c.kind).collect();
    assert_eq!(result.conflicts.len(), 2, "{kinds:?}");
    assert!(kinds.contains(&&ConflictKind::OnlyIn(Side::Theirs)));
    // Undecided differences keep both sides' content.
    assert!(
        result
            .project
            .agreement(&AgreementId::new("new-one"))
            .is_some()
    );
    assert_eq!(
        cell_of(&result.project, "manrs", "ke-cbms").assessment,
        Assessment::Yes
    );
    // Identical copies merge two-way without a word.
    assert!(merge(None, &base, &base).conflicts.is_empty());
}

/// `project` with every kind of damage the format allows: a duplicate agreement, element,
/// initiative and note, an orphan cell, a link to a missing agreement and a note about one.
fn damaged(project: &Project) -> Project {
    let mut damaged = project.clone();
    let mut copy = damaged.agreements[1].clone();
    copy.short_name = "Second under one id".to_owned();
    damaged.agreements.push(copy);
    let element = damaged.frameworks[0].elements[0].clone();
    damaged.frameworks[1].elements.push(element);
    damaged.initiatives.push(damaged.initiatives[0].clone());
    damaged.notes.push(damaged.notes[0].clone());
    damaged.cells.set(
        &AgreementId::new("gone-treaty"),
        &ElementId::new("ke-cbms"),
        assessed(Assessment::Yes, "orphan evidence", "Ana"),
    );
    damaged.initiatives[1]
        .supports
        .push(normgrid::model::ProvisionLink {
            agreement: AgreementId::new("gone-treaty"),
            provision: None,
        });
    damaged.notes.push(Note {
        id: NoteId::new("about-the-gone-treaty"),
        target: NoteTarget::Agreement(AgreementId::new("gone-treaty")),
        author: "Ana".to_owned(),
        date: damaged.as_of,
        text: "Why it went".to_owned(),
        kind: NoteKind::Discussion,
    });
    damaged
}

/// Agreements, elements, initiatives, notes and cells.
fn record_count(project: &Project) -> usize {
    project.agreements.len()
        + project.elements().count()
        + project.initiatives.len()
        + project.notes.len()
        + project.cells.len()
}

#[test]
fn damaged_inputs_are_refused_unless_repaired_and_the_repair_keeps_every_record() {
    use normgrid::collab::MergeInputs;
    use normgrid::model::validate::problems;
    let today = base().as_of;
    // Both copies inherited the damage from the base; ours also made a real edit.
    let damaged_base = damaged(&base());
    let mut ours = damaged_base.clone();
    set(
        &mut ours,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Yes, "", "Ana"),
    );
    let theirs = damaged_base.clone();

    let refusal = MergeInputs::prepare(Some(&damaged_base), &ours, &theirs, false, today)
        .expect_err("damaged inputs must be refused");
    assert!(!refusal.repair_tried);
    let per_side = problems(&damaged_base).len();
    assert_eq!(per_side, 7, "{:?}", problems(&damaged_base));
    assert_eq!(refusal.problems.len(), 3 * per_side);
    for side in [Side::Base, Side::Ours, Side::Theirs] {
        assert_eq!(
            refusal.problems.iter().filter(|p| p.side == side).count(),
            per_side
        );
    }

    let inputs = MergeInputs::prepare(Some(&damaged_base), &ours, &theirs, true, today).unwrap();
    assert_eq!(inputs.repairs.len(), 3 * per_side, "{:?}", inputs.repairs);
    assert_eq!(inputs.problems, refusal.problems);
    // The same damage is repaired the same way on every side, so nothing conflicts.
    let mut result = merge(inputs.base.as_ref(), &inputs.ours, &inputs.theirs);
    assert_eq!(result.conflicts, vec![]);
    inputs.keep_removed_content(&mut result.project);
    let merged = &result.project;
    assert_eq!(problems(merged), vec![]);
    assert_eq!(record_count(merged), record_count(&ours));
    assert_eq!(
        merged
            .notes
            .iter()
            .filter(|n| n.text.contains("orphan evidence"))
            .count(),
        1,
        "the orphan cell's content is kept once"
    );
    let second = AgreementId::new(format!("{}-dup-2", damaged_base.agreements[1].id));
    assert_eq!(
        merged.agreement(&second).map(|a| a.short_name.as_str()),
        Some("Second under one id")
    );
    let moved = merged.note(&NoteId::new("about-the-gone-treaty")).unwrap();
    assert_eq!(moved.target, NoteTarget::Project);
    assert!(moved.text.ends_with("Why it went"), "{}", moved.text);
    assert_eq!(
        cell_of(merged, "manrs", "ke-cbms").assessment,
        Assessment::Yes
    );
}

#[test]
fn year_over_year_diff_lists_added_agreements_and_changed_cells() {
    let old = base();
    let mut new = old.clone();
    let mut added = Agreement::new(
        AgreementId::new("oewg-2021"),
        "OEWG final report",
        "OEWG 2021",
    );
    added.year = Some(2021);
    Command::InsertAgreement {
        index: new.agreements.len(),
        agreement: Box::new(added),
        dependents: Box::default(),
    }
    .apply(&mut new)
    .unwrap();
    let mut renamed = new.agreement(&AgreementId::new("manrs")).unwrap().clone();
    renamed.short_name = "MANRS 2020".to_owned();
    Command::UpdateAgreement {
        agreement: Box::new(renamed),
    }
    .apply(&mut new)
    .unwrap();
    set(
        &mut new,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Yes, "", "Ana"),
    );
    let diff = diff_projects(&old, &new);
    let lines: Vec<(&str, &str, &str)> = diff
        .changes
        .iter()
        .map(|c| (c.subject, c.kind.label(), c.field))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("agreement", "renamed", "short_name"),
            ("agreement", "added", ""),
            ("cell", "changed", "assessment"),
        ]
    );
    let cell_change = &diff.changes[2];
    assert_eq!(
        (cell_change.old.as_str(), cell_change.new.as_str()),
        ("No", "Yes")
    );
    assert_eq!(cell_change.by, "Ana");
    assert_eq!(cell_change.name, "MANRS 2020 / Specified CBMs");
    assert!(diff_projects(&old, &old).is_empty());
}

/// A random edit of one volunteer, on rows `rows` only (so two volunteers can be kept apart).
#[derive(Clone, Debug)]
enum Edit {
    Assess(usize, usize, u8, String),
    Review(usize, usize),
    Rename(usize, String),
    AddNote(usize, String),
    Reword(usize, String),
    RemoveNote(usize),
    AddAgreement(usize),
    RemoveAgreement(usize),
    Retitle(usize, String),
}

fn edit() -> impl Strategy<Value = Edit> {
    let text = "[a-z ]{0,12}";
    prop_oneof![
        4 => (0..10usize, 0..21usize, 0..4u8, text).prop_map(|(a, e, v, t)| Edit::Assess(a, e, v, t)),
        1 => (0..10usize, 0..21usize).prop_map(|(a, e)| Edit::Review(a, e)),
        1 => (0..10usize, text).prop_map(|(a, t)| Edit::Rename(a, t)),
        1 => (0..10usize, text).prop_map(|(a, t)| Edit::AddNote(a, t)),
        1 => (0..8usize, text).prop_map(|(n, t)| Edit::Reword(n, t)),
        1 => (0..8usize).prop_map(Edit::RemoveNote),
        1 => (0..10usize).prop_map(Edit::AddAgreement),
        1 => (0..10usize).prop_map(Edit::RemoveAgreement),
        1 => (0..17usize, text).prop_map(|(i, t)| Edit::Retitle(i, t)),
    ]
}

/// Applies `edits` to the rows `offset..offset + 10` of `base`, as volunteer `who`.
fn apply_edits(base: &Project, edits: &[Edit], offset: usize, who: &str) -> Project {
    let mut project = base.clone();
    let row_ids: Vec<AgreementId> = base.agreements[offset..offset + 10]
        .iter()
        .map(|a| a.id.clone())
        .collect();
    let elements: Vec<ElementId> = base.elements().map(|(_, e)| e.id.clone()).collect();
    for (serial, edit) in edits.iter().enumerate() {
        let command = match edit {
            Edit::Assess(a, e, v, text) => {
                let mut cell = project.cell(&row_ids[*a], &elements[*e]);
                cell.assessment = [
                    Assessment::NotAssessed,
                    Assessment::Yes,
                    Assessment::Indirect,
                    Assessment::No,
                ][*v as usize];
                cell.note = text.clone();
                cell.edited_by = who.to_owned();
                Command::SetCell {
                    agreement: row_ids[*a].clone(),
                    element: elements[*e].clone(),
                    cell,
                }
            }
            Edit::Review(a, e) => {
                let mut cell = project.cell(&row_ids[*a], &elements[*e]);
                cell.review = ReviewStatus::Reviewed;
                cell.reviewed_by = who.to_owned();
                Command::SetCell {
                    agreement: row_ids[*a].clone(),
                    element: elements[*e].clone(),
                    cell,
                }
            }
            Edit::Rename(a, text) => {
                let Some(mut agreement) = project.agreement(&row_ids[*a]).cloned() else {
                    continue;
                };
                agreement.summary = format!("{who}: {text}");
                Command::UpdateAgreement {
                    agreement: Box::new(agreement),
                }
            }
            Edit::AddNote(a, text) => Command::InsertNote {
                index: project.notes.len(),
                note: Note {
                    id: NoteId::new(format!("{who}-note-{serial}")),
                    target: NoteTarget::Agreement(row_ids[*a].clone()),
                    author: who.to_owned(),
                    date: base.as_of,
                    text: text.clone(),
                    kind: NoteKind::Discussion,
                },
            },
            // Only this volunteer's own notes, so the two never touch the same note.
            Edit::Reword(n, text) => {
                let own: Vec<&Note> = project
                    .notes
                    .iter()
                    .filter(|note| note.author == who)
                    .collect();
                let Some(note) = own.get(n % own.len().max(1)) else {
                    continue;
                };
                let mut note = (*note).clone();
                note.text = text.clone();
                Command::UpdateNote { note }
            }
            Edit::RemoveNote(n) => {
                let own: Vec<&Note> = project
                    .notes
                    .iter()
                    .filter(|note| note.author == who)
                    .collect();
                let Some(note) = own.get(n % own.len().max(1)) else {
                    continue;
                };
                Command::RemoveNote {
                    id: note.id.clone(),
                }
            }
            Edit::AddAgreement(a) => {
                let index = project
                    .agreement_index(&row_ids[*a])
                    .map_or(project.agreements.len(), |i| i + 1);
                Command::InsertAgreement {
                    index,
                    agreement: Box::new(Agreement::new(
                        AgreementId::new(format!("{who}-agreement-{serial}")),
                        "Added",
                        format!("Added by {who}"),
                    )),
                    dependents: Box::default(),
                }
            }
            Edit::RemoveAgreement(a) => Command::RemoveAgreement {
                id: row_ids[*a].clone(),
            },
            Edit::Retitle(i, text) => {
                // Initiatives are shared; each volunteer edits a different field.
                let Some(mut initiative) = project.initiatives.get(*i).cloned() else {
                    continue;
                };
                if offset == 0 {
                    initiative.description = text.clone();
                } else {
                    initiative.url = format!("https://example.org/{}", text.replace(' ', "-"));
                }
                Command::UpdateInitiative {
                    initiative: Box::new(initiative),
                }
            }
        };
        let _ = command.apply(&mut project);
    }
    project
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn merging_a_copy_with_itself_or_the_unchanged_base_gives_that_copy(
        edits in proptest::collection::vec(edit(), 0..25),
    ) {
        let base = base();
        let x = apply_edits(&base, &edits, 0, "ana");

        let same = merge(Some(&base), &x, &x);
        prop_assert!(same.conflicts.is_empty());
        prop_assert_eq!(&same.project, &x);

        let ours_changed = merge(Some(&base), &x, &base);
        prop_assert!(ours_changed.conflicts.is_empty(), "{:?}", ours_changed.conflicts);
        prop_assert_eq!(&ours_changed.project, &x);

        let theirs_changed = merge(Some(&base), &base, &x);
        prop_assert!(theirs_changed.conflicts.is_empty(), "{:?}", theirs_changed.conflicts);
        prop_assert_eq!(&theirs_changed.project, &x);
    }

    #[test]
    fn every_one_sided_change_survives_the_merge(
        ours_edits in proptest::collection::vec(edit(), 0..20),
        theirs_edits in proptest::collection::vec(edit(), 0..20),
    ) {
        let base = base();
        let ours = apply_edits(&base, &ours_edits, 0, "ana");
        let theirs = apply_edits(&base, &theirs_edits, 10, "ben");
        let result = merge(Some(&base), &ours, &theirs);
        prop_assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
        let merged = &result.project;
        prop_assert!(normgrid::model::validate::problems(merged).is_empty());

        // Each side's rows, notes and agreements are exactly as that side left them.
        for (side, rows) in [(&ours, &base.agreements[..10]), (&theirs, &base.agreements[10..])] {
            for agreement in rows {
                prop_assert_eq!(side.agreement(&agreement.id), merged.agreement(&agreement.id));
                prop_assert_eq!(side.cells.row(&agreement.id), merged.cells.row(&agreement.id));
            }
            for added in side.agreements.iter().filter(|a| base.agreement(&a.id).is_none()) {
                prop_assert_eq!(Some(added), merged.agreement(&added.id));
            }
        }
        for (side, who) in [(&ours, "ana"), (&theirs, "ben")] {
            let own = |p: &Project| p.notes.iter().filter(|n| n.author == who).cloned().collect::<Vec<_>>();
            prop_assert_eq!(own(side), own(merged));
        }
        for (i, initiative) in merged.initiatives.iter().enumerate() {
            prop_assert_eq!(&initiative.description, &ours.initiatives[i].description);
            prop_assert_eq!(&initiative.url, &theirs.initiatives[i].url);
        }
    }
}

#[test]
fn the_random_edits_really_change_the_project() {
    let base = base();
    let edits = vec![
        Edit::Assess(0, 0, 1, "x".to_owned()),
        Edit::AddNote(1, "hello".to_owned()),
        Edit::RemoveAgreement(2),
        Edit::AddAgreement(3),
    ];
    let edited = apply_edits(&base, &edits, 0, "ana");
    let diff = diff_projects(&base, &edited);
    let subjects: std::collections::BTreeSet<&str> =
        diff.changes.iter().map(|c| c.subject).collect();
    assert!(
        subjects.contains("cell") && subjects.contains("note") && subjects.contains("agreement")
    );
    assert_eq!(edited.agreements.len(), base.agreements.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn overlapping_edits_are_merged_or_reported_never_dropped(
        ours_edits in proptest::collection::vec(edit(), 0..20),
        theirs_edits in proptest::collection::vec(edit(), 0..20),
    ) {
        let base = base();
        // Both volunteers work on the same ten agreements.
        let ours = apply_edits(&base, &ours_edits, 0, "ana");
        let theirs = apply_edits(&base, &theirs_edits, 0, "ben");
        let result = merge(Some(&base), &ours, &theirs);
        let merged = &result.project;
        let problems = normgrid::model::validate::problems(merged);
        prop_assert!(problems.is_empty(), "{problems:?}");
        let conflict_on = |key: &ConflictKey| result.conflicts.iter().any(|c| &c.key == key);
        use normgrid::collab::records::Record;
        for side in [&ours, &theirs] {
            for (agreement, element, cell) in side.cells.iter() {
                let before = base.cells.get(agreement, element).cloned().unwrap_or_default();
                let after = merged.cells.get(agreement, element).cloned().unwrap_or_default();
                for field in before.changed_fields(cell) {
                    let kept = after.same_field(cell, field);
                    let reported = conflict_on(&ConflictKey::Cell(agreement.clone(), element.clone()));
                    prop_assert!(kept || reported, "{agreement}/{element} {field} lost");
                }
            }
            for note in &side.notes {
                if base.note(&note.id) != Some(note) {
                    let kept = merged.note(&note.id) == Some(note);
                    prop_assert!(kept || conflict_on(&ConflictKey::Note(note.id.clone())));
                }
            }
        }
        // Each unresolved conflict left a note where a reviewer will find it.
        let marks = merged.notes.iter().filter(|n| n.kind == NoteKind::MergeConflict).count();
        prop_assert_eq!(marks, result.unresolved());
    }
}

// --- Evidence excerpts and sources ---------------------------------------------------------

/// The first cell whose first excerpt quotes a source, as (agreement, element).
fn anchored_cell(project: &Project) -> (String, String) {
    project
        .cells
        .iter()
        .find(|(_, _, c)| c.evidence.first().is_some_and(|e| e.source.is_some()))
        .map(|(a, e, _)| (a.to_string(), e.to_string()))
        .unwrap()
}

/// `project` with the first excerpt of the cell at `at` edited by `edit`, stamped by `who`.
fn edit_excerpt(
    project: &Project,
    at: &(String, String),
    who: &str,
    edit: impl FnOnce(&mut Excerpt),
) -> Project {
    let mut edited = project.clone();
    let mut cell = cell_of(project, &at.0, &at.1);
    edit(&mut cell.evidence[0]);
    cell.edited_by = who.to_owned();
    set(&mut edited, &at.0, &at.1, cell);
    edited
}

/// `project` with a quote of the sample report's text added to the cell at `at`.
fn with_new_quote(project: &Project, at: &(String, String), quote: &str, who: &str) -> Project {
    use normgrid::sources::evidence::{excerpt_from_range, find_quote, outline_of};
    let mut edited = project.clone();
    let source = project
        .source(&normgrid::model::SourceId::new("bpf-2019-report"))
        .unwrap();
    let range = find_quote(source, quote).unwrap();
    let mut cell = cell_of(project, &at.0, &at.1);
    let mut excerpt = excerpt_from_range(source, &outline_of(source), range, &cell.evidence);
    excerpt.added_by = who.to_owned();
    cell.evidence.push(excerpt);
    set(&mut edited, &at.0, &at.1, cell);
    edited
}

/// A passage of twelve words of the sample report that occurs once, near byte `from`.
fn passage(project: &Project, from: usize) -> String {
    use normgrid::sources::evidence::find_quote;
    let source = project
        .source(&normgrid::model::SourceId::new("bpf-2019-report"))
        .unwrap();
    (from..source.text.len())
        .step_by(500)
        .map(|at| {
            let start = source.text.ceil_char_boundary(at);
            source.text[start..]
                .split_whitespace()
                .skip(1)
                .take(12)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .find(|text| find_quote(source, text).is_ok())
        .unwrap()
}

#[test]
fn two_volunteers_add_different_excerpts_to_one_cell_and_both_are_kept() {
    use normgrid::model::validate::problems;
    let base = base();
    let at = anchored_cell(&base);
    let ours = with_new_quote(&base, &at, &passage(&base, 20_000), "Ana");
    let theirs = with_new_quote(&base, &at, &passage(&base, 60_000), "Ben");
    let result = merge(Some(&base), &ours, &theirs);
    assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
    let merged = cell_of(&result.project, &at.0, &at.1);
    let added_by: Vec<&str> = merged
        .evidence
        .iter()
        .map(|e| e.added_by.as_str())
        .collect();
    let before = cell_of(&base, &at.0, &at.1).evidence.len();
    assert_eq!(merged.evidence.len(), before + 2);
    assert!(
        added_by.contains(&"Ana") && added_by.contains(&"Ben"),
        "{added_by:?}"
    );
    assert_eq!(problems(&result.project), vec![]);
    let counts = normgrid::sources::evidence::CheckCounts::of(
        &normgrid::sources::evidence::check_project(&result.project),
    );
    assert_eq!(counts.verified, 38 + 2, "{}", counts.summary());
}

#[test]
fn two_different_quotes_added_under_one_id_are_both_kept() {
    let base = base();
    let at = anchored_cell(&base);
    let add = |quote: &str| {
        let mut edited = base.clone();
        let mut cell = cell_of(&base, &at.0, &at.1);
        cell.evidence
            .push(Excerpt::unsourced(ExcerptId::new("typed"), quote, "p. 4"));
        set(&mut edited, &at.0, &at.1, cell);
        edited
    };
    let result = merge(Some(&base), &add("Quote A"), &add("Quote B"));
    assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
    let merged = cell_of(&result.project, &at.0, &at.1);
    let typed: Vec<(&str, &str)> = merged
        .evidence
        .iter()
        .filter(|e| e.locator == "p. 4")
        .map(|e| (e.id.as_str(), e.exact.as_str()))
        .collect();
    assert_eq!(typed, [("typed", "Quote A"), ("typed-2", "Quote B")]);
    // The same quote added on both sides is one excerpt.
    let result = merge(Some(&base), &add("Quote A"), &add("Quote A"));
    assert_eq!(
        cell_of(&result.project, &at.0, &at.1).evidence.len(),
        cell_of(&base, &at.0, &at.1).evidence.len() + 1
    );
}

#[test]
fn a_locator_edited_on_one_side_and_a_comment_on_the_other_merge_field_by_field() {
    let base = base();
    let at = anchored_cell(&base);
    let ours = edit_excerpt(&base, &at, "Ana", |e| e.locator = "para. 13(j)".to_owned());
    let theirs = edit_excerpt(&base, &at, "Ben", |e| {
        e.comment = "Strong wording".to_owned();
    });
    let result = merge(Some(&base), &ours, &theirs);
    assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
    let merged = &cell_of(&result.project, &at.0, &at.1).evidence[0];
    assert_eq!(merged.locator, "para. 13(j)");
    assert_eq!(merged.comment, "Strong wording");
    assert_eq!(merged.exact, cell_of(&base, &at.0, &at.1).evidence[0].exact);
}

#[test]
fn both_changing_one_excerpts_comment_is_a_conflict_settled_like_any_field() {
    let base = base();
    let at = anchored_cell(&base);
    let key = ConflictKey::Cell(AgreementId::new(&at.0), ElementId::new(&at.1));
    let ours = edit_excerpt(&base, &at, "Ana", |e| {
        e.comment = "Ana's reading".to_owned();
    });
    // Theirs also changes the locator, which nobody else touched: that part merges cleanly.
    let theirs = edit_excerpt(&base, &at, "Ben", |e| {
        e.comment = "Ben's reading".to_owned();
        e.locator = "p. 12".to_owned();
    });
    let excerpt_id = cell_of(&base, &at.0, &at.1).evidence[0].id.clone();

    let result = merge(Some(&base), &ours, &theirs);
    assert_eq!(result.conflicts.len(), 1);
    let conflict = &result.conflicts[0];
    assert_eq!(conflict.key, key);
    assert_eq!(conflict.kind, ConflictKind::Fields(vec!["evidence"]));
    assert!(
        conflict
            .ours
            .field("evidence")
            .unwrap()
            .contains("Ana's reading")
    );
    assert!(
        conflict
            .theirs
            .field("evidence")
            .unwrap()
            .contains("Ben's reading")
    );
    let merged = cell_of(&result.project, &at.0, &at.1);
    assert_eq!(merged.review, ReviewStatus::Disputed);
    assert_eq!(merged.evidence[0].comment, "Ana's reading", "ours kept");
    assert_eq!(
        merged.evidence[0].locator, "p. 12",
        "the one-sided change is taken"
    );
    let note = result
        .project
        .notes
        .iter()
        .find(|n| n.kind == NoteKind::MergeConflict)
        .unwrap();
    assert!(
        note.text
            .contains(&format!("excerpt `{excerpt_id}` comment"))
            && note.text.contains("theirs said “Ben's reading”"),
        "{}",
        note.text
    );

    for (settle, comment) in [
        (Fallback::Prefer(Side::Theirs), "Ben's reading"),
        (Fallback::Prefer(Side::Ours), "Ana's reading"),
    ] {
        let result = merge_projects(Some(&base), &ours, &theirs, &BTreeMap::new(), settle);
        let merged = cell_of(&result.project, &at.0, &at.1);
        assert_eq!(merged.evidence[0].comment, comment);
        assert_eq!(merged.evidence[0].locator, "p. 12");
        assert_ne!(merged.review, ReviewStatus::Disputed);
    }
    let result = merge_choosing(&base, &ours, &theirs, key, Choice::Base);
    let merged = cell_of(&result.project, &at.0, &at.1);
    assert_eq!(
        merged.evidence[0].comment,
        cell_of(&base, &at.0, &at.1).evidence[0].comment
    );
    assert_eq!(merged.evidence[0].locator, "p. 12");
}

#[test]
fn an_excerpt_removed_on_one_side_goes_unless_the_other_side_changed_it() {
    let base = base();
    let at = anchored_cell(&base);
    let mut ours = base.clone();
    let mut cell = cell_of(&base, &at.0, &at.1);
    let removed = cell.evidence.remove(0);
    set(&mut ours, &at.0, &at.1, cell);
    let theirs = with_assessment_note(&base, "manrs", "ke-cbms");
    let result = merge(Some(&base), &ours, &theirs);
    assert!(result.conflicts.is_empty());
    assert!(
        cell_of(&result.project, &at.0, &at.1)
            .excerpt(&removed.id)
            .is_none()
    );

    // Removed by ours, its comment changed by theirs: a conflict, and the excerpt is kept.
    let theirs = edit_excerpt(&base, &at, "Ben", |e| {
        e.comment = "Keep this one".to_owned();
    });
    let result = merge(Some(&base), &ours, &theirs);
    assert_eq!(result.conflicts.len(), 1);
    let kept = cell_of(&result.project, &at.0, &at.1);
    assert_eq!(kept.excerpt(&removed.id).unwrap().comment, "Keep this one");
    assert_eq!(kept.review, ReviewStatus::Disputed);
    let result = merge_projects(
        Some(&base),
        &ours,
        &theirs,
        &BTreeMap::new(),
        Fallback::Prefer(Side::Ours),
    );
    assert!(
        cell_of(&result.project, &at.0, &at.1)
            .excerpt(&removed.id)
            .is_none()
    );
}

/// `project` with a note typed into one cell: an unrelated edit.
fn with_assessment_note(project: &Project, agreement: &str, element: &str) -> Project {
    let mut edited = project.clone();
    let mut cell = cell_of(project, agreement, element);
    cell.note = "Unrelated edit".to_owned();
    set(&mut edited, agreement, element, cell);
    edited
}

/// A source of the Paris Call's own text, attached to its agreement.
fn paris_call_source() -> normgrid::model::Source {
    normgrid::model::Source {
        id: normgrid::model::SourceId::new("paris-call-text"),
        agreement: Some(AgreementId::new("paris-call")),
        title: "Paris Call for Trust and Security in Cyberspace".to_owned(),
        file_name: "paris-call.txt".to_owned(),
        kind: normgrid::model::SourceKind::Text,
        url: "https://pariscall.international/en/call".to_owned(),
        retrieved: None,
        sha256: "0f".repeat(32),
        pages: Vec::new(),
        text: "Preamble\nWe affirm our support to an open, secure, stable, accessible and peaceful cyberspace.\nPrinciple 9: Promote the widespread acceptance and implementation of international norms of responsible behavior.".to_owned(),
    }
}

#[test]
fn a_source_attached_and_quoted_on_one_side_arrives_with_its_quote() {
    use normgrid::model::validate::problems;
    use normgrid::sources::evidence::{excerpt_from_range, find_quote, outline_of};
    let base = base();
    let mut ours = base.clone();
    let source = paris_call_source();
    Command::InsertSource {
        index: ours.sources.len(),
        source: Box::new(source.clone()),
    }
    .apply(&mut ours)
    .unwrap();
    let range = find_quote(&source, "Promote the widespread acceptance").unwrap();
    let mut cell = cell_of(&ours, "paris-call", "ke-cbms");
    let excerpt = excerpt_from_range(&source, &outline_of(&source), range, &cell.evidence);
    let excerpt_id = excerpt.id.clone();
    cell.evidence.push(excerpt);
    set(&mut ours, "paris-call", "ke-cbms", cell);
    let theirs = with_assessment_note(&base, "manrs", "ke-cbms");

    for (ours, theirs) in [(&ours, &theirs), (&theirs, &ours)] {
        let result = merge(Some(&base), ours, theirs);
        assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
        let merged = &result.project;
        assert_eq!(merged.source(&source.id), Some(&source));
        assert!(
            cell_of(merged, "paris-call", "ke-cbms")
                .excerpt(&excerpt_id)
                .is_some()
        );
        assert_eq!(cell_of(merged, "manrs", "ke-cbms").note, "Unrelated edit");
        assert_eq!(problems(merged), vec![]);
    }
}

#[test]
fn a_source_removed_on_one_side_stays_while_the_other_side_quotes_it() {
    use normgrid::model::validate::problems;
    let base = {
        let mut base = base();
        Command::InsertSource {
            index: base.sources.len(),
            source: Box::new(paris_call_source()),
        }
        .apply(&mut base)
        .unwrap();
        base
    };
    let source = paris_call_source();
    let mut ours = base.clone();
    Command::RemoveSource {
        id: source.id.clone(),
    }
    .apply(&mut ours)
    .unwrap();
    let mut theirs = base.clone();
    let mut cell = cell_of(&theirs, "paris-call", "ke-cbms");
    let mut quote = Excerpt::unsourced(ExcerptId::new("principle-9"), "Principle 9", "");
    quote.source = Some(source.id.clone());
    cell.evidence.push(quote);
    set(&mut theirs, "paris-call", "ke-cbms", cell);

    let result = merge(Some(&base), &ours, &theirs);
    assert!(result.project.source(&source.id).is_some());
    assert_eq!(problems(&result.project), vec![]);
    assert!(
        result
            .project
            .notes
            .iter()
            .any(|n| n.kind == NoteKind::MergeConflict && n.text.contains("`paris-call-text`"))
    );

    // Not quoted by anyone: the removal is taken.
    let theirs = with_assessment_note(&base, "manrs", "ke-cbms");
    let result = merge(Some(&base), &ours, &theirs);
    assert!(result.project.source(&source.id).is_none());
    assert!(result.conflicts.is_empty());
}

#[test]
fn a_new_source_text_on_one_side_is_taken_and_two_new_texts_conflict() {
    let base = base();
    let id = normgrid::model::SourceId::new("bpf-2019-report");
    let replaced = |project: &Project, line: &str, title: Option<&str>| {
        let mut edited = project.clone();
        let mut source = project.source(&id).unwrap().clone();
        source.text.push('\n');
        source.text.push_str(line);
        source.sha256 = format!("{:0>64}", line.len());
        if let Some(title) = title {
            source.title = title.to_owned();
        }
        Command::UpdateSource {
            source: Box::new(source),
        }
        .apply(&mut edited)
        .unwrap();
        edited
    };
    let ours = replaced(&base, "An erratum page", None);
    let theirs = with_assessment_note(&base, "manrs", "ke-cbms");
    let result = merge(Some(&base), &ours, &theirs);
    assert!(result.conflicts.is_empty());
    assert!(
        result
            .project
            .source(&id)
            .unwrap()
            .text
            .ends_with("An erratum page")
    );

    // A new title on one side and a new text on the other: both taken.
    let mut theirs = base.clone();
    let mut retitled = base.source(&id).unwrap().clone();
    retitled.title = "BPF 2019 output report".to_owned();
    Command::UpdateSource {
        source: Box::new(retitled),
    }
    .apply(&mut theirs)
    .unwrap();
    let result = merge(Some(&base), &ours, &theirs);
    assert!(result.conflicts.is_empty());
    let merged = result.project.source(&id).unwrap();
    assert_eq!(merged.title, "BPF 2019 output report");
    assert!(merged.text.ends_with("An erratum page"));

    // Two different new versions: one conflict on the source, ours kept until decided.
    let theirs = replaced(&base, "A different appendix", None);
    let result = merge(Some(&base), &ours, &theirs);
    assert_eq!(result.conflicts.len(), 1);
    assert_eq!(result.conflicts[0].key, ConflictKey::Source(id.clone()));
    assert_eq!(
        result.conflicts[0].kind,
        ConflictKind::Fields(vec!["content"])
    );
    assert!(
        result
            .project
            .source(&id)
            .unwrap()
            .text
            .ends_with("An erratum page")
    );
    let report = result.report(["base", "ours", "theirs"]);
    assert!(
        !report.contains("Internet Governance Forum"),
        "the text is never printed"
    );
    let result = merge_choosing(
        &base,
        &ours,
        &theirs,
        ConflictKey::Source(id.clone()),
        Choice::Theirs,
    );
    assert!(
        result
            .project
            .source(&id)
            .unwrap()
            .text
            .ends_with("A different appendix")
    );
}

#[test]
fn damaged_evidence_is_refused_and_repaired_keeping_every_quote() {
    use normgrid::collab::MergeInputs;
    use normgrid::model::TextPosition;
    use normgrid::model::validate::{Problem, problems};
    let clean = base();
    let mut damaged = clean.clone();
    let at = anchored_cell(&clean);
    let mut cell = cell_of(&clean, &at.0, &at.1);
    let quote = cell.evidence[0].exact.clone();
    // Past the end of the text, and (in the second copy) through a multi-byte character.
    cell.evidence[0].position = Some(TextPosition {
        start: 5,
        end: 10_000_000,
    });
    let mut twin = cell.evidence[0].clone();
    twin.exact = "A second quote under one id".to_owned();
    twin.source = Some(normgrid::model::SourceId::new("nowhere"));
    cell.evidence.push(twin);
    set(&mut damaged, &at.0, &at.1, cell);
    let mut copy = damaged.sources[0].clone();
    copy.title = "A second source under one id".to_owned();
    copy.agreement = Some(AgreementId::new("gone-treaty"));
    copy.pages = vec![0, 50, 40, copy.text.len() + 7];
    damaged.sources.push(copy);
    // None of this panics, whatever the numbers.
    let _ = normgrid::sources::evidence::check_project(&damaged);

    let found = problems(&damaged);
    let shown: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(found.len(), 6, "{shown:#?}");
    assert!(found.contains(&Problem::DuplicateId {
        kind: "source",
        id: "bpf-2019-report".to_owned()
    }));
    assert!(
        shown
            .iter()
            .any(|p| p.contains("refers to unknown agreement `gone-treaty`"))
    );
    assert!(shown.iter().any(|p| p.contains("page starts must ascend")));
    assert!(shown.iter().any(|p| p.contains("duplicate excerpt id")));
    assert!(
        shown
            .iter()
            .any(|p| p.contains("refers to unknown source `nowhere`"))
    );
    assert!(
        shown
            .iter()
            .any(|p| p.contains("is not inside source `bpf-2019-report`"))
    );

    let today = clean.as_of;
    let refusal = MergeInputs::prepare(Some(&clean), &damaged, &clean, false, today).unwrap_err();
    assert_eq!(refusal.problems.len(), 6);
    let inputs = MergeInputs::prepare(Some(&clean), &damaged, &clean, true, today).unwrap();
    assert_eq!(inputs.repairs.len(), 6, "{:#?}", inputs.repairs);
    assert_eq!(problems(&inputs.ours), vec![]);
    let repaired = cell_of(&inputs.ours, &at.0, &at.1);
    assert_eq!(
        repaired.evidence[0].exact, quote,
        "every quote keeps its text"
    );
    assert_eq!(repaired.evidence[0].position, None);
    let twin = repaired.evidence.last().unwrap();
    assert_eq!(twin.exact, "A second quote under one id");
    assert_eq!(twin.source, None);
    assert!(twin.id.as_str().ends_with("-dup-2"), "{}", twin.id);
    let result = merge(inputs.base.as_ref(), &inputs.ours, &inputs.theirs);
    assert_eq!(problems(&result.project), vec![]);

    // A position inside a character: found without a panic, and repaired.
    let mut cut = clean.clone();
    let source = cut.sources[0].clone();
    let Some(inside) = (1..source.text.len()).find(|i| !source.text.is_char_boundary(*i)) else {
        panic!("the sample report has non-ASCII text");
    };
    let mut cell = cell_of(&cut, &at.0, &at.1);
    cell.evidence[0].position = Some(TextPosition {
        start: inside,
        end: inside + 1,
    });
    set(&mut cut, &at.0, &at.1, cell);
    let _ = normgrid::sources::evidence::check_project(&cut);
    let shown: Vec<String> = problems(&cut).iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 1);
    assert!(shown[0].contains("cuts a character"), "{shown:?}");
    let inputs = MergeInputs::prepare(Some(&clean), &cut, &clean, true, today).unwrap();
    assert_eq!(problems(&inputs.ours), vec![]);
}
