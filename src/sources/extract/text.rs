//! Plain text and Markdown sources.
//!
//! UTF-8 is expected (a byte order mark is dropped). UTF-16 with a byte order mark (what
//! Windows Notepad calls "Unicode") and Windows-1252 (older Windows "ANSI" files) are read
//! with encoding_rs, with a note, since the volunteer may not know which one they saved.
//! Markdown is stored as its text with heading marks removed ("## Article 15" becomes
//! "Article 15", so the outline finds it); inline markup (`*`, `_`, links) is kept as written.

use super::{ExtractError, RawText};

/// Share of control bytes above which a "text" file is taken for binary.
const MAX_CONTROL_SHARE: f64 = 0.01;

pub(super) fn extract(bytes: &[u8], file: &str, markdown: bool) -> Result<RawText, ExtractError> {
    let mut notes = Vec::new();
    let text = decode(bytes, file, &mut notes)?;
    let text = if markdown {
        strip_heading_marks(&text)
    } else {
        text
    };
    Ok(RawText {
        pages: vec![text],
        title: None,
        notes,
    })
}

/// The text of `bytes`: UTF-8, or UTF-16 by byte order mark, or Windows-1252.
fn decode(bytes: &[u8], file: &str, notes: &mut Vec<String>) -> Result<String, ExtractError> {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        if encoding != encoding_rs::UTF_8 {
            notes.push(format!("read as {} (not UTF-8)", encoding.name()));
        }
        if had_errors {
            notes.push("replaced invalid characters with \u{fffd}".to_owned());
        }
        return check_is_text(text.into_owned(), file);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => check_is_text(text.to_owned(), file),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            notes.push("read as Windows-1252 (not UTF-8)".to_owned());
            check_is_text(text.into_owned(), file)
        }
    }
}

/// Refuses text that is mostly binary: NULs and other control characters beyond a few.
fn check_is_text(text: String, file: &str) -> Result<String, ExtractError> {
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    let share = controls as f64 / text.chars().count().max(1) as f64;
    if share > MAX_CONTROL_SHARE {
        return Err(ExtractError::NotText {
            file: file.to_owned(),
        });
    }
    Ok(text)
}

/// Removes ATX heading marks ("## Title ##" → "Title") outside fenced code blocks.
fn strip_heading_marks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start_matches(' ');
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            out.push_str(line);
            continue;
        }
        let hashes = trimmed.chars().take_while(|&c| c == '#').count();
        let rest = &trimmed[hashes..];
        let is_heading = !in_fence
            && line.len() - trimmed.len() < 4
            && (1..=6).contains(&hashes)
            && (rest.is_empty() || rest.starts_with([' ', '\t']));
        if is_heading {
            let title = rest.trim().trim_end_matches('#').trim_end();
            out.push_str(title);
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(bytes: &[u8], markdown: bool) -> (String, Vec<String>) {
        match extract(bytes, "f.txt", markdown) {
            Ok(raw) => (raw.pages.concat(), raw.notes),
            Err(error) => panic!("{error}"),
        }
    }

    #[test]
    fn utf8_with_bom_loses_the_bom() {
        let (text, notes) = text_of("\u{feff}Article 1".as_bytes(), false);
        assert_eq!(text, "Article 1");
        assert!(notes.is_empty());
    }

    #[test]
    fn windows_1252_and_utf16_are_decoded_with_a_note() {
        let (text, notes) = text_of(b"caf\xe9 \x93quoted\x94", false);
        assert_eq!(text, "café \u{201c}quoted\u{201d}");
        assert_eq!(notes, vec!["read as Windows-1252 (not UTF-8)".to_owned()]);
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("Norm 5".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (text, notes) = text_of(&utf16, false);
        assert_eq!(text, "Norm 5");
        assert_eq!(notes, vec!["read as UTF-16LE (not UTF-8)".to_owned()]);
    }

    #[test]
    fn binary_is_refused_naming_the_file() {
        let message = extract(&[0, 1, 2, 3, 0, 0, 5, 6, b'a'], "data.txt", false)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            message.starts_with("data.txt does not look like text"),
            "{message}"
        );
        assert!(message.contains("UTF-8"), "{message}");
    }

    #[test]
    fn markdown_headings_lose_their_marks_but_code_and_hashtags_stay() {
        let markdown =
            "# Convention\n\n## Article 15 ##\n#hashtag\n```\n# not a heading\n```\nText *kept*.";
        let (text, _) = text_of(markdown.as_bytes(), true);
        assert_eq!(
            text,
            "Convention\n\nArticle 15\n#hashtag\n```\n# not a heading\n```\nText *kept*."
        );
    }
}
