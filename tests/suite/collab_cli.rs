//! `normgrid diff`, `merge`, `merge-driver`, `agreement` and `review-summary`, run as a
//! volunteer group would run them, including as a git merge driver.

use crate::common;

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
        stdout(&two_way).contains("2 conflicts, 2 unresolved"),
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
fn repository() -> (tempfile::TempDir, PathBuf) {
    // A skipped git test would pass without testing anything: fail instead.
    assert!(
        Command::new("git").arg("--version").output().is_ok(),
        "git is not installed: the merge-driver tests need it (.ci/run installs it)"
    );
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
    (dir, repo)
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
    let (_dir, repo) = repository();
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

/// `project` with one more quote of the sample report in the cell, added by `who`.
fn with_quote(project: &Project, agreement: &str, element: &str, at: usize, who: &str) -> Project {
    use normgrid::sources::evidence::{excerpt_from_range, find_quote, outline_of};
    let source = project.sources[0].clone();
    let quote = (at..source.text.len())
        .step_by(400)
        .map(|from| {
            let start = source.text.ceil_char_boundary(from);
            source.text[start..]
                .split_whitespace()
                .skip(1)
                .take(10)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .find(|q| find_quote(&source, q).is_ok())
        .unwrap();
    let range = find_quote(&source, &quote).unwrap();
    let (a, e) = (AgreementId::new(agreement), ElementId::new(element));
    let mut cell = project.cell(&a, &e);
    let mut excerpt = excerpt_from_range(&source, &outline_of(&source), range, &cell.evidence);
    excerpt.added_by = who.to_owned();
    cell.evidence.push(excerpt);
    let mut edited = project.clone();
    Edit::SetCell {
        agreement: a,
        element: e,
        cell,
    }
    .apply(&mut edited)
    .unwrap();
    edited
}

#[test]
fn git_merges_two_volunteers_quotes_in_one_cell_through_the_merge_driver() {
    let (_dir, repo) = repository();
    let base = sample();
    let before = base
        .cell(&AgreementId::new("paris-call"), &ElementId::new("ke-cbms"))
        .evidence
        .len();
    commit_on(
        &repo,
        "ben",
        true,
        &with_quote(&base, "paris-call", "ke-cbms", 70_000, "Ben"),
    );
    commit_on(
        &repo,
        "main",
        false,
        &with_quote(&base, "paris-call", "ke-cbms", 10_000, "Ana"),
    );
    git_ok(&repo, &["merge", "-q", "--no-edit", "ben"]);
    let merged = load_project(&repo.join("mapping.ron")).unwrap();
    assert!(merged.problems.is_empty(), "{:?}", merged.problems);
    let cell = merged
        .project
        .cell(&AgreementId::new("paris-call"), &ElementId::new("ke-cbms"));
    assert_eq!(cell.evidence.len(), before + 2);
    let by: Vec<&str> = cell.evidence.iter().map(|e| e.added_by.as_str()).collect();
    assert!(by.contains(&"Ana") && by.contains(&"Ben"), "{by:?}");
    assert_ne!(cell.review, ReviewStatus::Disputed);
    // Both quotes are proven against the report the file carries.
    let output = normgrid(&["check", &repo.join("mapping.ron").display().to_string()]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("40 verified"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn git_reports_a_conflict_and_the_file_keeps_both_answers() {
    let (_dir, repo) = repository();
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

// Hostile inputs: files the format allows to hold duplicate ids, orphan cells and dangling
// links. The merge matches by id, so it must refuse them, or repair them and say how.

/// Records a merge must never lose: agreements, provisions, elements, initiatives, notes and
/// filled cells (an orphan cell counts too).
fn records(project: &Project) -> usize {
    project.agreements.len()
        + project
            .agreements
            .iter()
            .map(|a| a.provisions.len())
            .sum::<usize>()
        + project.elements().count()
        + project.initiatives.len()
        + project.notes.len()
        + project.cells.len()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Base, ours and theirs with one of them damaged, and what the merge must say about it.
struct Damaged {
    base: Project,
    ours: Project,
    theirs: Project,
    /// The problem line: "FILE (side): what".
    problem: &'static str,
    /// The start of the repair line.
    repair: &'static str,
    /// How many records the repaired merge holds: all of them.
    records_after_repair: usize,
}

fn duplicate_agreement_in_theirs() -> Damaged {
    let base = sample();
    let mut theirs = with_assessment(&base, "manrs", "ke-cbms", Assessment::Yes, "Ben");
    let mut copy = theirs
        .agreement(&AgreementId::new("paris-call"))
        .unwrap()
        .clone();
    copy.short_name = "Ben's Paris Call".to_owned();
    copy.summary = "Ben's own summary, which must survive the merge".to_owned();
    theirs.agreements.push(copy);
    Damaged {
        records_after_repair: records(&theirs),
        ours: base.clone(),
        base,
        theirs,
        problem: "theirs.ron (theirs): duplicate agreement id `paris-call`",
        repair: "theirs.ron (theirs): duplicate agreement id `paris-call`: the later one (“Ben's Paris Call”) is renamed `paris-call-dup-2`; both are kept",
    }
}

fn duplicate_note_in_ours() -> Damaged {
    let base = sample();
    let mut ours = with_assessment(&base, "paris-call", "ke-cbms", Assessment::Yes, "Ana");
    let mut copy = ours.notes[0].clone();
    copy.text = "Ana's second note under the same id".to_owned();
    copy.author = "Ana".to_owned();
    ours.notes.push(copy);
    Damaged {
        records_after_repair: records(&ours),
        theirs: base.clone(),
        base,
        ours,
        problem: "ours.ron (ours): duplicate note id `note-source`",
        repair: "ours.ron (ours): duplicate note id `note-source`: the later one (“by Ana on project”) is renamed `note-source-dup-2`; both are kept",
    }
}

fn orphan_cell_in_base() -> Damaged {
    let clean = sample();
    let mut base = clean.clone();
    base.cells.set(
        &AgreementId::new("treaty-nobody-kept"),
        &ElementId::new("ke-cbms"),
        normgrid::model::Cell {
            assessment: Assessment::Indirect,
            note: "Evidence only the base still holds".to_owned(),
            ..Default::default()
        },
    );
    let ours = with_assessment(&clean, "manrs", "ke-cbms", Assessment::Yes, "Ana");
    let theirs = with_assessment(&clean, "paris-call", "ke-cbms", Assessment::Indirect, "Ben");
    Damaged {
        // The orphan cell leaves the grid and comes back as a note: one record for one.
        records_after_repair: records(&base),
        base,
        ours,
        theirs,
        problem: "base.ron (base): orphan cell (treaty-nobody-kept, ke-cbms): its agreement does not exist",
        repair: "base.ron (base): orphan cell (treaty-nobody-kept, ke-cbms): its agreement does not exist; the cell is taken out of the grid and its content kept in a merge note",
    }
}

fn dangling_initiative_link_in_theirs() -> Damaged {
    let base = sample();
    let mut theirs = with_assessment(&base, "manrs", "ke-cbms", Assessment::Yes, "Ben");
    theirs.initiatives[0]
        .supports
        .push(normgrid::model::ProvisionLink {
            agreement: AgreementId::new("no-such-treaty"),
            provision: None,
        });
    Damaged {
        records_after_repair: records(&theirs),
        ours: base.clone(),
        base,
        theirs,
        problem: "theirs.ron (theirs): initiative `ini-ms-cvd` refers to unknown agreement `no-such-treaty`",
        repair: "theirs.ron (theirs): initiative `ini-ms-cvd` linked to agreement `no-such-treaty`, which does not exist: the link is removed; the initiative is kept",
    }
}

/// The three input files written to `dir`, and their bytes.
fn write_inputs(dir: &Path, case: &Damaged) -> ([String; 3], Vec<Vec<u8>>) {
    let paths = [
        write(dir, "base.ron", &case.base),
        write(dir, "ours.ron", &case.ours),
        write(dir, "theirs.ron", &case.theirs),
    ];
    let bytes = paths.iter().map(|p| std::fs::read(p).unwrap()).collect();
    (paths, bytes)
}

fn assert_inputs_untouched(paths: &[String; 3], bytes: &[Vec<u8>]) {
    for (path, before) in paths.iter().zip(bytes) {
        assert_eq!(&std::fs::read(path).unwrap(), before, "{path} was changed");
    }
}

/// Without --repair the merge exits 3, writes neither the output nor a report, says which
/// input holds what, and leaves an existing output byte for byte as it was.
fn assert_refused(case: &Damaged) {
    let dir = tempfile::tempdir().unwrap();
    let (paths, bytes) = write_inputs(dir.path(), case);
    let [base, ours, theirs] = &paths;
    let out = dir.path().join("merged.ron");
    let report = dir.path().join("merged.ron.conflicts.txt");
    let out_arg = out.display().to_string();
    let args = ["merge", "--base", base, ours, theirs, "--out", &out_arg];

    let output = normgrid(&args);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(case.problem),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("merge refused") && stderr(&output).contains("--repair"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists(), "a refused merge wrote {out_arg}");
    assert!(!report.exists(), "a refused merge wrote a report");
    assert_inputs_untouched(&paths, &bytes);

    let earlier = b"(an earlier merge the user keeps)\n".to_vec();
    std::fs::write(&out, &earlier).unwrap();
    let again = normgrid(&args);
    assert_eq!(again.status.code(), Some(3), "{}", stderr(&again));
    assert_eq!(std::fs::read(&out).unwrap(), earlier);
    assert!(!report.exists());
    assert_inputs_untouched(&paths, &bytes);
}

/// With --repair the merge runs, lists the repair on stdout and in the report, and keeps
/// every record. Returns the merged project.
fn assert_repaired(case: &Damaged) -> Project {
    let dir = tempfile::tempdir().unwrap();
    let (paths, bytes) = write_inputs(dir.path(), case);
    let [base, ours, theirs] = &paths;
    let out = dir.path().join("merged.ron").display().to_string();
    let output = normgrid(&[
        "merge", "--base", base, ours, theirs, "--out", &out, "--repair",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    let printed = stdout(&output);
    let repair_lines: Vec<&str> = printed.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(repair_lines.len(), 1, "one repair, listed once: {printed}");
    assert!(
        repair_lines[0].contains(case.repair),
        "{printed}\nexpected: {}",
        case.repair
    );
    assert!(printed.contains("after 1 repair"), "{printed}");
    let report = std::fs::read_to_string(format!("{out}.conflicts.txt")).unwrap();
    assert!(report.contains(case.repair), "{report}");
    let loaded = load_project(Path::new(&out)).unwrap();
    assert_eq!(loaded.problems, vec![], "the repaired merge is clean");
    assert_eq!(records(&loaded.project), case.records_after_repair);
    assert_inputs_untouched(&paths, &bytes);
    loaded.project
}

#[test]
fn merge_refuses_a_duplicate_agreement_in_theirs_or_keeps_both_with_repair() {
    let case = duplicate_agreement_in_theirs();
    assert_refused(&case);
    let merged = assert_repaired(&case);
    let original = merged.agreement(&AgreementId::new("paris-call")).unwrap();
    let copy = merged
        .agreement(&AgreementId::new("paris-call-dup-2"))
        .unwrap();
    assert_eq!(original.short_name, "Paris Call");
    assert_eq!(
        copy.summary,
        "Ben's own summary, which must survive the merge"
    );
    assert_eq!(merged.agreements.len(), case.base.agreements.len() + 1);
    // Theirs' real edit still came in.
    assert_eq!(
        merged
            .cell(&AgreementId::new("manrs"), &ElementId::new("ke-cbms"))
            .assessment,
        Assessment::Yes
    );
}

#[test]
fn merge_refuses_a_duplicate_note_in_ours_or_keeps_both_with_repair() {
    let case = duplicate_note_in_ours();
    assert_refused(&case);
    let merged = assert_repaired(&case);
    let texts: Vec<&str> = merged.notes.iter().map(|n| n.text.as_str()).collect();
    assert!(texts.contains(&case.base.notes[0].text.as_str()));
    let copy = merged
        .note(&normgrid::model::NoteId::new("note-source-dup-2"))
        .unwrap();
    assert_eq!(copy.text, "Ana's second note under the same id");
    assert_eq!(merged.notes.len(), case.base.notes.len() + 1);
}

#[test]
fn merge_refuses_an_orphan_cell_in_the_base_or_keeps_it_in_a_note_with_repair() {
    let case = orphan_cell_in_base();
    assert_refused(&case);
    let merged = assert_repaired(&case);
    let kept: Vec<_> = merged
        .notes
        .iter()
        .filter(|n| n.text.contains("treaty-nobody-kept"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0].kind, NoteKind::MergeConflict);
    assert!(
        kept[0].text.contains("Assessment: Indirect")
            && kept[0]
                .text
                .contains("“Evidence only the base still holds”"),
        "{}",
        kept[0].text
    );
    // Both sides' edits came in.
    let at = |a: &str| {
        merged
            .cell(&AgreementId::new(a), &ElementId::new("ke-cbms"))
            .assessment
    };
    assert_eq!(at("manrs"), Assessment::Yes);
    assert_eq!(at("paris-call"), Assessment::Indirect);
}

#[test]
fn merge_refuses_a_dangling_initiative_link_or_removes_it_with_repair() {
    let case = dangling_initiative_link_in_theirs();
    assert_refused(&case);
    let merged = assert_repaired(&case);
    let initiative = merged
        .initiative(&normgrid::model::InitiativeId::new("ini-ms-cvd"))
        .unwrap();
    assert_eq!(initiative, &case.base.initiatives[0]);
    assert_eq!(merged.initiatives.len(), case.base.initiatives.len());
}

#[test]
fn merge_driver_refuses_a_damaged_input_and_leaves_ours_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let case = duplicate_agreement_in_theirs();
    let (paths, bytes) = write_inputs(dir.path(), &case);
    let [base, ours, theirs] = &paths;
    let output = normgrid(&["merge-driver", base, ours, theirs]);
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(case.problem),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("nothing was written"),
        "{}",
        stderr(&output)
    );
    assert_inputs_untouched(&paths, &bytes);
}

#[test]
fn git_stops_on_a_damaged_copy_and_keeps_ours_in_the_work_tree() {
    let (_dir, repo) = repository();
    let damaged = duplicate_agreement_in_theirs();
    commit_on(&repo, "ben", true, &damaged.theirs);
    let ours = with_assessment(&sample(), "paris-call", "ke-cbms", Assessment::Yes, "Ana");
    commit_on(&repo, "main", false, &ours);
    let ours_text = std::fs::read(repo.join("mapping.ron")).unwrap();
    let output = git(&repo, &["merge", "--no-edit", "ben"]);
    assert!(
        !output.status.success(),
        "git must stop on the damaged copy"
    );
    assert!(
        stderr(&output).contains("duplicate agreement id `paris-call`"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read(repo.join("mapping.ron")).unwrap(), ours_text);
}
