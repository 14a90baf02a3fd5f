//! Comparing versions matches evidence excerpts by id within their cell and sources by id:
//! each added, removed or changed excerpt and source is one entry, a new source text is
//! counted in lines and never printed.

use normgrid::collab::{ChangeKind, diff_projects};
use normgrid::model::{
    AgreementId, ElementId, Excerpt, ExcerptId, Project, Source, SourceId, SourceKind, TextPosition,
};
use normgrid::sample;

fn base() -> Project {
    sample::bpf_2019().unwrap().project
}

/// The first cell whose first excerpt quotes a source.
fn anchored_cell(project: &Project) -> (AgreementId, ElementId) {
    project
        .cells
        .iter()
        .find(|(_, _, c)| c.evidence.first().is_some_and(|e| e.source.is_some()))
        .map(|(a, e, _)| (a.clone(), e.clone()))
        .unwrap()
}

fn edit_cell(
    project: &mut Project,
    at: &(AgreementId, ElementId),
    edit: impl FnOnce(&mut Vec<Excerpt>),
) {
    let mut cell = project.cell(&at.0, &at.1);
    edit(&mut cell.evidence);
    project.cells.set(&at.0, &at.1, cell);
}

fn report_source() -> SourceId {
    SourceId::new("bpf-2019-report")
}

#[test]
fn excerpts_are_matched_by_id_within_their_cell() {
    let old = base();
    let mut new = old.clone();
    let at = anchored_cell(&old);
    let first = old.cell(&at.0, &at.1).evidence[0].clone();
    edit_cell(&mut new, &at, |evidence| {
        evidence[0].locator = "para. 99".to_owned();
        evidence[0].comment = "Read again in 2026".to_owned();
        let mut added = Excerpt::unsourced(
            ExcerptId::new("typed-by-hand"),
            "A quote typed by hand",
            "p. 3",
        );
        added.added_by = "Ana".to_owned();
        evidence.push(added);
    });
    // An excerpt removed from another cell.
    let (other, removed) = old
        .cells
        .iter()
        .find(|(a, e, c)| (*a, *e) != (&at.0, &at.1) && !c.evidence.is_empty())
        .map(|(a, e, c)| ((a.clone(), e.clone()), c.evidence[0].clone()))
        .unwrap();
    edit_cell(&mut new, &other, |evidence| {
        evidence.remove(0);
    });

    let diff = diff_projects(&old, &new);
    assert!(
        diff.changes.iter().all(|c| c.field != "evidence"),
        "evidence is never compared as one block: {:?}",
        diff.changes
    );
    let mut excerpt_changes: Vec<(ChangeKind, &str, String)> = diff
        .changes
        .iter()
        .filter(|c| c.subject == "excerpt")
        .map(|c| (c.kind, c.field, c.id.clone()))
        .collect();
    excerpt_changes.sort();
    let id = |cell: &(AgreementId, ElementId), excerpt: &ExcerptId| {
        format!("{} / {} / {excerpt}", cell.0, cell.1)
    };
    let mut expected = vec![
        (ChangeKind::Changed, "locator", id(&at, &first.id)),
        (ChangeKind::Changed, "comment", id(&at, &first.id)),
        (
            ChangeKind::Added,
            "",
            id(&at, &ExcerptId::new("typed-by-hand")),
        ),
        (ChangeKind::Removed, "", id(&other, &removed.id)),
    ];
    expected.sort();
    assert_eq!(excerpt_changes, expected);
    let locator = diff.changes.iter().find(|c| c.field == "locator").unwrap();
    assert_eq!(
        (locator.old.as_str(), locator.new.as_str()),
        (first.locator.as_str(), "para. 99")
    );
    let added = diff
        .changes
        .iter()
        .find(|c| c.kind == ChangeKind::Added)
        .unwrap();
    assert_eq!(
        added.by, "Ana",
        "an added excerpt is credited to who added it"
    );
    assert_eq!(diff.changed_cells(), 2);

    let text = diff.to_text("old", "new");
    assert!(text.contains("Evidence excerpts"), "{text}");
    assert!(
        text.contains("added “[typed-by-hand] “A quote typed by hand” (p. 3)”"),
        "{text}"
    );
    assert!(text.contains("2 excerpt fields changed"), "{text}");
    assert!(
        text.contains("1 excerpt added") && text.contains("1 excerpt removed"),
        "{text}"
    );
}

#[test]
fn a_quote_anchored_elsewhere_or_in_another_source_names_those_fields() {
    let old = base();
    let mut new = old.clone();
    let at = anchored_cell(&old);
    edit_cell(&mut new, &at, |evidence| {
        evidence[0].position = Some(TextPosition { start: 0, end: 4 });
        evidence[0].source = Some(SourceId::new("another"));
    });
    let diff = diff_projects(&old, &new);
    let fields: Vec<&str> = diff.changes.iter().map(|c| c.field).collect();
    assert_eq!(fields, ["anchor", "source"]);
    assert_eq!(diff.changes[0].new, "bytes 0–4");
    assert_eq!(diff.changes[1].new, "another");
}

#[test]
fn sources_are_matched_by_id_and_a_new_text_is_counted_in_lines_never_printed() {
    let old = base();
    let mut new = old.clone();
    let report = new
        .sources
        .iter_mut()
        .find(|s| s.id == report_source())
        .unwrap();
    let lines: Vec<&str> = report.text.split('\n').collect();
    let old_lines = lines.len();
    let mut edited: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    edited[5] = "UNIQUE-REPLACED-LINE".to_owned();
    edited.push("UNIQUE-ADDED-ONE".to_owned());
    edited.push("UNIQUE-ADDED-TWO".to_owned());
    report.text = edited.join("\n");
    report.title = "BPF 2019 report, second printing".to_owned();
    report.sha256 = "ab".repeat(32);
    report.url = "https://example.org/bpf-2019.pdf".to_owned();
    new.sources.push(Source {
        id: SourceId::new("paris-call-text"),
        agreement: Some(AgreementId::new("paris-call")),
        title: "Paris Call text".to_owned(),
        file_name: "paris-call.txt".to_owned(),
        kind: SourceKind::Text,
        url: String::new(),
        retrieved: None,
        sha256: String::new(),
        pages: Vec::new(),
        text: "We, the signatories".to_owned(),
    });

    let diff = diff_projects(&old, &new);
    let sources: Vec<(ChangeKind, &str, &str)> = diff
        .changes
        .iter()
        .filter(|c| c.subject == "source")
        .map(|c| (c.kind, c.id.as_str(), c.field))
        .collect();
    assert_eq!(
        sources,
        [
            (ChangeKind::Renamed, "bpf-2019-report", "title"),
            (ChangeKind::Changed, "bpf-2019-report", "url"),
            (ChangeKind::Changed, "bpf-2019-report", "sha256"),
            (ChangeKind::Changed, "bpf-2019-report", "text"),
            (ChangeKind::Added, "paris-call-text", ""),
        ]
    );
    let text_change = diff.changes.iter().find(|c| c.field == "text").unwrap();
    assert_eq!(text_change.old, format!("{old_lines} lines"));
    assert_eq!(
        text_change.new,
        format!("{} lines; 1 removed, 3 added", old_lines + 2)
    );
    let report_text = diff.to_text("old", "new");
    assert!(report_text.contains("\nSources\n"), "{report_text}");
    assert!(
        !report_text.contains("UNIQUE-"),
        "the text itself is never printed"
    );
    assert!(report_text.len() < 2_000, "{report_text}");

    // The CSV of the same diff reads back with a real CSV reader, one row per change.
    let csv = diff.to_csv();
    assert!(!csv.contains("UNIQUE-"));
    let mut reader =
        csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), diff.changes.len());
    let text_row = rows
        .iter()
        .find(|r| &r[0] == "source" && &r[4] == "text")
        .unwrap();
    assert_eq!(&text_row[6], text_change.new);

    // Removing a source is one entry too.
    let diff = diff_projects(&new, &old);
    assert!(diff.changes.iter().any(|c| c.subject == "source"
        && c.kind == ChangeKind::Removed
        && c.id == "paris-call-text"));
}

#[test]
fn excerpt_changes_in_csv_name_the_excerpt_and_its_field() {
    let old = base();
    let mut new = old.clone();
    let at = anchored_cell(&old);
    edit_cell(&mut new, &at, |evidence| {
        evidence[0].comment = "Checked, \"p. 4\"".to_owned();
    });
    let csv = diff_projects(&old, &new).to_csv();
    let mut reader =
        csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    let first = &old.cell(&at.0, &at.1).evidence[0];
    assert_eq!(&rows[0][0], "excerpt");
    assert_eq!(&rows[0][1], format!("{} / {} / {}", at.0, at.1, first.id));
    assert_eq!(&rows[0][4], "comment");
    assert_eq!(&rows[0][6], "Checked, \"p. 4\"");
}
