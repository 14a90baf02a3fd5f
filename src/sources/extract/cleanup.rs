//! Cleaning extracted text before it is stored: the stored text is what quotes are anchored
//! in, so every step here is deterministic and page offsets are computed only afterwards.
//!
//! No extraction library does these reliably (see docs/sources.md, "Extraction"), so they
//! are ours: control characters, ligatures, words hyphenated across lines, running page
//! headers/footers and long runs of blank lines.

use std::borrow::Cow;
use std::collections::HashMap;

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

/// Separator between pages in the stored text: one blank line, no form feed.
pub const PAGE_SEPARATOR: &str = "\n\n";

/// Most blank lines kept in a row; longer runs are cut to this.
const MAX_BLANK_LINES: usize = 2;

/// Cleans the pages of a paged document (PDF) and joins them with [`PAGE_SEPARATOR`].
pub fn clean_pages(pages: &[String]) -> Cleaned {
    let mut tally = Tally::default();
    let mut cleaned: Vec<String> = pages
        .iter()
        .map(|page| {
            let text = normalize_controls(page, &mut tally.controls);
            map_ligatures(&text, &mut tally.ligatures)
        })
        .collect();
    tally.running = remove_running_lines(&mut cleaned);
    let mut text = String::new();
    let mut starts = Vec::with_capacity(cleaned.len());
    for (index, page) in cleaned.iter().enumerate() {
        if index > 0 {
            text.push_str(PAGE_SEPARATOR);
        }
        starts.push(text.len());
        let page = join_hyphenated(page, &mut tally.hyphens);
        text.push_str(&tidy_lines(&page, &mut tally.blank_runs));
    }
    Cleaned {
        text,
        pages: starts,
        notes: tally.notes(),
    }
}

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
    running: usize,
    blank_runs: usize,
}

impl Tally {
    fn notes(&self) -> Vec<String> {
        let counted = [
            (self.running, "repeated header/footer line", "removed"),
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
            c if c.is_control() => *removed += 1,
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
    let hyphen = body.chars().next_back()?;
    if hyphen != '-' && hyphen != '\u{2010}' {
        return None;
    }
    let hyphen_at = body.len() - hyphen.len_utf8();
    let before = &body[..hyphen_at];
    let fragment_letters = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .count();
    let last_is_lowercase = before.chars().next_back().is_some_and(char::is_lowercase);
    let next_is_lowercase = next.chars().next().is_some_and(char::is_lowercase);
    (fragment_letters >= 2 && last_is_lowercase && next_is_lowercase).then_some(hyphen_at)
}

/// Lines compared at the top and at the bottom of each page when looking for running
/// headers and footers.
const EDGE_LINES: usize = 2;

/// Removes page headers and footers: a line among the first or last two non-blank lines of
/// a page that repeats there (digits masked, so "Page 3 of 4" matches "Page 1 of 4") on at
/// least half of the pages and on two pages or more. Returns how many lines were removed.
///
/// A structural heading ("Article 15") is removed only when it repeats word for word, so a
/// document whose pages each start with an article keeps its headings.
pub fn remove_running_lines(pages: &mut [String]) -> usize {
    if pages.len() < 2 {
        return 0;
    }
    let edges: Vec<Vec<usize>> = pages.iter().map(|page| edge_line_indices(page)).collect();
    let mut pages_with_key: HashMap<String, usize> = HashMap::new();
    for (page, indices) in pages.iter().zip(&edges) {
        let lines: Vec<&str> = page.split('\n').collect();
        let mut keys: Vec<String> = indices.iter().map(|&i| line_key(lines[i])).collect();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            *pages_with_key.entry(key).or_default() += 1;
        }
    }
    let page_count = pages.len();
    let is_running = |key: &str| {
        pages_with_key
            .get(key)
            .is_some_and(|&count| count >= 2 && count * 2 >= page_count)
    };
    let mut removed = 0;
    for (page, indices) in pages.iter_mut().zip(&edges) {
        let lines: Vec<&str> = page.split('\n').collect();
        let drop: Vec<usize> = indices
            .iter()
            .copied()
            .filter(|&i| is_running(&line_key(lines[i])))
            .collect();
        if drop.is_empty() {
            continue;
        }
        removed += drop.len();
        let kept: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| !drop.contains(i))
            .map(|(_, line)| *line)
            .collect();
        *page = kept.join("\n");
    }
    removed
}

/// Indices of the first and last [`EDGE_LINES`] non-blank lines of a page.
fn edge_line_indices(page: &str) -> Vec<usize> {
    let filled: Vec<usize> = page
        .split('\n')
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, _)| i)
        .collect();
    let mut indices: Vec<usize> = filled.iter().take(EDGE_LINES).copied().collect();
    indices.extend(filled.iter().rev().take(EDGE_LINES).copied());
    indices.sort_unstable();
    indices.dedup();
    indices
}

/// What a line is compared by: trimmed, spaces collapsed, lowercase, each run of digits
/// masked as '#' unless the line is a structural heading.
fn line_key(line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    let text = words.join(" ").to_lowercase();
    if is_structural_heading(&words) {
        return text;
    }
    let mut key = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !key.ends_with('#') {
                key.push('#');
            }
        } else {
            key.push(c);
        }
    }
    key
}

/// Whether a line starts like "Article 15", "Art. 3", "Chapter II", "Section 2".
fn is_structural_heading(words: &[&str]) -> bool {
    const HEADINGS: [&str; 10] = [
        "article",
        "art.",
        "chapter",
        "section",
        "part",
        "principle",
        "norm",
        "annex",
        "rule",
        "paragraph",
    ];
    match words {
        [first, second, ..] => {
            HEADINGS.contains(&first.to_lowercase().as_str())
                && second.chars().next().is_some_and(|c| c.is_alphanumeric())
        }
        _ => false,
    }
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

    fn pages(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| (*t).to_owned()).collect()
    }

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
    fn running_headers_and_page_numbers_are_removed() {
        let mut doc = pages(&[
            "Convention — Draft Text\nArticle 15\nBody one.\nPage 1 of 3",
            "Convention — Draft Text\nArticle 16\nBody two.\nPage 2 of 3",
            "Convention — Draft Text\nArticle 17\nBody three.\nPage 3 of 3",
        ]);
        let removed = remove_running_lines(&mut doc);
        assert_eq!(removed, 6);
        assert_eq!(doc[0], "Article 15\nBody one.");
        assert_eq!(doc[2], "Article 17\nBody three.");
    }

    #[test]
    fn page_numbers_of_different_widths_match() {
        let bodies = ["Alpha.", "Beta.", "Gamma.", "Delta."];
        let mut doc: Vec<String> = (8..12)
            .zip(bodies)
            .map(|(n, body)| format!("{body}\n- {n} -"))
            .collect();
        assert_eq!(remove_running_lines(&mut doc), 4);
        assert_eq!(doc[3], "Delta.");
    }

    #[test]
    fn article_headings_at_page_tops_stay() {
        let mut doc = pages(&["Article 1\nText.", "Article 2\nMore.", "Article 3\nEnd."]);
        assert_eq!(remove_running_lines(&mut doc), 0);
        assert_eq!(doc[1], "Article 2\nMore.");
    }

    #[test]
    fn a_line_on_fewer_than_half_the_pages_stays() {
        let mut doc = pages(&["Note\nA", "B", "C", "D\nNote"]);
        // On 2 of 4 pages: exactly half, so it goes.
        assert_eq!(remove_running_lines(&mut doc), 2);
        let mut doc = pages(&["Note\nA", "B", "C", "D", "E"]);
        assert_eq!(remove_running_lines(&mut doc), 0);
        let mut single = pages(&["Page 1 of 1\nText"]);
        assert_eq!(remove_running_lines(&mut single), 0);
    }

    #[test]
    fn blank_line_runs_are_capped_and_ends_trimmed() {
        let mut shortened = 0;
        let text = tidy_lines("\n\na  \n\n\n\n\nb\n\nc\n\n", &mut shortened);
        assert_eq!(text, "a\n\n\nb\n\nc");
        assert_eq!(shortened, 1);
    }

    #[test]
    fn page_offsets_point_at_each_cleaned_page() {
        let doc = pages(&[
            "Header\n\u{fb01}rst page\nPage 1 of 2",
            "Header\nsecond signi-\nficant page\nPage 2 of 2",
        ]);
        let cleaned = clean_pages(&doc);
        assert_eq!(cleaned.text, "first page\n\nsecond significant\npage");
        assert_eq!(cleaned.pages, vec![0, 12]);
        assert!(cleaned.text[cleaned.pages[1]..].starts_with("second"));
        assert_eq!(
            cleaned.notes,
            vec![
                "removed 4 repeated header/footer lines".to_owned(),
                "joined 1 hyphenated word".to_owned(),
                "spelled out 1 ligature".to_owned(),
            ]
        );
    }

    #[test]
    fn clean_text_has_no_pages() {
        let cleaned = clean_text("a\r\nb");
        assert_eq!(cleaned.text, "a\nb");
        assert!(cleaned.pages.is_empty());
        assert!(cleaned.notes.is_empty());
    }
}
