//! Drawing a frame: the menu, panels, central tabs, status bar and toast.

use super::files::file_name;
use super::{LoadFailure, NormgridApp, VisibleCells, key_name, shown};
use crate::model::FrameworkId;
use crate::model::query::{visible_columns, visible_rows};
use crate::model::text::counted;
use crate::ui::actions::Action;
use crate::ui::cell_panel::cell_panel_ui;
use crate::ui::charts_view::{ChartControls, charts_view_ui};
use crate::ui::coders_view::coders_view_ui;
use crate::ui::command_palette::command_palette_ui;
use crate::ui::compare_view::compare_view_ui;
use crate::ui::dialogs::{is_openable_link, modal_ui};
use crate::ui::element_view::element_view_ui;
use crate::ui::events::AppEvent;
use crate::ui::grid::{
    GridInput, SIDE_PANEL_MIN_WIDTH, grid_ui, side_panel_max_width, working_columns_width,
};
use crate::ui::initiatives::initiatives_panel_ui;
use crate::ui::menu::{MenuInput, menu_bar_ui};
use crate::ui::merge_view::merge_view_ui;
use crate::ui::norms::norms_panel_ui;
use crate::ui::project_panel::project_panel_ui;
use crate::ui::reader::{ReaderInput, reader_panel_ui};
use crate::ui::review_view::review_view_ui;
use crate::ui::sources_view::{attach_window_ui, replace_window_ui};
use crate::ui::toolbar::toolbar_ui;
use crate::ui::view::CentralTab;
use crate::ui::views_menu::name_prompt_ui;
use egui::Ui;
use std::time::Duration;

impl NormgridApp {
    /// Draws one frame and handles what happened in it.
    pub fn draw(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        // Decided before any panel runs: a key typed into a field, an open popup or a dialog
        // must not also reach the grid, even if the field lets go of focus this frame.
        let grid_takes_keys = self.modal.is_none()
            && !self.palette.open
            && self.file_dialog.is_none()
            && self.views_menu.prompt.is_none()
            && !self.sources.window_open()
            && !ctx.egui_wants_keyboard_input()
            && !egui::Popup::is_any_open(&ctx);
        self.poll_file_dialog();
        self.take_dropped_files(&ctx);
        self.reader
            .evidence
            .refresh_in_background(&ctx, self.doc.project(), self.doc.revision());
        self.refresh_quote_counts();
        self.handle_close_request(&ctx);
        // The palette takes every key while open; a dialog or the view-name prompt takes them too.
        if self.modal.is_none() && !self.palette.open && self.views_menu.prompt.is_none() {
            for action in Action::take_global_shortcuts(&ctx) {
                self.events.push(AppEvent::Action(action));
            }
        }
        self.refresh_rows();

        let actions = self.action_state();
        let menu_input = MenuInput {
            project: self.doc.project(),
            recent_files: &self.prefs.recent_files,
            undo_label: self.doc.history().undo_label(),
            redo_label: self.doc.history().redo_label(),
            hidden_frameworks: &self.view.hidden_frameworks,
            actions,
            takes_keys: self.modal.is_none() && !self.palette.open,
        };
        egui::Panel::top("menu").show(ui, |ui| menu_bar_ui(ui, &menu_input, &mut self.events));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar_ui(ui));
        if let Some(failure) = &self.load_failure {
            egui::CentralPanel::default().show(ui, |ui| {
                load_failure_ui(ui, failure, &mut self.events);
            });
        } else {
            self.document_panels_ui(ui, grid_takes_keys);
            project_panel_ui(
                &ctx,
                self.doc.project(),
                self.review.on,
                &mut self.project_panel,
                &mut self.sources,
                &mut self.events,
            );
            attach_window_ui(
                &ctx,
                self.doc.project(),
                &mut self.sources,
                &mut self.events,
            );
            replace_window_ui(
                &ctx,
                self.doc.project(),
                &mut self.sources,
                &mut self.events,
            );
            name_prompt_ui(
                &ctx,
                self.doc.project(),
                &mut self.views_menu,
                &mut self.events,
            );
        }
        // A focus request is for the frame after it was made; one the filter box did not take
        // (another tab was showing) must not jump into it later.
        self.view.focus_filter = false;

        let name = self.doc.display_name();
        if let Some(modal) = &mut self.modal
            && let Some(answer) = modal_ui(&ctx, modal, &name)
        {
            self.answer_modal(answer, &ctx);
        }
        if self.modal.is_none()
            && let Some(event) = command_palette_ui(
                &ctx,
                &mut self.palette,
                self.doc.project(),
                &self.view.hidden_frameworks,
                &actions,
            )
        {
            self.events.push(event);
        }

        self.handle_events(&ctx);
        self.intercept_links(&ctx);
        self.toast_ui(&ctx);
        self.drop_hint_ui(&ctx);
        self.update_title(&ctx);
        self.write_recovery_when_idle(&ctx);
    }

    /// The panels around an open document: cell and notes, side panels, and the central tabs.
    pub(super) fn document_panels_ui(&mut self, ui: &mut Ui, grid_takes_keys: bool) {
        // Panels never take the room the key-element columns need: they stop growing first.
        let show_side = self.prefs.show_initiatives_panel || self.prefs.show_norms_panel;
        // "Show in reader" opens the reader if it was hidden.
        if self.view.reveal_excerpt.is_some() {
            self.prefs.show_reader = true;
        }
        let panel_max = side_panel_max_width(
            ui.available_width(),
            working_columns_width(
                self.doc.project(),
                &shown(&self.visible).columns,
                self.view.selection.element.as_ref(),
            ),
            usize::from(self.prefs.show_cell_panel)
                + usize::from(show_side)
                + usize::from(self.prefs.show_reader),
        );
        if self.prefs.show_cell_panel {
            egui::Panel::right("cell-panel")
                .resizable(true)
                .default_size(360.0_f32.min(panel_max))
                .size_range(SIDE_PANEL_MIN_WIDTH..=panel_max)
                .show(ui, |ui| {
                    let block_cells = self
                        .view
                        .selected_block(&shown(&self.visible).rows, &shown(&self.visible).columns)
                        .map_or(1, |block| block.cell_count());
                    cell_panel_ui(
                        ui,
                        self.doc.project(),
                        self.review.on,
                        &mut self.view,
                        block_cells,
                        &mut self.prefs.author,
                        &self.reader.evidence,
                        &mut self.events,
                    );
                });
        }
        if self.prefs.show_reader {
            let input = ReaderInput {
                project: self.doc.project(),
                revision: self.doc.revision(),
                review_mode: self.review.on,
                project_path: self.doc.path(),
            };
            egui::Panel::right("reader-panel")
                .resizable(true)
                .default_size(420.0_f32.min(panel_max))
                .size_range(SIDE_PANEL_MIN_WIDTH..=panel_max)
                .show(ui, |ui| {
                    reader_panel_ui(
                        ui,
                        &input,
                        &mut self.reader,
                        &mut self.view,
                        &mut self.events,
                    );
                });
        }
        // Enter in the grid asks the note editor for focus on the next frame only.
        self.view.focus_note_editor = false;
        if show_side {
            egui::Panel::left("side-panel")
                .resizable(true)
                .default_size(300.0_f32.min(panel_max))
                .size_range(SIDE_PANEL_MIN_WIDTH..=panel_max)
                .show(ui, |ui| self.side_panels_ui(ui));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                for tab in CentralTab::ALL {
                    ui.selectable_value(&mut self.view.central_tab, tab, tab.label());
                }
                if self.review.on {
                    ui.separator();
                    ui.label(
                        egui::RichText::new("REVIEW MODE: content locked")
                            .strong()
                            .color(ui.visuals().warn_fg_color),
                    )
                    .on_hover_text(format!(
                        "Set review statuses ({} = Reviewed, {} = Disputed) and add review comments. Review → Review mode turns it off.",
                        key_name(ui.ctx(), Action::MarkReviewed),
                        key_name(ui.ctx(), Action::MarkDisputed),
                    ));
                }
            });
            let revision = self.doc.revision();
            match self.view.central_tab {
                CentralTab::Grid | CentralTab::Charts => {}
                CentralTab::Compare => {
                    compare_view_ui(ui, self.doc.project(), revision, &mut self.compare, &mut self.events);
                    return;
                }
                CentralTab::Merge => {
                    merge_view_ui(ui, self.doc.project(), revision, &mut self.merge, &mut self.events);
                    return;
                }
                CentralTab::Coders => {
                    coders_view_ui(ui, self.doc.project(), revision, &mut self.coders, &mut self.events);
                    return;
                }
                CentralTab::Review => {
                    review_view_ui(ui, self.doc.project(), self.review.on, &mut self.events);
                    return;
                }
                CentralTab::Element => {
                    element_view_ui(
                        ui,
                        self.doc.project(),
                        revision,
                        self.view.selection.element.as_ref(),
                        &mut self.element_view,
                        &mut self.events,
                    );
                    return;
                }
            }
            if self.view.central_tab == CentralTab::Charts {
                let rows = shown(&self.visible).rows.clone();
                let frameworks = self.all_frameworks();
                let selected = self.view.selection.agreement.clone();
                let spec_for = move |controls: &ChartControls| {
                    controls.spec(&rows, &frameworks, selected.as_ref())
                };
                charts_view_ui(
                    ui,
                    self.doc.project(),
                    self.doc.revision(),
                    &spec_for,
                    &mut self.chart_controls,
                    &mut self.chart_preview,
                    &mut self.events,
                );
                return;
            }
            toolbar_ui(
                ui,
                self.doc.project(),
                &mut self.view,
                shown(&self.visible).rows.len(),
                self.doc.project().agreements.len(),
                self.review.on,
                &mut self.events,
            );
            ui.add_space(2.0);
            let input = GridInput {
                project: self.doc.project(),
                rows: &shown(&self.visible).rows,
                columns: &shown(&self.visible).columns,
                takes_keys: grid_takes_keys,
            };
            grid_ui(ui, &input, &mut self.view, &mut self.events);
        });
    }

    /// The frameworks the grid shows, in project order.
    /// The frameworks the grid shows, in order.
    pub(super) fn shown_frameworks(&self) -> Vec<FrameworkId> {
        self.doc
            .project()
            .frameworks
            .iter()
            .filter(|f| !self.view.hidden_frameworks.contains(&f.id))
            .map(|f| f.id.clone())
            .collect()
    }

    /// The project's frameworks, in order; the Charts tab picks among them itself.
    pub(super) fn all_frameworks(&self) -> Vec<FrameworkId> {
        self.doc
            .project()
            .frameworks
            .iter()
            .map(|f| f.id.clone())
            .collect()
    }

    /// Shows the toast in the corner until it times out.
    pub(super) fn toast_ui(&mut self, ctx: &egui::Context) {
        let Some((text, since)) = &self.feedback.toast else {
            return;
        };
        let remaining = Duration::from_secs(6).saturating_sub(since.elapsed());
        if remaining.is_zero() {
            self.feedback.toast = None;
            return;
        }
        ctx.request_repaint_after(remaining);
        egui::Area::new(egui::Id::unique("normgrid-toast"))
            .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-16.0, -40.0))
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label(text.as_str());
                });
            });
    }

    /// The norms and initiatives panels, split when both are open.
    pub(super) fn side_panels_ui(&mut self, ui: &mut Ui) {
        let both = self.prefs.show_initiatives_panel && self.prefs.show_norms_panel;
        if self.prefs.show_norms_panel {
            if both {
                egui::Panel::bottom("norms-split")
                    .resizable(true)
                    .default_size(ui.available_height() / 2.0)
                    .show(ui, |ui| {
                        norms_panel_ui(ui, self.doc.project(), &self.view, &mut self.events);
                    });
            } else {
                norms_panel_ui(ui, self.doc.project(), &self.view, &mut self.events);
            }
        }
        if self.prefs.show_initiatives_panel {
            initiatives_panel_ui(ui, self.doc.project(), &mut self.view, &mut self.events);
        }
    }

    /// The status bar: where the work is saved, unsaved changes, problems and the last message.
    pub(super) fn status_bar_ui(&mut self, ui: &mut Ui) {
        let mut clicked_counts = None;
        ui.horizontal(|ui| {
            if let Some(failure) = &self.load_failure {
                ui.label(
                    egui::RichText::new(format!(
                        "No project open: {} could not be opened",
                        failure.path.display()
                    ))
                    .color(ui.visuals().warn_fg_color),
                );
                return;
            }
            let location = self.doc.path().map_or_else(
                || "Not saved to a file yet: File → Save As… to keep your work".to_owned(),
                |p| p.display().to_string(),
            );
            ui.label(location);
            if self.doc.has_unsaved_changes() {
                ui.label(
                    egui::RichText::new("● unsaved changes").color(ui.visuals().warn_fg_color),
                );
            }
            if !self.doc.problems().is_empty() {
                ui.label(
                    egui::RichText::new(format!(
                        "{} in file",
                        counted(self.doc.problems().len(), "problem", "problems")
                    ))
                    .color(ui.visuals().warn_fg_color),
                )
                .on_hover_text(
                    self.doc
                        .problems()
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
            }
            if let Some(counts) = self.quote_counts() {
                ui.separator();
                let text = Self::quote_counts_text(&counts);
                let color = if counts.has_failures() {
                    ui.visuals().warn_fg_color
                } else {
                    ui.visuals().text_color()
                };
                let response = ui
                    .add(egui::Label::new(egui::RichText::new(text).color(color)).sense(egui::Sense::click()))
                    .on_hover_text(format!(
                        "Each quote checked against its source: {}.\nVerified: the source says it where it was. Relocated: it moved; Save moves its anchor. Changed: the source now reads differently. Missing: not found.\nClick for the full count; `normgrid check` lists every quote.",
                        counts.summary()
                    ));
                if response.clicked() {
                    clicked_counts = Some(counts.summary());
                }
            }
            if let Some(status) = &self.feedback.status {
                ui.separator();
                ui.label(status);
            }
        });
        if let Some(summary) = clicked_counts {
            self.feedback.status = Some(format!("Quotes: {summary}."));
        }
    }

    /// Recomputes the visible rows and columns when the project, query or frameworks changed.
    /// Handles this frame's events, and the events they send in turn (a menu's *Set Yes*
    /// becomes the cell's edit), so nothing waits a frame. The rounds are bounded, so an event
    /// that sent itself again could not hang the window.
    pub(super) fn handle_events(&mut self, ctx: &egui::Context) {
        const MAX_ROUNDS: usize = 8;
        for _ in 0..MAX_ROUNDS {
            let events = std::mem::take(&mut self.events);
            if events.is_empty() {
                return;
            }
            // What the events change (a modal, a new row) must show without waiting for input.
            ctx.request_repaint();
            for event in events {
                self.handle(event, ctx);
            }
            // The next round's events read the rows as this round left them.
            self.refresh_rows();
        }
    }

    pub(super) fn refresh_rows(&mut self) {
        let key = (
            self.doc.revision(),
            (self.view.query.clone(), self.view.hidden_frameworks.clone()),
        );
        if self.visible.is_fresh(&key) {
            return;
        }
        let columns = visible_columns(self.doc.project(), &self.view.hidden_frameworks);
        let rows = visible_rows(self.doc.project(), &self.view.query, &columns);
        let cells = VisibleCells { rows, columns };
        // A block is a rectangle of what is shown: once the shown rows or columns change, the
        // same anchor would span other cells, so the block shrinks back to the selected cell.
        if &cells != shown(&self.visible) {
            self.view.selection.anchor = None;
        }
        self.visible.set(key, cells);
    }

    /// Links leave the app only through the confirmation modal, and only http(s) and mailto.
    pub(super) fn intercept_links(&mut self, ctx: &egui::Context) {
        let approved = self.approved_link.take();
        let mut blocked = Vec::new();
        ctx.output_mut(|output| {
            output.commands.retain(|command| match command {
                egui::OutputCommand::OpenUrl(open) => {
                    let allowed = approved.as_deref() == Some(open.url.as_str())
                        && is_openable_link(&open.url);
                    if !allowed {
                        blocked.push(open.url.clone());
                    }
                    allowed
                }
                _ => true,
            });
        });
        for url in blocked {
            self.events.push(AppEvent::OpenLink(url));
        }
    }

    /// Sets the window title when it changes: the file, an unsaved marker and Review mode.
    pub(super) fn update_title(&mut self, ctx: &egui::Context) {
        let marker = if self.doc.has_unsaved_changes() {
            "● "
        } else {
            ""
        };
        let mode = if self.review.on { " (reviewing)" } else { "" };
        let title = match &self.load_failure {
            Some(failure) => format!("Could not open {} — normgrid", file_name(&failure.path)),
            None => format!("{marker}{}{mode} — normgrid", self.doc.display_name()),
        };
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
    }
}

/// Shown instead of the grid when the file given at start could not be opened.
pub(super) fn load_failure_ui(ui: &mut Ui, failure: &LoadFailure, events: &mut Vec<AppEvent>) {
    ui.heading(format!("{} could not be opened", file_name(&failure.path)));
    ui.label("normgrid did not open it and will not write over it. What it found:");
    ui.add(egui::Label::new(egui::RichText::new(&failure.message).monospace()).wrap());
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let backup = crate::io::atomic::backup_path(&failure.path);
        if backup.exists() && ui.button("Open the backup").clicked() {
            events.push(AppEvent::OpenBackupOf(failure.path.clone()));
        }
        if ui.button("Open another file…").clicked() {
            events.push(AppEvent::Action(Action::Open));
        }
        if ui.button("Start a new project").clicked() {
            events.push(AppEvent::Action(Action::New));
        }
    });
}
