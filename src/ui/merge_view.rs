//! The Merge tab: bring a colleague's copy into the open project. Changes made on one side
//! come in by themselves; each conflict shows base, ours and theirs side by side, and the user
//! picks one or writes the result.

use super::dialogs::FilePurpose;
use super::document::OtherFile;
use super::events::AppEvent;
use super::memo::Memo;
use super::versions_table::{VersionColumn, VersionRow, versions_table_ui};
use crate::collab::merge::{CellVersions, Side, Version};
use crate::collab::{
    Choice, Conflict, ConflictKey, Fallback, InputProblem, MergeInputs, MergeResult, Repair,
    merge_projects,
};
use crate::model::text::counted;
use crate::model::{Assessment, Cell, Project};
use egui::{RichText, TextEdit, Ui};
use std::collections::BTreeMap;

/// The Merge tab's files, the choices made so far, and the merge they give.
#[derive(Default)]
pub struct MergeState {
    pub theirs: Option<OtherFile>,
    pub base: Option<OtherFile>,
    pub choices: BTreeMap<ConflictKey, Choice>,
    /// The conflict whose result is being written by hand, and the draft.
    editing: Option<(ConflictKey, Cell)>,
    /// Repair damaged inputs before merging instead of refusing them.
    repair: bool,
    /// Bumped whenever the files or choices change.
    generation: u64,
    outcome_memo: Memo<((u64, u64), u64), MergeOutcome>,
}

/// What the Merge tab can do with the chosen files.
pub enum MergeOutcome {
    /// An input has duplicate ids, orphan cells or dangling links, and no repair was asked for
    /// (or a repair cannot fix them).
    Refused(Vec<InputProblem>),
    /// The merge, after the listed repairs (none for clean inputs).
    Merged {
        problems: Vec<InputProblem>,
        repairs: Vec<Repair>,
        result: Box<MergeResult>,
    },
}

impl MergeState {
    pub fn set_theirs(&mut self, theirs: OtherFile) {
        self.theirs = Some(theirs);
        // A repair is chosen for the files it was shown for, never carried over to others.
        self.repair = false;
        self.choices.clear();
        self.changed();
    }

    pub fn set_base(&mut self, base: Option<OtherFile>) {
        self.base = base;
        self.repair = false;
        self.choices.clear();
        self.changed();
    }

    fn choose(&mut self, key: ConflictKey, choice: Choice) {
        self.choices.insert(key, choice);
        self.editing = None;
        self.changed();
    }

    /// Marks results written by hand as this user's edits.
    pub fn stamp_edited(&mut self, author: &str, now: chrono::DateTime<chrono::Utc>) {
        for choice in self.choices.values_mut() {
            if let Choice::Edited(cell) = choice {
                cell.stamp(author, now);
            }
        }
        self.changed();
    }

    fn changed(&mut self) {
        self.generation += 1;
    }

    fn set_repair(&mut self, repair: bool) {
        self.repair = repair;
        self.choices.clear();
        self.editing = None;
        self.changed();
    }

    /// The inputs' check and, unless refused, the merge of the open project (ours) with theirs;
    /// recomputed only when something changed.
    pub fn outcome(&mut self, ours: &Project, revision: (u64, u64)) -> Option<&MergeOutcome> {
        let theirs = self.theirs.as_ref()?;
        let (base, choices, repair) = (&self.base, &self.choices, self.repair);
        Some(
            self.outcome_memo
                .get_or_compute((revision, self.generation), || {
                    match MergeInputs::prepare(
                        base.as_ref().map(|b| &b.project),
                        ours,
                        &theirs.project,
                        repair,
                        chrono::Local::now().date_naive(),
                    ) {
                        Err(refusal) => MergeOutcome::Refused(refusal.problems),
                        Ok(inputs) => {
                            let mut result = merge_projects(
                                inputs.base.as_ref(),
                                &inputs.ours,
                                &inputs.theirs,
                                choices,
                                Fallback::Mark,
                            );
                            inputs.keep_removed_content(&mut result.project);
                            MergeOutcome::Merged {
                                problems: inputs.problems,
                                repairs: inputs.repairs,
                                result: Box::new(result),
                            }
                        }
                    }
                }),
        )
    }

    /// The merge of the open project (ours) with theirs; `None` while the inputs are refused.
    pub fn result(&mut self, ours: &Project, revision: (u64, u64)) -> Option<&MergeResult> {
        match self.outcome(ours, revision)? {
            MergeOutcome::Merged { result, .. } => Some(&**result),
            MergeOutcome::Refused(_) => None,
        }
    }

    /// True when the chosen files cannot be merged as they are and no repair was asked for.
    pub fn is_refused(&mut self, ours: &Project, revision: (u64, u64)) -> bool {
        matches!(self.outcome(ours, revision), Some(MergeOutcome::Refused(_)))
    }

    /// The file name of one side, as the tab shows it.
    fn side_name(&self, side: Side) -> String {
        match side {
            Side::Base => self.base.as_ref().map(OtherFile::name),
            Side::Ours => Some("the open project".to_owned()),
            Side::Theirs => self.theirs.as_ref().map(OtherFile::name),
        }
        .unwrap_or_default()
    }
}

/// The problems in the inputs and the choice between refusing and repairing. Returns false
/// while the merge is refused.
fn input_problems_ui(
    ui: &mut Ui,
    state: &mut MergeState,
    problems: &[InputProblem],
    repairs: Option<&[Repair]>,
) -> bool {
    if problems.is_empty() {
        return true;
    }
    let warn = ui.visuals().warn_fg_color;
    ui.separator();
    ui.label(
        RichText::new(format!(
            "{} in the files to merge",
            counted(problems.len(), "problem", "problems")
        ))
        .strong()
        .color(warn),
    );
    egui::ScrollArea::vertical()
        .id_salt("merge-input-problems")
        .max_height(140.0)
        .show(ui, |ui| {
            for found in problems {
                ui.label(format!(
                    "{} ({}): {}",
                    found.side.label(),
                    state.side_name(found.side),
                    found.problem
                ));
            }
        });
    let mut repair = state.repair;
    ui.checkbox(&mut repair, "Repair the files before merging")
        .on_hover_text(
            "A duplicate id gets a fresh id (both records are kept), an orphan cell's content \
             moves into a merge note, a link to something missing is removed. Your files on \
             disk are not changed.",
        );
    if repair != state.repair {
        state.set_repair(repair);
    }
    match repairs {
        None => {
            ui.label(
                RichText::new(
                    "Merge refused: merging by id would drop or mix up these records. Fix the \
                     files (normgrid check FILE), or repair them here and read what the repair \
                     changes before applying.",
                )
                .color(warn),
            );
            false
        }
        Some(repairs) => {
            ui.label(RichText::new(format!("Repairs ({}):", repairs.len())).strong());
            egui::ScrollArea::vertical()
                .id_salt("merge-repairs")
                .max_height(140.0)
                .show(ui, |ui| {
                    for repair in repairs {
                        ui.label(format!(
                            "Repaired {} ({}): {}",
                            repair.side.label(),
                            state.side_name(repair.side),
                            repair.text
                        ));
                    }
                });
            true
        }
    }
}

/// Draws the Merge tab.
pub fn merge_view_ui(
    ui: &mut Ui,
    ours: &Project,
    revision: (u64, u64),
    state: &mut MergeState,
    events: &mut Vec<AppEvent>,
) {
    ui.heading("Merge a colleague's copy");
    ui.label(
        RichText::new(
            "Ours is the open project; theirs is the colleague's file. The base is the file you \
             both started from: with it, a change made on one side comes in by itself. Without \
             it, every difference is a conflict.",
        )
        .weak(),
    );
    egui::Grid::new("merge-files")
        .num_columns(3)
        .show(ui, |ui| {
            ui.label("Theirs:");
            ui.label(
                state
                    .theirs
                    .as_ref()
                    .map_or_else(|| "not chosen".to_owned(), OtherFile::name),
            );
            if ui.button("Choose their file…").clicked() {
                events.push(AppEvent::ChooseFile(FilePurpose::MergeTheirs));
            }
            ui.end_row();
            ui.label("Base:");
            ui.label(
                state
                    .base
                    .as_ref()
                    .map_or_else(|| "none: two-way merge".to_owned(), OtherFile::name),
            );
            ui.horizontal(|ui| {
                if ui.button("Choose the base file…").clicked() {
                    events.push(AppEvent::ChooseFile(FilePurpose::MergeBase));
                }
                if state.base.is_some() && ui.button("Merge without a base").clicked() {
                    state.set_base(None);
                }
            });
            ui.end_row();
        });
    if state.theirs.is_none() {
        return;
    }
    let theirs_name = state
        .theirs
        .as_ref()
        .map(OtherFile::name)
        .unwrap_or_default();
    let (problems, repairs, conflicts, taken) = match state.outcome(ours, revision) {
        None => return,
        Some(MergeOutcome::Refused(problems)) => (problems.clone(), None, Vec::new(), 0),
        Some(MergeOutcome::Merged {
            problems,
            repairs,
            result,
        }) => (
            problems.clone(),
            Some(repairs.clone()),
            result.conflicts.clone(),
            result.taken_from_theirs,
        ),
    };
    if !input_problems_ui(ui, state, &problems, repairs.as_deref()) {
        return;
    }
    let decided = conflicts.iter().filter(|c| c.is_resolved()).count();
    ui.separator();
    ui.label(format!(
        "{} in from theirs without conflict. {}, {decided} decided.",
        counted(taken, "change comes", "changes come"),
        counted(conflicts.len(), "conflict", "conflicts")
    ));
    ui.horizontal_wrapped(|ui| {
        let undecided = conflicts.len() - decided;
        // Apply comes first so it stays put as the other buttons come and go.
        let apply = ui
            .add_enabled(undecided == 0, egui::Button::new("Apply merge"))
            .on_hover_text("Replace the open project with the merge; Undo takes it back")
            .on_disabled_hover_text("Decide every conflict first");
        if apply.clicked() {
            events.push(AppEvent::ApplyMerge);
        }
        if undecided > 0 {
            ui.label(
                RichText::new(format!("{undecided} to decide")).color(ui.visuals().warn_fg_color),
            );
            if ui.button("Keep ours for the undecided").clicked() {
                for c in conflicts.iter().filter(|c| !c.is_resolved()) {
                    state.choose(c.key.clone(), Choice::Ours);
                }
            }
            if ui.button("Take theirs for the undecided").clicked() {
                for c in conflicts.iter().filter(|c| !c.is_resolved()) {
                    state.choose(c.key.clone(), Choice::Theirs);
                }
            }
        }
    });
    ui.label(RichText::new(format!("Merging “{theirs_name}” into the open project.")).weak());
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("merge-conflicts")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if conflicts.is_empty() {
                ui.label("No conflicts: everything merges by itself. Apply the merge to take it.");
            }
            for (n, conflict) in conflicts.iter().enumerate() {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.push_id(n, |ui| conflict_ui(ui, conflict, state));
                });
                ui.add_space(6.0);
            }
        });
}

fn conflict_ui(ui: &mut Ui, conflict: &Conflict, state: &mut MergeState) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{} {}", conflict.subject, conflict.title)).strong());
        ui.label(RichText::new(conflict.describe()).weak());
    });
    let has_base = conflict.base.is_some();
    let versions: Vec<(&str, &Version)> = [
        ("Base", conflict.base.as_ref()),
        ("Ours", Some(&conflict.ours)),
        ("Theirs", Some(&conflict.theirs)),
    ]
    .into_iter()
    .filter_map(|(name, version)| version.map(|v| (name, v)))
    .collect();
    let conflicting = conflict.shown_fields();
    // A cell's note and quote are shown even when only the assessment conflicts: they are the
    // evidence for deciding.
    let mut fields = conflicting.clone();
    if conflict.cells.is_some() {
        for extra in ["assessment", "note", "evidence"] {
            if !fields.contains(&extra) {
                fields.push(extra);
            }
        }
    }
    let columns: Vec<VersionColumn> = versions
        .iter()
        .map(|(name, version)| VersionColumn {
            heading: (*name).to_owned(),
            by: version.by.clone(),
        })
        .collect();
    let rows: Vec<VersionRow> = fields
        .iter()
        .map(|field| VersionRow {
            field: (*field).to_owned(),
            flagged: conflicting.contains(field),
            values: versions
                .iter()
                .map(|(_, version)| {
                    if version.present {
                        version.field(field).unwrap_or_default().to_owned()
                    } else {
                        "(removed)".to_owned()
                    }
                })
                .collect(),
        })
        .collect();
    versions_table_ui(ui, &columns, &rows);
    let chosen = match &conflict.resolution {
        crate::collab::merge::Resolution::Chosen(choice) => Some(choice.clone()),
        _ => None,
    };
    ui.horizontal_wrapped(|ui| {
        let mut pick = |ui: &mut Ui, label: &str, choice: Choice| {
            let selected = chosen.as_ref() == Some(&choice);
            if ui.selectable_label(selected, label).clicked() {
                state.choose(conflict.key.clone(), choice);
            }
        };
        if has_base {
            pick(ui, "Use base", Choice::Base);
        }
        pick(ui, "Use ours", Choice::Ours);
        pick(ui, "Use theirs", Choice::Theirs);
        if let Some(cells) = &conflict.cells {
            let editing = state
                .editing
                .as_ref()
                .is_some_and(|(key, _)| key == &conflict.key);
            let edited = matches!(chosen, Some(Choice::Edited(_)));
            if ui
                .selectable_label(editing || edited, "Edit the result…")
                .clicked()
                && !editing
            {
                let draft = match &chosen {
                    Some(Choice::Edited(cell)) => (**cell).clone(),
                    _ => cells.merged.clone(),
                };
                state.editing = Some((conflict.key.clone(), draft));
            }
        }
        match &chosen {
            Some(Choice::Edited(_)) => ui.label("Decided: edited by hand"),
            Some(choice) => ui.label(format!("Decided: {}", choice_name(choice))),
            None => ui.label(RichText::new("Not decided").color(ui.visuals().warn_fg_color)),
        };
    });
    if let (Some(cells), Some((key, draft))) = (&conflict.cells, &mut state.editing)
        && key == &conflict.key
    {
        let done = edit_result_ui(ui, draft, cells);
        if done {
            let cell = draft.clone();
            state.choose(conflict.key.clone(), Choice::Edited(Box::new(cell)));
        }
    }
}

fn choice_name(choice: &Choice) -> &'static str {
    match choice {
        Choice::Base => "base",
        Choice::Ours => "ours",
        Choice::Theirs => "theirs",
        Choice::Edited(_) => "edited",
    }
}

/// The hand-written result of a cell conflict. Returns true when the user accepts it.
fn edit_result_ui(ui: &mut Ui, draft: &mut Cell, cells: &CellVersions) -> bool {
    ui.separator();
    ui.label(RichText::new("Result").strong());
    ui.horizontal_wrapped(|ui| {
        ui.label("Assessment:");
        for assessment in Assessment::ALL {
            ui.radio_value(&mut draft.assessment, assessment, assessment.label());
        }
    });
    let label = ui.label("Note");
    ui.add(
        TextEdit::multiline(&mut draft.note)
            .id_salt("merge-note")
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(label.id);
    // Quotes are anchored in sources, so the result takes one side's evidence whole
    // instead of letting a quote be retyped here.
    ui.label(RichText::new("Evidence").strong());
    if draft.evidence.is_empty() {
        ui.label(RichText::new("No quotes").weak());
    }
    for excerpt in &draft.evidence {
        let place = if excerpt.locator.is_empty() {
            String::new()
        } else {
            format!(" ({})", excerpt.locator)
        };
        ui.add(
            egui::Label::new(
                RichText::new(format!("“{}”{place}", excerpt.display_text())).italics(),
            )
            .wrap(),
        );
    }
    ui.horizontal(|ui| {
        for (label, from) in [
            ("Evidence from ours", &cells.ours),
            ("Evidence from theirs", &cells.theirs),
        ] {
            if ui.button(label).clicked() {
                draft.evidence.clone_from(&from.evidence);
            }
        }
    });
    let mut accepted = false;
    ui.horizontal(|ui| {
        for (label, from) in [
            ("Start from ours", &cells.ours),
            ("Start from theirs", &cells.theirs),
        ] {
            if ui.button(label).clicked() {
                *draft = from.clone();
            }
        }
        if ui.button("Use this result").clicked() {
            accepted = true;
        }
    });
    accepted
}
