//! The embedded chart font and text measurement, so labels can be wrapped or shortened to fit
//! before anything is drawn, and the picture never depends on the fonts a machine has.

use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};
use std::sync::OnceLock;

/// DejaVu Sans (regular), embedded in the binary.
pub const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold, embedded in the binary.
pub const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
/// The family name the SVG asks for; the PNG renderer has exactly this font loaded.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// An embedded font, parsed once: a chart measures thousands of labels.
struct ParsedFont {
    font: FontRef<'static>,
    charmap: Charmap<'static>,
}

/// The regular or bold chart font, parsed on first use; None only if the embedded file is
/// broken, which the tests would catch.
fn parsed_font(bold: bool) -> Option<&'static ParsedFont> {
    static REGULAR: OnceLock<Option<ParsedFont>> = OnceLock::new();
    static BOLD: OnceLock<Option<ParsedFont>> = OnceLock::new();
    let (cell, bytes) = if bold {
        (&BOLD, FONT_BOLD)
    } else {
        (&REGULAR, FONT_REGULAR)
    };
    cell.get_or_init(|| {
        let font = FontRef::new(bytes).ok()?;
        Some(ParsedFont {
            charmap: font.charmap(),
            font,
        })
    })
    .as_ref()
}

/// Width in pixels of `text` at `size` pixels.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    let Some(ParsedFont { font, charmap }) = parsed_font(bold) else {
        // Cannot happen with the embedded font; a generous estimate keeps layout safe.
        return text.chars().count() as f32 * size * 0.65;
    };
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|glyph| metrics.advance_width(glyph))
                .unwrap_or(size * 0.6)
        })
        .sum()
}

/// Breaks `text` into at most `max_lines` lines no wider than `width`; the last line ends in
/// "…" when the text does not fit. Returns the lines and whether anything was cut.
pub fn wrap(
    text: &str,
    size: f32,
    bold: bool,
    width: f32,
    max_lines: usize,
) -> (Vec<String>, bool) {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if text_width(&candidate, size, bold) <= width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if lines.len() == max_lines {
            let last = lines.pop().unwrap_or_default();
            lines.push(shorten(&format!("{last} {word}"), size, bold, width));
            return (lines, true);
        }
        current = word.to_owned();
        if text_width(&current, size, bold) > width {
            current = shorten(&current, size, bold, width);
        }
        if words.peek().is_none() {
            break;
        }
    }
    if !current.is_empty() {
        if lines.len() == max_lines {
            let last = lines.pop().unwrap_or_default();
            lines.push(shorten(&format!("{last} {current}"), size, bold, width));
            return (lines, true);
        }
        lines.push(current);
    }
    let cut = lines.join(" ") != text.split_whitespace().collect::<Vec<_>>().join(" ");
    (lines, cut)
}

/// `text` cut to fit `width`, with "…" when anything was removed.
pub fn shorten(text: &str, size: f32, bold: bool, width: f32) -> String {
    if text_width(text, size, bold) <= width {
        return text.to_owned();
    }
    let mut kept: String = text.to_owned();
    while !kept.is_empty() {
        kept.pop();
        let candidate = format!("{}…", kept.trim_end());
        if text_width(&candidate, size, bold) <= width {
            return candidate;
        }
    }
    "…".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_with_the_embedded_font() {
        let narrow = text_width("iiii", 20.0, false);
        let wide = text_width("WWWW", 20.0, false);
        assert!(narrow > 0.0 && wide > 2.0 * narrow);
        assert!(text_width("Budapest", 20.0, true) > text_width("Budapest", 20.0, false));
    }

    #[test]
    fn wraps_and_shortens_to_fit() {
        let (lines, cut) = wrap(
            "(a) Cooperate for stability and security",
            18.0,
            false,
            200.0,
            2,
        );
        assert_eq!(lines.len(), 2);
        assert!(!cut);
        assert!(lines.iter().all(|l| text_width(l, 18.0, false) <= 200.0));
        let (lines, cut) = wrap(
            "one two three four five six seven eight nine ten",
            18.0,
            false,
            90.0,
            2,
        );
        assert!(cut);
        assert!(lines[1].ends_with('…'));
        assert!(lines.iter().all(|l| text_width(l, 18.0, false) <= 90.0));
    }
}
