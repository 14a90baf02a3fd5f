//! Format 1 → 2: a format-1 file's quote and locator become one excerpt without a source,
//! and nothing else changes. Tested on the sample as it was committed in format 1.

use normgrid::io::{load_project, parse_project, project_to_ron, save_project};
use normgrid::model::{AgreementId, ElementId, FORMAT_VERSION, Project};
use std::collections::BTreeMap;
use std::path::Path;

const FORMAT_1_SAMPLE: &str = "tests/fixtures/bpf-2019-format1.ron";

/// (quote, locator) of every format-1 cell, read with RON's generic value parser, not with
/// normgrid's own format-1 structs.
fn format_1_quotes(text: &str) -> BTreeMap<(String, String), (String, String)> {
    let value: ron::Value = ron::from_str(text).unwrap();
    let ron::Value::Map(top) = value else {
        panic!("a project is a struct")
    };
    let field = |map: &ron::Map, name: &str| -> Option<ron::Value> {
        map.iter()
            .find_map(|(k, v)| (k == &ron::Value::String(name.to_owned())).then(|| v.clone()))
    };
    let text_of = |v: Option<ron::Value>| match v {
        Some(ron::Value::String(s)) => s,
        _ => String::new(),
    };
    let Some(ron::Value::Map(cells)) = field(&top, "cells") else {
        panic!("cells")
    };
    let mut quotes = BTreeMap::new();
    for (agreement, row) in cells.iter() {
        let (ron::Value::String(agreement), ron::Value::Map(row)) = (agreement, row) else {
            panic!("rows")
        };
        for (element, cell) in row.iter() {
            let (ron::Value::String(element), ron::Value::Map(cell)) = (element, cell) else {
                panic!("cells")
            };
            let quote = text_of(field(cell, "quote"));
            let locator = text_of(field(cell, "locator"));
            if !quote.is_empty() || !locator.is_empty() {
                quotes.insert((agreement.clone(), element.clone()), (quote, locator));
            }
        }
    }
    quotes
}

#[test]
fn format_1_quotes_and_locators_become_one_excerpt_without_a_source_each() {
    let text = std::fs::read_to_string(FORMAT_1_SAMPLE).unwrap();
    assert!(text.contains("format_version: 1"));
    let expected = format_1_quotes(&text);
    assert!(expected.len() >= 30, "{} cells with quotes", expected.len());

    let project = load_project(Path::new(FORMAT_1_SAMPLE)).unwrap().project;
    assert_eq!(project.format_version, FORMAT_VERSION);
    assert_eq!(FORMAT_VERSION, 2);
    assert!(project.sources.is_empty());
    let mut migrated = BTreeMap::new();
    for (agreement, element, cell) in project.cells.iter() {
        match cell.evidence.as_slice() {
            [] => {}
            [only] => {
                assert_eq!(only.id.as_str(), "quote");
                assert_eq!(only.source, None);
                assert_eq!(only.position, None);
                migrated.insert(
                    (agreement.to_string(), element.to_string()),
                    (only.exact.clone(), only.locator.clone()),
                );
            }
            more => panic!("{agreement}/{element}: {} excerpts", more.len()),
        }
    }
    assert_eq!(migrated, expected);
}

#[test]
fn migration_keeps_everything_else_and_saves_as_format_2_that_reloads_identically() {
    let text = std::fs::read_to_string(FORMAT_1_SAMPLE).unwrap();
    let project = parse_project(&text, Path::new(FORMAT_1_SAMPLE))
        .unwrap()
        .project;
    // Everything outside the cells' quotes is as format 1 wrote it: compare with a format-1
    // file whose quotes were removed by hand, which format 2 reads directly.
    let without_quotes: String = text
        .lines()
        .map(|line| {
            let mut line = line.to_owned();
            for field in ["quote", "locator"] {
                while let Some(at) = line.find(&format!(", {field}: \"")) {
                    let rest = &line[at + field.len() + 5..];
                    let mut end = 0;
                    let mut escaped = false;
                    for (i, c) in rest.char_indices() {
                        if escaped {
                            escaped = false;
                        } else if c == '\\' {
                            escaped = true;
                        } else if c == '"' {
                            end = i;
                            break;
                        }
                    }
                    line.replace_range(at..at + field.len() + 5 + end + 1, "");
                }
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
        .replace(
            "format_version: 1,",
            "format_version: 2,\n    id: \"bpf-cybersecurity-2019-review-of\",",
        );
    let bare: Project = parse_project(&without_quotes, Path::new("bare.ron"))
        .unwrap()
        .project;
    let mut stripped = project.clone();
    let keys: Vec<(AgreementId, ElementId)> = stripped
        .cells
        .iter()
        .map(|(a, e, _)| (a.clone(), e.clone()))
        .collect();
    for (a, e) in keys {
        let mut cell = stripped.cell(&a, &e);
        cell.evidence.clear();
        stripped.cells.set(&a, &e, cell);
    }
    assert_eq!(stripped, bare);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("migrated.ron");
    save_project(&path, &project).unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.contains("format_version: 2"));
    assert!(
        !written.contains(" quote: \""),
        "no format-1 field is written"
    );
    assert_eq!(load_project(&path).unwrap().project, project);
    assert_eq!(project_to_ron(&project).unwrap(), written);
}

#[test]
fn a_format_2_file_with_a_format_1_quote_field_is_refused_with_its_line() {
    let text = "(format_version: 2, title: \"t\", as_of: \"2020-01-01\", cells: {\n\
                \"a\": {\"e\": (assessment: Yes, quote: \"x\")}})";
    let error = parse_project(text, Path::new("mixed.ron"))
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("mixed.ron:2:"), "{error}");
    assert!(error.contains("quote"), "{error}");
}

#[test]
fn the_committed_sample_differs_from_its_format_1_version_only_in_evidence() {
    let old = load_project(Path::new(FORMAT_1_SAMPLE)).unwrap().project;
    let new = normgrid::sample::bpf_2019().unwrap().project;
    assert_eq!(new.sources.len(), 1, "the report is attached");
    let mut new_without_evidence = new.clone();
    new_without_evidence.sources.clear();
    let mut old_without_evidence = old.clone();
    for project in [&mut new_without_evidence, &mut old_without_evidence] {
        let keys: Vec<(AgreementId, ElementId)> = project
            .cells
            .iter()
            .map(|(a, e, _)| (a.clone(), e.clone()))
            .collect();
        for (a, e) in keys {
            let mut cell = project.cell(&a, &e);
            cell.evidence.clear();
            project.cells.set(&a, &e, cell);
        }
    }
    assert_eq!(new_without_evidence, old_without_evidence);
    // Every format-1 quote is still there: linked whole, or split into the report's pieces
    // with the whole quote kept in the first piece's comment.
    for (agreement, element, cell) in old.cells.iter() {
        for excerpt in cell.evidence.iter().filter(|e| !e.exact.is_empty()) {
            let kept =
                new.cell(agreement, element).evidence.iter().any(|e| {
                    e.exact == excerpt.exact || e.comment.contains(excerpt.exact.as_str())
                });
            assert!(kept, "{agreement}/{element}: “{}” is kept", excerpt.exact);
        }
    }
}
