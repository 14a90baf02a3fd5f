//! `normgrid source`, `evidence` and `check` on real files, run as a user would run them.

use crate::common;

use common::{normgrid, stdout};
use normgrid::io::load_project;
use normgrid::model::{AgreementId, ElementId};
use std::path::{Path, PathBuf};

const TREATY: &str = "Convention on Cybercrime (excerpt for tests)\n\
\n\
Chapter II – Measures to be taken at the national level\n\
\n\
Article 14 – Scope of procedural provisions\n\
1 Each Party shall adopt such legislative and other measures as may be necessary to establish the powers and procedures provided for in this section.\n\
\n\
Article 15 – Conditions and safeguards\n\
1 Each Party shall ensure that the establishment, implementation and application of the powers and procedures provided for in this Section are subject to conditions and safeguards provided for under its domestic law, which shall provide for the adequate protection of human rights and liberties.\n\
2 Such conditions and safeguards shall, as appropriate in view of the nature of the procedure or power concerned, include judicial or other independent supervision.\n\
\n\
Article 16 – Expedited preservation of stored computer data\n\
1 Each Party shall adopt such legislative and other measures as may be necessary to enable its competent authorities to order the expeditious preservation of specified computer data.\n";

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A copy of the sample and a treaty text in a temporary folder.
fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.ron");
    std::fs::write(&project, normgrid::sample::BPF_2019_RON).unwrap();
    let treaty = dir.path().join("budapest.txt");
    std::fs::write(&treaty, TREATY).unwrap();
    (dir, project, treaty)
}

fn run(args: &[&str]) -> String {
    let output = normgrid(args);
    assert!(
        output.status.success(),
        "{args:?}: {}{}",
        stdout(&output),
        stderr(&output)
    );
    stdout(&output)
}

fn attach(project: &Path, treaty: &Path) {
    run(&[
        "source",
        "add",
        project.to_str().unwrap(),
        "--agreement",
        "budapest-convention",
        treaty.to_str().unwrap(),
        "--title",
        "Budapest Convention",
        "--id",
        "budapest",
    ]);
}

fn add_quote(project: &Path, quote: &str) -> std::process::Output {
    normgrid(&[
        "evidence",
        "add",
        project.to_str().unwrap(),
        "--agreement",
        "budapest-convention",
        "--element",
        "ke-human-rights",
        "--source",
        "budapest",
        "--quote",
        quote,
    ])
}

#[test]
fn a_quote_found_in_an_attached_source_is_anchored_with_its_derived_locator() {
    let (_dir, project, treaty) = setup();
    attach(&project, &treaty);
    let list = run(&["source", "list", project.to_str().unwrap()]);
    assert!(
        list.contains("budapest\tbudapest-convention\tTXT\tno pages"),
        "{list}"
    );
    let outline = run(&[
        "source",
        "show",
        project.to_str().unwrap(),
        "budapest",
        "--outline",
    ]);
    assert!(outline.contains("Chapter II, Art. 15"), "{outline}");

    // Spaces and a line break in the quote differ from the source: still found.
    let output = add_quote(
        &project,
        "which shall provide for the adequate protection\n of human  rights and liberties",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("(Chapter II, Art. 15(1))"),
        "{}",
        stdout(&output)
    );

    let loaded = load_project(&project).unwrap().project;
    let cell = loaded.cell(
        &AgreementId::new("budapest-convention"),
        &ElementId::new("ke-human-rights"),
    );
    let excerpt = cell.evidence.last().unwrap();
    assert_eq!(excerpt.source.as_ref().unwrap().as_str(), "budapest");
    assert_eq!(
        excerpt.exact,
        "which shall provide for the adequate protection of human rights and liberties"
    );
    let source = loaded.source(excerpt.source.as_ref().unwrap()).unwrap();
    let position = excerpt.position.unwrap();
    assert_eq!(&source.text[position.start..position.end], excerpt.exact);
    assert_eq!(excerpt.locator, "Chapter II, Art. 15(1)");
    assert!(!excerpt.prefix.is_empty() && !excerpt.suffix.is_empty());

    let check = normgrid(&["check", project.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(stdout(&check).contains("39 verified"), "{}", stdout(&check));
}

#[test]
fn a_quote_not_in_the_source_or_in_it_twice_is_refused_and_nothing_is_written() {
    let (_dir, project, treaty) = setup();
    attach(&project, &treaty);
    let before = std::fs::read(&project).unwrap();

    let near = add_quote(
        &project,
        "which shall provide for the adequate protection of human rights and freedoms",
    );
    assert_eq!(near.status.code(), Some(2));
    let message = stderr(&near);
    assert!(message.contains("Closest passage"), "{message}");
    assert!(message.contains("human rights and liberties"), "{message}");

    let twice = add_quote(&project, "Each Party shall adopt such legislative");
    assert_eq!(twice.status.code(), Some(2));
    assert!(
        stderr(&twice).contains("occurs 2 times"),
        "{}",
        stderr(&twice)
    );

    let absent = add_quote(&project, "States should not conduct or knowingly support");
    assert_eq!(absent.status.code(), Some(2));
    assert!(
        stderr(&absent).contains("not even approximately"),
        "{}",
        stderr(&absent)
    );

    let unknown = normgrid(&[
        "evidence",
        "add",
        project.to_str().unwrap(),
        "--agreement",
        "budapest-convention",
        "--element",
        "ke-human-rights",
        "--source",
        "budapets",
        "--quote",
        "x",
    ]);
    assert!(
        stderr(&unknown).contains("did you mean `budapest`"),
        "{}",
        stderr(&unknown)
    );
    assert_eq!(
        std::fs::read(&project).unwrap(),
        before,
        "nothing was written"
    );
}

#[test]
fn replacing_a_source_counts_relocated_changed_and_missing_quotes() {
    let (dir, project, treaty) = setup();
    attach(&project, &treaty);
    for quote in [
        "Such conditions and safeguards shall, as appropriate in view of the nature of the procedure",
        "provide for the adequate protection of human rights and liberties",
        "order the expeditious preservation of specified computer data",
    ] {
        let output = add_quote(&project, quote);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    // The amended text: a new article moves everything (relocated), one quote is reworded
    // (changed) and Article 16 is gone (missing).
    let amended = TREATY
        .replace(
            "Article 14 –",
            "Article 13 – Definitions\n1 For the purposes of this Convention, terms have the meaning given here.\n\nArticle 14 –",
        )
        .replace("human rights and liberties", "human rights and fundamental liberties")
        .replace(
            "1 Each Party shall adopt such legislative and other measures as may be necessary to enable its competent authorities to order the expeditious preservation of specified computer data.\n",
            "",
        );
    let new_version = dir.path().join("budapest-2.txt");
    std::fs::write(&new_version, amended).unwrap();
    let output = normgrid(&[
        "source",
        "replace",
        project.to_str().unwrap(),
        "budapest",
        new_version.to_str().unwrap(),
    ]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}{}", stderr(&output));
    assert!(
        text.contains(
            "0 verified (0 exactly, 0 after normalising), 1 relocated, 1 changed, 1 missing"
        ),
        "{text}"
    );
    assert!(
        text.contains("{+fundamental+}"),
        "the difference is shown: {text}"
    );

    let check = normgrid(&["check", project.to_str().unwrap()]);
    let report = stdout(&check);
    assert_eq!(check.status.code(), Some(1), "{report}");
    assert!(report.contains("1 changed, 1 missing"), "{report}");

    // The relocated anchor was moved by the replacement: it verifies at its position now.
    let loaded = load_project(&project).unwrap().project;
    let source = loaded
        .source(&normgrid::model::SourceId::new("budapest"))
        .unwrap();
    assert!(source.text.contains("Article 13 – Definitions"));
    let cell = loaded.cell(
        &AgreementId::new("budapest-convention"),
        &ElementId::new("ke-human-rights"),
    );
    let moved = cell
        .evidence
        .iter()
        .find(|e| e.exact.starts_with("Such conditions"))
        .unwrap();
    let position = moved.position.unwrap();
    assert_eq!(&source.text[position.start..position.end], moved.exact);

    // Taking the new wording settles the changed quote; the missing one stays listed.
    let output = normgrid(&[
        "source",
        "replace",
        project.to_str().unwrap(),
        "budapest",
        new_version.to_str().unwrap(),
        "--accept-changed",
    ]);
    assert!(
        stdout(&output).contains("took the new wording for 1 changed quote"),
        "{}",
        stdout(&output)
    );
    let report = stdout(&normgrid(&["check", project.to_str().unwrap()]));
    assert!(report.contains("0 changed, 1 missing"), "{report}");
}

#[test]
fn fmt_moves_the_anchor_of_a_relocated_quote() {
    let (_dir, project, treaty) = setup();
    attach(&project, &treaty);
    assert!(
        add_quote(
            &project,
            "include judicial or other independent supervision"
        )
        .status
        .success()
    );
    // Someone edits the stored text by hand: a line above the quote grows.
    let text = std::fs::read_to_string(&project).unwrap();
    let edited = text.replacen(
        "\"Article 14 – Scope of procedural provisions\",",
        "\"Article 14 – Scope of the procedural provisions of this Section\",",
        1,
    );
    assert_ne!(text, edited);
    std::fs::write(&project, edited).unwrap();
    let report = stdout(&normgrid(&["check", project.to_str().unwrap()]));
    assert!(
        report.contains("relocated: budapest-convention / ke-human-rights"),
        "{report}"
    );
    let output = run(&["fmt", project.to_str().unwrap()]);
    assert!(output.contains("moved the anchors of 1 quote"), "{output}");
    let report = stdout(&normgrid(&["check", project.to_str().unwrap()]));
    assert!(report.contains("0 relocated"), "{report}");
}

#[test]
fn check_proves_every_quote_of_the_sample() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/bpf-2019.ron");
    let output = normgrid(&["check", sample.to_str().unwrap()]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{report}");
    assert!(
        report.contains(
            "quotes: 38 verified (31 exactly, 7 after normalising), 0 relocated, 0 changed, 0 missing, 11 locators without a quote"
        ),
        "{report}"
    );
}

#[test]
fn link_anchors_format_1_quotes_found_once_and_leaves_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("old.ron");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bpf-2019-format1.ron"),
        &project,
    )
    .unwrap();
    let report =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/bpf-2019-output-report.txt");
    let report = if report.exists() {
        report
    } else {
        // The seed is outside the repository; the sample carries the same text.
        let sample = normgrid::sample::bpf_2019().unwrap().project;
        let path = dir.path().join("report.txt");
        std::fs::write(&path, &sample.sources[0].text).unwrap();
        path
    };
    run(&[
        "source",
        "add",
        project.to_str().unwrap(),
        "--project-level",
        report.to_str().unwrap(),
        "--id",
        "report",
    ]);
    let output = run(&[
        "evidence",
        "link",
        project.to_str().unwrap(),
        "--source",
        "report",
    ]);
    assert!(output.contains("linked 8 quotes to `report`"), "{output}");
    let loaded = load_project(&project).unwrap().project;
    assert_eq!(loaded.format_version, 2);
    let linked: Vec<_> = loaded
        .cells
        .iter()
        .flat_map(|(_, _, c)| &c.evidence)
        .filter(|e| e.source.is_some())
        .collect();
    assert_eq!(linked.len(), 8);
    let report = stdout(&normgrid(&["check", project.to_str().unwrap()]));
    assert!(
        report.contains("8 verified (1 exactly, 7 after normalising)"),
        "{report}"
    );
}
