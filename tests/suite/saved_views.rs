//! Saved views: named filters, sort and shown frameworks, stored in the project file, listed in
//! the Views menu, saved and deleted as undoable edits, applied as view state.

use crate::common;
use common::gui::{App, click, harness, harness_with, settle};

use egui_kittest::kittest::Queryable;
use normgrid::collab::{ChangeKind, Fallback, diff_projects, merge_projects};
use normgrid::commands::{Command, History};
use normgrid::io::{parse_project, project_to_ron};
use normgrid::model::validate::problems;
use normgrid::model::{
    Assessment, ColumnSort, ElementId, FrameworkId, Problem, Project, ReviewStatus, RowOrder,
    SavedView, ViewId,
};
use normgrid::ui::views_menu::ViewsEvent;
use normgrid::ui::{AppEvent, StartupOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const HUMAN_RIGHTS_VIEW: &str = "Human-rights commitments";

fn human_rights() -> ElementId {
    ElementId::new("ke-human-rights")
}

/// A view of the sample: Human Rights = Yes, disputed cells only, sorted by year descending,
/// UNGGE norms hidden.
/// Saves the current view under `name` through Views → Save current view as….
fn save_view_from_menu(harness: &mut App, name: &str) {
    click(harness, "Views");
    click(harness, "Save current view as…");
    harness.get_by_label("View name").type_text(name);
    settle(harness);
    click(harness, "Save view");
}

/// Filters Reference to Human Rights to Yes, as the column header's menu does.
fn filter_human_rights_to_yes(harness: &mut App) {
    harness
        .state_mut()
        .view_mut()
        .query
        .toggle_column_filter(&human_rights(), Assessment::Yes);
    settle(harness);
    harness.get_by_label("10 of 20 agreements");
}

fn human_rights_view(project: &Project) -> SavedView {
    let mut view = SavedView::showing_everything(
        project,
        ViewId::new("human-rights-commitments"),
        HUMAN_RIGHTS_VIEW,
    );
    view.column_filters
        .insert(human_rights(), BTreeSet::from([Assessment::Yes]));
    view.review = Some(ReviewStatus::Disputed);
    view.sort = RowOrder::Year;
    view.descending = true;
    view.column_sort = Some(ColumnSort {
        element: ElementId::new("ke-cbms"),
        descending: true,
    });
    view.frameworks.truncate(1);
    view
}

#[test]
fn views_survive_save_and_load_and_a_project_without_views_keeps_its_bytes() {
    // The sample has no views: its canonical text is unchanged by the new optional field.
    let sample = common::sample();
    assert!(sample.views.is_empty());
    let text = project_to_ron(&sample).unwrap();
    assert_eq!(text, normgrid::sample::BPF_2019_RON);
    assert!(!text.contains("    views:"));

    let mut project = sample.clone();
    project.views.push(human_rights_view(&project));
    let mut plain =
        SavedView::showing_everything(&project, ViewId::new("norms-only"), "Norms only");
    plain.frameworks = vec![FrameworkId::new("ungge2015-norms")];
    project.views.push(plain);
    let text = project_to_ron(&project).unwrap();
    assert!(text.contains("views: ["), "{text}");
    assert!(text.contains("\"ke-human-rights\": ["), "{text}");
    assert!(text.contains("review: Some(Disputed)"), "{text}");
    let loaded = parse_project(&text, Path::new("views.ron")).unwrap();
    assert_eq!(loaded.project, project);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    // Same project, same bytes.
    assert_eq!(project_to_ron(&loaded.project).unwrap(), text);
}

#[test]
fn saving_updating_renaming_and_deleting_views_undo_and_redo() {
    let mut project = common::sample();
    let original = project.clone();
    let mut history = History::default();
    let view = human_rights_view(&project);
    history
        .apply(
            &mut project,
            Command::InsertView {
                index: 0,
                view: Box::new(view.clone()),
            },
        )
        .unwrap();
    let mut updated = view.clone();
    updated.column_filters.clear();
    history
        .apply(
            &mut project,
            Command::UpdateView {
                view: Box::new(updated.clone()),
            },
        )
        .unwrap();
    history
        .apply(
            &mut project,
            Command::RenameView {
                id: view.id.clone(),
                name: "Everything".to_owned(),
            },
        )
        .unwrap();
    assert_eq!(project.views[0].name, "Everything");
    assert!(project.views[0].column_filters.is_empty());
    let renamed = project.clone();
    history
        .apply(
            &mut project,
            Command::RemoveView {
                id: view.id.clone(),
            },
        )
        .unwrap();
    assert!(project.views.is_empty());

    assert_eq!(
        history.undo(&mut project).unwrap().as_deref(),
        Some("Delete view human-rights-commitments")
    );
    assert_eq!(project, renamed);
    history.undo(&mut project).unwrap();
    history.undo(&mut project).unwrap();
    assert_eq!(project.views, std::slice::from_ref(&view));
    history.undo(&mut project).unwrap();
    assert_eq!(project, original);
    for _ in 0..4 {
        history.redo(&mut project).unwrap();
    }
    assert!(project.views.is_empty());

    // A second view with a taken id is refused and changes nothing.
    project.views.push(view.clone());
    let before = project.clone();
    let clash = Command::InsertView {
        index: 1,
        view: Box::new(view),
    };
    assert!(clash.apply(&mut project).is_err());
    assert_eq!(project, before);
}

#[test]
fn check_reports_views_that_refer_to_missing_items_and_duplicate_view_ids() {
    let mut project = common::sample();
    let mut view = human_rights_view(&project);
    view.column_filters
        .insert(ElementId::new("ke-gone"), BTreeSet::from([Assessment::No]));
    view.frameworks.push(FrameworkId::new("fw-gone"));
    project.views.push(view.clone());
    project.views.push(view);
    let found = problems(&project);
    assert!(found.contains(&Problem::DuplicateId {
        kind: "view",
        id: "human-rights-commitments".to_owned()
    }));
    let unknown: Vec<String> = found
        .iter()
        .filter_map(|p| match p {
            Problem::UnknownReference { owner, target } => Some(format!("{owner} -> {target}")),
            _ => None,
        })
        .collect();
    assert!(
        unknown.contains(&"view `human-rights-commitments` -> element `ke-gone`".to_owned()),
        "{unknown:?}"
    );
    assert!(
        unknown.contains(&"view `human-rights-commitments` -> framework `fw-gone`".to_owned()),
        "{unknown:?}"
    );
}

#[test]
fn compare_shows_an_added_view_and_merge_keeps_views_from_both_sides() {
    let base = common::sample();
    let mut ours = base.clone();
    ours.views.push(human_rights_view(&base));
    let diff = diff_projects(&base, &ours);
    let added: Vec<_> = diff
        .changes
        .iter()
        .filter(|c| c.subject == "view")
        .collect();
    assert_eq!(added.len(), 1, "{:?}", diff.changes);
    assert_eq!(added[0].kind, ChangeKind::Added);
    assert_eq!(added[0].id, "human-rights-commitments");
    assert_eq!(added[0].name, HUMAN_RIGHTS_VIEW);

    let mut theirs = base.clone();
    let mut norms = SavedView::showing_everything(&base, ViewId::new("norms-only"), "Norms only");
    norms.frameworks = vec![FrameworkId::new("ungge2015-norms")];
    theirs.views.push(norms.clone());
    let merged = merge_projects(
        Some(&base),
        &ours,
        &theirs,
        &BTreeMap::new(),
        Fallback::Mark,
    );
    assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
    let ids: Vec<&str> = merged.project.views.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["human-rights-commitments", "norms-only"]);
}

#[test]
fn a_view_saved_from_the_views_menu_comes_back_after_clearing_filters_and_undo_removes_it() {
    let mut harness = harness();
    harness.get_by_label("20 agreements");
    filter_human_rights_to_yes(&mut harness);
    let filtered_rows = harness.state().visible_rows().to_vec();

    save_view_from_menu(&mut harness, HUMAN_RIGHTS_VIEW);
    let views = &harness.state().project().views;
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].id.as_str(), "human-rights-commitments");
    assert_eq!(views[0].name, HUMAN_RIGHTS_VIEW);
    assert_eq!(
        views[0].column_filters,
        BTreeMap::from([(human_rights(), BTreeSet::from([Assessment::Yes]))])
    );
    assert!(harness.state().has_unsaved_changes());

    harness.state_mut().view_mut().query.clear_filters();
    settle(&mut harness);
    harness.get_by_label("20 agreements");

    click(&mut harness, "Views");
    click(&mut harness, HUMAN_RIGHTS_VIEW);
    harness.get_by_label("10 of 20 agreements");
    assert_eq!(harness.state().visible_rows(), filtered_rows.as_slice());
    assert_eq!(
        harness.state().toast(),
        Some("View Human-rights commitments applied")
    );

    click(&mut harness, "Edit");
    // The menu item also shows its shortcut.
    harness
        .get_by_label_contains("Undo: Save view Human-rights commitments")
        .click();
    settle(&mut harness);
    assert!(harness.state().project().views.is_empty());
    // Applying was view state, not an edit: one undo emptied the history.
    assert!(!harness.state().has_unsaved_changes());
    // The applied filter stays: undo changes the document, not what the grid shows.
    harness.get_by_label("10 of 20 agreements");
}

#[test]
fn a_view_with_a_missing_element_applies_the_rest_and_says_what_it_skipped() {
    let mut harness = harness();
    let mut project = harness.state().project().clone();
    let mut view = SavedView::showing_everything(&project, ViewId::new("mixed"), "Mixed");
    view.column_filters
        .insert(human_rights(), BTreeSet::from([Assessment::Yes]));
    view.column_filters.insert(
        ElementId::new("ke-removed"),
        BTreeSet::from([Assessment::No]),
    );
    view.frameworks.push(FrameworkId::new("fw-removed"));
    project.views.push(view);
    harness.state_mut().show_project(project);
    settle(&mut harness);

    harness
        .state_mut()
        .send(AppEvent::Views(ViewsEvent::Apply(ViewId::new("mixed"))));
    settle(&mut harness);
    harness.get_by_label("10 of 20 agreements");
    let query = &harness.state().view().query;
    assert_eq!(
        query.column_filters,
        BTreeMap::from([(human_rights(), BTreeSet::from([Assessment::Yes]))])
    );
    assert!(harness.state().view().hidden_frameworks.is_empty());
    let toast = harness.state().toast().unwrap_or_default().to_owned();
    assert!(toast.contains("element `ke-removed`"), "{toast}");
    assert!(toast.contains("framework `fw-removed`"), "{toast}");
}

#[test]
fn the_name_prompt_refuses_a_taken_name_and_renames_from_the_menu() {
    let mut harness = harness();
    let mut project = harness.state().project().clone();
    project.views.push(human_rights_view(&project));
    harness.state_mut().show_project(project);
    settle(&mut harness);

    save_view_from_menu(&mut harness, "human-rights COMMITMENTS");
    assert_eq!(
        harness.state().project().views.len(),
        1,
        "a taken name is refused"
    );
    click(&mut harness, "Cancel");

    click(&mut harness, "Views");
    click(&mut harness, "Rename a view");
    click(&mut harness, "Rename Human-rights commitments…");
    harness.get_by_label("View name").type_text(" (2019)");
    settle(&mut harness);
    click(&mut harness, "Rename view");
    assert_eq!(
        harness.state().project().views[0].name,
        "Human-rights commitments (2019)"
    );
    assert_eq!(
        harness.state().project().views[0].id.as_str(),
        "human-rights-commitments",
        "renaming keeps the id"
    );
}

#[test]
fn a_view_saved_in_the_menu_survives_saving_and_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("views.ron");
    let mut harness = harness();
    filter_human_rights_to_yes(&mut harness);
    save_view_from_menu(&mut harness, HUMAN_RIGHTS_VIEW);
    // The Save As dialog's answer, as the file dialog would give it.
    harness.state_mut().send(AppEvent::SaveAsPath(path.clone()));
    settle(&mut harness);
    assert!(!harness.state().has_unsaved_changes(), "saved");
    drop(harness);

    // A colleague opens the file the way the app starts with one.
    let mut reopened = harness_with(StartupOptions {
        file: Some(path.clone()),
        ..StartupOptions::default()
    });
    assert_eq!(reopened.state().document_path(), Some(path.as_path()));
    reopened.get_by_label("20 agreements");
    click(&mut reopened, "Views");
    click(&mut reopened, HUMAN_RIGHTS_VIEW);
    reopened.get_by_label("10 of 20 agreements");
    let rows = reopened.state().visible_rows().to_vec();
    assert_eq!(rows.len(), 10);
    for agreement in &rows {
        assert_eq!(
            reopened
                .state()
                .project()
                .assessment(agreement, &human_rights()),
            Assessment::Yes
        );
    }
}
