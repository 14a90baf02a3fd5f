//! The editor driven the way a person uses it: by labels in the AccessKit tree, clicks and keys.
//! File dialogs are never opened: paths go in through the same event the dialog would send.

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use normgrid::model::{AgreementId, Assessment, ElementId, ProvisionId, ProvisionLink};
use normgrid::ui::dialogs::Modal;
use normgrid::ui::{AppEvent, StartupOptions};
use std::path::Path;
use std::time::Duration;

use crate::common;
use common::gui::{
    add_agreement_named, add_initiative_for, cell, click, harness, harness_with, settle,
};

#[test]
fn settle_fails_when_the_ui_never_goes_idle() {
    // A UI that asks for a repaint every frame, as a stuck spinner or a feedback loop would.
    let mut restless = egui_kittest::Harness::builder()
        .with_max_steps(8)
        .build_ui(|ui| {
            ui.label("always busy");
            ui.ctx().request_repaint();
        });
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| settle(&mut restless)));
    let message = match outcome {
        Ok(()) => panic!("settle returned although the UI never went idle"),
        Err(payload) => payload
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default(),
    };
    assert!(message.contains("the UI never went idle"), "{message}");
    assert!(message.contains("Repaint causes"), "{message}");
}

#[test]
fn select_a_cell_press_y_then_undo() {
    let mut harness = harness();
    assert_eq!(
        cell(&harness, "manrs", "ke-cbms").assessment,
        Assessment::No
    );
    click(&mut harness, "MANRS / Specified CBMs: No");
    harness.key_press(Key::Y);
    settle(&mut harness);
    let changed = cell(&harness, "manrs", "ke-cbms");
    assert_eq!(changed.assessment, Assessment::Yes);
    assert_eq!(changed.edited_by, "Tester");
    assert!(harness.state().has_unsaved_changes());
    // The grid says so to screen readers too.
    harness.get_by_label("MANRS / Specified CBMs: Yes");
    assert!(harness.state().window_title().starts_with("● "));

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(
        cell(&harness, "manrs", "ke-cbms").assessment,
        Assessment::No
    );
    assert!(!harness.state().has_unsaved_changes());

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    settle(&mut harness);
    assert_eq!(
        cell(&harness, "manrs", "ke-cbms").assessment,
        Assessment::Yes
    );
}

#[test]
fn arrow_keys_move_the_selection_and_letters_set_values() {
    let mut harness = harness();
    click(
        &mut harness,
        "Paris Call / Further multi-stakeholderism: Yes",
    );
    harness.key_press(Key::ArrowRight);
    harness.key_press(Key::ArrowDown);
    settle(&mut harness);
    harness.key_press(Key::I);
    settle(&mut harness);
    assert_eq!(
        cell(&harness, "ungge-2015", "ke-vulnerability-equities").assessment,
        Assessment::Indirect
    );
    harness.key_press(Key::Delete);
    settle(&mut harness);
    assert_eq!(
        cell(&harness, "ungge-2015", "ke-vulnerability-equities").assessment,
        Assessment::NotAssessed
    );
}

#[test]
fn type_a_note_into_the_cell_panel() {
    let mut harness = harness();
    click(&mut harness, "Tech Accord / Specified CBMs: No");
    click(&mut harness, "Note");
    harness
        .get_by_label("Note")
        .type_text("Principle 4 joint work reads as a CBM.");
    settle(&mut harness);
    assert_eq!(
        cell(&harness, "tech-accord", "ke-cbms").note,
        "Principle 4 joint work reads as a CBM."
    );
    // The typing is one undo step, not one per character.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(cell(&harness, "tech-accord", "ke-cbms").note, "");
}

#[test]
fn add_an_agreement_and_name_it() {
    let mut harness = harness();
    let new_id = add_agreement_named(&mut harness, "G20 Antalya Leaders' Communique");
    let project = harness.state().project();
    assert_eq!(project.agreements.len(), 21);
    assert_eq!(project.agreements[20].id, new_id);
    assert_eq!(
        harness.state().view().selection.agreement.as_ref(),
        Some(&new_id)
    );
    click(&mut harness, "Short name");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("Short name").type_text("G20 Antalya");
    settle(&mut harness);
    let added = harness
        .state()
        .project()
        .agreement(&new_id)
        .unwrap()
        .clone();
    assert_eq!(added.short_name, "G20 Antalya");
    harness.get_by_role_and_label(Role::RowHeader, "G20 Antalya");
}

#[test]
fn filter_the_grid() {
    let mut harness = harness();
    click(&mut harness, "Filter");
    harness.get_by_label("Filter").type_text("botnet");
    settle(&mut harness);
    assert_eq!(
        harness.state().visible_rows(),
        [AgreementId::new("csde-botnet-guide")]
    );
    assert!(
        harness
            .query_by_label("Paris Call / Further multi-stakeholderism: Yes")
            .is_none()
    );
    harness.get_by_role_and_label(Role::RowHeader, "CSDE Anti-botnet Guide");
    harness.get_by_label("1 of 20 agreements");

    // Escape in the focused box empties it, as its tooltip and the command table say.
    harness.key_press(Key::Escape);
    settle(&mut harness);
    assert_eq!(harness.state().view().query.text, "");
    assert_eq!(harness.state().visible_rows().len(), 20);
}

#[test]
fn open_the_norms_panel_and_click_norm_f() {
    let mut harness = harness();
    click(&mut harness, "View");
    click(&mut harness, "UNGGE norms panel");
    click(&mut harness, "(f) Do not damage critical infrastructure");
    let view = harness.state().view();
    assert_eq!(view.selection.element, Some(ElementId::new("ungge-13f")));
    // Its column header is on screen.
    harness.get_by_role_and_label(
        Role::ColumnHeader,
        "(f) Do not damage critical infrastructure",
    );
}

#[test]
fn link_an_initiative_to_a_provision() {
    let mut harness = harness();
    let added = add_initiative_for(&mut harness, "Paris Call");
    assert_eq!(
        added.supports,
        vec![ProvisionLink {
            agreement: AgreementId::new("paris-call"),
            provision: None
        }]
    );

    click(&mut harness, "Link to agreement");
    harness
        .get_by(|node| {
            node.label().as_deref() == Some("Tech Accord") && node.role() != Role::RowHeader
        })
        .click();
    settle(&mut harness);
    click(&mut harness, "Provision");
    click(&mut harness, "Principle 2: No offense");
    click(&mut harness, "Add link");
    let initiative = harness
        .state()
        .project()
        .initiative(&added.id)
        .unwrap()
        .clone();
    assert!(initiative.supports.contains(&ProvisionLink {
        agreement: AgreementId::new("tech-accord"),
        provision: Some(ProvisionId::new("principle-2")),
    }));
    assert!(normgrid::model::validate::problems(harness.state().project()).is_empty());
}

#[test]
fn unsaved_changes_guard_on_new() {
    let mut harness = harness();
    click(&mut harness, "Paris Call / Definition of Cyber threats: No");
    harness.key_press(Key::Y);
    settle(&mut harness);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    settle(&mut harness);
    assert!(matches!(
        harness.state().modal(),
        Some(Modal::UnsavedChanges { .. })
    ));
    click(&mut harness, "Cancel");
    assert!(harness.state().modal().is_none());
    assert_eq!(harness.state().project().agreements.len(), 20);
    assert_eq!(
        cell(&harness, "paris-call", "ke-def-cyber-threats").assessment,
        Assessment::Yes
    );

    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    settle(&mut harness);
    click(&mut harness, "Discard changes");
    // New asks for the title next; the old project stays until it is given.
    assert_eq!(harness.state().project().agreements.len(), 20);
    common::gui::create_project(&mut harness, "BPF 2020");
    assert_eq!(harness.state().project().title, "BPF 2020");
    assert!(harness.state().project().agreements.is_empty());
    assert_eq!(harness.state().project().frameworks.len(), 2);
    assert!(!harness.state().has_unsaved_changes());
}

#[test]
fn save_in_the_guard_writes_the_file_before_going_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ron");
    std::fs::write(&path, normgrid::sample::BPF_2019_RON).unwrap();
    let mut harness = harness();
    harness.state_mut().send(AppEvent::OpenPath(path.clone()));
    settle(&mut harness);
    assert_eq!(harness.state().document_path(), Some(path.as_path()));

    click(&mut harness, "MANRS / Specified CBMs: No");
    harness.key_press(Key::I);
    settle(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    settle(&mut harness);
    click(&mut harness, "Save");
    common::gui::create_project(&mut harness, "BPF 2020");
    let saved = normgrid::io::load_project(&path).unwrap().project;
    assert_eq!(
        saved.assessment(&AgreementId::new("manrs"), &ElementId::new("ke-cbms")),
        Assessment::Indirect
    );
    assert!(
        harness.state().project().agreements.is_empty(),
        "then the new project opened"
    );
}

#[test]
fn ctrl_s_saves_and_a_file_changed_on_disk_is_never_overwritten_silently() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ron");
    std::fs::write(&path, normgrid::sample::BPF_2019_RON).unwrap();
    let mut harness = harness_with(StartupOptions {
        file: Some(path.clone()),
        ..StartupOptions::default()
    });
    settle(&mut harness);
    click(
        &mut harness,
        "EU NIS Directive / Reference to Human Rights: No",
    );
    harness.key_press(Key::Y);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut harness);
    assert!(!harness.state().has_unsaved_changes());
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert!(normgrid::io::backup_path(&path).exists());

    // A colleague's sync tool rewrites the file.
    let theirs = on_disk.replace("Basic cyber hygiene", "Basic cyber hygiene!");
    std::fs::write(&path, &theirs).unwrap();
    harness.key_press(Key::N);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut harness);
    assert!(matches!(
        harness.state().modal(),
        Some(Modal::ChangedOnDisk { .. })
    ));
    click(&mut harness, "Cancel");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs, "untouched");
    assert!(harness.state().has_unsaved_changes());

    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut harness);
    click(&mut harness, "Overwrite");
    assert!(!harness.state().has_unsaved_changes());
    assert_ne!(std::fs::read_to_string(&path).unwrap(), theirs);
}

#[test]
fn a_bad_file_shows_its_line_and_column_and_keeps_the_work() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.ron");
    std::fs::write(&path, "(\n    format_version: 1,\n    title: 5,\n)\n").unwrap();
    let mut harness = harness();
    click(&mut harness, "Paris Call / Definition of Cyber threats: No");
    harness.key_press(Key::Y);
    settle(&mut harness);
    // Not dirty-guarded here: the guard would ask first. Discard is not what we test.
    harness
        .state_mut()
        .send(AppEvent::SaveAsPath(dir.path().join("mine.ron")));
    settle(&mut harness);
    harness.state_mut().send(AppEvent::OpenPath(path.clone()));
    settle(&mut harness);
    match harness.state().modal() {
        Some(Modal::LoadFailed { message, .. }) => {
            assert!(message.contains("broken.ron:3:"), "{message}");
        }
        other => panic!("expected an error dialog, got {other:?}"),
    }
    click(&mut harness, "OK");
    assert_eq!(
        cell(&harness, "paris-call", "ke-def-cyber-threats").assessment,
        Assessment::Yes
    );
}

#[test]
fn removing_an_agreement_with_data_asks_first_and_undo_brings_it_back() {
    let mut harness = harness();
    harness
        .state_mut()
        .send(AppEvent::RemoveAgreement(AgreementId::new("manrs")));
    settle(&mut harness);
    assert!(matches!(
        harness.state().modal(),
        Some(Modal::ConfirmRemove { .. })
    ));
    click(&mut harness, "Remove");
    assert!(
        harness
            .state()
            .project()
            .agreement(&AgreementId::new("manrs"))
            .is_none()
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(
        cell(&harness, "manrs", "ke-multistakeholderism").assessment,
        Assessment::Yes
    );
}

#[test]
fn links_open_only_after_confirmation_and_only_for_web_and_mail() {
    let mut harness = harness();
    harness
        .get_by_role_and_label(Role::RowHeader, "MANRS")
        .click();
    settle(&mut harness);
    click(&mut harness, "Open link");
    match harness.state().modal() {
        Some(Modal::ConfirmLink { url }) => assert_eq!(url, "https://www.manrs.org/"),
        other => panic!("expected a confirmation, got {other:?}"),
    }
    click(&mut harness, "Cancel");
    harness
        .state_mut()
        .send(AppEvent::OpenLink("file:///etc/passwd".to_owned()));
    settle(&mut harness);
    assert!(matches!(harness.state().modal(), Some(Modal::Error { .. })));
}

#[test]
fn a_recovery_copy_is_written_when_idle_and_offered_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let options = StartupOptions {
        recovery_dir: Some(dir.path().to_path_buf()),
        recovery_idle: Duration::ZERO,
        ..StartupOptions::default()
    };
    let mut harness = harness_with(options.clone());
    settle(&mut harness);
    click(&mut harness, "SCO Agreement / Responsible disclosure: No");
    harness.key_press(Key::Y);
    settle(&mut harness);
    harness.run_steps(2);
    assert_eq!(recovery_copies(dir.path()), 1, "recovery copy written");
    assert!(
        !Path::new(normgrid::sample::BPF_2019_NAME).exists(),
        "never beside a user file"
    );
    drop(harness); // the crash

    let mut harness = harness_with(options);
    settle(&mut harness);
    assert!(matches!(
        harness.state().modal(),
        Some(Modal::Recovery { .. })
    ));
    click(&mut harness, "Restore");
    assert_eq!(
        cell(&harness, "sco-agreement", "ke-responsible-disclosure").assessment,
        Assessment::Yes
    );
    assert!(harness.state().has_unsaved_changes());
}

/// How many recovery copies are in `dir`.
fn recovery_copies(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|entry| {
            entry
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".recovery.ron")
        })
        .count()
}

#[test]
fn two_windows_keep_their_own_recovery_copies() {
    let dir = tempfile::tempdir().unwrap();
    let options = StartupOptions {
        recovery_dir: Some(dir.path().to_path_buf()),
        recovery_idle: Duration::ZERO,
        ..StartupOptions::default()
    };
    let mut first = harness_with(options.clone());
    settle(&mut first);
    click(&mut first, "SCO Agreement / Responsible disclosure: No");
    first.key_press(Key::Y);
    settle(&mut first);
    first.run_steps(2);
    assert_eq!(recovery_copies(dir.path()), 1);

    // A second window starts while the first is still working: it offers nothing of the first's.
    let mut second = harness_with(options.clone());
    settle(&mut second);
    assert!(
        second.state().modal().is_none(),
        "{:?}",
        second.state().modal()
    );
    click(&mut second, "MANRS / Specified CBMs: No");
    second.key_press(Key::I);
    settle(&mut second);
    second.run_steps(2);
    assert_eq!(recovery_copies(dir.path()), 2, "one copy per window");

    // The second discards its work and starts anew: only its own copy goes.
    second.key_press_modifiers(Modifiers::COMMAND, Key::N);
    settle(&mut second);
    click(&mut second, "Discard changes");
    assert_eq!(
        recovery_copies(dir.path()),
        1,
        "the first window's copy stays"
    );
    drop(second);

    drop(first); // the crash
    let mut next = harness_with(options);
    settle(&mut next);
    match next.state().modal() {
        Some(Modal::Recovery { recovered }) => assert_eq!(
            recovered.project.assessment(
                &AgreementId::new("sco-agreement"),
                &ElementId::new("ke-responsible-disclosure")
            ),
            Assessment::Yes,
            "the first window's work"
        ),
        other => panic!("expected the first window's copy, got {other:?}"),
    }
}

#[test]
fn closing_the_window_before_answering_keeps_the_recovery_copy() {
    let dir = tempfile::tempdir().unwrap();
    let options = StartupOptions {
        recovery_dir: Some(dir.path().to_path_buf()),
        recovery_idle: Duration::ZERO,
        ..StartupOptions::default()
    };
    let mut harness = harness_with(options.clone());
    settle(&mut harness);
    click(&mut harness, "SCO Agreement / Responsible disclosure: No");
    harness.key_press(Key::Y);
    settle(&mut harness);
    harness.run_steps(2);
    drop(harness); // the crash

    let mut harness = harness_with(options.clone());
    settle(&mut harness);
    assert!(matches!(
        harness.state().modal(),
        Some(Modal::Recovery { .. })
    ));
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    harness.run_steps(2);
    drop(harness);
    assert_eq!(
        recovery_copies(dir.path()),
        1,
        "still there for the next start"
    );
}

#[test]
fn charts_tab_shows_the_chart_live_and_exports_it_with_a_toast() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness();
    click(&mut harness, "Charts");
    harness.get_by_role_and_label(Role::Image, "Coverage heatmap");
    click(&mut harness, "Chart");
    click(&mut harness, "Element prevalence");
    harness.get_by_role_and_label(Role::Image, "Element prevalence");

    let png = dir.path().join("prevalence.png");
    harness
        .state_mut()
        .send(AppEvent::ExportChartPath(png.clone()));
    settle(&mut harness);
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let toast = harness.state().toast().unwrap().to_owned();
    assert!(toast.contains("prevalence.png"), "{toast}");
    harness.get_by_label(&toast);

    let svg = dir.path().join("prevalence.svg");
    harness
        .state_mut()
        .send(AppEvent::ExportChartPath(svg.clone()));
    settle(&mut harness);
    assert!(
        std::fs::read_to_string(&svg)
            .unwrap()
            .contains(">17 of 20<")
    );

    // Back in the grid, an edit shows up in the chart's data.
    click(&mut harness, "Grid");
    click(&mut harness, "MANRS / Specified CBMs: No");
    harness.key_press(Key::Y);
    settle(&mut harness);
    harness
        .state_mut()
        .send(AppEvent::ExportChartPath(svg.clone()));
    settle(&mut harness);
    assert!(
        std::fs::read_to_string(&svg)
            .unwrap()
            .contains(">13 of 20<"),
        "Specified CBMs now 12 Yes + 1 Indirect"
    );
}

#[test]
fn an_export_never_writes_over_the_open_project() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ron");
    std::fs::write(&path, normgrid::sample::BPF_2019_RON).unwrap();
    let mut harness = harness_with(StartupOptions {
        file: Some(path.clone()),
        ..StartupOptions::default()
    });
    settle(&mut harness);
    // The same file spelt another way, as a file dialog might hand it back.
    let spelt_otherwise = dir.path().join(".").join("shared.ron");
    click(&mut harness, "Charts");
    harness
        .state_mut()
        .send(AppEvent::ExportChartPath(spelt_otherwise));
    settle(&mut harness);
    let Some(Modal::Error { message, .. }) = harness.state().modal() else {
        panic!("expected an error, got {:?}", harness.state().modal());
    };
    assert!(message.contains("the open project"), "{message}");
    harness.get_by_label("OK").click();
    settle(&mut harness);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        normgrid::sample::BPF_2019_RON
    );
    assert!(!normgrid::io::backup_path(&path).exists());
}
