//! Compare, Merge, Coder agreement and Review mode, driven by labels as a person would.
//! File dialogs are never opened: paths go in through the event the dialog would send.

use crate::common;
use common::gui::{App, cell, click, harness_as, send, settle};
use common::{sample, with_cell, write};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use normgrid::model::{AgreementId, Assessment, ElementId, NoteKind, Project, ReviewStatus};
use normgrid::ui::view::CentralTab;
use normgrid::ui::{AppEvent, StartupOptions};
use std::path::{Path, PathBuf};

/// The app open on `ours`, with base and theirs chosen in the Merge tab.
fn merging(dir: &Path, base: &Project, ours: &Project, theirs: &Project) -> App {
    let base_path = PathBuf::from(write(dir, "base.ron", base));
    let ours_path = PathBuf::from(write(dir, "ours.ron", ours));
    let theirs_path = PathBuf::from(write(dir, "theirs.ron", theirs));
    let mut harness = harness_with(StartupOptions {
        file: Some(ours_path),
        ..StartupOptions::default()
    });
    send(&mut harness, AppEvent::MergeBasePath(base_path));
    send(&mut harness, AppEvent::MergeTheirsPath(theirs_path));
    harness
}

#[test]
fn resolve_a_merge_conflict_by_clicking_use_theirs_then_apply() {
    let dir = tempfile::tempdir().unwrap();
    let base = sample();
    let ours = with_cell(
        &base,
        "manrs",
        "ke-cbms",
        Assessment::Indirect,
        Some("Implied by Action 3"),
        "Ana",
    );
    // Theirs conflicts on MANRS and changes Paris Call, which ours left alone.
    let theirs = with_cell(
        &base,
        "manrs",
        "ke-cbms",
        Assessment::Yes,
        Some("Action 3 is a CBM"),
        "Ben",
    );
    let theirs = with_cell(
        &theirs,
        "paris-call",
        "ke-human-rights",
        Assessment::Indirect,
        None,
        "Ben",
    );
    let mut harness = merging(dir.path(), &base, &ours, &theirs);
    assert_eq!(harness.state().view().central_tab, CentralTab::Merge);

    // The conflict shows both notes side by side, and Apply waits for a decision.
    harness.get_by_label("Implied by Action 3");
    harness.get_by_label("Action 3 is a CBM");
    harness.get_by_label("1 to decide");
    click(&mut harness, "Apply merge");
    assert_eq!(
        cell(&harness, "manrs", "ke-cbms").assessment,
        Assessment::Indirect
    );

    click(&mut harness, "Use theirs");
    harness.get_by_label("Decided: theirs");
    click(&mut harness, "Apply merge");

    let merged = cell(&harness, "manrs", "ke-cbms");
    assert_eq!(merged.assessment, Assessment::Yes);
    assert_eq!(merged.note, "Action 3 is a CBM");
    assert_eq!(merged.edited_by, "Ben");
    // Theirs' one-sided change came in by itself.
    assert_eq!(
        cell(&harness, "paris-call", "ke-human-rights").assessment,
        Assessment::Indirect
    );
    assert_eq!(harness.state().view().central_tab, CentralTab::Grid);
    assert!(harness.state().has_unsaved_changes());

    // The merge is one undo step.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(
        cell(&harness, "manrs", "ke-cbms").assessment,
        Assessment::Indirect
    );
    assert_eq!(
        cell(&harness, "paris-call", "ke-human-rights").assessment,
        Assessment::Yes
    );
    assert!(!harness.state().has_unsaved_changes());
}

#[test]
fn edit_a_conflicting_cell_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let base = sample();
    let ours = with_cell(
        &base,
        "manrs",
        "ke-cbms",
        Assessment::Indirect,
        Some("ours"),
        "Ana",
    );
    let theirs = with_cell(
        &base,
        "manrs",
        "ke-cbms",
        Assessment::Yes,
        Some("theirs"),
        "Ben",
    );
    let mut harness = merging(dir.path(), &base, &ours, &theirs);
    click(&mut harness, "Edit the result…");
    harness
        .get_by_role_and_label(egui::accesskit::Role::RadioButton, "No")
        .click();
    settle(&mut harness);
    harness.get_by_label("Note").focus();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_label("Note")
        .type_text("Settled at the March call");
    settle(&mut harness);
    click(&mut harness, "Use this result");
    harness.get_by_label("Decided: edited by hand");
    click(&mut harness, "Apply merge");
    let merged = cell(&harness, "manrs", "ke-cbms");
    assert_eq!(merged.assessment, Assessment::No);
    assert_eq!(merged.note, "Settled at the March call");
    assert_eq!(merged.edited_by, "Reviewer Rae");
}

#[test]
fn merge_view_lists_damaged_inputs_and_applies_only_after_a_listed_repair() {
    let dir = tempfile::tempdir().unwrap();
    let base = sample();
    // Theirs holds a second agreement under Paris Call's id: merging by id would drop one.
    let mut theirs = with_cell(&base, "manrs", "ke-cbms", Assessment::Yes, None, "Ben");
    let mut copy = theirs.agreements[0].clone();
    let duplicated = copy.id.clone();
    copy.short_name = "Ben's copy".to_owned();
    theirs.agreements.push(copy);
    let mut harness = merging(dir.path(), &base, &base, &theirs);

    harness.get_by_label("1 problem in the files to merge");
    harness.get_by_label(&format!(
        "theirs (theirs.ron): duplicate agreement id `{duplicated}`"
    ));
    assert!(harness.query_by_label("Apply merge").is_none());
    // Applying anyway (the menu's event) leaves the project alone.
    send(&mut harness, AppEvent::ApplyMerge);
    assert_eq!(harness.state().project(), &base);

    click(&mut harness, "Repair the files before merging");
    harness.get_by_label(&format!(
        "Repaired theirs (theirs.ron): duplicate agreement id `{duplicated}`: the later one \
         (“Ben's copy”) is renamed `{duplicated}-dup-2`; both are kept; its cells and notes \
         stay with the first"
    ));
    click(&mut harness, "Apply merge");
    let project = harness.state().project();
    assert_eq!(project.agreements.len(), base.agreements.len() + 1);
    let renamed = AgreementId::new(format!("{duplicated}-dup-2"));
    assert_eq!(
        project.agreement(&renamed).map(|a| a.short_name.as_str()),
        Some("Ben's copy")
    );
    assert_eq!(project.agreement(&duplicated), base.agreement(&duplicated));
    assert_eq!(
        cell(&harness, "manrs", "ke-cbms").assessment,
        Assessment::Yes
    );
}

#[test]
fn compare_lists_changed_cells_and_jumps_to_them() {
    let dir = tempfile::tempdir().unwrap();
    let old = sample();
    let old_path = PathBuf::from(write(dir.path(), "bpf-2019.ron", &old));
    let new = with_cell(&old, "manrs", "ke-cbms", Assessment::Yes, None, "Ana");
    let new_path = PathBuf::from(write(dir.path(), "bpf-2020.ron", &new));
    let mut harness = harness_with(StartupOptions {
        file: Some(new_path),
        ..StartupOptions::default()
    });
    send(&mut harness, AppEvent::ComparePath(old_path));
    assert_eq!(harness.state().view().central_tab, CentralTab::Compare);
    harness.get_by_label("Old: bpf-2019.ron   →   New: the open project");
    harness.get_by_label("assessment: “No” → “Yes”");
    click(&mut harness, "MANRS / Specified CBMs");
    assert_eq!(harness.state().view().central_tab, CentralTab::Grid);
    let selection = &harness.state().view().selection;
    assert_eq!(selection.agreement, Some(AgreementId::new("manrs")));
    assert_eq!(selection.element, Some(ElementId::new("ke-cbms")));

    // Swapped, the same change reads the other way.
    harness.state_mut().view_mut().central_tab = CentralTab::Compare;
    settle(&mut harness);
    click(&mut harness, "Swap old and new");
    harness.get_by_label("assessment: “Yes” → “No”");

    // The same list saved for a spreadsheet (the Save dialog's answer stands in for the dialog).
    let csv_path = dir.path().join("changes.csv");
    send(&mut harness, AppEvent::ExportChangesPath(csv_path.clone()));
    let text = std::fs::read_to_string(&csv_path).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][4], "assessment");
    assert_eq!((&rows[0][5], &rows[0][6]), ("Yes", "No"));
    assert!(harness.state().toast().unwrap().contains("changes.csv"));
}

#[test]
fn review_mode_cannot_undo_edits_made_before_it() {
    let mut harness = harness_with(StartupOptions::default());
    click(&mut harness, "MANRS / Specified CBMs: No");
    harness.key_press(Key::Y);
    settle(&mut harness);
    assert_eq!(
        cell(&harness, "manrs", "ke-cbms").assessment,
        Assessment::Yes
    );
    click(&mut harness, "Review");
    click(&mut harness, "Review mode (content locked)");
    assert!(harness.state().review_mode());

    harness.key_press(Key::D);
    settle(&mut harness);
    assert_eq!(
        cell(&harness, "manrs", "ke-cbms").review,
        ReviewStatus::Disputed
    );
    // Undo takes back the review status, then stops at the content edit.
    for _ in 0..2 {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        settle(&mut harness);
    }
    let after = cell(&harness, "manrs", "ke-cbms");
    assert_eq!(after.review, ReviewStatus::Draft);
    assert_eq!(after.assessment, Assessment::Yes);
}

#[test]
fn coder_agreement_shows_kappa_and_opens_a_disagreement_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let ana = sample();
    let ben = with_cell(
        &ana,
        "manrs",
        "ke-cbms",
        Assessment::Yes,
        Some("Ben thinks so"),
        "Ben",
    );
    let ben_path = PathBuf::from(write(dir.path(), "ben.ron", &ben));
    let mut harness = harness_with(StartupOptions::default());
    send(&mut harness, AppEvent::AddCoderPath(ben_path));
    assert_eq!(harness.state().view().central_tab, CentralTab::Coders);
    harness.get_by_label("Percent agreement: 99.5% (196 of 197 cells)");
    click(&mut harness, "MANRS / Specified CBMs: No vs Yes");
    harness.get_by_label("Ben thinks so");
    click(&mut harness, "Show in the grid");
    assert_eq!(harness.state().view().central_tab, CentralTab::Grid);
    assert_eq!(
        harness.state().view().selection.agreement,
        Some(AgreementId::new("manrs"))
    );
}

#[test]
fn review_mode_locks_content_and_records_the_reviewer() {
    let mut harness = harness_with(StartupOptions {
        review: true,
        ..StartupOptions::default()
    });
    assert!(harness.state().review_mode());
    harness.get_by_label("REVIEW MODE: content locked");
    click(&mut harness, "MANRS / Specified CBMs: No");
    harness.key_press(Key::Y);
    settle(&mut harness);
    assert_eq!(
        cell(&harness, "manrs", "ke-cbms").assessment,
        Assessment::No
    );
    assert!(!harness.state().has_unsaved_changes());

    // D disputes the selected cell; the panel's radio marks another reviewed.
    harness.key_press(Key::D);
    settle(&mut harness);
    let disputed = cell(&harness, "manrs", "ke-cbms");
    assert_eq!(disputed.review, ReviewStatus::Disputed);
    assert_eq!(disputed.reviewed_by, "Reviewer Rae");
    assert!(disputed.reviewed_at.is_some());
    assert_eq!(
        disputed.edited_by, "",
        "reviewing is not editing the content"
    );

    click(&mut harness, "MANRS / Reference to Human Rights: No");
    click(&mut harness, "Reviewed");
    assert_eq!(
        cell(&harness, "manrs", "ke-human-rights").review,
        ReviewStatus::Reviewed
    );

    // A review comment is a note of its own kind.
    harness.get_by_label("New review comment").focus();
    harness
        .get_by_label("New review comment")
        .type_text("Action 3 is not a CBM");
    settle(&mut harness);
    click(&mut harness, "Add review comment");
    let comment = harness.state().project().notes.last().unwrap().clone();
    assert_eq!(comment.kind, NoteKind::Review);
    assert_eq!(comment.author, "Reviewer Rae");

    // The review summary counts it, and its Show Disputed cells filters the grid (the same
    // filter as the toolbar's Review status) to the one disputed agreement.
    harness.state_mut().view_mut().central_tab = CentralTab::Review;
    settle(&mut harness);
    harness.get_by_label("1 reviewed, 1 disputed, 1 needing review, 195 untouched, of 198 cells");
    click(&mut harness, "Show Disputed cells");
    assert_eq!(harness.state().view().central_tab, CentralTab::Grid);
    assert_eq!(
        harness.state().visible_rows(),
        &[AgreementId::new("manrs")][..]
    );

    // Leaving review mode unlocks editing.
    click(&mut harness, "Review");
    click(&mut harness, "Review mode (content locked)");
    assert!(!harness.state().review_mode());
}

fn harness_with(options: StartupOptions) -> App {
    harness_as(options, "Reviewer Rae")
}
