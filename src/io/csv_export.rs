//! CSV that Excel and LibreOffice open directly: UTF-8 with a byte-order mark, CRLF line
//! endings, RFC 4180 quoting (the `csv` crate), and cells that would run as formulas neutralised (OWASP).
//!
//! Every row and column carries its stable id next to the name people read, so that
//! [`super::csv_import`] writes back to exactly the cell it came from, whatever the names.

use crate::model::text::without_forbidden_controls;
use crate::model::{Assessment, Element, Framework, FrameworkId, Project};
use std::borrow::Cow;

/// Which layout to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvLayout {
    /// One row per cell: agreement, element and framework (each with its id), assessment,
    /// note, quote, locator, review status.
    Long,
    /// Agreements × elements, one column per element, as a spreadsheet user lays it out.
    /// Two rows under the header give each column's framework id and element id.
    Wide,
    /// One row per evidence excerpt, with its source, page and check state
    /// ([`super::evidence_table::EVIDENCE_HEADER`]). For reading; import refuses it.
    Evidence,
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

/// A field as written: forbidden control characters replaced and the formula guard applied.
/// Quoting is left to the `csv` writer.
fn export_field(text: &str) -> Cow<'_, str> {
    match without_forbidden_controls(text) {
        Cow::Borrowed(clean) => formula_guarded(clean),
        Cow::Owned(clean) => Cow::Owned(formula_guarded(&clean).into_owned()),
    }
}

/// CSV text built row by row with the `csv` crate: UTF-8 with a byte-order mark (so Excel
/// reads it as UTF-8), CRLF line endings, RFC 4180 quoting, every field through the
/// formula guard.
pub struct CsvText {
    writer: csv::Writer<Vec<u8>>,
}

impl Default for CsvText {
    fn default() -> Self {
        Self::new()
    }
}

impl CsvText {
    /// An empty text that starts with the byte-order mark.
    pub fn new() -> Self {
        let writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            // Every caller writes rows of one width; flexible keeps the writer from failing.
            .flexible(true)
            .from_writer("\u{feff}".as_bytes().to_vec());
        Self { writer }
    }

    /// Appends one row.
    pub fn row<'a>(&mut self, fields: impl IntoIterator<Item = &'a str>) {
        // Writing to memory cannot fail, and with `flexible` no width check can either.
        let _always_ok = self
            .writer
            .write_record(fields.into_iter().map(|f| export_field(f).into_owned()));
    }

    /// The finished text.
    pub fn into_string(self) -> String {
        let bytes = self
            .writer
            .into_inner()
            .unwrap_or_else(|error| error.into_inner().get_ref().clone());
        // Only `&str` fields went in, so the bytes are UTF-8.
        String::from_utf8(bytes)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
    }
}

/// One CSV field as [`CsvText`] writes it, without the line ending: forbidden control
/// characters replaced, the formula guard applied, and quoted when needed.
pub fn csv_field(text: &str) -> String {
    let mut csv = CsvText::new();
    csv.row([text]);
    let line = csv.into_string();
    let line = line.strip_prefix('\u{feff}').unwrap_or(&line);
    let field = line.strip_suffix("\r\n").unwrap_or(line);
    // The writer quotes a lone empty field so the row is not blank; a field in a row is not.
    if field == "\"\"" {
        String::new()
    } else {
        field.to_owned()
    }
}

/// The project as CSV; `frameworks` limits the elements (all when empty).
pub fn project_to_csv(project: &Project, layout: CsvLayout, frameworks: &[FrameworkId]) -> String {
    let mut out = CsvText::new();
    let elements: Vec<(&Framework, &Element)> = project
        .elements()
        .filter(|(f, _)| frameworks.is_empty() || frameworks.contains(&f.id))
        .collect();
    match layout {
        CsvLayout::Long => {
            out.row(LONG_HEADER);
            for agreement in &project.agreements {
                for (framework, element) in &elements {
                    let cell = project.cell(&agreement.id, &element.id);
                    out.row([
                        &agreement.short_name,
                        agreement.id.as_str(),
                        &element.display_name(),
                        element.id.as_str(),
                        &framework.name,
                        framework.id.as_str(),
                        cell.assessment.label(),
                        &cell.note,
                        &cell.quotes_joined(),
                        &cell.locators_joined(),
                        cell.review.label(),
                    ]);
                }
            }
        }
        CsvLayout::Wide => {
            let names: Vec<String> = elements.iter().map(|(_, e)| e.display_name()).collect();
            let mut header = vec!["agreement", "agreement id"];
            header.extend(names.iter().map(String::as_str));
            out.row(header);
            let mut framework_ids = vec![WIDE_FRAMEWORK_ID_ROW, ""];
            framework_ids.extend(elements.iter().map(|(f, _)| f.id.as_str()));
            out.row(framework_ids);
            let mut element_ids = vec![WIDE_ELEMENT_ID_ROW, ""];
            element_ids.extend(elements.iter().map(|(_, e)| e.id.as_str()));
            out.row(element_ids);
            for agreement in &project.agreements {
                let mut row = vec![agreement.short_name.as_str(), agreement.id.as_str()];
                row.extend(elements.iter().map(|(_, e)| {
                    match project.assessment(&agreement.id, &e.id) {
                        Assessment::NotAssessed => "",
                        other => other.label(),
                    }
                }));
                out.row(row);
            }
        }
        CsvLayout::Evidence => {
            out.row(super::evidence_table::EVIDENCE_HEADER);
            for row in super::evidence_table::evidence_rows(project, frameworks) {
                out.row(row.iter().map(String::as_str));
            }
        }
    }
    out.into_string()
}

#[cfg(test)]
mod tests {
    use super::{CsvText, csv_field};

    #[test]
    fn rows_are_crlf_after_a_byte_order_mark_and_quoted_only_when_needed() {
        let mut csv = CsvText::new();
        csv.row(["plain", "a,b", "say \"hi\"", "", "two\nlines"]);
        csv.row(["=1+1", "'quoted", "-", "x"]);
        assert_eq!(
            csv.into_string(),
            "\u{feff}plain,\"a,b\",\"say \"\"hi\"\"\",,\"two\nlines\"\r\n'=1+1,''quoted,'-,x\r\n"
        );
        assert_eq!(csv_field(""), "");
        assert_eq!(csv_field("bell\u{7}"), "bell\u{FFFD}");
    }
}
