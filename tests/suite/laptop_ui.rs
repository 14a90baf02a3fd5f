//! The app on a laptop, as a new volunteer starting the 2020 work meets it: a new project that
//! asks for its title and starts clean, frameworks switched from the grid itself, menus opened
//! from the keyboard, and a warning when an assessment contradicts its own quotes.

use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use normgrid::model::{AgreementId, Assessment, ElementId};
use normgrid::ui::AppEvent;
use normgrid::ui::actions::Action;
use normgrid::ui::dialogs::Modal;

use crate::common;
use common::gui::{add_agreement_named, click, harness, send, settle};

/// Clicks the checkbox labelled `label` (a framework's name is also shown elsewhere).
fn tick(harness: &mut common::gui::App, label: &str) {
    harness
        .get_by_role_and_label(egui::accesskit::Role::CheckBox, label)
        .click();
    settle(harness);
}

#[test]
fn new_asks_for_a_title_and_frameworks_and_starts_with_a_clean_view() {
    let mut harness = harness();
    // The sample with a filter, a sort and a selection, as a volunteer leaves it.
    {
        let view = harness.state_mut().view_mut();
        view.query.text = "paris".to_owned();
        view.query
            .cycle_column_sort(&ElementId::new("ke-human-rights"));
        view.select_cell(AgreementId::new("paris-call"), ElementId::new("ke-cbms"));
    }
    settle(&mut harness);
    // The sample is unchanged, so New goes straight to its questions.
    send(&mut harness, AppEvent::Action(Action::New));
    assert!(matches!(
        harness.state().modal(),
        Some(Modal::NewProject { .. })
    ));
    // Create waits for a title.
    assert!(
        harness
            .get_by_label("Create")
            .accesskit_node()
            .is_disabled()
    );
    harness
        .get_by_label("Title of the new project")
        .type_text("BPF Cybersecurity 2020: the UNGGE norms");
    settle(&mut harness);
    // Only the norms: the key elements are not part of this year's work.
    tick(&mut harness, "BPF 2019 key elements");
    click(&mut harness, "Create");

    let project = harness.state().project();
    assert_eq!(project.title, "BPF Cybersecurity 2020: the UNGGE norms");
    assert_eq!(
        project
            .frameworks
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        ["UNGGE 2015 norms"]
    );
    assert!(project.agreements.is_empty());
    let view = harness.state().view();
    assert_eq!(
        view.query,
        Default::default(),
        "no filter or sort carried over"
    );
    assert_eq!(view.selection, Default::default());
    harness.get_by_label("0 agreements");

    // The first agreement shows at once, with the eleven norms as its columns.
    add_agreement_named(
        &mut harness,
        "Paris Call for Trust and Security in Cyberspace",
    );
    assert_eq!(harness.state().visible_rows().len(), 1);
    assert_eq!(harness.state().visible_columns().len(), 11);
}

#[test]
fn a_new_project_needs_a_framework_and_cancel_keeps_the_old_one() {
    let mut harness = harness();
    let before = harness.state().project().title.clone();
    send(&mut harness, AppEvent::Action(Action::New));
    harness
        .get_by_label("Title of the new project")
        .type_text("Empty");
    settle(&mut harness);
    tick(&mut harness, "BPF 2019 key elements");
    tick(&mut harness, "UNGGE 2015 norms");
    harness.get_by_label_contains("Choose at least one framework");
    assert!(
        harness
            .get_by_label("Create")
            .accesskit_node()
            .is_disabled()
    );
    click(&mut harness, "Cancel");
    assert!(harness.state().modal().is_none());
    assert_eq!(harness.state().project().title, before);
}

#[test]
fn one_click_on_the_grid_switches_between_frameworks() {
    let mut harness = harness();
    assert_eq!(harness.state().visible_columns().len(), 21);
    click(&mut harness, "UNGGE 2015 norms (11)");
    assert_eq!(harness.state().visible_columns().len(), 11);
    assert!(
        harness
            .state()
            .visible_columns()
            .iter()
            .all(|e| e.as_str().starts_with("ungge-13"))
    );
    click(&mut harness, "BPF 2019 key elements (10)");
    assert_eq!(harness.state().visible_columns().len(), 10);
    click(&mut harness, "All");
    assert_eq!(harness.state().visible_columns().len(), 21);
}

#[test]
fn f10_and_alt_letters_open_the_menus() {
    let mut harness = harness();
    // Menu items are named with their shortcut: "Open… Ctrl+O".
    assert!(harness.query_by_label_contains("Open…").is_none());
    harness.key_press(Key::F10);
    settle(&mut harness);
    harness.get_by_label_contains("Open…");
    // The menu's button has the keyboard, so Tab and the arrows go on into the menu.
    assert!(harness.get_by_label("File").is_focused());
    harness.key_press(Key::Escape);
    settle(&mut harness);
    assert!(harness.query_by_label_contains("Open…").is_none());
    // Alt+V: the View menu, with the panels and the frameworks.
    harness.key_press_modifiers(Modifiers::ALT, Key::V);
    settle(&mut harness);
    harness.get_by_label("Cell and notes panel");
    harness.key_press(Key::Escape);
    settle(&mut harness);
    // Alt+A: Assess.
    harness.key_press_modifiers(Modifiers::ALT, Key::A);
    settle(&mut harness);
    harness.get_by_label_contains("Set Yes");
}

#[test]
fn no_with_verified_quotes_warns_without_blocking() {
    let mut harness = harness();
    // Paris Call / Reference to Human Rights holds verified quotes from the BPF report.
    let (paris, rights) = (
        AgreementId::new("paris-call"),
        ElementId::new("ke-human-rights"),
    );
    harness
        .state_mut()
        .view_mut()
        .select_cell(paris.clone(), rights.clone());
    settle(&mut harness);
    assert!(harness.query_by_label_contains("No, but").is_none());
    harness.key_press(Key::N);
    settle(&mut harness);
    assert_eq!(
        harness.state().project().cell(&paris, &rights).assessment,
        Assessment::No,
        "a warning, not a block"
    );
    harness.get_by_label_contains("No, but ");
    harness.get_by_label_contains("verified quote");
}
