//! PDF sources: hayro (pure Rust) parses the file and interprets each page; the reading
//! order, spaces, columns, running headers and hyphenation are ours, from the glyphs'
//! positions (see docs/sources.md, "Extraction").
//!
//! The same glyph positions give each character's box on its page ([`TextLayer`]), so a
//! quote can be highlighted on the page as drawn ([`render`]).
//!
//! The parser runs on its own thread inside `catch_unwind`, so a hostile file that makes
//! it panic is reported as unreadable instead of ending normgrid. Nesting depth and the
//! references in one list are checked on the bytes before hayro parses them ([`limits`]);
//! pages and glyphs per page are bounded here.

pub mod assemble;
mod glyphs;
pub mod layout;
pub mod limits;
pub mod render;

pub use assemble::{CharBox, PageLines, TextLayer};

use super::ExtractError;
use hayro_interpret::hayro_syntax::{LoadPdfError, Pdf};
use hayro_interpret::{InterpreterCache, InterpreterSettings};
use std::panic::{AssertUnwindSafe, catch_unwind};

const KIND: &str = "a PDF";

/// Most pages read. A longer document is refused rather than read in part.
pub const MAX_PAGES: usize = 20_000;

/// Stack for the parser thread: hayro recurses into nested objects (up to 512 levels).
const PARSER_STACK_BYTES: usize = 32 * 1024 * 1024;

/// A PDF's text layer and its document title.
#[derive(Clone, Debug)]
pub struct PdfText {
    pub layer: TextLayer,
    pub title: Option<String>,
}

/// Why hayro gave no pages.
enum Failure {
    Open(String),
    Encrypted,
    TooManyPages(usize),
    Panicked(String),
}

/// Reads a PDF's text layer: the stored text, its page starts, each character's box and
/// the notes on what was removed or joined. `file` names the file in errors.
pub fn read_text_layer(bytes: &[u8], file: &str) -> Result<PdfText, ExtractError> {
    let read = read_guarded(bytes).map_err(|failure| match failure {
        Failure::Encrypted => ExtractError::Encrypted {
            file: file.to_owned(),
        },
        Failure::Open(detail) => ExtractError::Corrupt {
            file: file.to_owned(),
            kind: KIND,
            detail: if seems_truncated(bytes) {
                format!("{detail}; the file seems truncated (it has no end-of-file marker)")
            } else {
                detail
            },
        },
        Failure::TooManyPages(count) => ExtractError::Corrupt {
            file: file.to_owned(),
            kind: KIND,
            detail: format!(
                "it has {count} pages and normgrid reads at most {MAX_PAGES}; split it into parts"
            ),
        },
        Failure::Panicked(detail) => ExtractError::Corrupt {
            file: file.to_owned(),
            kind: KIND,
            detail: format!("the PDF reader failed on it ({detail})"),
        },
    })?;
    let mut layer = assemble::assemble(read.pages);
    if layer.text.trim().is_empty() {
        let reason = if read.page_count == 0 {
            "it has no pages".to_owned()
        } else if read.unmapped > 0 {
            "its fonts carry no character map, so its letters can't be told: the file may be \
             damaged, or it was made to hide its text"
                .to_owned()
        } else if seems_truncated(bytes) {
            "the file seems truncated: it has no end-of-file marker; download it again".to_owned()
        } else {
            "its pages are images only, as in a scan".to_owned()
        };
        return Err(ExtractError::NoText {
            file: file.to_owned(),
            reason,
        });
    }
    // Most glyphs without a character: what is left is glyph numbers read as letters (a
    // truncated file that lost its fonts' maps); poppler refuses such files too.
    if read.unmapped * 2 > read.drawn {
        return Err(ExtractError::NoText {
            file: file.to_owned(),
            reason: format!(
                "its text layer is garbled: {} of its {} glyphs have no known character, so its letters can't be told; the file may be truncated or damaged",
                read.unmapped, read.drawn
            ),
        });
    }
    let mut notes = read.notes;
    if seems_truncated(bytes) {
        notes.push(
            "the file seems truncated (it has no end-of-file marker): pages or text may be missing; download it again and replace the source"
                .to_owned(),
        );
    }
    notes.append(&mut layer.notes);
    layer.notes = notes;
    Ok(PdfText {
        layer,
        title: read.title,
    })
}

/// What reading the pages gave.
struct PagesRead {
    pages: Vec<PageLines>,
    page_count: usize,
    unmapped: usize,
    drawn: usize,
    title: Option<String>,
    notes: Vec<String>,
}

/// Whether the file lacks the `%%EOF` marker that ends every complete PDF (writers put it
/// in the last bytes; a little trailing junk is tolerated).
fn seems_truncated(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    !tail.windows(5).any(|window| window == b"%%EOF")
}

/// Runs [`read_pages`] on a thread of its own inside `catch_unwind`.
fn read_guarded(bytes: &[u8]) -> Result<PagesRead, Failure> {
    run_guarded("pdf-text", || read_pages(bytes.to_vec()))
        .unwrap_or_else(|panic| Err(Failure::Panicked(panic)))
}

/// Runs `work` on a thread of its own with [`PARSER_STACK_BYTES`] of stack (hayro recurses
/// into nested objects), inside `catch_unwind`: a hostile file that makes the parser panic
/// gives `Err` with the panic's message instead of ending normgrid. With no thread to be had,
/// it runs on this one, still guarded.
pub(crate) fn run_guarded<T: Send>(
    name: &str,
    work: impl FnOnce() -> T + Send,
) -> Result<T, String> {
    // The work waits in a slot both threads can reach: if no thread starts, it runs here.
    let slot = std::sync::Mutex::new(Some(work));
    let guarded = || {
        let work = slot.lock().ok().and_then(|mut slot| slot.take());
        let work = work.ok_or_else(|| "the work was already taken".to_owned())?;
        catch_unwind(AssertUnwindSafe(work)).map_err(|panic| panic_message(panic.as_ref()))
    };
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name(name.to_owned())
            .stack_size(PARSER_STACK_BYTES)
            .spawn_scoped(scope, guarded);
        match spawned {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| Err(panic_message(panic.as_ref()))),
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

/// Opens a PDF with hayro: an owner-only password (empty user password) opens; a user
/// password is refused.
pub(crate) fn open(bytes: Vec<u8>) -> Result<Pdf, String> {
    limits::check(&bytes).map_err(|over| over.reason())?;
    Pdf::new(bytes).map_err(|error| match error {
        LoadPdfError::Decryption(
            hayro_interpret::hayro_syntax::DecryptionError::PasswordProtected,
        ) => ENCRYPTED.to_owned(),
        LoadPdfError::Decryption(other) => format!("its encryption can't be read ({other:?})"),
        LoadPdfError::Invalid => {
            "it is not a readable PDF (no valid cross-reference table or page tree)".to_owned()
        }
    })
}

const ENCRYPTED: &str = "password-protected";

fn read_pages(bytes: Vec<u8>) -> Result<PagesRead, Failure> {
    let pdf = open(bytes).map_err(|message| {
        if message == ENCRYPTED {
            Failure::Encrypted
        } else {
            Failure::Open(message)
        }
    })?;
    let page_count = pdf.pages().len();
    if page_count > MAX_PAGES {
        return Err(Failure::TooManyPages(page_count));
    }
    let read = read_pages_in_parallel(pdf.pages(), page_count);
    let mut pages = Vec::with_capacity(page_count);
    let mut unmapped = 0;
    let mut drawn = 0;
    let mut cut_pages = Vec::new();
    let mut unmapped_pages = Vec::new();
    for (index, page) in read.into_iter().enumerate() {
        unmapped += page.unmapped;
        drawn += page.drawn;
        if page.cut {
            cut_pages.push(index + 1);
        }
        if page.unmapped > 0 {
            unmapped_pages.push(index + 1);
        }
        pages.push(page.lines);
    }
    let mut notes = Vec::new();
    if !cut_pages.is_empty() {
        notes.push(format!(
            "page(s) {} draw more than {} glyphs; the text after that is not read",
            page_list(&cut_pages),
            glyphs::MAX_GLYPHS_PER_PAGE
        ));
    }
    if unmapped > 0 && unmapped < drawn {
        notes.push(format!(
            "{unmapped} of {drawn} glyphs on page(s) {} have no known character (their font \
             has no character map) and are left out",
            page_list(&unmapped_pages)
        ));
    }
    Ok(PagesRead {
        pages,
        page_count,
        unmapped,
        drawn,
        title: info_title(&pdf),
        notes,
    })
}

/// One page read: its lines and what its glyphs were.
struct PageRead {
    lines: PageLines,
    unmapped: usize,
    drawn: usize,
    cut: bool,
}

/// Interprets and lays out pages `range`, in order.
fn read_page_range(
    pages: &hayro_interpret::hayro_syntax::page::Pages<'_>,
    range: std::ops::Range<usize>,
) -> Vec<PageRead> {
    let cache = InterpreterCache::new();
    let settings = InterpreterSettings::default();
    range
        .filter_map(|index| pages.get(index))
        .map(|page| {
            let glyphs = glyphs::page_glyphs(page, &cache, &settings);
            let mut lines = Vec::new();
            for rotated in &glyphs.by_rotation {
                if !rotated.is_empty() {
                    lines.extend(layout::lay_out(rotated));
                }
            }
            PageRead {
                lines: PageLines {
                    lines,
                    width: glyphs.width,
                    height: glyphs.height,
                },
                unmapped: glyphs.unmapped,
                drawn: glyphs.drawn,
                cut: glyphs.cut,
            }
        })
        .collect()
}

/// Reads every page, split in runs of pages over the machine's cores (at most 4): pages are
/// independent, and a long treaty then reads faster than poppler's single-threaded
/// pdftotext. A worker that can't start leaves its pages to this thread.
fn read_pages_in_parallel(
    pages: &hayro_interpret::hayro_syntax::page::Pages<'_>,
    count: usize,
) -> Vec<PageRead> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, 4)
        .min(count.div_ceil(8).max(1));
    if workers == 1 {
        return read_page_range(pages, 0..count);
    }
    let chunk = count.div_ceil(workers);
    std::thread::scope(|scope| {
        let runs: Vec<_> = (0..workers)
            .map(|worker| {
                let range = worker * chunk..((worker + 1) * chunk).min(count);
                let spawned = std::thread::Builder::new()
                    .name("pdf-pages".to_owned())
                    .stack_size(PARSER_STACK_BYTES)
                    .spawn_scoped(scope, {
                        let range = range.clone();
                        move || read_page_range(pages, range)
                    });
                (range, spawned)
            })
            .collect();
        let mut read = Vec::with_capacity(count);
        for (range, spawned) in runs {
            match spawned {
                // A panic in a worker goes on to the guarded thread, which reports it.
                Ok(handle) => match handle.join() {
                    Ok(pages_read) => read.extend(pages_read),
                    Err(panic) => std::panic::resume_unwind(panic),
                },
                Err(_) => read.extend(read_page_range(pages, range)),
            }
        }
        read
    })
}

/// "1, 2, 5" or "1, 2, 3 … (12 pages)".
fn page_list(pages: &[usize]) -> String {
    let shown: Vec<String> = pages.iter().take(10).map(usize::to_string).collect();
    if pages.len() > 10 {
        format!("{} … ({} pages)", shown.join(", "), pages.len())
    } else {
        shown.join(", ")
    }
}

/// The Title of the document information dictionary, if any.
fn info_title(pdf: &Pdf) -> Option<String> {
    let title = text_string(pdf.metadata().title.as_deref()?);
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn page_lists_stay_short() {
        assert_eq!(page_list(&[1, 2, 5]), "1, 2, 5");
        let many: Vec<usize> = (1..=12).collect();
        assert_eq!(
            page_list(&many),
            "1, 2, 3, 4, 5, 6, 7, 8, 9, 10 … (12 pages)"
        );
    }
}
