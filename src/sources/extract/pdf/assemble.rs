//! From the laid-out lines of every page to the stored text: running headers and footers
//! taken out (and named in the notes), a heading set on two lines joined, words hyphenated
//! at a line end joined, and each character's box on its page kept beside its offset.

use super::layout::{Line, PlacedChar};
use crate::sources::extract::cleanup::PAGE_SEPARATOR;
use crate::sources::outline::opens_heading;
use std::collections::HashMap;

/// The lines of one page, in reading order, and its size.
#[derive(Clone, Debug, Default)]
pub struct PageLines {
    pub lines: Vec<Line>,
    pub width: f32,
    pub height: f32,
}

/// Where a character of the stored text is on its page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CharBox {
    /// Byte offset of the character in the text.
    pub start: usize,
    /// 0-based page index.
    pub page: usize,
    /// `[left, top, right, bottom]` in points, y down from the page's top-left corner.
    pub rect: [f32; 4],
}

/// A PDF's text as stored, with where each character is drawn.
#[derive(Clone, Debug, Default)]
pub struct TextLayer {
    pub text: String,
    /// Byte offset where each page starts in `text`.
    pub pages: Vec<usize>,
    /// Width and height of each page, in points.
    pub page_sizes: Vec<[f32; 2]>,
    /// One entry per character drawn on a page, in text order (line breaks and page
    /// separators have none).
    pub boxes: Vec<CharBox>,
    /// What was removed or joined, for the user.
    pub notes: Vec<String>,
}

impl TextLayer {
    /// The boxes of the characters in `start..end`, merged into one rectangle per line and
    /// page: what a highlight of that passage covers.
    pub fn highlight_rects(&self, start: usize, end: usize) -> Vec<(usize, [f32; 4])> {
        let first = self.boxes.partition_point(|b| b.start < start);
        let mut rects: Vec<(usize, [f32; 4])> = Vec::new();
        for char_box in self.boxes[first..].iter().take_while(|b| b.start < end) {
            let merged = rects
                .last_mut()
                .filter(|(page, rect)| *page == char_box.page && same_line(rect, &char_box.rect));
            match merged {
                Some((_, rect)) => {
                    rect[0] = rect[0].min(char_box.rect[0]);
                    rect[1] = rect[1].min(char_box.rect[1]);
                    rect[2] = rect[2].max(char_box.rect[2]);
                    rect[3] = rect[3].max(char_box.rect[3]);
                }
                None => rects.push((char_box.page, char_box.rect)),
            }
        }
        rects
    }

    /// The byte range of the characters whose boxes a rectangle on `page` touches, for a
    /// selection made on the page.
    pub fn range_in_rect(&self, page: usize, rect: [f32; 4]) -> Option<(usize, usize)> {
        let mut hits = self.boxes.iter().filter(|b| {
            b.page == page
                && b.rect[0] < rect[2]
                && b.rect[2] > rect[0]
                && b.rect[1] < rect[3]
                && b.rect[3] > rect[1]
        });
        let first = hits.next()?;
        let last = hits.fold(first, |_, hit| hit);
        let end = self.text[last.start..]
            .chars()
            .next()
            .map_or(last.start, |c| last.start + c.len_utf8());
        Some((first.start, end))
    }

    /// The character nearest to a point on `page`, as a byte offset (for a caret or the
    /// start of a drag).
    pub fn offset_at(&self, page: usize, x: f32, y: f32) -> Option<usize> {
        self.boxes
            .iter()
            .filter(|b| b.page == page)
            .min_by(|a, b| distance(&a.rect, x, y).total_cmp(&distance(&b.rect, x, y)))
            .map(|b| b.start)
    }
}

fn distance(rect: &[f32; 4], x: f32, y: f32) -> f32 {
    let dx = (rect[0] - x).max(x - rect[2]).max(0.0);
    let dy = (rect[1] - y).max(y - rect[3]).max(0.0);
    // A line's height counts more than its width: a click beside a line belongs to it.
    dx + 4.0 * dy
}

fn same_line(a: &[f32; 4], b: &[f32; 4]) -> bool {
    let overlap = a[3].min(b[3]) - a[1].max(b[1]);
    overlap > 0.5 * (b[3] - b[1]).min(a[3] - a[1]) && b[0] >= a[0] - 1.0
}

/// Lines looked at, at the top and at the bottom of each page, for running headers and
/// footers.
const EDGE_LINES: usize = 2;
/// Share of the page height that counts as its top or bottom margin.
const MARGIN_SHARE: f32 = 0.15;
/// Longest running line, in words: longer lines are body text, even when they repeat.
const RUNNING_MAX_WORDS: usize = 12;

/// Joins the pages into the stored text.
pub fn assemble(mut pages: Vec<PageLines>) -> TextLayer {
    let mut notes = Vec::new();
    notes.extend(remove_running_lines(&mut pages));
    let body_size = body_size(&pages);
    let mut hyphens = 0;
    for page in &mut pages {
        join_heading_lines(&mut page.lines, body_size);
        hyphens += join_hyphenated(&mut page.lines);
    }
    if hyphens > 0 {
        let plural = if hyphens == 1 { "" } else { "s" };
        notes.push(format!(
            "joined {hyphens} word{plural} hyphenated at a line end"
        ));
    }
    let mut layer = TextLayer {
        notes,
        ..TextLayer::default()
    };
    for (index, page) in pages.iter().enumerate() {
        if index > 0 {
            layer.text.push_str(PAGE_SEPARATOR);
        }
        layer.pages.push(layer.text.len());
        layer.page_sizes.push([page.width, page.height]);
        for (line_index, line) in page.lines.iter().enumerate() {
            if line_index > 0 {
                layer.text.push('\n');
                if line.gap_before {
                    layer.text.push('\n');
                }
            }
            for placed in &line.chars {
                layer.boxes.push(CharBox {
                    start: layer.text.len(),
                    page: index,
                    rect: placed.rect,
                });
                layer.text.push(placed.ch);
            }
        }
    }
    layer
}

/// The font size most characters of the document have.
fn body_size(pages: &[PageLines]) -> f32 {
    let mut counts: HashMap<i32, usize> = HashMap::new();
    for line in pages.iter().flat_map(|page| &page.lines) {
        *counts.entry((line.size * 4.0).round() as i32).or_default() += line.chars.len();
    }
    counts
        .into_iter()
        .max_by_key(|&(size, count)| (count, -size))
        .map_or(10.0, |(size, _)| size as f32 / 4.0)
}

/// What a line is compared by across pages: words lowercased, each run of digits (and a
/// lone Roman numeral) masked, unless the line is a structural heading ("Article 15"),
/// which must repeat word for word.
fn running_key(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let lower = words.join(" ").to_lowercase();
    if opens_heading(&lower) {
        return lower;
    }
    if words.len() == 1 && is_roman_numeral(&lower) {
        return "#".to_owned();
    }
    let mut key = String::with_capacity(lower.len());
    for c in lower.chars() {
        if c.is_numeric() {
            if !key.ends_with('#') {
                key.push('#');
            }
        } else {
            key.push(c);
        }
    }
    key
}

fn is_roman_numeral(word: &str) -> bool {
    !word.is_empty() && word.len() <= 8 && word.chars().all(|c| "ivxlcdm".contains(c))
}

/// Takes out short lines in the top or bottom margin that repeat across pages (digits
/// masked); returns one note per kind of line removed.
fn remove_running_lines(pages: &mut [PageLines]) -> Vec<String> {
    if pages.len() < 2 {
        return Vec::new();
    }
    let candidates: Vec<Vec<usize>> = pages.iter().map(running_candidates).collect();
    let mut pages_with_key: HashMap<String, usize> = HashMap::new();
    for (page, indices) in pages.iter().zip(&candidates) {
        let mut keys: Vec<String> = indices
            .iter()
            .map(|&i| running_key(&page.lines[i].text()))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            *pages_with_key.entry(key).or_default() += 1;
        }
    }
    let page_count = pages.len();
    let repeats = |key: &str| {
        pages_with_key
            .get(key)
            .is_some_and(|&count| count >= 2 && count * 5 >= page_count * 2)
    };
    // Per key: the text first removed, and on how many pages.
    let mut removed: Vec<(String, String, usize)> = Vec::new();
    for (page, indices) in pages.iter_mut().zip(&candidates) {
        let mut drop: Vec<usize> = Vec::new();
        for &index in indices {
            let text = page.lines[index].text();
            let key = running_key(&text);
            if !repeats(&key) {
                continue;
            }
            drop.push(index);
            match removed.iter_mut().find(|(k, _, _)| *k == key) {
                Some((_, _, count)) => *count += 1,
                None => removed.push((key, text, 1)),
            }
        }
        drop.sort_unstable();
        for index in drop.into_iter().rev() {
            let line = page.lines.remove(index);
            // The line after a removed one starts the page or follows a gap as before.
            if let Some(next) = page.lines.get_mut(index) {
                next.gap_before = next.gap_before || (index > 0 && line.gap_before);
            }
        }
        if let Some(first) = page.lines.first_mut() {
            first.gap_before = false;
        }
    }
    removed
        .into_iter()
        .map(|(key, text, count)| {
            let what =
                if key.chars().all(|c| c == '#' || !c.is_alphabetic()) || key.contains("page") {
                    "page numbers"
                } else {
                    "a running header or footer"
                };
            let plural = if count == 1 { "" } else { "s" };
            format!("removed {what} from {count} page{plural}: “{text}”")
        })
        .collect()
}

/// Lines of a page that may be running headers or footers: among the first and last
/// [`EDGE_LINES`] by height, inside the top or bottom margin, short, and standing apart
/// from the lines next to them.
fn running_candidates(page: &PageLines) -> Vec<usize> {
    let mut by_top: Vec<usize> = (0..page.lines.len()).collect();
    by_top.sort_by(|&a, &b| page.lines[a].rect[1].total_cmp(&page.lines[b].rect[1]));
    let margin = MARGIN_SHARE * page.height;
    let mut indices = Vec::new();
    for (rank, &index) in by_top.iter().enumerate() {
        let line = &page.lines[index];
        let at_top = rank < EDGE_LINES && line.rect[3] <= margin;
        let at_bottom = rank + EDGE_LINES >= by_top.len() && line.rect[1] >= page.height - margin;
        if !(at_top || at_bottom) {
            continue;
        }
        let words = line.text().split_whitespace().count();
        if words > RUNNING_MAX_WORDS {
            continue;
        }
        // A line of a paragraph sits one line pitch from its neighbours; a running line
        // stands apart from the body.
        let neighbours = [rank.checked_sub(1), Some(rank + 1)];
        let apart = neighbours
            .into_iter()
            .flatten()
            .filter_map(|r| by_top.get(r))
            .all(|&other| {
                let other = &page.lines[other];
                let gap = (other.rect[1] - line.rect[3]).max(line.rect[1] - other.rect[3]);
                gap >= 0.4 * line.size.max(other.size) && !same_block(line, other)
            });
        if apart {
            indices.push(index);
        }
    }
    indices.sort_unstable();
    indices.dedup();
    indices
}

/// Whether two lines look like two lines of one paragraph: the same size, overlapping
/// horizontally, one pitch apart.
fn same_block(a: &Line, b: &Line) -> bool {
    let same_size = (a.size - b.size).abs() < 0.05 * a.size.max(b.size);
    let pitch = (a.baseline - b.baseline).abs();
    let overlap = a.rect[2].min(b.rect[2]) - a.rect[0].max(b.rect[0]);
    same_size && pitch < 1.3 * a.size && overlap > 0.0
}

/// Joins the lines of a heading set on two or more lines ("Geneva Convention on" /
/// "Responsible Cyber Conduct"): lines in a larger font than the body, the same size, one
/// pitch apart.
fn join_heading_lines(lines: &mut Vec<Line>, body_size: f32) {
    let mut index = 0;
    while index + 1 < lines.len() {
        let (line, next) = (&lines[index], &lines[index + 1]);
        let large = line.size >= 1.15 * body_size;
        let same_size = (line.size - next.size).abs() < 0.05 * line.size;
        let pitch = next.baseline - line.baseline;
        let next_text = next.text();
        let joins = large
            && same_size
            && pitch > 0.0
            && pitch < 1.8 * line.size
            && !next.gap_before
            && !opens_heading(&next_text)
            && !line.text().ends_with(['.', ':', ';']);
        if !joins {
            index += 1;
            continue;
        }
        let next = lines.remove(index + 1);
        let line = &mut lines[index];
        let space_rect = [line.rect[2], line.rect[1], line.rect[2], line.rect[3]];
        line.chars.push(PlacedChar {
            ch: ' ',
            rect: space_rect,
        });
        line.chars.extend(next.chars);
        line.rect = [
            line.rect[0].min(next.rect[0]),
            line.rect[1].min(next.rect[1]),
            line.rect[2].max(next.rect[2]),
            line.rect[3].max(next.rect[3]),
        ];
        line.baseline = next.baseline;
    }
}

/// Joins words hyphenated across consecutive lines ("signi-" / "ficant"): the hyphen goes
/// and the rest of the word moves up to the first line. Returns how many were joined.
///
/// Joined only when a lowercase fragment of two letters or more ends the line and the next
/// line starts lowercase: "Anti-" / "Corruption" is a compound, and "e-" / "mail" keeps its
/// hyphen, because typesetters never leave one letter before a hyphenation break.
fn join_hyphenated(lines: &mut [Line]) -> usize {
    let mut joined = 0;
    for index in 0..lines.len().saturating_sub(1) {
        let text = lines[index].text();
        let next_text = lines[index + 1].text();
        if !is_hyphen_break(&text, &next_text) {
            continue;
        }
        let word_chars = lines[index + 1]
            .chars
            .iter()
            .take_while(|c| !c.ch.is_whitespace())
            .count();
        let (first, rest) = lines.split_at_mut(index + 1);
        let line = &mut first[index];
        let next = &mut rest[0];
        line.chars.pop();
        line.chars.extend(next.chars.drain(..word_chars));
        while next.chars.first().is_some_and(|c| c.ch.is_whitespace()) {
            next.chars.remove(0);
        }
        joined += 1;
    }
    joined
}

fn is_hyphen_break(line: &str, next: &str) -> bool {
    line.strip_suffix(['-', '\u{2010}'])
        .is_some_and(|before| crate::sources::extract::cleanup::splits_a_word(before, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line of `text` at `baseline`, 5 points per character.
    fn line(text: &str, baseline: f32, size: f32) -> Line {
        let chars: Vec<PlacedChar> = text
            .chars()
            .enumerate()
            .map(|(i, ch)| {
                let x = 72.0 + 5.0 * i as f32;
                PlacedChar {
                    ch,
                    rect: [x, baseline - 0.8 * size, x + 5.0, baseline + 0.2 * size],
                }
            })
            .collect();
        let right = 72.0 + 5.0 * chars.len() as f32;
        Line {
            chars,
            size,
            baseline,
            rect: [72.0, baseline - 0.8 * size, right, baseline + 0.2 * size],
            gap_before: false,
        }
    }

    fn page(lines: Vec<Line>) -> PageLines {
        PageLines {
            lines,
            width: 595.0,
            height: 842.0,
        }
    }

    fn sample_page(number: usize, body: &str) -> PageLines {
        page(vec![
            line("Convention on Cooperation — Draft Text", 40.0, 9.0),
            line(&format!("Article {number}"), 100.0, 10.0),
            line(body, 114.0, 10.0),
            line(&format!("Page {number} of 3"), 810.0, 9.0),
        ])
    }

    #[test]
    fn running_headers_and_page_numbers_go_and_are_named_in_the_notes() {
        let layer = assemble(vec![
            sample_page(1, "Body one."),
            sample_page(2, "Body two."),
            sample_page(3, "Body three."),
        ]);
        assert_eq!(
            layer.text,
            "Article 1\nBody one.\n\nArticle 2\nBody two.\n\nArticle 3\nBody three."
        );
        assert_eq!(layer.pages, vec![0, 21, 42]);
        assert_eq!(
            layer.notes,
            [
                "removed a running header or footer from 3 pages: “Convention on Cooperation — Draft Text”",
                "removed page numbers from 3 pages: “Page 1 of 3”",
            ]
        );
    }

    #[test]
    fn a_repeated_paragraph_at_the_top_of_every_page_stays() {
        let boilerplate = [
            "The Parties recall that this text is provided for information only and that",
            "the authentic versions are those deposited with the Secretary-General.",
        ];
        let pages: Vec<PageLines> = (1..=4)
            .map(|n| {
                page(vec![
                    line(boilerplate[0], 40.0, 10.0),
                    line(boilerplate[1], 52.0, 10.0),
                    line(&format!("{n}. Body paragraph number {n}."), 80.0, 10.0),
                ])
            })
            .collect();
        let layer = assemble(pages);
        assert_eq!(
            layer.text.matches("authentic versions").count(),
            4,
            "{}",
            layer.text
        );
        assert!(layer.notes.is_empty(), "{:?}", layer.notes);
    }

    #[test]
    fn article_headings_at_page_tops_stay() {
        let pages: Vec<PageLines> = (1..=3)
            .map(|n| {
                page(vec![
                    line(&format!("Article {n}"), 40.0, 10.0),
                    line("Text.", 100.0, 10.0),
                ])
            })
            .collect();
        let layer = assemble(pages);
        assert_eq!(layer.text.matches("Article").count(), 3);
    }

    #[test]
    fn a_heading_on_two_lines_becomes_one_line() {
        let layer = assemble(vec![page(vec![
            line("Geneva Convention on", 60.0, 20.0),
            line("Responsible Cyber Conduct", 84.0, 20.0),
            line("Article 1", 120.0, 10.0),
            line("Body text in the usual size.", 134.0, 10.0),
            line("More body text.", 146.0, 10.0),
        ])]);
        assert!(
            layer
                .text
                .starts_with("Geneva Convention on Responsible Cyber Conduct\nArticle 1"),
            "{}",
            layer.text
        );
    }

    #[test]
    fn hyphenated_words_join_and_keep_their_boxes() {
        let layer = assemble(vec![page(vec![
            line("and report signi-", 100.0, 10.0),
            line("ficant incidents", 112.0, 10.0),
            line("by e-", 124.0, 10.0),
            line("mail", 136.0, 10.0),
        ])]);
        assert_eq!(layer.text, "and report significant\nincidents\nby e-\nmail");
        assert_eq!(layer.notes, ["joined 1 word hyphenated at a line end"]);
        // "f" of "ficant" keeps its box on the second line.
        let f = layer.text.find("ficant").unwrap_or_default();
        let f_box = layer.boxes.iter().find(|b| b.start == f).map(|b| b.rect);
        assert_eq!(f_box.map(|r| r[3]), Some(114.0));
    }

    #[test]
    fn a_passage_maps_to_one_rectangle_per_line() {
        let layer = assemble(vec![page(vec![
            line("first line of text", 100.0, 10.0),
            line("second line", 112.0, 10.0),
        ])]);
        let start = layer.text.find("line of").unwrap_or_default();
        let end = layer.text.find("second").unwrap_or_default() + "second".len();
        let rects = layer.highlight_rects(start, end);
        assert_eq!(rects.len(), 2, "{rects:?}");
        assert_eq!(rects[0].1[0], 72.0 + 5.0 * 6.0);
        assert_eq!(rects[1].1[2], 72.0 + 5.0 * 6.0);
        let picked = layer.range_in_rect(0, [100.0, 95.0, 130.0, 101.0]);
        let (s, e) = picked.unwrap_or_default();
        // Characters 5 to 11 of the line touch x 100..130.
        assert_eq!(&layer.text[s..e], " line o");
    }
}
