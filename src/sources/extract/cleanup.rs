//! Cleaning extracted text before it is stored: the stored text is what quotes are anchored
//! in, so every step here is deterministic and page offsets are computed only afterwards.
//!
//! No extraction library does these reliably (see docs/sources.md, "Extraction"), so they
//! are ours: control characters, ligatures, words hyphenated across lines and long runs of
//! blank lines.

use std::borrow::Cow;

/// Cleaned text with its page starts and what was changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// The text to store.
    pub text: String,
    /// Byte offset where each page starts in `text` (first 0); empty for a single page.
    pub pages: Vec<usize>,
    /// One line per kind of change, for the user ("joined 5 hyphenated words").
    pub notes: Vec<String>,
}

/// Separator between pages in the stored text: one blank line, no form feed. (PDF pages
/// are joined in `pdf::assemble`; running headers are removed there, from their place on
/// the page.)
pub const PAGE_SEPARATOR: &str = "\n\n";

/// Most blank lines kept in a row; longer runs are cut to this.
const MAX_BLANK_LINES: usize = 2;

/// Cleans the text of a document without pages (DOCX, HTML, TXT, Markdown).
pub fn clean_text(text: &str) -> Cleaned {
    let mut tally = Tally::default();
    let text = normalize_controls(text, &mut tally.controls);
    let text = map_ligatures(&text, &mut tally.ligatures);
    let text = join_hyphenated(&text, &mut tally.hyphens);
    Cleaned {
        text: tidy_lines(&text, &mut tally.blank_runs),
        pages: Vec::new(),
        notes: tally.notes(),
    }
}

/// Counts of each cleanup, turned into notes for the user.
#[derive(Default)]
struct Tally {
    controls: usize,
    ligatures: usize,
    hyphens: usize,
    blank_runs: usize,
}

impl Tally {
    fn notes(&self) -> Vec<String> {
        let counted = [
            (self.hyphens, "hyphenated word", "joined"),
            (self.ligatures, "ligature", "spelled out"),
            (self.controls, "control character", "removed"),
            (self.blank_runs, "run of blank lines", "shortened"),
        ];
        counted
            .into_iter()
            .filter(|(count, _, _)| *count > 0)
            .map(|(count, what, verb)| {
                let plural = if count == 1 { "" } else { "s" };
                format!("{verb} {count} {what}{plural}")
            })
            .collect()
    }
}

/// Unix line ends; form feeds become line breaks; other control characters, NULs, byte
/// order marks and stray soft hyphens are dropped (counted in `removed`). Tabs stay.
pub fn normalize_controls(text: &str, removed: &mut usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            '\u{c}' => out.push('\n'),
            // A soft hyphen at a line end marks a break inside a word: join it here.
            '\u{ad}' if chars.peek() == Some(&'\n') => {
                chars.next();
                while chars
                    .next_if(|next| *next == ' ' || *next == '\t')
                    .is_some()
                {}
            }
            '\u{ad}' | '\u{feff}' => *removed += 1,
            // Also U+FFFE and U+FFFF, which no export can carry and `check` refuses.
            c if c.is_control() || crate::model::text::is_forbidden_control(c) => *removed += 1,
            c => out.push(c),
        }
    }
    out
}

/// The letters a typographic ligature stands for (U+FB00–FB06).
pub fn ligature_letters(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{fb00}' => "ff",
        '\u{fb01}' => "fi",
        '\u{fb02}' => "fl",
        '\u{fb03}' => "ffi",
        '\u{fb04}' => "ffl",
        '\u{fb05}' | '\u{fb06}' => "st",
        _ => return None,
    })
}

/// Spells out ligatures, so that "ﬁle" is found when searching "file".
pub fn map_ligatures(text: &str, mapped: &mut usize) -> String {
    if !text.chars().any(|c| ligature_letters(c).is_some()) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match ligature_letters(c) {
            Some(letters) => {
                out.push_str(letters);
                *mapped += 1;
            }
            None => out.push(c),
        }
    }
    out
}

/// Joins words hyphenated across a line break ("signi-" / "ficant" → "significant"), moving
/// the line break after the joined word so the other lines keep their place.
///
/// Joined only when a lowercase fragment of two letters or more ends the line and the next
/// line starts lowercase: "Anti-\nCorruption" is a compound, and "e-\nmail" keeps its
/// hyphen because typesetters never leave a single letter before a hyphenation break.
/// Hyphens inside a line ("e-mail") are never touched.
pub fn join_hyphenated(text: &str, joined: &mut usize) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<Cow<'_, str>> = Vec::with_capacity(lines.len());
    // Bytes of the current line already moved up by a join.
    let mut skip = 0;
    let mut index = 0;
    while index < lines.len() {
        let line = &lines[index][skip.min(lines[index].len())..];
        skip = 0;
        let next = lines.get(index + 1).copied().unwrap_or("");
        let next_trimmed = next.trim_start_matches([' ', '\t']);
        let Some(hyphen_at) = hyphen_break(line, next_trimmed) else {
            out.push(Cow::Borrowed(line));
            index += 1;
            continue;
        };
        let word_end = next_trimmed
            .find(char::is_whitespace)
            .unwrap_or(next_trimmed.len());
        out.push(Cow::Owned(format!(
            "{}{}",
            &line[..hyphen_at],
            &next_trimmed[..word_end]
        )));
        *joined += 1;
        let rest = &next_trimmed[word_end..];
        let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        skip = (next.len() - next_trimmed.len()) + word_end + spaces;
        index += 1;
        if skip >= next.len() {
            // The whole next line moved up: drop it rather than leave a blank line.
            skip = 0;
            index += 1;
        }
    }
    out.join("\n")
}

/// Byte index of the hyphen that splits a word across `line` and `next`, if it does.
fn hyphen_break(line: &str, next: &str) -> Option<usize> {
    let body = line.trim_end_matches([' ', '\t']);
    let before = body.strip_suffix(['-', '\u{2010}'])?;
    splits_a_word(before, next).then_some(before.len())
}

/// Whether a hyphen between `before` (the line up to it) and `next` (the next line) splits
/// one word: at least two letters before it, lower case on both sides ("co-" / "operation"),
/// not a compound ("Anti-" / "Corruption") or "e-" / "mail". Shared with the PDF layer.
pub(crate) fn splits_a_word(before: &str, next: &str) -> bool {
    let fragment_letters = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .count();
    let last_is_lowercase = before.chars().next_back().is_some_and(char::is_lowercase);
    let next_is_lowercase = next.chars().next().is_some_and(char::is_lowercase);
    fragment_letters >= 2 && last_is_lowercase && next_is_lowercase
}

/// Trims trailing spaces, drops blank lines at both ends and shortens runs of more than
/// [`MAX_BLANK_LINES`] blank lines (counted in `shortened`).
pub fn tidy_lines(text: &str, shortened: &mut usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blanks = 0;
    for line in text.split('\n') {
        let line = line.trim_end();
        if line.is_empty() {
            blanks += 1;
            continue;
        }
        if !out.is_empty() {
            let kept = blanks.min(MAX_BLANK_LINES);
            if kept < blanks {
                *shortened += 1;
            }
            out.push('\n');
            for _ in 0..kept {
                out.push('\n');
            }
        }
        blanks = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ligatures_become_letters() {
        let mut count = 0;
        let text = map_ligatures(
            "the o\u{fb03}ce \u{fb01}les \u{fb02}ow \u{fb00} \u{fb04} \u{fb06}",
            &mut count,
        );
        assert_eq!(text, "the office files flow ff ffl st");
        assert_eq!(count, 6);
    }

    #[test]
    fn a_word_hyphenated_at_a_line_end_is_joined_and_the_break_moves_after_it() {
        let mut joined = 0;
        let text = join_hyphenated(
            "and report signi-\nficant incidents without\ndelay",
            &mut joined,
        );
        assert_eq!(text, "and report significant\nincidents without\ndelay");
        assert_eq!(joined, 1);
    }

    #[test]
    fn a_one_word_next_line_is_pulled_up_whole() {
        let mut joined = 0;
        assert_eq!(
            join_hyphenated("cyber-\n  security\nnext", &mut joined),
            "cybersecurity\nnext"
        );
        assert_eq!(joined, 1);
    }

    #[test]
    fn compounds_keep_their_hyphen() {
        let mut joined = 0;
        // Second part uppercase: a real compound.
        assert_eq!(
            join_hyphenated("Anti-\nCorruption", &mut joined),
            "Anti-\nCorruption"
        );
        // Mid-line hyphen: untouched.
        assert_eq!(
            join_hyphenated("by fax or e-mail, to", &mut joined),
            "by fax or e-mail, to"
        );
        // One letter before the hyphen: "e-mail" wrapped at its hyphen.
        assert_eq!(
            join_hyphenated("fax or e-\nmail", &mut joined),
            "fax or e-\nmail"
        );
        // A dash after a space is punctuation.
        assert_eq!(join_hyphenated("text -\nmore", &mut joined), "text -\nmore");
        assert_eq!(joined, 0);
    }

    #[test]
    fn consecutive_joins_work_on_the_moved_text() {
        let mut joined = 0;
        let text = join_hyphenated("a exam-\nple of hyphen-\nation here", &mut joined);
        assert_eq!(text, "a example\nof hyphenation\nhere");
        assert_eq!(joined, 2);
    }

    #[test]
    fn controls_and_line_ends_are_normalised() {
        let mut removed = 0;
        let text = normalize_controls("a\r\nb\rc\u{0}d\u{7}\te\u{c}f\u{feff}", &mut removed);
        assert_eq!(text, "a\nb\ncd\te\nf");
        assert_eq!(removed, 3);
    }

    #[test]
    fn soft_hyphen_at_line_end_joins_the_word() {
        let mut removed = 0;
        assert_eq!(
            normalize_controls("signi\u{ad}\n ficant in\u{ad}side", &mut removed),
            "significant inside"
        );
        assert_eq!(removed, 1);
    }

    #[test]
    fn blank_line_runs_are_capped_and_ends_trimmed() {
        let mut shortened = 0;
        let text = tidy_lines("\n\na  \n\n\n\n\nb\n\nc\n\n", &mut shortened);
        assert_eq!(text, "a\n\n\nb\n\nc");
        assert_eq!(shortened, 1);
    }

    #[test]
    fn clean_text_has_no_pages() {
        let cleaned = clean_text("a\r\nb");
        assert_eq!(cleaned.text, "a\nb");
        assert!(cleaned.pages.is_empty());
        assert!(cleaned.notes.is_empty());
    }
}
