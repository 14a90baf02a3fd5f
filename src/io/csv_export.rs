//! CSV that Excel and LibreOffice open directly: UTF-8 with a byte-order mark, CRLF line
//! endings, RFC 4180 quoting, and cells that would run as formulas neutralised (OWASP).

use crate::model::{FrameworkId, Project};
use std::fmt::Write as _;

/// Which layout to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvLayout {
    /// One row per cell: agreement, element, framework, assessment, note, quote, locator, review.
    Long,
    /// Agreements × elements, one column per element, as a spreadsheet user lays it out.
    Wide,
}

/// One CSV field: control characters replaced with U+FFFD as in every export, quoted when
/// needed, with a leading `'` when a spreadsheet would take it as a formula (`=`, `+`, `-`,
/// `@`, tab or carriage return first).
pub fn csv_field(text: &str) -> String {
    let text = crate::model::text::without_forbidden_controls(text);
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.into_owned()
    };
    if guarded.contains([',', '"', '\n', '\r'])
        || guarded.starts_with(' ')
        || guarded.ends_with(' ')
    {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn push_row(out: &mut String, fields: &[&str]) {
    let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
    let _ = write!(out, "{}\r\n", line.join(","));
}

/// The project as CSV; `frameworks` limits the elements (all when empty).
pub fn project_to_csv(project: &Project, layout: CsvLayout, frameworks: &[FrameworkId]) -> String {
    let mut out = String::from("\u{feff}");
    let elements: Vec<(&crate::model::Framework, &crate::model::Element)> = project
        .elements()
        .filter(|(f, _)| frameworks.is_empty() || frameworks.contains(&f.id))
        .collect();
    match layout {
        CsvLayout::Long => {
            push_row(
                &mut out,
                &[
                    "agreement",
                    "element",
                    "framework",
                    "assessment",
                    "note",
                    "quote",
                    "locator",
                    "review status",
                ],
            );
            for agreement in &project.agreements {
                for (framework, element) in &elements {
                    let cell = project.cell(&agreement.id, &element.id);
                    push_row(
                        &mut out,
                        &[
                            &agreement.short_name,
                            &element.display_name(),
                            &framework.name,
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
            let mut header = vec!["agreement".to_owned()];
            header.extend(elements.iter().map(|(_, e)| e.display_name()));
            push_row(
                &mut out,
                &header.iter().map(String::as_str).collect::<Vec<_>>(),
            );
            for agreement in &project.agreements {
                let mut row = vec![agreement.short_name.clone()];
                row.extend(elements.iter().map(|(_, e)| {
                    match project.assessment(&agreement.id, &e.id) {
                        crate::model::Assessment::NotAssessed => String::new(),
                        other => other.label().to_owned(),
                    }
                }));
                push_row(
                    &mut out,
                    &row.iter().map(String::as_str).collect::<Vec<_>>(),
                );
            }
        }
    }
    out
}
