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

/// The first forbidden control character in `text`, with its position counted in characters
/// (1-based), for messages such as "control character U+0007 at character 5".
pub fn first_forbidden_control(text: &str) -> Option<(usize, char)> {
    text.chars()
        .enumerate()
        .find(|(_, c)| is_forbidden_control(*c))
        .map(|(i, c)| (i + 1, c))
}

/// `text` with each forbidden control character replaced by [`CONTROL_REPLACEMENT`]; borrowed
/// when there is nothing to replace, which is almost always.
pub fn without_forbidden_controls(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_forbidden_control) {
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
    }
}
