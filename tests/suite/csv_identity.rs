//! CSV import and export keep identity: every value goes back to the cell it came from, a
//! name that could mean two cells is reported instead of guessed, and a CSV with any problem
//! leaves the project file byte for byte as it was.

use crate::common;

use chrono::NaiveDate;
use common::{normgrid, stdout};
use normgrid::collab::diff_projects;
use normgrid::io::csv_export::{CsvLayout, LONG_HEADER, project_to_csv};
use normgrid::io::csv_import::{ImportWriteError, import_csv, project_after_import};
use normgrid::model::{
    Agreement, AgreementId, Assessment, Cell, Element, ElementId, Excerpt, ExcerptId, Framework,
    FrameworkId, Project, ReviewStatus,
};
use proptest::prelude::*;
use std::path::Path;
use std::process::Output;

fn element(id: &str, label: &str, name: &str) -> Element {
    Element {
        id: ElementId::new(id),
        label: label.to_owned(),
        name: name.to_owned(),
        definition: String::new(),
    }
}

fn framework(id: &str, name: &str, elements: Vec<Element>) -> Framework {
    Framework {
        id: FrameworkId::new(id),
        name: name.to_owned(),
        description: String::new(),
        elements,
    }
}

/// A project whose names collide in every way the import must notice: short names equal,
/// differing only in case, a short name equal to another agreement's name, and one element
/// name, `(a) Cooperate`, in two frameworks.
fn colliding() -> Project {
    let mut project = Project::new("Collisions", NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
    project.frameworks = vec![
        framework(
            "fw-norms",
            "Norms",
            vec![
                element("el-norm-a", "(a)", "Cooperate"),
                element("el-norm-b", "(b)", "Protect"),
            ],
        ),
        framework(
            "fw-key",
            "Key elements",
            vec![
                element("el-key-a", "(a)", "Cooperate"),
                element("el-key-cap", "", "Capacity"),
            ],
        ),
    ];
    project.agreements = [
        ("agr-ca", "Cyber Accord", "CA"),
        ("agr-ca-lower", "Cyber Alliance", "ca"),
        ("agr-paris", "Paris Call", "PC"),
        ("agr-paris-other", "Another Pact", "Paris Call"),
        ("agr-dup-1", "First Dup", "DUP"),
        ("agr-dup-2", "Second Dup", "DUP"),
        ("agr-oas", "OAS Strategy", "OAS"),
    ]
    .into_iter()
    .map(|(id, name, short)| Agreement::new(AgreementId::new(id), name, short))
    .collect();
    project
}

fn cell(assessment: Assessment, note: &str) -> Cell {
    Cell {
        note: note.to_owned(),
        ..Cell::with_assessment(assessment)
    }
}

fn set(project: &mut Project, agreement: &str, element: &str, cell: Cell) {
    project
        .cells
        .set(&AgreementId::new(agreement), &ElementId::new(element), cell);
}

/// Imports `csv` with the real binary into a saved copy of `project`; returns the output and
/// the project file's bytes before and after.
fn import_with_cli(project: &Project, csv: &str, extra: &[&str]) -> (Output, Vec<u8>, Vec<u8>) {
    import_into_file_with_cli(&normgrid::io::project_to_ron(project).unwrap(), csv, extra)
}

/// [`import_with_cli`] into a project file holding `ron`.
fn import_into_file_with_cli(ron: &str, csv: &str, extra: &[&str]) -> (Output, Vec<u8>, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron").display().to_string();
    std::fs::write(&path, ron).unwrap();
    let before = std::fs::read(&path).unwrap();
    let csv_path = dir.path().join("in.csv");
    std::fs::write(&csv_path, csv).unwrap();
    let mut args = vec!["import", "csv", csv_path.to_str().unwrap(), "--into", &path];
    args.extend_from_slice(extra);
    let output = normgrid(&args);
    let after = std::fs::read(&path).unwrap();
    if before != after {
        assert!(normgrid::io::backup_path(Path::new(&path)).exists());
    }
    (output, before, after)
}

/// Asserts that the import was refused with exit code 1, listed `expected` (each a part of
/// one problem line), and left the file byte-identical.
fn assert_refused(project: &Project, csv: &str, expected: &[&str]) {
    let (output, before, after) = import_with_cli(project, csv, &[]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(before == after, "the project file must be unchanged");
    for part in expected {
        assert!(
            out.lines().any(|l| l.contains(part)),
            "expected a line with `{part}` in:\n{out}"
        );
    }
    assert!(out.contains("nothing imported"), "{out}");
}

/// A CSV line as a person or another program might write it: every field quoted, no guard.
fn long_row(fields: [&str; 11]) -> String {
    fields
        .iter()
        .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(",")
}

fn long_csv(rows: &[[&str; 11]]) -> String {
    let mut text = LONG_HEADER.join(",");
    for row in rows {
        text.push_str("\r\n");
        text.push_str(&long_row(*row));
    }
    text.push_str("\r\n");
    text
}

#[test]
fn long_export_carries_ids_and_parses_back_with_the_csv_crate() {
    let mut project = colliding();
    set(
        &mut project,
        "agr-ca-lower",
        "el-key-a",
        cell(Assessment::Yes, "'=1+1"),
    );
    let text = project_to_csv(&project, CsvLayout::Long, &[]);
    let mut reader =
        csv::ReaderBuilder::new().from_reader(text.strip_prefix('\u{feff}').unwrap().as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, LONG_HEADER);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 7 * 4);
    let row = records
        .iter()
        .find(|r| &r[1] == "agr-ca-lower" && &r[3] == "el-key-a")
        .unwrap();
    assert_eq!(&row[0], "ca");
    assert_eq!(&row[2], "(a) Cooperate");
    assert_eq!(&row[4], "Key elements");
    assert_eq!(&row[5], "fw-key");
    assert_eq!(&row[6], "Yes");
    assert_eq!(
        &row[7], "''=1+1",
        "one guard `'` in front of the text's own `'`"
    );
}

#[test]
fn wide_export_carries_id_rows_and_parses_back_with_the_csv_crate() {
    let mut project = colliding();
    set(
        &mut project,
        "agr-dup-2",
        "el-norm-a",
        cell(Assessment::No, ""),
    );
    let text = project_to_csv(&project, CsvLayout::Wide, &[]);
    let mut reader =
        csv::ReaderBuilder::new().from_reader(text.strip_prefix('\u{feff}').unwrap().as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "agreement",
            "agreement id",
            "(a) Cooperate",
            "(b) Protect",
            "(a) Cooperate",
            "Capacity"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 2 + 7);
    assert_eq!(
        records[0].iter().collect::<Vec<_>>(),
        [
            "framework id",
            "",
            "fw-norms",
            "fw-norms",
            "fw-key",
            "fw-key"
        ]
    );
    assert_eq!(
        records[1].iter().collect::<Vec<_>>(),
        [
            "element id",
            "",
            "el-norm-a",
            "el-norm-b",
            "el-key-a",
            "el-key-cap"
        ]
    );
    let dup_2 = records.iter().find(|r| &r[1] == "agr-dup-2").unwrap();
    assert_eq!(
        dup_2.iter().collect::<Vec<_>>(),
        ["DUP", "agr-dup-2", "No", "", "", ""]
    );
}

#[test]
fn exported_csv_goes_back_to_the_right_cells_despite_colliding_names() {
    let original = colliding();
    let mut edited = original.clone();
    set(
        &mut edited,
        "agr-ca",
        "el-norm-a",
        cell(Assessment::Yes, "=SUM(A1)"),
    );
    set(
        &mut edited,
        "agr-ca-lower",
        "el-key-a",
        cell(Assessment::No, "'=quoted"),
    );
    set(
        &mut edited,
        "agr-paris-other",
        "el-key-a",
        cell(Assessment::Indirect, "'"),
    );
    set(
        &mut edited,
        "agr-dup-2",
        "el-norm-b",
        cell(Assessment::Yes, "\tindented"),
    );
    for layout in [CsvLayout::Long, CsvLayout::Wide] {
        let text = project_to_csv(&edited, layout, &[]);
        let import = import_csv(&original, &text).unwrap();
        assert!(import.problems.is_empty(), "{:?}", import.problems);
        assert_eq!(import.changed_cells, 4, "{layout:?}");
        let (imported, _) = project_after_import(&original, &import, u64::MAX).unwrap();
        if layout == CsvLayout::Long {
            assert!(diff_projects(&edited, &imported).is_empty());
        }
        for (agreement, element, cell) in edited.cells.iter() {
            assert_eq!(imported.assessment(agreement, element), cell.assessment);
        }
    }
}

#[test]
fn import_refuses_short_rows() {
    let csv = long_csv(&[[
        "OAS",
        "agr-oas",
        "Capacity",
        "el-key-cap",
        "Key elements",
        "fw-key",
        "Yes",
        "n",
        "q",
        "l",
        "Draft",
    ]]) + "OAS,agr-oas,Capacity,el-key-cap\r\n";
    assert_refused(
        &colliding(),
        &csv,
        &["line 3: 4 fields, but the header has 11"],
    );
}

#[test]
fn import_refuses_long_rows() {
    let csv = long_csv(&[])
        + "OAS,agr-oas,Capacity,el-key-cap,Key elements,fw-key,Yes,,,,Draft,extra\r\n";
    assert_refused(
        &colliding(),
        &csv,
        &["line 2: 12 fields, but the header has 11"],
    );
    let wide = "agreement,agreement id,Capacity\r\nOAS,agr-oas,Yes,No\r\nDUP,agr-dup-1\r\n";
    assert_refused(
        &colliding(),
        wide,
        &[
            "line 2: 4 fields, but the header has 3",
            "line 3: 2 fields, but the header has 3",
        ],
    );
}

#[test]
fn import_reports_duplicate_cell_rows_with_both_line_numbers() {
    let row = [
        "OAS",
        "agr-oas",
        "Capacity",
        "el-key-cap",
        "Key elements",
        "fw-key",
        "Yes",
        "",
        "",
        "",
        "Draft",
    ];
    let mut other = row;
    other[6] = "No";
    assert_refused(
        &colliding(),
        &long_csv(&[row, other]),
        &["line 3: the cell `agr-oas` / `el-key-cap` is also on line 2"],
    );
    // The same cell named once by id and once by name is still the same cell.
    let mut by_name = row;
    by_name[1] = "";
    by_name[3] = "";
    assert_refused(
        &colliding(),
        &long_csv(&[row, by_name]),
        &["line 3: the cell `agr-oas` / `el-key-cap` is also on line 2"],
    );
    let wide = "agreement,Capacity\r\nOAS,Yes\r\nOAS Strategy,No\r\n";
    assert_refused(
        &colliding(),
        wide,
        &["line 3: agreement `agr-oas` also has a row on line 2"],
    );
    let wide = "agreement,Capacity,capacity\r\nOAS,Yes,No\r\n";
    assert_refused(
        &colliding(),
        wide,
        &["line 1: columns 2 and 3 are both element `el-key-cap`"],
    );
}

#[test]
fn import_refuses_unknown_ids_without_falling_back_to_names() {
    // `OAS` and `Capacity` would match by name, but a wrong id is never passed over.
    let row = [
        "OAS",
        "agr-nope",
        "Capacity",
        "el-key-cap",
        "",
        "",
        "Yes",
        "",
        "",
        "",
        "",
    ];
    assert_refused(
        &colliding(),
        &long_csv(&[row]),
        &["line 2: unknown agreement id `agr-nope`"],
    );
    let row = [
        "OAS", "agr-oas", "Capacity", "el-nope", "", "", "Yes", "", "", "", "",
    ];
    assert_refused(
        &colliding(),
        &long_csv(&[row]),
        &["line 2: unknown element id `el-nope`"],
    );
    let row = [
        "OAS",
        "agr-oas",
        "Capacity",
        "el-key-cap",
        "",
        "fw-nope",
        "Yes",
        "",
        "",
        "",
        "",
    ];
    assert_refused(
        &colliding(),
        &long_csv(&[row]),
        &["line 2: unknown framework id `fw-nope`"],
    );
    // An id and a name that point at different agreements: the row is wrong somewhere.
    let row = [
        "OAS",
        "agr-paris",
        "Capacity",
        "el-key-cap",
        "",
        "",
        "Yes",
        "",
        "",
        "",
        "",
    ];
    assert_refused(
        &colliding(),
        &long_csv(&[row]),
        &["line 2: agreement id `agr-paris` is `PC`"],
    );
    let wide = "agreement,agreement id,Capacity\r\nelement id,,el-nope\r\nOAS,agr-oas,Yes\r\n";
    assert_refused(
        &colliding(),
        wide,
        &["line 2: column 3: unknown element id `el-nope`"],
    );
}

#[test]
fn import_refuses_ambiguous_agreement_names_of_every_kind() {
    let wide = "agreement,Capacity\r\nDUP,Yes\r\nca,Yes\r\nParis Call,Yes\r\nOAS,Yes\r\n";
    assert_refused(
        &colliding(),
        wide,
        &[
            // Two agreements share the short name.
            "line 2: ambiguous agreement `DUP`",
            // `ca` and `CA` differ only in case.
            "line 3: ambiguous agreement `ca`",
            // One agreement's short name is another's name.
            "line 4: ambiguous agreement `Paris Call`",
        ],
    );
    let (output, _, _) = import_with_cli(&colliding(), wide, &[]);
    assert!(!stdout(&output).contains("line 5"), "OAS is unique");
}

#[test]
fn import_refuses_an_element_name_in_two_frameworks_unless_the_framework_says_which() {
    let row = [
        "OAS",
        "",
        "(a) Cooperate",
        "",
        "",
        "",
        "Yes",
        "",
        "",
        "",
        "",
    ];
    assert_refused(
        &colliding(),
        &long_csv(&[row]),
        &["line 2: ambiguous element `(a) Cooperate`"],
    );
    let wide = "agreement,(a) Cooperate\r\nOAS,Yes\r\n";
    assert_refused(
        &colliding(),
        wide,
        &["line 1: column 2: ambiguous element `(a) Cooperate`"],
    );

    // The framework column says which, exactly: the value lands in that framework only.
    let mut by_framework = row;
    by_framework[4] = "Key elements";
    let (output, before, after) = import_with_cli(&colliding(), &long_csv(&[by_framework]), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_ne!(before, after);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("after.ron");
    std::fs::write(&path, &after).unwrap();
    let imported = normgrid::io::load_project(&path).unwrap().project;
    let oas = AgreementId::new("agr-oas");
    assert_eq!(
        imported.assessment(&oas, &ElementId::new("el-key-a")),
        Assessment::Yes
    );
    assert_eq!(
        imported.assessment(&oas, &ElementId::new("el-norm-a")),
        Assessment::NotAssessed
    );
}

#[test]
fn import_refuses_control_characters() {
    let row = [
        "OAS",
        "agr-oas",
        "Capacity",
        "el-key-cap",
        "",
        "",
        "Yes",
        "bell\u{7}",
        "",
        "",
        "",
    ];
    assert_refused(
        &colliding(),
        &long_csv(&[row]),
        &["line 2: column 8: control character U+0007 at character 5"],
    );
}

#[test]
fn import_with_problems_writes_nothing_even_for_its_good_lines() {
    let good = [
        "OAS",
        "agr-oas",
        "Capacity",
        "el-key-cap",
        "",
        "",
        "Yes",
        "",
        "",
        "",
        "",
    ];
    let bad = [
        "DUP",
        "",
        "Capacity",
        "el-key-cap",
        "",
        "",
        "Yes",
        "",
        "",
        "",
        "",
    ];
    assert_refused(
        &colliding(),
        &long_csv(&[good, bad]),
        &["line 3: ambiguous agreement `DUP`", "1 problem;"],
    );
}

#[test]
fn import_refuses_a_project_over_the_size_cap_and_leaves_the_file_alone() {
    // A project file just under the cap (its big note put in as text, since saving 64 MB takes
    // seconds); the import adds a long note that takes it over.
    let mut project = colliding();
    set(
        &mut project,
        "agr-oas",
        "el-key-cap",
        cell(Assessment::Yes, "BIG"),
    );
    let cap = usize::try_from(normgrid::io::MAX_FILE_BYTES).unwrap();
    let ron = normgrid::io::project_to_ron(&project).unwrap();
    let ron = ron.replacen(
        "\"BIG\"",
        &format!("\"{}\"", "x".repeat(cap - ron.len() - 10_000)),
        1,
    );
    assert!(ron.len() < cap && ron.len() > cap - 20_000);
    let note = "y".repeat(20_000);
    let row = [
        "PC",
        "agr-paris",
        "Capacity",
        "el-key-cap",
        "",
        "",
        "No",
        &note,
        "",
        "",
        "",
    ];
    let (output, before, after) = import_into_file_with_cli(&ron, &long_csv(&[row]), &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("over the 67108864 bytes normgrid opens"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(before == after, "the project file must be unchanged");
}

#[test]
fn project_after_import_refuses_a_result_over_the_given_cap() {
    let project = colliding();
    let row = [
        "PC",
        "agr-paris",
        "Capacity",
        "el-key-cap",
        "",
        "",
        "No",
        &"n".repeat(5_000),
        "",
        "",
        "",
    ];
    let import = import_csv(&project, &long_csv(&[row])).unwrap();
    assert!(import.problems.is_empty(), "{:?}", import.problems);
    let size = normgrid::io::project_to_ron(&project).unwrap().len() as u64;
    // Over the cap only once serialized: the exact file size is reported.
    match project_after_import(&project, &import, size + 5_000) {
        Err(ImportWriteError::TooLarge {
            size: new_size,
            max,
        }) => {
            assert!(new_size > size + 5_000, "{new_size}");
            assert_eq!(max, size + 5_000);
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    // The note alone is over the cap: refused before serializing, with that lower bound.
    match project_after_import(&project, &import, 1_000) {
        Err(ImportWriteError::TooLarge {
            size: new_size,
            max,
        }) => {
            assert_eq!(new_size, 5_000);
            assert_eq!(max, 1_000);
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
    let (imported, text) = project_after_import(&project, &import, size + 10_000).unwrap();
    assert_eq!(text, normgrid::io::project_to_ron(&imported).unwrap());
}

#[test]
fn cli_export_then_import_gives_back_guarded_notes_exactly() {
    let mut project = colliding();
    set(
        &mut project,
        "agr-ca",
        "el-norm-a",
        cell(Assessment::Yes, "'=1+1"),
    );
    set(
        &mut project,
        "agr-ca-lower",
        "el-norm-a",
        cell(Assessment::No, "''"),
    );
    let dir = tempfile::tempdir().unwrap();
    let source = common::write(dir.path(), "source.ron", &project);
    let target = common::write(dir.path(), "target.ron", &colliding());
    for layout in ["long", "wide"] {
        let csv = dir.path().join(format!("{layout}.csv"));
        let output = normgrid(&[
            "export",
            "csv",
            "--layout",
            layout,
            "--out",
            csv.to_str().unwrap(),
            &source,
        ]);
        assert!(output.status.success());
        // Into the project it came from: nothing changes and nothing is written.
        let before = std::fs::read(&source).unwrap();
        let output = normgrid(&["import", "csv", csv.to_str().unwrap(), "--into", &source]);
        assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
        assert!(stdout(&output).contains("no cell changed"));
        assert!(std::fs::read(&source).unwrap() == before);
    }
    let csv = dir.path().join("long.csv");
    let output = normgrid(&["import", "csv", csv.to_str().unwrap(), "--into", &target]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let imported = normgrid::io::load_project(Path::new(&target))
        .unwrap()
        .project;
    assert!(diff_projects(&project, &imported).is_empty());
}

// ---- Round trips for any project, names colliding on purpose ----

const NAMES: [&str; 7] = ["A", "a", "Alpha", "alpha", "B", "agr-0", " A "];
const ELEMENT_NAMES: [&str; 4] = ["Cooperate", "cooperate", "Protect", "Capacity"];
const LABELS: [&str; 3] = ["", "(a)", "(A)"];
const PREFIXES: [&str; 12] = [
    "", "=", "'", "'=", "+", "-", "@", "\t", "\r", " ", "''", "\"",
];

fn text() -> impl Strategy<Value = String> {
    (
        proptest::sample::select(PREFIXES.to_vec()),
        "[a-zA-Z0-9 ,;\"'=\n\r\t-]{0,10}",
    )
        .prop_map(|(prefix, body)| format!("{prefix}{body}"))
}

fn any_cell() -> impl Strategy<Value = Cell> {
    (
        proptest::sample::select(Assessment::ALL.to_vec()),
        text(),
        text(),
        text(),
        proptest::sample::select(ReviewStatus::ALL.to_vec()),
    )
        .prop_map(|(assessment, note, quote, locator, review)| Cell {
            assessment,
            note,
            evidence: if quote.is_empty() && locator.is_empty() {
                Vec::new()
            } else {
                vec![Excerpt::unsourced(ExcerptId::new("quote"), quote, locator)]
            },
            review,
            ..Cell::default()
        })
}

/// A project with 1–4 agreements and two frameworks, names drawn from small pools so that
/// they collide, and two sets of cells: the project's own and an edited copy's.
fn any_project_and_edit() -> impl Strategy<Value = (Project, Project)> {
    let agreements = proptest::collection::vec(
        (
            proptest::sample::select(NAMES.to_vec()),
            proptest::sample::select(NAMES.to_vec()),
        ),
        1..=4,
    );
    let elements = proptest::collection::vec(
        (
            0..2_usize,
            proptest::sample::select(LABELS.to_vec()),
            proptest::sample::select(ELEMENT_NAMES.to_vec()),
        ),
        1..=4,
    );
    (
        agreements,
        elements,
        proptest::sample::select(vec!["Norms", "norms", "Key"]),
    )
        .prop_flat_map(|(agreements, elements, second_framework)| {
            let mut project = Project::new("Any", NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
            project.frameworks = vec![
                framework("fw-0", "Norms", Vec::new()),
                framework("fw-1", second_framework, Vec::new()),
            ];
            for (i, (framework, label, name)) in elements.into_iter().enumerate() {
                project.frameworks[framework].elements.push(element(
                    &format!("el-{i}"),
                    label,
                    name,
                ));
            }
            project.agreements = agreements
                .into_iter()
                .enumerate()
                .map(|(i, (name, short))| {
                    Agreement::new(AgreementId::new(format!("agr-{i}")), name, short)
                })
                .collect();
            let keys: Vec<(AgreementId, ElementId)> = project
                .agreements
                .iter()
                .flat_map(|a| {
                    project
                        .elements()
                        .map(|(_, e)| (a.id.clone(), e.id.clone()))
                        .collect::<Vec<_>>()
                })
                .collect();
            let cells = || proptest::collection::vec(proptest::option::of(any_cell()), keys.len());
            (Just(project), Just(keys.clone()), cells(), cells())
        })
        .prop_map(|(project, keys, own, edited)| {
            let with = |cells: Vec<Option<Cell>>| {
                let mut copy = project.clone();
                for ((agreement, element), cell) in keys.iter().zip(cells) {
                    if let Some(cell) = cell {
                        copy.cells.set(agreement, element, cell);
                    }
                }
                copy
            };
            (with(own), with(edited))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn export_then_import_changes_nothing_and_lands_every_value_in_its_cell(
        (project, edited) in any_project_and_edit()
    ) {
        for layout in [CsvLayout::Long, CsvLayout::Wide] {
            // Into a copy of itself: no problem, no change.
            let own = project_to_csv(&project, layout, &[]);
            let import = import_csv(&project, &own).unwrap();
            prop_assert!(import.problems.is_empty(), "{:?}", import.problems);
            let (same, _) = project_after_import(&project, &import, u64::MAX).unwrap();
            prop_assert!(diff_projects(&project, &same).is_empty());

            // The edited copy's CSV into the project: every value lands in its own cell.
            let text = project_to_csv(&edited, layout, &[]);
            let import = import_csv(&project, &text).unwrap();
            prop_assert!(import.problems.is_empty(), "{:?}", import.problems);
            let (imported, _) = project_after_import(&project, &import, u64::MAX).unwrap();
            let mut expected = project.clone();
            match layout {
                CsvLayout::Long => expected = edited.clone(),
                CsvLayout::Wide => {
                    for (agreement, element) in edited
                        .agreements
                        .iter()
                        .flat_map(|a| edited.elements().map(move |(_, e)| (a, e)))
                    {
                        let mut cell = project.cell(&agreement.id, &element.id);
                        cell.assessment = edited.assessment(&agreement.id, &element.id);
                        expected.cells.set(&agreement.id, &element.id, cell);
                    }
                }
                CsvLayout::Evidence => unreachable!("the evidence layout is not imported"),
            }
            let diff = diff_projects(&expected, &imported);
            prop_assert!(diff.is_empty(), "{layout:?}: {}", diff.to_text("expected", "imported"));

            // The csv crate reads the same number of fields on every line.
            let mut reader = csv::ReaderBuilder::new()
                .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
            let width = reader.headers().unwrap().len();
            for record in reader.records() {
                prop_assert_eq!(record.unwrap().len(), width);
            }
        }
    }

}

proptest! {
    // More cases here: a wrong guess shows only when two names collide and the lines kept
    // leave it no duplicate to trip over. 256 cases still run in well under a second.
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn import_by_name_alone_never_writes_a_wrong_cell(
        (project, edited) in any_project_and_edit(),
        kept in proptest::collection::vec(any::<bool>(), 32),
    ) {
        // A spreadsheet without ids (the id columns of the long layout dropped) and with only
        // some of the lines, so that a guess between two rows could not hide as a duplicate.
        let text = project_to_csv(&edited, CsvLayout::Long, &[]);
        let without_ids = |keep: &dyn Fn(usize) -> bool| -> String {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
            reader
                .records()
                .enumerate()
                .filter(|(i, _)| *i == 0 || keep(*i))
                .map(|(_, r)| {
                    let r = r.unwrap();
                    [0, 2, 4, 6, 7, 8, 9, 10]
                        .iter()
                        .map(|&i| {
                            // The csv crate kept the export's guard; keep it on the way back.
                            format!("\"{}\"", r[i].replace('"', "\"\""))
                        })
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .collect::<Vec<_>>()
                .join("\r\n")
        };

        // Every line: when no name is ambiguous, the import is exact.
        let import = import_csv(&project, &without_ids(&|_| true)).unwrap();
        if import.problems.is_empty() {
            let (imported, _) = project_after_import(&project, &import, u64::MAX).unwrap();
            prop_assert!(diff_projects(&edited, &imported).is_empty());
        }

        // Some lines: whatever the import accepts lands in its own cell.
        let import = import_csv(&project, &without_ids(&|i| kept[i % kept.len()])).unwrap();
        let (imported, _) = project_after_import(&project, &import, u64::MAX).unwrap();
        for agreement in &project.agreements {
            for (_, element) in project.elements() {
                let now = imported.cell(&agreement.id, &element.id);
                prop_assert!(
                    now == project.cell(&agreement.id, &element.id)
                        || now == edited.cell(&agreement.id, &element.id),
                    "{} / {} holds a value from another cell", agreement.id, element.id
                );
            }
        }
    }
}

#[test]
fn skip_problems_imports_the_good_lines_and_leaves_a_cell_named_twice_alone() {
    let good = [
        "OAS",
        "agr-oas",
        "Capacity",
        "el-key-cap",
        "",
        "",
        "Yes",
        "kept",
        "",
        "",
        "",
    ];
    let first = [
        "PC",
        "agr-paris",
        "Capacity",
        "el-key-cap",
        "",
        "",
        "Yes",
        "",
        "",
        "",
        "",
    ];
    let mut second = first;
    second[6] = "No";
    let (output, before, after) = import_with_cli(
        &colliding(),
        &long_csv(&[good, first, second]),
        &["--skip-problems"],
    );
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(out.contains("line 4: the cell `agr-paris` / `el-key-cap` is also on line 3"));
    assert_ne!(before, after);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("after.ron");
    std::fs::write(&path, &after).unwrap();
    let imported = normgrid::io::load_project(&path).unwrap().project;
    let capacity = ElementId::new("el-key-cap");
    assert_eq!(
        imported.cell(&AgreementId::new("agr-oas"), &capacity),
        cell(Assessment::Yes, "kept")
    );
    assert_eq!(
        imported.assessment(&AgreementId::new("agr-paris"), &capacity),
        Assessment::NotAssessed,
        "neither of the two lines wins"
    );
}

#[test]
fn an_old_name_with_a_control_character_still_matches_its_own_export() {
    let mut project = colliding();
    project.agreements[6].short_name = "OAS\u{7}".to_owned();
    set(
        &mut project,
        "agr-oas",
        "el-key-cap",
        cell(Assessment::Yes, "ok"),
    );
    for layout in [CsvLayout::Long, CsvLayout::Wide] {
        let text = project_to_csv(&project, layout, &[]);
        assert!(text.contains("OAS\u{FFFD}") && !text.contains('\u{7}'));
        let import = import_csv(&project, &text).unwrap();
        assert!(import.problems.is_empty(), "{:?}", import.problems);
        assert_eq!(import.changed_cells, 0);
    }
}

#[test]
fn import_refuses_a_csv_over_the_size_cap_before_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    let ron = normgrid::io::project_to_ron(&colliding()).unwrap();
    std::fs::write(&path, &ron).unwrap();
    // A sparse file: its size is over the cap without writing 64 MB.
    let csv_path = dir.path().join("huge.csv");
    std::fs::File::create(&csv_path)
        .unwrap()
        .set_len(normgrid::io::MAX_FILE_BYTES + 1)
        .unwrap();
    let output = normgrid(&[
        "import",
        "csv",
        csv_path.to_str().unwrap(),
        "--into",
        path.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("imports CSV files up to"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), ron);
    assert!(!normgrid::io::backup_path(&path).exists());
}

#[test]
fn import_line_numbers_count_line_breaks_in_quoted_notes_and_blank_lines() {
    let good = "OAS,agr-oas,Capacity,el-key-cap,Key elements,fw-key,Yes,\"first line\r\n\
                second, with a comma\r\nthird \"\"quoted\"\"\",q,l,Draft";
    // Lines: 1 header, 2–4 the good row, 5 blank, 6 a row with four fields.
    let csv = format!(
        "{}\r\n{good}\r\n\r\nOAS,agr-oas,Capacity,el-key-cap\r\n",
        LONG_HEADER.join(",")
    );
    assert_refused(
        &colliding(),
        &csv,
        &["line 6: 4 fields, but the header has 11"],
    );

    // Without the bad row the note comes in whole, line breaks, comma and quotes included.
    let csv = format!("{}\r\n{good}\r\n", LONG_HEADER.join(","));
    let import = import_csv(&colliding(), &csv).unwrap();
    assert!(import.problems.is_empty(), "{:?}", import.problems);
    let (imported, _) =
        project_after_import(&colliding(), &import, normgrid::io::MAX_FILE_BYTES).unwrap();
    let cell = imported.cell(&AgreementId::new("agr-oas"), &ElementId::new("el-key-cap"));
    assert_eq!(
        cell.note,
        "first line\r\nsecond, with a comma\r\nthird \"quoted\""
    );
    assert_eq!(cell.assessment, Assessment::Yes);
}

#[test]
fn import_refuses_a_quote_that_is_never_closed_and_writes_nothing() {
    // The last field's quote is never closed: read as text, it would swallow the next rows
    // into this cell's review status.
    let csv = long_csv(&[])
        + "OAS,agr-oas,Capacity,el-key-cap,Key elements,fw-key,Yes,n,q,l,\"Draft\r\nOAS,agr-oas,Capacity,el-key-cap,Key elements,fw-key,No,,,,Draft\r\n";
    let (output, before, after) = import_with_cli(&colliding(), &csv, &["--skip-problems"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("line 2: a quoted field in the row that starts here is never closed"),
        "{stderr}"
    );
    assert!(before == after, "the project file must be unchanged");
}

/// The long CSV of `project` read back as records (header first), for editing like a
/// spreadsheet user would.
fn long_records(project: &Project) -> Vec<Vec<String>> {
    let text = project_to_csv(project, CsvLayout::Long, &[]);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn csv_of(records: &[Vec<String>]) -> String {
    let mut csv = normgrid::io::csv_export::CsvText::new();
    for record in records {
        csv.row(
            record
                .iter()
                .map(|f| normgrid::io::csv_export::formula_unguarded(f)),
        );
    }
    csv.into_string()
}

#[test]
fn long_csv_of_anchored_quotes_imports_back_without_touching_them() {
    let project = normgrid::sample::bpf_2019().unwrap().project;
    let (agreement, element, cell) = project
        .cells
        .iter()
        .find(|(_, _, c)| c.evidence.len() > 1 && c.evidence.iter().any(|e| e.source.is_some()))
        .map(|(a, e, c)| (a.clone(), e.clone(), c.clone()))
        .unwrap();
    let mut records = long_records(&project);
    let row = records
        .iter()
        .position(|r| r[1] == agreement.as_str() && r[3] == element.as_str())
        .unwrap();
    assert_eq!(records[row][8], cell.quotes_joined());
    assert_eq!(records[row][9], cell.locators_joined());

    // As exported: nothing changes.
    let import = import_csv(&project, &csv_of(&records)).unwrap();
    assert!(import.problems.is_empty(), "{:?}", import.problems);
    assert_eq!(import.changed_cells, 0);

    // The note edited in the spreadsheet: the note changes, every anchor stays.
    records[row][7] = "Edited in a spreadsheet".to_owned();
    let import = import_csv(&project, &csv_of(&records)).unwrap();
    assert!(import.problems.is_empty(), "{:?}", import.problems);
    let (imported, _) = project_after_import(&project, &import, u64::MAX).unwrap();
    let after = imported.cell(&agreement, &element);
    assert_eq!(after.note, "Edited in a spreadsheet");
    assert_eq!(after.evidence, cell.evidence);
}

#[test]
fn a_changed_quote_that_would_flatten_anchored_quotes_is_refused() {
    let project = normgrid::sample::bpf_2019().unwrap().project;
    let (agreement, element) = project
        .cells
        .iter()
        .find(|(_, _, c)| c.evidence.iter().any(|e| e.source.is_some()))
        .map(|(a, e, _)| (a.clone(), e.clone()))
        .unwrap();
    let mut records = long_records(&project);
    let row = records
        .iter()
        .position(|r| r[1] == agreement.as_str() && r[3] == element.as_str())
        .unwrap();
    records[row][7] = "A note edited on the same line".to_owned();
    records[row][8] = "A quote rewritten in the spreadsheet".to_owned();
    let import = import_csv(&project, &csv_of(&records)).unwrap();
    assert_eq!(import.problems.len(), 1, "{:?}", import.problems);
    let problem = &import.problems[0];
    assert_eq!(problem.line, row + 1);
    assert!(
        problem.message.contains("anchored in sources")
            && problem.message.contains("edit evidence in normgrid"),
        "{problem}"
    );
    // The refused line changes nothing, not even its note.
    let (imported, _) = project_after_import(&project, &import, u64::MAX).unwrap();
    assert_eq!(
        imported.cell(&agreement, &element),
        project.cell(&agreement, &element)
    );

    // The same for a changed locator.
    let mut records = long_records(&project);
    records[row][9] = "Somewhere else".to_owned();
    let import = import_csv(&project, &csv_of(&records)).unwrap();
    assert_eq!(import.problems.len(), 1, "{:?}", import.problems);
}

#[test]
fn the_evidence_layout_is_for_reading_and_import_says_so() {
    let project = normgrid::sample::bpf_2019().unwrap().project;
    let text = project_to_csv(&project, CsvLayout::Evidence, &[]);
    let Err(problem) = import_csv(&project, &text) else {
        panic!("the evidence layout must not import");
    };
    assert_eq!(problem.line, 1);
    assert!(problem.message.contains("evidence layout"), "{problem}");
}
