//! The page itself: a PDF source attached with `normgrid source add` keeps its original beside
//! the project (`NAME.sources/<sha256>.pdf`), the Reader shows its page with the quote
//! highlighted on its glyphs, a drag on the page selects a passage that becomes evidence, and
//! the review copy carries the quote's page crop.

use crate::common;
use common::gui::{App, click, drag, harness_with, settle};
use egui::Pos2;
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use normgrid::model::{AgreementId, ElementId, SourceId};
use normgrid::ui::StartupOptions;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const AGREEMENT: &str = "sco-agreement";
const ELEMENT: &str = "ke-human-rights";
const QUOTE: &str = "The contact point shall remain reachable at every hour of the day and night";

fn corpus_pdf(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pdf-corpus/known")
        .join(name)
}

/// The sample with the English Chromium treaty attached to the SCO agreement and its Art. 3(2)
/// quoted in SCO × Human Rights, as a volunteer does it on the command line.
fn project_with_pdf_quote(dir: &Path) -> PathBuf {
    let project = dir.join("mapping.ron");
    std::fs::write(&project, normgrid::sample::BPF_2019_RON).unwrap();
    let path = project.to_str().unwrap();
    let pdf = corpus_pdf("chromium-en.pdf");
    let added = common::normgrid(&[
        "source",
        "add",
        path,
        "--agreement",
        AGREEMENT,
        pdf.to_str().unwrap(),
        "--id",
        "treaty",
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert!(
        common::stdout(&added).contains("kept the original as"),
        "{}",
        common::stdout(&added)
    );
    let quoted = common::normgrid(&[
        "evidence",
        "add",
        path,
        "--agreement",
        AGREEMENT,
        "--element",
        ELEMENT,
        "--source",
        "treaty",
        "--quote",
        QUOTE,
    ]);
    assert!(
        quoted.status.success(),
        "{}",
        String::from_utf8_lossy(&quoted.stderr)
    );
    project
}

/// Runs frames until `done` holds (the original is read and drawn on worker threads).
fn wait_for(harness: &mut App, what: &str, done: impl Fn(&App) -> bool) {
    let start = Instant::now();
    while !done(harness) {
        if start.elapsed() > Duration::from_secs(60) {
            let shown: Vec<String> = harness
                .query_all_by_role(Role::Label)
                .filter_map(|n| n.accesskit_node().value())
                .chain(
                    harness
                        .query_all_by_role(Role::Image)
                        .filter_map(|n| n.accesskit_node().label().map(|l| format!("image {l}"))),
                )
                .chain(
                    harness
                        .query_all_by_role(Role::Link)
                        .filter_map(|n| n.accesskit_node().label().map(|l| format!("link {l}"))),
                )
                .map(|t| t.chars().take(80).collect())
                .collect();
            panic!("timed out waiting for {what}; the window shows {shown:#?}");
        }
        std::thread::sleep(Duration::from_millis(30));
        harness.step();
    }
    settle(harness);
}

/// "Show in reader" of the cell's last quote, the one from the PDF.
fn show_the_pdf_quote_in_reader(harness: &mut App) {
    harness
        .query_all_by_label("Show in reader")
        .last()
        .expect("the quotes have Show in reader")
        .click();
    settle(harness);
}

fn has_label(harness: &App, label: &str) -> bool {
    harness.query_by_label(label).is_some()
}

fn quote_label() -> String {
    let sco = normgrid::sample::bpf_2019().unwrap().project;
    let agreement = sco.agreement(&AgreementId::new(AGREEMENT)).unwrap();
    format!("Quote for {} / ", agreement.short_name)
}

fn page_image_label(harness: &App) -> Option<String> {
    harness
        .query_all_by_role(Role::Image)
        .filter_map(|node| node.accesskit_node().label())
        .find(|label| label.starts_with("Page "))
}

fn open_reader_on_quote(project: &Path) -> App {
    let mut harness = harness_with(StartupOptions {
        file: Some(project.to_path_buf()),
        ..StartupOptions::default()
    });
    harness
        .state_mut()
        .view_mut()
        .select_cell(AgreementId::new(AGREEMENT), ElementId::new(ELEMENT));
    settle(&mut harness);
    click(&mut harness, "View");
    click(&mut harness, "Reader panel");
    harness
}

#[test]
fn the_reader_shows_the_quote_highlighted_on_its_page_and_switches_to_the_text_at_the_same_place() {
    let dir = tempfile::tempdir().unwrap();
    let project = project_with_pdf_quote(dir.path());
    let stored = std::fs::read_dir(dir.path().join("mapping.sources"))
        .unwrap()
        .count();
    assert_eq!(stored, 1, "the original is kept once, named by its digest");
    let mut harness = open_reader_on_quote(&project);
    let prefix = quote_label();
    wait_for(&mut harness, "the first page", |h| {
        page_image_label(h).is_some()
    });
    // The page drawn is the quote's own: "Show in reader" and the cell's source open at it.
    let loaded = harness.state().project().clone();
    let source = loaded.source(&SourceId::new("treaty")).unwrap();
    let excerpt = loaded
        .cell(&AgreementId::new(AGREEMENT), &ElementId::new(ELEMENT))
        .evidence
        .last()
        .cloned()
        .unwrap();
    assert!(excerpt.locator.contains("Art. 3(2)"), "{}", excerpt.locator);
    let quote_page = source.page_at(excerpt.position.unwrap().start).unwrap();
    show_the_pdf_quote_in_reader(&mut harness);
    wait_for(&mut harness, "the quote's page, highlighted", |h| {
        page_image_label(h).is_some_and(|l| l.starts_with(&format!("Page {quote_page} of")))
            && h.query_all_by_role(Role::Link)
                .filter_map(|n| n.accesskit_node().label())
                .any(|l| l.starts_with(&prefix))
    });
    assert!(has_label(
        &harness,
        &format!("Page {quote_page} of {}", source.pages.len())
    ));

    // One click shows the text at the same place, one click the page again.
    click(&mut harness, normgrid::ui::reader::TEXT_LABEL);
    assert!(
        page_image_label(&harness).is_none(),
        "the text view replaced the page"
    );
    assert!(
        harness
            .query_all_by_role(Role::Label)
            .filter_map(|n| n.accesskit_node().value())
            .any(|text| text.contains("contact point shall remain reachable")),
        "the text opens where the page was"
    );
    click(&mut harness, normgrid::ui::reader::PAGE_LABEL);
    wait_for(&mut harness, "the page again", |h| {
        page_image_label(h).is_some()
    });
}

#[test]
fn a_drag_on_the_page_selects_a_passage_that_becomes_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let project = project_with_pdf_quote(dir.path());
    let mut harness = open_reader_on_quote(&project);
    let prefix = quote_label();
    wait_for(&mut harness, "the first page", |h| {
        page_image_label(h).is_some()
    });
    show_the_pdf_quote_in_reader(&mut harness);
    wait_for(&mut harness, "the highlighted page", |h| {
        h.query_all_by_role(Role::Link)
            .filter_map(|n| n.accesskit_node().label())
            .any(|l| l.starts_with(&prefix))
    });
    // Drag across the highlighted line, from its left end to its right end.
    let highlight = harness
        .query_all_by_role(Role::Link)
        .find(|n| {
            n.accesskit_node()
                .label()
                .is_some_and(|l| l.starts_with(&prefix))
        })
        .unwrap()
        .rect();
    let from = Pos2::new(highlight.min.x + 2.0, highlight.center().y);
    let to = Pos2::new(highlight.max.x - 2.0, highlight.center().y);
    drag(&mut harness, from, to);
    let before = common::gui::cell(&harness, AGREEMENT, ELEMENT)
        .evidence
        .len();
    let button = harness
        .query_all_by_role(Role::Button)
        .filter_map(|n| n.accesskit_node().label())
        .find(|l| l.starts_with("Use as evidence"))
        .expect("the evidence button shows for the selection");
    click(&mut harness, &button);
    let cell = common::gui::cell(&harness, AGREEMENT, ELEMENT);
    assert_eq!(
        cell.evidence.len(),
        before + 1,
        "the passage became evidence"
    );
    let added = cell.evidence.last().unwrap();
    assert!(added.exact.contains("contact point"), "{:?}", added.exact);
    assert!(added.locator.contains("Art. 3(2)"), "{:?}", added.locator);
    assert!(!added.exact.contains('\n'));
}

#[test]
fn without_its_original_the_reader_says_where_to_put_it_and_keeps_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let project = project_with_pdf_quote(dir.path());
    std::fs::remove_dir_all(dir.path().join("mapping.sources")).unwrap();
    let mut harness = open_reader_on_quote(&project);
    wait_for(&mut harness, "the reason", |h| {
        h.query_all_by_role(Role::Label)
            .filter_map(|n| n.accesskit_node().value())
            .any(|v| v.contains("mapping.sources"))
    });
    assert!(page_image_label(&harness).is_none());
    assert!(
        harness
            .query_all_by_role(Role::Label)
            .filter_map(|n| n.accesskit_node().value())
            .any(|text| text.contains("contact point")),
        "the text view shows the stored text"
    );
}

#[test]
fn the_review_copy_carries_the_quote_on_its_page_highlighted() {
    let dir = tempfile::tempdir().unwrap();
    let project = project_with_pdf_quote(dir.path());
    let (out, exported) = export_review(dir.path(), &project);
    let stderr = String::from_utf8_lossy(&exported.stderr);
    assert!(
        stderr.contains("1 quote(s) shown on their page"),
        "{stderr}"
    );
    let html = std::fs::read_to_string(&out).unwrap();
    let data = common::review_copy_data(&html);
    let excerpt = &data["agreements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == AGREEMENT)
        .unwrap()["cells"][ELEMENT]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["exact"]
                .as_str()
                .is_some_and(|x| x.starts_with("The contact point"))
        })
        .cloned()
        .unwrap();
    let page = &excerpt["page"];
    let url = page["data_url"].as_str().unwrap();
    let png = base64_decode(url.strip_prefix("data:image/png;base64,").unwrap());
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(
        (info.width, info.height),
        (
            page["width"].as_u64().unwrap() as u32,
            page["height"].as_u64().unwrap() as u32
        )
    );
    assert!(
        info.width > 300 && info.height > 40,
        "{}×{}",
        info.width,
        info.height
    );
    // Highlighted: yellow pixels (red and green high, blue low) where the quote is.
    let yellow = pixels
        .chunks_exact(3)
        .filter(|px| px[0] > 200 && px[1] > 170 && px[2] < 120)
        .count();
    assert!(yellow > 1000, "{yellow} highlighted pixels");
    // And dark glyph pixels: the page's text is drawn.
    let ink = pixels
        .chunks_exact(3)
        .filter(|px| px[0] < 80 && px[1] < 80 && px[2] < 80)
        .count();
    assert!(ink > 500, "{ink} ink pixels");
    assert!(
        url.len() < 250 * 1024 * 4 / 3 + 64,
        "within the crop budget"
    );
}

/// `normgrid export review` of `project` into `dir`: the copy's path and the command's output.
fn export_review(dir: &Path, project: &Path) -> (PathBuf, std::process::Output) {
    let out = dir.join("review.html");
    let exported = common::normgrid(&[
        "export",
        "review",
        "--out",
        out.to_str().unwrap(),
        project.to_str().unwrap(),
    ]);
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    (out, exported)
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

#[test]
fn a_page_over_the_drawing_budget_is_refused_with_a_message_not_drawn() {
    use normgrid::sources::extract::pdf::render::{RenderBudget, RenderError, render_page};
    let bytes = std::fs::read(corpus_pdf("chromium-en.pdf")).unwrap();
    let drawn = render_page(&bytes, 0, 1.0, &RenderBudget::default()).unwrap();
    assert!(
        drawn.width > 500 && drawn.height > 700,
        "{}×{}",
        drawn.width,
        drawn.height
    );
    let tight = RenderBudget {
        max_glyphs: 10,
        ..RenderBudget::default()
    };
    let refused = render_page(&bytes, 0, 1.0, &tight).unwrap_err();
    assert!(
        matches!(refused, RenderError::OverBudget { what: "glyphs", .. }),
        "{refused:?}"
    );
    assert!(
        refused
            .to_string()
            .contains("the text view still shows its text"),
        "{refused}"
    );
    let huge = render_page(&bytes, 0, 400.0, &RenderBudget::default()).unwrap_err();
    assert!(
        matches!(huge, RenderError::OverBudget { what: "pixels", .. }),
        "{huge:?}"
    );
    assert!(matches!(
        render_page(&bytes, 999, 1.0, &RenderBudget::default()),
        Err(RenderError::NoSuchPage(1000))
    ));
    let garbage =
        render_page(b"%PDF-1.7\nnot really", 0, 1.0, &RenderBudget::default()).unwrap_err();
    assert!(matches!(garbage, RenderError::Open(_)), "{garbage:?}");
}

/// The review copy in real Chromium: the quote's page crop is an image the browser decoded,
/// shown under the quote's passage, with its caption; a screenshot goes to
/// `target/review-page-crop.png` for a person to look at.
#[test]
fn chromium_shows_the_page_crop_under_the_quote() {
    use crate::common::browser::{chromium, eval, file_url, open};
    let dir = tempfile::tempdir().unwrap();
    let project = project_with_pdf_quote(dir.path());
    let (out, _) = export_review(dir.path(), &project);
    let browser = chromium();
    let tab = &browser.tab;
    open(
        tab,
        &format!("{}#cell={AGREEMENT}/{ELEMENT}", file_url(&out)),
    );
    // Objects come back from the page as JSON text.
    let json = |expression: &str| -> serde_json::Value {
        let text = eval(tab, &format!("JSON.stringify({expression})"));
        serde_json::from_str(text.as_str().unwrap_or("null")).unwrap()
    };
    let crop = json(
        "(() => { const img = document.querySelector('figure.page-crop img'); \
         if (!img) return null; img.scrollIntoView({block: 'center'}); \
         const caption = img.closest('figure').querySelector('figcaption').textContent; \
         return {complete: img.complete, width: img.naturalWidth, height: img.naturalHeight, \
                 shown: img.getBoundingClientRect().width, alt: img.alt, caption}; })()",
    );
    assert!(crop.is_object(), "no page crop in the open cell: {crop}");
    assert_eq!(crop["complete"], true, "{crop}");
    assert!(crop["width"].as_u64().unwrap() > 300, "{crop}");
    assert!(crop["shown"].as_f64().unwrap() > 200.0, "{crop}");
    assert!(
        crop["alt"]
            .as_str()
            .unwrap()
            .starts_with("The quote highlighted on page 2"),
        "{crop}"
    );
    assert!(
        crop["caption"]
            .as_str()
            .unwrap()
            .contains("On page 2 of the original PDF"),
        "{crop}"
    );
    // A click shows the crop at its full size.
    let full = json(
        "(() => { const button = document.querySelector('figure.page-crop button'); \
         button.click(); const img = button.querySelector('img'); \
         return {pressed: button.getAttribute('aria-pressed'), \
                 shown: img.getBoundingClientRect().width, width: img.naturalWidth}; })()",
    );
    assert_eq!(full["pressed"], "true", "{full}");
    assert!(
        (full["shown"].as_f64().unwrap() - full["width"].as_f64().unwrap()).abs() < 2.0,
        "{full}"
    );
    let png = tab
        .capture_screenshot(
            headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption::Png,
            None,
            None,
            true,
        )
        .unwrap();
    let shot = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/review-page-crop.png");
    std::fs::write(shot, png).unwrap();
}
