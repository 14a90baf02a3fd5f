//! No command writes over one of its own inputs, however the output path is spelt: the same
//! path, `./sub/../p.ron`, a symlink to the input, or a hard link to it. Run as a user would.

use crate::common;

use common::{sample, with_cell, write};
use normgrid::model::Assessment;
use std::path::Path;
use std::process::Output;

/// The exit status for "an output is one of the inputs" (see README, Command line).
const OUTPUT_IS_INPUT: i32 = 3;

/// Runs `normgrid` in `dir`, so that relative spellings such as `./sub/../p.ron` apply there.
fn normgrid_in(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_normgrid"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// A folder with the sample as `p.ron`, another version as `q.ron`, and `sub/`.
fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let project = sample();
    write(dir.path(), "p.ron", &project);
    let edited = with_cell(
        &project,
        "manrs",
        "ke-cbms",
        Assessment::No,
        Some("changed"),
        "Ana",
    );
    write(dir.path(), "q.ron", &edited);
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("p.ron", dir.path().join("link-to-p.ron")).unwrap();
    std::fs::hard_link(dir.path().join("p.ron"), dir.path().join("hard-p.ron")).unwrap();
    dir
}

/// Every spelling of `p.ron` a user (or a script) might pass as an output.
fn spellings_of_p() -> Vec<&'static str> {
    let mut spellings = vec!["p.ron", "./sub/../p.ron", "hard-p.ron"];
    if cfg!(unix) {
        spellings.push("link-to-p.ron");
    }
    spellings
}

/// Runs `args` in a fresh folder and checks the refusal: exit 3, a message naming the clash,
/// every file byte-identical, and nothing new written.
fn assert_refused(args: &[&str]) {
    let dir = setup();
    let before = snapshot(dir.path());
    let output = normgrid_in(dir.path(), args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(OUTPUT_IS_INPUT),
        "{args:?}: {stderr}"
    );
    assert!(stderr.contains("is the same file as"), "{args:?}: {stderr}");
    assert!(stderr.contains("Nothing was written"), "{args:?}: {stderr}");
    assert_eq!(snapshot(dir.path()), before, "{args:?} changed a file");
}

/// Every entry of `dir` (recursively) with its bytes; links listed as links.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let name = path.strip_prefix(dir).unwrap().display().to_string();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&path).unwrap();
            entries.push((format!("{name} -> {}", target.display()), Vec::new()));
        } else if meta.is_dir() {
            for (inner, bytes) in snapshot(&path) {
                entries.push((format!("{name}/{inner}"), bytes));
            }
        } else {
            entries.push((name, std::fs::read(&path).unwrap()));
        }
    }
    entries.sort();
    entries
}

#[test]
fn exports_refuse_to_write_over_their_project() {
    for out in spellings_of_p() {
        assert_refused(&["export", "csv", "--out", out, "p.ron"]);
        assert_refused(&["export", "html", "--out", out, "p.ron"]);
        assert_refused(&["export", "xlsx", "--out", out, "p.ron"]);
        assert_refused(&["export", "qdpx", "--out", out, "p.ron"]);
        assert_refused(&[
            "export", "chart", "--kind", "heatmap", "--out", out, "p.ron",
        ]);
    }
    // The project named through the other spellings, the output plainly.
    assert_refused(&["export", "csv", "--out", "p.ron", "./sub/../p.ron"]);
}

#[cfg(unix)]
#[test]
fn a_chart_through_a_symlink_with_a_chart_name_is_refused() {
    let dir = setup();
    std::os::unix::fs::symlink("p.ron", dir.path().join("chart.svg")).unwrap();
    let before = std::fs::read(dir.path().join("p.ron")).unwrap();
    let output = normgrid_in(
        dir.path(),
        &[
            "export",
            "chart",
            "--kind",
            "heatmap",
            "--out",
            "chart.svg",
            "p.ron",
        ],
    );
    assert_eq!(output.status.code(), Some(OUTPUT_IS_INPUT));
    assert_eq!(std::fs::read(dir.path().join("p.ron")).unwrap(), before);
}

#[test]
fn import_refuses_a_csv_that_is_the_project_itself() {
    for csv in spellings_of_p() {
        assert_refused(&["import", "csv", csv, "--into", "p.ron"]);
    }
}

#[test]
fn diff_refuses_to_write_over_either_version() {
    for out in spellings_of_p() {
        assert_refused(&["diff", "--out", out, "p.ron", "q.ron"]);
        assert_refused(&["diff", "--out", out, "q.ron", "p.ron"]);
    }
}

#[test]
fn merge_refuses_outputs_that_are_inputs_or_each_other() {
    for p in spellings_of_p() {
        // --out over an input
        assert_refused(&["merge", "p.ron", "q.ron", "--out", p]);
        assert_refused(&["merge", "q.ron", "p.ron", "--out", p]);
        assert_refused(&["merge", "--base", "p.ron", "q.ron", "q.ron", "--out", p]);
        // --report over an input
        assert_refused(&["merge", "p.ron", "q.ron", "--out", "m.ron", "--report", p]);
    }
    // --report over --out: the merge would be replaced by its report.
    assert_refused(&[
        "merge", "p.ron", "q.ron", "--out", "m.ron", "--report", "m.ron",
    ]);
    assert_refused(&[
        "merge",
        "p.ron",
        "q.ron",
        "--out",
        "m.ron",
        "--report",
        "./sub/../m.ron",
    ]);
}

#[test]
fn merge_driver_refuses_when_ours_is_the_ancestor_or_theirs() {
    assert_refused(&["merge-driver", "p.ron", "hard-p.ron", "q.ron"]);
    assert_refused(&["merge-driver", "q.ron", "p.ron", "./sub/../p.ron"]);
}

#[test]
fn distinct_outputs_are_still_written() {
    let dir = setup();
    let before = std::fs::read(dir.path().join("p.ron")).unwrap();
    let export = normgrid_in(
        dir.path(),
        &["export", "csv", "--out", "sub/cells.csv", "p.ron"],
    );
    assert!(export.status.success(), "{export:?}");
    let mut reader = csv::Reader::from_path(dir.path().join("sub/cells.csv")).unwrap();
    assert!(reader.records().count() > 100);
    let merge = normgrid_in(
        dir.path(),
        &[
            "merge", "--base", "p.ron", "p.ron", "q.ron", "--out", "m.ron",
        ],
    );
    assert_eq!(merge.status.code(), Some(0), "{merge:?}");
    let merged = normgrid::io::load_project(&dir.path().join("m.ron")).unwrap();
    assert_eq!(
        merged
            .project
            .cell(
                &normgrid::model::AgreementId::new("manrs"),
                &normgrid::model::ElementId::new("ke-cbms")
            )
            .note,
        "changed"
    );
    assert_eq!(std::fs::read(dir.path().join("p.ron")).unwrap(), before);
}
