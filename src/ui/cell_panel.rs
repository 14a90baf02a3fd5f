//! The side panel for the selected cell: assessment, note, quote, locator and review status;
//! the agreement's notes thread; and the agreement's details, all editable.

use super::actions::Action;
use super::agreement_details::agreement_details_ui;
use super::events::AppEvent;
use super::fields::labelled_text;
use super::reader::EvidenceChecks;
use super::view::ViewState;
use crate::commands::{CellField, TypingKey};
use crate::model::text::counted;
use crate::model::{
    AgreementId, Assessment, Cell, ElementId, ExcerptId, NoteKind, NoteTarget, Project,
    ReviewStatus,
};
use crate::sources::evidence::ExcerptState;
use egui::{RichText, TextEdit, Ui};

/// Draws the cell and notes panel; `block_cells` counts the selected block's cells (1 for a
/// single cell).
#[allow(clippy::too_many_arguments)] // separate borrows of the app's fields, as the layout holds them
pub fn cell_panel_ui(
    ui: &mut Ui,
    project: &Project,
    review_mode: bool,
    view: &mut ViewState,
    block_cells: usize,
    author: &mut String,
    checks: &EvidenceChecks,
    events: &mut Vec<AppEvent>,
) {
    hide_panel_button_ui(ui, Action::ToggleCellPanel, events);
    egui::ScrollArea::vertical()
        .id_salt("cell-panel")
        .show(ui, |ui| {
            let agreement = view.selection.agreement.clone();
            let element = view.selection.element.clone();
            if block_cells > 1 {
                block_summary_ui(ui, block_cells, review_mode);
                ui.separator();
            }
            match (&agreement, &element) {
                (Some(a), Some(e)) => {
                    cell_ui(ui, project, a, e, review_mode, view, checks, events);
                }
                (None, Some(e)) => {
                    ui.add_enabled_ui(!review_mode, |ui| element_ui(ui, project, e, events));
                    // Outside the Review-mode lock: copying an id changes nothing.
                    id_row_ui(ui, "Element", e.as_str());
                }
                _ => {
                    ui.heading("Cell");
                    ui.label(select_a_cell_hint(ui.ctx()));
                }
            }
            if let Some(a) = &agreement {
                ui.separator();
                notes_ui(
                    ui,
                    project,
                    a,
                    element.as_ref(),
                    review_mode,
                    author,
                    events,
                );
                ui.separator();
                id_row_ui(ui, "Agreement", a.as_str());
                ui.add_enabled_ui(!review_mode, |ui| {
                    agreement_details_ui(ui, project, a, events);
                });
            }
        });
}

/// A small button at the top of a side panel that hides it (the View menu shows it again).
pub(super) fn hide_panel_button_ui(ui: &mut Ui, toggle: Action, events: &mut Vec<AppEvent>) {
    ui.horizontal(|ui| {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button(format!("Hide {}", toggle.label()))
                .on_hover_text("Hide this panel; View menu shows it again")
                .clicked()
            {
                events.push(AppEvent::Action(toggle));
            }
        });
    });
}

/// "6 cells selected", and what the keys do to all of them.
fn block_summary_ui(ui: &mut Ui, cells: usize, review_mode: bool) {
    ui.add(egui::Label::new(RichText::new(block_summary_title(cells)).heading()).wrap());
    let key = |action: Action| action.shortcut_text(ui.ctx()).unwrap_or_default();
    let what = if review_mode {
        format!(
            "{} marks them all Reviewed, {} Disputed, as one undo step. {} copies them.",
            key(Action::MarkReviewed),
            key(Action::MarkDisputed),
            ui.ctx().format_shortcut(&egui::KeyboardShortcut::new(
                egui::Modifiers::COMMAND,
                egui::Key::C
            )),
        )
    } else {
        format!(
            "{}, {} or {} set them all, {} clears them; {} and {} mark them Reviewed or Disputed. \
             Each is one undo step. {} copies the block, {} pastes into it. The fields below are \
             the last selected cell's.",
            key(Action::SetYes),
            key(Action::SetIndirect),
            key(Action::SetNo),
            key(Action::ClearAssessment),
            key(Action::MarkReviewed),
            key(Action::MarkDisputed),
            ui.ctx().format_shortcut(&egui::KeyboardShortcut::new(
                egui::Modifiers::COMMAND,
                egui::Key::C
            )),
            ui.ctx().format_shortcut(&egui::KeyboardShortcut::new(
                egui::Modifiers::COMMAND,
                egui::Key::V
            )),
        )
    };
    ui.label(what);
}

/// The block summary's heading, e.g. "6 cells selected".
pub fn block_summary_title(cells: usize) -> String {
    format!("{cells} cells selected")
}

/// The item's id as files and the CLI spell it (`--agreements paris-call`), with a button
/// that copies it.
pub(super) fn id_row_ui(ui: &mut Ui, kind: &str, id: &str) {
    // Wrapped: a long id must not widen the panel for good (a panel keeps its widest width).
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("{kind} id:"));
        ui.add(egui::Label::new(RichText::new(id).monospace()).wrap())
            .on_hover_text("Project files, CSV exports and the command line refer to it by this id. It never changes.");
        if ui
            .small_button("Copy id")
            .on_hover_text(format!("Copy {id} to the clipboard"))
            .clicked()
        {
            ui.ctx().copy_text(id.to_owned());
        }
    });
}

#[allow(clippy::too_many_arguments)] // the panel's inputs, passed on
fn cell_ui(
    ui: &mut Ui,
    project: &Project,
    agreement: &AgreementId,
    element: &ElementId,
    review_mode: bool,
    view: &mut ViewState,
    checks: &EvidenceChecks,
    events: &mut Vec<AppEvent>,
) {
    let (Some(a), Some((framework, e))) = (project.agreement(agreement), project.element(element))
    else {
        ui.label("The selected cell no longer exists.");
        return;
    };
    // Wrapped: a long title must not widen the panel for good.
    ui.add(
        egui::Label::new(
            RichText::new(format!("{} · {}", a.short_name, e.display_name())).heading(),
        )
        .wrap(),
    );
    ui.label(RichText::new(&framework.name).weak());
    let cell = project.cell(agreement, element);
    let edit = |cell: Cell, typing: Option<CellField>| AppEvent::EditCell {
        agreement: agreement.clone(),
        element: element.clone(),
        cell,
        typing: typing.map(|field| TypingKey::Cell(agreement.clone(), element.clone(), field)),
    };

    if review_mode {
        ui.label(
            RichText::new("Review mode: the content is locked.")
                .weak()
                .small(),
        );
    }
    ui.add_enabled_ui(!review_mode, |ui| {
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            ui.label("Assessment:");
            for assessment in Assessment::ALL {
                if ui
                    .radio(cell.assessment == assessment, assessment.label())
                    .clicked()
                    && cell.assessment != assessment
                {
                    let mut changed = cell.clone();
                    changed.assessment = assessment;
                    events.push(edit(changed, None));
                }
            }
        });
        let found_quotes = cell
            .evidence
            .iter()
            .filter(|excerpt| {
                matches!(
                    checks.state_of(agreement, element, &excerpt.id),
                    Some(ExcerptState::Verified { .. } | ExcerptState::Relocated { .. })
                )
            })
            .count();
        if let Some(warning) = contradiction_warning(cell.assessment, found_quotes) {
            ui.colored_label(ui.visuals().warn_fg_color, warning);
        }

        let note_label = ui.label("Note");
        let mut note = cell.note.clone();
        let response = ui.add(
            TextEdit::multiline(&mut note)
                .id_salt("cell-note")
                .desired_rows(3)
                .desired_width(f32::INFINITY)
                .hint_text("What the agreement says about this element"),
        );
        let response = response.labelled_by(note_label.id);
        if std::mem::take(&mut view.focus_note_editor) {
            response.request_focus();
        }
        if response.changed() {
            let mut changed = cell.clone();
            changed.note = note;
            events.push(edit(changed, Some(CellField::Note)));
        }

        let state_of = |id: &ExcerptId| checks.state_of(agreement, element, id).cloned();
        evidence_ui(ui, project, &cell, &edit, &state_of, view, events);
    });

    ui.horizontal_wrapped(|ui| {
        ui.label("Review:");
        for status in ReviewStatus::ALL {
            if ui.radio(cell.review == status, status.label()).clicked() && cell.review != status {
                events.push(AppEvent::SetReview {
                    agreement: agreement.clone(),
                    element: element.clone(),
                    status,
                });
            }
        }
    });
    if !cell.reviewed_by.is_empty() {
        let when = cell
            .reviewed_at
            .map(|t| t.format(" on %Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default();
        ui.label(
            RichText::new(format!(
                "{} set by {}{when}",
                cell.review.label(),
                cell.reviewed_by
            ))
            .weak()
            .small(),
        );
    }
    if !cell.edited_by.is_empty() {
        let when = cell
            .edited_at
            .map(|t| t.format(" on %Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default();
        ui.label(
            RichText::new(format!("Last edited by {}{when}", cell.edited_by))
                .weak()
                .small(),
        );
    }
}

fn element_ui(ui: &mut Ui, project: &Project, element: &ElementId, events: &mut Vec<AppEvent>) {
    let Some((framework, e)) = project.element(element) else {
        return;
    };
    ui.add(egui::Label::new(RichText::new(e.display_name()).heading()).wrap());
    ui.label(RichText::new(&framework.name).weak());
    let mut changed = e.clone();
    let mut any = None;
    ui.horizontal(|ui| {
        if labelled_text(
            ui,
            "Label",
            TextEdit::singleline(&mut changed.label)
                .id_salt("element-label")
                .desired_width(60.0),
        )
        .changed()
        {
            any = Some("label");
        }
        if labelled_text(
            ui,
            "Element name",
            TextEdit::singleline(&mut changed.name)
                .id_salt("element-name")
                .desired_width(f32::INFINITY),
        )
        .changed()
        {
            any = Some("name");
        }
    });
    if labelled_text(
        ui,
        "Definition",
        TextEdit::multiline(&mut changed.definition)
            .id_salt("element-definition")
            .desired_width(f32::INFINITY),
    )
    .changed()
    {
        any = Some("definition");
    }
    if let Some(field) = any {
        events.push(AppEvent::UpdateElement {
            typing: Some(TypingKey::Element(element.clone(), field)),
            element: changed,
        });
    }
    let agreements: Vec<AgreementId> = project.agreements.iter().map(|a| a.id.clone()).collect();
    let tally = crate::model::tally::element_tally(project, element, &agreements);
    ui.label(format!(
        "{} Yes · {} Indirect · {} No · {} not assessed",
        tally.yes, tally.indirect, tally.no, tally.not_assessed
    ));
}

fn notes_ui(
    ui: &mut Ui,
    project: &Project,
    agreement: &AgreementId,
    element: Option<&ElementId>,
    review_mode: bool,
    author: &mut String,
    events: &mut Vec<AppEvent>,
) {
    let name = project
        .agreement(agreement)
        .map_or("", |a| a.short_name.as_str());
    ui.add(egui::Label::new(RichText::new(format!("Notes on {name}")).heading()).wrap());
    let thread: Vec<_> = project
        .notes
        .iter()
        .filter(|n| n.target.concerns_agreement(agreement))
        .collect();
    if thread.is_empty() {
        ui.label(RichText::new("No notes yet.").weak());
    }
    for note in thread {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            let about = match &note.target {
                NoteTarget::Cell(_, e) => project
                    .element(e)
                    .map(|(_, e)| format!(" · on {}", e.display_name()))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            ui.horizontal(|ui| {
                let kind = match note.kind {
                    NoteKind::Discussion => String::new(),
                    other => format!("{} · ", other.label()),
                };
                ui.add(
                    egui::Label::new(
                        RichText::new(format!("{kind}{} · {}{about}", note.author, note.date))
                            .small()
                            .strong(),
                    )
                    .wrap(),
                );
                // In Review mode only your own review comments can be withdrawn.
                let removable = !review_mode
                    || (note.kind == NoteKind::Review
                        && !author.trim().is_empty()
                        && note.author.trim() == author.trim());
                if removable
                    && ui
                        .small_button("Delete")
                        .on_hover_text("Delete this note")
                        .clicked()
                {
                    events.push(AppEvent::RemoveNote(note.id.clone()));
                }
            });
            ui.label(&note.text);
        });
    }
    ui.add_space(4.0);
    // Always shown: hiding it once it had a letter took its focus away mid-word, and the
    // rest of the name went to the grid as shortcuts.
    ui.horizontal(|ui| {
        labelled_text(
            ui,
            "Your name",
            TextEdit::singleline(author)
                .id_salt("author-name")
                .hint_text("shown on your notes and edits"),
        );
    });
    let draft_id = ui.scope_id().with(("note-draft", agreement));
    let mut draft: String = ui.data_mut(|d| d.get_temp(draft_id).unwrap_or_default());
    labelled_text(
        ui,
        if review_mode {
            "New review comment"
        } else {
            "New note"
        },
        TextEdit::multiline(&mut draft)
            .id_salt("new-note")
            .desired_rows(2)
            .desired_width(f32::INFINITY)
            .hint_text("Add to the discussion"),
    );
    let about_cell_id = ui.scope_id().with("note-about-cell");
    let mut about_cell: bool = ui.data_mut(|d| d.get_temp(about_cell_id).unwrap_or(true));
    // Wrapped: a long element name must not widen the panel for good.
    ui.horizontal_wrapped(|ui| {
        if let Some(e) = element {
            ui.checkbox(&mut about_cell, "About the selected cell");
            let target_hint = project
                .element(e)
                .map(|(_, e)| e.display_name())
                .unwrap_or_default();
            ui.add(egui::Label::new(RichText::new(target_hint).weak().small()).wrap());
        }
    });
    let can_add = !draft.trim().is_empty();
    if ui
        .add_enabled(
            can_add,
            egui::Button::new(if review_mode {
                "Add review comment"
            } else {
                "Add note"
            }),
        )
        .clicked()
    {
        let target = match element {
            Some(e) if about_cell => NoteTarget::Cell(agreement.clone(), e.clone()),
            _ => NoteTarget::Agreement(agreement.clone()),
        };
        events.push(AppEvent::AddNote {
            target,
            text: draft.trim().to_owned(),
        });
        draft.clear();
    }
    ui.data_mut(|d| {
        d.insert_temp(draft_id, draft);
        d.insert_temp(about_cell_id, about_cell);
    });
}

/// What to do with no cell selected, with the keys read from the action table.
fn select_a_cell_hint(ctx: &egui::Context) -> String {
    use super::actions::Action;
    let key = |action: Action| action.shortcut_text(ctx).unwrap_or_default();
    format!(
        "Select a cell in the grid: click it, or use the arrow keys; Shift+arrows or a drag select a block. \
         {}, {} and {} set the assessment, {} clears it; {} marks it Reviewed, {} Disputed; {} edits the note. \
         {} lists every command.",
        key(Action::SetYes),
        key(Action::SetIndirect),
        key(Action::SetNo),
        key(Action::ClearAssessment),
        key(Action::MarkReviewed),
        key(Action::MarkDisputed),
        key(Action::EditNote),
        key(Action::CommandPalette),
    )
}

/// "No, but 3 verified quotes support it": a warning, never a block, when a cell says No while
/// quotes kept as its evidence are found in their sources. One of the two is likely wrong.
pub fn contradiction_warning(assessment: Assessment, found_quotes: usize) -> Option<String> {
    (assessment == Assessment::No && found_quotes > 0).then(|| {
        format!(
            "No, but {} {} it: check the assessment or the quotes.",
            counted(found_quotes, "verified quote", "verified quotes"),
            if found_quotes == 1 {
                "supports"
            } else {
                "support"
            }
        )
    })
}

/// The cell's quotes: each with where it comes from, its locator and comment, and buttons to
/// show it in the reader or remove it; then a button to add a quote typed by hand.
fn evidence_ui(
    ui: &mut Ui,
    project: &Project,
    cell: &Cell,
    edit: &dyn Fn(Cell, Option<CellField>) -> AppEvent,
    state_of: &dyn Fn(&ExcerptId) -> Option<ExcerptState>,
    view: &mut ViewState,
    events: &mut Vec<AppEvent>,
) {
    ui.add_space(4.0);
    ui.label(
        RichText::new(format!(
            "Evidence · {}",
            counted(cell.evidence.len(), "quote", "quotes")
        ))
        .strong(),
    );
    for (index, excerpt) in cell.evidence.iter().enumerate() {
        ui.push_id(excerpt.id.as_str(), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                let source = excerpt.source.as_ref().and_then(|id| project.source(id));
                if let Some(state) = state_of(&excerpt.id) {
                    excerpt_state_badge_ui(ui, &state, excerpt.exact.trim().is_empty());
                }
                match (&excerpt.source, source) {
                    (Some(_), Some(source)) => {
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!("“{}”", excerpt.display_text())).italics(),
                            )
                            .wrap(),
                        );
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!("From {}", source.title)).weak(),
                            )
                            .wrap(),
                        );
                    }
                    (Some(id), None) => {
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!("“{}”", excerpt.display_text())).italics(),
                            )
                            .wrap(),
                        );
                        ui.colored_label(
                            ui.visuals().warn_fg_color,
                            format!("Its source `{id}` is not in the project."),
                        );
                    }
                    (None, _) => {
                        let mut exact = excerpt.exact.clone();
                        let response = labelled_text(
                            ui,
                            format!("Text of quote {} (typed, no source)", index + 1),
                            TextEdit::multiline(&mut exact)
                                .id_salt("excerpt-exact")
                                .desired_rows(2)
                                .desired_width(f32::INFINITY)
                                .hint_text("Quoted text from the agreement"),
                        );
                        if response.changed() {
                            let mut changed = cell.clone();
                            changed.evidence[index].exact = exact;
                            events.push(edit(changed, Some(CellField::Quote(excerpt.id.clone()))));
                        }
                    }
                }
                ui.horizontal(|ui| {
                    let mut locator = excerpt.locator.clone();
                    let response = labelled_text(
                        ui,
                        format!("Locator of quote {}", index + 1),
                        TextEdit::singleline(&mut locator)
                            .id_salt("excerpt-locator")
                            .desired_width(f32::INFINITY)
                            .hint_text("where it is, e.g. Art. 23"),
                    );
                    if response.changed() {
                        let mut changed = cell.clone();
                        changed.evidence[index].locator = locator;
                        events.push(edit(changed, Some(CellField::Locator(excerpt.id.clone()))));
                    }
                });
                ui.horizontal(|ui| {
                    let mut comment = excerpt.comment.clone();
                    let response = labelled_text(
                        ui,
                        format!("Comment on quote {}", index + 1),
                        TextEdit::singleline(&mut comment)
                            .id_salt("excerpt-comment")
                            .desired_width(f32::INFINITY),
                    );
                    if response.changed() {
                        let mut changed = cell.clone();
                        changed.evidence[index].comment = comment;
                        events.push(edit(changed, Some(CellField::Comment(excerpt.id.clone()))));
                    }
                });
                ui.horizontal(|ui| {
                    if source.is_some() && ui.button("Show in reader").clicked() {
                        view.reveal_excerpt = Some(excerpt.id.clone());
                    }
                    if ui.button("Remove quote").clicked() {
                        let mut changed = cell.clone();
                        changed.evidence.remove(index);
                        events.push(edit(changed, None));
                    }
                });
            });
        });
    }
    if ui
        .button("Add a quote by hand")
        .on_hover_text("A quote with no source; attach the agreement's text to quote it from the reader instead")
        .clicked()
    {
        let mut changed = cell.clone();
        let id = crate::model::Excerpt::new_id(None, "", "quote", &changed.evidence);
        changed.evidence.push(crate::model::Excerpt::unsourced(id, "", ""));
        events.push(edit(changed, None));
    }
}

/// A small badge with the excerpt's check: colour and word, the details on hover.
fn excerpt_state_badge_ui(ui: &mut Ui, state: &ExcerptState, locator_only: bool) {
    use crate::palette::okabe_ito;
    let (word, rgb, hover) = match state {
        ExcerptState::Verified { normalized: false } => (
            "verified",
            okabe_ito::BLUISH_GREEN,
            "The quote is in the source, word for word, where it points.".to_owned(),
        ),
        ExcerptState::Verified { normalized: true } => (
            "verified",
            okabe_ito::BLUISH_GREEN,
            "The quote is in the source where it points, after normalising spaces, quotes \
             and dashes."
                .to_owned(),
        ),
        ExcerptState::Relocated { .. } => (
            "relocated",
            okabe_ito::SKY_BLUE,
            "The quote is in the source, at another place; saving moves its anchor there."
                .to_owned(),
        ),
        ExcerptState::Changed { differences, .. } => (
            "changed",
            okabe_ito::ORANGE,
            format!("The source now says something slightly different: {differences}"),
        ),
        ExcerptState::Missing => (
            "missing",
            okabe_ito::VERMILLION,
            "The quote is not in the source any more.".to_owned(),
        ),
        ExcerptState::Undecided { chars } => (
            "undecided",
            okabe_ito::VERMILLION,
            format!(
                "The quote ({chars} characters) is not in the source as written, and is too long to compare approximately: quote a shorter passage."
            ),
        ),
        ExcerptState::NoSuchSource => (
            "source missing",
            okabe_ito::VERMILLION,
            "The source it names is not in the project.".to_owned(),
        ),
        ExcerptState::Unsourced if locator_only => (
            "locator only",
            crate::palette::Rgb(150, 150, 150),
            "Only a place in the text, no quote to check.".to_owned(),
        ),
        ExcerptState::Unsourced => (
            "no source",
            crate::palette::Rgb(150, 150, 150),
            "Typed by hand: no source text to check it against.".to_owned(),
        ),
    };
    let colour = egui::Color32::from_rgb(rgb.0, rgb.1, rgb.2);
    egui::Frame::new()
        .stroke(egui::Stroke::new(1.0, colour))
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(4, 0))
        .show(ui, |ui| {
            ui.label(RichText::new(format!("● {word}")).small().color(colour))
                .on_hover_text(hover);
        });
}
