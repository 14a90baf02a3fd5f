//! Versions of one thing side by side (base / ours / theirs, or one column per coder), in
//! equal columns wide enough that notes and quotes wrap into readable lines.

use egui::{RichText, Ui};

/// One column: its heading and an optional "who, when" line.
pub struct VersionColumn {
    pub heading: String,
    pub by: Option<String>,
}

/// One row: the field's name, whether to flag it (it conflicts or differs), and a value per column.
pub struct VersionRow {
    pub field: String,
    pub flagged: bool,
    pub values: Vec<String>,
}

const LABEL_WIDTH: f32 = 100.0;

/// Draws the table. Empty values show as a dash so a blank never looks like a rendering gap.
pub fn versions_table_ui(ui: &mut Ui, columns: &[VersionColumn], rows: &[VersionRow]) {
    let n = columns.len().max(1) as f32;
    let spacing = ui.spacing().item_spacing.x;
    let width = ((ui.available_width() - LABEL_WIDTH - spacing * (n + 1.0)) / n).max(140.0);
    let fixed = |ui: &mut Ui, width: f32, add: &mut dyn FnMut(&mut Ui)| {
        ui.allocate_ui_with_layout(
            egui::vec2(width, 0.0),
            egui::Layout::top_down(egui::Align::Min),
            |ui| {
                ui.set_min_width(width);
                ui.set_max_width(width);
                add(ui);
            },
        );
    };
    // Rows are laid out one by one rather than in an egui::Grid: a Grid sizes rows from the
    // previous frame, so a note that wraps onto new lines overlapped the rows below it.
    let row_gap = ui.spacing().item_spacing.y;
    ui.horizontal_top(|ui| {
        fixed(ui, LABEL_WIDTH, &mut |_| {});
        for column in columns {
            fixed(ui, width, &mut |ui| {
                ui.label(RichText::new(&column.heading).strong());
                if let Some(by) = &column.by {
                    ui.label(RichText::new(by).weak().small());
                }
            });
        }
    });
    for (index, row) in rows.iter().enumerate() {
        let background = ui.painter().add(egui::Shape::Noop);
        let drawn = ui.horizontal_top(|ui| {
            fixed(ui, LABEL_WIDTH, &mut |ui| {
                let text = RichText::new(&row.field);
                ui.label(if row.flagged {
                    text.strong().color(ui.visuals().warn_fg_color)
                } else {
                    text.weak()
                });
            });
            for value in &row.values {
                let shown = if value.is_empty() {
                    "—"
                } else {
                    value.as_str()
                };
                fixed(ui, width, &mut |ui| {
                    ui.add(egui::Label::new(shown).wrap());
                });
            }
        });
        if index % 2 == 0 {
            let stripe = drawn.response.rect.expand2(egui::vec2(0.0, row_gap / 2.0));
            ui.painter().set(
                background,
                egui::Shape::rect_filled(stripe, 0.0, ui.visuals().faint_bg_color),
            );
        }
    }
}
