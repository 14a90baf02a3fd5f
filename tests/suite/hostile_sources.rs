//! Hostile sources and long quotes: each case generates its input here (nothing large is
//! committed), runs the real binary as a user would, and holds it to a stated bound on time
//! and peak memory. Bounds are for the debug build `cargo test` makes, on a 2-core machine.

use crate::common;

use common::stdout;
use normgrid::io::load_project;
use normgrid::model::{AgreementId, ElementId};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// What one bounded run took.
struct Bounded {
    output: Output,
    seconds: f64,
    /// Peak resident memory (VmHWM), in MB.
    peak_mb: u64,
}

/// Runs normgrid with `args`, killing it past `seconds`, and fails the test when it ran
/// longer or its peak resident memory passed `max_mb`. `NORMGRID_HOSTILE_BIN` names another
/// build to hold to the same bounds (an older one, to see which cases it fails).
fn bounded(args: &[&str], seconds: f64, max_mb: u64) -> Bounded {
    let started = Instant::now();
    let binary = std::env::var_os("NORMGRID_HOSTILE_BIN")
        .filter(|path| !path.is_empty())
        .map_or_else(
            || PathBuf::from(env!("CARGO_BIN_EXE_normgrid")),
            PathBuf::from,
        );
    let mut child = Command::new(binary)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kb: u64 = line
                .split_whitespace()
                .nth(1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            peak_kb = peak_kb.max(kb);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs_f64(seconds) {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "normgrid {} ran past the bound of {seconds} s and was stopped",
                shown(args)
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let run = Bounded {
        output: Output {
            status,
            stdout: out.join().unwrap(),
            stderr: err.join().unwrap(),
        },
        seconds: started.elapsed().as_secs_f64(),
        peak_mb: peak_kb / 1024,
    };
    assert!(
        run.peak_mb <= max_mb,
        "normgrid {} peaked at {} MB, over the bound of {max_mb} MB",
        shown(args),
        run.peak_mb
    );
    eprintln!(
        "bounded: {:.2} s, {} MB peak: {}",
        run.seconds,
        run.peak_mb,
        shown(args)
    );
    run
}

/// The command line, cut for messages (some arguments are 40,000-character quotes).
fn shown(args: &[&str]) -> String {
    let line = args.join(" ");
    match line.char_indices().nth(160) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Ended by itself with an exit code (not a signal such as SIGABRT from a stack overflow).
fn exited(output: &Output) -> i32 {
    output
        .status
        .code()
        .unwrap_or_else(|| panic!("ended by a signal: {:?}\n{}", output.status, stderr(output)))
}

/// A PDF assembled object by object (object 1 is the catalog), with a correct
/// cross-reference table, as any writer makes it. `trailer_extra` goes into the trailer.
fn pdf_of(objects: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (index, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", index + 1).as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A one-page PDF in Helvetica showing `lines` (each a `(text) Tj` line), with `catalog_extra`
/// and `page_extra` added to those dictionaries and the page listed `kids` times in `/Kids`.
fn text_pdf(
    lines: &[&str],
    catalog_extra: &str,
    page_extra: &str,
    kids: usize,
    trailer_extra: &str,
) -> Vec<u8> {
    text_pdf_on(
        "0 0 612 792",
        lines,
        catalog_extra,
        page_extra,
        kids,
        trailer_extra,
    )
}

/// [`text_pdf`] on a page of `media_box`.
fn text_pdf_on(
    media_box: &str,
    lines: &[&str],
    catalog_extra: &str,
    page_extra: &str,
    kids: usize,
    trailer_extra: &str,
) -> Vec<u8> {
    let mut content = String::from("BT /F1 10 Tf 12 TL 40 760 Td\n");
    for line in lines {
        let escaped = line
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        content.push_str(&format!("({escaped}) Tj T*\n"));
    }
    content.push_str("ET");
    let kid_list = vec!["3 0 R"; kids].join(" ");
    let objects = vec![
        format!("<< /Type /Catalog /Pages 2 0 R {catalog_extra} >>").into_bytes(),
        format!("<< /Type /Pages /Kids [{kid_list}] /Count {kids} >>").into_bytes(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [{media_box}] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R {page_extra} >>"
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        )
        .into_bytes(),
    ];
    pdf_of(&objects, trailer_extra)
}

fn nested_arrays(depth: usize) -> String {
    format!("/Deep {}{}", "[".repeat(depth), "]".repeat(depth))
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A copy of the sample in a temporary folder.
fn sample_project(dir: &Path) -> PathBuf {
    let project = dir.join("p.ron");
    std::fs::write(&project, normgrid::sample::BPF_2019_RON).unwrap();
    project
}

fn attach(project: &Path, file: &Path, id: &str) -> Bounded {
    bounded(
        &[
            "source",
            "add",
            path_str(project),
            "--agreement",
            "budapest-convention",
            path_str(file),
            "--id",
            id,
        ],
        20.0,
        1024,
    )
}

fn add_quote(project: &Path, source: &str, quote: &str) -> Bounded {
    bounded(
        &[
            "evidence",
            "add",
            path_str(project),
            "--agreement",
            "budapest-convention",
            "--element",
            "ke-human-rights",
            "--source",
            source,
            "--quote",
            quote,
        ],
        20.0,
        1024,
    )
}

fn quotes_of(project: &Path) -> Vec<normgrid::model::Excerpt> {
    let project = load_project(project).unwrap().project;
    project
        .cell(
            &AgreementId::new("budapest-convention"),
            &ElementId::new("ke-human-rights"),
        )
        .evidence
        .into_iter()
        .filter(|e| {
            e.source
                .as_ref()
                .is_some_and(|s| s.as_str() != "bpf-2019-output-report")
        })
        .collect()
}

// 1. Re-anchoring keeps a quote's wording, so a reviewer's verdict still applies.
#[test]
fn replacing_a_source_moves_a_normalised_quote_without_rewording_it() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    // The passage runs over a line break: the stored quote is its words, on one line, and
    // is proven by the normalised match.
    let text = "Article 1\nStates should respect “human rights”\nonline, as offline.\n";
    let first = write_file(dir.path(), "v1.txt", text.as_bytes());
    assert_eq!(exited(&attach(&project, &first, "treaty").output), 0);
    let typed = "States should respect \"human rights\" online, as offline.";
    let added = add_quote(&project, "treaty", typed);
    assert_eq!(exited(&added.output), 0, "{}", stderr(&added.output));
    let before = quotes_of(&project);
    let fingerprint = |p: &Path| {
        let project = load_project(p).unwrap().project;
        normgrid::collab::review_file::cell_fingerprint(&project.cell(
            &AgreementId::new("budapest-convention"),
            &ElementId::new("ke-human-rights"),
        ))
    };
    let fingerprint_before = fingerprint(&project);
    let second = write_file(
        dir.path(),
        "v2.txt",
        format!("Preamble added in the new version.\n{text}").as_bytes(),
    );
    let replaced = bounded(
        &[
            "source",
            "replace",
            path_str(&project),
            "treaty",
            path_str(&second),
        ],
        20.0,
        1024,
    );
    assert_eq!(exited(&replaced.output), 0, "{}", stdout(&replaced.output));
    let after = quotes_of(&project);
    assert_eq!(
        after[0].exact, before[0].exact,
        "the wording stays the quote's own"
    );
    assert_ne!(after[0].position, before[0].position, "the position moved");
    assert_eq!(fingerprint(&project), fingerprint_before);
    // fmt after a hand edit of the stored text moves it again, still in its own words.
    let mut edited = load_project(&project).unwrap().project;
    let source = edited
        .sources
        .iter_mut()
        .find(|s| s.id.as_str() == "treaty")
        .unwrap();
    source.text.insert_str(0, "A line typed in by hand.\n");
    normgrid::io::save_project(&project, &edited).unwrap();
    let check = bounded(&["check", path_str(&project)], 20.0, 1024);
    assert!(
        stdout(&check.output).contains("1 relocated"),
        "{}",
        stdout(&check.output)
    );
    let formatted = bounded(&["fmt", path_str(&project)], 20.0, 1024);
    assert_eq!(exited(&formatted.output), 0);
    assert_eq!(quotes_of(&project)[0].exact, before[0].exact);
    assert_eq!(fingerprint(&project), fingerprint_before);
}

// 2. A long PDF string is read whole.
#[test]
fn a_pdf_string_longer_than_32767_characters_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    // 8,000 numbered words in one string: 40,000 characters, on a page wide enough to hold
    // them (off the page, poppler and MuPDF drop them too).
    let long: String = (0..8000).map(|n| format!("w{n:04} ")).collect();
    let pdf = text_pdf_on("0 0 300000 792", &[long.trim_end()], "", "", 1, "");
    let file = write_file(dir.path(), "long.pdf", &pdf);
    let run = bounded(&["source", "read", "--plain", path_str(&file)], 20.0, 1024);
    assert_eq!(exited(&run.output), 0, "{}", stderr(&run.output));
    let text = stdout(&run.output);
    let words: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(words.len(), 8000, "every word of the string is read");
    assert_eq!(words.last(), Some(&"w7999"));
}

// 3. Numbered paragraphs of any size.
#[test]
fn paragraphs_numbered_from_1000_up_are_their_own_locators() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    let mut text = String::new();
    for n in [998, 999, 1000, 1001, 2500, 12000] {
        text.push_str(&format!("{n}. Paragraph number {n} says its own thing.\n"));
    }
    let file = write_file(dir.path(), "long-report.txt", text.as_bytes());
    assert_eq!(exited(&attach(&project, &file, "report").output), 0);
    for n in [1000, 1001, 2500, 12000] {
        let quote = format!("Paragraph number {n} says its own thing.");
        let added = add_quote(&project, "report", &quote);
        assert_eq!(exited(&added.output), 0, "{}", stderr(&added.output));
        let quotes = quotes_of(&project);
        let excerpt = quotes.iter().find(|e| e.exact == quote).unwrap();
        assert_eq!(excerpt.locator, format!("para. {n}"));
    }
    // A year at a line start is still not a paragraph.
    let outline = normgrid::sources::Outline::from_text("12. Twelve.\n2019. A year.\n");
    assert_eq!(outline.locator_of_range(16, 20), "para. 12");
}

// 4. An adopted wording is the whole changed passage.
#[test]
fn accepting_a_changed_quote_takes_the_whole_passage_not_a_fragment() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    let v1 = "Preamble.\nWe reaffirm that international law applies to the use of ICTs by States.\nClosing words.\n";
    let v2 = "Preamble.\nWe do not reaffirm that international law applies to the use of ICTs by States.\nClosing words.\n";
    let first = write_file(dir.path(), "v1.txt", v1.as_bytes());
    assert_eq!(exited(&attach(&project, &first, "treaty").output), 0);
    let quote = "We reaffirm that international law applies to the use of ICTs by States.";
    assert_eq!(exited(&add_quote(&project, "treaty", quote).output), 0);
    let second = write_file(dir.path(), "v2.txt", v2.as_bytes());
    let replaced = bounded(
        &[
            "source",
            "replace",
            path_str(&project),
            "treaty",
            path_str(&second),
            "--accept-changed",
        ],
        20.0,
        1024,
    );
    let out = stdout(&replaced.output);
    assert!(
        out.contains("{+do not +}"),
        "the differences are shown: {out}"
    );
    let quotes = quotes_of(&project);
    assert_eq!(
        quotes[0].exact,
        "We do not reaffirm that international law applies to the use of ICTs by States."
    );
}

// 5. The project's backup is an input.
#[test]
fn an_export_may_not_overwrite_the_projects_backup() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    let backup = dir.path().join("p.ron.bak");
    std::fs::write(&backup, "the previous version").unwrap();
    let run = bounded(
        &[
            "export",
            "csv",
            "--out",
            path_str(&backup),
            path_str(&project),
        ],
        20.0,
        1024,
    );
    assert_ne!(exited(&run.output), 0);
    assert!(
        stderr(&run.output).contains("backup"),
        "{}",
        stderr(&run.output)
    );
    assert_eq!(
        std::fs::read_to_string(&backup).unwrap(),
        "the previous version"
    );
}

// 6. Deep nesting is refused by a limit, not by the stack.
#[test]
fn deeply_nested_pdf_objects_are_refused_without_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let deep = nested_arrays(100_000);
    let cases = [
        ("page", text_pdf(&["Hello"], "", &deep, 1, "")),
        ("catalog", text_pdf(&["Hello"], &deep, "", 1, "")),
        ("trailer", text_pdf(&["Hello"], "", "", 1, &deep)),
    ];
    for (place, bytes) in cases {
        let file = write_file(dir.path(), &format!("deep-{place}.pdf"), &bytes);
        let run = bounded(&["source", "read", "--plain", path_str(&file)], 10.0, 1024);
        let code = exited(&run.output);
        let message = stderr(&run.output);
        assert_ne!(code, 0, "{place}: refused");
        assert!(message.contains("nest"), "{place}: {message}");
        assert!(
            message.contains(path_str(&file)),
            "{place}: names the file: {message}"
        );
    }
    // Nesting a real document uses (a few levels) is read as before.
    let file = write_file(
        dir.path(),
        "shallow.pdf",
        &text_pdf(&["Hello"], "", &nested_arrays(20), 1, ""),
    );
    let run = bounded(&["source", "read", "--plain", path_str(&file)], 10.0, 1024);
    assert_eq!(exited(&run.output), 0, "{}", stderr(&run.output));
    assert_eq!(stdout(&run.output).trim(), "Hello");
}

// 7. One page listed many times in /Kids.
#[test]
fn a_page_listed_20000_times_in_the_page_tree_is_read_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(
        dir.path(),
        "kids.pdf",
        &text_pdf(&["Only page"], "", "", 20_000, ""),
    );
    let run = bounded(&["source", "read", "--plain", path_str(&file)], 10.0, 1024);
    let code = exited(&run.output);
    let said = format!("{}{}", stdout(&run.output), stderr(&run.output));
    assert!(code == 0 || said.contains("page tree"), "{said}");
}

/// A text of `words` distinct numbered words, in lines of ten.
fn numbered_words(words: usize) -> String {
    let mut text = String::from("Article 1\n");
    for n in 0..words {
        text.push_str(&format!("w{n:05}"));
        text.push(if n % 10 == 9 { '\n' } else { ' ' });
    }
    text
}

// 8. A long quote one word off is decided quickly: in `evidence add` and in `check`.
#[test]
fn a_long_near_miss_quote_is_decided_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    let text = numbered_words(7000); // about 49,000 characters
    let file = write_file(dir.path(), "long.txt", text.as_bytes());
    assert_eq!(exited(&attach(&project, &file, "long").output), 0);
    let body = text["Article 1\n".len()..].trim_end().replace('\n', " ");
    let near_miss = body.replacen("w03500", "x03500", 1);
    assert!(near_miss.chars().count() > 40_000);
    let run = add_quote(&project, "long", &near_miss);
    assert_ne!(
        exited(&run.output),
        0,
        "a quote that is not in the source is refused"
    );
    let message = stderr(&run.output);
    assert!(
        message.contains("99% alike"),
        "{}",
        &message[..message.len().min(300)]
    );
    assert!(run.seconds < 10.0);

    // The same quote stored in a project (as a hand edit or an old version would leave it):
    // `check` says it changed, with the one difference, in bounded time.
    let mut loaded = load_project(&project).unwrap().project;
    let source = loaded
        .source(&normgrid::model::SourceId::new("long"))
        .unwrap()
        .clone();
    let mut excerpt = normgrid::sources::evidence::excerpt_from_range(
        &source,
        &normgrid::sources::evidence::outline_of(&source),
        10..20,
        &[],
    );
    excerpt.exact = near_miss.clone();
    excerpt.position = None;
    let (agreement, element) = (
        AgreementId::new("budapest-convention"),
        ElementId::new("ke-human-rights"),
    );
    let mut cell = loaded.cell(&agreement, &element);
    cell.evidence.push(excerpt);
    loaded.cells.set(&agreement, &element, cell);
    normgrid::io::save_project(&project, &loaded).unwrap();
    let check = bounded(&["check", path_str(&project)], 10.0, 1024);
    let said = stdout(&check.output);
    assert!(
        said.contains("changed:"),
        "{}",
        &said[..said.len().min(500)]
    );
    assert!(
        said.contains("[-x03500-] {+w03500+}"),
        "the one difference is shown"
    );

    // A quote that differs all over cannot be decided within the budget: said so, not guessed.
    let scrambled: String = near_miss
        .split(' ')
        .enumerate()
        .map(|(n, word)| if n % 5 == 0 { "zz" } else { word })
        .collect::<Vec<_>>()
        .join(" ");
    let run = add_quote(&project, "long", &scrambled);
    let message = stderr(&run.output);
    assert_ne!(exited(&run.output), 0);
    assert!(
        message.contains("too long to compare") || message.contains("not even approximately"),
        "{}",
        &message[..message.len().min(300)]
    );
}

// 9. Pathological saved pages are read or refused in bounded time.
#[test]
fn pathological_html_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let attributes: String = (0..300_000).map(|n| format!(" a{n}=\"v\"")).collect();
    let cases = [
        (
            "attributes",
            format!("<html><body><p{attributes}>Text</p></body></html>"),
            false,
        ),
        (
            "nested",
            format!("<html><body>{}Deep</body></html>", "<div>".repeat(100_000)),
            false,
        ),
        (
            "unclosed-li",
            format!(
                "<html><body><ul>{}</ul></body></html>",
                "<li>item ".repeat(50_000)
            ),
            true,
        ),
    ];
    for (name, page, readable) in cases {
        let file = write_file(dir.path(), &format!("{name}.html"), page.as_bytes());
        let run = bounded(&["source", "read", "--plain", path_str(&file)], 10.0, 1024);
        let code = exited(&run.output);
        if readable {
            assert_eq!(code, 0, "{name}: {}", stderr(&run.output));
            assert_eq!(
                stdout(&run.output).matches("item").count(),
                50_000,
                "{name}"
            );
        } else {
            assert_ne!(code, 0, "{name}");
            assert!(stderr(&run.output).contains(path_str(&file)), "{name}");
        }
    }
}

// 10. and 12. A 10 MB title is stored cut, with a note; control characters never stored.
#[test]
fn a_huge_or_dirty_document_title_is_stored_clean_and_short_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    let title = "Title ".repeat(10 * 1024 * 1024 / 6);
    let page = format!(
        "<html><head><title>\u{7}{title}</title></head><body><p>Body text.</p></body></html>"
    );
    let file = write_file(dir.path(), "titled.html", page.as_bytes());
    let run = attach(&project, &file, "titled");
    assert_eq!(exited(&run.output), 0, "{}", stderr(&run.output));
    assert!(
        stdout(&run.output).contains("cut to 500 characters"),
        "{}",
        stdout(&run.output)
    );
    let loaded = load_project(&project).unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let source = loaded
        .project
        .source(&normgrid::model::SourceId::new("titled"))
        .unwrap();
    assert!(source.title.chars().count() <= 500);
    assert!(!source.title.contains('\u{7}'));
}

// 11. Devices and pipes are refused before a byte is read.
#[test]
fn devices_and_pipes_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    let fifo = dir.path().join("pipe.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for file in [Path::new("/dev/zero"), fifo.as_path()] {
        let run = bounded(
            &[
                "source",
                "add",
                path_str(&project),
                "--agreement",
                "budapest-convention",
                path_str(file),
            ],
            5.0,
            256,
        );
        assert_ne!(exited(&run.output), 0);
        let message = stderr(&run.output);
        assert!(message.contains("not a regular file"), "{message}");
        assert!(message.contains(path_str(file)), "{message}");
    }
}

// 13. QDPX from damaged projects is refused with the duplicates named.
#[test]
fn qdpx_export_refuses_duplicate_ids() {
    let dir = tempfile::tempdir().unwrap();
    let mut project = common::sample();
    let copy = project.sources[0].clone();
    project.sources.push(copy);
    let agreement = project.agreements[0].clone();
    project.agreements.push(agreement);
    let path = common::write(dir.path(), "damaged.ron", &project);
    let out = dir.path().join("out.qdpx");
    let run = bounded(
        &["export", "qdpx", "--out", path_str(&out), &path],
        20.0,
        1024,
    );
    assert_ne!(exited(&run.output), 0);
    let message = stderr(&run.output);
    assert!(message.contains("duplicate ids"), "{message}");
    assert!(
        message.contains(&format!("source `{}`", project.sources[0].id)),
        "{message}"
    );
    assert!(
        message.contains(&format!("agreement `{}`", project.agreements[0].id)),
        "{message}"
    );
    assert!(!message.contains("please report"), "{message}");
    assert!(!out.exists());
}

// 14. Nothing is said to be done before it is saved.
#[test]
fn a_failed_save_prints_no_success() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    // A folder where the backup goes: the save can't keep the previous version and fails.
    std::fs::create_dir(dir.path().join("p.ron.bak")).unwrap();
    std::fs::write(dir.path().join("p.ron.bak/keep"), "x").unwrap();
    let file = write_file(
        dir.path(),
        "t.txt",
        b"Article 1\nStates should cooperate.\n",
    );
    let run = attach(&project, &file, "t");
    assert_ne!(exited(&run.output), 0);
    assert!(
        !stdout(&run.output).contains("attached"),
        "{}",
        stdout(&run.output)
    );
    std::fs::remove_dir_all(dir.path().join("p.ron.bak")).unwrap();
    assert_eq!(exited(&attach(&project, &file, "t").output), 0);
    std::fs::remove_file(dir.path().join("p.ron.bak")).unwrap();
    std::fs::create_dir(dir.path().join("p.ron.bak")).unwrap();
    std::fs::write(dir.path().join("p.ron.bak/keep"), "x").unwrap();
    let run = add_quote(&project, "t", "States should cooperate.");
    assert_ne!(exited(&run.output), 0);
    assert!(
        !stdout(&run.output).contains("added"),
        "{}",
        stdout(&run.output)
    );
}

// 15., 16. and 17. Messages that say the truth.
#[test]
fn refusals_say_the_truth_and_the_next_step() {
    let dir = tempfile::tempdir().unwrap();
    let project = sample_project(dir.path());
    let file = write_file(
        dir.path(),
        "plain.txt",
        b"States should cooperate to increase stability and security in the use of ICTs.\n",
    );
    assert_eq!(exited(&attach(&project, &file, "plain").output), 0);
    // One character off in 78: 98 % alike, never rounded up to 100; no empty locator.
    let run = add_quote(
        &project,
        "plain",
        "States should cooperate to increase stability and security in the use of ICTz.",
    );
    let message = stderr(&run.output);
    assert!(message.contains("98% alike)"), "{message}");
    assert!(!message.contains("100%"), "{message}");
    assert!(!message.contains(" at )"), "{message}");
    assert!(
        message.contains(path_str(&project)),
        "names the file: {message}"
    );

    // Removing a quote from a cell without quotes says so.
    let run = bounded(
        &[
            "evidence",
            "remove",
            path_str(&project),
            "--agreement",
            "budapest-convention",
            "--element",
            "ke-cbms",
            "--id",
            "nothing",
        ],
        20.0,
        1024,
    );
    let message = stderr(&run.output);
    assert!(message.contains("has no quotes"), "{message}");
    assert!(!message.contains("this project has no quotes"), "{message}");

    // A text file over the limit is not told to become a text file.
    let big = dir.path().join("big.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(201 * 1024 * 1024)
        .unwrap();
    let run = bounded(&["source", "read", path_str(&big)], 10.0, 256);
    let message = stderr(&run.output);
    assert!(message.contains("too large"), "{message}");
    assert!(!message.contains("as a .txt file"), "{message}");

    // A page that declares UTF-8 and is not: not "read as UTF-8 (not UTF-8)".
    let page = write_file(
        dir.path(),
        "bad.html",
        b"<html><head><meta charset=\"utf-8\"></head><body><p>caf\xe9 au lait</p></body></html>",
    );
    let run = bounded(&["source", "read", "--plain", path_str(&page)], 10.0, 256);
    let message = stderr(&run.output);
    assert!(!message.contains("read as UTF-8 (not UTF-8)"), "{message}");
    assert!(message.contains("declares UTF-8"), "{message}");

    // format_version written 2.0: told how to write it.
    let text = std::fs::read_to_string(&project).unwrap().replacen(
        "format_version: 2,",
        "format_version: 2.0,",
        1,
    );
    let decimal = write_file(dir.path(), "decimal.ron", text.as_bytes());
    let run = bounded(&["check", path_str(&decimal)], 20.0, 1024);
    let message = stderr(&run.output);
    assert!(message.contains("whole number"), "{message}");
}

// 19. Empty files are refused like an empty PDF.
#[test]
fn empty_docx_html_and_txt_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let docx = {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("word/document.xml", options).unwrap();
        std::io::Write::write_all(
            &mut zip,
            br#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body></w:body></w:document>"#,
        )
        .unwrap();
        zip.finish().unwrap().into_inner()
    };
    let files = [
        write_file(dir.path(), "empty.txt", b""),
        write_file(dir.path(), "blank.txt", b"  \n\n "),
        write_file(dir.path(), "empty.html", b"<html><body></body></html>"),
        write_file(dir.path(), "empty.docx", &docx),
    ];
    for file in &files {
        let run = bounded(&["source", "read", path_str(file)], 10.0, 256);
        assert_ne!(exited(&run.output), 0, "{}", file.display());
        let message = stderr(&run.output);
        assert!(message.contains("holds no text"), "{message}");
        assert!(message.contains(path_str(file)), "{message}");
    }
}

mod never_writes_what_check_rejects {
    use super::*;
    use proptest::prelude::*;

    /// Strings a hostile or careless user could give: controls of every kind (but NUL, which no
    /// command line can carry), line breaks,
    /// non-characters, zero-width spaces, and length.
    fn hostile() -> impl Strategy<Value = String> {
        prop_oneof![
            "[\\x01-\\x1f\\x7f\\u{80}-\\u{9f}\\u{FFFE}\\u{FFFF}\\u{200B}a-z \\n\\t]{0,24}",
            "[a-z]{1,3}".prop_map(|s| s.repeat(400)),
        ]
    }

    /// The CLI, held to the suite's bounds.
    fn run(args: &[&str]) -> Output {
        bounded(args, 20.0, 1024).output
    }

    /// Every way text enters a project from the command line and from extraction, then the
    /// project's own `check`: it must load without a problem.
    fn assert_clean(project: &Path) {
        let loaded = load_project(project).unwrap();
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        let check = run(&["check", path_str(project)]);
        assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

        #[test]
        fn through_every_option_and_extraction_path(value in hostile()) {
            let dir = tempfile::tempdir().unwrap();
            let project = dir.path().join("p.ron");
            let created = run(&["new", path_str(&project), "--title", &value]);
            prop_assert_eq!(created.status.code(), Some(0));
            assert_clean(&project);

            let project = sample_project(dir.path());
            // A text file whose lines hold the value (what TXT cleanup must make storable).
            let sentence = "States should cooperate in the use of ICTs.";
            let text = format!("Article 1\n{value}\n{sentence}\n\u{FFFE}{value}\u{FFFF}\n");
            let txt = write_file(dir.path(), "hostile.txt", text.as_bytes());
            let _ = run(&[
                "source", "add", path_str(&project), "--agreement", "budapest-convention",
                path_str(&txt), "--title", &value, "--id", &value, "--url", &value,
            ]);
            assert_clean(&project);
            let _ = run(&[
                "source", "add", path_str(&project), "--agreement", "budapest-convention",
                path_str(&txt), "--id", "plain",
            ]);
            assert_clean(&project);
            let _ = run(&[
                "evidence", "add", path_str(&project), "--agreement", "budapest-convention",
                "--element", "ke-human-rights", "--source", "plain", "--quote", sentence,
                "--locator", &value, "--comment", &value,
            ]);
            assert_clean(&project);
            // A quote of the line that held the non-characters.
            let dirty_line = format!("\u{FFFE}{value}\u{FFFF}");
            let _ = run(&[
                "evidence", "add", path_str(&project), "--agreement", "budapest-convention",
                "--element", "ke-cbms", "--source", "plain", "--quote", &dirty_line,
            ]);
            assert_clean(&project);
            // Titles from documents: HTML <title> and PDF Info /Title.
            let page = format!(
                "<html><head><title>{}</title></head><body><p>{sentence}</p></body></html>",
                value.replace(['<', '&'], " ")
            );
            let html = write_file(dir.path(), "hostile.html", page.as_bytes());
            let _ = run(&[
                "source", "add", path_str(&project), "--agreement", "budapest-convention",
                path_str(&html), "--id", "page",
            ]);
            assert_clean(&project);
            let pdf_title: String = value
                .chars()
                .filter(|c| c.is_ascii())
                .map(|c| if matches!(c, '(' | ')' | '\\') { ' ' } else { c })
                .collect();
            let pdf = text_pdf(&[sentence], "", "", 1, "");
            // Object 6 (the Info dictionary) appended to the objects of `text_pdf` by hand.
            let pdf = with_info_title(&pdf, &pdf_title);
            let pdf = write_file(dir.path(), "hostile.pdf", &pdf);
            let _ = run(&[
                "source", "add", path_str(&project), "--agreement", "budapest-convention",
                path_str(&pdf), "--id", "pdf",
            ]);
            assert_clean(&project);
        }
    }

    /// `pdf` with an Info dictionary holding `title`, appended as an incremental update.
    fn with_info_title(pdf: &[u8], title: &str) -> Vec<u8> {
        let text = String::from_utf8_lossy(pdf);
        let previous_xref: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|rest| rest.lines().next())
            .and_then(|n| n.trim().parse().ok())
            .unwrap();
        let mut out = pdf.to_vec();
        let info_at = out.len();
        out.extend(format!("6 0 obj\n<< /Title ({title}) >>\nendobj\n").as_bytes());
        let xref = out.len();
        out.extend(
            format!(
                "xref\n6 1\n{info_at:010} 00000 n \ntrailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R /Prev {previous_xref} >>\nstartxref\n{xref}\n%%EOF\n"
            )
            .as_bytes(),
        );
        out
    }
}

// 8, in the GUI: a project whose quotes are slow to prove opens and paints at once; the
// quotes are checked on a worker and their counts appear when ready.
#[test]
fn the_window_paints_before_slow_quotes_are_checked() {
    use egui_kittest::Harness;
    use normgrid::ui::{NormgridApp, StartupOptions};
    let dir = tempfile::tempdir().unwrap();
    let mut project = common::sample();
    let text = numbered_words(7000);
    let source = normgrid::model::Source {
        id: normgrid::model::SourceId::new("long"),
        agreement: Some(AgreementId::new("budapest-convention")),
        title: "Long".to_owned(),
        file_name: String::new(),
        kind: normgrid::model::SourceKind::Text,
        url: String::new(),
        retrieved: None,
        sha256: String::new(),
        pages: Vec::new(),
        text: text.clone(),
    };
    let outline = normgrid::sources::evidence::outline_of(&source);
    project.sources.push(source.clone());
    let (agreement, element) = (
        AgreementId::new("budapest-convention"),
        ElementId::new("ke-human-rights"),
    );
    let mut cell = project.cell(&agreement, &element);
    for n in 0..24 {
        let start = 10 + n * 1500;
        let mut excerpt = normgrid::sources::evidence::excerpt_from_range(
            &source,
            &outline,
            start..start + 2800,
            &cell.evidence,
        );
        // Every ninth word changed: a near match the full search has to find.
        excerpt.exact = excerpt
            .exact
            .split(' ')
            .enumerate()
            .map(|(i, word)| if i % 9 == 4 { "zzzzzz" } else { word })
            .collect::<Vec<_>>()
            .join(" ");
        excerpt.position = None;
        cell.evidence.push(excerpt);
    }
    project.cells.set(&agreement, &element, cell);
    let path = dir.path().join("slow.ron");
    normgrid::io::save_project(&path, &project).unwrap();

    let started = Instant::now();
    let options = StartupOptions {
        file: Some(path),
        ..StartupOptions::default()
    };
    let mut harness: Harness<'static, NormgridApp> = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| NormgridApp::new(cc, &options));
    harness.step();
    let first_frame = started.elapsed().as_secs_f64();
    eprintln!("first frame after {first_frame:.2} s");
    assert!(first_frame < 5.0, "the first frame took {first_frame:.2} s");
    assert!(
        harness.state().checking_quotes(),
        "the first frame painted while the quotes were still being checked"
    );
    let deadline = Instant::now() + Duration::from_secs(300);
    while harness.state().checking_quotes() {
        assert!(Instant::now() < deadline, "the check never ended");
        std::thread::sleep(Duration::from_millis(50));
        harness.step();
    }
    eprintln!(
        "quotes checked after {:.2} s",
        started.elapsed().as_secs_f64()
    );
}
