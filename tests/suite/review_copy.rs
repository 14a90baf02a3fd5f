//! The HTML review copy as a file: hostile project strings stay data (parsed back with an HTML5
//! parser and a JSON reader), the Content-Security-Policy's hashes match the inline script and
//! style, nothing points at the network, every grid cell carries its fingerprint, and the CLI
//! and File → Export write it.

use crate::common;
use base64::Engine as _;
use chrono::{DateTime, NaiveDate, Utc};
use common::gui::{App, click, harness, settle};
use normgrid::collab::review_file::cell_fingerprint;
use normgrid::commands::Command;
use normgrid::export::review_copy::review_copy_html;
use normgrid::model::{
    AgreementId, Assessment, ElementId, Excerpt, ExcerptId, Note, NoteId, NoteKind, NoteTarget,
    Project,
};
use normgrid::ui::AppEvent;
use normgrid::ui::actions::Action;
use normgrid::ui::dialogs::{ExportFormat, FilePurpose, Modal};
use scraper::{Html, Selector};
use sha2::{Digest, Sha256};

/// Everything an HTML page could mistake for markup or script, and the line separators that
/// end a JavaScript string in old parsers.
const HOSTILE: &str = "</script><script>alert(1)</script><!-- <img src=x onerror=alert(2)> \
                       & \u{2028}line\u{2029}para \"double\" 'single' `tick` ]]> </style>";

fn made_at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_790_000_000, 0).unwrap()
}

/// The sample with HOSTILE in an agreement's name, a cell's note and quote, and a cell note.
fn hostile_project() -> (Project, AgreementId, ElementId) {
    let mut project = common::sample();
    let agreement = project.agreements[0].id.clone();
    let element = project.frameworks[0].elements[0].id.clone();
    project.agreements[0].name = format!("Name {HOSTILE}");
    project.agreements[0].short_name = format!("Short {HOSTILE}");
    let mut cell = project.cell(&agreement, &element);
    cell.assessment = Assessment::Yes;
    cell.note = format!("Note {HOSTILE}");
    cell.evidence.push(Excerpt::unsourced(
        ExcerptId::new("hostile"),
        format!("Quote {HOSTILE}"),
        format!("Art. {HOSTILE}"),
    ));
    Command::SetCell {
        agreement: agreement.clone(),
        element: element.clone(),
        cell,
    }
    .apply(&mut project)
    .unwrap();
    project.notes.push(Note {
        id: NoteId::new("hostile-note"),
        target: NoteTarget::Cell(agreement.clone(), element.clone()),
        author: format!("Author {HOSTILE}"),
        date: NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
        text: format!("Discussion {HOSTILE}"),
        kind: NoteKind::Review,
    });
    (project, agreement, element)
}

fn select<'a>(document: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap();
    document.select(&selector).collect()
}

/// The JSON data block, parsed.
fn embedded_data(document: &Html) -> serde_json::Value {
    let blocks = select(document, "script#normgrid-data");
    assert_eq!(blocks.len(), 1, "one data block");
    assert_eq!(blocks[0].value().attr("type"), Some("application/json"));
    let text: String = blocks[0].text().collect();
    serde_json::from_str(&text).unwrap()
}

fn csp_hash(content: &str) -> String {
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(content.as_bytes()))
    )
}

/// The CSP's directives by name.
fn policy(document: &Html) -> std::collections::HashMap<String, Vec<String>> {
    let metas = select(document, "meta[http-equiv=\"Content-Security-Policy\"]");
    assert_eq!(metas.len(), 1, "one CSP meta");
    let content = metas[0].value().attr("content").unwrap();
    content
        .split(';')
        .filter_map(|directive| {
            let mut words = directive.split_whitespace();
            let name = words.next()?.to_owned();
            Some((name, words.map(str::to_owned).collect()))
        })
        .collect()
}

fn agreement_json<'v>(data: &'v serde_json::Value, id: &AgreementId) -> &'v serde_json::Value {
    data["agreements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id.as_str())
        .unwrap()
}

#[test]
fn hostile_strings_stay_data_in_exactly_two_scripts() {
    let (project, agreement, element) = hostile_project();
    let html = review_copy_html(&project, made_at(), &Default::default()).unwrap();
    let document = Html::parse_document(&html);

    // Exactly the data block and the page's own script: nothing a name could have opened.
    let scripts = select(&document, "script");
    assert_eq!(
        scripts.len(),
        2,
        "{:?}",
        scripts.iter().map(|s| s.html()).collect::<Vec<_>>()
    );
    assert_eq!(scripts[0].value().attr("id"), Some("normgrid-data"));
    assert_eq!(scripts[1].value().attr("type"), None);
    assert_eq!(
        scripts[1].text().collect::<String>(),
        normgrid::export::review_copy::REVIEW_JS
    );
    assert!(
        select(&document, "img").is_empty(),
        "no element from a name"
    );
    assert_eq!(select(&document, "style").len(), 1);

    let data = embedded_data(&document);
    let row = agreement_json(&data, &agreement);
    assert_eq!(row["name"], format!("Name {HOSTILE}"));
    assert_eq!(row["short_name"], format!("Short {HOSTILE}"));
    let cell = &row["cells"][element.as_str()];
    assert_eq!(cell["assessment"], "Yes");
    assert_eq!(cell["note"], format!("Note {HOSTILE}"));
    let quote = cell["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["exact"] == format!("Quote {HOSTILE}"))
        .unwrap();
    assert_eq!(quote["locator"], format!("Art. {HOSTILE}"));
    assert_eq!(quote["state"], "no source", "a quote without a source");
    let note = &cell["notes"][0];
    assert_eq!(note["author"], format!("Author {HOSTILE}"));
    assert_eq!(note["text"], format!("Discussion {HOSTILE}"));
    assert_eq!(note["kind"], "Review comment");
    // The raw file holds none of the characters that could end the block.
    let raw = html
        .split("<script id=\"normgrid-data\" type=\"application/json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .unwrap();
    assert!(!raw.contains('<') && !raw.contains('>') && !raw.contains('&'));
    assert!(!raw.contains('\u{2028}') && !raw.contains('\u{2029}'));
}

#[test]
fn the_csp_allows_only_the_inline_script_and_style_and_no_network() {
    let (project, _, _) = hostile_project();
    let html = review_copy_html(&project, made_at(), &Default::default()).unwrap();
    let document = Html::parse_document(&html);
    let directives = policy(&document);
    let script: String = select(&document, "script:not([type])")[0].text().collect();
    let style: String = select(&document, "style")[0].text().collect();
    assert_eq!(directives["script-src"], vec![csp_hash(&script)]);
    assert_eq!(directives["style-src"], vec![csp_hash(&style)]);
    for none in [
        "default-src",
        "connect-src",
        "font-src",
        "form-action",
        "base-uri",
    ] {
        assert_eq!(directives[none], vec!["'none'".to_owned()], "{none}");
    }
    assert_eq!(directives["img-src"], vec!["data:".to_owned()]);
    // The CSP meta comes before anything it governs.
    let csp_at = html.find("Content-Security-Policy").unwrap();
    assert!(csp_at < html.find("<style>").unwrap() && csp_at < html.find("<script").unwrap());

    // No attribute anywhere points at the network; chart images are data URLs.
    for element in select(&document, "*") {
        for (name, value) in element.value().attrs() {
            if name == "src" || name == "href" {
                let lower = value.trim().to_ascii_lowercase();
                assert!(
                    !lower.starts_with("http:")
                        && !lower.starts_with("https:")
                        && !lower.starts_with("//"),
                    "{name}={value}"
                );
            }
        }
    }
    let data = embedded_data(&document);
    let charts = data["charts"].as_array().unwrap();
    assert!(!charts.is_empty());
    for chart in charts {
        let url = chart["data_url"].as_str().unwrap();
        let encoded = url.strip_prefix("data:image/svg+xml;base64,").unwrap();
        let svg = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        let svg = String::from_utf8(svg).unwrap();
        roxmltree::Document::parse(&svg).unwrap();
        assert!(!svg.contains("<script"), "charts carry no script");
    }
    // The script builds no HTML from strings.
    for forbidden in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(
            !normgrid::export::review_copy::REVIEW_JS.contains(forbidden),
            "{forbidden}"
        );
    }
}

#[test]
fn every_grid_cell_carries_its_fingerprint_and_the_sample_copy_is_small() {
    let project = common::sample();
    let html = review_copy_html(&project, made_at(), &Default::default()).unwrap();
    assert!(
        html.len() <= 1_500_000,
        "the sample's copy is {} bytes",
        html.len()
    );
    let document = Html::parse_document(&html);
    let data = embedded_data(&document);
    assert_eq!(data["project"]["id"], project.id.as_str());
    assert_eq!(data["project"]["title"], project.title.as_str());
    assert_eq!(
        data["project"]["made_at"]
            .as_str()
            .unwrap()
            .parse::<DateTime<Utc>>()
            .unwrap(),
        made_at()
    );
    let elements: Vec<&ElementId> = project.elements().map(|(_, e)| &e.id).collect();
    for agreement in &project.agreements {
        let row = agreement_json(&data, &agreement.id);
        let fingerprints = row["fingerprints"].as_array().unwrap();
        assert_eq!(fingerprints.len(), elements.len());
        for (element, fingerprint) in elements.iter().zip(fingerprints) {
            assert_eq!(
                fingerprint,
                &cell_fingerprint(&project.cell(&agreement.id, element)),
                "{} / {element}",
                agreement.id
            );
            let stored = project.cells.get(&agreement.id, element);
            let shown = &row["cells"][element.as_str()];
            match stored {
                Some(cell) => {
                    assert_eq!(
                        shown["evidence"].as_array().unwrap().len(),
                        cell.evidence.len()
                    );
                    assert_eq!(shown["note"], cell.note.as_str());
                }
                None => {
                    assert!(shown.is_null() || shown["evidence"].as_array().unwrap().is_empty());
                }
            }
        }
    }
    // Norms keep their letters; frameworks carry their elements' descriptions.
    let labels: Vec<String> = data["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["elements"].as_array().unwrap().iter())
        .filter_map(|e| {
            e["label"]
                .as_str()
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(labels.first().map(String::as_str), Some("(a)"));
    assert_eq!(labels.last().map(String::as_str), Some("(k)"));
    // A quote anchored in its source comes with its passage and headings.
    let anchored = data["agreements"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["cells"].as_object().unwrap().values())
        .flat_map(|c| c["evidence"].as_array().unwrap().iter())
        .find(|e| e["state"] == "verified")
        .unwrap();
    // The source's own words, which may break lines where the quote has spaces.
    let words = |v: &serde_json::Value| {
        v.as_str()
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        words(&anchored["passage"]["exact"]),
        words(&anchored["exact"])
    );
    assert!(!anchored["passage"]["before"].as_str().unwrap().is_empty());
    assert!(!anchored["source_title"].as_str().unwrap().is_empty());
}

#[test]
fn export_review_writes_the_copy_and_refuses_to_overwrite_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let project = common::sample();
    let path = common::write(dir.path(), "project.ron", &project);
    let out = dir.path().join("review.html");
    let output = common::normgrid(&["export", "review", "--out", out.to_str().unwrap(), &path]);
    assert!(output.status.success(), "{output:?}");
    let html = std::fs::read_to_string(&out).unwrap();
    let data = embedded_data(&Html::parse_document(&html));
    assert_eq!(data["project"]["id"], project.id.as_str());
    assert_eq!(
        data["agreements"].as_array().unwrap().len(),
        project.agreements.len()
    );

    let before = std::fs::read(&path).unwrap();
    let output = common::normgrid(&["export", "review", "--out", &path, &path]);
    assert!(!output.status.success());
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the project is untouched"
    );
}

fn review_copy_requested(harness: &App) -> bool {
    let purpose = FilePurpose::ExportProject(ExportFormat::ReviewCopy);
    match harness.state().modal() {
        Some(Modal::TypePath {
            purpose: asked,
            text,
            ..
        }) => *asked == purpose && text.ends_with("-review.html"),
        _ => harness.state().action_state().dialog_open,
    }
}

#[test]
fn file_export_review_copy_asks_for_a_file_and_writes_the_copy() {
    let mut harness = harness();
    click(&mut harness, "File");
    click(&mut harness, Action::ExportReviewCopy.label());
    assert!(
        review_copy_requested(&harness),
        "the menu item opens a file dialog (or the typed-path prompt) for the review copy; modal {:?}",
        harness.state().modal()
    );
    // The dialog's answer, as it would arrive.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("for-reviewers.html");
    harness.state_mut().send(AppEvent::ExportProjectPath(
        ExportFormat::ReviewCopy,
        path.clone(),
    ));
    settle(&mut harness);
    let toast = harness.state().toast().unwrap_or_default().to_owned();
    assert!(toast.contains("for-reviewers.html"), "{toast:?}");
    let html = std::fs::read_to_string(&path).unwrap();
    let document = Html::parse_document(&html);
    let data = embedded_data(&document);
    assert_eq!(data["project"]["id"], harness.state().project().id.as_str());
    assert_eq!(
        Action::ExportReviewCopy.tooltip(),
        "One HTML file reviewers open in any browser: they mark cells and send their verdicts back"
    );
}
