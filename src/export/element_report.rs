//! One element across every agreement: each excerpt quoted for it, in year order, so a reader
//! sees how the wording of a commitment changed over time. The rows feed the GUI's "Element
//! across agreements" tab, a CSV and a self-contained HTML page.

use crate::formats::csv_text::CsvText;
use crate::formats::markup::escape;
use crate::model::{AgreementId, Assessment, ElementId, ExcerptId, Project, SourceId};
use crate::palette::{assessment_fill, assessment_text};
use crate::sources::evidence::{Checker, ExcerptState};
use std::fmt::Write as _;

/// The formats an element report is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElementFormat {
    Csv,
    Html,
}

impl ElementFormat {
    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Html => "html",
        }
    }

    /// What the format is called in dialogs and messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Csv => "CSV",
            Self::Html => "HTML page",
        }
    }
}

/// One excerpt of one agreement's cell for the element.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub agreement: AgreementId,
    pub agreement_name: String,
    pub year: Option<i32>,
    pub assessment: Assessment,
    pub excerpt: ExcerptId,
    pub quote: String,
    pub locator: String,
    pub source: Option<SourceId>,
    /// Empty when the excerpt has no source (or names one the project lacks).
    pub source_title: String,
    pub state: ExcerptState,
}

impl Row {
    /// The state in one or two words; a bare locator is not a quote to prove.
    pub fn state_label(&self) -> &'static str {
        self.state.word(&self.quote)
    }

    /// "2015" or "no year".
    pub fn year_text(&self) -> String {
        self.year
            .map_or_else(|| "no year".to_owned(), |year| year.to_string())
    }
}

/// Header of [`element_csv`], in column order.
pub const CSV_HEADER: [&str; 10] = [
    "year",
    "agreement",
    "agreement id",
    "assessment",
    "quote",
    "locator",
    "source",
    "source id",
    "state",
    "excerpt id",
];

/// Every excerpt quoted for `element`, ordered by the agreement's year (agreements without
/// a year last), then its name, then the excerpts' order in the cell. Each quote is checked
/// against its source, every source read at most once.
pub fn element_rows(project: &Project, element: &ElementId) -> Vec<Row> {
    let mut checker = Checker::new(project);
    let mut rows = Vec::new();
    for agreement in &project.agreements {
        let cell = project.cell(&agreement.id, element);
        for excerpt in &cell.evidence {
            let source = excerpt.source.as_ref().and_then(|id| project.source(id));
            let state = checker.state(excerpt);
            rows.push(Row {
                agreement: agreement.id.clone(),
                agreement_name: agreement.name.clone(),
                year: agreement.year,
                assessment: cell.assessment,
                excerpt: excerpt.id.clone(),
                quote: excerpt.exact.clone(),
                locator: excerpt.locator.clone(),
                source: excerpt.source.clone(),
                source_title: source.map(|s| s.title.clone()).unwrap_or_default(),
                state,
            });
        }
    }
    // Stable: a cell's excerpts keep their order.
    rows.sort_by(|a, b| {
        (a.year.is_none(), a.year, a.agreement_name.to_lowercase()).cmp(&(
            b.year.is_none(),
            b.year,
            b.agreement_name.to_lowercase(),
        ))
    });
    rows
}

/// The rows as CSV (UTF-8 with a byte-order mark, CRLF, formula-guarded), ids beside names.
pub fn element_csv(rows: &[Row]) -> String {
    let mut csv = CsvText::new();
    csv.row(CSV_HEADER);
    for row in rows {
        let year = row.year.map(|y| y.to_string()).unwrap_or_default();
        csv.row([
            year.as_str(),
            row.agreement_name.as_str(),
            row.agreement.as_str(),
            row.assessment.label(),
            row.quote.as_str(),
            row.locator.as_str(),
            row.source_title.as_str(),
            row.source.as_ref().map_or("", |s| s.as_str()),
            row.state_label(),
            row.excerpt.as_str(),
        ]);
    }
    csv.into_string()
}

const STYLE: &str = "
body { font-family: 'DejaVu Sans', 'Segoe UI', Arial, sans-serif; color: #222; max-width: 70rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: .35rem .5rem; vertical-align: top; text-align: left; }
th { background: #eee; }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: 3px; font-weight: bold; font-size: .85rem; white-space: nowrap; }
blockquote { margin: 0; font-style: italic; }
.meta, .locator { color: #666; }
";

/// The rows as one self-contained HTML page (well-formed XML too), every text escaped.
pub fn element_html(project: &Project, element: &ElementId, rows: &[Row]) -> String {
    let element_name = project
        .element(element)
        .map_or_else(|| element.to_string(), |(_, e)| e.display_name());
    let title = escape(&format!("{element_name} across agreements"));
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"/>\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n\
         <p class=\"meta\">{} · {} quoted, oldest agreement first.</p>\n",
        escape(&project.title),
        crate::model::text::counted(rows.len(), "excerpt", "excerpts"),
    );
    out.push_str(
        "<table>\n<tr><th>Year</th><th>Agreement</th><th>Assessment</th><th>Quote</th>\
         <th>Locator</th><th>Source</th><th>State</th></tr>\n",
    );
    for row in rows {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td><span class=\"badge\" style=\"background:{};color:{}\">{} {}</span></td>\
             <td><blockquote>{}</blockquote></td><td class=\"locator\">{}</td><td>{}</td><td>{}</td></tr>",
            escape(&row.year_text()),
            escape(&row.agreement_name),
            assessment_fill(row.assessment).hex(),
            assessment_text(row.assessment).hex(),
            escape(&row.assessment.letter().to_string()),
            escape(row.assessment.label()),
            escape(&row.quote),
            escape(&row.locator),
            escape(&row.source_title),
            escape(row.state_label()),
        );
    }
    out.push_str("</table>\n</body>\n</html>\n");
    out
}

/// The element report in `format`, as bytes to write.
pub fn element_report(project: &Project, element: &ElementId, format: ElementFormat) -> Vec<u8> {
    let rows = element_rows(project, element);
    match format {
        ElementFormat::Csv => element_csv(&rows).into_bytes(),
        ElementFormat::Html => element_html(project, element, &rows).into_bytes(),
    }
}
