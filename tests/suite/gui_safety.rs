//! Nothing changes silently: keys typed into a field, a combo box or a dialog never reach the
//! grid; grid keys act only on a selected, visible cell; review comments are withdrawn only by
//! their author; damaged files and failed saves say so and offer a way out.

use egui::accesskit::Role;
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use normgrid::commands::Command;
use normgrid::model::{
    AgreementId, Assessment, ElementId, Note, NoteId, NoteKind, NoteTarget, Project,
};
use normgrid::ui::dialogs::Modal;
use normgrid::ui::view::CentralTab;
use normgrid::ui::{AppEvent, StartupOptions};
use proptest::prelude::*;

use crate::common;
use common::gui::{App, add_agreement_named, click, harness, harness_as, settle};

fn paris() -> AgreementId {
    AgreementId::new("paris-call")
}

fn human_rights() -> ElementId {
    ElementId::new("ke-human-rights")
}

/// Selects Paris Call × Reference to Human Rights, as a click on it would.
fn select_paris_human_rights(harness: &mut App) {
    harness
        .state_mut()
        .view_mut()
        .select_cell(paris(), human_rights());
    settle(harness);
}

fn key_for(ch: char) -> Option<Key> {
    Key::from_name(&ch.to_ascii_uppercase().to_string()).or(match ch {
        ' ' => Some(Key::Space),
        _ => None,
    })
}

/// Types like a person: each character is a key press (with Shift for capitals) and its text,
/// one frame apart, so anything that reads raw keys sees them.
fn type_like_a_person(harness: &mut App, text: &str) {
    for ch in text.chars() {
        let modifiers = if ch.is_uppercase() {
            Modifiers::SHIFT
        } else {
            Modifiers::NONE
        };
        if let Some(key) = key_for(ch) {
            harness.key_down_modifiers(modifiers, key);
        }
        harness.event(Event::Text(ch.to_string()));
        if let Some(key) = key_for(ch) {
            harness.key_up_modifiers(modifiers, key);
        }
        harness.step();
    }
    settle(harness);
}

fn has_focus(harness: &App) -> bool {
    harness.ctx.memory(|m| m.focused().is_some())
}

/// Sets one cell through the model, for normalising projects before comparing them.
fn with_cell(project: &mut Project, change: impl FnOnce(&mut normgrid::model::Cell)) {
    let mut cell = project.cell(&paris(), &human_rights());
    change(&mut cell);
    cell.edited_by.clear();
    cell.edited_at = None;
    Command::SetCell {
        agreement: paris(),
        element: human_rights(),
        cell,
    }
    .apply(project)
    .unwrap();
}

fn with_agreement(project: &mut Project, change: impl FnOnce(&mut normgrid::model::Agreement)) {
    let index = project.agreement_index(&paris()).unwrap();
    change(&mut project.agreements[index]);
}

/// One text field of one panel, how to reach it, and what in the project it may change.
struct Field {
    label: &'static str,
    /// Clears what the field may change, so the rest of the project can be compared.
    normalise: fn(&mut Project),
    /// Reads back what the field holds in the project (None: the field is not saved in it).
    read: fn(&Project) -> Option<String>,
}

fn cell_fields() -> Vec<Field> {
    vec![
        Field {
            label: "Note",
            normalise: |p| with_cell(p, |c| c.note.clear()),
            read: |p| Some(p.cell(&paris(), &human_rights()).note),
        },
        Field {
            label: "Locator of quote 1",
            normalise: |p| with_cell(p, |c| c.evidence[0].locator.clear()),
            read: |p| {
                Some(
                    p.cell(&paris(), &human_rights()).evidence[0]
                        .locator
                        .clone(),
                )
            },
        },
        Field {
            label: "Comment on quote 1",
            normalise: |p| with_cell(p, |c| c.evidence[0].comment.clear()),
            read: |p| {
                Some(
                    p.cell(&paris(), &human_rights()).evidence[0]
                        .comment
                        .clone(),
                )
            },
        },
        Field {
            label: "New note",
            normalise: |_| {},
            read: |_| None,
        },
        Field {
            label: "Filter",
            normalise: |_| {},
            read: |_| None,
        },
        Field {
            label: "Search in source",
            normalise: |_| {},
            read: |_| None,
        },
        Field {
            label: "Name",
            normalise: |p| with_agreement(p, |a| a.name.clear()),
            read: |p| p.agreement(&paris()).map(|a| a.name.clone()),
        },
        Field {
            label: "Short name",
            normalise: |p| with_agreement(p, |a| a.short_name.clear()),
            read: |p| p.agreement(&paris()).map(|a| a.short_name.clone()),
        },
        Field {
            label: "URL",
            normalise: |p| with_agreement(p, |a| a.url.clear()),
            read: |p| p.agreement(&paris()).map(|a| a.url.clone()),
        },
        Field {
            label: "Supporters",
            normalise: |p| with_agreement(p, |a| a.supporters.clear()),
            read: |p| p.agreement(&paris()).map(|a| a.supporters.clone()),
        },
        Field {
            label: "Summary",
            normalise: |p| with_agreement(p, |a| a.summary.clear()),
            read: |p| p.agreement(&paris()).map(|a| a.summary.clone()),
        },
        Field {
            // Letters are not a year: the field refuses them, and nothing else may take them.
            label: "Year",
            normalise: |_| {},
            read: |_| None,
        },
        Field {
            // The first provision's label.
            label: "1.",
            normalise: |p| with_agreement(p, |a| a.provisions[0].label.clear()),
            read: |p| p.agreement(&paris()).map(|a| a.provisions[0].label.clone()),
        },
        Field {
            label: "Unique elements (one per line)",
            normalise: |p| with_agreement(p, |a| a.unique_elements.clear()),
            read: |p| p.agreement(&paris()).map(|a| a.unique_elements.join("\n")),
        },
    ]
}

/// Selects everything in the focused field, so typing replaces it.
fn select_all(harness: &mut App) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    settle(harness);
}

const TYPED: &str = "Rita Ibarra";

#[test]
fn typing_a_name_into_any_field_changes_only_that_field() {
    for field in cell_fields() {
        let mut harness = harness();
        select_paris_human_rights(&mut harness);
        // The reader is open too: its search box is one of the fields.
        open_reader(&mut harness);
        let before = harness.state().project().clone();
        // Fields low in a panel may be scrolled out of reach of a click; Tab-like focus works.
        // The cell has two quotes, so Locator and Comment are there twice: the first is
        // evidence[0]'s, the one the field reads back.
        harness
            .get_all_by_label(field.label)
            .next()
            .unwrap()
            .focus();
        settle(&mut harness);
        assert!(has_focus(&harness), "{} takes focus", field.label);
        select_all(&mut harness);
        type_like_a_person(&mut harness, TYPED);
        let after = harness.state().project().clone();
        if let Some(read) = (field.read)(&after) {
            assert_eq!(read, TYPED, "{} holds what was typed", field.label);
        }
        let (mut before, mut after) = (before, after);
        (field.normalise)(&mut before);
        (field.normalise)(&mut after);
        assert_eq!(
            after, before,
            "typing into {} changed something else",
            field.label
        );
        assert_eq!(
            harness.state().view().selection.element,
            Some(human_rights()),
            "{}: the selection stayed",
            field.label
        );
    }
}

#[test]
fn typing_into_the_element_editor_changes_only_that_field() {
    let mut harness = harness();
    harness
        .get_by_role_and_label(Role::ColumnHeader, "Reference to Human Rights")
        .click();
    settle(&mut harness);
    type Read = fn(&normgrid::model::Element) -> String;
    for (label, read) in [
        ("Label", (|e| e.label.clone()) as Read),
        ("Element name", |e| e.name.clone()),
        ("Definition", |e| e.definition.clone()),
    ] {
        let before = harness.state().project().clone();
        harness.get_by_label(label).focus();
        settle(&mut harness);
        assert!(has_focus(&harness), "{label} takes focus");
        select_all(&mut harness);
        type_like_a_person(&mut harness, TYPED);
        let after = harness.state().project().clone();
        let (_, element) = after.element(&human_rights()).unwrap();
        assert_eq!(read(element), TYPED, "{label}");
        assert_eq!(after.cells, before.cells, "{label}: no cell changed");
        assert_eq!(after.agreements, before.agreements, "{label}");
        harness.key_press(Key::Escape);
        settle(&mut harness);
    }
}

#[test]
fn typing_your_name_keeps_the_field_and_the_whole_name() {
    // A new volunteer: no name yet, exactly as in the bug report.
    let mut harness = harness_as(StartupOptions::default(), "");
    select_paris_human_rights(&mut harness);
    let before = harness.state().project().clone();
    click(&mut harness, "Your name");
    type_like_a_person(&mut harness, TYPED);
    assert_eq!(harness.state_mut().prefs_mut().author, TYPED);
    assert_eq!(harness.state().project(), &before, "no cell changed");
    harness.get_by_label("Your name"); // still there
}

#[test]
fn typing_into_the_initiative_editor_changes_only_that_initiative_field() {
    let mut harness = harness();
    click(&mut harness, "View");
    click(&mut harness, "Initiatives panel");
    // The cell panel's provisions have "Title" fields too; this test is about the initiative's.
    click(&mut harness, "View");
    click(&mut harness, "Cell and notes panel");
    select_paris_human_rights(&mut harness);
    click(&mut harness, "Add initiative");
    let id = harness
        .state()
        .project()
        .initiatives
        .last()
        .unwrap()
        .id
        .clone();
    for (label, read) in [
        (
            "Title",
            (|i| i.title.clone()) as fn(&normgrid::model::Initiative) -> String,
        ),
        ("Stakeholder", |i| i.stakeholder.clone()),
        ("Description", |i| i.description.clone()),
        ("URL", |i| i.url.clone()),
    ] {
        let before = harness.state().project().clone();
        harness.get_by_label(label).focus();
        settle(&mut harness);
        assert!(has_focus(&harness), "{label} takes focus");
        select_all(&mut harness);
        type_like_a_person(&mut harness, TYPED);
        let after = harness.state().project().clone();
        let initiative = after.initiative(&id).unwrap();
        assert_eq!(read(initiative), TYPED, "{label}");
        assert_eq!(after.cells, before.cells, "{label}: no cell changed");
        assert_eq!(after.agreements, before.agreements, "{label}");
        assert_eq!(after.notes, before.notes, "{label}");
        // Leave the field as a person would, by clicking elsewhere.
        harness.key_press(Key::Escape);
        settle(&mut harness);
    }
}

#[test]
fn the_first_edit_asks_who_is_editing_and_signs_with_that_name() {
    let mut harness = harness_as(StartupOptions::default(), "");
    select_paris_human_rights(&mut harness);
    let before = harness.state().project().cell(&paris(), &human_rights());
    harness.key_press(Key::I);
    settle(&mut harness);
    assert!(
        matches!(harness.state().modal(), Some(Modal::WhoIsEditing { .. })),
        "asked for a name"
    );
    assert_eq!(
        harness.state().project().cell(&paris(), &human_rights()),
        before,
        "the edit waits for the name"
    );
    // The prompt's field has focus: the name goes there, not to the grid.
    type_like_a_person(&mut harness, TYPED);
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert!(harness.state().modal().is_none());
    let after = harness.state().project().cell(&paris(), &human_rights());
    assert_eq!(after.assessment, Assessment::Indirect);
    assert_eq!(after.edited_by, TYPED);
    assert_eq!(harness.state_mut().prefs_mut().author, TYPED);

    // Asked once: the next edit goes straight through.
    harness.key_press(Key::N);
    settle(&mut harness);
    assert!(harness.state().modal().is_none());
    assert_eq!(
        harness
            .state()
            .project()
            .cell(&paris(), &human_rights())
            .assessment,
        Assessment::No
    );
}

#[test]
fn cancelling_the_name_prompt_makes_no_edit() {
    let mut harness = harness_as(StartupOptions::default(), "");
    select_paris_human_rights(&mut harness);
    let before = harness.state().project().clone();
    harness.key_press(Key::I);
    settle(&mut harness);
    click(&mut harness, "Cancel");
    assert!(harness.state().modal().is_none());
    assert_eq!(harness.state().project(), &before);
}

#[test]
fn keys_do_nothing_with_only_a_row_or_column_header_selected() {
    let mut harness = harness();
    let before = harness.state().project().clone();
    harness
        .get_by_role_and_label(Role::RowHeader, "Paris Call")
        .click();
    settle(&mut harness);
    assert_eq!(harness.state().view().selection.element, None);
    for key in [Key::Y, Key::I, Key::N, Key::Delete, Key::R, Key::D] {
        harness.key_press(key);
        settle(&mut harness);
    }
    assert_eq!(harness.state().project(), &before, "row header selected");

    harness
        .get_by_role_and_label(Role::ColumnHeader, "Reference to Human Rights")
        .click();
    settle(&mut harness);
    assert_eq!(harness.state().view().selection.agreement, None);
    for key in [Key::Y, Key::I, Key::N, Key::Delete, Key::R, Key::D] {
        harness.key_press(key);
        settle(&mut harness);
    }
    assert_eq!(harness.state().project(), &before, "column header selected");
    assert!(!harness.state().has_unsaved_changes());
}

#[test]
fn keys_do_nothing_when_the_selected_cell_is_filtered_out() {
    let mut harness = harness();
    select_paris_human_rights(&mut harness);
    let before = harness.state().project().clone();
    // As typing "botnet" into the filter box and leaving it would.
    harness.state_mut().view_mut().query.text = "botnet".to_owned();
    settle(&mut harness);
    assert!(!harness.state().visible_rows().contains(&paris()));
    assert!(!has_focus(&harness));
    for key in [Key::Y, Key::I, Key::N, Key::Delete, Key::R, Key::D] {
        harness.key_press(key);
        settle(&mut harness);
    }
    assert_eq!(harness.state().project(), &before);
    assert!(!harness.state().has_unsaved_changes());
}

#[test]
fn a_new_agreement_becomes_the_selection_and_arrows_start_from_it() {
    let mut harness = harness();
    select_paris_human_rights(&mut harness);
    let new_id = add_agreement_named(&mut harness, "Test Accord 2026");
    assert_eq!(
        harness.state().view().selection.agreement.as_ref(),
        Some(&new_id)
    );
    // The name was typed into the prompt; the grid has the keyboard again.
    assert!(!has_focus(&harness), "no field keeps the keyboard");
    harness.key_press(Key::ArrowRight);
    settle(&mut harness);
    let view = harness.state().view();
    assert_eq!(
        view.selection.agreement.as_ref(),
        Some(&new_id),
        "not the top row"
    );
    let first_column = harness.state().project().frameworks[0].elements[0]
        .id
        .clone();
    assert_eq!(view.selection.element, Some(first_column.clone()));
    harness.key_press(Key::Y);
    settle(&mut harness);
    assert_eq!(
        harness.state().project().assessment(&new_id, &first_column),
        Assessment::Yes
    );
}

#[test]
fn ctrl_f_on_another_tab_leaves_no_focus_waiting_for_the_filter_box() {
    let mut harness = harness();
    click(&mut harness, "Charts");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    settle(&mut harness);
    click(&mut harness, "Grid");
    select_paris_human_rights(&mut harness);
    harness.run_steps(3);
    assert!(!has_focus(&harness), "the filter box did not grab focus");
    harness.key_press(Key::N);
    settle(&mut harness);
    assert_eq!(harness.state().view().query.text, "");
    assert_eq!(
        harness
            .state()
            .project()
            .cell(&paris(), &human_rights())
            .assessment,
        Assessment::No,
        "N reached the grid, not the filter box"
    );

    // On the grid tab Ctrl+F still takes you to the filter box.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    settle(&mut harness);
    assert!(has_focus(&harness));
    assert_eq!(harness.state().view().central_tab, CentralTab::Grid);
}

/// Opens the reader panel from the View menu, unless it is open.
fn open_reader(harness: &mut App) {
    if harness.query_by_label("Search in source").is_none() {
        click(harness, "View");
        click(harness, "Reader panel");
    }
}

#[test]
fn typing_into_the_reader_search_changes_nothing_and_keeps_the_selection() {
    let mut harness = harness();
    select_paris_human_rights(&mut harness);
    open_reader(&mut harness);
    let before = harness.state().project().clone();
    harness.get_by_label("Search in source").focus();
    settle(&mut harness);
    assert!(has_focus(&harness), "the search box takes focus");
    // Y, I, N, R and D are grid keys; Enter edits the note, Backspace clears a cell.
    type_like_a_person(&mut harness, "Yes IN Rights Done");
    for key in [Key::Enter, Key::Backspace, Key::Delete, Key::ArrowDown] {
        harness.key_press(key);
        settle(&mut harness);
        if !has_focus(&harness) {
            harness.get_by_label("Search in source").focus();
            settle(&mut harness);
        }
    }
    assert_eq!(harness.state().project(), &before, "no cell changed");
    assert_eq!(
        harness.state().view().selection.agreement,
        Some(paris()),
        "the selection stayed"
    );
    assert_eq!(
        harness.state().view().selection.element,
        Some(human_rights())
    );
}

/// Where the keys go in the property test.
#[derive(Clone, Copy, Debug)]
enum Focus {
    FilterBox,
    YourName,
    NewNote,
    SortComboBox,
    PreferencesDialog,
    ReaderSearch,
}

fn grab(harness: &mut App, focus: Focus) {
    match focus {
        Focus::FilterBox => click(harness, "Filter"),
        Focus::YourName => click(harness, "Your name"),
        Focus::NewNote => click(harness, "New note"),
        Focus::SortComboBox => click(harness, "Sort"),
        Focus::PreferencesDialog => {
            click(harness, "Edit");
            click(harness, "Preferences…");
        }
        Focus::ReaderSearch => {
            open_reader(harness);
            click(harness, "Search in source");
        }
    }
}

fn holds(harness: &App, focus: Focus) -> bool {
    match focus {
        Focus::SortComboBox => egui::Popup::is_any_open(&harness.ctx),
        Focus::PreferencesDialog => harness.state().modal().is_some(),
        _ => has_focus(harness),
    }
}

fn any_key() -> impl Strategy<Value = Key> {
    prop::sample::select(vec![
        Key::Y,
        Key::I,
        Key::N,
        Key::R,
        Key::D,
        Key::A,
        Key::E,
        Key::Delete,
        Key::Backspace,
        Key::Enter,
        Key::Escape,
        Key::ArrowUp,
        Key::ArrowDown,
        Key::ArrowLeft,
        Key::ArrowRight,
    ])
}

fn any_focus() -> impl Strategy<Value = Focus> {
    prop::sample::select(vec![
        Focus::FilterBox,
        Focus::YourName,
        Focus::NewNote,
        Focus::SortComboBox,
        Focus::PreferencesDialog,
        Focus::ReaderSearch,
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Whatever is pressed while a field, a combo box or a dialog has the keys, no cell changes.
    #[test]
    fn keys_for_a_field_combo_or_dialog_never_change_a_cell(
        focus in any_focus(),
        keys in prop::collection::vec(any_key(), 1..16),
    ) {
        let mut harness = harness();
        select_paris_human_rights(&mut harness);
        let cells = harness.state().project().cells.clone();
        grab(&mut harness, focus);
        for key in keys {
            // Escape or Enter may close the field's hold on the keys; a person clicks back in.
            if !holds(&harness, focus) {
                grab(&mut harness, focus);
            }
            prop_assert!(holds(&harness, focus), "{focus:?} has the keys");
            let text = key.name().to_lowercase();
            harness.key_down(key);
            if text.len() == 1 {
                harness.event(Event::Text(text));
            }
            harness.key_up(key);
            settle(&mut harness);
            prop_assert!(
                harness.state().project().cells == cells,
                "a cell changed after {:?} in {:?}",
                key,
                focus
            );
        }
    }
}

fn add_note(project: &mut Project, author: &str, kind: NoteKind, text: &str) -> NoteId {
    let id = NoteId::generate(author);
    let note = Note {
        id: id.clone(),
        target: NoteTarget::Agreement(paris()),
        author: author.to_owned(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        text: text.to_owned(),
        kind,
    };
    Command::InsertNote {
        index: project.notes.len(),
        note,
    }
    .apply(project)
    .unwrap();
    id
}

#[test]
fn in_review_mode_only_the_author_deletes_a_review_comment() {
    let dir = tempfile::tempdir().unwrap();
    let mut project = normgrid::sample::bpf_2019().unwrap().project;
    let theirs = add_note(&mut project, "Other Olu", NoteKind::Review, "Their comment");
    let mine = add_note(&mut project, "Reviewer Rae", NoteKind::Review, "My comment");
    let discussion = add_note(&mut project, "Reviewer Rae", NoteKind::Discussion, "A note");
    let path = dir.path().join("review.ron");
    normgrid::io::save_project(&path, &project).unwrap();
    let mut harness = harness_as(
        StartupOptions {
            file: Some(path),
            review: true,
            ..StartupOptions::default()
        },
        "Reviewer Rae",
    );
    assert!(harness.state().review_mode());
    harness.state_mut().view_mut().select_agreement(paris());
    settle(&mut harness);
    // Only one Delete button works: on my own review comment.
    let enabled_delete = |node: &egui_kittest::kittest::AccessKitNode<'_>| {
        node.label().as_deref() == Some("Delete") && !node.is_disabled()
    };
    assert_eq!(harness.query_all_by(enabled_delete).count(), 1);

    // Asking for the others anyway (as a stale click would) is refused.
    for id in [&theirs, &discussion] {
        harness.state_mut().send(AppEvent::RemoveNote(id.clone()));
        settle(&mut harness);
        assert!(harness.state().project().note(id).is_some(), "{id} stays");
    }
    harness.get_by(enabled_delete).click();
    settle(&mut harness);
    assert!(
        harness.state().project().note(&mine).is_none(),
        "mine is gone"
    );
    assert!(harness.state().project().note(&theirs).is_some());
}

#[test]
fn a_damaged_file_at_start_opens_nothing_and_offers_the_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ron");
    std::fs::write(&path, "(\n    format_version: 1,\n    title: 5,\n)\n").unwrap();
    std::fs::write(
        normgrid::io::backup_path(&path),
        normgrid::sample::BPF_2019_RON,
    )
    .unwrap();
    let damaged = std::fs::read(&path).unwrap();
    let mut harness = harness_as(
        StartupOptions {
            file: Some(path.clone()),
            ..StartupOptions::default()
        },
        "Tester",
    );
    match harness.state().modal() {
        Some(Modal::LoadFailed {
            message, backup, ..
        }) => {
            assert!(message.contains("shared.ron:3:"), "{message}");
            assert_eq!(
                backup.as_deref(),
                Some(normgrid::io::backup_path(&path).as_path())
            );
        }
        other => panic!("expected the load error, got {other:?}"),
    }
    let title = harness.state().window_title().to_owned();
    assert!(title.starts_with("Could not open shared.ron"), "{title}");
    assert_eq!(harness.state().document_path(), None);

    // Dismissed, the window still says so, and nothing can be saved over the damaged file.
    click(&mut harness, "OK");
    harness.get_by_label("shared.ron could not be opened");
    assert!(harness.query_by_label("0 agreements").is_none());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut harness);
    assert!(
        harness.state().modal().is_none(),
        "no Save As for an empty project"
    );
    assert_eq!(std::fs::read(&path).unwrap(), damaged);

    click(&mut harness, "Open the backup");
    assert_eq!(harness.state().project().agreements.len(), 20);
    assert_eq!(
        harness.state().document_path(),
        None,
        "Save As… decides where"
    );
    assert!(harness.state().has_unsaved_changes());
    assert_eq!(std::fs::read(&path).unwrap(), damaged, "untouched");
}

#[test]
fn opening_a_damaged_file_from_the_menu_offers_its_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("colleague.ron");
    std::fs::write(
        &path,
        "(format_version: 1, title: \"x\", agreements: [oops])",
    )
    .unwrap();
    std::fs::write(
        normgrid::io::backup_path(&path),
        normgrid::sample::BPF_2019_RON,
    )
    .unwrap();
    let mut harness = harness();
    harness.state_mut().send(AppEvent::OpenPath(path.clone()));
    settle(&mut harness);
    assert!(matches!(
        harness.state().modal(),
        Some(Modal::LoadFailed {
            backup: Some(_),
            ..
        })
    ));
    click(&mut harness, "Open the backup");
    assert!(harness.state().modal().is_none());
    assert_eq!(harness.state().project().agreements.len(), 20);
}

#[test]
fn a_failed_save_names_the_chosen_file_and_offers_save_as() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("no-such-folder").join("mine.ron");
    let mut harness = harness();
    select_paris_human_rights(&mut harness);
    harness.key_press(Key::N);
    settle(&mut harness);
    harness
        .state_mut()
        .send(AppEvent::SaveAsPath(target.clone()));
    settle(&mut harness);
    match harness.state().modal() {
        Some(Modal::SaveFailed { path, message, .. }) => {
            assert_eq!(path, &target);
            assert!(message.contains(&target.display().to_string()), "{message}");
            assert!(
                !message.contains(".mine.ron."),
                "no temporary file: {message}"
            );
        }
        other => panic!("expected a save error, got {other:?}"),
    }
    harness.get_by_label("Save As…");
    assert!(harness.state().has_unsaved_changes());
}

#[test]
fn a_read_only_file_is_refused_and_save_as_is_offered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locked.ron");
    std::fs::write(&path, normgrid::sample::BPF_2019_RON).unwrap();
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut harness = harness_as(
        StartupOptions {
            file: Some(path.clone()),
            ..StartupOptions::default()
        },
        "Tester",
    );
    select_paris_human_rights(&mut harness);
    harness.key_press(Key::N);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut harness);
    match harness.state().modal() {
        Some(Modal::SaveFailed {
            path: failed,
            message,
            ..
        }) => {
            assert_eq!(failed, &path);
            assert!(message.contains("read-only"), "{message}");
        }
        other => panic!("expected a save error, got {other:?}"),
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // Save As… is offered (clicking it opens the system dialog, which tests never do).
    harness.get_by_label("Save As…");
    assert!(harness.state().has_unsaved_changes());
}

#[test]
fn a_year_with_a_stray_letter_is_kept_as_typed_and_never_saved() {
    let mut harness = harness();
    select_paris_human_rights(&mut harness);
    let year = |h: &App| h.state().project().agreement(&paris()).unwrap().year;
    assert_eq!(year(&harness), Some(2018));
    harness.get_by_label("Year").focus();
    settle(&mut harness);
    select_all(&mut harness);
    // "20x8" once lost its x and was saved as 208.
    type_like_a_person(&mut harness, "20x8");
    assert_eq!(year(&harness), Some(2018), "no year until four digits");
    harness.get_by_label("four digits, e.g. 2018");
    select_all(&mut harness);
    type_like_a_person(&mut harness, "2019");
    assert_eq!(year(&harness), Some(2019));
}

/// The typed-path prompt that stands in for a system save dialog, answered like a person.
struct TypedPath {
    modal: Modal,
    answer: Option<normgrid::ui::dialogs::ModalAnswer>,
}

#[test]
fn the_typed_path_save_prompt_asks_before_replacing_a_file() {
    use normgrid::ui::dialogs::{FilePurpose, ModalAnswer};
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("shared.ron");
    std::fs::write(&existing, "kept").unwrap();
    let mut harness = Harness::new_ui_state(
        |ui, state: &mut TypedPath| {
            if state.answer.is_none() {
                state.answer = normgrid::ui::dialogs::modal_ui(ui.ctx(), &mut state.modal, "p.ron");
            }
        },
        TypedPath {
            modal: Modal::TypePath {
                purpose: FilePurpose::SaveAs,
                text: existing.display().to_string(),
                take_focus: true,
            },
            answer: None,
        },
    );
    harness.run();
    harness.get_by_label("shared.ron already exists. Replace it?");
    // Enter does not replace a file; only the Replace button does.
    harness.key_press(Key::Enter);
    harness.run();
    assert!(harness.state().answer.is_none());
    harness.get_by_label("Replace").click();
    harness.run();
    assert!(matches!(
        &harness.state().answer,
        Some(ModalAnswer::Path(path)) if *path == existing
    ));
}
