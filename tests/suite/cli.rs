//! The `normgrid` command line, run as a user would run it.

use crate::common;

use common::{normgrid, stdout};
use std::path::Path;

fn sample_path() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-data/bpf-2019.ron")
        .display()
        .to_string()
}

#[test]
fn check_accepts_the_sample() {
    let output = normgrid(&["check", &sample_path()]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(stdout(&output).contains("ok: 20 agreements, 21 elements in 2 frameworks"));
}

#[test]
fn check_reports_problems_with_a_nonzero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orphans.ron");
    let text = normgrid::sample::BPF_2019_RON.replacen("\"manrs\": {", "\"gone\": {", 1);
    std::fs::write(&path, text).unwrap();
    let output = normgrid(&["check", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("orphan cell (gone, ke-cbms): its agreement does not exist"));
}

#[test]
fn check_reports_syntax_errors_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.ron");
    std::fs::write(&path, "(\n    format_version: 1,\n    title: 5,\n)\n").unwrap();
    let output = normgrid(&["check", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.ron:3:"), "{stderr}");
}

#[test]
fn summary_prints_the_report_grid() {
    let output = normgrid(&[
        "summary",
        &sample_path(),
        "--framework",
        "bpf2019-key-elements",
    ]);
    assert!(output.status.success());
    let text = stdout(&output);
    let oas = text
        .lines()
        .find(|l| l.starts_with("OAS Strategy"))
        .unwrap();
    assert!(oas.contains("Y  Y  Y  Y  Y  Y  Y  Y  Y  Y"), "{oas}");
    let sadc = text
        .lines()
        .find(|l| l.starts_with("SADC Model Laws"))
        .unwrap();
    assert!(sadc.contains("N  N  N  N  N  N  N  N  N  Y"), "{sadc}");
    let multistakeholder = text
        .lines()
        .find(|l| l.contains("Further multi-stakeholderism"))
        .unwrap();
    let counts: Vec<&str> = multistakeholder.split_whitespace().rev().take(4).collect();
    assert_eq!(counts, ["0", "3", "2", "15"], "{multistakeholder}");
    assert_eq!(
        text.lines()
            .filter(|l| l.contains("  Y  ") || l.contains("  N  "))
            .count(),
        20
    );
}

#[test]
fn new_writes_a_project_with_the_standard_frameworks_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mapping.ron");
    let path_text = path.to_str().unwrap();
    assert!(
        normgrid(&["new", path_text, "--title", "2020 mapping"])
            .status
            .success()
    );
    let loaded = normgrid::io::load_project(&path).unwrap();
    assert_eq!(loaded.project.title, "2020 mapping");
    assert_eq!(loaded.project.frameworks.len(), 2);
    assert_eq!(loaded.project.elements().count(), 21);
    assert!(normgrid(&["check", path_text]).status.success());

    let again = normgrid(&["new", path_text]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[test]
fn fmt_rewrites_a_hand_edited_file_canonically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edited.ron");
    let messy = normgrid::sample::BPF_2019_RON.replace("    ", "\t");
    std::fs::write(&path, &messy).unwrap();
    assert!(normgrid(&["fmt", path.to_str().unwrap()]).status.success());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        normgrid::sample::BPF_2019_RON
    );
    assert_eq!(
        std::fs::read_to_string(normgrid::io::backup_path(&path)).unwrap(),
        messy
    );
}

#[test]
fn help_lists_the_commands() {
    let output = normgrid(&["--help"]);
    assert!(output.status.success());
    let text = stdout(&output);
    for command in ["check", "summary", "new", "fmt"] {
        assert!(text.contains(command), "{text}");
    }
}

#[test]
fn export_chart_and_csv_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("prevalence.png");
    let output = normgrid(&[
        "export",
        "chart",
        "--kind",
        "prevalence",
        "--size",
        "a4",
        "--out",
        png.to_str().unwrap(),
        &sample_path(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..4], b"\x89PNG");
    assert_eq!(u32::from_be_bytes(bytes[16..20].try_into().unwrap()), 1754);

    let svg = dir.path().join("heatmap.svg");
    let output = normgrid(&[
        "export",
        "chart",
        "--kind",
        "heatmap",
        "--framework",
        "bpf2019-key-elements",
        "--agreements",
        "paris-call,manrs",
        "--group",
        "binding",
        "--out",
        svg.to_str().unwrap(),
        &sample_path(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(text.matches(r#"class="cell "#).count(), 20);

    let csv = dir.path().join("cells.csv");
    let output = normgrid(&[
        "export",
        "csv",
        "--layout",
        "wide",
        "--out",
        csv.to_str().unwrap(),
        &sample_path(),
    ]);
    assert!(output.status.success());
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .contains("Paris Call,paris-call,Yes,No,Yes,Yes")
    );

    let bad = normgrid(&[
        "export",
        "chart",
        "--kind",
        "pie",
        "--out",
        "x.svg",
        &sample_path(),
    ]);
    // clap refuses the value as a usage error (exit 2) and lists the kinds there are.
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("invalid value 'pie' for '--kind <KIND>'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("[possible values: heatmap, prevalence, norms, profile]"),
        "{stderr}"
    );
}

#[test]
fn import_csv_refuses_on_problems_unless_told_and_keeps_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.ron");
    std::fs::copy(sample_path(), &project).unwrap();
    let csv = dir.path().join("in.csv");
    std::fs::write(
        &csv,
        "agreement,Specified CBMs\nMANRS,Yes\nAtlantis Accord,No\n",
    )
    .unwrap();
    let output = normgrid(&[
        "import",
        "csv",
        csv.to_str().unwrap(),
        "--into",
        project.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("line 3: unknown agreement `Atlantis Accord`"));
    assert_eq!(
        std::fs::read_to_string(&project).unwrap(),
        normgrid::sample::BPF_2019_RON
    );

    let output = normgrid(&[
        "import",
        "csv",
        csv.to_str().unwrap(),
        "--into",
        project.to_str().unwrap(),
        "--skip-problems",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let loaded = normgrid::io::load_project(&project).unwrap().project;
    assert_eq!(
        loaded.assessment(
            &normgrid::model::AgreementId::new("manrs"),
            &normgrid::model::ElementId::new("ke-cbms")
        ),
        normgrid::model::Assessment::Yes
    );
    assert!(normgrid::io::backup_path(&project).exists());
}

#[test]
fn options_with_fixed_values_refuse_others_as_usage_errors_naming_the_choices() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let out = out.to_str().unwrap();
    let sample = sample_path();
    let cases: [(&[&str], &str, &str); 4] = [
        (
            &["export", "csv", "--layout", "tall", "--out", out, &sample],
            "invalid value 'tall' for '--layout <LAYOUT>'",
            "[possible values: long, wide, evidence]",
        ),
        (
            &[
                "export", "chart", "--kind", "heatmap", "--group", "year", "--out", out, &sample,
            ],
            "invalid value 'year' for '--group <GROUP>'",
            "[possible values: space, binding]",
        ),
        (
            &["diff", "--format", "xml", &sample, &sample],
            "invalid value 'xml' for '--format <FORMAT>'",
            "[possible values: text, csv]",
        ),
        (
            &["merge", "--prefer", "mine", "--out", out, &sample, &sample],
            "invalid value 'mine' for '--prefer <PREFER>'",
            "[possible values: ours, theirs]",
        ),
    ];
    for (args, refusal, choices) in cases {
        let output = normgrid(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(refusal), "{args:?}: {stderr}");
        assert!(stderr.contains(choices), "{args:?}: {stderr}");
        assert!(!Path::new(out).exists(), "{args:?} wrote its output");
    }

    // The values are spelt as before, and --help explains each one.
    let output = normgrid(&["export", "csv", "--layout", "wide", "--out", out, &sample]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(
        std::fs::read(out)
            .unwrap()
            .starts_with("\u{feff}".as_bytes())
    );
    let mut reader = csv::Reader::from_path(out).unwrap();
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.get(0), Some("agreement"));
    assert_eq!(header.get(1), Some("agreement id"));
    let help = stdout(&normgrid(&["export", "csv", "--help"]));
    assert!(help.contains("wide:     Agreements × elements"), "{help}");
    assert!(
        help.contains("evidence: One row per evidence excerpt"),
        "{help}"
    );
}
