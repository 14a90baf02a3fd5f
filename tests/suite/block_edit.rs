//! Many cells at once, the way a spreadsheet works: Shift+arrows or a drag select a block,
//! Y/I/N/Delete set it as one undo step, Ctrl+C copies it as tab-separated text, a paste is
//! checked value by value, and the Undo item names what it takes back. Driven like a person:
//! AccessKit labels, clicks, drags and keys.

use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, OutputCommand};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use normgrid::commands::{Command, History};
use normgrid::model::query::{visible_columns, visible_rows};
use normgrid::model::{AgreementId, Assessment, Cell, ElementId, ReviewStatus};
use normgrid::ui::dialogs::Modal;
use normgrid::ui::view::Block;
use normgrid::ui::{NormgridApp, StartupOptions};
use normgrid::ui::{PasteError, assessments_from_tsv};

use crate::common;
use common::gui::{App, harness, settle};

/// The grid's rows and columns in the order shown.
fn shown(harness: &App) -> (Vec<AgreementId>, Vec<ElementId>) {
    let app = harness.state();
    let columns = visible_columns(app.project(), &app.view().hidden_frameworks);
    let rows = visible_rows(app.project(), &app.view().query, &columns);
    (rows, columns)
}

/// The id pair of the shown cell at (row, column).
fn at(harness: &App, row: usize, column: usize) -> (AgreementId, ElementId) {
    let (rows, columns) = shown(harness);
    (rows[row].clone(), columns[column].clone())
}

fn assessment_at(harness: &App, row: usize, column: usize) -> Assessment {
    let (a, e) = at(harness, row, column);
    harness.state().project().assessment(&a, &e)
}

/// The AccessKit label a screen reader announces for the shown cell at (row, column).
fn cell_label(harness: &App, row: usize, column: usize) -> String {
    let (a, e) = at(harness, row, column);
    let project = harness.state().project();
    format!(
        "{} / {}: {}",
        project.agreement(&a).unwrap().short_name,
        project.element(&e).unwrap().1.display_name(),
        project.assessment(&a, &e).label()
    )
}

fn click_cell(harness: &mut App, row: usize, column: usize) {
    let label = cell_label(harness, row, column);
    harness.get_by_role_and_label(Role::Cell, &label).click();
    settle(harness);
}

fn press(harness: &mut App, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    settle(harness);
}

fn block(harness: &App) -> Option<Block> {
    let (rows, columns) = shown(harness);
    harness.state().view().selected_block(&rows, &columns)
}

/// Opens the Edit menu, checks its Undo item reads `label`, and closes the menu.
fn assert_undo_item(harness: &mut App, label: &str) {
    harness.get_by_label("Edit").click();
    settle(harness);
    // The item's accessible label ends with its shortcut ("… Ctrl+Z").
    let labels: Vec<String> = harness
        .get_all_by_role(Role::Button)
        .filter_map(|node| node.accesskit_node().label())
        .collect();
    assert!(
        labels
            .iter()
            .any(|l| l == label || l.starts_with(&format!("{label} Ctrl"))),
        "the Edit menu has an item `{label}`; it has {labels:?}"
    );
    harness.key_press(Key::Escape);
    settle(harness);
}

/// Selects the 2×3 block from the top-left shown cell with Shift+arrows.
fn select_two_by_three(harness: &mut App) {
    click_cell(harness, 0, 0);
    press(harness, Modifiers::SHIFT, Key::ArrowRight);
    press(harness, Modifiers::SHIFT, Key::ArrowRight);
    press(harness, Modifiers::SHIFT, Key::ArrowDown);
}

#[test]
fn shift_arrows_select_a_block_n_sets_all_six_and_one_undo_restores_them() {
    let mut harness = harness();
    let before = harness.state().project().clone();
    select_two_by_three(&mut harness);
    assert_eq!(
        block(&harness),
        Some(Block {
            rows: (0, 1),
            columns: (0, 2)
        })
    );
    let cells: Vec<(usize, usize)> = (0..2).flat_map(|r| (0..3).map(move |c| (r, c))).collect();
    assert!(
        cells
            .iter()
            .any(|&(r, c)| assessment_at(&harness, r, c) != Assessment::No),
        "the sample has a cell in the block that is not No, so N changes something"
    );
    // Every cell of the block is announced as selected.
    for &(r, c) in &cells {
        let label = cell_label(&harness, r, c);
        let node = harness.get_by_role_and_label(Role::Cell, &label);
        assert!(node.accesskit_node().is_selected() == Some(true), "{label}");
    }

    press(&mut harness, Modifiers::NONE, Key::N);
    for &(r, c) in &cells {
        assert_eq!(
            assessment_at(&harness, r, c),
            Assessment::No,
            "cell {r},{c}"
        );
    }
    let (outside_a, outside_e) = at(&harness, 2, 0);
    assert_eq!(
        harness.state().project().cell(&outside_a, &outside_e),
        before.cell(&outside_a, &outside_e),
        "the row below the block is untouched"
    );
    assert_undo_item(&mut harness, "Undo: 6 cells → No");

    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(
        harness.state().project(),
        &before,
        "one Ctrl+Z restores all six"
    );
}

#[test]
fn a_plain_arrow_collapses_the_block() {
    let mut harness = harness();
    select_two_by_three(&mut harness);
    press(&mut harness, Modifiers::NONE, Key::ArrowDown);
    assert_eq!(
        block(&harness),
        Some(Block {
            rows: (2, 2),
            columns: (2, 2)
        })
    );
}

#[test]
fn a_drag_from_one_cell_to_another_selects_the_block_between() {
    let mut harness = harness();
    let from = harness
        .get_by_role_and_label(Role::Cell, &cell_label(&harness, 0, 1))
        .rect()
        .center();
    let to = harness
        .get_by_role_and_label(Role::Cell, &cell_label(&harness, 2, 3))
        .rect()
        .center();
    harness.hover_at(from);
    harness.step();
    harness.drag_at(from);
    harness.step();
    for step in 1..=4 {
        harness.hover_at(from + (to - from) * (step as f32 / 4.0));
        harness.step();
    }
    harness.drop_at(to);
    settle(&mut harness);
    assert_eq!(
        block(&harness),
        Some(Block {
            rows: (0, 2),
            columns: (1, 3)
        })
    );
    let before = harness.state().project().clone();
    press(&mut harness, Modifiers::NONE, Key::Y);
    for r in 0..=2 {
        for c in 1..=3 {
            assert_eq!(assessment_at(&harness, r, c), Assessment::Yes);
        }
    }
    assert_undo_item(&mut harness, "Undo: 9 cells → Yes");
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().project(), &before);
}

/// Sets the top-left 2×2 cells to Yes, Indirect / No, not assessed with single-cell keys.
fn fill_two_by_two(harness: &mut App) {
    click_cell(harness, 0, 0);
    press(harness, Modifiers::NONE, Key::Y);
    press(harness, Modifiers::NONE, Key::ArrowRight);
    press(harness, Modifiers::NONE, Key::I);
    press(harness, Modifiers::NONE, Key::ArrowDown);
    press(harness, Modifiers::NONE, Key::Delete);
    press(harness, Modifiers::NONE, Key::ArrowLeft);
    press(harness, Modifiers::NONE, Key::N);
}

/// Text the app put on the clipboard in the last frame.
fn copied(harness: &App) -> Vec<String> {
    harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// Fills the top-left 2×2 block, selects it and presses Ctrl+C; returns what was copied.
fn copy_filled_block(harness: &mut App) -> Vec<String> {
    fill_two_by_two(harness);
    click_cell(harness, 0, 0);
    press(harness, Modifiers::SHIFT, Key::ArrowRight);
    press(harness, Modifiers::SHIFT, Key::ArrowDown);
    // Ctrl+C as one event in one frame, so that frame's output still holds the copy command
    // (`key_press_modifiers` spreads a press over several frames).
    harness.event(Event::Key {
        key: Key::C,
        pressed: true,
        modifiers: Modifiers::COMMAND,
        repeat: false,
        physical_key: None,
    });
    harness.step();
    copied(harness)
}

#[test]
fn ctrl_c_copies_the_block_as_tab_separated_words() {
    let mut harness = harness();
    assert_eq!(
        copy_filled_block(&mut harness),
        vec!["Yes\tIndirect\nNo\t".to_owned()]
    );
    settle(&mut harness);

    // A single selected cell copies too; the platform's Copy event does the same.
    click_cell(&mut harness, 0, 1);
    harness.event(Event::Copy);
    harness.step();
    assert_eq!(copied(&harness), vec!["Indirect".to_owned()]);
}

#[test]
fn ctrl_v_pastes_from_the_selected_cell_as_one_undo_step() {
    let mut harness = harness();
    click_cell(&mut harness, 1, 1);
    let before = harness.state().project().clone();
    harness.event(Event::Paste("Yes\tNo\nIndirect\t".to_owned()));
    settle(&mut harness);
    assert_eq!(assessment_at(&harness, 1, 1), Assessment::Yes);
    assert_eq!(assessment_at(&harness, 1, 2), Assessment::No);
    assert_eq!(assessment_at(&harness, 2, 1), Assessment::Indirect);
    assert_eq!(assessment_at(&harness, 2, 2), Assessment::NotAssessed);
    let (a, e) = at(&harness, 1, 3);
    assert_eq!(
        harness.state().project().cell(&a, &e),
        before.cell(&a, &e),
        "nothing beyond the pasted cells changes"
    );
    assert_eq!(
        block(&harness),
        Some(Block {
            rows: (1, 2),
            columns: (1, 2)
        }),
        "the pasted cells are selected"
    );
    assert_undo_item(&mut harness, "Undo: paste 4 cells");
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().project(), &before);
}

#[test]
fn one_pasted_value_fills_the_whole_block() {
    let mut harness = harness();
    select_two_by_three(&mut harness);
    harness.event(Event::Paste("indirect\r\n".to_owned()));
    settle(&mut harness);
    for r in 0..2 {
        for c in 0..3 {
            assert_eq!(assessment_at(&harness, r, c), Assessment::Indirect);
        }
    }
    assert_undo_item(&mut harness, "Undo: paste 6 cells");
}

#[test]
fn a_paste_with_an_unknown_value_changes_nothing_and_says_where() {
    let mut harness = harness();
    click_cell(&mut harness, 0, 0);
    let before = harness.state().project().clone();
    harness.event(Event::Paste("Yes\tNo\nIndirect\tMaybe\n".to_owned()));
    settle(&mut harness);
    assert_eq!(harness.state().project(), &before, "nothing was pasted");
    let Some(Modal::Error { title, message }) = harness.state().modal() else {
        panic!("a message explains the refused paste");
    };
    assert_eq!(title, "Nothing was pasted");
    assert!(
        message.contains("`Maybe` in row 2, column 2"),
        "the message names the value and where it is: {message}"
    );
    let message = message.clone();
    harness.get_by_label(&message); // shown to the user, not only stored
    harness.key_press(Key::Enter);
    settle(&mut harness);
    assert!(
        harness.state().modal().is_none(),
        "Enter closes the message"
    );
    assert_eq!(harness.state().project(), &before, "and changes nothing");
}

#[test]
fn a_paste_into_a_focused_text_field_never_reaches_the_grid() {
    let mut harness = harness();
    click_cell(&mut harness, 0, 0);
    let before = harness.state().project().clone();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    settle(&mut harness);
    assert!(
        harness.ctx.memory(|m| m.focused().is_some()),
        "Ctrl+F focuses the filter box"
    );
    harness.event(Event::Paste("No\tNo".to_owned()));
    settle(&mut harness);
    assert_eq!(harness.state().project(), &before, "the grid took no paste");
}

#[test]
fn a_single_cell_key_names_the_agreement_element_and_value() {
    let mut harness = harness();
    click_cell(&mut harness, 0, 0);
    let value = if assessment_at(&harness, 0, 0) == Assessment::Yes {
        (Key::N, "No")
    } else {
        (Key::Y, "Yes")
    };
    let (a, e) = at(&harness, 0, 0);
    let project = harness.state().project();
    let expected = format!(
        "Undo: {} / {} → {}",
        project.agreement(&a).unwrap().short_name,
        project.element(&e).unwrap().1.display_name(),
        value.1
    );
    press(&mut harness, Modifiers::NONE, value.0);
    assert_undo_item(&mut harness, &expected);
}

#[test]
fn history_labels_name_the_cell_and_what_changed() {
    let mut project = normgrid::sample::bpf_2019().unwrap().project;
    let agreement = project.agreements[0].id.clone();
    let element = project.frameworks[0].elements[0].id.clone();
    let names = format!(
        "{} / {}",
        project.agreements[0].short_name,
        project.frameworks[0].elements[0].display_name()
    );
    let mut history = History::default();
    let mut cell = project.cell(&agreement, &element);
    let next = if cell.assessment == Assessment::No {
        Assessment::Yes
    } else {
        Assessment::No
    };
    cell.assessment = next;
    history
        .apply(
            &mut project,
            Command::SetCell {
                agreement: agreement.clone(),
                element: element.clone(),
                cell: cell.clone(),
            },
        )
        .unwrap();
    assert_eq!(
        history.undo_label(),
        Some(format!("{names} → {}", next.label()).as_str())
    );
    cell.note = "A new note".to_owned();
    history
        .apply(
            &mut project,
            Command::SetCell {
                agreement,
                element,
                cell: Cell { ..cell },
            },
        )
        .unwrap();
    assert_eq!(
        history.undo_label(),
        Some(format!("{names}: note").as_str())
    );
}

#[test]
fn pasted_text_is_read_like_a_spreadsheet_clipboard() {
    use Assessment::{Indirect, No, NotAssessed, Yes};
    assert_eq!(
        assessments_from_tsv("Yes\tNo\r\nIndirect\t\r\n"),
        Ok(vec![vec![Yes, No], vec![Indirect, NotAssessed]])
    );
    assert_eq!(
        assessments_from_tsv("y\tn\ti"),
        Ok(vec![vec![Yes, No, Indirect]])
    );
    assert_eq!(assessments_from_tsv(""), Err(PasteError::Empty));
    assert_eq!(
        assessments_from_tsv("Yes\nNo\tSometimes"),
        Err(PasteError::Unknown {
            value: "Sometimes".to_owned(),
            row: 2,
            column: 2
        })
    );
}

#[test]
fn shift_click_extends_the_block_and_r_marks_it_reviewed_in_one_step() {
    let mut harness = harness();
    click_cell(&mut harness, 0, 0);
    let label = cell_label(&harness, 1, 2);
    harness
        .get_by_role_and_label(Role::Cell, &label)
        .click_modifiers(Modifiers::SHIFT);
    settle(&mut harness);
    assert_eq!(
        block(&harness),
        Some(Block {
            rows: (0, 1),
            columns: (0, 2)
        })
    );
    let before = harness.state().project().clone();
    press(&mut harness, Modifiers::NONE, Key::R);
    for r in 0..2 {
        for c in 0..3 {
            let (a, e) = at(&harness, r, c);
            let cell = harness.state().project().cell(&a, &e);
            assert_eq!(cell.review, ReviewStatus::Reviewed, "cell {r},{c}");
            assert_eq!(cell.reviewed_by, "Tester");
        }
    }
    assert_undo_item(&mut harness, "Undo: 6 cells: Reviewed");
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().project(), &before);
}

#[test]
fn review_mode_refuses_a_block_key_and_a_paste() {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(64)
        .build_eframe(|cc| {
            let options = StartupOptions {
                review: true,
                ..StartupOptions::default()
            };
            let mut app = NormgridApp::new(cc, &options);
            app.prefs_mut().author = "Tester".to_owned();
            app
        });
    settle(&mut harness);
    let before = harness.state().project().clone();
    select_two_by_three(&mut harness);
    assert_eq!(
        block(&harness).map(|b| b.cell_count()),
        Some(6),
        "selecting still works"
    );
    press(&mut harness, Modifiers::NONE, Key::N);
    harness.event(Event::Paste("Yes".to_owned()));
    settle(&mut harness);
    assert_eq!(
        harness.state().project(),
        &before,
        "content is locked while reviewing"
    );
}

#[test]
fn a_block_shrinks_to_one_cell_when_the_shown_rows_change() {
    let mut harness = harness();
    // Filter Human Rights to Yes, then select three rows of one column.
    harness
        .state_mut()
        .view_mut()
        .query
        .toggle_column_filter(&ElementId::new("ke-human-rights"), Assessment::Yes);
    settle(&mut harness);
    click_cell(&mut harness, 0, 7);
    press(&mut harness, Modifiers::SHIFT, Key::ArrowDown);
    press(&mut harness, Modifiers::SHIFT, Key::ArrowDown);
    let picked: Vec<_> = (0..3).map(|r| at(&harness, r, 7)).collect();
    assert_eq!(block(&harness).unwrap().rows, (0, 2));
    // Clearing the filter shows the rows between them: the same anchor would now span more.
    harness.state_mut().view_mut().query.column_filters.clear();
    settle(&mut harness);
    let shrunk = block(&harness).unwrap();
    assert_eq!(
        (shrunk.rows.0, shrunk.rows.1),
        (shrunk.rows.1, shrunk.rows.1)
    );
    let before = harness.state().project().clone();
    press(&mut harness, Modifiers::NONE, Key::N);
    let after = harness.state().project().clone();
    let cbms = ElementId::new("ke-cbms");
    assert_eq!(at(&harness, 0, 7).1, cbms, "column 7 is Specified CBMs");
    let changed = after
        .agreements
        .iter()
        .filter(|a| before.assessment(&a.id, &cbms) != after.assessment(&a.id, &cbms))
        .count();
    assert!(
        changed <= 1,
        "N changed {changed} cells, not just the selected one"
    );
    assert!(
        picked.contains(&(
            harness.state().view().selection.agreement.clone().unwrap(),
            cbms
        )),
        "the selected cell is one the user picked"
    );
}

#[test]
fn a_block_copied_with_ctrl_c_pastes_into_another_block_with_ctrl_v_and_one_undo() {
    let mut harness = harness();
    let copied = copy_filled_block(&mut harness);
    assert_eq!(copied, vec!["Yes\tIndirect\nNo\t".to_owned()]);
    settle(&mut harness);

    // Another 2×2 block, further down and right.
    click_cell(&mut harness, 3, 3);
    press(&mut harness, Modifiers::SHIFT, Key::ArrowRight);
    press(&mut harness, Modifiers::SHIFT, Key::ArrowDown);
    let before = harness.state().project().clone();
    let expected = [
        (3, 3, Assessment::Yes),
        (3, 4, Assessment::Indirect),
        (4, 3, Assessment::No),
        (4, 4, Assessment::NotAssessed),
    ];
    assert!(
        expected
            .iter()
            .any(|&(r, c, value)| assessment_at(&harness, r, c) != value),
        "the target block differs before the paste"
    );
    // Ctrl+V: the platform reads the clipboard and hands the text over in the same frame.
    harness.event(Event::Key {
        key: Key::V,
        pressed: true,
        modifiers: Modifiers::COMMAND,
        repeat: false,
        physical_key: None,
    });
    harness.event(Event::Paste(copied[0].clone()));
    settle(&mut harness);
    for (r, c, value) in expected {
        assert_eq!(assessment_at(&harness, r, c), value, "cell ({r}, {c})");
    }
    assert_undo_item(&mut harness, "Undo: paste 4 cells");
    press(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(
        harness.state().project(),
        &before,
        "one undo restores all four"
    );
}
