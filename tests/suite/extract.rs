//! Text extraction from real files made by other programs (Chromium, Ghostscript,
//! LibreOffice): the known text comes out, page starts are right, headers and footers are
//! gone, and unreadable files are refused by name without a panic.
//! The fixtures and their known text: tests/fixtures/sources/README.md.

use normgrid::model::SourceKind;
use normgrid::sources::{ExtractError, Extracted, extract_bytes, extract_file};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sources")
        .join(name)
}

fn extracted(name: &str) -> Extracted {
    extract_file(&fixture(name)).unwrap_or_else(|error| panic!("{error}"))
}

fn refused(name: &str) -> ExtractError {
    match extract_file(&fixture(name)) {
        Ok(extracted) => panic!("{name} was read: {:?}", extracted.text),
        Err(error) => {
            let message = error.to_string();
            assert!(
                message.contains(name),
                "message does not name the file: {message}"
            );
            error
        }
    }
}

/// The text of page `number` (1-based).
fn page(extracted: &Extracted, number: usize) -> &str {
    let start = extracted.pages[number - 1];
    let end = extracted
        .pages
        .get(number)
        .copied()
        .unwrap_or(extracted.text.len());
    &extracted.text[start..end]
}

/// The sha256 that coreutils' `sha256sum` computes for a fixture.
fn sha256sum(name: &str) -> String {
    let output = std::process::Command::new("sha256sum")
        .arg(fixture(name))
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    stdout.split_whitespace().next().unwrap().to_owned()
}

/// The text with every run of whitespace as one space: a PDF's text keeps the page's line
/// breaks, and these tests read its words.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn position(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found in:\n{text}"))
}

/// Running headers and footers of all three producers' agreement fixtures.
fn assert_no_running_lines(extracted: &Extracted) {
    assert!(!extracted.text.contains("Draft Text"), "{}", extracted.text);
    assert!(!extracted.text.contains("Page 1 of"), "{}", extracted.text);
    assert!(!extracted.text.contains("Page 2 of"), "{}", extracted.text);
    assert!(
        extracted
            .notes
            .iter()
            .any(|n| n.starts_with("removed a running header or footer from")
                && n.contains("Draft Text")),
        "{:?}",
        extracted.notes
    );
    assert!(
        extracted
            .notes
            .iter()
            .any(|n| n.starts_with("removed page numbers from")),
        "{:?}",
        extracted.notes
    );
}

#[test]
fn ghostscript_pdf_pages_text_and_cleanup() {
    let pdf = extracted("gs-agreement.pdf");
    assert_eq!(pdf.kind, SourceKind::Pdf);
    assert_eq!(pdf.pages.len(), 4);
    assert_eq!(pdf.pages[0], 0);
    assert!(page(&pdf, 1).starts_with("Article 15 – Conditions and safeguards\n"));
    assert!(
        page(&pdf, 2).starts_with("Article 16 – Expedited preservation of stored computer data\n")
    );
    assert!(page(&pdf, 3).starts_with("Article 17 – Mutual assistance\n"));
    assert!(page(&pdf, 4).starts_with("Article 18 – Final provisions\n"));
    // Printed "signi-" / "ﬁcant": hyphen joined after the ligature is spelled out.
    let words = flat(&pdf.text);
    assert!(words.contains("report significant"), "{}", pdf.text);
    assert!(words.contains("The office shall file the final report on the flow of data."));
    assert!(!pdf.text.contains('\u{fb01}'));
    assert!(pdf.text.contains(
        "\n(c) the protection of confidential information and the specified rights of individuals.\n"
    ));
    assert_no_running_lines(&pdf);
    assert!(
        pdf.notes.iter().any(|n| n.starts_with("joined")),
        "{:?}",
        pdf.notes
    );
    assert_eq!(pdf.sha256, sha256sum("gs-agreement.pdf"));
}

#[test]
fn chromium_pdf_pages_text_and_cleanup() {
    let pdf = extracted("chromium-agreement.pdf");
    assert_eq!(pdf.pages.len(), 3);
    assert_eq!(pdf.title.as_deref(), Some("Agreement"));
    assert!(
        page(&pdf, 1).starts_with(
            "Convention on Cooperation in Cyberspace\nArticle 15 – Conditions and safeguards\n"
        ),
        "{}",
        page(&pdf, 1)
    );
    assert!(
        page(&pdf, 2).starts_with("Article 16 – Expedited preservation of stored computer data\n")
    );
    assert!(page(&pdf, 3).starts_with("Article 17 – Mutual assistance\n"));
    // Literal ligature characters in the HTML, and ligatures the font shaped.
    assert!(flat(&pdf.text).contains("The office of the Secretariat shall file the final report; the flow of data shall be efficient and fluent."), "{}", pdf.text);
    assert!(
        pdf.text
            .contains("\n14. Each Party shall adopt such legislative and other measures")
    );
    assert_no_running_lines(&pdf);
    assert_eq!(pdf.sha256, sha256sum("chromium-agreement.pdf"));
}

#[test]
fn libreoffice_pdf_reads_two_columns_column_by_column() {
    let pdf = extracted("libreoffice-agreement.pdf");
    assert_eq!(pdf.pages.len(), 3);
    assert!(page(&pdf, 1).starts_with("Article 15 – Conditions and safeguards\n"));
    assert!(page(&pdf, 3).starts_with("Article 17 – Mutual assistance\n"));
    let columns = page(&pdf, 3);
    let left = position(columns, "LEFTCOL");
    let left_end = position(columns, "LEFTEND");
    let right = position(columns, "RIGHTCOL");
    let right_end = position(columns, "RIGHTEND");
    assert!(
        left < left_end && left_end < right && right < right_end,
        "{columns}"
    );
    assert!(
        flat(&pdf.text).contains("national cybersecurity capacities"),
        "{}",
        pdf.text
    );
    assert_no_running_lines(&pdf);
}

#[test]
fn docx_from_libreoffice_has_its_paragraphs_and_title_but_no_header() {
    let docx = extracted("docx-agreement.docx");
    assert_eq!(docx.kind, SourceKind::Docx);
    assert!(docx.pages.is_empty());
    assert_eq!(
        docx.title.as_deref(),
        Some("Convention on Cooperation in Cyberspace (Word draft)")
    );
    assert!(
        docx.text.starts_with(
            "Ref.\tCCC/2026/1\nArticle 15 – Conditions and safeguards\n13. Each Party shall ensure"
        ),
        "{}",
        docx.text
    );
    assert!(
        docx.text
            .contains("\n(a) judicial or other independent supervision;\n")
    );
    // "cyber-" / "security" split by a line break in the document, joined.
    assert!(
        docx.text.contains("national cybersecurity\n"),
        "{}",
        docx.text
    );
    let columns = position(&docx.text, "Article 17 – Mutual assistance\n");
    assert!(position(&docx.text, "LEFTCOL") > columns);
    assert!(position(&docx.text, "LEFTEND\nRIGHTCOL Except") > columns);
    // A hyphen inside a line stays.
    assert!(docx.text.contains("including fax or e-mail, to the extent"));
    // Header and footer live in their own parts.
    assert!(!docx.text.contains("Draft Text"));
    assert!(!docx.text.contains("Page"));
    assert_eq!(docx.sha256, sha256sum("docx-agreement.docx"));
}

#[test]
fn saved_web_page_keeps_the_article_and_drops_the_noise() {
    let html = extracted("saved-page.html");
    assert_eq!(html.kind, SourceKind::Html);
    assert_eq!(
        html.title.as_deref(),
        Some("Paris Call for Trust and Security in Cyberspace – Text")
    );
    assert!(
        html.text
            .starts_with("Paris Call for Trust and Security in Cyberspace\nWe affirm"),
        "{}",
        html.text
    );
    assert!(html.text.contains("\nPrinciple 6 – Strengthen the security of digital processes, products and services, throughout their lifecycle and supply chain;\n"), "{}", html.text);
    assert!(
        html.text.contains(
            "Signed in Paris, 12\u{a0}November\u{a0}2018.\nThe signatories & supporters."
        ),
        "{}",
        html.text
    );
    for noise in [
        "TRACKING-SCRIPT",
        "SITE-BANNER",
        "NAV-MENU",
        "BREADCRUMB",
        "RELATED-ARTICLES",
        "NEWSLETTER-FORM",
        "NOSCRIPT",
        "FOOTER",
        "font-family",
    ] {
        assert!(!html.text.contains(noise), "{noise} in {}", html.text);
    }
}

#[test]
fn text_and_markdown_files() {
    let text = extracted("text-utf8-bom-crlf.txt");
    assert_eq!(text.kind, SourceKind::Text);
    assert_eq!(
        text.text,
        "Geneva Convention — Plain Text\n\nArticle 1\nThe High Contracting Parties undertake to respect the office of the Protecting Power."
    );
    let legacy = extracted("text-windows-1252.txt");
    assert_eq!(
        legacy.text,
        "Article 2\nThe café clause: “quoted” terms apply."
    );
    assert!(
        legacy.notes.iter().any(|n| n.contains("Windows-1252")),
        "{:?}",
        legacy.notes
    );
    let markdown = extracted("norms.md");
    assert_eq!(markdown.kind, SourceKind::Markdown);
    assert!(
        markdown
            .text
            .starts_with("UN GGE Norms\n\nNorm 13 (j)\n\nStates should"),
        "{}",
        markdown.text
    );
    assert!(markdown.text.contains("# a code line, not a heading"));
}

#[test]
fn content_is_trusted_over_a_wrong_or_missing_extension() {
    let bytes = std::fs::read(fixture("gs-agreement.pdf")).unwrap();
    let pdf = extract_bytes(&bytes, "download").unwrap();
    assert_eq!(pdf.kind, SourceKind::Pdf);
    assert_eq!(pdf.pages.len(), 4);
    let renamed = extract_bytes(&bytes, "agreement.txt").unwrap();
    assert_eq!(renamed.text, pdf.text);
    let docx = std::fs::read(fixture("docx-agreement.docx")).unwrap();
    assert_eq!(
        extract_bytes(&docx, "attachment").unwrap().kind,
        SourceKind::Docx
    );
}

#[test]
fn encrypted_pdf_needing_a_password_is_refused() {
    let error = refused("gs-encrypted-userpw.pdf");
    assert!(matches!(error, ExtractError::Encrypted { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("password-protected: save an unprotected copy")
    );
}

#[test]
fn encrypted_pdf_with_only_an_owner_password_is_read() {
    let pdf = extracted("gs-encrypted-owneronly.pdf");
    assert_eq!(pdf.pages.len(), 4);
    assert!(page(&pdf, 1).starts_with("Article 15 – Conditions and safeguards\n"));
}

#[test]
fn image_only_pdf_is_refused_with_ocr_advice() {
    let error = refused("gs-imageonly.pdf");
    assert!(matches!(error, ExtractError::NoText { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("no extractable text"), "{message}");
    assert!(message.contains("run OCR first"), "{message}");
}

#[test]
fn corrupt_and_fake_pdfs_are_refused() {
    let not_pdf = refused("corrupt-notpdf.pdf");
    assert!(
        matches!(not_pdf, ExtractError::Corrupt { .. }),
        "{not_pdf:?}"
    );
    assert!(
        not_pdf.to_string().contains("could not be read as a PDF"),
        "{not_pdf}"
    );
    // Truncated mid-stream: the fonts' character maps are lost, so most glyphs have no
    // character and the rest would be glyph numbers read as letters. poppler refuses it too.
    let garbled = refused("corrupt-truncated-chromium.pdf");
    assert!(
        matches!(garbled, ExtractError::NoText { .. }),
        "{garbled:?}"
    );
    assert!(garbled.to_string().contains("garbled"), "{garbled}");
}

#[test]
fn a_truncated_pdf_gives_what_survives_and_says_it_seems_truncated() {
    // The first 3,000 bytes of gs-agreement.pdf: mutool repairs it and reads page 1 in
    // part, poppler gives up. normgrid reads what survives and says so.
    let pdf = extracted("corrupt-truncated.pdf");
    assert!(
        flat(&pdf.text).contains("13. Each Party shall ensure"),
        "{}",
        pdf.text
    );
    assert!(
        pdf.notes.iter().any(|n| n.contains("seems truncated")),
        "{:?}",
        pdf.notes
    );
}

#[test]
fn missing_file_and_unknown_kind_are_refused_by_name() {
    let missing = extract_file(&fixture("no-such-file.pdf")).unwrap_err();
    assert!(matches!(missing, ExtractError::Io { .. }), "{missing:?}");
    assert!(missing.to_string().contains("no-such-file.pdf"));
    let odt = extract_bytes(b"PK\x03\x04", "minutes.odt").unwrap_err();
    assert!(matches!(odt, ExtractError::Unsupported { .. }), "{odt:?}");
    assert!(odt.to_string().contains("minutes.odt"), "{odt}");
}

const FIXTURES: [&str; 15] = [
    "gs-agreement.pdf",
    "chromium-agreement.pdf",
    "libreoffice-agreement.pdf",
    "gs-encrypted-userpw.pdf",
    "gs-encrypted-owneronly.pdf",
    "gs-imageonly.pdf",
    "corrupt-truncated.pdf",
    "corrupt-truncated-chromium.pdf",
    "corrupt-notpdf.pdf",
    "docx-agreement.docx",
    "saved-page.html",
    "text-utf8-bom-crlf.txt",
    "text-windows-1252.txt",
    "norms.md",
    "gs-200pages.pdf",
];

/// Checks the invariants of any successful extraction.
fn assert_well_formed(extracted: &Extracted) {
    assert!(
        extracted.pages.windows(2).all(|w| w[0] < w[1]),
        "{:?}",
        extracted.pages
    );
    assert!(
        extracted
            .pages
            .iter()
            .all(|&p| extracted.text.is_char_boundary(p) && p <= extracted.text.len())
    );
    assert_eq!(extracted.sha256.len(), 64);
}

#[test]
fn truncated_fixtures_never_panic() {
    for name in FIXTURES {
        let bytes = std::fs::read(fixture(name)).unwrap();
        // 24 cuts spread over the file, plus the first bytes one by one.
        let cuts = (1..24).map(|i| bytes.len() * i / 24).chain(0..16);
        for cut in cuts {
            if let Ok(extracted) = extract_bytes(&bytes[..cut], name) {
                assert_well_formed(&extracted);
            }
        }
    }
}

#[test]
fn damaged_and_random_bytes_never_panic() {
    let mut rng = fastrand::Rng::with_seed(11);
    for name in FIXTURES.iter().take(FIXTURES.len() - 1) {
        let bytes = std::fs::read(fixture(name)).unwrap();
        for _ in 0..12 {
            let mut damaged = bytes.clone();
            for _ in 0..1 + rng.usize(..8) {
                let at = rng.usize(..damaged.len());
                damaged[at] = rng.u8(..);
            }
            if let Ok(extracted) = extract_bytes(&damaged, name) {
                assert_well_formed(&extracted);
            }
        }
    }
    for _ in 0..200 {
        let mut random: Vec<u8> = (0..rng.usize(..4096)).map(|_| rng.u8(..)).collect();
        let header: &[u8] = match rng.u8(..4) {
            0 => b"%PDF-1.7\n",
            1 => b"PK\x03\x04",
            2 => b"<html>",
            _ => b"",
        };
        random.splice(0..0, header.iter().copied());
        for name in [
            "random.pdf",
            "random.docx",
            "random.html",
            "random.txt",
            "random",
        ] {
            if let Ok(extracted) = extract_bytes(&random, name) {
                assert_well_formed(&extracted);
            }
        }
    }
}
