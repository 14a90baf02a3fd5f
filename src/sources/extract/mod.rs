//! Text extraction from the original files of sources: PDF, DOCX, HTML, TXT and Markdown.
//!
//! Each format has its own module that turns bytes into raw text (per page for PDF); then
//! [`cleanup`] normalises it the same way for all other formats; a PDF's text is laid out
//! and cleaned from its glyphs' positions in [`pdf`]. Nothing here panics on hostile
//! input: the PDF parser, the one large third-party parser, runs inside `catch_unwind`.

pub mod cleanup;
mod docx;
mod html;
mod html_limits;
pub mod pdf;
mod text;

use crate::model::SourceKind;
use crate::model::text::{MAX_LINE_CHARS, one_line_field};
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::Path;

/// Largest original file read (200 MB): bigger files are refused before reading.
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;

/// Text extracted from one original file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extracted {
    /// What the file turned out to be (by its extension, or by its content when that is
    /// missing or wrong).
    pub kind: SourceKind,
    /// The cleaned plain text, as stored in the project.
    pub text: String,
    /// Byte offset where each page starts in `text` (first 0); empty when no pages.
    pub pages: Vec<usize>,
    /// Title found in the document (HTML `<title>`, DOCX core title, PDF Info Title), if any.
    pub title: Option<String>,
    /// Lowercase hex sha256 of the original bytes.
    pub sha256: String,
    /// What was cleaned or noticed, for the user: e.g. "removed 12 repeated header/footer
    /// lines", "joined 5 hyphenated words".
    pub notes: Vec<String>,
}

/// Why a file gave no text. Every message names the file and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The file is none of the kinds normgrid reads.
    #[error(
        "{file}: normgrid can't read this kind of file. It reads PDF (.pdf), Word (.docx), \
         saved web pages (.html, .htm), plain text (.txt) and Markdown (.md); save or export \
         the document as one of these"
    )]
    Unsupported { file: String },
    /// A PDF that needs a password to open.
    #[error(
        "{file} is password-protected: save an unprotected copy (open it with its password \
         and print or export it to a new PDF) and attach that"
    )]
    Encrypted { file: String },
    /// A file that opened but holds no usable text (scanned pages, garbled text layer).
    #[error(
        "{file} has no extractable text ({reason}): run OCR first (for example ocrmypdf, or \
         your scanner's text recognition) and attach the result"
    )]
    NoText { file: String, reason: String },
    /// A DOCX, HTML, TXT or Markdown file without text.
    #[error(
        "{file} holds no text ({reason}): check that it is the document you meant, and attach \
         the file that has the agreement's text"
    )]
    Empty { file: String, reason: String },
    /// The parser could not read the file.
    #[error(
        "{file} could not be read as {kind}: {detail}. Check that it opens in another \
         program; if not, download or export it again"
    )]
    Corrupt {
        file: String,
        kind: &'static str,
        detail: String,
    },
    /// A plain-text file that is not text (binary content).
    #[error(
        "{file} does not look like text (it has binary content): save the document as UTF-8 \
         text and attach that"
    )]
    NotText { file: String },
    /// A file, or a part inside it, larger than normgrid reads.
    #[error(
        "{file} is too large ({size_mb} MB{what}; the limit is {limit_mb} MB): {}",
        too_large_advice(file)
    )]
    TooLarge {
        file: String,
        size_mb: u64,
        limit_mb: u64,
        /// Which part was too large, e.g. " once unpacked"; empty for the file itself.
        what: &'static str,
    },
    /// Not a regular file: a folder, a device such as /dev/zero, or a pipe, which could be
    /// endless or wait forever.
    #[error(
        "{file} is not a regular file ({what}): normgrid reads sources only from files; save \
         the document to a file and attach that"
    )]
    NotAFile { file: String, what: &'static str },
    /// The file could not be read from disk.
    #[error("could not read {file}: {source}. Check that the file exists and is readable")]
    Io {
        file: String,
        source: std::io::Error,
    },
}

/// Extracts the text of a file from its bytes; `file_name` gives the kind (by extension)
/// and names the file in errors. Content that is clearly PDF, a zip (DOCX) or HTML wins
/// over a missing or wrong extension.
pub fn extract_bytes(bytes: &[u8], file_name: &str) -> Result<Extracted, ExtractError> {
    let file = file_name.to_owned();
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(file, bytes.len() as u64, MAX_FILE_BYTES, ""));
    }
    let kind = kind_of(bytes, file_name)
        .ok_or_else(|| ExtractError::Unsupported { file: file.clone() })?;
    if kind == SourceKind::Pdf {
        let read = pdf::read_text_layer(bytes, &file)?;
        let mut notes = read.layer.notes;
        return Ok(Extracted {
            kind,
            text: read.layer.text,
            pages: read.layer.pages,
            title: stored_title(read.title, &mut notes),
            sha256: sha256_hex(bytes),
            notes,
        });
    }
    let raw = match kind {
        SourceKind::Docx => docx::extract(bytes, &file)?,
        SourceKind::Html => html::extract(bytes, &file)?,
        SourceKind::Text | SourceKind::Pdf => text::extract(bytes, &file, false)?,
        SourceKind::Markdown => text::extract(bytes, &file, true)?,
    };
    let cleaned = cleanup::clean_text(&raw.pages.concat());
    if cleaned.text.trim().is_empty() {
        // As for a PDF: a source with no text has nothing a quote could be proven against.
        return Err(ExtractError::Empty {
            file,
            reason: if bytes.iter().all(u8::is_ascii_whitespace) {
                "the file is empty".to_owned()
            } else {
                "it holds no visible text".to_owned()
            },
        });
    }
    let mut notes = raw.notes;
    notes.extend(cleaned.notes);
    Ok(Extracted {
        kind,
        text: cleaned.text,
        pages: cleaned.pages,
        title: stored_title(raw.title, &mut notes),
        sha256: sha256_hex(bytes),
        notes,
    })
}

/// Reads a file and extracts its text, naming the file by its path in errors.
pub fn extract_file(path: &Path) -> Result<Extracted, ExtractError> {
    let file = path.display().to_string();
    let bytes = read_original_bytes(path)?;
    extract_bytes(&bytes, &file)
}

/// The bytes of an original file, read only when it is a regular file of at most
/// [`MAX_FILE_BYTES`], through a reader that stops past the limit: a device such as
/// /dev/zero or a pipe is refused before a byte is read, and a file that grows while it is
/// read is refused too.
pub fn read_original_bytes(path: &Path) -> Result<Vec<u8>, ExtractError> {
    use std::io::Read as _;
    let file = path.display().to_string();
    let io_error = |source| ExtractError::Io {
        file: file.clone(),
        source,
    };
    // The path's own metadata first: opening a FIFO for reading would wait for a writer.
    let kind = std::fs::metadata(path).map_err(io_error)?.file_type();
    if !kind.is_file() {
        return Err(ExtractError::NotAFile {
            file,
            what: file_type_name(kind),
        });
    }
    let opened = std::fs::File::open(path).map_err(io_error)?;
    let metadata = opened.metadata().map_err(io_error)?;
    if !metadata.is_file() {
        return Err(ExtractError::NotAFile {
            file,
            what: file_type_name(metadata.file_type()),
        });
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large(file, metadata.len(), MAX_FILE_BYTES, ""));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    opened
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(file, bytes.len() as u64, MAX_FILE_BYTES, ""));
    }
    Ok(bytes)
}

/// What a file that is not a regular file is, for messages.
fn file_type_name(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a pipe";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

/// What to do with a file over the size limit: a text file can only be split.
fn too_large_advice(file: &str) -> &'static str {
    if SourceKind::from_file_name(file) == Some(SourceKind::Text) {
        "split the text into parts of less than the limit and attach each as its own source"
    } else {
        "split the document, or save its text as a .txt file and attach that"
    }
}

/// A document's title as stored: on one line with single spaces, through the project's
/// one-line rule (controls out, at most [`MAX_LINE_CHARS`] characters, each change noted);
/// `None` when blank.
fn stored_title(title: Option<String>, notes: &mut Vec<String>) -> Option<String> {
    let title = title?;
    let spaced = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let cleaned = one_line_field(&spaced, MAX_LINE_CHARS);
    notes.extend(
        cleaned
            .notes
            .into_iter()
            .map(|note| format!("the document's title: {note}")),
    );
    (!cleaned.text.is_empty()).then_some(cleaned.text)
}

/// What a format module returns before cleanup.
struct RawText {
    /// The whole text as one entry (kept a list for formats that come in parts).
    pages: Vec<String>,
    title: Option<String>,
    notes: Vec<String>,
}

fn too_large(file: String, size: u64, limit: u64, what: &'static str) -> ExtractError {
    const MB: u64 = 1024 * 1024;
    ExtractError::TooLarge {
        file,
        size_mb: size.div_ceil(MB),
        limit_mb: limit / MB,
        what,
    }
}

/// The kind to read `bytes` as: a PDF or zip signature beats the extension (a renamed file
/// is still what it is), HTML markup beats a missing or .txt extension, and a file without
/// extension that is valid UTF-8 is read as text.
fn kind_of(bytes: &[u8], file_name: &str) -> Option<SourceKind> {
    let by_name = SourceKind::from_file_name(file_name);
    let base_name = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let has_extension = base_name.trim_start_matches('.').contains('.');
    let sniffed = sniff(bytes);
    if sniffed == Some(SourceKind::Pdf) {
        return sniffed;
    }
    match by_name {
        Some(SourceKind::Docx) => by_name,
        Some(_) if sniffed == Some(SourceKind::Docx) => sniffed,
        Some(SourceKind::Text) if sniffed == Some(SourceKind::Html) => sniffed,
        Some(_) => by_name,
        None if has_extension => None,
        None => sniffed.or_else(|| {
            std::str::from_utf8(bytes)
                .is_ok()
                .then_some(SourceKind::Text)
        }),
    }
}

/// The kind the first bytes announce, if any.
fn sniff(bytes: &[u8]) -> Option<SourceKind> {
    let head = &bytes[..bytes.len().min(1024)];
    // The PDF header may follow a little junk; readers accept it within the first 1 KB.
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Some(SourceKind::Pdf);
    }
    if head.starts_with(b"PK\x03\x04") {
        return Some(SourceKind::Docx);
    }
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let start = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let html_start = ["<!doctype html", "<html", "<head", "<body"]
        .iter()
        .any(|tag| start.starts_with(tag));
    (html_start || (start.starts_with("<?xml") && text.contains("<html")))
        .then_some(SourceKind::Html)
}

/// Lowercase hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest.iter() {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_input() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn content_beats_a_wrong_or_missing_extension() {
        assert_eq!(kind_of(b"%PDF-1.7\n", "report.txt"), Some(SourceKind::Pdf));
        assert_eq!(kind_of(b"%PDF-1.7\n", "report"), Some(SourceKind::Pdf));
        assert_eq!(
            kind_of(b"PK\x03\x04rest", "download"),
            Some(SourceKind::Docx)
        );
        assert_eq!(
            kind_of(b"<!DOCTYPE html><p>x", "page.txt"),
            Some(SourceKind::Html)
        );
        assert_eq!(kind_of(b"<html><p>x", "page"), Some(SourceKind::Html));
        assert_eq!(kind_of(b"plain words", "notes"), Some(SourceKind::Text));
        assert_eq!(kind_of(b"# Title", "notes.md"), Some(SourceKind::Markdown));
        assert_eq!(kind_of(b"hello, not a pdf", "x.pdf"), Some(SourceKind::Pdf));
    }

    #[test]
    fn unknown_extensions_are_refused() {
        assert_eq!(kind_of(b"PK\x03\x04rest", "text.odt"), None);
        assert_eq!(kind_of(b"plain", "scan.tiff"), None);
        assert_eq!(kind_of(&[0xff, 0xfe, 0x00], "blob"), None);
        let error = extract_bytes(b"plain", "scan.tiff").err();
        let message = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.starts_with("scan.tiff: normgrid can't read"),
            "{message}"
        );
        assert!(message.contains(".docx"), "{message}");
    }
}
