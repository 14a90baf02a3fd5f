//! CSV that Excel and LibreOffice open directly: UTF-8 with a byte-order mark, CRLF line
//! endings, RFC 4180 quoting (the `csv` crate), and cells that would run as formulas neutralised (OWASP).
//!
//! Every row and column carries its stable id next to the name people read, so that
//! [`super::csv_import`] writes back to exactly the cell it came from, whatever the names.

pub use crate::formats::csv_text::{CsvText, csv_field, formula_guarded, formula_unguarded};
use crate::model::{Assessment, Element, Framework, FrameworkId, Project};

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
