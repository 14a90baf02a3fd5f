//! The editor's second pass, tried as a newcomer would: keyboard-only work (Add agreement's
//! shortcut, dropdowns that Enter picks from), norm checkboxes that say what they are, a note
//! for frameworks nobody has assessed, what a selected block offers, Escape in a note, a palette
//! that holds still, and panels that leave the key-element columns in view.

use egui::accesskit::Role;
use egui::{Event, Key, Modifiers};
use egui_kittest::kittest::Queryable;
use normgrid::model::{AgreementId, Assessment, ElementId, Space};
use normgrid::ui::actions::Action;
use normgrid::ui::dialogs::Modal;

use crate::common;
use common::gui::{App, add_initiative_for, click, harness, settle};

fn press(harness: &mut App, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    settle(harness);
}

/// Text typed into whatever has the keyboard, as a keyboard would send it.
fn type_text(harness: &mut App, text: &str) {
    harness.event(Event::Text(text.to_owned()));
    settle(harness);
}

fn focused(harness: &App) -> Option<egui::Id> {
    harness.ctx.memory(|m| m.focused())
}

#[test]
fn ctrl_shift_a_asks_for_the_name_and_adds_the_agreement_with_an_id_from_it() {
    let mut harness = harness();
    let before = harness.state().project().agreements.len();
    // Closed panels are opened for it: its details must be somewhere.
    harness.state_mut().prefs_mut().show_cell_panel = false;
    settle(&mut harness);

    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    assert!(
        matches!(harness.state().modal(), Some(Modal::NewAgreement { .. })),
        "the shortcut asks for the name"
    );
    assert!(
        focused(&harness).is_some(),
        "the name field has the keyboard"
    );
    type_text(&mut harness, "Test Accord 2026");
    press(&mut harness, Modifiers::NONE, Key::Enter);

    let project = harness.state().project();
    assert_eq!(project.agreements.len(), before + 1);
    let added = project.agreements.last().unwrap();
    assert_eq!(
        added.id.as_str(),
        "test-accord-2026",
        "the id comes from the name"
    );
    assert_eq!(added.name, "Test Accord 2026");
    assert_eq!(
        added.short_name, "Test Accord 2026",
        "the grid shows the name"
    );
    let added = added.id.clone();
    assert!(harness.state().modal().is_none());
    assert_eq!(
        harness.state().view().selection.agreement,
        Some(added.clone())
    );
    assert!(harness.state().visible_rows().contains(&added));
    assert!(harness.state().action_state().show_cell_panel);
    harness.get_by_role_and_label(Role::RowHeader, "Test Accord 2026");

    // The grid has the keyboard again: an arrow and Y assess the new row's first cell.
    assert!(focused(&harness).is_none(), "no field keeps the keyboard");
    press(&mut harness, Modifiers::NONE, Key::ArrowRight);
    press(&mut harness, Modifiers::NONE, Key::Y);
    let first_element = harness.state().project().frameworks[0].elements[0]
        .id
        .clone();
    assert_eq!(
        harness.state().project().assessment(&added, &first_element),
        Assessment::Yes
    );
    // The table names the shortcut, so the menu and the palette show it.
    assert_eq!(
        Action::AddAgreement.shortcut_text(&harness.ctx).as_deref(),
        Some("Ctrl+Shift+A")
    );
}

#[test]
fn the_name_prompt_adds_nothing_without_a_name_or_on_cancel() {
    let mut harness = harness();
    let before = harness.state().project().clone();
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    press(&mut harness, Modifiers::NONE, Key::Enter);
    assert!(
        matches!(harness.state().modal(), Some(Modal::NewAgreement { .. })),
        "Enter with no name keeps asking"
    );
    type_text(&mut harness, "Half typed");
    click(&mut harness, "Cancel");
    assert!(harness.state().modal().is_none());
    assert_eq!(harness.state().project(), &before, "nothing was added");
}

#[test]
fn enter_on_an_open_dropdown_picks_the_focused_entry_and_closes_it() {
    let mut harness = harness();
    harness
        .get_by_role_and_label(Role::ComboBox, "Space")
        .click();
    settle(&mut harness);
    assert!(egui::Popup::is_any_open(&harness.ctx), "the list is open");
    // The chosen entry ("Any space") has the focus; Down moves it to the first space.
    press(&mut harness, Modifiers::NONE, Key::ArrowDown);
    press(&mut harness, Modifiers::NONE, Key::Enter);
    assert_eq!(harness.state().view().query.space, Some(Space::ALL[0]));
    assert!(
        !egui::Popup::is_any_open(&harness.ctx),
        "Enter closed the list"
    );
    assert!(
        harness.state().view().selection.agreement.is_none(),
        "the arrow moved the list's focus, not the grid's selection"
    );
}

#[test]
fn enter_picks_from_the_agreement_details_dropdown_as_one_edit() {
    let mut harness = harness();
    harness
        .get_by_role_and_label(Role::RowHeader, "Paris Call")
        .click();
    settle(&mut harness);
    let paris = AgreementId::new("paris-call");
    let before = harness.state().project().agreement(&paris).unwrap().binding;
    // The details' Binding, not the toolbar's filter of the same name: the rightmost one.
    harness
        .get_all_by_role_and_label(Role::ComboBox, "Binding")
        .max_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
        .unwrap()
        .click();
    settle(&mut harness);
    press(&mut harness, Modifiers::NONE, Key::ArrowDown);
    press(&mut harness, Modifiers::NONE, Key::Enter);
    assert!(!egui::Popup::is_any_open(&harness.ctx));
    let after = harness.state().project().agreement(&paris).unwrap().binding;
    assert_ne!(after, before, "Enter picked the next binding");
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    let undone = harness.state().project().agreement(&paris).unwrap().binding;
    assert_eq!(undone, before);
}

#[test]
fn the_initiative_editors_norm_checkboxes_name_the_norms() {
    let mut harness = harness();
    let added = add_initiative_for(&mut harness, "Paris Call").id;
    let checkbox =
        harness.get_by_role_and_label(Role::CheckBox, "(f) Do not damage critical infrastructure");
    checkbox.click();
    settle(&mut harness);
    let initiative = harness.state().project().initiative(&added).unwrap();
    assert_eq!(initiative.norms, vec![ElementId::new("ungge-13f")]);
}

#[test]
fn a_framework_nobody_assessed_says_so_above_the_grid_until_a_cell_is_set() {
    let mut harness = harness();
    let note = "No agreement is assessed against UNGGE 2015 norms yet";
    // The framework's own description follows the note.
    harness.get_by_label_contains(&format!("{note} · Voluntary, non-binding norms"));
    // The key elements are mapped: no note for them.
    assert!(
        harness
            .query_by_label_contains("assessed against BPF 2019 key elements")
            .is_none()
    );
    harness
        .state_mut()
        .view_mut()
        .select_cell(AgreementId::new("paris-call"), ElementId::new("ungge-13f"));
    settle(&mut harness);
    press(&mut harness, Modifiers::NONE, Key::Y);
    assert_eq!(
        harness.state().project().assessment(
            &AgreementId::new("paris-call"),
            &ElementId::new("ungge-13f")
        ),
        Assessment::Yes
    );
    assert!(harness.query_by_label_contains(note).is_none());
}

#[test]
fn a_selected_block_shows_its_size_and_what_the_keys_do() {
    let mut harness = harness();
    click(&mut harness, "Paris Call / Definition of Cyber threats: No");
    assert!(harness.query_by_label_contains("cells selected").is_none());
    press(&mut harness, Modifiers::SHIFT, Key::ArrowRight);
    press(&mut harness, Modifiers::SHIFT, Key::ArrowRight);
    press(&mut harness, Modifiers::SHIFT, Key::ArrowDown);
    harness.get_by_label("6 cells selected");
    harness.get_by_label_contains("Y, I or N set them all");
    press(&mut harness, Modifiers::NONE, Key::ArrowLeft);
    assert!(harness.query_by_label_contains("cells selected").is_none());
}

#[test]
fn escape_in_the_note_ends_editing_and_keeps_the_selection() {
    let mut harness = harness();
    click(&mut harness, "Paris Call / Definition of Cyber threats: No");
    let selection = harness.state().view().selection.clone();
    press(&mut harness, Modifiers::NONE, Key::Enter);
    assert!(
        harness.get_by_label("Note").is_focused(),
        "Enter edits the note"
    );
    type_text(&mut harness, "abc");
    let paris = AgreementId::new("paris-call");
    let threats = ElementId::new("ke-def-cyber-threats");
    assert_eq!(harness.state().project().cell(&paris, &threats).note, "abc");
    press(&mut harness, Modifiers::NONE, Key::Escape);
    assert_eq!(focused(&harness), None, "Escape let go of the note");
    assert_eq!(
        harness.state().view().selection,
        selection,
        "Escape did not reach the grid"
    );
    type_text(&mut harness, "xyz");
    assert_eq!(harness.state().project().cell(&paris, &threats).note, "abc");
    // The grid has the keys again.
    press(&mut harness, Modifiers::NONE, Key::Y);
    assert_eq!(
        harness.state().project().assessment(&paris, &threats),
        Assessment::Yes
    );
}

#[test]
fn the_palette_keeps_its_height_as_results_shrink() {
    let mut harness = harness();
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    let top = harness.get_by_label("Run command").rect().top();
    harness.get_by_label("Run command").type_text("undo");
    settle(&mut harness);
    assert_eq!(harness.get_by_label("Run command").rect().top(), top);
    harness.get_by_label("Run command").type_text("zzzz");
    settle(&mut harness);
    harness.get_by_label("No command matches");
    assert_eq!(harness.get_by_label("Run command").rect().top(), top);
}

#[test]
fn the_chip_row_is_reserved_so_the_grid_does_not_move_when_a_filter_comes() {
    let mut harness = harness();
    let header = "Specified CBMs";
    let top = harness
        .get_by_role_and_label(Role::ColumnHeader, header)
        .rect()
        .top();
    harness
        .state_mut()
        .view_mut()
        .query
        .toggle_column_filter(&ElementId::new("ke-human-rights"), Assessment::Yes);
    settle(&mut harness);
    harness.get_by_label("10 of 20 agreements");
    harness.get_by_label_contains("Reference to Human Rights: Yes ×");
    let moved = harness
        .get_by_role_and_label(Role::ColumnHeader, header)
        .rect()
        .top();
    assert_eq!(moved, top);
}

#[test]
fn at_1280_by_800_every_panel_open_leaves_the_key_element_columns_in_view() {
    let mut harness = harness();
    click(&mut harness, "View");
    click(&mut harness, "Initiatives panel");
    click(&mut harness, "View");
    click(&mut harness, "UNGGE norms panel");
    let project = harness.state().project().clone();
    let key_elements = &project.frameworks[0].elements;
    // The grid draws (and labels) only the columns in view.
    for element in key_elements {
        let name = element.display_name();
        let header = harness.get_by_role_and_label(Role::ColumnHeader, &name);
        assert!(header.rect().right() <= 1280.0, "{name} is in the window");
    }
    // Dragging the cell panel's edge (just left of its content) far to the left stops before
    // the columns go.
    let content_left = harness
        .get_by_label_contains("Select a cell in the grid")
        .rect()
        .left();
    let start = egui::pos2(content_left - 8.0, 400.0);
    drag(&mut harness, start, egui::pos2(100.0, 400.0));
    let widened_left = harness
        .get_by_label_contains("Select a cell in the grid")
        .rect()
        .left();
    assert!(
        widened_left < content_left - 10.0,
        "the drag widened the panel ({content_left} → {widened_left})"
    );
    for element in key_elements {
        let name = element.display_name();
        assert!(
            harness
                .query_by_role_and_label(Role::ColumnHeader, &name)
                .is_some(),
            "{name} still in view after widening the panel"
        );
    }
    // Hiding a panel from its own button; the View menu brings it back.
    click(&mut harness, "Hide UNGGE norms panel");
    assert!(!harness.state().action_state().show_norms_panel);
}

fn drag(harness: &mut App, from: egui::Pos2, to: egui::Pos2) {
    harness.event(Event::PointerMoved(from));
    harness.step();
    harness.event(Event::PointerButton {
        pos: from,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    harness.step();
    for step in 1..=10 {
        let t = step as f32 / 10.0;
        harness.event(Event::PointerMoved(from.lerp(to, t)));
        harness.step();
    }
    harness.event(Event::PointerButton {
        pos: to,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    settle(harness);
}

#[test]
fn at_1920_by_1080_the_grid_uses_the_width_and_the_count_stays_on_one_line() {
    let mut wide = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1920.0, 1080.0))
        .with_max_steps(64)
        .build_eframe(|cc| {
            let mut app = normgrid::ui::NormgridApp::new(cc, &Default::default());
            app.prefs_mut().author = "Tester".to_owned();
            app
        });
    settle(&mut wide);
    let narrow = harness();
    let cell = "Paris Call / Definition of Cyber threats: No";
    let narrow_width = narrow
        .get_by_role_and_label(Role::Cell, cell)
        .rect()
        .width();
    let wide_width = wide.get_by_role_and_label(Role::Cell, cell).rect().width();
    assert!(
        wide_width > narrow_width + 8.0,
        "wider cells at 1920 ({narrow_width} → {wide_width})"
    );
    // Every column of the sample is in view.
    let project = wide.state().project().clone();
    for framework in &project.frameworks {
        for element in &framework.elements {
            let name = element.display_name();
            let header = wide.get_by_role_and_label(Role::ColumnHeader, &name);
            assert!(header.rect().right() <= 1920.0, "{name}");
        }
    }
    // The count is one line, filtered or not.
    wide.state_mut()
        .view_mut()
        .query
        .toggle_column_filter(&ElementId::new("ke-human-rights"), Assessment::Yes);
    settle(&mut wide);
    let count = wide.get_by_label("10 of 20 agreements").rect();
    let line = wide.get_by_label("Filter").rect().height();
    assert!(
        count.height() <= line + 1.0,
        "{count:?} is one line ({line})"
    );
}

#[test]
fn the_cell_panel_keeps_its_width_for_a_long_title_and_id() {
    let mut harness = harness();
    let mut project = harness.state().project().clone();
    // Long, with an id no line break can split (readable ids come from names).
    let long = AgreementId::new(format!("agreement{}", "-trust-and-security".repeat(8)));
    let name = format!(
        "Paris Call for Trust and Security in Cyberspace {}",
        "again ".repeat(10)
    );
    project
        .agreements
        .push(normgrid::model::Agreement::new(long.clone(), &name, &name));
    harness.state_mut().show_project(project);
    settle(&mut harness);
    let panel_left = |harness: &App| harness.get_by_label("Note").rect().left();
    let human_rights = ElementId::new("ke-human-rights");
    harness
        .state_mut()
        .view_mut()
        .select_cell(AgreementId::new("manrs"), human_rights.clone());
    settle(&mut harness);
    let usual = panel_left(&harness);
    harness
        .state_mut()
        .view_mut()
        .select_cell(long, human_rights.clone());
    settle(&mut harness);
    assert_eq!(panel_left(&harness), usual, "the long title and id wrap");
    harness
        .state_mut()
        .view_mut()
        .select_cell(AgreementId::new("manrs"), human_rights);
    settle(&mut harness);
    assert_eq!(panel_left(&harness), usual);
}

const LONG_NOTE: &str = "Action 3 asks members to coordinate with other network operators, \
    to keep contact details current and to answer incident reports quickly, which the \
    mapping reads as an implied confidence-building measure between operators.";

#[test]
fn compare_and_merge_show_a_long_note_in_full_and_wrapped() {
    let dir = tempfile::tempdir().unwrap();
    let base = common::sample();
    let base_path = std::path::PathBuf::from(common::write(dir.path(), "base.ron", &base));
    let theirs = common::with_cell(
        &base,
        "manrs",
        "ke-cbms",
        Assessment::Indirect,
        Some(LONG_NOTE),
        "Ana",
    );
    let theirs_path = std::path::PathBuf::from(common::write(dir.path(), "theirs.ron", &theirs));
    let ours = common::with_cell(
        &base,
        "manrs",
        "ke-cbms",
        Assessment::Yes,
        Some("Ours"),
        "Ben",
    );
    let ours_path = std::path::PathBuf::from(common::write(dir.path(), "ours.ron", &ours));
    let mut harness = common::gui::harness_with(normgrid::ui::StartupOptions {
        file: Some(ours_path),
        ..Default::default()
    });
    let tail = "implied confidence-building measure between operators.";

    harness
        .state_mut()
        .send(normgrid::ui::AppEvent::ComparePath(theirs_path.clone()));
    settle(&mut harness);
    let change = harness.get_by_label_contains(tail).rect();
    assert!(
        change.right() <= 1280.0,
        "wrapped inside the window: {change:?}"
    );
    assert!(change.height() > 20.0, "on several lines: {change:?}");

    harness
        .state_mut()
        .send(normgrid::ui::AppEvent::MergeBasePath(base_path));
    settle(&mut harness);
    harness
        .state_mut()
        .send(normgrid::ui::AppEvent::MergeTheirsPath(theirs_path));
    settle(&mut harness);
    let theirs_note = harness.get_by_label(LONG_NOTE).rect();
    assert!(theirs_note.right() <= 1280.0, "{theirs_note:?}");
    assert!(theirs_note.height() > 20.0, "{theirs_note:?}");
    // The rows below the note start below its last line: nothing is drawn over it.
    let note_row = harness.get_by_label("note").rect();
    let below = harness.get_by_label("evidence").rect();
    assert!(
        below.top() > note_row.top(),
        "evidence is listed after note"
    );
    assert!(
        below.top() >= theirs_note.bottom(),
        "evidence row at {below:?} overlaps the wrapped note {theirs_note:?}"
    );
}

#[test]
fn the_legend_reads_at_12_px_or_more() {
    let harness = harness();
    for word in ["Yes", "Indirect", "No", "Not assessed"] {
        let height = harness.get_by_label(word).rect().height();
        assert!(height >= 14.0, "{word}: {height} px high");
    }
}

#[test]
fn the_name_prompt_refuses_a_control_character() {
    let mut harness = harness();
    let before = harness.state().project().agreements.len();
    press(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    type_text(&mut harness, "Bell\u{7}Accord");
    press(&mut harness, Modifiers::NONE, Key::Enter);
    let project = harness.state().project();
    assert!(
        project
            .agreements
            .iter()
            .all(|a| normgrid::model::text::first_forbidden_control(&a.name).is_none()),
        "no agreement name holds the control character"
    );
    assert_eq!(project.agreements.len(), before, "nothing was added");
    // Refused: the prompt stays open and says why.
    assert!(matches!(
        harness.state().modal(),
        Some(Modal::NewAgreement { .. })
    ));
    harness.get_by_label_contains("control character");
}
