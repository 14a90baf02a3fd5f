//! An Excel workbook: one sheet per framework with coloured cells and the notes as cell
//! comments, a sheet of every cell in the long layout for filtering, and a sheet of every
//! evidence excerpt with its source and check state.
//!
//! Nothing is lost or refused silently: control characters become U+FFFD, sheet names are made
//! legal (and unique), and a text longer than a cell holds continues in the cell's comment.

use crate::model::text::without_forbidden_controls;
use crate::model::{Assessment, Project};
use crate::palette::{assessment_fill, assessment_text};
use rust_xlsxwriter::utility::row_col_to_cell;
use rust_xlsxwriter::{
    ColNum, Color, Format, FormatAlign, Note, RowNum, Workbook, Worksheet, XlsxError,
};

/// Most characters Excel keeps in a cell, in UTF-16 units as Excel counts them.
pub const CELL_TEXT_LIMIT: usize = 32_767;
/// Most characters rust_xlsxwriter takes for a comment: the cell limit less 54 it keeps for the
/// author's name, which Excel puts before the text.
pub const COMMENT_TEXT_LIMIT: usize = CELL_TEXT_LIMIT - 54;
/// Most characters in a sheet name, in UTF-16 units.
pub const SHEET_NAME_LIMIT: usize = 31;
/// Ends a cell whose text goes on in the cell's comment.
pub const CONTINUED_MARKER: &str = "… (continued in comment)";
/// The summary sheet; reserved so a framework of that name never pushes it to "All cells (2)".
pub const ALL_CELLS_SHEET: &str = "All cells";
/// One row per evidence excerpt, the columns of the CSV evidence layout; reserved likewise.
pub const EVIDENCE_SHEET: &str = "Evidence";
/// Excel refuses a sheet called "History" (any case).
const RESERVED_SHEET: &str = "History";
const COMMENT_AUTHOR: &str = "normgrid";

/// Why the workbook could not be built, and where.
#[derive(Debug, thiserror::Error)]
#[error("could not write {place} of the workbook: {source}")]
pub struct XlsxExportError {
    /// The sheet and cell, and the agreement and element a grid cell belongs to.
    pub place: String,
    #[source]
    pub source: XlsxError,
}

fn color(rgb: crate::palette::Rgb) -> Color {
    Color::RGB((u32::from(rgb.0) << 16) | (u32::from(rgb.1) << 8) | u32::from(rgb.2))
}

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// `text` split where its first part has at most `units` UTF-16 units, at a character boundary.
fn split_at_units(text: &str, units: usize) -> (&str, &str) {
    let mut used = 0;
    for (index, c) in text.char_indices() {
        used += c.len_utf16();
        if used > units {
            return text.split_at(index);
        }
    }
    (text, "")
}

/// Quotes, spaces at either end, or nothing: what a sheet name may not start or end with.
fn trim_sheet_name(name: &str) -> &str {
    name.trim_matches(|c: char| c == '\'' || c.is_whitespace())
}

/// A legal, unique Excel sheet name for `name`: no control characters, `[]` become `()`,
/// `/\:` become `-`, `*?` are dropped, no `'` at either end, at most 31 UTF-16 units, not
/// empty, not "History", and unique ignoring case (`Name (2)`, `Name (3)`, …).
pub fn sheet_name(name: &str, taken: &mut Vec<String>) -> String {
    let cleaned: String = without_forbidden_controls(name)
        .chars()
        .filter_map(|c| match c {
            '[' => Some('('),
            ']' => Some(')'),
            '/' | '\\' | ':' => Some('-'),
            '*' | '?' => None,
            other => Some(other),
        })
        .collect();
    let base = trim_sheet_name(split_at_units(trim_sheet_name(&cleaned), SHEET_NAME_LIMIT).0);
    let base = if base.is_empty() { "Sheet" } else { base };
    let is_taken = |candidate: &str| {
        let lower = candidate.to_lowercase();
        lower == RESERVED_SHEET.to_lowercase() || taken.iter().any(|t| t.to_lowercase() == lower)
    };
    let mut candidate = base.to_owned();
    let mut n = 2;
    while is_taken(&candidate) {
        let suffix = format!(" ({n})");
        let room = SHEET_NAME_LIMIT - suffix.len();
        candidate = format!("{}{suffix}", trim_sheet_name(split_at_units(base, room).0));
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

/// `text` cut to `limit` UTF-16 units with `marker` at the end, when it is longer.
fn cut_to(text: &str, limit: usize, marker: &str) -> String {
    if utf16_len(text) <= limit {
        return text.to_owned();
    }
    let (kept, _) = split_at_units(text, limit - utf16_len(marker));
    format!("{kept}{marker}")
}

/// A comment's text, cut with a marker that says where the rest is when it is too long.
fn comment_text(text: &str, rest_is_in: &str) -> String {
    let text = without_forbidden_controls(text);
    if utf16_len(&text) <= COMMENT_TEXT_LIMIT {
        return text.into_owned();
    }
    let total = text.chars().count();
    // The marker's length depends on the count it states; a generous estimate keeps it simple.
    let room = COMMENT_TEXT_LIMIT - 120;
    let (kept, _) = split_at_units(&text, room);
    let left_out = total - kept.chars().count();
    cut_to(
        &format!("{kept}… (cut: {left_out} more characters {rest_is_in})"),
        COMMENT_TEXT_LIMIT,
        "…",
    )
}

/// Writes `text` into a cell with control characters replaced. Text longer than a cell holds
/// ends in [`CONTINUED_MARKER`] and goes on in the cell's comment, so nothing is lost unless
/// it is longer than a cell and a comment together; then the comment says how much was cut.
fn write_text(
    sheet: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    text: &str,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    let text = without_forbidden_controls(text);
    let (head, rest) = if utf16_len(&text) <= CELL_TEXT_LIMIT {
        (text.into_owned(), None)
    } else {
        let (head, rest) = split_at_units(&text, CELL_TEXT_LIMIT - utf16_len(CONTINUED_MARKER));
        (
            format!("{head}{CONTINUED_MARKER}"),
            Some(comment_text(rest, "are only in the project file")),
        )
    };
    match format {
        Some(format) => sheet.write_string_with_format(row, col, head, format)?,
        None => sheet.write_string(row, col, head)?,
    };
    if let Some(rest) = rest {
        // No author prefix: the cell's text followed by the comment's is the whole text.
        sheet.insert_note(row, col, &Note::new(rest).add_author_prefix(false))?;
    }
    Ok(())
}

/// The workbook's bytes.
pub fn project_to_xlsx(project: &Project) -> Result<Vec<u8>, XlsxExportError> {
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(Color::from(crate::palette::BAND));
    let name_format = Format::new().set_bold();
    let cell_format = |a: Assessment| {
        Format::new()
            .set_background_color(color(assessment_fill(a)))
            .set_font_color(color(assessment_text(a)))
            .set_bold()
            .set_align(FormatAlign::Center)
    };
    let mut taken = vec![ALL_CELLS_SHEET.to_owned(), EVIDENCE_SHEET.to_owned()];
    for framework in &project.frameworks {
        let name = sheet_name(&framework.name, &mut taken);
        let at = |row: RowNum, col: ColNum, what: &str| {
            let place = format!("sheet `{name}` cell {}{what}", row_col_to_cell(row, col));
            move |source| XlsxExportError { place, source }
        };
        let sheet = workbook.add_worksheet();
        sheet.set_name(&name).map_err(at(0, 0, " (sheet name)"))?;
        write_text(sheet, 0, 0, "Agreement", Some(&header)).map_err(at(0, 0, ""))?;
        sheet.set_column_width(0, 26).map_err(at(0, 0, ""))?;
        sheet.set_row_height(0, 64).map_err(at(0, 0, ""))?;
        for (c, element) in framework.elements.iter().enumerate() {
            let col = u16::try_from(c + 1).unwrap_or(u16::MAX);
            let what = format!(" (element `{}`)", element.id);
            write_text(sheet, 0, col, &element.display_name(), Some(&header))
                .map_err(at(0, col, &what))?;
            sheet.set_column_width(col, 16).map_err(at(0, col, &what))?;
        }
        for (r, agreement) in project.agreements.iter().enumerate() {
            let row = u32::try_from(r + 1).unwrap_or(u32::MAX);
            let what = format!(" (agreement `{}`)", agreement.id);
            write_text(sheet, row, 0, &agreement.short_name, Some(&name_format))
                .map_err(at(row, 0, &what))?;
            for (c, element) in framework.elements.iter().enumerate() {
                let col = u16::try_from(c + 1).unwrap_or(u16::MAX);
                let what = format!(" (agreement `{}`, element `{}`)", agreement.id, element.id);
                let cell = project.cell(&agreement.id, &element.id);
                let text = match cell.assessment {
                    Assessment::NotAssessed => String::new(),
                    other => other.label().to_owned(),
                };
                sheet
                    .write_string_with_format(row, col, text, &cell_format(cell.assessment))
                    .map_err(at(row, col, &what))?;
                let mut comment = cell.note.clone();
                for excerpt in &cell.evidence {
                    let from = excerpt_origin(project, excerpt);
                    comment = format!("{comment}\n“{}”{from}", excerpt.display_text())
                        .trim()
                        .to_owned();
                }
                if !comment.is_empty() {
                    let text = comment_text(&comment, "are in the “All cells” sheet");
                    sheet
                        .insert_note(row, col, &Note::new(text).set_author(COMMENT_AUTHOR))
                        .map_err(at(row, col, &what))?;
                }
            }
        }
        sheet.set_freeze_panes(1, 1).map_err(at(1, 1, ""))?;
    }

    let at = |row: RowNum, col: ColNum, what: &str| {
        let place = format!(
            "sheet `{ALL_CELLS_SHEET}` cell {}{what}",
            row_col_to_cell(row, col)
        );
        move |source| XlsxExportError { place, source }
    };
    let sheet = workbook.add_worksheet();
    sheet
        .set_name(ALL_CELLS_SHEET)
        .map_err(at(0, 0, " (sheet name)"))?;
    let columns = [
        "Agreement",
        "Element",
        "Framework",
        "Assessment",
        "Note",
        "Quote",
        "Locator",
        "Review status",
    ];
    for (c, title) in columns.iter().enumerate() {
        let col = u16::try_from(c).unwrap_or(u16::MAX);
        write_text(sheet, 0, col, title, Some(&header)).map_err(at(0, col, ""))?;
        sheet
            .set_column_width(col, if (4..=5).contains(&c) { 50 } else { 20 })
            .map_err(at(0, col, ""))?;
    }
    let mut row = 1u32;
    for agreement in &project.agreements {
        for (framework, element) in project.elements() {
            let cell = project.cell(&agreement.id, &element.id);
            let what = format!(" (agreement `{}`, element `{}`)", agreement.id, element.id);
            let values: [&str; 8] = [
                agreement.short_name.as_str(),
                &element.display_name(),
                &framework.name,
                cell.assessment.label(),
                &cell.note,
                &cell.quotes_joined(),
                &cell.locators_joined(),
                cell.review.label(),
            ];
            for (c, value) in values.into_iter().enumerate() {
                let col = u16::try_from(c).unwrap_or(u16::MAX);
                write_text(sheet, row, col, value, None).map_err(at(row, col, &what))?;
            }
            row += 1;
        }
    }
    let last = row.saturating_sub(1);
    sheet.autofilter(0, 0, last, 7).map_err(at(last, 7, ""))?;
    sheet.set_freeze_panes(1, 0).map_err(at(1, 0, ""))?;
    evidence_sheet(&mut workbook, project, &header)?;
    workbook.save_to_buffer().map_err(|source| XlsxExportError {
        place: "the file".to_owned(),
        source,
    })
}

/// The "Evidence" sheet: [`crate::io::evidence_table::evidence_rows`] under a header.
fn evidence_sheet(
    workbook: &mut Workbook,
    project: &Project,
    header: &Format,
) -> Result<(), XlsxExportError> {
    use crate::io::evidence_table::{EVIDENCE_HEADER, evidence_rows};
    let at = |row: RowNum, col: ColNum, what: &str| {
        let place = format!(
            "sheet `{EVIDENCE_SHEET}` cell {}{what}",
            row_col_to_cell(row, col)
        );
        move |source| XlsxExportError { place, source }
    };
    let sheet = workbook.add_worksheet();
    sheet
        .set_name(EVIDENCE_SHEET)
        .map_err(at(0, 0, " (sheet name)"))?;
    for (c, title) in EVIDENCE_HEADER.iter().enumerate() {
        let col = u16::try_from(c).unwrap_or(u16::MAX);
        let mut title = (*title).to_owned();
        if let Some(first) = title.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        write_text(sheet, 0, col, &title, Some(header)).map_err(at(0, col, ""))?;
        // The quote and the comment get room to read.
        let width = if matches!(c, 6 | 8) { 50 } else { 16 };
        sheet.set_column_width(col, width).map_err(at(0, col, ""))?;
    }
    let rows = evidence_rows(project, &[]);
    for (r, values) in rows.iter().enumerate() {
        let row = u32::try_from(r + 1).unwrap_or(u32::MAX);
        let what = format!(
            " (agreement `{}`, element `{}`, excerpt `{}`)",
            values[1], values[3], values[5]
        );
        for (c, value) in values.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            write_text(sheet, row, col, value, None).map_err(at(row, col, &what))?;
        }
    }
    let last_col = u16::try_from(EVIDENCE_HEADER.len() - 1).unwrap_or(u16::MAX);
    let last = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    sheet
        .autofilter(0, 0, last, last_col)
        .map_err(at(last, last_col, ""))?;
    sheet.set_freeze_panes(1, 0).map_err(at(1, 0, ""))?;
    Ok(())
}

/// " (Art. 15, Budapest Convention text)": where an excerpt comes from, for a comment.
fn excerpt_origin(project: &Project, excerpt: &crate::model::Excerpt) -> String {
    let source = excerpt
        .source
        .as_ref()
        .and_then(|id| project.source(id))
        .map(|s| s.title.as_str());
    match (excerpt.locator.as_str(), source) {
        ("", None) => String::new(),
        (locator, None) => format!(" ({locator})"),
        ("", Some(title)) => format!(" ({title})"),
        (locator, Some(title)) => format!(" ({locator}, {title})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_legal_and_unique() {
        let mut taken = vec![ALL_CELLS_SHEET.to_owned()];
        let mut name = |n: &str| sheet_name(n, &mut taken);
        assert_eq!(name("a[b]c:d*e?f/g\\h"), "a(b)c-def-g-h");
        assert_eq!(name("'Quoted'"), "Quoted");
        assert_eq!(name("quoted"), "quoted (2)");
        assert_eq!(name("''"), "Sheet");
        assert_eq!(name("history"), "history (2)");
        assert_eq!(name("All Cells"), "All Cells (2)");
        let long = "É".repeat(40);
        assert_eq!(name(&long), "É".repeat(31));
        assert_eq!(name(&long), format!("{} (2)", "É".repeat(27)));
        assert_eq!(name("bell\u{7}"), "bell\u{FFFD}");
        // Emoji take two UTF-16 units, as Excel counts them.
        assert_eq!(utf16_len(&name(&"🔒".repeat(20))), 30);
        for n in &taken {
            assert!(rust_xlsxwriter::utility::check_sheet_name(n).is_ok(), "{n}");
        }
    }

    #[test]
    fn splits_by_utf16_units_at_character_boundaries() {
        assert_eq!(split_at_units("a🔒b", 2), ("a", "🔒b"));
        assert_eq!(split_at_units("a🔒b", 3), ("a🔒", "b"));
        assert_eq!(split_at_units("ab", 5), ("ab", ""));
        let comment = comment_text(&"x".repeat(70_000), "elsewhere");
        assert!(utf16_len(&comment) <= COMMENT_TEXT_LIMIT);
        let kept = comment.chars().take_while(|c| *c == 'x').count();
        assert!(comment.ends_with(&format!(
            "… (cut: {} more characters elsewhere)",
            70_000 - kept
        )));
    }
}
