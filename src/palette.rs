//! The one palette: assessment colours, the accents of the grid and Compare, and the neutral
//! colours of charts and the HTML report, so a colour means the same everywhere. The UI takes
//! its egui colours from here (`ui::palette_ui`); the charts, the workbook and the report use
//! it directly. Colour-blind safe (Okabe–Ito), and every use of an assessment colour also
//! shows the letter, so meaning never rests on colour alone.

use crate::model::Assessment;

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`, for SVG and HTML.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// The Okabe–Ito colours that every assessment colour and accent is taken from.
pub mod okabe_ito {
    use super::Rgb;

    /// Blue.
    pub const BLUE: Rgb = Rgb(0, 114, 178);
    /// Sky blue.
    pub const SKY_BLUE: Rgb = Rgb(86, 180, 233);
    /// Vermillion.
    pub const VERMILLION: Rgb = Rgb(213, 94, 0);
    /// Orange.
    pub const ORANGE: Rgb = Rgb(230, 159, 0);
    /// Reddish purple.
    pub const REDDISH_PURPLE: Rgb = Rgb(204, 121, 167);
    /// Yellow.
    pub const YELLOW: Rgb = Rgb(240, 228, 66);
    /// Bluish green.
    pub const BLUISH_GREEN: Rgb = Rgb(0, 158, 115);
}

/// Fill colour of an assessment: Yes strong blue, Indirect sky blue, No vermillion, unassessed grey.
pub fn assessment_fill(assessment: Assessment) -> Rgb {
    match assessment {
        Assessment::Yes => okabe_ito::BLUE,
        Assessment::Indirect => okabe_ito::SKY_BLUE,
        Assessment::No => okabe_ito::VERMILLION,
        Assessment::NotAssessed => Rgb(224, 224, 224),
    }
}

/// Text colour that reads on [`assessment_fill`].
pub fn assessment_text(assessment: Assessment) -> Rgb {
    match assessment {
        Assessment::Yes | Assessment::No => Rgb(255, 255, 255),
        Assessment::Indirect => Rgb(0, 0, 0),
        Assessment::NotAssessed => Rgb(90, 90, 90),
    }
}

/// Mark on the header of a column that has a filter (the blue of Yes, readable light and dark).
pub const FILTER_MARK: Rgb = okabe_ito::BLUE;
/// Corner mark of a cell whose review status is Needs review.
pub const NEEDS_REVIEW_MARK: Rgb = okabe_ito::ORANGE;
/// Frame of a Disputed cell.
pub const DISPUTED_MARK: Rgb = okabe_ito::REDDISH_PURPLE;
/// Frame of an unassessed cell while "highlight incomplete" is on.
pub const INCOMPLETE_MARK: Rgb = okabe_ito::YELLOW;
/// The `+` of something added, in Compare.
pub const ADDED: Rgb = okabe_ito::BLUISH_GREEN;
/// The `-` of something removed, in Compare.
pub const REMOVED: Rgb = okabe_ito::VERMILLION;

/// Text of charts and the HTML report.
pub const INK: &str = "#1f2933";
/// Secondary text (sources, locators, footers) of charts and the HTML report.
pub const MUTED: &str = "#52606d";
/// Rules and grid lines of charts, and the report's heading underline.
pub const RULE: &str = "#d9dee3";
/// Framework bands of charts and table headers of the HTML report.
pub const BAND: &str = "#e8eef4";
/// Background of a chart.
pub const PAPER: &str = "#ffffff";
/// Table borders of the HTML report.
pub const TABLE_BORDER: &str = "#c9d1d9";
/// Quotes in the HTML report.
pub const QUOTE_INK: &str = "#3e4c59";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutral_colours_are_hex_triplets() {
        for hex in [INK, MUTED, RULE, BAND, PAPER, TABLE_BORDER, QUOTE_INK] {
            assert_eq!(hex.len(), 7, "{hex}");
            assert!(hex.starts_with('#'), "{hex}");
            assert!(hex[1..].chars().all(|c| c.is_ascii_hexdigit()), "{hex}");
        }
        assert_eq!(assessment_fill(Assessment::Yes).hex(), "#0072b2");
    }
}
