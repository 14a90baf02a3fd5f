//! The RON project format: round trips, canonical bytes, versions and hostile input.

use normgrid::io::{
    LoadError, MAX_FILE_BYTES, backup_path, load_project, parse_project, parse_project_bytes,
    project_to_ron, save_project,
};
use normgrid::model::{AgreementId, Assessment, Cell, ElementId, Problem};
use normgrid::sample;
use proptest::prelude::*;
use std::path::Path;

fn sample_project() -> normgrid::model::Project {
    sample::bpf_2019().unwrap().project
}

fn assert_located_error(error: &LoadError, name: &str) {
    let text = error.to_string();
    assert!(text.starts_with(name), "error should name the file: {text}");
    assert!(
        matches!(error, LoadError::Syntax { line, col, .. } if *line >= 1 && *col >= 1),
        "error should carry line:col: {text}"
    );
}

#[test]
fn save_then_load_gives_the_same_project() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bpf.ron");
    let project = sample_project();
    save_project(&path, &project).unwrap();
    let loaded = load_project(&path).unwrap();
    assert_eq!(loaded.project, project);
    assert!(loaded.problems.is_empty());
}

#[test]
fn resaving_an_unedited_file_gives_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bpf.ron");
    std::fs::write(&path, sample::BPF_2019_RON).unwrap();
    let loaded = load_project(&path).unwrap();
    save_project(&path, &loaded.project).unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        sample::BPF_2019_RON
    );
    assert!(!sample::BPF_2019_RON.contains('\r'), "LF line endings only");
}

#[test]
fn crlf_and_bom_input_is_read_and_rewritten_canonically() {
    let windows = format!("\u{feff}{}", sample::BPF_2019_RON.replace('\n', "\r\n"));
    let loaded = parse_project(&windows, Path::new("win.ron")).unwrap();
    assert_eq!(
        project_to_ron(&loaded.project).unwrap(),
        sample::BPF_2019_RON
    );
}

/// Lines of `new` that differ from `old` (files of equal line count).
fn changed_lines(old: &str, new: &str) -> Vec<usize> {
    let (old, new): (Vec<_>, Vec<_>) = (old.lines().collect(), new.lines().collect());
    assert_eq!(old.len(), new.len());
    (0..old.len()).filter(|&i| old[i] != new[i]).collect()
}

#[test]
fn edits_to_different_cells_touch_only_those_lines() {
    let base = sample_project();
    let base_text = project_to_ron(&base).unwrap();
    let edit = |agreement: &str, element: &str, note: &str| {
        let mut project = base.clone();
        let (a, e) = (AgreementId::new(agreement), ElementId::new(element));
        let mut cell = project.cell(&a, &e);
        cell.note = note.to_owned();
        cell.assessment = Assessment::Indirect;
        project.cells.set(&a, &e, cell);
        project_to_ron(&project).unwrap()
    };
    let alice = edit(
        "paris-call",
        "ke-vulnerability-equities",
        "Alice: see principle 5.",
    );
    let bob = edit(
        "manrs",
        "ke-cbms",
        "Bob: the MANRS observatory works as a CBM.",
    );
    let alice_lines = changed_lines(&base_text, &alice);
    let bob_lines = changed_lines(&base_text, &bob);
    assert_eq!(alice_lines.len(), 1, "one cell, one line");
    assert_eq!(bob_lines.len(), 1);
    assert_ne!(alice_lines, bob_lines);
    let alice_line = base_text.lines().nth(alice_lines[0]).unwrap();
    assert!(
        alice_line.contains("\"ke-vulnerability-equities\""),
        "{alice_line}"
    );
}

#[test]
fn empty_fields_and_unassessed_cells_are_left_out() {
    let mut project = sample_project();
    let (a, e) = (AgreementId::new("paris-call"), ElementId::new("ungge-13a"));
    project.cells.set(&a, &e, Cell::default());
    let text = project_to_ron(&project).unwrap();
    assert!(!text.contains("\"ungge-13a\": ("));
    assert!(!text.contains("note: \"\""));
    assert!(!text.contains("review: Draft"));
}

#[test]
fn newer_format_is_refused_with_a_clear_message() {
    let newer = sample::BPF_2019_RON.replacen("format_version: 2,", "format_version: 7,", 1);
    let error = parse_project(&newer, Path::new("future.ron")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "future.ron: made with a newer normgrid (format 7); this build reads up to 2. \
         Install a newer normgrid to open it; the file was not changed."
    );
}

/// The sample with its `format_version: 2,` line replaced by `line`.
fn with_version_line(line: &str) -> String {
    let text = sample::BPF_2019_RON.replacen("    format_version: 2,\n", &format!("{line}\n"), 1);
    assert_ne!(
        text,
        sample::BPF_2019_RON,
        "the sample declares format_version: 2"
    );
    text
}

#[test]
fn newer_format_is_refused_however_the_number_is_written() {
    let cases = [
        ("    format_version: 1_000,", 1000),
        ("    format_version: +999,", 999),
        ("    format_version: /*c*/ 999,", 999),
        ("    format_version /* c */ : 999,", 999),
        ("    r#format_version: 999,", 999),
        ("    format_version: 0x3E7,", 999),
        ("    format_version: 0b1111100111,", 999),
        ("    format_version: 999.0,", 999),
        ("    // format_version: 2\n    format_version: 999,", 999),
        ("    format_version: 999, // format_version: 2", 999),
        ("    /* format_version: 2, */ format_version: 999,", 999),
    ];
    for (line, found) in cases {
        let text = with_version_line(line);
        let error = parse_project(&text, Path::new("future.ron")).unwrap_err();
        assert!(
            matches!(error, LoadError::NewerFormat { found: f, supported: 2, .. } if f == found),
            "{line}: {error}"
        );
        assert!(
            error.to_string().starts_with(&format!(
                "future.ron: made with a newer normgrid (format {found})"
            )),
            "{line}: {error}"
        );
    }
}

#[test]
fn newer_format_is_found_after_a_title_and_in_a_named_struct() {
    let moved = sample::BPF_2019_RON
        .replacen("    format_version: 2,\n", "", 1)
        .replacen("    as_of:", "    format_version: 3,\n    as_of:", 1);
    let named = sample::BPF_2019_RON
        .replacen("(\n", "Project(\n", 1)
        .replacen("format_version: 2,", "format_version: 3,", 1);
    for text in [moved, named] {
        let error = parse_project(&text, Path::new("later.ron")).unwrap_err();
        assert!(
            matches!(error, LoadError::NewerFormat { found: 3, .. }),
            "{error}"
        );
    }
}

#[test]
fn version_tricks_that_say_the_current_version_load_and_reformat_to_a_file_that_loads() {
    let decoy_title = sample::BPF_2019_RON
        .replacen("    format_version: 2,\n", "", 1)
        .replacen(
            "    title: \"BPF Cybersecurity 2019",
            "    title: \"Draft (format_version: 3) BPF Cybersecurity 2019",
            1,
        )
        .replacen("    as_of:", "    format_version: 2,\n    as_of:", 1);
    let texts = [
        with_version_line("    // format_version: 999\n    format_version: 2,"),
        with_version_line("    /* format_version: 999 */ format_version: 2,"),
        with_version_line("    format_version: +2,"),
        with_version_line("    format_version: 0x2,"),
        with_version_line("    r#format_version: 2,"),
        with_version_line("    format_version: 2, // format_version: 999"),
        decoy_title,
    ];
    for text in texts {
        let loaded = parse_project(&text, Path::new("tricky.ron"))
            .unwrap_or_else(|error| panic!("{error}\n{}", &text[..200]));
        assert_eq!(loaded.project.format_version, 2);
        // What fmt writes is accepted by the next load, and says format 2.
        let written = project_to_ron(&loaded.project).unwrap();
        let again = parse_project(&written, Path::new("tricky.ron")).unwrap();
        assert_eq!(again.project, loaded.project);
        assert!(written.starts_with("(\n    format_version: 2,\n"));
    }
}

#[test]
fn a_version_that_is_no_number_is_an_error_with_a_position() {
    for line in [
        "    format_version: 1.5,",
        "    format_version: -1,",
        "    format_version: \"1\",",
        "    format_version: 2,\n    format_version: 999,",
    ] {
        let text = with_version_line(line);
        let error = parse_project(&text, Path::new("odd.ron")).unwrap_err();
        assert!(
            matches!(
                error,
                LoadError::Syntax { .. } | LoadError::UnknownFormat { .. }
            ),
            "{line}: {error}"
        );
        assert!(error.to_string().starts_with("odd.ron"), "{error}");
    }
}

/// The caret line of an error text points at `col` of the shown line.
fn caret_points_at(text: &str, expected: char) {
    let lines: Vec<&str> = text.lines().collect();
    let caret_line = lines
        .iter()
        .position(|l| l.trim_end().ends_with('^') && l.trim_start().starts_with('|'))
        .unwrap_or_else(|| panic!("no caret line in:\n{text}"));
    let caret = lines[caret_line].chars().count() - 1;
    let shown = lines[caret_line - 1];
    assert_eq!(shown.chars().nth(caret), Some(expected), "{text}");
}

#[test]
fn a_damaged_file_shows_the_line_a_caret_and_a_hint() {
    let text = sample::BPF_2019_RON.replacen("short_name: \"Paris Call\",", "short_name: 12,", 1);
    let error = parse_project(&text, Path::new("broken.ron")).unwrap_err();
    let message = error.to_string();
    let LoadError::Syntax { line, col, .. } = &error else {
        panic!("{message}");
    };
    let first = message.lines().next().unwrap();
    assert!(
        first.starts_with(&format!("broken.ron:{line}:{col}: ")),
        "{message}"
    );
    assert!(
        message.contains(&format!(" {line} |             short_name: 12,")),
        "{message}"
    );
    caret_points_at(&message, '1');
    assert!(message.contains("not what this field holds"), "{message}");
    assert!(!message.contains(".bak"), "no backup exists: {message}");
}

#[test]
fn a_truncated_file_points_to_its_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corrupt.ron");
    let project = sample_project();
    save_project(&path, &project).unwrap();
    save_project(&path, &project).unwrap(); // the first save becomes corrupt.ron.bak
    let text = sample::BPF_2019_RON;
    let cut = text.find("exact: \"").unwrap() + 20;
    std::fs::write(&path, &text[..cut]).unwrap();

    let message = load_project(&path).unwrap_err().to_string();
    let first = message.lines().next().unwrap();
    assert!(
        first.starts_with(&format!("{}:", path.display())),
        "{message}"
    );
    assert!(message.contains("cut off"), "{message}");
    let backup = backup_path(&path);
    assert!(
        message.contains(&format!(
            "A backup from the previous save is at {}: open it, or copy it over this file.",
            backup.display()
        )),
        "{message}"
    );
    // The backup it points to is the good file.
    assert_eq!(load_project(&backup).unwrap().project, project);
}

#[test]
fn every_truncation_is_explained_as_a_file_cut_short() {
    let text = sample::BPF_2019_RON;
    let mut cut = 1;
    while cut < text.len() - 3 {
        if text.is_char_boundary(cut) {
            let message = parse_project(&text[..cut], Path::new("cut.ron"))
                .unwrap_err()
                .to_string();
            assert!(message.contains("cut off"), "cut at {cut}: {message}");
            assert!(
                message.lines().any(|l| l.trim_end().ends_with('^')),
                "{message}"
            );
        }
        cut += 89;
    }
}

#[test]
fn error_excerpts_cope_with_tabs_long_lines_and_multibyte_text() {
    let long_title = format!("{}ü", "é".repeat(300));
    let cases = [
        // A tab before the bad value, and multibyte text before it on the line.
        sample::BPF_2019_RON.replacen(
            "    short_name: \"Paris Call\",",
            "\tshort_name: \"Pä\" 12,",
            1,
        ),
        // A very long line, with the error at its end.
        sample::BPF_2019_RON.replacen(
            "    title: \"BPF Cybersecurity 2019: review of cybersecurity agreements\",",
            &format!("    title: \"{long_title}\" x,"),
            1,
        ),
        // Broken right at the start, and at the very end.
        format!("]{}", sample::BPF_2019_RON),
        format!("{}]", sample::BPF_2019_RON),
    ];
    for text in cases {
        let error = parse_project(&text, Path::new("odd.ron")).unwrap_err();
        let message = error.to_string();
        assert!(message.lines().count() >= 4, "{message}");
        assert!(
            message.lines().all(|l| l.chars().count() < 200),
            "{message}"
        );
        assert!(!message.contains('\t'), "{message}");
    }
}

#[test]
fn format_zero_is_not_a_normgrid_format() {
    let old = sample::BPF_2019_RON.replacen("format_version: 2,", "format_version: 0,", 1);
    let error = parse_project(&old, Path::new("old.ron")).unwrap_err();
    assert!(
        matches!(error, LoadError::UnknownFormat { found: 0, .. }),
        "{error}"
    );
}

#[test]
fn wrong_types_name_file_line_and_column() {
    let cases = [
        ("format_version: 2,", "format_version: \"one\","),
        ("as_of: \"2019-12-31\",", "as_of: \"31 December\","),
        ("short_name: \"Paris Call\",", "short_name: 12,"),
        ("(assessment: Yes),", "(assessment: Maybe),"),
        ("year: Some(2018),", "year: \"2018\","),
        ("title: \"BPF", "titel: \"BPF"),
    ];
    for (from, to) in cases {
        assert!(sample::BPF_2019_RON.contains(from), "{from}");
        let broken = sample::BPF_2019_RON.replacen(from, to, 1);
        let error = parse_project(&broken, Path::new("broken.ron")).unwrap_err();
        assert_located_error(&error, "broken.ron:");
        // The reported line is where the bad value is.
        if let LoadError::Syntax { line, .. } = error {
            let bad_line = broken.lines().nth(line - 1).unwrap();
            assert!(
                bad_line.contains(to.split(':').next().unwrap().trim_start_matches('(')),
                "{to} reported at line {line}: {bad_line}"
            );
        }
    }
}

#[test]
fn repeated_cell_keys_are_refused_not_silently_merged() {
    let line = "            \"ke-cbms\": (assessment: Yes),\n";
    assert!(sample::BPF_2019_RON.contains(line));
    let doubled = sample::BPF_2019_RON.replacen(line, &format!("{line}{line}"), 1);
    let error = parse_project(&doubled, Path::new("twice.ron")).unwrap_err();
    assert!(error.to_string().contains("appears twice"), "{error}");
    assert!(error.to_string().contains("keep one of them"), "{error}");
    assert_located_error(&error, "twice.ron:");
}

#[test]
fn orphan_cells_and_dangling_links_are_reported_on_load() {
    let text = sample::BPF_2019_RON
        .replacen("\"manrs\": {", "\"no-such-agreement\": {", 1)
        .replacen(
            "agreement: \"manrs\",",
            "agreement: \"manrs\", provision: Some(\"action-9\"),",
            1,
        );
    let loaded = parse_project(&text, Path::new("orphans.ron")).unwrap();
    let orphans = loaded
        .problems
        .iter()
        .filter(|p| matches!(p, Problem::OrphanCell { .. }))
        .count();
    assert_eq!(orphans, 10, "{:?}", loaded.problems);
    assert!(
        loaded
            .problems
            .iter()
            .any(|p| p.to_string().contains("provision `action-9`"))
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for open in ["[", "(", "{", "Some("] {
        let mut text = String::from("(format_version: 1, title: ");
        text.push_str(&open.repeat(100_000));
        let error = parse_project(&text, Path::new("deep.ron")).unwrap_err();
        assert_located_error(&error, "deep.ron:");
    }
}

#[test]
fn every_truncation_is_an_error_with_a_position() {
    let text = sample::BPF_2019_RON;
    let mut cut = 0;
    while cut < text.len() - 3 {
        if text.is_char_boundary(cut) {
            let error = parse_project(&text[..cut], Path::new("cut.ron")).unwrap_err();
            assert_located_error(&error, "cut.ron:");
        }
        cut += 97;
    }
}

#[test]
fn invalid_utf8_is_reported_at_its_position() {
    let mut bytes = b"(\n    format_version: 1,\n    title: \"x".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    let error = parse_project_bytes(&bytes, Path::new("bin.ron")).unwrap_err();
    assert_eq!(
        error.to_string().lines().next(),
        Some("bin.ron:3:14: file is not valid UTF-8 text")
    );
}

#[test]
fn oversized_files_are_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.ron");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(MAX_FILE_BYTES + 1).unwrap(); // sparse: costs no disk
    let error = load_project(&path).unwrap_err();
    assert!(matches!(error, LoadError::TooLarge { .. }), "{error}");
    assert!(error.to_string().contains("huge.ron"));
}

#[test]
fn missing_file_names_the_file() {
    let error = load_project(Path::new("/nonexistent/dir/p.ron")).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("/nonexistent/dir/p.ron: could not read")
    );
}

#[test]
fn save_keeps_a_backup_and_a_failed_save_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    let mut project = sample_project();
    save_project(&path, &project).unwrap();
    let first = std::fs::read(&path).unwrap();
    project.title = "Second".to_owned();
    save_project(&path, &project).unwrap();
    assert_eq!(std::fs::read(backup_path(&path)).unwrap(), first);

    // A directory where the file should be: the rename fails, nothing is replaced.
    let blocked = dir.path().join("blocked.ron");
    std::fs::create_dir(&blocked).unwrap();
    std::fs::write(blocked.join("keep.txt"), b"x").unwrap();
    let error = save_project(&blocked, &project).unwrap_err();
    assert!(error.to_string().contains("blocked.ron"), "{error}");
    assert!(blocked.join("keep.txt").exists());
    let leftovers = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count();
    assert_eq!(
        leftovers, 0,
        "temporary files are cleaned up after a failed save"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = parse_project_bytes(&bytes, Path::new("random.ron"));
    }

    #[test]
    fn random_edits_of_a_real_file_never_panic(
        position in 0usize..76_000,
        replacement in "[\\[\\](){}:,\"a-zA-Z0-9 \\\\]{0,8}",
    ) {
        let text = sample::BPF_2019_RON;
        let mut at = position.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let edited = format!("{}{}{}", &text[..at], replacement, &text[at..]);
        if let Err(error) = parse_project(&edited, Path::new("edited.ron")) {
            prop_assert!(error.to_string().starts_with("edited.ron"));
        }
    }
}
