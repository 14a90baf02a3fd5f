//! One element across agreements: the rows come in year order, and the CSV and HTML files
//! read back with real parsers, every quote intact; the CLI writes both.

use normgrid::export::element_report::{
    CSV_HEADER, ElementFormat, Row, element_csv, element_html, element_report, element_rows,
};
use normgrid::model::{AgreementId, ElementId, Excerpt, ExcerptId, Project};

use crate::common;
use common::{normgrid, sample};

fn human_rights() -> ElementId {
    ElementId::new("ke-human-rights")
}

/// Every quote the sample holds for `element`, agreement by agreement in file order.
fn quotes_in_file_order(project: &Project, element: &ElementId) -> Vec<String> {
    project
        .agreements
        .iter()
        .flat_map(|a| project.cell(&a.id, element).evidence)
        .map(|e| e.exact)
        .collect()
}

fn html_document(html: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(html, options)
        .unwrap_or_else(|e| panic!("the page is not well-formed: {e}"))
}

/// The text of each `<blockquote>`, in document order.
fn blockquotes(document: &roxmltree::Document<'_>) -> Vec<String> {
    document
        .descendants()
        .filter(|n| n.has_tag_name("blockquote"))
        .map(|n| {
            n.descendants()
                .filter(roxmltree::Node::is_text)
                .filter_map(|t| t.text())
                .collect()
        })
        .collect()
}

fn csv_records(csv: &str) -> Vec<csv::StringRecord> {
    let text = csv
        .strip_prefix('\u{feff}')
        .expect("the CSV starts with a BOM");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader.records().map(Result::unwrap).collect()
}

#[test]
fn the_samples_human_rights_quotes_come_oldest_agreement_first() {
    let project = sample();
    let rows = element_rows(&project, &human_rights());
    let mut in_file = quotes_in_file_order(&project, &human_rights());
    assert!(
        rows.len() >= 5,
        "the sample quotes human rights often ({})",
        rows.len()
    );
    // Every excerpt once, none invented.
    let mut listed: Vec<String> = rows.iter().map(|r| r.quote.clone()).collect();
    listed.sort();
    in_file.sort();
    assert_eq!(listed, in_file);
    // Year order, agreements without a year last, then by name.
    let keys: Vec<(bool, Option<i32>, String)> = rows
        .iter()
        .map(|r| (r.year.is_none(), r.year, r.agreement_name.to_lowercase()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "rows are not in year order");
    let years: Vec<i32> = rows.iter().filter_map(|r| r.year).collect();
    assert!(
        years.first() < years.last(),
        "the quotes span several years: {years:?}"
    );
    // Each row carries the cell's assessment and its agreement's year.
    for row in &rows {
        let agreement = project.agreement(&row.agreement).unwrap();
        assert_eq!(row.year, agreement.year);
        assert_eq!(
            row.assessment,
            project.assessment(&row.agreement, &human_rights())
        );
    }
    // The sample's quotes are proved against the 2019 report.
    let quoted: Vec<&Row> = rows.iter().filter(|r| !r.quote.is_empty()).collect();
    assert!(!quoted.is_empty());
    for row in quoted {
        assert_eq!(row.state_label(), "verified", "{row:?}");
        assert!(!row.source_title.is_empty());
    }
}

#[test]
fn the_csv_reads_back_row_for_row() {
    let project = sample();
    let rows = element_rows(&project, &human_rights());
    let records = csv_records(&element_csv(&rows));
    assert_eq!(records[0].iter().collect::<Vec<_>>(), CSV_HEADER);
    assert_eq!(records.len(), rows.len() + 1);
    for (record, row) in records[1..].iter().zip(&rows) {
        assert_eq!(
            &record[0],
            row.year.map(|y| y.to_string()).unwrap_or_default()
        );
        assert_eq!(&record[1], row.agreement_name);
        assert_eq!(&record[2], row.agreement.as_str());
        assert_eq!(&record[3], row.assessment.label());
        assert_eq!(&record[4], row.quote);
        assert_eq!(&record[5], row.locator);
        assert_eq!(&record[6], row.source_title);
        assert_eq!(&record[8], row.state_label());
        assert_eq!(&record[9], row.excerpt.as_str());
    }
}

/// The sample with a hostile quote on the oldest human-rights agreement.
fn sample_with_hostile_quote() -> (Project, String) {
    let mut project = sample();
    let hostile = r#"<script>alert("x")</script> & 'rights' </blockquote>"#.to_owned();
    let agreement = AgreementId::new("paris-call");
    assert!(project.agreement(&agreement).is_some());
    let mut cell = project.cell(&agreement, &human_rights());
    cell.evidence.push(Excerpt::unsourced(
        ExcerptId::new("hostile"),
        hostile.clone(),
        "Art. <1>",
    ));
    project.cells.set(&agreement, &human_rights(), cell);
    (project, hostile)
}

#[test]
fn the_html_page_is_well_formed_and_holds_every_quote_escaped() {
    let (project, hostile) = sample_with_hostile_quote();
    let rows = element_rows(&project, &human_rights());
    let html = element_html(&project, &human_rights(), &rows);
    assert!(!html.contains("<script>"), "a quote became markup");
    let document = html_document(&html);
    let quotes = blockquotes(&document);
    let expected: Vec<String> = rows.iter().map(|r| r.quote.clone()).collect();
    assert_eq!(quotes, expected);
    assert!(quotes.contains(&hostile));
    let title: String = document
        .descendants()
        .find(|n| n.has_tag_name("h1"))
        .and_then(|n| n.text())
        .unwrap()
        .to_owned();
    assert!(title.contains("across agreements"), "{title}");
    // The hand-typed quote has no source to prove it against.
    let hostile_row = rows.iter().find(|r| r.quote == hostile).unwrap();
    assert_eq!(hostile_row.state_label(), "no source");
}

#[test]
fn the_cli_writes_both_formats_and_refuses_to_overwrite_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let project_path = dir.path().join("bpf.ron");
    let (project, hostile) = sample_with_hostile_quote();
    normgrid::io::save_project(&project_path, &project).unwrap();
    let project_arg = project_path.to_str().unwrap();

    let csv_path = dir.path().join("hr.csv");
    let output = normgrid(&[
        "export",
        "element",
        "--element",
        "ke-human-rights",
        "--format",
        "csv",
        "--out",
        csv_path.to_str().unwrap(),
        project_arg,
    ]);
    assert!(output.status.success(), "{output:?}");
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert_eq!(
        csv,
        String::from_utf8(element_report(
            &project,
            &human_rights(),
            ElementFormat::Csv
        ))
        .unwrap()
    );
    let records = csv_records(&csv);
    assert!(records.iter().any(|r| r[4] == hostile));

    let html_path = dir.path().join("hr.html");
    let output = normgrid(&[
        "export",
        "element",
        "--element",
        "ke-human-rights",
        "--format",
        "html",
        "--out",
        html_path.to_str().unwrap(),
        project_arg,
    ]);
    assert!(output.status.success(), "{output:?}");
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(blockquotes(&html_document(&html)).contains(&hostile));

    // An unknown element is refused by name; the output over the input is refused unwritten.
    let output = normgrid(&[
        "export",
        "element",
        "--element",
        "ke-human-rigts",
        "--out",
        dir.path().join("x.html").to_str().unwrap(),
        project_arg,
    ]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("ke-human-rights"));
    let before = std::fs::read(&project_path).unwrap();
    let output = normgrid(&[
        "export",
        "element",
        "--element",
        "ke-human-rights",
        "--out",
        project_arg,
        project_arg,
    ]);
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    assert_eq!(std::fs::read(&project_path).unwrap(), before);
}
