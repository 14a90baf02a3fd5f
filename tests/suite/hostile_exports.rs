//! Hostile input through the real command line: control characters, sheet names Excel
//! refuses, notes longer than a cell holds, and chart sizes that would exhaust memory. Every
//! output is read back with a real reader, and the project file must never change.

use crate::common;

use calamine::{Data, Reader, Xlsx};
use common::{normgrid, sample, stdout, write};
use normgrid::model::{
    AgreementId, Assessment, Cell, ElementId, Excerpt, ExcerptId, Framework, FrameworkId, Project,
};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::process::Output;

const BELL: char = '\u{7}';
const ESCAPE: char = '\u{1b}';
const FFFD: char = '\u{FFFD}';
const MANRS: &str = "manrs";
const CBMS: &str = "ke-cbms";

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The sample with control characters in an agreement, a framework, an element and a cell.
fn hostile_project() -> Project {
    project_with(BELL, ESCAPE)
}

/// The sample with `bell` and `escape` where [`hostile_project`] has control characters.
fn project_with(bell: char, escape: char) -> Project {
    let mut project = sample();
    project.title = format!("Hostile{bell} title");
    let manrs = project
        .agreements
        .iter_mut()
        .find(|a| a.id.as_str() == MANRS)
        .unwrap();
    manrs.short_name = format!("MAN{bell}RS");
    manrs.name = format!("Mutually Agreed{escape} Norms");
    let framework = &mut project.frameworks[0];
    framework.name = format!("Key{bell}elements");
    let cbms = framework
        .elements
        .iter_mut()
        .find(|e| e.id.as_str() == CBMS)
        .unwrap();
    cbms.name = format!("Specified{bell} CBMs");
    project.cells.set(
        &AgreementId::new(MANRS),
        &ElementId::new(CBMS),
        Cell {
            note: format!("ring{bell}bell"),
            evidence: vec![Excerpt::unsourced(
                ExcerptId::new("quote"),
                format!("escape{escape}d"),
                format!("Art.{bell}5"),
            )],
            ..Cell::with_assessment(Assessment::Indirect)
        },
    );
    project
}

/// Runs `normgrid args…` and asserts the project file is byte-identical afterwards.
fn run_keeping(project_path: &str, args: &[&str]) -> Output {
    let before = std::fs::read(project_path).unwrap();
    let output = normgrid(args);
    assert_eq!(
        std::fs::read(project_path).unwrap(),
        before,
        "{args:?} changed the project file"
    );
    output
}

fn assert_success(output: &Output) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(output),
        stderr(output)
    );
}

fn parse_xml(text: &str) -> roxmltree::Document<'_> {
    // `<!DOCTYPE html>` is a DTD to roxmltree; it declares nothing, so allowing it is safe.
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options)
        .unwrap_or_else(|e| panic!("not well-formed XML: {e}"))
}

/// All text of an XML document, in document order.
fn xml_text(document: &roxmltree::Document<'_>) -> String {
    document
        .descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

fn has_control(text: &str) -> bool {
    text.chars()
        .any(normgrid::model::text::is_forbidden_control)
}

/// The parts of an .xlsx, by name.
fn xlsx_parts(bytes: &[u8]) -> HashMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = HashMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        parts.insert(name, text);
    }
    parts
}

/// Every XML part of a workbook parses; returns the parts.
fn checked_xlsx_parts(bytes: &[u8]) -> HashMap<String, String> {
    let parts = xlsx_parts(bytes);
    for (name, text) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            roxmltree::Document::parse(text)
                .unwrap_or_else(|e| panic!("{name} is not well-formed XML: {e}"));
        }
    }
    parts
}

fn attribute_ns<'a>(node: roxmltree::Node<'a, '_>, local: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == local)
        .map(|a| a.value())
}

/// The comments of sheet `sheet`, by cell reference ("E2"), each as its plain text.
fn sheet_comments(parts: &HashMap<String, String>, sheet: &str) -> HashMap<String, String> {
    let workbook = parse_xml(&parts["xl/workbook.xml"]);
    let rel_id = workbook
        .descendants()
        .find(|n| n.has_tag_name("sheet") && n.attribute("name") == Some(sheet))
        .and_then(|n| attribute_ns(n, "id"))
        .unwrap_or_else(|| panic!("no sheet `{sheet}`"))
        .to_owned();
    let rels = parse_xml(&parts["xl/_rels/workbook.xml.rels"]);
    let target = rels
        .descendants()
        .find(|n| n.attribute("Id") == Some(rel_id.as_str()))
        .and_then(|n| n.attribute("Target"))
        .unwrap()
        .to_owned();
    let sheet_file = target.rsplit('/').next().unwrap();
    let Some(sheet_rels) = parts.get(&format!("xl/worksheets/_rels/{sheet_file}.rels")) else {
        return HashMap::new();
    };
    let sheet_rels = parse_xml(sheet_rels);
    let Some(comments) = sheet_rels
        .descendants()
        .filter(|n| n.has_tag_name("Relationship"))
        .find(|n| {
            n.attribute("Type")
                .is_some_and(|t| t.ends_with("/comments"))
        })
        .and_then(|n| n.attribute("Target"))
    else {
        return HashMap::new();
    };
    let comments = parse_xml(&parts[&format!("xl/{}", comments.trim_start_matches("../"))]);
    comments
        .descendants()
        .filter(|n| n.has_tag_name("comment"))
        .map(|comment| {
            let text: String = comment
                .descendants()
                .filter(|n| n.has_tag_name("t"))
                .filter_map(|n| n.text())
                .collect();
            (comment.attribute("ref").unwrap().to_owned(), text)
        })
        .collect()
}

fn open_xlsx(bytes: &[u8]) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap()
}

/// The "All cells" row of (agreement short name, element display name), as strings.
fn all_cells_row(
    workbook: &mut Xlsx<std::io::Cursor<Vec<u8>>>,
    short: &str,
    element: &str,
) -> (u32, Vec<String>) {
    let range = workbook.worksheet_range("All cells").unwrap();
    let (row, cells) = range
        .rows()
        .enumerate()
        .find(|(_, r)| {
            r[0] == Data::String(short.to_owned()) && r[1] == Data::String(element.to_owned())
        })
        .unwrap_or_else(|| panic!("no row for {short} / {element}"));
    (
        u32::try_from(row).unwrap(),
        cells.iter().map(ToString::to_string).collect(),
    )
}

#[test]
fn check_names_each_control_character_and_exits_nonzero() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hostile.ron", &hostile_project());
    let output = run_keeping(&path, &["check", &path]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    for expected in [
        "project title: control character U+0007 at character 8",
        "agreement `manrs` short_name: control character U+0007 at character 4",
        "agreement `manrs` name: control character U+001B at character 16",
        "framework `bpf2019-key-elements` name: control character U+0007 at character 4",
        "element `ke-cbms` name: control character U+0007 at character 10",
        "cell (manrs, ke-cbms) note: control character U+0007 at character 5",
        "cell (manrs, ke-cbms) evidence exact: control character U+001B at character 7",
        "cell (manrs, ke-cbms) evidence locator: control character U+0007 at character 5",
        "8 problems found",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    assert!(!has_control(&text), "the report itself stays clean");
}

#[test]
fn svg_charts_of_hostile_names_are_xml_with_the_replacement_character() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hostile.ron", &hostile_project());
    for (kind, extra, expected) in [
        (
            "heatmap",
            vec![],
            vec![format!("MAN{FFFD}RS"), format!("Key{FFFD}elements")],
        ),
        ("prevalence", vec![], vec![format!("Specified{FFFD} CBMs")]),
        (
            "profile",
            vec!["--agreements", MANRS],
            vec![format!("Mutually Agreed{FFFD} Norms")],
        ),
    ] {
        let out = dir.path().join(format!("{kind}.svg"));
        let out_arg = out.display().to_string();
        let mut args = vec!["export", "chart", "--kind", kind, "--out", &out_arg];
        args.extend(extra);
        args.push(&path);
        assert_success(&run_keeping(&path, &args));
        let svg = std::fs::read_to_string(&out).unwrap();
        let document = parse_xml(&svg);
        assert_eq!(document.root_element().tag_name().name(), "svg");
        let text = xml_text(&document);
        assert!(!has_control(&svg), "{kind}: a control character survived");
        for label in expected {
            assert!(
                text.contains(&label),
                "{kind}: no `{label}` in the SVG text"
            );
        }
        assert!(
            text.contains(&format!("Source: Hostile{FFFD} title")),
            "{kind}: the source line"
        );
    }
}

#[test]
fn png_of_hostile_names_draws_the_replacement_character() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = write(dir.path(), "hostile.ron", &hostile_project());
    // The same project with U+FFFD typed in: its PNG must be the very same picture.
    let replaced = write(dir.path(), "replaced.ron", &project_with(FFFD, FFFD));
    let mut pictures = Vec::new();
    for (name, project) in [("hostile", &hostile), ("replaced", &replaced)] {
        let out = dir.path().join(format!("{name}.png"));
        let out_arg = out.display().to_string();
        let args = [
            "export", "chart", "--kind", "heatmap", "--out", &out_arg, project,
        ];
        assert_success(&run_keeping(project, &args));
        let bytes = std::fs::read(&out).unwrap();
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(&bytes).unwrap();
        assert_eq!((pixmap.width(), pixmap.height()), (1920, 1080));
        pictures.push(pixmap.take());
    }
    assert!(
        pictures[0] == pictures[1],
        "U+FFFD is drawn where U+0007 was"
    );
}

#[test]
fn xlsx_of_hostile_names_reads_back_with_the_replacement_character() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hostile.ron", &hostile_project());
    let out = dir.path().join("hostile.xlsx");
    let out_arg = out.display().to_string();
    assert_success(&run_keeping(
        &path,
        &["export", "xlsx", "--out", &out_arg, &path],
    ));
    let bytes = std::fs::read(&out).unwrap();
    let parts = checked_xlsx_parts(&bytes);
    for (name, text) in &parts {
        assert!(!has_control(text), "{name} holds a control character");
        assert!(
            !text.contains("_x0007_"),
            "{name} escapes rather than replaces"
        );
    }
    let framework_sheet = format!("Key{FFFD}elements");
    let mut workbook = open_xlsx(&bytes);
    assert_eq!(
        workbook.sheet_names(),
        [
            framework_sheet.as_str(),
            "UNGGE 2015 norms",
            "All cells",
            "Evidence"
        ]
    );
    let grid = workbook.worksheet_range(&framework_sheet).unwrap();
    let header: Vec<String> = grid
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        header.contains(&format!("Specified{FFFD} CBMs")),
        "{header:?}"
    );
    let short = format!("MAN{FFFD}RS");
    let (_, row) = all_cells_row(&mut workbook, &short, &format!("Specified{FFFD} CBMs"));
    assert_eq!(
        row[2..7],
        [
            framework_sheet.clone(),
            "Indirect".to_owned(),
            format!("ring{FFFD}bell"),
            format!("escape{FFFD}d"),
            format!("Art.{FFFD}5")
        ]
    );
    let comments = sheet_comments(&parts, &framework_sheet);
    let manrs_row = grid
        .rows()
        .position(|r| r[0] == Data::String(short.clone()))
        .unwrap();
    let cbms_col = header.iter().position(|h| h.contains("CBMs")).unwrap();
    let cell = rust_xlsxwriter::utility::row_col_to_cell(
        u32::try_from(manrs_row).unwrap(),
        u16::try_from(cbms_col).unwrap(),
    );
    let comment = &comments[&cell];
    assert!(
        comment.contains(&format!("ring{FFFD}bell\n“escape{FFFD}d” (Art.{FFFD}5)")),
        "{comment:?}"
    );
}

#[test]
fn html_report_of_hostile_names_parses_with_the_replacement_character() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hostile.ron", &hostile_project());
    let out = dir.path().join("report.html");
    let out_arg = out.display().to_string();
    assert_success(&run_keeping(
        &path,
        &["export", "html", "--out", &out_arg, &path],
    ));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(!has_control(&html));
    // The report is polyglot HTML: well-formed XML, so an XML parser reads all of it.
    let document = parse_xml(&html);
    assert_eq!(document.root_element().tag_name().name(), "html");
    let text = xml_text(&document);
    for expected in [
        format!("Hostile{FFFD} title"),
        format!("Mutually Agreed{FFFD} Norms"),
        format!("ring{FFFD}bell"),
        format!("“escape{FFFD}d”"),
        format!("(Art.{FFFD}5)"),
        format!("Key{FFFD}elements"),
        format!("MAN{FFFD}RS"),
    ] {
        assert!(text.contains(&expected), "no `{expected}` in the report");
    }
}

#[test]
fn csv_of_hostile_names_parses_with_the_replacement_character() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hostile.ron", &hostile_project());
    for layout in ["long", "wide"] {
        let out = dir.path().join(format!("{layout}.csv"));
        let out_arg = out.display().to_string();
        let args = [
            "export", "csv", "--layout", layout, "--out", &out_arg, &path,
        ];
        assert_success(&run_keeping(&path, &args));
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(!has_control(&text), "{layout}");
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headers = reader.headers().unwrap().clone();
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let row = records
            .iter()
            .find(|r| r[0] == format!("MAN{FFFD}RS"))
            .unwrap();
        if layout == "long" {
            let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
            let cbms = records
                .iter()
                .find(|r| {
                    r[col("agreement")] == format!("MAN{FFFD}RS")
                        && r[col("element")] == format!("Specified{FFFD} CBMs")
                })
                .unwrap();
            assert_eq!(&cbms[col("framework")], format!("Key{FFFD}elements"));
            assert_eq!(&cbms[col("note")], format!("ring{FFFD}bell"));
            assert_eq!(&cbms[col("quote")], format!("escape{FFFD}d"));
            assert_eq!(&cbms[col("locator")], format!("Art.{FFFD}5"));
        } else {
            let column = headers
                .iter()
                .position(|h| h == format!("Specified{FFFD} CBMs"))
                .unwrap();
            assert_eq!(&row[column], "Indirect");
        }
    }
}

#[test]
fn sheet_names_excel_refuses_are_made_legal_and_unique() {
    let mut project = sample();
    let long = "Cybersecurity norms of the United Nations GGE";
    let names = [
        "a[b]c:d*e?f/g\\h",
        "'Quoted'",
        "quoted",
        long,
        long,
        "",
        "All cells",
        "History",
        "'",
    ];
    for (n, name) in names.iter().enumerate() {
        project.frameworks.push(Framework {
            id: FrameworkId::new(format!("extra-{n}")),
            name: (*name).to_owned(),
            description: String::new(),
            elements: Vec::new(),
        });
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "names.ron", &project);
    let out = dir.path().join("names.xlsx");
    let out_arg = out.display().to_string();
    assert_success(&run_keeping(
        &path,
        &["export", "xlsx", "--out", &out_arg, &path],
    ));
    let bytes = std::fs::read(&out).unwrap();
    let parts = checked_xlsx_parts(&bytes);
    let expected = [
        "BPF 2019 key elements",
        "UNGGE 2015 norms",
        "a(b)c-def-g-h",
        "Quoted",
        "quoted (2)",
        "Cybersecurity norms of the Unit",
        "Cybersecurity norms of the (2)",
        "Sheet",
        "All cells (2)",
        "History (2)",
        "Sheet (2)",
        "All cells",
        "Evidence",
    ];
    let workbook_xml = parse_xml(&parts["xl/workbook.xml"]);
    let raw_names: Vec<&str> = workbook_xml
        .descendants()
        .filter(|n| n.has_tag_name("sheet"))
        .filter_map(|n| n.attribute("name"))
        .collect();
    assert_eq!(raw_names, expected);
    for name in expected {
        assert!(name.chars().count() <= 31, "{name}");
        rust_xlsxwriter::utility::check_sheet_name(name).unwrap();
    }
    let mut workbook = open_xlsx(&bytes);
    assert_eq!(workbook.sheet_names(), expected);
    // The filter of the summary sheet points at the sheet by its (kept) name.
    assert!(
        workbook_xml
            .descendants()
            .filter(|n| n.has_tag_name("definedName"))
            .any(|n| n.text().is_some_and(|t| t.starts_with("'All cells'!"))),
        "{}",
        parts["xl/workbook.xml"]
    );
    let all = workbook.worksheet_range("All cells").unwrap();
    assert_eq!(all.get_size().0, 1 + 20 * 21);
}

/// A note of `length` characters whose every position is recognisable.
fn long_note(length: usize) -> String {
    (0..length)
        .map(|i| char::from(b'a' + u8::try_from(i % 26).unwrap()))
        .collect()
}

#[test]
fn notes_longer_than_a_cell_or_comment_are_kept_whole() {
    const MARKER: &str = "… (continued in comment)";
    let dir = tempfile::tempdir().unwrap();
    for length in [32_713, 32_714, 32_767, 40_000, 70_000] {
        let note = long_note(length);
        let project =
            common::with_cell(&sample(), MANRS, CBMS, Assessment::Yes, Some(&note), "ana");
        let path = write(dir.path(), &format!("long-{length}.ron"), &project);
        let out = dir.path().join(format!("long-{length}.xlsx"));
        let out_arg = out.display().to_string();
        assert_success(&run_keeping(
            &path,
            &["export", "xlsx", "--out", &out_arg, &path],
        ));
        let bytes = std::fs::read(&out).unwrap();
        let parts = checked_xlsx_parts(&bytes);
        let mut workbook = open_xlsx(&bytes);

        // "All cells": the whole note, in the cell and, past 32,767, on in its comment.
        let (row, cells) = all_cells_row(&mut workbook, "MANRS", "Specified CBMs");
        let note_cell = rust_xlsxwriter::utility::row_col_to_cell(row, 4);
        let comments = sheet_comments(&parts, "All cells");
        assert!(cells[4].chars().count() <= 32_767, "{length}");
        if length <= 32_767 {
            assert_eq!(cells[4], note, "{length}: the cell holds it all");
            assert!(!comments.contains_key(&note_cell));
        } else {
            let head = cells[4]
                .strip_suffix(MARKER)
                .expect("the cell says it continues");
            let rest = &comments[&note_cell];
            if length <= 32_767 + 32_713 - MARKER.chars().count() {
                assert_eq!(format!("{head}{rest}"), note, "{length}: nothing is lost");
            } else {
                let (kept, cut) = rest.split_once("… (cut: ").unwrap();
                assert!(note.starts_with(&format!("{head}{kept}")));
                let left_out = length - head.chars().count() - kept.chars().count();
                assert_eq!(
                    cut,
                    format!("{left_out} more characters are only in the project file)")
                );
            }
        }

        // The framework sheet: the note as the cell's comment, cut past what a comment holds.
        let comments = sheet_comments(&parts, "BPF 2019 key elements");
        let grid = workbook.worksheet_range("BPF 2019 key elements").unwrap();
        let manrs_row = grid
            .rows()
            .position(|r| r[0] == Data::String("MANRS".to_owned()))
            .unwrap();
        let cbms_col = grid
            .rows()
            .next()
            .unwrap()
            .iter()
            .position(|h| *h == Data::String("Specified CBMs".to_owned()))
            .unwrap();
        let cell = rust_xlsxwriter::utility::row_col_to_cell(
            u32::try_from(manrs_row).unwrap(),
            u16::try_from(cbms_col).unwrap(),
        );
        let comment = comments[&cell]
            .strip_prefix("normgrid:")
            .unwrap()
            .trim_start();
        if length <= 32_713 {
            assert_eq!(comment, note, "{length}: the comment holds it all");
        } else {
            let (kept, cut) = comment.split_once("… (cut: ").unwrap();
            assert!(note.starts_with(kept));
            assert_eq!(
                cut,
                format!(
                    "{} more characters are in the “All cells” sheet)",
                    length - kept.chars().count()
                )
            );
        }
    }
}

#[test]
fn extreme_chart_sizes_are_refused_before_drawing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.ron");
    std::fs::write(&path, normgrid::sample::BPF_2019_RON).unwrap();
    let path = path.display().to_string();
    for (size, scale, file, limit) in [
        ("10000x10000", "8", "big.png", "100 megapixels"),
        ("16384x16384", "1", "big.png", "100 megapixels"),
        ("slide", "inf", "inf.png", "scale `inf`"),
        ("slide", "inf", "inf.svg", "scale `inf`"),
        ("slide", "0", "zero.png", "scale `0`"),
        ("slide", "-1", "negative.png", "scale `-1`"),
        ("slide", "nan", "nan.png", "scale `NaN`"),
        ("slide", "9", "nine.png", "from 0.25 to 8"),
        ("0x0", "1", "empty.svg", "400 to 16384"),
        ("0x0", "1", "empty.png", "400 to 16384"),
        ("100000x10", "1", "wide.svg", "400 to 16384"),
        ("16385x1000", "1", "wide.png", "400 to 16384"),
        ("99999999999999999999x10", "1", "huge.svg", "unknown size"),
    ] {
        let out = dir.path().join(file);
        let out_arg = out.display().to_string();
        let args = [
            "export", "chart", "--kind", "heatmap", "--size", size, "--scale", scale, "--out",
            &out_arg, &path,
        ];
        let output = run_keeping(&path, &args);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{size} × {scale}: {message}");
        assert!(message.contains(limit), "{size} × {scale}: {message}");
        assert!(!out.exists(), "{size} × {scale}: nothing is written");
    }
    // The limits themselves are fine: a large SVG is only numbers.
    let out = dir.path().join("large.svg");
    let out_arg = out.display().to_string();
    let args = [
        "export",
        "chart",
        "--kind",
        "heatmap",
        "--size",
        "16384x400",
        "--scale",
        "8",
        "--out",
        &out_arg,
        &path,
    ];
    assert_success(&run_keeping(&path, &args));
    let svg = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        parse_xml(&svg).root_element().attribute("width"),
        Some("16384")
    );
}

#[test]
fn the_library_refuses_oversized_pngs_whoever_asks() {
    use normgrid::charts::png::{svg_to_png, svg_to_rgba};
    use normgrid::charts::{ChartKind, ChartSize, ChartSpec, build_chart, svg::chart_to_svg};
    let mut spec = ChartSpec::new(ChartKind::Prevalence);
    spec.size = ChartSize {
        width: 10_000,
        height: 10_000,
    };
    let chart = build_chart(&sample(), &spec).unwrap();
    let svg = chart_to_svg(&chart);
    parse_xml(&svg);
    for scale in [8.0, f32::INFINITY, f32::NAN, 0.0, -1.0] {
        let error = svg_to_png(&svg, scale).unwrap_err().to_string();
        assert!(
            error.contains("scale") || error.contains("megapixels"),
            "{scale}: {error}"
        );
        assert!(svg_to_rgba(&svg, scale).is_err());
    }
    assert_eq!(
        svg_to_png(&svg, 0.000_01).unwrap_err().to_string(),
        "a PNG of 0×0 pixels would be empty: use a larger scale"
    );
    // A screen preview smaller than the chart is still drawn.
    let (width, height, pixels) = svg_to_rgba(&svg, 0.05).unwrap();
    assert_eq!((width, height), (500, 500));
    assert_eq!(pixels.len(), 500 * 500 * 4);
    assert!(ChartSize::parse("0x0").is_err());
    assert!(ChartSize::parse("16384x16384").is_ok());
    assert_eq!(
        ChartSize::parse("100000x10").unwrap_err().to_string(),
        "a chart of 100000×10 pixels is out of range: the width must be 400 to 16384 and the height 300 to 16384 pixels"
    );
    let path = Path::new("chart.png");
    let mut huge = chart.clone();
    huge.size = ChartSize {
        width: 0,
        height: 0,
    };
    assert!(normgrid::charts::chart_file_bytes(&huge, path, 1.0).is_err());
}

#[test]
fn chart_descriptions_carry_the_replacement_character_for_screen_and_file_alike() {
    use normgrid::charts::{ChartBody, ChartKind, ChartSpec, build_chart};
    let chart = build_chart(&hostile_project(), &ChartSpec::new(ChartKind::Heatmap)).unwrap();
    assert_eq!(
        chart.source,
        format!("Source: Hostile{FFFD} title, as of 31 December 2019. Chart made with normgrid.")
    );
    let ChartBody::Heatmap { columns, rows } = &chart.body else {
        panic!("heatmap")
    };
    let manrs = rows
        .iter()
        .find(|r| r.short_name == format!("MAN{FFFD}RS"))
        .unwrap();
    assert_eq!(manrs.full_name, format!("Mutually Agreed{FFFD} Norms"));
    let cbms = columns
        .iter()
        .find(|c| c.label == format!("Specified{FFFD} CBMs"))
        .unwrap();
    assert_eq!(cbms.framework, format!("Key{FFFD}elements"));
}

#[test]
fn text_that_looks_like_an_excel_escape_stays_text() {
    let note = "literal _x0007_ and _x0041_, half _x00 and _x005F_";
    let project = common::with_cell(&sample(), MANRS, CBMS, Assessment::No, Some(note), "ana");
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "escapes.ron", &project);
    let out = dir.path().join("escapes.xlsx");
    let out_arg = out.display().to_string();
    assert_success(&run_keeping(
        &path,
        &["export", "xlsx", "--out", &out_arg, &path],
    ));
    let bytes = std::fs::read(&out).unwrap();
    checked_xlsx_parts(&bytes);
    let mut workbook = open_xlsx(&bytes);
    let (_, cells) = all_cells_row(&mut workbook, "MANRS", "Specified CBMs");
    assert_eq!(
        cells[4], note,
        "readers decode _xHHHH_; rust_xlsxwriter must keep literals as text"
    );
}

#[test]
fn markup_in_names_and_notes_is_text_in_the_svg_chart_and_the_html_report() {
    let short_name = r#"<MANRS & "co">"#;
    let note = "</td><script>alert('x')</script> a < b && c > d";
    let mut project = sample();
    let manrs = project
        .agreements
        .iter_mut()
        .find(|a| a.id.as_str() == MANRS)
        .unwrap();
    manrs.short_name = short_name.to_owned();
    project.cells.set(
        &AgreementId::new(MANRS),
        &ElementId::new(CBMS),
        Cell {
            note: note.to_owned(),
            ..Cell::with_assessment(Assessment::Yes)
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "markup.ron", &project);
    let svg_out = dir.path().join("heatmap.svg").display().to_string();
    let html_out = dir.path().join("report.html").display().to_string();
    assert_success(&run_keeping(
        &path,
        &[
            "export", "chart", "--kind", "heatmap", "--out", &svg_out, &path,
        ],
    ));
    assert_success(&run_keeping(
        &path,
        &["export", "html", "--out", &html_out, &path],
    ));
    for (out, expected) in [
        (&svg_out, vec![short_name]),
        (&html_out, vec![short_name, note]),
    ] {
        let text = std::fs::read_to_string(out).unwrap();
        let document = parse_xml(&text);
        assert!(
            !document.descendants().any(|n| n.has_tag_name("script")),
            "{out}: a note became an element"
        );
        let all_text = xml_text(&document);
        for expected in expected {
            assert!(
                all_text.contains(expected),
                "{out}: no `{expected}` as text"
            );
        }
    }
}

#[test]
fn html_report_marks_each_quotes_state_and_lists_sources_with_safe_links() {
    let mut project = sample();
    let mut hostile = project.sources[0].clone();
    hostile.id = normgrid::model::SourceId::new("hostile");
    hostile.title = "<script>alert(1)</script> & \"friends\"".to_owned();
    hostile.url = "javascript:alert(1)".to_owned();
    hostile.retrieved = chrono::NaiveDate::from_ymd_opt(2026, 11, 2);
    hostile.pages = vec![0, 100];
    project.sources.push(hostile);
    // One quote changed so the report no longer holds it, one that is nowhere in it.
    let (a, e) = (AgreementId::new(MANRS), ElementId::new(CBMS));
    let mut cell = project.cell(&a, &e);
    let mut missing = Excerpt::unsourced(
        ExcerptId::new("nowhere"),
        "Words the report never printed anywhere at all",
        "p. 99",
    );
    missing.source = Some(project.sources[0].id.clone());
    cell.evidence.push(missing);
    project.cells.set(&a, &e, cell);

    let html = normgrid::export::html_report::project_to_html(&project);
    let document = parse_xml(&html);
    let marks: Vec<String> = document
        .descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.starts_with("state "))
        })
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(marks.iter().filter(|m| *m == "✓ verified").count(), 38);
    assert_eq!(
        marks
            .iter()
            .filter(|m| m.starts_with('✗'))
            .collect::<Vec<_>>(),
        ["✗ missing from the source"]
    );
    // Every quote is a blockquote; a locator alone has no empty quotation marks.
    let quotes = document
        .descendants()
        .filter(|n| n.has_tag_name("blockquote"))
        .count();
    assert_eq!(quotes, 49 + 1);
    assert!(!html.contains("<blockquote>“”"));

    let table = document
        .descendants()
        .find(|n| n.has_tag_name("table") && n.attribute("class") == Some("sources"))
        .unwrap();
    let rows: Vec<Vec<String>> = table
        .children()
        .filter(|n| n.has_tag_name("tr"))
        .skip(1)
        .map(|tr| {
            tr.children()
                .filter(|n| n.has_tag_name("td"))
                .map(|td| {
                    td.descendants()
                        .filter(|n| n.is_text())
                        .filter_map(|n| n.text())
                        .collect::<String>()
                })
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[1][0], "<script>alert(1)</script> & \"friends\"",
        "title is text"
    );
    assert_eq!(rows[1][1], "TXT");
    assert_eq!(rows[1][2], "2");
    assert_eq!(rows[1][3], "2 November 2026");
    assert_eq!(rows[1][5], "javascript:alert(1)");
    let links: Vec<&str> = table
        .descendants()
        .filter_map(|n| n.attribute("href"))
        .collect();
    assert!(links.iter().all(|l| l.starts_with("http")), "{links:?}");
    assert!(!html.contains("<script>"));
}
