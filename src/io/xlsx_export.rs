//! An Excel workbook: one sheet per framework with coloured cells and the notes as cell
//! comments, plus a sheet of every cell in the long layout for filtering.

use crate::model::{Assessment, Project};
use crate::palette::{assessment_fill, assessment_text};
use rust_xlsxwriter::{Color, Format, FormatAlign, Note, Workbook, XlsxError};

fn color(rgb: crate::palette::Rgb) -> Color {
    Color::RGB((u32::from(rgb.0) << 16) | (u32::from(rgb.1) << 8) | u32::from(rgb.2))
}

/// Excel sheet names: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(name: &str, taken: &mut Vec<String>) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    let mut candidate = if clean.trim().is_empty() {
        "Sheet".to_owned()
    } else {
        clean.trim().to_owned()
    };
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
        let suffix = format!(" {n}");
        candidate = format!(
            "{}{suffix}",
            candidate
                .chars()
                .take(31 - suffix.len())
                .collect::<String>()
        );
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

/// The workbook's bytes.
pub fn project_to_xlsx(project: &Project) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0xE8EEF4));
    let name_format = Format::new().set_bold();
    let cell_format = |a: Assessment| {
        Format::new()
            .set_background_color(color(assessment_fill(a)))
            .set_font_color(color(assessment_text(a)))
            .set_bold()
            .set_align(FormatAlign::Center)
    };
    let mut taken = Vec::new();
    for framework in &project.frameworks {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&framework.name, &mut taken))?;
        sheet.write_string_with_format(0, 0, "Agreement", &header)?;
        sheet.set_column_width(0, 26)?;
        sheet.set_row_height(0, 64)?;
        for (c, element) in framework.elements.iter().enumerate() {
            let col = u16::try_from(c + 1).unwrap_or(u16::MAX);
            sheet.write_string_with_format(0, col, element.display_name(), &header)?;
            sheet.set_column_width(col, 16)?;
        }
        for (r, agreement) in project.agreements.iter().enumerate() {
            let row = u32::try_from(r + 1).unwrap_or(u32::MAX);
            sheet.write_string_with_format(row, 0, &agreement.short_name, &name_format)?;
            for (c, element) in framework.elements.iter().enumerate() {
                let col = u16::try_from(c + 1).unwrap_or(u16::MAX);
                let cell = project.cell(&agreement.id, &element.id);
                let text = match cell.assessment {
                    Assessment::NotAssessed => String::new(),
                    other => other.label().to_owned(),
                };
                sheet.write_string_with_format(row, col, text, &cell_format(cell.assessment))?;
                let mut comment = cell.note.clone();
                if !cell.quote.is_empty() {
                    comment = format!("{comment}\n“{}”", cell.quote).trim().to_owned();
                }
                if !cell.locator.is_empty() {
                    comment = format!("{comment}\n({})", cell.locator).trim().to_owned();
                }
                if !comment.is_empty() {
                    sheet.insert_note(row, col, &Note::new(comment).set_author("normgrid"))?;
                }
            }
        }
        sheet.set_freeze_panes(1, 1)?;
    }

    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name("All cells", &mut taken))?;
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
        sheet.write_string_with_format(0, col, *title, &header)?;
        sheet.set_column_width(col, if (4..=5).contains(&c) { 50 } else { 20 })?;
    }
    let mut row = 1u32;
    for agreement in &project.agreements {
        for (framework, element) in project.elements() {
            let cell = project.cell(&agreement.id, &element.id);
            let values = [
                agreement.short_name.clone(),
                element.display_name(),
                framework.name.clone(),
                cell.assessment.label().to_owned(),
                cell.note,
                cell.quote,
                cell.locator,
                cell.review.label().to_owned(),
            ];
            for (c, value) in values.into_iter().enumerate() {
                let col = u16::try_from(c).unwrap_or(u16::MAX);
                sheet.write_string(row, col, value)?;
            }
            row += 1;
        }
    }
    sheet.autofilter(0, 0, row.saturating_sub(1), 7)?;
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}
