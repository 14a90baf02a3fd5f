//! The Compare tab: what changed between another version of the project and the open one,
//! matched by id, down to each cell field and who changed it.

use super::dialogs::FilePurpose;
use super::document::OtherFile;
use super::events::AppEvent;
use super::memo::Memo;
use crate::collab::records::quoted;
use crate::collab::{ChangeKind, ProjectDiff, diff_projects};
use crate::model::Project;
use crate::model::text::counted;
use egui::{RichText, Ui};

/// The Compare tab's choices and its cached comparison.
#[derive(Default)]
pub struct CompareState {
    pub other: Option<OtherFile>,
    /// The open project is the older version (the other file is newer).
    pub open_is_old: bool,
    pub filter: String,
    diff_memo: Memo<((u64, u64), bool), ProjectDiff>,
}

impl CompareState {
    /// Sets the file to compare with.
    pub fn set_other(&mut self, other: OtherFile) {
        self.other = Some(other);
        self.diff_memo.clear();
    }

    /// The differences, computed again only when the project or the direction changed.
    pub fn diff(&mut self, project: &Project, revision: (u64, u64)) -> Option<&ProjectDiff> {
        let other = self.other.as_ref()?;
        let open_is_old = self.open_is_old;
        Some(self.diff_memo.get_or_compute((revision, open_is_old), || {
            if open_is_old {
                diff_projects(project, &other.project)
            } else {
                diff_projects(&other.project, project)
            }
        }))
    }
}

/// Draws the Compare tab.
pub fn compare_view_ui(
    ui: &mut Ui,
    project: &Project,
    revision: (u64, u64),
    state: &mut CompareState,
    events: &mut Vec<AppEvent>,
) {
    ui.heading("Compare two versions");
    ui.label(
        RichText::new(
            "Everything is matched by id, so renamed and reordered agreements are recognised. \
             Use it for a colleague's copy, or year over year (the 2019 file against a 2020 file).",
        )
        .weak(),
    );
    ui.horizontal_wrapped(|ui| {
        if ui.button("Choose a file to compare with…").clicked() {
            events.push(AppEvent::ChooseFile(FilePurpose::CompareWith));
        }
        if state.other.is_some() {
            if ui
                .button("Swap old and new")
                .on_hover_text("Read the changes in the other direction")
                .clicked()
            {
                state.open_is_old = !state.open_is_old;
            }
            if ui
                .button("Save the changes as CSV…")
                .on_hover_text("One row per change, for Excel or LibreOffice")
                .clicked()
            {
                events.push(AppEvent::ChooseFile(FilePurpose::ExportChanges));
            }
            if ui.button("Close comparison").clicked() {
                *state = CompareState::default();
            }
        }
    });
    let Some(other_name) = state.other.as_ref().map(OtherFile::name) else {
        ui.add_space(12.0);
        ui.label("No file chosen yet.");
        return;
    };
    let (old, new) = if state.open_is_old {
        ("the open project".to_owned(), other_name)
    } else {
        (other_name, "the open project".to_owned())
    };
    ui.label(RichText::new(format!("Old: {old}   →   New: {new}")).strong());
    let filter_label = ui.label("Filter changes");
    ui.add(
        egui::TextEdit::singleline(&mut state.filter)
            .id_salt("compare-filter")
            .hint_text("name, field or value")
            .desired_width(240.0),
    )
    .labelled_by(filter_label.id);
    let needle = state.filter.trim().to_lowercase();
    let Some(diff) = state.diff(project, revision) else {
        return;
    };
    if diff.is_empty() {
        ui.label("No differences: the two versions hold the same content.");
        return;
    }
    ui.label(format!(
        "{} ({} touched)",
        diff.summary(),
        counted(diff.changed_cells(), "cell", "cells")
    ));
    ui.separator();
    let shown: Vec<usize> = diff
        .changes
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            needle.is_empty()
                || [c.name.as_str(), c.field, &c.old, &c.new, &c.by, c.subject]
                    .iter()
                    .any(|t| t.to_lowercase().contains(&needle))
        })
        .map(|(i, _)| i)
        .collect();
    if shown.len() <= WRAPPED_ROWS_MAX {
        // Each change wraps to the panel's width and shows its whole old and new text.
        egui::ScrollArea::vertical()
            .id_salt("compare-list")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for &index in &shown {
                    ui.horizontal_wrapped(|ui| {
                        change_row_ui(ui, &diff.changes[index], None, events);
                    });
                    ui.separator();
                }
            });
        return;
    }
    // Very long lists stay one line per change, drawn only where visible.
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
    egui::ScrollArea::both()
        .id_salt("compare-list")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, shown.len(), |ui, range| {
            for &index in &shown[range] {
                ui.horizontal(|ui| {
                    change_row_ui(ui, &diff.changes[index], Some(60), events);
                });
            }
        });
}

/// Up to this many changes are listed wrapped, in full; beyond it, one line each.
const WRAPPED_ROWS_MAX: usize = 400;

/// One change: its sign, what it is about, and old → new (cut to `max_chars` if given, with
/// the whole text on hover).
fn change_row_ui(
    ui: &mut Ui,
    change: &crate::collab::diff::Change,
    max_chars: Option<usize>,
    events: &mut Vec<AppEvent>,
) {
    let (sign, colour) = match change.kind {
        ChangeKind::Added => ("+", super::palette_ui::ADDED),
        ChangeKind::Removed => ("-", super::palette_ui::REMOVED),
        ChangeKind::Renamed | ChangeKind::Changed => ("~", ui.visuals().text_color()),
    };
    ui.label(RichText::new(sign).strong().color(colour));
    ui.label(RichText::new(change.subject).weak());
    if let Some((agreement, element)) = &change.cell {
        if ui
            .link(&change.name)
            .on_hover_text("Show this cell in the grid")
            .clicked()
        {
            events.push(AppEvent::ShowCell {
                agreement: agreement.clone(),
                element: element.clone(),
            });
        }
    } else {
        ui.label(RichText::new(&change.name).strong());
    }
    match change.kind {
        ChangeKind::Added | ChangeKind::Removed => {
            // An added or removed excerpt carries its quote, so it can be judged here.
            let what = if change.kind == ChangeKind::Added {
                &change.new
            } else {
                &change.old
            };
            if what.is_empty() {
                ui.label(change.kind.label());
            } else {
                let text = format!("{} {}", change.kind.label(), quoted(what, max_chars));
                let response = ui.add(egui::Label::new(text).wrap());
                if max_chars.is_some() {
                    response.on_hover_text(what.as_str());
                }
            }
        }
        ChangeKind::Renamed | ChangeKind::Changed => {
            let text = format!(
                "{}: {} → {}",
                change.field,
                quoted(&change.old, max_chars),
                quoted(&change.new, max_chars)
            );
            let response = ui.add(egui::Label::new(text).wrap());
            if max_chars.is_some() {
                response.on_hover_text(format!("Old:\n{}\n\nNew:\n{}", change.old, change.new));
            }
        }
    }
    if let Some(by) = crate::collab::diff::by_line(&change.by, change.at) {
        ui.label(RichText::new(by).weak().small());
    }
}
