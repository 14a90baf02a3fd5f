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
