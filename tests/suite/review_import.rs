//! `normgrid import review`: a reviewer's verdicts, saved from the review copy as JSON, come
//! back into the project as one step; cells changed since the copy are listed, another
//! project's review is refused, and a re-import changes nothing. Review files are built here
//! with the contract's own types and fingerprints, then read by the built binary.

use chrono::{DateTime, Utc};
use normgrid::collab::review_file::{
    REVIEW_FORMAT, REVIEW_VERSION, ReviewFile, Verdict, VerdictStatus, cell_fingerprint,
};
use normgrid::model::{
    AgreementId, Assessment, ElementId, NoteKind, NoteTarget, Project, ProjectId, ReviewStatus,
};
use std::path::Path;
use std::process::Output;

use crate::common;

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_000_000 + seconds, 0).unwrap()
}

/// A verdict on the cell as `project` shows it, as the review copy would record it.
fn verdict(project: &Project, agreement: &str, element: &str, status: VerdictStatus) -> Verdict {
    let (agreement, element) = (AgreementId::new(agreement), ElementId::new(element));
    Verdict {
        fingerprint: cell_fingerprint(&project.cell(&agreement, &element)),
        agreement,
        element,
        status,
        comment: String::new(),
        at: at(600),
    }
}

fn review_of(project: &Project, verdicts: Vec<Verdict>) -> ReviewFile {
    ReviewFile {
        format: REVIEW_FORMAT.to_owned(),
        version: REVIEW_VERSION,
        project_id: project.id.clone(),
        project_title: project.title.clone(),
        copy_made_at: at(0),
        reviewer: "Ana Reviewer".to_owned(),
        saved_at: at(900),
        verdicts,
    }
}

/// The Paris Call's Human Rights cell disputed with a comment, and MANRS' CBMs reviewed.
fn ana_disputes_paris_call(project: &Project) -> ReviewFile {
    let mut disputed = verdict(
        project,
        "paris-call",
        "ke-human-rights",
        VerdictStatus::Disputed,
    );
    disputed.comment = "Only the preamble speaks of rights.".to_owned();
    review_of(
        project,
        vec![
            disputed,
            verdict(project, "manrs", "ke-cbms", VerdictStatus::Reviewed),
        ],
    )
}

fn write_review(dir: &Path, review: &ReviewFile) -> String {
    let path = dir.join("review.json");
    std::fs::write(&path, serde_json::to_vec_pretty(review).unwrap()).unwrap();
    path.display().to_string()
}

fn import(review: &str, project: &str, extra: &[&str]) -> Output {
    let mut args = vec!["import", "review", review, "--into", project];
    args.extend_from_slice(extra);
    common::normgrid(&args)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn load(path: &str) -> Project {
    normgrid::io::load_project(Path::new(path)).unwrap().project
}

fn paris_human_rights(project: &Project) -> normgrid::model::Cell {
    project.cell(
        &AgreementId::new("paris-call"),
        &ElementId::new("ke-human-rights"),
    )
}

#[test]
fn a_disputed_verdict_with_a_comment_lands_in_the_saved_project() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::sample();
    let project_path = common::write(dir.path(), "bpf.ron", &sample);
    let review = write_review(dir.path(), &ana_disputes_paris_call(&sample));

    let output = import(&review, &project_path, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stdout = common::stdout(&output);
    assert!(
        stdout.starts_with(
            "Applied 2 verdicts from Ana Reviewer (1 Reviewed, 1 Disputed), 1 review note.\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "\n  Disputed Paris Call / Reference to Human Rights: Only the preamble speaks of \
             rights.\n"
        ),
        "each applied verdict is listed with its cell: {stdout}"
    );
    assert!(
        normgrid::io::backup_path(Path::new(&project_path)).exists(),
        ".bak kept"
    );

    let saved = load(&project_path);
    let cell = paris_human_rights(&saved);
    assert_eq!(cell.review, ReviewStatus::Disputed);
    assert_eq!(cell.reviewed_by, "Ana Reviewer");
    assert_eq!(cell.reviewed_at, Some(at(600)));
    assert_eq!(
        cell.assessment,
        paris_human_rights(&sample).assessment,
        "content untouched"
    );
    let notes: Vec<_> = saved
        .notes
        .iter()
        .filter(|n| {
            n.target
                == NoteTarget::Cell(
                    AgreementId::new("paris-call"),
                    ElementId::new("ke-human-rights"),
                )
        })
        .collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].kind, NoteKind::Review);
    assert_eq!(notes[0].author, "Ana Reviewer");
    assert_eq!(notes[0].text, "Only the preamble speaks of rights.");
    assert_eq!(notes[0].date, at(600).date_naive());
    let cbms = saved.cell(&AgreementId::new("manrs"), &ElementId::new("ke-cbms"));
    assert_eq!(cbms.review, ReviewStatus::Reviewed);
    assert_eq!(saved.notes.len(), sample.notes.len() + 1);
}

#[test]
fn a_cell_changed_since_the_copy_is_listed_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::sample();
    // The copy showed the sample; afterwards a volunteer set the Paris Call's cell to Indirect.
    let review = write_review(dir.path(), &ana_disputes_paris_call(&sample));
    let edited = common::with_cell(
        &sample,
        "paris-call",
        "ke-human-rights",
        Assessment::Indirect,
        None,
        "Ben",
    );
    let project_path = common::write(dir.path(), "bpf.ron", &edited);

    let output = import(&review, &project_path, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stdout = common::stdout(&output);
    assert!(
        stdout.contains(
            "Applied 1 verdict from Ana Reviewer (1 Reviewed), 0 review notes. Not applied: 1 \
             cell changed since the copy was made: Paris Call / Reference to Human Rights \
             (assessment Yes → Indirect; verdict Disputed kept as a review note)."
        ),
        "{stdout}"
    );
    let saved = load(&project_path);
    assert_eq!(
        paris_human_rights(&saved),
        paris_human_rights(&edited),
        "the changed cell is untouched"
    );
    // What the reviewer said is not lost: a review note on the cell keeps verdict and comment.
    assert_eq!(saved.notes[..edited.notes.len()], edited.notes[..]);
    let kept: Vec<_> = saved.notes[edited.notes.len()..]
        .iter()
        .map(|n| (n.kind, n.author.as_str(), n.target.clone(), n.text.as_str()))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0].0, NoteKind::Review);
    assert_eq!(kept[0].1, "Ana Reviewer");
    assert_eq!(
        kept[0].2,
        NoteTarget::Cell(
            AgreementId::new("paris-call"),
            ElementId::new("ke-human-rights")
        )
    );
    assert!(
        kept[0].3.starts_with(
            "Verdict Disputed on an earlier version of this cell, not applied (since then: \
             assessment Yes → Indirect)."
        ),
        "{}",
        kept[0].3
    );
    assert!(
        kept[0]
            .3
            .ends_with("Comment: Only the preamble speaks of rights."),
        "{}",
        kept[0].3
    );
    assert_eq!(
        saved
            .cell(&AgreementId::new("manrs"), &ElementId::new("ke-cbms"))
            .review,
        ReviewStatus::Reviewed
    );
}

#[test]
fn another_projects_review_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::sample();
    let project_path = common::write(dir.path(), "bpf.ron", &sample);
    let before = std::fs::read(&project_path).unwrap();
    let mut other = ana_disputes_paris_call(&sample);
    other.project_id = ProjectId::new("prj-ogn-mapping-x7k2pq");
    other.project_title = "OGN mapping".to_owned();
    let review = write_review(dir.path(), &other);

    let output = import(&review, &project_path, &[]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("review.json"), "{message}");
    assert!(
        message.contains("“OGN mapping” (id `prj-ogn-mapping-x7k2pq`)"),
        "{message}"
    );
    assert!(
        message.contains(&format!("“{}” (id `{}`)", sample.title, sample.id)),
        "{message}"
    );
    assert_eq!(std::fs::read(&project_path).unwrap(), before);
    assert!(!normgrid::io::backup_path(Path::new(&project_path)).exists());
}

#[test]
fn two_verdicts_for_one_cell_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::sample();
    let project_path = common::write(dir.path(), "bpf.ron", &sample);
    let before = std::fs::read(&project_path).unwrap();
    let mut review = ana_disputes_paris_call(&sample);
    review.verdicts.push(verdict(
        &sample,
        "paris-call",
        "ke-human-rights",
        VerdictStatus::Reviewed,
    ));
    let review = write_review(dir.path(), &review);

    let output = import(&review, &project_path, &[]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("2 verdicts for Paris Call / Reference to Human Rights"),
        "{message}"
    );
    assert_eq!(std::fs::read(&project_path).unwrap(), before);
}

#[test]
fn importing_the_same_review_again_changes_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::sample();
    let project_path = common::write(dir.path(), "bpf.ron", &sample);
    let review = write_review(dir.path(), &ana_disputes_paris_call(&sample));
    assert_eq!(import(&review, &project_path, &[]).status.code(), Some(0));
    let after_first = std::fs::read(&project_path).unwrap();

    let output = import(&review, &project_path, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stdout = common::stdout(&output);
    assert!(
        stdout.contains(
            "No verdict from Ana Reviewer applied. 2 verdicts were already in the project; left \
             as they are."
        ),
        "{stdout}"
    );
    assert!(stdout.contains("left as it was"), "{stdout}");
    assert_eq!(std::fs::read(&project_path).unwrap(), after_first);
}

#[test]
fn a_dry_run_prints_the_summary_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::sample();
    let project_path = common::write(dir.path(), "bpf.ron", &sample);
    let before = std::fs::read(&project_path).unwrap();
    let review = write_review(dir.path(), &ana_disputes_paris_call(&sample));

    let output = import(&review, &project_path, &["--dry-run"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        common::stdout(&output).starts_with("Applied 2 verdicts from Ana Reviewer"),
        "{}",
        common::stdout(&output)
    );
    assert_eq!(std::fs::read(&project_path).unwrap(), before);
    assert!(!normgrid::io::backup_path(Path::new(&project_path)).exists());
}

#[test]
fn the_project_is_never_taken_for_the_review_file() {
    let dir = tempfile::tempdir().unwrap();
    let project_path = common::write(dir.path(), "bpf.ron", &common::sample());
    let before = std::fs::read(&project_path).unwrap();
    let output = import(&project_path, &project_path, &[]);
    assert_eq!(
        output.status.code(),
        Some(i32::from(normgrid::cli::EXIT_OUTPUT_IS_INPUT))
    );
    assert_eq!(std::fs::read(&project_path).unwrap(), before);
}

#[test]
fn a_malformed_review_file_is_refused_naming_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::sample();
    let project_path = common::write(dir.path(), "bpf.ron", &sample);
    let before = std::fs::read(&project_path).unwrap();
    let path = dir.path().join("review.json");
    std::fs::write(
        &path,
        "{\n  \"format\": \"normgrid-review\",\n  \"version\": 1,\n  \"reviewer\": \"Ana\"\n  \"verdicts\": []\n}\n",
    )
    .unwrap();

    let output = import(&path.display().to_string(), &project_path, &[]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("{}:5:3: not JSON", path.display())),
        "{message}"
    );
    assert_eq!(std::fs::read(&project_path).unwrap(), before);
}

#[test]
fn unknown_fields_and_other_json_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::sample();
    let project_path = common::write(dir.path(), "bpf.ron", &sample);
    let before = std::fs::read(&project_path).unwrap();
    let path = dir.path().join("review.json");
    let mut json = serde_json::to_value(ana_disputes_paris_call(&sample)).unwrap();
    json["verdicts"][0]["mood"] = serde_json::json!("grumpy");
    std::fs::write(&path, serde_json::to_vec_pretty(&json).unwrap()).unwrap();

    let output = import(&path.display().to_string(), &project_path, &[]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("unknown field `mood`"), "{message}");
    assert!(
        message.contains(&format!("{}:", path.display())),
        "{message}"
    );

    std::fs::write(&path, r#"{"name": "normgrid", "version": "1.0.0"}"#).unwrap();
    let output = import(&path.display().to_string(), &project_path, &[]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("not a normgrid review file"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read(&project_path).unwrap(), before);
}

mod gui {
    //! File → Import review… in the window, driven through AccessKit labels.

    use super::*;
    use crate::common::gui::{App, click, harness, settle};
    use egui::{Key, Modifiers};
    use egui_kittest::kittest::{NodeT, Queryable};
    use normgrid::ui::dialogs::Modal;
    use std::time::{Duration, Instant};

    /// Imports the review file at `path` from the File menu; without a desktop portal the
    /// file dialog gives way to the typed-path prompt, answered as a person would.
    fn import_from_menu(harness: &mut App, path: &Path) {
        click(harness, "File");
        click(harness, "Import review…");
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

    #[test]
    fn an_imported_review_shows_its_summary_marks_the_cell_and_undoes_as_one_step() {
        let dir = tempfile::tempdir().unwrap();
        let mut harness = harness();
        let before = harness.state().project().clone();
        let review = write_review(dir.path(), &ana_disputes_paris_call(&before));

        import_from_menu(&mut harness, Path::new(&review));
        harness.get_by_label("Review imported");
        // The window and the status bar both say what was applied.
        let summary =
            "Applied 2 verdicts from Ana Reviewer (1 Reviewed, 1 Disputed), 1 review note.";
        assert_eq!(harness.query_all_by_label(summary).count(), 2);
        click(&mut harness, "OK");
        assert!(harness.state().modal().is_none());

        // The cell panel shows the verdict and the comment, signed by the reviewer.
        click(&mut harness, "Paris Call / Reference to Human Rights: Yes");
        let disputed = harness.get_by_label("Disputed");
        assert_eq!(
            disputed.accesskit_node().toggled(),
            Some(egui::accesskit::Toggled::True),
            "the Disputed radio is on"
        );
        harness.get_by_label_contains("Disputed set by Ana Reviewer");
        harness.get_by_label_contains("Review comment · Ana Reviewer");
        harness.get_by_label("Only the preamble speaks of rights.");
        assert_eq!(
            paris_human_rights(harness.state().project()).review,
            ReviewStatus::Disputed
        );

        harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        settle(&mut harness);
        assert_eq!(
            harness.state().project(),
            &before,
            "one Ctrl+Z takes the whole import back"
        );
        assert!(
            harness
                .query_by_label("Only the preamble speaks of rights.")
                .is_none(),
            "the review note is gone"
        );
    }

    #[test]
    fn the_window_lists_the_cells_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let mut harness = harness();
        let open = harness.state().project().clone();
        // The copy was made while the Paris Call's cell said Indirect; it says Yes now.
        let copied = common::with_cell(
            &open,
            "paris-call",
            "ke-human-rights",
            Assessment::Indirect,
            None,
            "Ben",
        );
        let review = write_review(dir.path(), &ana_disputes_paris_call(&copied));

        import_from_menu(&mut harness, Path::new(&review));
        harness.get_by_label("Review imported");
        // The window's headline; the status bar carries the whole summary.
        harness.get_by_label("Applied 1 verdict from Ana Reviewer (1 Reviewed), 0 review notes.");
        harness.get_by_label(
            "• 1 cell changed since the copy was made: Paris Call / Reference to Human Rights \
             (assessment Indirect → Yes; verdict Disputed kept as a review note)",
        );
        click(&mut harness, "OK");
        assert_eq!(
            paris_human_rights(harness.state().project()),
            paris_human_rights(&open),
            "the changed cell is left as it is"
        );
    }

    #[test]
    fn another_projects_review_shows_the_refusal_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut harness = harness();
        let before = harness.state().project().clone();
        let mut other = ana_disputes_paris_call(&before);
        other.project_id = ProjectId::new("prj-ogn-mapping-x7k2pq");
        other.project_title = "OGN mapping".to_owned();
        let review = write_review(dir.path(), &other);

        import_from_menu(&mut harness, Path::new(&review));
        harness.get_by_label("Review not imported");
        harness.get_by_label_contains("“OGN mapping” (id `prj-ogn-mapping-x7k2pq`)");
        click(&mut harness, "OK");
        assert_eq!(harness.state().project(), &before);
        assert!(!harness.state().has_unsaved_changes());
    }
}

#[test]
fn the_documented_example_is_a_review_file_of_the_sample() {
    let doc = include_str!("../../docs/review-file.md");
    let start = doc.find("## An example").unwrap();
    let open = doc[start..].find("```json\n").unwrap() + start + "```json\n".len();
    let close = doc[open..].find("```").unwrap() + open;
    let review = normgrid::collab::review_file::parse_review_file(
        &doc.as_bytes()[open..close],
        Path::new("doc"),
    )
    .unwrap();
    let sample = common::sample();
    assert_eq!(review.project_id, sample.id);
    assert_eq!(review.project_title, sample.title);
    assert_eq!(review.verdicts.len(), 2);
    assert_eq!(review.verdicts[0].status, VerdictStatus::Disputed);
    assert!(review.verdicts[1].comment.is_empty(), "comment is optional");
}
