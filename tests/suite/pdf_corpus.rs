//! normgrid's PDF text measured against the truth and against its peers, on the corpus in
//! tests/fixtures/pdf-corpus/ (see its README): known texts printed by Chromium, LibreOffice,
//! pdfTeX and Ghostscript in the six UN languages, and real-world PDFs nobody here wrote.
//! Word-sequence accuracy is difflib's ratio over word tokens: 2 × matched words / all words,
//! with the matching from a Myers diff. The referees are poppler's `pdftotext` and MuPDF's
//! `mutool` (packages poppler-utils and mupdf-tools, which .ci/run installs).

use crate::common;

use normgrid::model::{AgreementId, ElementId};
use normgrid::sources::{Extracted, extract_file};
use similar::{Algorithm, DiffOp, capture_diff_slices};
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf-corpus")
}

/// One row of manifest.tsv.
#[derive(Debug)]
struct Entry {
    file: String,
    producer: String,
    language: String,
    known: Option<PathBuf>,
    quote: Option<String>,
    locator: Option<String>,
}

fn manifest() -> Vec<Entry> {
    let text = std::fs::read_to_string(corpus().join("manifest.tsv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("file\tproducer\tlanguage\tknown\tquote\tlocator")
    );
    let dash = |field: &str| (field != "-" && !field.is_empty()).then(|| field.to_owned());
    lines
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 6, "manifest row {line:?}");
            Entry {
                file: fields[0].to_owned(),
                producer: fields[1].to_owned(),
                language: fields[2].to_owned(),
                known: dash(fields[3]).map(|known| corpus().join(known)),
                quote: dash(fields[4]),
                locator: dash(fields[5]),
            }
        })
        .collect()
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

/// Lower-cased words; in Chinese every CJK character is a word of its own. Soft hyphens are
/// dropped, as a reader does not see them.
fn tokens(text: &str, language: &str) -> Vec<String> {
    let mut spaced = String::with_capacity(text.len());
    for c in text.chars().filter(|&c| c != '\u{00AD}') {
        if language == "zh" && is_cjk(c) {
            spaced.push(' ');
            spaced.push(c);
            spaced.push(' ');
        } else {
            spaced.extend(c.to_lowercase());
        }
    }
    spaced.split_whitespace().map(str::to_owned).collect()
}

/// Word-sequence accuracy of `found` against `truth`, 0–1.
fn ratio(truth: &[String], found: &[String]) -> f64 {
    if truth.is_empty() && found.is_empty() {
        return 1.0;
    }
    let matched: usize = capture_diff_slices(Algorithm::Myers, truth, found)
        .iter()
        .map(|op| match op {
            DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum();
    2.0 * matched as f64 / (truth.len() + found.len()) as f64
}

fn referee(program: &str, package: &str, args: &[&str], pdf: &Path) -> String {
    let output = Command::new(program)
        .args(args)
        .arg(pdf)
        .args(if program == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|error| {
            panic!("{program} is missing ({error}): apt-get install {package} (.ci/run does)")
        });
    assert!(
        output.status.success(),
        "{program} failed on {}",
        pdf.display()
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn pdftotext(pdf: &Path) -> String {
    referee("pdftotext", "poppler-utils", &["-enc", "UTF-8"], pdf)
}

fn mutool(pdf: &Path) -> String {
    referee(
        "mutool",
        "mupdf-tools",
        &["draw", "-q", "-F", "txt", "-o", "-"],
        pdf,
    )
}

fn ours(pdf: &Path) -> Extracted {
    extract_file(pdf).unwrap_or_else(|error| panic!("normgrid refused {}: {error}", pdf.display()))
}

#[test]
fn every_known_text_keeps_99_percent_word_order_and_never_falls_below_pdftotext() {
    let mut report = Vec::new();
    let mut failures = Vec::new();
    let entries: Vec<Entry> = manifest()
        .into_iter()
        .filter(|e| e.known.is_some())
        .collect();
    assert!(entries.len() >= 20, "{} known texts", entries.len());
    for producer in ["chromium", "libreoffice", "pdftex", "ghostscript"] {
        assert!(
            entries.iter().any(|e| e.producer.starts_with(producer)),
            "no known text from {producer}"
        );
    }
    for entry in &entries {
        let pdf = corpus().join(&entry.file);
        let known = std::fs::read_to_string(entry.known.as_ref().unwrap()).unwrap();
        let truth = tokens(&known, &entry.language);
        let our_ratio = ratio(&truth, &tokens(&ours(&pdf).text, &entry.language));
        let poppler = ratio(&truth, &tokens(&pdftotext(&pdf), &entry.language));
        let mupdf = ratio(&truth, &tokens(&mutool(&pdf), &entry.language));
        report.push(format!(
            "{:<36} normgrid {:6.2}%  pdftotext {:6.2}%  mutool {:6.2}%",
            entry.file,
            our_ratio * 100.0,
            poppler * 100.0,
            mupdf * 100.0
        ));
        if our_ratio < 0.99 || our_ratio + 1e-9 < poppler {
            failures.push(entry.file.clone());
        }
    }
    println!("{}", report.join("\n"));
    assert!(
        failures.is_empty(),
        "below target: {failures:?}\n{}",
        report.join("\n")
    );
}

#[test]
fn real_world_pdfs_read_as_poppler_and_mupdf_read_them() {
    let mut report = Vec::new();
    let mut failures = Vec::new();
    let entries: Vec<Entry> = manifest()
        .into_iter()
        .filter(|e| e.known.is_none())
        .collect();
    assert!(entries.len() >= 3, "{} real-world PDFs", entries.len());
    for entry in &entries {
        let pdf = corpus().join(&entry.file);
        let poppler = tokens(&pdftotext(&pdf), &entry.language);
        let mupdf = tokens(&mutool(&pdf), &entry.language);
        let found = tokens(&ours(&pdf).text, &entry.language);
        let peers = ratio(&poppler, &mupdf);
        let against_poppler = ratio(&poppler, &found);
        let against_mupdf = ratio(&mupdf, &found);
        report.push(format!(
            "{:<44} {:>6} words  normgrid~pdftotext {:6.2}%  normgrid~mutool {:6.2}%  pdftotext~mutool {:6.2}%",
            entry.file,
            found.len(),
            against_poppler * 100.0,
            against_mupdf * 100.0,
            peers * 100.0
        ));
        // Where the peers agree, we agree with them at least as well as they agree with
        // each other (less a point for their own page furniture we drop).
        let agrees = against_poppler.max(against_mupdf) + 0.01 >= peers.min(0.98);
        // Nothing lost: at least as many words as the peers' smaller count, less running lines.
        let kept = found.len() as f64 >= 0.97 * poppler.len().min(mupdf.len()) as f64;
        if !agrees || !kept {
            failures.push(entry.file.clone());
        }
    }
    println!("{}", report.join("\n"));
    assert!(
        failures.is_empty(),
        "disagree: {failures:?}\n{}",
        report.join("\n")
    );
}

#[test]
fn nothing_poppler_reads_is_refused() {
    let mut refused = Vec::new();
    for entry in manifest() {
        let pdf = corpus().join(&entry.file);
        let poppler_words = pdftotext(&pdf).split_whitespace().count();
        assert!(
            poppler_words > 20,
            "{}: poppler reads {poppler_words} words",
            entry.file
        );
        if let Err(error) = extract_file(&pdf) {
            refused.push(format!("{}: {error}", entry.file));
        }
    }
    assert!(refused.is_empty(), "{refused:#?}");
}

/// The 200-page document whose body paragraphs repeat at the top and bottom of every page:
/// only the running header and the page numbers go, and the notes say so.
#[test]
fn the_200_page_header_and_footer_case_keeps_every_paragraph() {
    let entry = manifest()
        .into_iter()
        .find(|e| e.file.contains("200"))
        .expect("a 200-page document in the corpus");
    let pdf = corpus().join(&entry.file);
    let extracted = ours(&pdf);
    assert_eq!(extracted.pages.len(), 200);
    let known = std::fs::read_to_string(entry.known.as_ref().unwrap()).unwrap();
    let truth = tokens(&known, &entry.language);
    let found = tokens(&extracted.text, &entry.language);
    let missing = truth.len().saturating_sub(found.len());
    assert!(
        ratio(&truth, &found) >= 0.99 && missing == 0,
        "{} of {} words missing",
        missing,
        truth.len()
    );
    let notes = extracted.notes.join("\n");
    assert!(notes.contains("running header or footer"), "{notes}");
    assert!(notes.contains("page numbers"), "{notes}");
}

/// A quote from the second numbered paragraph of Article 3 is cited "Art. 3(2)" in every
/// language and by every producer: through `source add` and `evidence add`, as a user would.
#[test]
fn a_quote_from_the_second_paragraph_of_article_3_is_cited_art_3_2() {
    let mut wrong = Vec::new();
    for entry in manifest().into_iter().filter(|e| e.quote.is_some()) {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p.ron");
        std::fs::write(&project, normgrid::sample::BPF_2019_RON).unwrap();
        let project_arg = project.to_str().unwrap();
        let pdf = corpus().join(&entry.file);
        let added = common::normgrid(&[
            "source",
            "add",
            project_arg,
            "--agreement",
            "sco-agreement",
            pdf.to_str().unwrap(),
            "--id",
            "corpus",
        ]);
        assert!(
            added.status.success(),
            "{}: {}",
            entry.file,
            String::from_utf8_lossy(&added.stderr)
        );
        let quote = entry.quote.as_deref().unwrap();
        let quoted = common::normgrid(&[
            "evidence",
            "add",
            project_arg,
            "--agreement",
            "sco-agreement",
            "--element",
            "ke-human-rights",
            "--source",
            "corpus",
            "--quote",
            quote,
        ]);
        if !quoted.status.success() {
            wrong.push(format!(
                "{}: {}",
                entry.file,
                String::from_utf8_lossy(&quoted.stderr)
            ));
            continue;
        }
        let loaded = normgrid::io::load_project(&project).unwrap().project;
        let cell = loaded.cell(
            &AgreementId::new("sco-agreement"),
            &ElementId::new("ke-human-rights"),
        );
        let excerpt = cell.evidence.last().unwrap();
        let expected = entry.locator.as_deref().unwrap();
        let cited = excerpt.locator.split(", ").any(|part| part == expected);
        // Stored as the words of the passage: no line break from the page's layout.
        if !cited || excerpt.exact.contains('\n') {
            wrong.push(format!(
                "{}: {:?} {:?}",
                entry.file, excerpt.locator, excerpt.exact
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
