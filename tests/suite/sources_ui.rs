//! Sources in the GUI, driven like a person: attach a text through the typed-path dialog,
//! an unreadable file, replacing a source with a new version, the status bar's quote counts,
//! and the Element across agreements tab.

use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use normgrid::export::element_report::element_rows;
use normgrid::model::{AgreementId, ElementId, Excerpt, Project, Source, SourceId, SourceKind};
use normgrid::sources::evidence::{excerpt_from_range, outline_of};
use normgrid::ui::AppEvent;
use normgrid::ui::dialogs::Modal;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common;
use common::gui::{App, click, harness, send, settle};

fn paris() -> AgreementId {
    AgreementId::new("paris-call")
}

/// Waits for the file dialog to give up (no desktop portal in tests), then types `path`
/// into the prompt that stands in for it, as a person would.
fn answer_file_dialog(harness: &mut App, path: &Path) {
    let started = Instant::now();
    while !matches!(harness.state().modal(), Some(Modal::TypePath { .. })) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no typed-path prompt appeared: {:?}",
            harness.state().modal()
        );
        std::thread::sleep(Duration::from_millis(20));
        settle(harness);
    }
    harness
        .get_by_label("No system file dialog is available here. Type the file's path:")
        .type_text(&path.display().to_string());
    settle(harness);
    click(harness, "OK");
}

fn run_from_palette(harness: &mut App, query: &str) {
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::P);
    settle(harness);
    harness.get_by_label("Run command").type_text(query);
    settle(harness);
    harness.key_press(Key::Enter);
    settle(harness);
}

#[test]
fn a_text_attached_through_the_typed_path_dialog_is_listed_and_undo_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paris-call.txt");
    let text = "Paris Call for Trust and Security in Cyberspace\n\nWe affirm that international law applies online.\n";
    std::fs::write(&path, text).unwrap();
    let mut harness = harness();
    harness.state_mut().view_mut().select_agreement(paris());
    settle(&mut harness);
    let before = harness.state().project().sources.len();

    click(&mut harness, "File");
    click(&mut harness, "Attach source…");
    answer_file_dialog(&mut harness, &path);

    // The form asks about the file, prefilled: the selected agreement and the file name.
    harness.get_by_label_contains("paris-call.txt: TXT");
    assert_eq!(
        harness.get_by_label("Source title").value().as_deref(),
        Some("paris-call.txt")
    );
    harness.get_by_label("Source URL").focus();
    settle(&mut harness);
    harness
        .get_by_label("Source URL")
        .type_text("https://pariscall.international/en/call");
    settle(&mut harness);
    click(&mut harness, "Attach");

    let project = harness.state().project();
    assert_eq!(project.sources.len(), before + 1);
    let source = project.sources.last().unwrap();
    assert_eq!(source.title, "paris-call.txt");
    assert_eq!(source.agreement, Some(paris()));
    assert_eq!(source.file_name, "paris-call.txt");
    assert_eq!(source.url, "https://pariscall.international/en/call");
    assert_eq!(
        source.text,
        text.trim_end(),
        "extraction drops the last line break"
    );
    assert_eq!(source.retrieved, Some(chrono::Local::now().date_naive()));
    assert!(harness.state().has_unsaved_changes());

    // The Project window's source list shows it, with its details.
    click(&mut harness, "File");
    click(&mut harness, "Project info…");
    harness.get_by_label("paris-call.txt");
    harness.get_by_label_contains("Paris Call · TXT · no pages");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(harness.state().project().sources.len(), before);
    assert!(
        harness.query_by_label("paris-call.txt").is_none(),
        "Undo took the source out of the list"
    );
}

#[test]
fn an_unreadable_file_shows_why_and_attaches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-treaty.txt");
    let mut harness = harness();
    let before = harness.state().project().clone();
    send(&mut harness, AppEvent::AttachSourcePath(missing));
    match harness.state().modal() {
        Some(Modal::Error { title, message }) => {
            assert_eq!(title, "Nothing was attached");
            assert!(message.contains("no-such-treaty.txt"), "{message}");
        }
        other => panic!("expected an error, got {other:?}"),
    }
    harness.get_by_label("Nothing was attached");
    assert_eq!(harness.state().project(), &before);
    assert!(!harness.state().has_unsaved_changes());
    assert!(harness.query_by_label("Attach").is_none(), "no form opened");
}

const OLD_TEXT: &str = "Article 1. States shall respect human rights online and offline.\n\n\
Article 2. Parties will cooperate to prevent attacks on critical infrastructure.\n\n\
Article 3. Each party designates a national point of contact for incidents.\n";

/// The sample with a small source for the Paris Call and three quotes of it.
fn project_with_small_source() -> (Project, SourceId, Vec<Excerpt>) {
    let mut project = common::sample();
    let id = SourceId::new("paris-text");
    let source = Source {
        id: id.clone(),
        agreement: Some(paris()),
        title: "Paris Call text".to_owned(),
        file_name: "paris.txt".to_owned(),
        kind: SourceKind::Text,
        url: String::new(),
        retrieved: None,
        sha256: String::new(),
        pages: Vec::new(),
        text: OLD_TEXT.to_owned(),
    };
    let outline = outline_of(&source);
    let mut excerpts: Vec<Excerpt> = Vec::new();
    for quote in [
        "respect human rights online and offline",
        "cooperate to prevent attacks on critical infrastructure",
        "designates a national point of contact for incidents",
    ] {
        let start = OLD_TEXT.find(quote).unwrap();
        let excerpt = excerpt_from_range(&source, &outline, start..start + quote.len(), &excerpts);
        excerpts.push(excerpt);
    }
    let element = ElementId::new("ke-human-rights");
    let mut cell = project.cell(&paris(), &element);
    cell.evidence.extend(excerpts.iter().cloned());
    project.cells.set(&paris(), &element, cell);
    project.sources.push(source);
    (project, id, excerpts)
}

#[test]
fn replacing_a_source_shows_what_drifted_and_apply_and_undo_work() {
    let dir = tempfile::tempdir().unwrap();
    // Article 1 moved below, Article 2 reworded, Article 3 gone.
    let new_text = "Article 1. Parties will cooperate to prevent cyber attacks on critical infrastructure.\n\n\
Article 2. States shall respect human rights online and offline.\n\n\
Article 3. Reserved.";
    let new_path = dir.path().join("paris-2.txt");
    std::fs::write(&new_path, new_text).unwrap();
    let (project, id, excerpts) = project_with_small_source();
    let mut harness = harness();
    harness.state_mut().show_project(project.clone());
    settle(&mut harness);
    let source_text = |h: &App| h.state().project().source(&id).unwrap().text.clone();

    // From the palette, the window asks which source first (the selected agreement's).
    harness.state_mut().view_mut().select_agreement(paris());
    run_from_palette(&mut harness, "replace source");
    assert_eq!(
        harness.get_by_label("Source to replace").value().as_deref(),
        Some("Paris Call text")
    );
    click(&mut harness, "Choose the new version…");
    answer_file_dialog(&mut harness, &new_path);

    harness.get_by_label(
        "Quotes in the new version: 0 verified · 1 relocated · 1 changed · 1 missing",
    );
    harness.get_by_label_contains("Differences:");
    assert_eq!(
        source_text(&harness),
        OLD_TEXT,
        "nothing changes before Apply"
    );

    // Cancel changes nothing.
    click(&mut harness, "Cancel");
    assert_eq!(harness.state().project(), &project);
    assert!(!harness.state().has_unsaved_changes());

    // From the Project window's list: the sample's report first, then the small source.
    click(&mut harness, "File");
    click(&mut harness, "Project info…");
    assert_eq!(harness.query_all_by_label("Replace…").count(), 2);
    harness
        .query_all_by_label("Replace…")
        .last()
        .unwrap()
        .click();
    settle(&mut harness);
    answer_file_dialog(&mut harness, &new_path);
    click(&mut harness, "Apply");
    assert_eq!(source_text(&harness), new_text);
    let element = ElementId::new("ke-human-rights");
    let cell = harness.state().project().cell(&paris(), &element);
    let moved = cell.excerpt(&excerpts[0].id).unwrap();
    let position = moved.position.unwrap();
    assert_eq!(
        &new_text[position.start..position.end],
        "respect human rights online and offline",
        "the relocated quote's anchor follows the text"
    );

    // The changed quote takes the new wording on request, as its own undo step.
    click(&mut harness, "Take new wording");
    let reworded = harness
        .state()
        .project()
        .cell(&paris(), &element)
        .excerpt(&excerpts[1].id)
        .unwrap()
        .exact
        .clone();
    assert!(reworded.contains("cyber attacks"), "{reworded}");
    harness.get_by_label("New wording taken");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(
        harness
            .state()
            .project()
            .cell(&paris(), &element)
            .excerpt(&excerpts[1].id)
            .unwrap()
            .exact,
        excerpts[1].exact
    );
    assert_eq!(source_text(&harness), new_text);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(
        harness.state().project(),
        &project,
        "one undo step undoes Apply"
    );
}

#[test]
fn the_status_bar_counts_the_quotes_states() {
    let mut harness = harness();
    harness.get_by_label("Quotes: 38 verified · 0 changed · 0 missing");

    // A quote whose source no longer says it counts as missing, at once.
    let (mut project, id, _) = project_with_small_source();
    let source = project.sources.iter_mut().find(|s| s.id == id).unwrap();
    source.text = source.text.replace(
        "Each party designates a national point of contact for incidents.",
        "Reserved.",
    );
    harness.state_mut().show_project(project);
    settle(&mut harness);
    harness.get_by_label("Quotes: 40 verified · 0 changed · 1 missing");

    // A project without excerpts shows no counts.
    let empty = Project::new("Empty", chrono::Local::now().date_naive());
    harness.state_mut().show_project(empty);
    settle(&mut harness);
    assert!(harness.query_by_label_contains("Quotes:").is_none());
}

#[test]
fn the_element_view_lists_the_human_rights_quotes_oldest_first() {
    let mut harness = harness();
    let element = ElementId::new("ke-human-rights");
    harness
        .state_mut()
        .view_mut()
        .select_cell(paris(), element.clone());
    settle(&mut harness);
    run_from_palette(&mut harness, "element across");

    let rows = element_rows(harness.state().project(), &element);
    // The cell panel shows the selected Paris Call cell's quotes too: look at the others.
    let quoted: Vec<_> = rows
        .iter()
        .filter(|r| !r.quote.is_empty() && r.agreement != paris())
        .collect();
    assert!(quoted.len() >= 5, "{}", quoted.len());
    harness.get_by_label_contains(&format!("{} quotes, oldest agreement first", rows.len()));
    let tops: Vec<f32> = quoted
        .iter()
        .map(|row| {
            harness
                .get_by_label(&format!("“{}”", row.quote))
                .rect()
                .top()
        })
        .collect();
    assert!(
        tops.windows(2).all(|pair| pair[0] < pair[1]),
        "the quotes are drawn in year order: {tops:?}"
    );
    // The export writes what the tab shows.
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("human-rights.csv");
    send(
        &mut harness,
        AppEvent::ExportElementPath(
            normgrid::export::element_report::ElementFormat::Csv,
            csv_path.clone(),
        ),
    );
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    let mut reader =
        csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let quotes: Vec<String> = reader.records().map(|r| r.unwrap()[4].to_owned()).collect();
    let expected: Vec<String> = rows.iter().map(|r| r.quote.clone()).collect();
    assert_eq!(quotes, expected);

    // Clicking an agreement shows its cell in the grid.
    let first = &rows[0];
    let short = harness
        .state()
        .project()
        .agreement(&first.agreement)
        .unwrap()
        .short_name
        .clone();
    harness
        .query_all_by_label(&short)
        .find(|node| node.accesskit_node().role() == egui::accesskit::Role::Link)
        .expect("the agreement is a link")
        .click();
    settle(&mut harness);
    assert_eq!(
        harness.state().view().selection.agreement,
        Some(first.agreement.clone())
    );
}

/// A file dropped on the window, as the windowing system hands it over.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_file(harness: &mut App, path: &Path) {
    // The drag is over: nothing hovers any more.
    harness.input_mut().hovered_files.clear();
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.to_path_buf())));
    settle(harness);
}

#[test]
fn a_dropped_text_is_attached_renamed_and_removed_and_a_dropped_project_opens() {
    let dir = tempfile::tempdir().unwrap();
    let text_path = dir.path().join("dropped.md");
    std::fs::write(&text_path, "# A code of conduct\n\nStates cooperate.\n").unwrap();
    let mut harness = harness();
    let quoted = harness.state().project().sources[0].clone();

    // While the file is dragged over the window, a hint says what dropping does.
    harness.input_mut().hovered_files.push(egui::HoveredFile {
        path: Some(text_path.clone()),
        ..Default::default()
    });
    // egui keeps repainting while something hovers, so a few frames instead of settling.
    harness.run_steps(2);
    harness.get_by_label_contains("to attach it");
    drop_file(&mut harness, &text_path);
    assert!(harness.query_by_label_contains("to attach it").is_none());
    // Nothing was selected: the whole project is offered.
    harness.get_by_label_contains("dropped.md:");
    click(&mut harness, "Attach");
    let attached = harness.state().project().sources.last().unwrap().clone();
    assert_eq!(attached.file_name, "dropped.md");
    assert_eq!(attached.agreement, None);

    click(&mut harness, "File");
    click(&mut harness, "Project info…");
    // The sample's report is quoted: removing it is refused, and the message says why.
    harness.query_all_by_label("Remove").next().unwrap().click();
    settle(&mut harness);
    match harness.state().modal() {
        Some(Modal::Error { message, .. }) => {
            assert!(message.contains(quoted.id.as_str()), "{message}");
        }
        other => panic!("expected the refusal, got {other:?}"),
    }
    click(&mut harness, "OK");
    assert_eq!(harness.state().project().sources.len(), 2);

    harness
        .query_all_by_label("Rename title")
        .last()
        .unwrap()
        .click();
    settle(&mut harness);
    harness.get_by_label("New title").focus();
    settle(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_label("New title")
        .type_text("Code of conduct");
    settle(&mut harness);
    click(&mut harness, "Save title");
    assert_eq!(
        harness
            .state()
            .project()
            .source(&attached.id)
            .unwrap()
            .title,
        "Code of conduct"
    );

    harness.query_all_by_label("Remove").last().unwrap().click();
    settle(&mut harness);
    assert!(harness.state().project().source(&attached.id).is_none());
    assert!(harness.state().modal().is_none());

    // A dropped project opens (after asking about the unsaved changes).
    let project_path = dir.path().join("other.ron");
    let mut other = common::sample();
    other.title = "Dropped project".to_owned();
    normgrid::io::save_project(&project_path, &other).unwrap();
    drop_file(&mut harness, &project_path);
    click(&mut harness, "Discard changes");
    assert_eq!(harness.state().project().title, "Dropped project");
    assert_eq!(
        harness.state().document_path(),
        Some(project_path.as_path())
    );
}

#[test]
fn save_moves_relocated_anchors_as_one_undoable_step() {
    let dir = tempfile::tempdir().unwrap();
    let (mut project, id, excerpts) = project_with_small_source();
    let source = project.sources.iter_mut().find(|s| s.id == id).unwrap();
    source.text = format!("Preamble of the revised text.\n\n{OLD_TEXT}");
    let new_text = source.text.clone();
    let mut harness = harness();
    harness.state_mut().show_project(project.clone());
    settle(&mut harness);
    harness.get_by_label_contains("3 relocated");

    let path = dir.path().join("saved.ron");
    send(&mut harness, AppEvent::SaveAsPath(path.clone()));
    harness.get_by_label_contains("moved 3 relocated quotes' anchors");
    let saved = normgrid::io::load_project(&path).unwrap().project;
    let element = ElementId::new("ke-human-rights");
    for excerpt in &excerpts {
        let position = saved
            .cell(&paris(), &element)
            .excerpt(&excerpt.id)
            .unwrap()
            .position
            .unwrap();
        assert_eq!(&new_text[position.start..position.end], excerpt.exact);
    }
    harness.get_by_label("Quotes: 41 verified · 0 changed · 0 missing");
    assert!(!harness.state().has_unsaved_changes());

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(
        harness.state().project().cell(&paris(), &element),
        project.cell(&paris(), &element),
        "Undo puts the anchors back"
    );
}
