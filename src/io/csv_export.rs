//! CSV that Excel and LibreOffice open directly: UTF-8 with a byte-order mark, CRLF line
//! endings, RFC 4180 quoting, and cells that would run as formulas neutralised (OWASP).
//!
//! Every row and column carries its stable id next to the name people read, so that
//! [`super::csv_import`] writes back to exactly the cell it came from, whatever the names.

use crate::model::text::without_forbidden_controls;
use crate::model::{Assessment, Element, Framework, FrameworkId, Project};
use std::borrow::Cow;
use std::fmt::Write as _;

/// Which layout to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvLayout {
    /// One row per cell: agreement, element and framework (each with its id), assessment,
    /// note, quote, locator, review status.
    Long,
    /// Agreements × elements, one column per element, as a spreadsheet user lays it out.
    /// Two rows under the header give each column's framework id and element id.
    Wide,
}

/// Header of the long layout, in column order.
pub const LONG_HEADER: [&str; 11] = [
    "agreement",
    "agreement id",
    "element",
    "element id",
    "framework",
    "framework id",
    "assessment",
    "note",
    "quote",
    "locator",
    "review status",
];

/// First column of the wide layout's row of framework ids (right under the header).
pub const WIDE_FRAMEWORK_ID_ROW: &str = "framework id";
/// First column of the wide layout's row of element ids (under the framework ids).
pub const WIDE_ELEMENT_ID_ROW: &str = "element id";

/// True when a spreadsheet would take `text` as a formula (`=`, `+`, `-`, `@`, tab or carriage
/// return first), or when `text` starts with the guard `'` itself, so that the guard can be
/// undone without guessing.
fn needs_formula_guard(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r', '\''])
}

/// `text` with the formula guard: one `'` in front when [`needs_formula_guard`]. Text that
/// already starts with `'` gets one more, so [`formula_unguarded`] can always strip exactly one.
pub fn formula_guarded(text: &str) -> Cow<'_, str> {
    if needs_formula_guard(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Undoes [`formula_guarded`]: strips exactly one leading `'`, if any.
pub fn formula_unguarded(text: &str) -> &str {
    text.strip_prefix('\'').unwrap_or(text)
}

/// One CSV field: forbidden control characters replaced, the formula guard applied, and
/// quoted when needed.
pub fn csv_field(text: &str) -> String {
    let clean = without_forbidden_controls(text);
    let guarded = formula_guarded(&clean);
    if guarded.contains([',', '"', '\n', '\r'])
        || guarded.starts_with(' ')
        || guarded.ends_with(' ')
    {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded.into_owned()
    }
}

fn push_row(out: &mut String, fields: &[&str]) {
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    let _ = write!(out, "{}\r\n", line.join(","));
}

/// The project as CSV; `frameworks` limits the elements (all when empty).
pub fn project_to_csv(project: &Project, layout: CsvLayout, frameworks: &[FrameworkId]) -> String {
    let mut out = String::from("\u{feff}");
    let elements: Vec<(&Framework, &Element)> = project
        .elements()
        .filter(|(f, _)| frameworks.is_empty() || frameworks.contains(&f.id))
        .collect();
    match layout {
        CsvLayout::Long => {
            push_row(&mut out, &LONG_HEADER);
            for agreement in &project.agreements {
                for (framework, element) in &elements {
                    let cell = project.cell(&agreement.id, &element.id);
                    push_row(
                        &mut out,
                        &[
                            &agreement.short_name,
                            agreement.id.as_str(),
                            &element.display_name(),
                            element.id.as_str(),
                            &framework.name,
                            framework.id.as_str(),
                            cell.assessment.label(),
                            &cell.note,
                            &cell.quote,
                            &cell.locator,
                            cell.review.label(),
                        ],
                    );
                }
            }
        }
        CsvLayout::Wide => {
            let names: Vec<String> = elements.iter().map(|(_, e)| e.display_name()).collect();
            let mut header = vec!["agreement", "agreement id"];
            header.extend(names.iter().map(String::as_str));
            push_row(&mut out, &header);
            let mut framework_ids = vec![WIDE_FRAMEWORK_ID_ROW, ""];
            framework_ids.extend(elements.iter().map(|(f, _)| f.id.as_str()));
            push_row(&mut out, &framework_ids);
            let mut element_ids = vec![WIDE_ELEMENT_ID_ROW, ""];
            element_ids.extend(elements.iter().map(|(_, e)| e.id.as_str()));
            push_row(&mut out, &element_ids);
            for agreement in &project.agreements {
                let mut row = vec![agreement.short_name.as_str(), agreement.id.as_str()];
                row.extend(elements.iter().map(|(_, e)| {
                    match project.assessment(&agreement.id, &e.id) {
                        Assessment::NotAssessed => "",
                        other => other.label(),
                    }
                }));
                push_row(&mut out, &row);
            }
        }
    }
    out
}
