//! One table of commands: shortcuts never clash, every command is in the palette, the menus
//! show the table's labels, the palette runs commands, and File → Export writes real files.

use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use normgrid::model::{AgreementId, Assessment, ElementId, FrameworkId, SavedView, ViewId};
use normgrid::ui::actions::{Action, ActionContext};
use normgrid::ui::dialogs::{ExportFormat, Modal};
use normgrid::ui::{
    AppEvent, PaletteEntry, StartupOptions, apply_view_label, matching_actions, matching_entries,
    menu_layout,
};
use std::collections::BTreeSet;

use crate::common;
use common::gui::{App, click, harness, harness_with, settle};

fn assessment(harness: &App, agreement: &str, element: &str) -> Assessment {
    harness
        .state()
        .project()
        .cell(&AgreementId::new(agreement), &ElementId::new(element))
        .assessment
}

fn open_palette_and_type(harness: &mut App, query: &str) {
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    settle(harness);
    assert!(
        harness.state().palette_open(),
        "Ctrl+Shift+P opens the palette"
    );
    harness.get_by_label("Run command").type_text(query);
    settle(harness);
}

/// Global shortcuts apply everywhere, so they must not clash with any other context either.
fn contexts_overlap(a: ActionContext, b: ActionContext) -> bool {
    a == b || a == ActionContext::Global || b == ActionContext::Global
}

#[test]
fn no_two_commands_share_a_shortcut_in_one_context() {
    let mut checked = 0;
    for (i, a) in Action::ALL.iter().enumerate() {
        for b in &Action::ALL[i + 1..] {
            if !contexts_overlap(a.context(), b.context()) {
                continue;
            }
            for sa in a.shortcuts() {
                for sb in b.shortcuts() {
                    checked += 1;
                    assert!(
                        !(sa.modifiers == sb.modifiers && sa.logical_key == sb.logical_key),
                        "{a:?} and {b:?} share {sa:?}"
                    );
                }
            }
        }
    }
    assert!(
        checked > 100,
        "the table has shortcuts to compare ({checked})"
    );
    // The grid's keys are the table's: each maps back to the command that owns it.
    for action in Action::ALL {
        for shortcut in action.shortcuts() {
            if action.context() == ActionContext::Grid {
                assert_eq!(
                    Action::for_grid_key(shortcut.logical_key, shortcut.modifiers.command),
                    Some(action)
                );
            }
        }
    }
    assert_eq!(Action::for_grid_key(Key::Y, false), Some(Action::SetYes));
    assert_eq!(
        Action::for_grid_key(Key::Backspace, false),
        Some(Action::ClearAssessment)
    );
    assert_eq!(Action::for_grid_key(Key::Q, false), None);
    // Ctrl+C in the grid is the table's Copy cells; a bare C is nothing.
    assert_eq!(Action::for_grid_key(Key::C, true), Some(Action::CopyCells));
    assert_eq!(Action::for_grid_key(Key::C, false), None);
    assert_eq!(Action::for_grid_key(Key::Y, true), None);
}

#[test]
fn every_command_is_listed_in_the_palette_by_its_label() {
    let mut harness = harness();
    for action in Action::ALL {
        // The table's own search finds it...
        assert!(
            matching_actions(action.label()).contains(&action),
            "{action:?} not matched by its label"
        );
        // ...and the palette shows it when part of its label is typed.
        let words: Vec<&str> = action.label().split_whitespace().collect();
        let query = words[words.len() / 2..].join(" ");
        open_palette_and_type(&mut harness, &query);
        assert!(
            harness
                .query_all_by_label_contains(action.label())
                .next()
                .is_some(),
            "{action:?} ({}) not listed for {query:?}",
            action.label()
        );
        harness.key_press(Key::Escape);
        settle(&mut harness);
        assert!(!harness.state().palette_open(), "Escape closes the palette");
    }
}

/// Two saved views of the sample: Human Rights = Yes, and the norms only.
fn project_with_views() -> normgrid::model::Project {
    let mut project = common::sample();
    let mut human_rights = SavedView::showing_everything(
        &project,
        ViewId::new("human-rights-commitments"),
        "Human-rights commitments",
    );
    human_rights.column_filters.insert(
        ElementId::new("ke-human-rights"),
        BTreeSet::from([Assessment::Yes]),
    );
    let mut norms =
        SavedView::showing_everything(&project, ViewId::new("norms-only"), "Norms only");
    norms.frameworks = vec![FrameworkId::new("ungge2015-norms")];
    project.views = vec![human_rights, norms];
    project
}

#[test]
fn every_saved_view_and_saving_one_are_reachable_from_the_palette() {
    let mut harness = harness();
    harness.state_mut().show_project(project_with_views());
    settle(&mut harness);
    let views = harness.state().project().views.clone();
    for view in &views {
        let label = apply_view_label(&view.name);
        assert!(
            matching_entries(&view.name, &views, &[]).contains(&PaletteEntry::ApplyView {
                id: view.id.clone(),
                label: label.clone(),
            }),
            "{label} not matched by the view's name"
        );
        open_palette_and_type(&mut harness, &view.name);
        harness.get_by_label(&label);
        harness.key_press(Key::Escape);
        settle(&mut harness);
    }

    // Enter on the view applies it: view state, not an edit.
    open_palette_and_type(&mut harness, "human rights");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert!(!harness.state().palette_open());
    harness.get_by_label("10 of 20 agreements");
    assert!(!harness.state().has_unsaved_changes());

    open_palette_and_type(&mut harness, "norms only");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert_eq!(
        harness.state().view().hidden_frameworks,
        BTreeSet::from([FrameworkId::new("bpf2019-key-elements")])
    );
    harness.get_by_label("20 agreements");

    // "Save current view as…" from the palette asks for the name, as the Views menu does.
    open_palette_and_type(&mut harness, "save current view");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    harness.get_by_label("View name").type_text("Norms again");
    settle(&mut harness);
    click(&mut harness, "Save view");
    let names: Vec<String> = harness
        .state()
        .project()
        .views
        .iter()
        .map(|v| v.name.clone())
        .collect();
    assert_eq!(
        names,
        ["Human-rights commitments", "Norms only", "Norms again"]
    );
}

#[test]
fn the_palette_runs_set_yes_on_the_selected_cell_then_undo() {
    let mut harness = harness();
    assert_eq!(assessment(&harness, "manrs", "ke-cbms"), Assessment::No);
    click(&mut harness, "MANRS / Specified CBMs: No");

    open_palette_and_type(&mut harness, "st yes");
    // While the palette is open, keys go to it, not to the grid: "y" was typed, not a cell.
    assert_eq!(assessment(&harness, "manrs", "ke-cbms"), Assessment::No);
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert!(
        !harness.state().palette_open(),
        "running a command closes the palette"
    );
    assert_eq!(assessment(&harness, "manrs", "ke-cbms"), Assessment::Yes);

    open_palette_and_type(&mut harness, "undo");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert_eq!(assessment(&harness, "manrs", "ke-cbms"), Assessment::No);
}

#[test]
fn palette_arrow_keys_pick_the_highlighted_command() {
    let mut harness = harness();
    // "panel" matches the four panel toggles; Down twice picks the third one listed.
    open_palette_and_type(&mut harness, "panel");
    let matches = matching_actions("panel");
    assert_eq!(matches.len(), 4, "{matches:?}");
    let third = matches[2];
    let before: Vec<Option<bool>> = matches
        .iter()
        .map(|a| a.checked(&harness.state().action_state()))
        .collect();
    harness.key_press(Key::ArrowDown);
    harness.key_press(Key::ArrowDown);
    settle(&mut harness);
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert!(!harness.state().palette_open());
    let state = harness.state().action_state();
    assert_eq!(
        third.checked(&state),
        before[2].map(|on| !on),
        "{third:?} toggled"
    );
    for (at, (other, was)) in matches.iter().zip(&before).enumerate() {
        if at != 2 {
            assert_eq!(other.checked(&state), *was, "{other:?} untouched");
        }
    }
}

#[test]
fn the_palette_lists_toggles_and_frameworks_with_their_state() {
    let mut harness = harness();
    // The reader is off: the palette says so, and after running it, says on.
    open_palette_and_type(&mut harness, "reader panel");
    harness.get_by_label("Reader panel off");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert!(harness.state().action_state().show_reader);
    open_palette_and_type(&mut harness, "reader panel");
    harness.get_by_label("Reader panel on");
    harness.key_press(Key::Escape);
    settle(&mut harness);
    // Each framework is there too, shown or hidden, and hides its columns from the palette.
    open_palette_and_type(&mut harness, "framework columns ungge");
    harness.get_by_label("Framework columns: UNGGE 2015 norms on");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert_eq!(harness.state().visible_columns().len(), 10);
    open_palette_and_type(&mut harness, "framework columns ungge");
    harness.get_by_label("Framework columns: UNGGE 2015 norms off");
}

#[test]
fn disabled_commands_do_not_run_from_the_palette() {
    let mut harness = harness();
    // Nothing selected: Set No is greyed and Enter does nothing.
    open_palette_and_type(&mut harness, "set no");
    assert_eq!(matching_actions("set no").first(), Some(&Action::SetNo));
    let before = harness.state().project().clone();
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert!(
        harness.state().palette_open(),
        "a disabled command does not close the palette"
    );
    assert_eq!(harness.state().project(), &before);
}

#[test]
fn menu_items_show_the_tables_labels() {
    let mut harness = harness();
    let state = harness.state().action_state();
    for (title, actions) in menu_layout() {
        if title == "Views" {
            // Built from the project's saved views, not from the table.
            assert!(actions.is_empty());
            continue;
        }
        assert!(!actions.is_empty(), "{title}");
        for action in actions {
            // A button's accessible name is its label then its shortcut, both from the table.
            let expected = match action.shortcut_text(&harness.ctx) {
                Some(shortcut) if action.checked(&state).is_none() => {
                    format!("{} {shortcut}", action.label())
                }
                _ => action.label().to_owned(),
            };
            // Counted before and after opening the menu: a toolbar button may share the label.
            let closed = harness.query_all_by_label(&expected).count();
            click(&mut harness, title);
            let open: Vec<_> = harness.query_all_by_label(&expected).collect();
            assert_eq!(open.len(), closed + 1, "{title} → {expected}");
            // Checkbox items say whether they are on; the table decides.
            if let Some(on) = action.checked(&state) {
                let node = open.last().unwrap().accesskit_node();
                let ticked = node.toggled() == Some(egui::accesskit::Toggled::True);
                assert_eq!(ticked, on, "{action:?}");
            }
            harness.key_press(Key::Escape);
            settle(&mut harness);
        }
    }
    // The old second routes are gone: the toolbar has no highlight checkbox of its own.
    assert!(harness.query_by_label("Highlight incomplete").is_none());
    // The menu item toggles it.
    click(&mut harness, "View");
    click(&mut harness, Action::ToggleHighlightIncomplete.label());
    assert!(harness.state().view().highlight_incomplete);
}

fn export(harness: &mut App, format: ExportFormat, path: &std::path::Path) {
    harness
        .state_mut()
        .send(AppEvent::ExportProjectPath(format, path.to_path_buf()));
    settle(harness);
    let toast = harness.state().toast().unwrap_or_default().to_owned();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    assert!(toast.contains(&name), "toast {toast:?} names {name}");
}

#[test]
fn file_export_writes_csv_xlsx_and_html_that_real_readers_open() {
    use calamine::Reader;
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness();
    let project = harness.state().project().clone();
    let cells = project.agreements.len() * project.elements().count();

    let long = dir.path().join("long.csv");
    export(&mut harness, ExportFormat::CsvLong, &long);
    let mut reader = csv::Reader::from_path(&long).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert!(
        headers.iter().any(|h| h.contains("agreement")),
        "{headers:?}"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), cells, "one row per agreement and element");
    assert!(rows.iter().any(|r| r.iter().any(|f| f == "manrs")));

    let wide = dir.path().join("wide.csv");
    export(&mut harness, ExportFormat::CsvWide, &wide);
    let mut reader = csv::Reader::from_path(&wide).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // Under the header: the framework-id and element-id rows, then one row per agreement.
    assert_eq!(rows.len(), 2 + project.agreements.len());
    assert_eq!(rows[2].get(1), Some(project.agreements[0].id.as_str()));

    let quotes = dir.path().join("quotes.csv");
    export(&mut harness, ExportFormat::CsvEvidence, &quotes);
    let mut reader = csv::Reader::from_path(&quotes).unwrap();
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let excerpts: usize = project.cells.iter().map(|(_, _, c)| c.evidence.len()).sum();
    assert_eq!(rows.len(), excerpts, "one row per quote");
    let quote = headers.iter().position(|h| h == "quote").unwrap();
    assert!(
        rows.iter()
            .any(|r| r[quote].starts_with("We reaffirm that the same rights")),
        "{headers:?}"
    );

    let xlsx = dir.path().join("mapping.xlsx");
    export(&mut harness, ExportFormat::Xlsx, &xlsx);
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheets = workbook.sheet_names();
    assert!(!sheets.is_empty());
    let range = workbook.worksheet_range(&sheets[0]).unwrap();
    assert!(range.height() > project.agreements.len());
    let first = &project.agreements[0];
    let names = [
        first.name.clone(),
        first.short_name.clone(),
        first.id.as_str().to_owned(),
    ];
    assert!(
        range
            .rows()
            .any(|row| row.iter().any(|c| names.contains(&c.to_string()))),
        "the first sheet lists one of {names:?}"
    );

    let html = dir.path().join("report.html");
    export(&mut harness, ExportFormat::Html, &html);
    let text = std::fs::read_to_string(&html).unwrap();
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let document = roxmltree::Document::parse_with_options(&text, options).unwrap();
    assert_eq!(document.root_element().tag_name().name(), "html");
    let sections = document
        .descendants()
        .filter(|n| n.has_tag_name("section") && n.attribute("class") == Some("agreement"))
        .count();
    assert_eq!(
        sections,
        project.agreements.len() + 1,
        "agreements and the prevalence table"
    );
    let title = document
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap_or_default();
    assert!(title.contains(&project.title), "{title:?}");
}

#[test]
fn file_export_refuses_the_open_projects_own_file_and_names_failures() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.ron");
    std::fs::write(&path, normgrid::sample::BPF_2019_RON).unwrap();
    let mut harness = harness_with(StartupOptions {
        file: Some(path.clone()),
        ..StartupOptions::default()
    });
    harness.state_mut().send(AppEvent::ExportProjectPath(
        ExportFormat::CsvLong,
        dir.path().join(".").join("shared.ron"),
    ));
    settle(&mut harness);
    assert!(matches!(harness.state().modal(), Some(Modal::Error { .. })));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        normgrid::sample::BPF_2019_RON,
        "the project file is untouched"
    );

    // A folder that does not exist: the error names the file.
    let mut harness = harness_with(StartupOptions::default());
    harness.state_mut().send(AppEvent::ExportProjectPath(
        ExportFormat::Html,
        dir.path().join("missing").join("report.html"),
    ));
    settle(&mut harness);
    let Some(Modal::Error { title, message }) = harness.state().modal() else {
        panic!("expected an error, got {:?}", harness.state().modal());
    };
    assert!(
        title.contains("report.html") || message.contains("report.html"),
        "{title} / {message}"
    );
}

#[test]
fn file_menu_lists_the_exports() {
    let mut harness = harness();
    click(&mut harness, "File");
    for action in [
        Action::ExportCsvLong,
        Action::ExportCsvWide,
        Action::ExportXlsx,
        Action::ExportHtml,
        Action::ExportReviewCopy,
        Action::ExportQdpx,
        Action::ExportChart,
    ] {
        harness.get_by_label(action.label());
    }
}

#[test]
fn while_the_palette_is_open_no_key_reaches_the_grid() {
    let mut harness = harness();
    click(&mut harness, "MANRS / Specified CBMs: No");
    let selected = harness.state().view().selection.clone();
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    settle(&mut harness);
    assert!(harness.state().palette_open());
    for key in [
        Key::ArrowDown,
        Key::ArrowRight,
        Key::Y,
        Key::D,
        Key::Delete,
        Key::End,
    ] {
        harness.key_press(key);
        settle(&mut harness);
    }
    assert_eq!(
        harness.state().view().selection,
        selected,
        "selection unmoved"
    );
    assert_eq!(assessment(&harness, "manrs", "ke-cbms"), Assessment::No);
    assert!(!harness.state().has_unsaved_changes(), "no edit at all");
    // Escape closes it, and then the grid has its keys back.
    harness.key_press(Key::Escape);
    settle(&mut harness);
    assert!(!harness.state().palette_open());
    harness.key_press(Key::Y);
    settle(&mut harness);
    assert_eq!(assessment(&harness, "manrs", "ke-cbms"), Assessment::Yes);
}

#[test]
fn the_palette_copies_cells_clears_column_filters_and_switches_tabs() {
    let mut harness = harness();
    click(&mut harness, "MANRS / Specified CBMs: No");
    open_palette_and_type(&mut harness, "copy cells");
    // Enter as one event in one frame, so that frame's output still holds the copy command.
    harness.event(egui::Event::Key {
        key: Key::Enter,
        pressed: true,
        modifiers: Modifiers::NONE,
        repeat: false,
        physical_key: None,
    });
    harness.step();
    let copied = harness.output().platform_output.commands.clone();
    assert!(
        copied.contains(&egui::OutputCommand::CopyText("No".to_owned())),
        "{copied:?}"
    );
    settle(&mut harness);
    harness.get_by_label("Copied 1 cell as tab-separated words.");

    harness
        .state_mut()
        .view_mut()
        .query
        .toggle_column_filter(&ElementId::new("ke-human-rights"), Assessment::Yes);
    harness
        .state_mut()
        .view_mut()
        .query
        .cycle_column_sort(&ElementId::new("ke-cbms"));
    settle(&mut harness);
    harness.get_by_label("10 of 20 agreements");
    open_palette_and_type(&mut harness, "clear filters");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    harness.get_by_label("20 agreements");
    // The palette's Clear filters is the toolbar's: filters go, the sort stays.
    assert!(harness.state().view().query.column_sort.is_some());

    open_palette_and_type(&mut harness, "show charts");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    harness.get_by_label("Export chart…");
    open_palette_and_type(&mut harness, "show the grid");
    harness.key_press(Key::Enter);
    settle(&mut harness);
    harness.get_by_label("20 agreements");
}

/// The table is the one gate: a shortcut meets the same `enabled()` as the menu and the
/// palette, and a locked edit asked for by its key says why nothing happened.
#[test]
fn a_shortcut_meets_the_same_gate_as_the_menu() {
    let mut harness = harness_with(StartupOptions {
        review: true,
        ..StartupOptions::default()
    });
    let state = harness.state().action_state();
    assert!(!Action::AddAgreement.enabled(&state));
    let agreements = harness.state().project().agreements.len();
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::A);
    settle(&mut harness);
    assert!(
        !matches!(harness.state().modal(), Some(Modal::NewAgreement { .. })),
        "no name prompt for a disabled action"
    );
    assert_eq!(harness.state().project().agreements.len(), agreements);
    harness.get_by_label_contains("Review mode: assessments, notes and quotes are locked");
    // Every action that changes content is disabled in Review mode, whichever way it is asked.
    for action in Action::ALL.into_iter().filter(|a| a.changes_content()) {
        assert!(!action.enabled(&state), "{action:?} is open in Review mode");
    }
}

#[test]
fn set_yes_from_the_menu_or_a_key_lands_in_the_frame_it_was_asked_for() {
    let mut harness = harness();
    let (agreement, element) = ("manrs", "ke-cbms");
    let id = AgreementId::new(agreement);
    harness
        .state_mut()
        .view_mut()
        .select_cell(id.clone(), ElementId::new(element));
    settle(&mut harness);
    assert_eq!(assessment(&harness, agreement, element), Assessment::No);
    // The menu's and the palette's way in: the action, then its cell edit, in one frame.
    harness.state_mut().send(AppEvent::Action(Action::SetYes));
    harness.step();
    assert_eq!(assessment(&harness, agreement, element), Assessment::Yes);
    // A grid key takes the same path and the same gate.
    harness.state_mut().send(AppEvent::GridKey {
        action: Action::SetNo,
        extend: false,
    });
    harness.step();
    assert_eq!(assessment(&harness, agreement, element), Assessment::No);
    // Disabled (Review mode) is refused at that one gate, whichever way it came.
    harness
        .state_mut()
        .send(AppEvent::Action(Action::ToggleReviewMode));
    harness.step();
    for event in [
        AppEvent::Action(Action::SetYes),
        AppEvent::GridKey {
            action: Action::SetYes,
            extend: false,
        },
    ] {
        harness.state_mut().send(event);
        harness.step();
        assert_eq!(assessment(&harness, agreement, element), Assessment::No);
    }
}
