//! The one palette for assessments, shared by the grid and the charts, so a colour means the
//! same everywhere. Colour-blind safe (Okabe–Ito blues and vermillion), and every use also
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

/// Fill colour of an assessment: Yes strong blue, Indirect sky blue, No vermillion, unassessed grey.
pub fn assessment_fill(assessment: Assessment) -> Rgb {
    match assessment {
        Assessment::Yes => Rgb(0, 114, 178),
        Assessment::Indirect => Rgb(86, 180, 233),
        Assessment::No => Rgb(213, 94, 0),
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
