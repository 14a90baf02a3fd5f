//! REFI-QDA export: the sample through the built binary, validated against the REFI-QDA schema
//! with xmllint, read back with roxmltree and the zip crate, the way QDA tools read it.

use normgrid::export::qdpx::{project_qde, project_to_qdpx};
use normgrid::model::{
    AgreementId, Assessment, Cell, ElementId, Excerpt, ExcerptId, Note, NoteId, NoteKind,
    NoteTarget, Project, Source, SourceId, SourceKind,
};
use normgrid::sources::evidence::{excerpt_from_range, outline_of};
use normgrid::sources::{NormalizeOptions, normalize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use crate::common;

const NS: &str = "urn:QDA-XML:project:1.0";
const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/refi-qda/Project.xsd"
);

/// Validates `project.qde` against the REFI-QDA schema with xmllint.
fn validate(qde: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("project.qde");
    std::fs::write(&path, qde).unwrap();
    let output = std::process::Command::new("xmllint")
        .args(["--noout", "--schema", SCHEMA])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| {
            panic!("xmllint did not run ({e}): install libxml2-utils (.ci/run does)")
        });
    assert!(
        output.status.success(),
        "project.qde does not validate:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The zip's entries by name.
fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut entries = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        entries.insert(file.name().unwrap().into_owned(), content);
    }
    entries
}

fn elements<'a>(
    document: &'a roxmltree::Document<'a>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'a>> + 'a {
    document
        .descendants()
        .filter(move |n| n.tag_name().name() == name && n.tag_name().namespace() == Some(NS))
}

fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.children()
        .find(|c| c.tag_name().name() == name)
        .and_then(|c| c.text())
}

fn export_with_the_binary(project: &Project) -> (Vec<u8>, String) {
    let dir = tempfile::tempdir().unwrap();
    let input = common::write(dir.path(), "project.ron", project);
    let out = dir.path().join("project.qdpx");
    let output = common::normgrid(&[
        "export",
        "qdpx",
        "--out",
        &out.display().to_string(),
        &input,
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (std::fs::read(&out).unwrap(), common::stdout(&output))
}

fn whitespace_collapsed(text: &str) -> String {
    normalize(text, NormalizeOptions::default())
        .text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_sample_validates_and_reads_back_as_cases_codes_sources_and_coded_quotes() {
    let project = common::sample();
    let (bytes, stdout) = export_with_the_binary(&project);
    let entries = unzip(&bytes);
    let qde = &entries["project.qde"];
    validate(qde);
    let text = std::str::from_utf8(qde).unwrap();
    let document = roxmltree::Document::parse(text).unwrap();

    // One case per agreement, coded with its assessments.
    let cases: Vec<_> = elements(&document, "Case").collect();
    assert_eq!(cases.len(), project.agreements.len());
    assert!(
        stdout.contains(&format!("{} cases", project.agreements.len())),
        "{stdout}"
    );
    let codes: BTreeMap<&str, &str> = elements(&document, "Code")
        .map(|c| (c.attribute("guid").unwrap(), c.attribute("name").unwrap()))
        .collect();
    for (case, agreement) in cases.iter().zip(&project.agreements) {
        assert_eq!(case.attribute("name"), Some(agreement.name.as_str()));
        let coded: Vec<&str> = case
            .children()
            .filter(|c| c.tag_name().name() == "CodeRef")
            .map(|c| codes[c.attribute("targetGUID").unwrap()])
            .collect();
        let assessed: Vec<String> = project
            .elements()
            .filter_map(|(_, e)| {
                let value = project.assessment(&agreement.id, &e.id);
                let short = if e.label.is_empty() {
                    &e.name
                } else {
                    &e.label
                };
                (value != Assessment::NotAssessed).then(|| format!("{short}: {}", value.label()))
            })
            .collect();
        assert_eq!(coded, assessed, "{}", agreement.id);
    }
    // A code per framework, per element, and per value under each element.
    let elements_count = project.elements().count();
    assert_eq!(
        codes.len(),
        project.frameworks.len() + elements_count * 4,
        "{codes:?}"
    );
    assert!(
        codes.values().any(|n| n.starts_with("(j) ")),
        "norms keep their letters: {codes:?}"
    );

    // Each source's text is in the zip, byte for byte, where its TextSource says.
    let sources: Vec<_> = elements(&document, "TextSource").collect();
    assert_eq!(sources.len(), project.sources.len());
    for (node, source) in sources.iter().zip(&project.sources) {
        let path = node.attribute("plainTextPath").unwrap();
        let file = path.strip_prefix("internal://").unwrap();
        assert_eq!(
            entries[&format!("Sources/{file}")],
            source.text.as_bytes(),
            "{}",
            source.id
        );
        assert_eq!(file, format!("{}.txt", node.attribute("guid").unwrap()));
    }

    // Each selection's character range is its quote: exactly, or in the source's own spacing
    // and quote marks when the quote was matched after normalising.
    let mut quotes: BTreeMap<&str, Vec<&Excerpt>> = BTreeMap::new();
    for (_, _, cell) in project.cells.iter() {
        for excerpt in &cell.evidence {
            if let Some(source) = &excerpt.source {
                quotes.entry(source.as_str()).or_default().push(excerpt);
            }
        }
    }
    let mut exact = 0;
    let mut selections = 0;
    for (node, source) in sources.iter().zip(&project.sources) {
        let chars: Vec<char> = source.text.chars().collect();
        for selection in node
            .children()
            .filter(|c| c.tag_name().name() == "PlainTextSelection")
        {
            selections += 1;
            let start: usize = selection
                .attribute("startPosition")
                .unwrap()
                .parse()
                .unwrap();
            let end: usize = selection.attribute("endPosition").unwrap().parse().unwrap();
            let found: String = chars[start..end].iter().collect();
            let name = selection.attribute("name").unwrap();
            let candidates: Vec<&&Excerpt> = quotes[source.id.as_str()]
                .iter()
                .filter(|e| {
                    e.locator == name
                        || (e.locator.is_empty()
                            && whitespace_collapsed(&e.exact)
                                .starts_with(&whitespace_collapsed(name.trim_end_matches(" …"))))
                })
                .collect();
            assert!(
                !candidates.is_empty(),
                "a selection is named by its locator or first words: {name:?}"
            );
            if candidates.iter().any(|e| e.exact == found) {
                exact += 1;
            } else {
                assert!(
                    candidates
                        .iter()
                        .any(|e| whitespace_collapsed(&e.exact) == whitespace_collapsed(&found)),
                    "selection {start}..{end} is {found:?}"
                );
            }
            let coding = selection
                .children()
                .find(|c| c.tag_name().name() == "Coding")
                .unwrap();
            let code = coding.first_element_child().unwrap();
            assert!(codes.contains_key(code.attribute("targetGUID").unwrap()));
        }
    }
    let counts = normgrid::cli::check_excerpts(&project).1;
    assert_eq!(
        selections,
        counts.verified + counts.relocated,
        "every proven quote is a selection"
    );
    assert_eq!(
        exact,
        counts.verified + counts.relocated - counts.normalized
    );
    assert!(
        stdout.contains(&format!("{selections} coded quotes")),
        "{stdout}"
    );

    // Every reference points at something in the file.
    let guids: BTreeSet<&str> = document
        .descendants()
        .filter_map(|n| n.attribute("guid"))
        .collect();
    for node in document.descendants() {
        for attribute in ["targetGUID", "originGUID", "creatingUser"] {
            if let Some(target) = node.attribute(attribute) {
                assert!(
                    guids.contains(target),
                    "{} {attribute}={target}",
                    node.tag_name().name()
                );
            }
        }
    }
    assert_eq!(
        guids.len(),
        document
            .descendants()
            .filter(|n| n.attribute("guid").is_some())
            .count(),
        "GUIDs are unique"
    );
}

#[test]
fn a_re_export_is_the_same_project_and_a_rename_keeps_the_guids() {
    let project = common::sample();
    let first = project_to_qdpx(&project).unwrap();
    let second = project_to_qdpx(&project).unwrap();
    assert_eq!(
        unzip(&first.bytes)["project.qde"],
        unzip(&second.bytes)["project.qde"]
    );
    assert_eq!(
        first.bytes, second.bytes,
        "the whole zip, time stamps included"
    );

    let mut renamed = project.clone();
    renamed.agreements[0].name = "A new name".to_owned();
    let before = String::from_utf8(project_qde(&project).unwrap()).unwrap();
    let after = String::from_utf8(project_qde(&renamed).unwrap()).unwrap();
    let case_guid = |xml: &str| {
        let document = roxmltree::Document::parse(xml).unwrap();
        elements(&document, "Case")
            .next()
            .unwrap()
            .attribute("guid")
            .unwrap()
            .to_owned()
    };
    assert_ne!(before, after);
    assert_eq!(case_guid(&before), case_guid(&after));
}

/// A project with one agreement whose source is not ASCII: accents, a dash, guillemets and
/// CJK, so byte and character offsets differ.
fn non_ascii_project() -> (Project, String) {
    let mut project = Project::new(
        "Essai",
        chrono::NaiveDate::from_ymd_opt(2019, 12, 1).unwrap(),
    );
    let agreement = AgreementId::new("appel");
    project.agreements.push(normgrid::model::Agreement::new(
        agreement.clone(),
        "Appel de Paris",
        "Appel",
    ));
    let text = "Préambule — « Les États » 日本語の文。\n\nArt. 2\n\nLes États coopèrent « de bonne foi » — toujours.\n";
    let source = Source {
        id: SourceId::new("appel-texte"),
        agreement: Some(agreement.clone()),
        title: "Appel (texte)".to_owned(),
        file_name: "appel.txt".to_owned(),
        kind: SourceKind::Text,
        url: String::new(),
        retrieved: None,
        sha256: String::new(),
        pages: Vec::new(),
        text: text.to_owned(),
    };
    let quote = "coopèrent « de bonne foi »";
    let start = text.find(quote).unwrap();
    let excerpt = excerpt_from_range(
        &source,
        &outline_of(&source),
        start..start + quote.len(),
        &[],
    );
    assert_eq!(excerpt.exact, quote);
    project.sources.push(source);
    let element = project.frameworks[1].elements[0].id.clone();
    project.cells.set(
        &agreement,
        &element,
        Cell {
            assessment: Assessment::Yes,
            evidence: vec![excerpt],
            ..Cell::default()
        },
    );
    (project, quote.to_owned())
}

#[test]
fn positions_count_characters_not_bytes() {
    let (project, quote) = non_ascii_project();
    let (bytes, _) = export_with_the_binary(&project);
    let entries = unzip(&bytes);
    validate(&entries["project.qde"]);
    let document =
        roxmltree::Document::parse(std::str::from_utf8(&entries["project.qde"]).unwrap()).unwrap();
    let selection = elements(&document, "PlainTextSelection").next().unwrap();
    let start: usize = selection
        .attribute("startPosition")
        .unwrap()
        .parse()
        .unwrap();
    let end: usize = selection.attribute("endPosition").unwrap().parse().unwrap();
    let text = &project.sources[0].text;
    let byte_start = text.find(&quote).unwrap();
    assert_ne!(start, byte_start, "the text before the quote is not ASCII");
    assert_eq!(start, text[..byte_start].chars().count());
    let found: String = text.chars().skip(start).take(end - start).collect();
    assert_eq!(found, quote);
}

#[test]
fn hostile_strings_survive_as_text_and_control_characters_are_replaced() {
    let (mut project, _) = non_ascii_project();
    let hostile = "a < b && c ]]> </Project> \"q\" 'a' line\r\nbreak\ttab";
    project.title = format!("Title {hostile}");
    project.agreements[0].name = format!("Name {hostile}");
    project.agreements[0].summary = format!("Summary {hostile}");
    let agreement = project.agreements[0].id.clone();
    project.notes.push(Note {
        id: NoteId::new("n1"),
        target: NoteTarget::Agreement(agreement.clone()),
        author: "Zoë <reviewer>".to_owned(),
        date: chrono::NaiveDate::from_ymd_opt(2020, 1, 2).unwrap(),
        text: format!("Note {hostile} bell\u{7} escape\u{1b} nul\u{0}"),
        kind: NoteKind::Review,
    });
    let qde = project_qde(&project).unwrap();
    validate(&qde);
    let document = roxmltree::Document::parse(std::str::from_utf8(&qde).unwrap()).unwrap();
    let root = document.root_element();
    assert_eq!(root.attribute("name"), Some(project.title.as_str()));
    let case = elements(&document, "Case").next().unwrap();
    assert_eq!(
        case.attribute("name"),
        Some(project.agreements[0].name.as_str())
    );
    assert!(
        child_text(case, "Description").unwrap().contains(hostile),
        "markup, quotes, \\r\\n and tabs come back as they were"
    );
    let note = elements(&document, "Note")
        .find(|n| {
            n.attribute("name")
                .unwrap()
                .starts_with("Review comment by Zoë <reviewer>")
        })
        .unwrap();
    assert_eq!(
        child_text(note, "PlainTextContent"),
        Some(format!("Note {hostile} bell\u{FFFD} escape\u{FFFD} nul\u{FFFD}").as_str())
    );
    // The note hangs on its case through a Link.
    let link = elements(&document, "Link")
        .find(|l| l.attribute("targetGUID") == note.attribute("guid"))
        .unwrap();
    assert_eq!(link.attribute("originGUID"), case.attribute("guid"));
}

#[test]
fn a_project_without_sources_validates_and_its_quotes_become_notes_on_the_case() {
    let mut project = Project::new(
        "No sources",
        chrono::NaiveDate::from_ymd_opt(2019, 12, 1).unwrap(),
    );
    let agreement = AgreementId::new("budapest");
    project.agreements.push(normgrid::model::Agreement::new(
        agreement.clone(),
        "Budapest Convention",
        "Budapest",
    ));
    let element = ElementId::new(project.frameworks[0].elements[0].id.as_str());
    let mut typed = Excerpt::unsourced(ExcerptId::new("typed"), "Each Party shall adopt", "Art. 2");
    typed.added_by = "Ana".to_owned();
    let mut lost = Excerpt::unsourced(ExcerptId::new("lost"), "A quote from a gone source", "");
    lost.source = Some(SourceId::new("gone"));
    project.cells.set(
        &agreement,
        &element,
        Cell {
            assessment: Assessment::Indirect,
            evidence: vec![typed, lost],
            ..Cell::default()
        },
    );
    let (bytes, stdout) = export_with_the_binary(&project);
    let entries = unzip(&bytes);
    assert_eq!(entries.keys().collect::<Vec<_>>(), ["project.qde"]);
    validate(&entries["project.qde"]);
    assert!(
        stdout.contains("2 excerpts without a place in a source"),
        "{stdout}"
    );
    let document =
        roxmltree::Document::parse(std::str::from_utf8(&entries["project.qde"]).unwrap()).unwrap();
    assert_eq!(elements(&document, "TextSource").count(), 0);
    let case = elements(&document, "Case").next().unwrap();
    let quote_notes: Vec<_> = elements(&document, "Note")
        .filter(|n| {
            n.attribute("name")
                .unwrap()
                .starts_with("Quote for Budapest")
        })
        .collect();
    assert_eq!(quote_notes.len(), 2);
    for note in &quote_notes {
        assert!(
            elements(&document, "Link")
                .any(|l| l.attribute("targetGUID") == note.attribute("guid")
                    && l.attribute("originGUID") == case.attribute("guid"))
        );
    }
    assert!(
        child_text(quote_notes[0], "PlainTextContent")
            .unwrap()
            .starts_with("Each Party shall adopt")
    );
    let ana = elements(&document, "User")
        .find(|u| u.attribute("name") == Some("Ana"))
        .unwrap();
    assert_eq!(
        quote_notes[0].attribute("creatingUser"),
        ana.attribute("guid")
    );
}

#[test]
fn a_missing_output_folder_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::write(dir.path(), "p.ron", &common::sample());
    let out = dir.path().join("missing").join("p.qdpx");
    let output = common::normgrid(&[
        "export",
        "qdpx",
        "--out",
        &out.display().to_string(),
        &input,
    ]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("p.qdpx"));
    assert!(!Path::new(&out).exists());
}

#[test]
fn file_export_refi_qda_writes_a_valid_qdpx_of_the_open_project() {
    use common::gui::{click, harness, settle};
    use egui_kittest::kittest::Queryable;
    use normgrid::ui::actions::Action;
    use normgrid::ui::dialogs::Modal;
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("from-the-menu.qdpx");
    let mut harness = harness();
    click(&mut harness, "File");
    click(&mut harness, Action::ExportQdpx.label());
    // No desktop portal in tests: the app asks for a typed path instead of a system dialog.
    let started = Instant::now();
    while !matches!(harness.state().modal(), Some(Modal::TypePath { .. })) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no typed-path prompt appeared: {:?}",
            harness.state().modal()
        );
        std::thread::sleep(Duration::from_millis(20));
        settle(&mut harness);
    }
    let prompt = "No system file dialog is available here. Type the file's path:";
    let suggested = harness.get_by_label(prompt).value().unwrap_or_default();
    assert!(suggested.ends_with(".qdpx"), "{suggested}");
    harness.get_by_label(prompt).focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label(prompt)
        .type_text(&path.display().to_string());
    settle(&mut harness);
    click(&mut harness, "OK");
    settle(&mut harness);

    let toast = harness.state().toast().unwrap_or_default().to_owned();
    assert!(toast.contains("from-the-menu.qdpx"), "{toast:?}");
    let entries = unzip(&std::fs::read(&path).unwrap());
    validate(&entries["project.qde"]);
    let document =
        roxmltree::Document::parse(std::str::from_utf8(&entries["project.qde"]).unwrap()).unwrap();
    assert_eq!(
        elements(&document, "Case").count(),
        harness.state().project().agreements.len()
    );
}

#[test]
fn repeated_note_and_excerpt_ids_still_give_one_guid_per_item() {
    let (mut project, _) = non_ascii_project();
    let cell_key = project
        .cells
        .iter()
        .next()
        .map(|(a, e, _)| (a.clone(), e.clone()))
        .unwrap();
    let mut cell = project.cell(&cell_key.0, &cell_key.1);
    cell.evidence.push(cell.evidence[0].clone());
    project.cells.set(&cell_key.0, &cell_key.1, cell);
    let note = Note {
        id: NoteId::new("same"),
        target: NoteTarget::Project,
        author: "Ana".to_owned(),
        date: chrono::NaiveDate::from_ymd_opt(2020, 1, 2).unwrap(),
        text: "one".to_owned(),
        kind: NoteKind::Discussion,
    };
    project.notes.push(note.clone());
    project.notes.push(note);
    let qde = project_qde(&project).unwrap();
    validate(&qde);
    let document = roxmltree::Document::parse(std::str::from_utf8(&qde).unwrap()).unwrap();
    assert_eq!(elements(&document, "PlainTextSelection").count(), 2);
    let guids: Vec<&str> = document
        .descendants()
        .filter_map(|n| n.attribute("guid"))
        .collect();
    let distinct: BTreeSet<&str> = guids.iter().copied().collect();
    assert_eq!(distinct.len(), guids.len());
}
