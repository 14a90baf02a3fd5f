//! The side panel for the selected cell: assessment, note, quote, locator and review status;
//! the agreement's notes thread; and the agreement's details, all editable.

use super::actions::Action;
use super::events::AppEvent;
use super::reader::EvidenceChecks;
use super::toolbar::dropdown_ui;
use super::view::ViewState;
use crate::commands::{CellField, TypingKey};
use crate::model::text::counted;
use crate::model::{
    Agreement, AgreementId, Assessment, Binding, Cell, ElementId, ExcerptId, NoteKind, NoteTarget,
    Project, Provision, ProvisionId, ReviewStatus, Space,
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
        let label = ui.label("Label");
        if ui
            .add(
                TextEdit::singleline(&mut changed.label)
                    .id_salt("element-label")
                    .desired_width(60.0),
            )
            .labelled_by(label.id)
            .changed()
        {
            any = Some("label");
        }
        let label = ui.label("Element name");
        if ui
            .add(
                TextEdit::singleline(&mut changed.name)
                    .id_salt("element-name")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id)
            .changed()
        {
            any = Some("name");
        }
    });
    let label = ui.label("Definition");
    if ui
        .add(
            TextEdit::multiline(&mut changed.definition)
                .id_salt("element-definition")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id)
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
        let label = ui.label("Your name");
        ui.add(
            TextEdit::singleline(author)
                .id_salt("author-name")
                .hint_text("shown on your notes and edits"),
        )
        .labelled_by(label.id);
    });
    let draft_id = ui.scope_id().with(("note-draft", agreement));
    let mut draft: String = ui.data_mut(|d| d.get_temp(draft_id).unwrap_or_default());
    let new_note_label = ui.label(if review_mode {
        "New review comment"
    } else {
        "New note"
    });
    ui.add(
        TextEdit::multiline(&mut draft)
            .id_salt("new-note")
            .desired_rows(2)
            .desired_width(f32::INFINITY)
            .hint_text("Add to the discussion"),
    )
    .labelled_by(new_note_label.id);
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

fn agreement_details_ui(
    ui: &mut Ui,
    project: &Project,
    agreement: &AgreementId,
    events: &mut Vec<AppEvent>,
) {
    let Some(a) = project.agreement(agreement) else {
        return;
    };
    egui::CollapsingHeader::new(RichText::new("Agreement details").heading())
        .id_salt("agreement-details")
        .default_open(true)
        .show(ui, |ui| {
            let mut changed = a.clone();
            let mut field = None;
            let text_row = |ui: &mut Ui,
                            label: &str,
                            value: &mut String,
                            key: &'static str,
                            field: &mut Option<&'static str>|
             -> egui::Response {
                ui.horizontal(|ui| {
                    let l = ui.label(label);
                    let response = ui
                        .add(
                            TextEdit::singleline(value)
                                .id_salt(("agreement", key))
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(l.id);
                    if response.changed() {
                        *field = Some(key);
                    }
                    response
                })
                .inner
            };
            text_row(ui, "Name", &mut changed.name, "name", &mut field);
            text_row(
                ui,
                "Short name",
                &mut changed.short_name,
                "short_name",
                &mut field,
            );
            ui.horizontal(|ui| {
                let year_label = ui.label("Year");
                // What is typed stays as typed until it is a year: "20x8" is never saved as 208.
                let draft_id = ui.scope_id().with(("year-draft", changed.id.as_str()));
                let mut year_text = ui
                    .data(|d| d.get_temp::<String>(draft_id))
                    .unwrap_or_else(|| changed.year.map(|y| y.to_string()).unwrap_or_default());
                let response = ui
                    .add(
                        TextEdit::singleline(&mut year_text)
                            .id_salt(("agreement", "year"))
                            .desired_width(60.0),
                    )
                    .labelled_by(year_label.id);
                let parsed = parse_year(&year_text);
                if response.changed() {
                    if let Some(year) = parsed
                        && year != changed.year
                    {
                        changed.year = year;
                        field = Some("year");
                    }
                    ui.data_mut(|d| d.insert_temp(draft_id, year_text.clone()));
                }
                if response.lost_focus() {
                    ui.data_mut(|d| d.remove::<String>(draft_id));
                } else if parsed.is_none() {
                    ui.colored_label(ui.visuals().warn_fg_color, "four digits, e.g. 2018");
                }
                let label = ui.label("Space");
                let selected = changed.space.label();
                let options = Space::ALL.map(|space| (space, space.label()));
                let (response, picked) =
                    dropdown_ui(ui, "agreement-space", selected, &mut changed.space, options);
                response.labelled_by(label.id);
                if picked {
                    field = Some("space");
                }
            });
            ui.horizontal(|ui| {
                let label = ui.label("Binding");
                let selected = changed.binding.label();
                let options = Binding::ALL.map(|binding| (binding, binding.label()));
                let (response, picked) = dropdown_ui(
                    ui,
                    "agreement-binding",
                    selected,
                    &mut changed.binding,
                    options,
                );
                response.labelled_by(label.id);
                if picked {
                    field = Some("binding");
                }
            });
            ui.horizontal(|ui| {
                let l = ui.label("URL");
                let open = ui.add_enabled(
                    !changed.url.trim().is_empty(),
                    egui::Button::new("Open link"),
                );
                if open.clicked() {
                    events.push(AppEvent::OpenLink(changed.url.trim().to_owned()));
                }
                if ui
                    .add(
                        TextEdit::singleline(&mut changed.url)
                            .id_salt(("agreement", "url"))
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(l.id)
                    .changed()
                {
                    field = Some("url");
                }
            });
            let label = ui.label("Supporters");
            if ui
                .add(
                    TextEdit::multiline(&mut changed.supporters)
                        .id_salt(("agreement", "supporters"))
                        .desired_rows(2)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id)
                .changed()
            {
                field = Some("supporters");
            }
            let label = ui.label("Summary");
            if ui
                .add(
                    TextEdit::multiline(&mut changed.summary)
                        .id_salt(("agreement", "summary"))
                        .desired_rows(4)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id)
                .changed()
            {
                field = Some("summary");
            }
            let label = ui.label("Unique elements (one per line)");
            let mut unique = changed.unique_elements.join("\n");
            if ui
                .add(
                    TextEdit::multiline(&mut unique)
                        .id_salt(("agreement", "unique"))
                        .desired_rows(3)
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(label.id)
                .changed()
            {
                changed.unique_elements = unique.lines().map(str::to_owned).collect();
                field = Some("unique");
            }
            provisions_ui(ui, &mut changed, &mut field);
            if let Some(field) = field {
                // Adding or removing a provision is its own undo step; typing merges.
                let typing = (!field.starts_with("provisions-"))
                    .then(|| TypingKey::Agreement(agreement.clone(), field));
                events.push(AppEvent::UpdateAgreement {
                    typing,
                    agreement: Box::new(changed),
                });
            }
        });
}

fn provisions_ui(ui: &mut Ui, agreement: &mut Agreement, field: &mut Option<&'static str>) {
    ui.label(format!("Provisions ({})", agreement.provisions.len()));
    let mut remove = None;
    for (index, provision) in agreement.provisions.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let label = ui.label(format!("{}.", index + 1));
            if ui
                .add(
                    TextEdit::singleline(&mut provision.label)
                        .id_salt(("provision-label", index))
                        .desired_width(90.0)
                        .hint_text("Label"),
                )
                .labelled_by(label.id)
                .changed()
            {
                *field = Some("provisions");
            }
            let title_label = ui.label("Title");
            if ui
                .add(
                    TextEdit::singleline(&mut provision.title)
                        .id_salt(("provision-title", index))
                        .desired_width((ui.available_width() - 80.0).max(60.0)),
                )
                .labelled_by(title_label.id)
                .changed()
            {
                *field = Some("provisions");
            }
            if ui
                .small_button("Delete")
                .on_hover_text("Delete this provision")
                .clicked()
            {
                remove = Some(index);
            }
        });
    }
    if let Some(index) = remove {
        agreement.provisions.remove(index);
        *field = Some("provisions-remove");
    }
    if ui.button("Add provision").clicked() {
        let number = agreement.provisions.len() + 1;
        agreement.provisions.push(Provision {
            id: ProvisionId::readable(&format!("provision {number}"), |id| {
                agreement.provisions.iter().any(|p| p.id.as_str() == id)
            }),
            label: format!("Provision {number}"),
            title: String::new(),
        });
        *field = Some("provisions-add");
    }
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

/// A year as typed: `Some(None)` for an empty field, `Some(Some(y))` for four digits, `None`
/// for anything else (which is never saved).
fn parse_year(text: &str) -> Option<Option<i32>> {
    let text = text.trim();
    if text.is_empty() {
        return Some(None);
    }
    let four_digits = text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit());
    four_digits.then(|| text.parse().ok()).flatten().map(Some)
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
                        let label =
                            ui.label(format!("Text of quote {} (typed, no source)", index + 1));
                        let mut exact = excerpt.exact.clone();
                        let response = ui
                            .add(
                                TextEdit::multiline(&mut exact)
                                    .id_salt("excerpt-exact")
                                    .desired_rows(2)
                                    .desired_width(f32::INFINITY)
                                    .hint_text("Quoted text from the agreement"),
                            )
                            .labelled_by(label.id);
                        if response.changed() {
                            let mut changed = cell.clone();
                            changed.evidence[index].exact = exact;
                            events.push(edit(changed, Some(CellField::Quote(excerpt.id.clone()))));
                        }
                    }
                }
                ui.horizontal(|ui| {
                    let label = ui.label(format!("Locator of quote {}", index + 1));
                    let mut locator = excerpt.locator.clone();
                    let response = ui
                        .add(
                            TextEdit::singleline(&mut locator)
                                .id_salt("excerpt-locator")
                                .desired_width(f32::INFINITY)
                                .hint_text("Art. 23, para. 13(j)…"),
                        )
                        .labelled_by(label.id);
                    if response.changed() {
                        let mut changed = cell.clone();
                        changed.evidence[index].locator = locator;
                        events.push(edit(changed, Some(CellField::Locator(excerpt.id.clone()))));
                    }
                });
                ui.horizontal(|ui| {
                    let label = ui.label(format!("Comment on quote {}", index + 1));
                    let mut comment = excerpt.comment.clone();
                    let response = ui
                        .add(
                            TextEdit::singleline(&mut comment)
                                .id_salt("excerpt-comment")
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id);
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
