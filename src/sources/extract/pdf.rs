//! PDF sources, read page by page with pdf_oxide (pure Rust; chosen over lopdf and
//! pdf-extract, see docs/sources.md "Extraction").
//!
//! The parser runs on its own thread with a large stack and inside `catch_unwind`, so a
//! hostile file that makes it panic is reported as unreadable instead of ending normgrid.
//! pdf_oxide does not refuse encrypted or image-only files by itself (it returns empty
//! text), so both are checked here.

use super::{ExtractError, RawText};
use pdf_oxide::PdfDocument;
use pdf_oxide::object::Object;
use std::panic::{AssertUnwindSafe, catch_unwind};

const KIND: &str = "a PDF";

/// Stack for the parser thread: deeply nested objects recurse in the parser.
const PARSER_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Why pdf_oxide gave no pages.
enum Failure {
    Open(String),
    Encrypted,
    Panicked(String),
}

/// What pdf_oxide returned: the raw text of each page, and the pages it could not read.
struct PdfText {
    pages: Vec<String>,
    unreadable_pages: Vec<usize>,
    title: Option<String>,
}

pub(super) fn extract(bytes: &[u8], file: &str) -> Result<RawText, ExtractError> {
    let read = read_guarded(bytes).map_err(|failure| match failure {
        Failure::Encrypted => ExtractError::Encrypted {
            file: file.to_owned(),
        },
        Failure::Open(detail) => ExtractError::Corrupt {
            file: file.to_owned(),
            kind: KIND,
            detail,
        },
        Failure::Panicked(detail) => ExtractError::Corrupt {
            file: file.to_owned(),
            kind: KIND,
            detail: format!("the PDF reader failed on it ({detail})"),
        },
    })?;
    let all_text = read.pages.concat();
    if all_text.trim().is_empty() {
        let reason = if seems_truncated(bytes) {
            "the file seems truncated: it has no end-of-file marker; download it again"
        } else if read.pages.is_empty() {
            "it has no pages"
        } else if read.unreadable_pages.len() == read.pages.len() {
            "none of its pages could be read"
        } else {
            "its pages are images only, as in a scan"
        };
        return Err(ExtractError::NoText {
            file: file.to_owned(),
            reason: reason.to_owned(),
        });
    }
    if looks_garbled(&all_text) {
        return Err(ExtractError::NoText {
            file: file.to_owned(),
            reason: "its text layer is garbled: the file may be truncated or damaged, or its \
                     fonts carry no character map"
                .to_owned(),
        });
    }
    let mut notes = Vec::new();
    if !read.unreadable_pages.is_empty() {
        let numbers: Vec<String> = read
            .unreadable_pages
            .iter()
            .map(|index| (index + 1).to_string())
            .collect();
        notes.push(format!(
            "could not read the text of page(s) {}; they are left empty",
            numbers.join(", ")
        ));
    }
    Ok(RawText {
        pages: read.pages,
        title: read.title,
        notes,
    })
}

/// Whether the file lacks the `%%EOF` marker that ends every complete PDF (writers put it
/// in the last bytes; a little trailing junk is tolerated).
fn seems_truncated(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    !tail.windows(5).any(|window| window == b"%%EOF")
}

/// Runs [`read`] on a thread of its own inside `catch_unwind`.
fn read_guarded(bytes: &[u8]) -> Result<PdfText, Failure> {
    let guarded = || {
        catch_unwind(AssertUnwindSafe(|| read(bytes.to_vec())))
            .unwrap_or_else(|panic| Err(Failure::Panicked(panic_message(panic.as_ref()))))
    };
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("pdf-text".to_owned())
            .stack_size(PARSER_STACK_BYTES)
            .spawn_scoped(scope, guarded);
        match spawned {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| Err(Failure::Panicked(panic_message(panic.as_ref())))),
            // No thread to be had: read on this one, still guarded.
            Err(_) => guarded(),
        }
    })
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "internal error".to_owned())
}

fn read(bytes: Vec<u8>) -> Result<PdfText, Failure> {
    let document = PdfDocument::from_bytes(bytes).map_err(|e| Failure::Open(e.to_string()))?;
    // Files with only an owner password open with the empty user password.
    if document.is_encrypted() && !document.authenticate(b"").unwrap_or(false) {
        return Err(Failure::Encrypted);
    }
    let count = document
        .page_count()
        .map_err(|e| Failure::Open(e.to_string()))?;
    let mut pages = Vec::with_capacity(count);
    let mut unreadable_pages = Vec::new();
    for index in 0..count {
        match document.extract_text(index) {
            Ok(text) => pages.push(text),
            Err(_) => {
                unreadable_pages.push(index);
                pages.push(String::new());
            }
        }
    }
    Ok(PdfText {
        pages,
        unreadable_pages,
        title: info_title(&document),
    })
}

/// The Title of the document information dictionary, if any.
fn info_title(document: &PdfDocument) -> Option<String> {
    let info = document.trailer().as_dict()?.get("Info")?;
    let info = match info {
        Object::Reference(reference) => document.load_object(*reference).ok()?,
        other => other.clone(),
    };
    let title = match info.as_dict()?.get("Title")? {
        Object::Reference(reference) => document.load_object(*reference).ok()?,
        other => other.clone(),
    };
    let title = text_string(title.as_string()?);
    let title = title.trim();
    (!title.is_empty()).then(|| title.to_owned())
}

/// A PDF text string: UTF-16 with a byte order mark, UTF-8 with one (PDF 2.0), else
/// PDFDocEncoding, which matches Latin-1 for the characters titles use.
fn text_string(bytes: &[u8]) -> String {
    let utf16 = |units: Vec<u16>| String::from_utf16_lossy(&units);
    match bytes {
        [0xfe, 0xff, rest @ ..] => utf16(
            rest.chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect(),
        ),
        [0xff, 0xfe, rest @ ..] => utf16(
            rest.chunks_exact(2)
                .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
                .collect(),
        ),
        [0xef, 0xbb, 0xbf, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        _ => bytes.iter().map(|&byte| char::from(byte)).collect(),
    }
}

/// Whether extracted text is glyph numbers rather than letters, as when a truncated file
/// lost the fonts' character maps: real text in any alphabetic script has lowercase
/// letters and spaces between words.
fn looks_garbled(text: &str) -> bool {
    let visible: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    if visible.len() < 40 {
        return false;
    }
    let letters = visible.iter().filter(|c| c.is_alphabetic()).count();
    let lowercase = visible.iter().filter(|c| c.is_lowercase()).count();
    let cased = visible
        .iter()
        .filter(|c| c.is_lowercase() || c.is_uppercase())
        .count();
    let words = text.split_whitespace().count().max(1);
    let mean_word = visible.len() as f64 / words as f64;
    let digits = visible.iter().filter(|c| c.is_numeric()).count();
    // Letters and digits: a page of statistics is still text.
    let too_few_letters = (letters + digits) * 2 < visible.len();
    // Scripts without case or spaces (Chinese, Thai…) are judged on letters only.
    let cased_script = cased * 2 > letters;
    too_few_letters || (cased_script && (lowercase * 5 < cased || mean_word > 25.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbled_glyph_ids_are_told_from_text() {
        assert!(!looks_garbled(
            "Article 15 – Conditions and safeguards. Each Party shall ensure that the powers"
        ));
        assert!(!looks_garbled(
            "第十五条条件和保障各缔约方应确保本节规定的权力和程序的建立实施和适用受条件和保障的约束其中应包括"
        ));
        assert!(looks_garbled(
            "&RQYHQWLRQ RQ &RRSHUDWLRQ LQ &\\EHUVSDFH — 'UDIW 7H[W $UWLFOH  ± &RQGLWLRQV DQG VDIHJXDUGV"
        ));
        assert!(looks_garbled(
            "%$#@!^&*()_+=-%$#@!^&*()_+=-%$#@!^&*()_+=-%$#@!^&*()_+=-"
        ));
    }

    #[test]
    fn a_pdf_without_its_end_marker_seems_truncated() {
        assert!(seems_truncated(b"%PDF-1.4\n1 0 obj"));
        assert!(!seems_truncated(b"%PDF-1.4\ntrailer\n%%EOF\n"));
        assert!(seems_truncated(b""));
    }

    #[test]
    fn title_strings_in_each_encoding() {
        assert_eq!(text_string(b"\xfe\xff\x00A\x00r\x00t"), "Art");
        assert_eq!(text_string(b"Caf\xe9"), "Café");
        assert_eq!(text_string(b"\xef\xbb\xbfNorm \xe2\x80\x93 5"), "Norm – 5");
    }
}
