//! Which characters a project string may hold. Shared by input checks (CSV import, `check`)
//! and by every export, so that they agree on one rule.

use std::borrow::Cow;

/// What an export writes in place of a forbidden control character.
pub const CONTROL_REPLACEMENT: char = '\u{FFFD}';

/// True for a character that XML, XLSX and most spreadsheets cannot carry: C0 and C1 control
/// characters other than tab, line feed and carriage return, DEL, and the non-characters
/// U+FFFE and U+FFFF.
pub fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// True when `text` may hold a forbidden control character. A byte scan that the compiler
/// vectorises: every forbidden character starts with a C0 byte, DEL, 0xC2 (U+0080–U+009F) or
/// 0xEF (U+FFFE/U+FFFF). Loading checks every text field, so the common clean case stays cheap.
fn may_hold_forbidden_control(text: &str) -> bool {
    // Non-short-circuiting operators over fixed chunks, so the loop vectorises.
    let suspicious = |b: u8| {
        ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r'))
            | (b == 0x7F)
            | (b == 0xC2)
            | (b == 0xEF)
    };
    text.as_bytes()
        .chunks(64)
        .any(|chunk| chunk.iter().fold(false, |found, &b| found | suspicious(b)))
}

/// The first forbidden control character in `text`, with its position counted in characters
/// (1-based), for messages such as "control character U+0007 at character 5".
pub fn first_forbidden_control(text: &str) -> Option<(usize, char)> {
    if !may_hold_forbidden_control(text) {
        return None;
    }
    text.chars()
        .enumerate()
        .find(|(_, c)| is_forbidden_control(*c))
        .map(|(i, c)| (i + 1, c))
}

/// `text` with each forbidden control character replaced by [`CONTROL_REPLACEMENT`]; borrowed
/// when there is nothing to replace, which is almost always.
pub fn without_forbidden_controls(text: &str) -> Cow<'_, str> {
    if may_hold_forbidden_control(text) && text.chars().any(is_forbidden_control) {
        Cow::Owned(
            text.chars()
                .map(|c| {
                    if is_forbidden_control(c) {
                        CONTROL_REPLACEMENT
                    } else {
                        c
                    }
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// Longest one-line field normgrid stores from a document or an option: a title, a name, an
/// id, a locator. Longer is cut, with a note.
pub const MAX_LINE_CHARS: usize = 500;

/// A one-line field after [`one_line_field`], with what was changed, for the user.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub text: String,
    /// E.g. "removed 2 control characters", "cut to 500 characters (it had 10000)".
    pub notes: Vec<String>,
}

/// The one rule for a one-line field at every entry (a document's title, `--title`, `--id`,
/// `--locator`, a reviewer's name): forbidden control characters out, line breaks and tabs
/// as spaces, blanks and invisible characters trimmed from both ends, and at most
/// `max_chars` characters. Nothing changes without a note, so normgrid never stores what its
/// own `check` would refuse and never changes it silently.
pub fn one_line_field(text: &str, max_chars: usize) -> Cleaned {
    let mut notes = Vec::new();
    let mut removed = 0;
    let mut joined = 0;
    let mut out = String::with_capacity(text.len().min(max_chars * 4));
    for c in text.chars() {
        if matches!(c, '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}') {
            joined += 1;
            out.push(' ');
        } else if is_forbidden_control(c) {
            removed += 1;
        } else {
            out.push(c);
        }
    }
    if removed > 0 {
        notes.push(format!(
            "removed {}",
            counted(removed, "control character", "control characters")
        ));
    }
    if joined > 0 {
        notes.push("put it on one line (line breaks and tabs became spaces)".to_owned());
    }
    let trimmed = out.trim_matches(is_blank);
    if trimmed.len() != out.len() {
        out = trimmed.to_owned();
    }
    let length = out.chars().count();
    if length > max_chars {
        let cut = out
            .char_indices()
            .nth(max_chars)
            .map_or(out.len(), |(at, _)| at);
        out.truncate(cut);
        let kept = out.trim_end_matches(is_blank).len();
        out.truncate(kept);
        notes.push(format!("cut to {max_chars} characters (it had {length})"));
    }
    Cleaned { text: out, notes }
}

/// The rule for a field that may span lines (a comment, a note): forbidden control
/// characters out, with a note; line breaks and tabs stay.
pub fn multi_line_field(text: &str) -> Cleaned {
    let removed = text.chars().filter(|&c| is_forbidden_control(c)).count();
    if removed == 0 {
        return Cleaned {
            text: text.to_owned(),
            notes: Vec::new(),
        };
    }
    Cleaned {
        text: text.chars().filter(|&c| !is_forbidden_control(c)).collect(),
        notes: vec![format!(
            "removed {}",
            counted(removed, "control character", "control characters")
        )],
    }
}

/// Blank or invisible: whitespace, zero-width characters and the byte order mark. A name of
/// only these would show as nothing.
pub fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
        )
}

/// "1 conflict", "3 conflicts": a count with its noun, so messages never read "1 conflict(s)".
pub fn counted(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_line_breaks_and_tabs_and_replaces_the_rest() {
        assert_eq!(without_forbidden_controls("a\tb\r\nc"), "a\tb\r\nc");
        assert_eq!(without_forbidden_controls("bell\u{7}!"), "bell\u{FFFD}!");
        assert_eq!(first_forbidden_control("ab\u{1b}"), Some((3, '\u{1b}')));
        assert_eq!(first_forbidden_control("Art. 23 – «ok»"), None);
        assert!(is_forbidden_control('\u{85}'));
        assert!(is_forbidden_control('\u{FFFF}'));
        // The byte pre-check lets through characters that share a lead byte but are allowed.
        assert_eq!(first_forbidden_control("£ \u{FEFF} ok"), None);
        assert_eq!(first_forbidden_control("x\u{9F}"), Some((2, '\u{9F}')));
        assert_eq!(first_forbidden_control("\u{FFFE}"), Some((1, '\u{FFFE}')));
    }

    #[test]
    fn one_line_fields_lose_controls_and_length_with_a_note() {
        let cleaned = one_line_field(" Title\u{7}\nnext\u{FFFE} ", MAX_LINE_CHARS);
        assert_eq!(cleaned.text, "Title next");
        assert_eq!(
            cleaned.notes,
            vec![
                "removed 2 control characters".to_owned(),
                "put it on one line (line breaks and tabs became spaces)".to_owned()
            ]
        );
        let long = one_line_field(&"é".repeat(600), MAX_LINE_CHARS);
        assert_eq!(long.text.chars().count(), MAX_LINE_CHARS);
        assert_eq!(
            long.notes,
            vec!["cut to 500 characters (it had 600)".to_owned()]
        );
        assert_eq!(one_line_field(" \u{200B} ", 10).text, "");
        let clean = one_line_field("Art. 23", MAX_LINE_CHARS);
        assert_eq!((clean.text.as_str(), clean.notes.len()), ("Art. 23", 0));
    }

    #[test]
    fn the_byte_pre_check_never_misses_a_forbidden_character() {
        for code in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            if is_forbidden_control(code) {
                assert!(
                    may_hold_forbidden_control(&code.to_string()),
                    "U+{:04X}",
                    code as u32
                );
            }
        }
    }
}
