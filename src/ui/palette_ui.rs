//! The shared assessment palette as egui colours.

use crate::model::Assessment;
use crate::palette::{self, Rgb};
use egui::Color32;

fn color(rgb: Rgb) -> Color32 {
    Color32::from_rgb(rgb.0, rgb.1, rgb.2)
}

/// Cell fill for an assessment.
pub fn assessment_fill(assessment: Assessment) -> Color32 {
    color(palette::assessment_fill(assessment))
}

/// Letter colour on [`assessment_fill`].
pub fn assessment_text(assessment: Assessment) -> Color32 {
    color(palette::assessment_text(assessment))
}

/// A small coloured box with the assessment's letter, as in the grid.
pub fn assessment_chip_ui(ui: &mut egui::Ui, assessment: Assessment, size: egui::Vec2) {
    let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
    ui.painter()
        .rect_filled(rect, 2.0, assessment_fill(assessment));
    ui.painter().text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        assessment.letter(),
        egui::FontId::proportional(size.y * 0.7),
        assessment_text(assessment),
    );
}
