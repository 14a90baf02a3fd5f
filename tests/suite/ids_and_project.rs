//! Readable ids (made in the editor, shown and copied in the details panel, suggested by the
//! CLI when mistyped) and the Project window whose title and date every chart prints.

use crate::common;
use common::gui::{add_agreement_named, add_initiative_for, click, harness, settle};

use chrono::NaiveDate;
use common::{normgrid, sample, write};
use egui::{Key, Modifiers, OutputCommand};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use normgrid::charts::svg::chart_to_svg;
use normgrid::charts::{ChartKind, ChartSpec, build_chart};
use normgrid::commands::Command;
use normgrid::model::{AgreementId, Project};
use normgrid::ui::NormgridApp;

/// Clicks into the field labelled `label`, selects what it holds and types `text` over it.
fn replace_text(harness: &mut Harness<'static, NormgridApp>, label: &str, text: &str) {
    click(harness, label);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label(label).type_text(text);
    settle(harness);
}

fn undo(harness: &mut Harness<'static, NormgridApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(harness);
}

fn agreement_ids(project: &Project) -> Vec<&str> {
    project.agreements.iter().map(|a| a.id.as_str()).collect()
}

#[test]
fn added_agreements_get_readable_ids_from_their_names_shown_and_copied_in_the_details_panel() {
    let mut harness = harness();
    add_agreement_named(&mut harness, "G20 Leaders Communique");
    add_agreement_named(&mut harness, "G20 Leaders Communique");
    let ids = agreement_ids(harness.state().project());
    assert_eq!(ids.len(), 22);
    assert_eq!(
        ids[20..],
        ["g20-leaders-communique", "g20-leaders-communique-2"]
    );
    let second = AgreementId::new("g20-leaders-communique-2");
    assert_eq!(
        harness.state().view().selection.agreement,
        Some(second.clone())
    );

    // The details panel names the selected agreement's id, and Copy id puts it on the clipboard.
    harness.get_by_label("Agreement id:");
    harness.get_by_label("g20-leaders-communique-2");
    harness.get_by_label("Copy id").click();
    harness.step();
    let copied: Vec<&OutputCommand> = harness.output().platform_output.commands.iter().collect();
    assert!(
        copied.contains(&&OutputCommand::CopyText(
            "g20-leaders-communique-2".to_owned()
        )),
        "{copied:?}"
    );

    // Renaming keeps the id: cells, notes and colleagues' copies refer to it.
    replace_text(&mut harness, "Short name", "G20 Antalya");
    let project = harness.state().project();
    let renamed = project.agreement(&second).unwrap();
    assert_eq!(renamed.short_name, "G20 Antalya");
    harness.get_by_label("g20-leaders-communique-2");
}

#[test]
fn an_added_initiative_gets_a_readable_id_shown_in_its_editor() {
    let mut harness = harness();
    let added = add_initiative_for(&mut harness, "Paris Call");
    assert_eq!(added.id.as_str(), "new-initiative");
    harness.get_by_label("Initiative id:");
    harness.get_by_label("new-initiative");
}

#[test]
fn undoing_an_added_agreement_frees_its_id() {
    let mut harness = harness();
    add_agreement_named(&mut harness, "Test Accord");
    undo(&mut harness);
    assert!(!agreement_ids(harness.state().project()).contains(&"test-accord"));
    add_agreement_named(&mut harness, "Test Accord");
    assert_eq!(
        agreement_ids(harness.state().project()).last(),
        Some(&"test-accord")
    );
}

#[test]
fn edit_the_project_title_description_and_date_in_the_project_window_then_undo() {
    let mut harness = harness();
    let original = harness.state().project().clone();
    click(&mut harness, "File");
    click(&mut harness, "Project info…");

    replace_text(&mut harness, "Project title", "BPF 2020 mapping");
    replace_text(&mut harness, "Project description", "Second pass.");
    replace_text(&mut harness, "As of (YYYY-MM-DD)", "2020-11-30");
    let project = harness.state().project();
    assert_eq!(project.title, "BPF 2020 mapping");
    assert_eq!(project.description, "Second pass.");
    assert_eq!(
        project.as_of,
        NaiveDate::from_ymd_opt(2020, 11, 30).unwrap()
    );
    assert!(harness.state().has_unsaved_changes());

    // One undo step per field: the date first, then the description, then the title.
    undo(&mut harness);
    let project = harness.state().project();
    assert_eq!(project.as_of, original.as_of);
    assert_eq!(project.description, "Second pass.");
    undo(&mut harness);
    let project = harness.state().project();
    assert_eq!(project.description, original.description);
    assert_eq!(project.title, "BPF 2020 mapping");
    undo(&mut harness);
    assert_eq!(harness.state().project().title, original.title);
    assert!(!harness.state().has_unsaved_changes());
    // The field shows the restored title too.
    assert_eq!(
        harness.get_by_label("Project title").value().as_deref(),
        Some(original.title.as_str())
    );
}

#[test]
fn a_half_typed_date_changes_nothing() {
    let mut harness = harness();
    let as_of = harness.state().project().as_of;
    click(&mut harness, "File");
    click(&mut harness, "Project info…");
    replace_text(&mut harness, "As of (YYYY-MM-DD)", "31.12.");
    assert_eq!(harness.state().project().as_of, as_of);
    assert!(!harness.state().has_unsaved_changes());
    harness.get_by_label("Not a date yet: type it as 2026-03-31.");
}

/// Every `<text>` of `svg`, parsed as an SVG viewer would.
fn svg_texts(svg: &str) -> Vec<String> {
    let document = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("bad SVG: {e}"));
    document
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            n.descendants()
                .filter(roxmltree::Node::is_text)
                .filter_map(|t| t.text())
                .collect()
        })
        .collect()
}

#[test]
fn every_chart_prints_the_project_title_and_as_of_date() {
    let mut project = sample();
    Command::SetProjectInfo {
        title: "BPF 2020 mapping & <review>".to_owned(),
        description: "Second pass.".to_owned(),
        as_of: NaiveDate::from_ymd_opt(2020, 11, 30).unwrap(),
    }
    .apply(&mut project)
    .unwrap();
    for kind in [
        ChartKind::Heatmap,
        ChartKind::Prevalence,
        ChartKind::NormCoverage,
        ChartKind::Profile,
    ] {
        let mut spec = ChartSpec::new(kind);
        spec.profile = Some(AgreementId::new("paris-call"));
        let chart = build_chart(&project, &spec).unwrap();
        let texts = svg_texts(&chart_to_svg(&chart));
        assert!(
            texts.iter().any(
                |t| t.contains("BPF 2020 mapping & <review>") && t.contains("30 November 2020")
            ),
            "{kind:?}: {texts:?}"
        );
        assert!(
            texts.iter().any(|t| t.contains("Second pass.")),
            "{kind:?} leaves out the description: {texts:?}"
        );
    }
}

#[test]
fn a_long_description_prints_its_first_sentence_or_nothing() {
    let mut project = sample();
    let first = "Second pass of the BPF mapping.";
    let long_tail = "It adds the agreements of 2020 and re-reads every quote. ".repeat(8);
    let mut chart_texts = |description: &str| {
        project.description = description.to_owned();
        let chart = build_chart(&project, &ChartSpec::new(ChartKind::Heatmap)).unwrap();
        svg_texts(&chart_to_svg(&chart))
    };
    let texts = chart_texts(&format!("{first} {long_tail}"));
    assert!(texts.iter().any(|t| t == first), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("re-reads")), "{texts:?}");

    let unbroken = "word ".repeat(400);
    let texts = chart_texts(&unbroken);
    assert!(!texts.iter().any(|t| t.contains("word word")), "{texts:?}");
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_cli_suggests_the_closest_agreement_ids() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "p.ron", &sample());
    let out = dir.path().join("chart.svg");
    let out = out.to_str().unwrap();
    let output = normgrid(&[
        "export",
        "chart",
        "--kind",
        "heatmap",
        "--agreements",
        "paris-call,pariscall",
        "--out",
        out,
        &file,
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.contains("unknown agreement `pariscall`; did you mean `paris-call`"),
        "{message}"
    );
    // Up to three suggestions, and the file is not written.
    assert!(message.matches('`').count() <= 8, "{message}");
    assert!(!dir.path().join("chart.svg").exists());
}

#[test]
fn the_cli_suggests_the_closest_framework_ids() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "p.ron", &sample());
    let csv = dir.path().join("cells.csv");
    let svg = dir.path().join("chart.svg");
    for args in [
        vec!["summary", "--framework", "bpf2019-key-element", &file],
        vec![
            "export",
            "csv",
            "--framework",
            "bpf2019-key-element",
            "--out",
            csv.to_str().unwrap(),
            &file,
        ],
        vec![
            "export",
            "chart",
            "--kind",
            "prevalence",
            "--framework",
            "bpf2019-key-element",
            "--out",
            svg.to_str().unwrap(),
            &file,
        ],
    ] {
        let output = normgrid(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let message = stderr(&output);
        assert!(
            message.contains(
                "unknown framework `bpf2019-key-element`; did you mean `bpf2019-key-elements` or `ungge2015-norms`?"
            ),
            "{args:?}: {message}"
        );
    }
    assert!(!csv.exists());
    assert!(!svg.exists());
    // A known id still works.
    let output = normgrid(&["summary", "--framework", "ungge2015-norms", &file]);
    assert!(output.status.success(), "{}", stderr(&output));
}
