//! `normgrid diff`, `merge`, `merge-driver`, `agreement` and `review-summary`, run as a
//! volunteer group would run them, including as a git merge driver.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod common;

use common::{normgrid, sample, stdout, with_cell, write};
use normgrid::commands::Command as Edit;
use normgrid::io::load_project;
use normgrid::model::{AgreementId, Assessment, ElementId, NoteKind, Project, ReviewStatus};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A copy of `project` where `by` set one cell's assessment.
fn with_assessment(
    project: &Project,
    agreement: &str,
    element: &str,
    assessment: Assessment,
    by: &str,
) -> Project {
    with_cell(project, agreement, element, assessment, None, by)
}

fn assessment_in(path: &str, agreement: &str, element: &str) -> (Assessment, ReviewStatus) {
    let cell = load_project(Path::new(path))
        .unwrap()
        .project
        .cell(&AgreementId::new(agreement), &ElementId::new(element));
    (cell.assessment, cell.review)
}

#[test]
fn diff_prints_changes_and_writes_csv_that_parses_back() {
    let dir = tempfile::tempdir().unwrap();
    let old = sample();
    let new = with_assessment(&old, "manrs", "ke-cbms", Assessment::Yes, "Ana");
    let old_path = write(dir.path(), "bpf-2019.ron", &old);
    let new_path = write(dir.path(), "bpf-2020.ron", &new);

    let output = normgrid(&["diff", &old_path, &new_path]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(
        text.contains(
            "~ MANRS / Specified CBMs [manrs / ke-cbms]: assessment: “No” → “Yes”  (Ana)"
        ),
        "{text}"
    );

    let csv_path = dir.path().join("changes.csv");
    let output = normgrid(&[
        "diff",
        "--format",
        "csv",
        "--out",
        csv_path.to_str().unwrap(),
        &old_path,
        &new_path,
    ]);
    assert!(output.status.success(), "{}", stdout(&output));
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "Excel needs the BOM"
    );
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.get(0), Some("subject"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].iter().collect::<Vec<_>>(),
        [
            "cell",
            "manrs / ke-cbms",
            "MANRS / Specified CBMs",
            "changed",
            "assessment",
            "No",
            "Yes",
            "Ana",
            ""
        ]
    );

    let same = normgrid(&["diff", &old_path, &old_path]);
    assert!(stdout(&same).contains("No differences."));
}

#[test]
fn merge_takes_one_sided_changes_and_exits_one_on_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let base = sample();
    let ours = with_assessment(&base, "manrs", "ke-cbms", Assessment::Indirect, "Ana");
    let theirs = with_assessment(
        &base,
        "paris-call",
        "ke-human-rights",
        Assessment::Indirect,
        "Ben",
    );
    let base_path = write(dir.path(), "base.ron", &base);
    let ours_path = write(dir.path(), "ours.ron", &ours);
    let theirs_path = write(dir.path(), "theirs.ron", &theirs);
    let out = dir.path().join("merged.ron").display().to_string();

    let clean = normgrid(&[
        "merge",
        "--base",
        &base_path,
        &ours_path,
        &theirs_path,
        "--out",
        &out,
    ]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert_eq!(
        assessment_in(&out, "manrs", "ke-cbms").0,
        Assessment::Indirect
    );
    assert_eq!(
        assessment_in(&out, "paris-call", "ke-human-rights").0,
        Assessment::Indirect
    );

    let conflicting = with_assessment(&theirs, "manrs", "ke-cbms", Assessment::Yes, "Ben");
    let theirs_path = write(dir.path(), "theirs.ron", &conflicting);
    let output = normgrid(&[
        "merge",
        "--base",
        &base_path,
        &ours_path,
        &theirs_path,
        "--out",
        &out,
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let report = std::fs::read_to_string(format!("{out}.conflicts.txt")).unwrap();
    assert!(
        report.contains("CONFLICT cell MANRS / Specified CBMs: both changed assessment"),
        "{report}"
    );
    assert!(report.contains("theirs  “Yes”"), "{report}");
    // Nothing dropped: ours kept, marked Disputed, theirs in a merge note.
    assert_eq!(
        assessment_in(&out, "manrs", "ke-cbms"),
        (Assessment::Indirect, ReviewStatus::Disputed)
    );
    let merged = load_project(Path::new(&out)).unwrap().project;
    assert!(
        merged
            .notes
            .iter()
            .any(|n| n.kind == NoteKind::MergeConflict && n.text.contains("“Yes”"))
    );

    let preferred = normgrid(&[
        "merge",
        "--base",
        &base_path,
        &ours_path,
        &theirs_path,
        "--out",
        &out,
        "--prefer",
        "theirs",
    ]);
    assert_eq!(preferred.status.code(), Some(0), "{}", stdout(&preferred));
    assert_eq!(
        assessment_in(&out, "manrs", "ke-cbms"),
        (Assessment::Yes, ReviewStatus::Draft)
    );

    // Without a base every difference is a conflict.
    let two_way = normgrid(&["merge", &ours_path, &theirs_path, "--out", &out]);
    assert_eq!(two_way.status.code(), Some(1));
    assert!(
        stdout(&two_way).contains("2 conflict(s), 2 unresolved"),
        "{}",
        stdout(&two_way)
    );
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap()
}

fn git_ok(dir: &Path, args: &[&str]) {
    let output = git(dir, args);
    assert!(
        output.status.success(),
        "git {args:?}: {}{}",
        stdout(&output),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A repository holding the sample as `mapping.ron`, with normgrid as its merge driver.
fn repository() -> Option<(tempfile::TempDir, PathBuf)> {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("git is not installed; skipping the merge-driver test");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().to_path_buf();
    git_ok(&repo, &["init", "-q", "-b", "main"]);
    git_ok(&repo, &["config", "user.name", "Volunteer"]);
    git_ok(&repo, &["config", "user.email", "volunteer@example.org"]);
    let driver = format!("{} merge-driver %O %A %B", env!("CARGO_BIN_EXE_normgrid"));
    git_ok(
        &repo,
        &["config", "merge.normgrid.name", "normgrid project merge"],
    );
    git_ok(&repo, &["config", "merge.normgrid.driver", &driver]);
    std::fs::write(repo.join(".gitattributes"), "*.ron merge=normgrid\n").unwrap();
    write_plain(&repo, &sample());
    git_ok(&repo, &["add", "."]);
    git_ok(&repo, &["commit", "-q", "-m", "BPF 2019 mapping"]);
    Some((dir, repo))
}

/// As a volunteer's editor leaves the file, without the `.bak` a save keeps beside it.
fn write_plain(repo: &Path, project: &Project) {
    let text = normgrid::io::project_to_ron(project).unwrap();
    std::fs::write(repo.join("mapping.ron"), text).unwrap();
}

fn commit_on(repo: &Path, branch: &str, create: bool, project: &Project) {
    if create {
        git_ok(repo, &["checkout", "-q", "-b", branch]);
    } else {
        git_ok(repo, &["checkout", "-q", branch]);
    }
    write_plain(repo, project);
    git_ok(
        repo,
        &["commit", "-q", "-am", &format!("edits on {branch}")],
    );
}

#[test]
fn git_merges_two_volunteers_edits_through_the_merge_driver() {
    let Some((_dir, repo)) = repository() else {
        return;
    };
    let base = sample();
    commit_on(
        &repo,
        "ben",
        true,
        &with_assessment(
            &base,
            "paris-call",
            "ke-human-rights",
            Assessment::Indirect,
            "Ben",
        ),
    );
    commit_on(
        &repo,
        "main",
        false,
        &with_assessment(&base, "manrs", "ke-cbms", Assessment::Yes, "Ana"),
    );
    git_ok(&repo, &["merge", "-q", "--no-edit", "ben"]);
    let file = repo.join("mapping.ron").display().to_string();
    assert_eq!(assessment_in(&file, "manrs", "ke-cbms").0, Assessment::Yes);
    assert_eq!(
        assessment_in(&file, "paris-call", "ke-human-rights").0,
        Assessment::Indirect
    );
    assert!(!repo.join("mapping.ron.bak").exists());
    let status = git(&repo, &["status", "--porcelain"]);
    assert_eq!(stdout(&status), "", "nothing stray left in the work tree");
}

#[test]
fn git_reports_a_conflict_and_the_file_keeps_both_answers() {
    let Some((_dir, repo)) = repository() else {
        return;
    };
    let base = sample();
    commit_on(
        &repo,
        "ben",
        true,
        &with_assessment(&base, "manrs", "ke-cbms", Assessment::Indirect, "Ben"),
    );
    commit_on(
        &repo,
        "main",
        false,
        &with_assessment(&base, "manrs", "ke-cbms", Assessment::Yes, "Ana"),
    );
    let output = git(&repo, &["merge", "--no-edit", "ben"]);
    assert!(!output.status.success(), "git must stop on the conflict");
    let file = repo.join("mapping.ron").display().to_string();
    // The file still opens: ours kept, marked Disputed, Ben's answer in a merge note.
    assert_eq!(
        assessment_in(&file, "manrs", "ke-cbms"),
        (Assessment::Yes, ReviewStatus::Disputed)
    );
    let merged = load_project(Path::new(&file)).unwrap().project;
    let note = merged
        .notes
        .iter()
        .find(|n| n.kind == NoteKind::MergeConflict)
        .unwrap();
    assert!(
        note.text.contains("theirs said “Indirect”"),
        "{}",
        note.text
    );
}

#[test]
fn agreement_reports_kappa_alpha_and_disagreements() {
    let dir = tempfile::tempdir().unwrap();
    let ana = sample();
    let ben = with_assessment(&ana, "manrs", "ke-cbms", Assessment::Yes, "Ben");
    let cy = with_assessment(&ana, "paris-call", "ke-cbms", Assessment::Indirect, "Cy");
    let paths = [
        write(dir.path(), "ana.ron", &ana),
        write(dir.path(), "ben.ron", &ben),
        write(dir.path(), "cy.ron", &cy),
    ];
    let output = normgrid(&["agreement", &paths[0], &paths[1]]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(
        text.contains("Percent agreement: 99.5% (196 of 197)"),
        "{text}"
    );
    assert!(text.contains("Cohen's kappa"), "{text}");
    assert!(text.contains("MANRS / Specified CBMs  ("), "{text}");

    let three = normgrid(&["agreement", &paths[0], &paths[1], &paths[2]]);
    let text = stdout(&three);
    assert_eq!(text.matches("Cohen's kappa,").count(), 3, "{text}");
    assert!(
        text.contains("Krippendorff's alpha (nominal): 0.9"),
        "{text}"
    );
    assert!(text.contains("Disagreeing cells: 2"), "{text}");

    let one = normgrid(&["agreement", &paths[0]]);
    assert!(!one.status.success(), "one file is not a comparison");
}

#[test]
fn review_summary_counts_per_agreement() {
    let dir = tempfile::tempdir().unwrap();
    let mut project = sample();
    let mut cell = project.cell(&AgreementId::new("manrs"), &ElementId::new("ke-cbms"));
    cell.set_review(ReviewStatus::Disputed, "Rae", chrono::Utc::now());
    Edit::SetCell {
        agreement: AgreementId::new("manrs"),
        element: ElementId::new("ke-cbms"),
        cell,
    }
    .apply(&mut project)
    .unwrap();
    let path = write(dir.path(), "reviewed.ron", &project);
    let output = normgrid(&["review-summary", &path]);
    assert!(output.status.success());
    let text = stdout(&output);
    let manrs = text.lines().find(|l| l.starts_with("MANRS")).unwrap();
    let counts: Vec<&str> = manrs.split_whitespace().skip(1).collect();
    assert_eq!(counts, ["0", "1", "0", "9"], "{text}");
}
