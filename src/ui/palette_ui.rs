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
