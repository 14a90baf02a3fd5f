//! The one palette (`crate::palette`) as egui colours: the grid, Compare and every chip take
//! their colours from here, never from literals.

use crate::model::Assessment;
use crate::palette::{self, Rgb};
use egui::Color32;

const fn color(rgb: Rgb) -> Color32 {
    Color32::from_rgb(rgb.0, rgb.1, rgb.2)
}

/// Mark on the header of a column that has a filter.
pub const FILTER_MARK: Color32 = color(palette::FILTER_MARK);
/// Corner mark of a cell whose review status is Needs review.
pub const NEEDS_REVIEW_MARK: Color32 = color(palette::NEEDS_REVIEW_MARK);
/// Frame of a Disputed cell.
pub const DISPUTED_MARK: Color32 = color(palette::DISPUTED_MARK);
/// Frame of an unassessed cell while "highlight incomplete" is on.
pub const INCOMPLETE_MARK: Color32 = color(palette::INCOMPLETE_MARK);
/// The `+` of something added, in Compare.
pub const ADDED: Color32 = color(palette::ADDED);
/// The `-` of something removed, in Compare.
pub const REMOVED: Color32 = color(palette::REMOVED);

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::{ChartKind, ChartSpec, build_chart, svg::chart_to_svg};

    /// The fill of every heatmap cell rect whose class names `assessment`, as egui colours.
    fn heatmap_fills(svg: &str, assessment: &str) -> Vec<Color32> {
        let Ok(document) = roxmltree::Document::parse(svg) else {
            panic!("the heatmap is not XML");
        };
        document
            .descendants()
            .filter(|n| n.has_tag_name("rect"))
            .filter(|n| {
                n.attribute("class")
                    .is_some_and(|c| c.split(' ').any(|part| part == assessment))
            })
            .filter_map(|n| n.attribute("fill"))
            .map(|hex| {
                let channel = |at: usize| u8::from_str_radix(&hex[at..at + 2], 16).unwrap_or(0);
                Color32::from_rgb(channel(1), channel(3), channel(5))
            })
            .collect()
    }

    #[test]
    fn the_grid_paints_assessments_in_the_chart_palette() {
        let Ok(sample) = crate::sample::bpf_2019() else {
            panic!("the built-in sample loads");
        };
        let project = sample.project;
        let Ok(chart) = build_chart(&project, &ChartSpec::new(ChartKind::Heatmap)) else {
            panic!("the sample's heatmap builds");
        };
        let svg = chart_to_svg(&chart);
        for (assessment, class) in [
            (Assessment::Yes, "yes"),
            (Assessment::Indirect, "indirect"),
            (Assessment::No, "no"),
            (Assessment::NotAssessed, "not-assessed"),
        ] {
            let chart = palette::assessment_fill(assessment);
            assert_eq!(
                assessment_fill(assessment),
                Color32::from_rgb(chart.0, chart.1, chart.2)
            );
            let text = palette::assessment_text(assessment);
            assert_eq!(
                assessment_text(assessment),
                Color32::from_rgb(text.0, text.1, text.2)
            );
            let fills = heatmap_fills(&svg, class);
            assert!(!fills.is_empty(), "the sample's heatmap has {class} cells");
            assert!(
                fills
                    .iter()
                    .all(|&fill| fill == assessment_fill(assessment)),
                "{class}: {fills:?}"
            );
        }
    }
}
