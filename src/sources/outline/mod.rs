//! The structure of an agreement's plain text: chapters, sections, articles, principles,
//! norms, numbered paragraphs and their sub-paragraphs, and pages; and the locator
//! ("Art. 15(1)", "para. 13(j)", "Principle 6, p. 4") of any position in it.
//!
//! Headings are recognised at the start of a line. A keyword heading ("Article 9 - …")
//! only counts when the word after its number does not start in lower case, so prose
//! such as "Article 9 of the Convention applies" is not taken for a heading.

mod words;

/// What kind of numbered unit a heading opens. Each is recognised in the six UN languages
/// (`words.rs`) and cited in English.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HeadingKind {
    /// "Annex I", "Annexe", "Приложение 2", "الملحق".
    Annex,
    /// "Part II", "Partie", "Часть", "الباب الأول", "第一编".
    Part,
    /// "Chapter III", "Chapitre", "Capítulo", "Глава", "الفصل الأول", "第二章".
    Chapter,
    /// "Section 2", "Sección", "Раздел", "第一节", or a Roman-numbered title such as
    /// "IV. Confidence-building measures".
    Section,
    /// "Title 1", "Titre", "Título": below a section in the Council of Europe's texts.
    Title,
    /// "Article 15", "Art. 15", "Artículo", "Статья", "المادة", "第三条".
    Article,
    /// "Principle 6".
    Principle,
    /// "Norm 5".
    Norm,
    /// "Recommendation 3".
    Recommendation,
    /// A numbered paragraph outside any article, principle or norm: "13. Consistent with…".
    Paragraph,
    /// A numbered paragraph inside an article, principle or norm: "1." or "(1)".
    SubParagraph,
    /// A lettered point: "(a)" or "a)".
    Point,
}

impl HeadingKind {
    /// Nesting depth: a heading closes every open heading of the same or a deeper level.
    fn level(self) -> u8 {
        match self {
            Self::Annex => 0,
            Self::Part => 1,
            Self::Chapter => 2,
            Self::Section => 3,
            Self::Title => 4,
            Self::Article
            | Self::Principle
            | Self::Norm
            | Self::Recommendation
            | Self::Paragraph => 5,
            Self::SubParagraph => 6,
            Self::Point => 7,
        }
    }

    /// The English name a locator cites the unit by: "Art.", "Chapter".
    pub fn citation_name(self) -> &'static str {
        match self {
            Self::Annex => "Annex",
            Self::Part => "Part",
            Self::Chapter => "Chapter",
            Self::Section => "Section",
            Self::Title => "Title",
            Self::Article => "Art.",
            Self::Principle => "Principle",
            Self::Norm => "Norm",
            Self::Recommendation => "Recommendation",
            Self::Paragraph => "para.",
            Self::SubParagraph | Self::Point => "",
        }
    }

    /// Units whose numbered lines are sub-paragraphs rather than paragraphs.
    fn takes_sub_paragraphs(self) -> bool {
        matches!(
            self,
            Self::Article | Self::Principle | Self::Norm | Self::Recommendation
        )
    }
}

/// One heading of an outline and the range of text it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    /// What the heading opens.
    pub kind: HeadingKind,
    /// Its number as a locator cites it: "15", "III", "j" (also for "١٥", "十五", "б").
    pub number: String,
    /// The heading's start as the source writes it: "Статья 15", "第十五条", "(б)".
    pub label: String,
    /// The rest of the heading line, if any: "General principles relating to …".
    pub title: String,
    /// Byte offset where the heading's line starts.
    pub start: usize,
    /// Byte offset where its unit ends (the next heading of the same or a higher level).
    pub end: usize,
    /// Index of the enclosing heading in [`Outline::headings`].
    pub parent: Option<usize>,
}

/// How to read a document's structure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutlineOptions {
    /// Byte offsets where pages start (from the PDF); when empty, form feeds ('\x0c')
    /// separate pages, and a text without them has no page numbers.
    pub page_starts: Vec<usize>,
    /// What a numbered paragraph is called in locators: "para." by default; "Principle"
    /// for a list of principles numbered "1.", "2.", …
    pub paragraph_name: String,
}

impl Default for OutlineOptions {
    fn default() -> Self {
        Self {
            page_starts: Vec::new(),
            paragraph_name: "para.".to_owned(),
        }
    }
}

/// The headings of a text as a tree (each knows its parent), in document order, plus pages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outline {
    headings: Vec<Heading>,
    page_starts: Vec<usize>,
    paragraph_name: String,
    text_len: usize,
}

/// A heading found on one line, before it is placed in the tree.
struct Marker {
    kind: HeadingKind,
    number: String,
    label: String,
    title: String,
}

impl Outline {
    /// The outline of `text`, with pages split at form feeds.
    pub fn from_text(text: &str) -> Self {
        Self::with_options(text, &OutlineOptions::default())
    }

    /// The outline of `text` with explicit page starts or paragraph naming.
    pub fn with_options(text: &str, options: &OutlineOptions) -> Self {
        let mut page_starts = options.page_starts.clone();
        if page_starts.is_empty() && text.contains('\x0c') {
            page_starts.push(0);
            page_starts.extend(text.match_indices('\x0c').map(|(at, _)| at + 1));
        }
        page_starts.sort_unstable();
        page_starts.dedup();

        let mut headings: Vec<Heading> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        let mut line_start = 0;
        // The last numbered paragraph: a number over 999 is a paragraph only after it.
        let mut last_paragraph: Option<u64> = None;
        for line in text.split_inclusive(['\n', '\x0c']) {
            let inside_unit = open
                .iter()
                .any(|&index| headings[index].kind.takes_sub_paragraphs());
            for marker in line_markers(line, inside_unit, last_paragraph) {
                let level = marker.kind.level();
                while let Some(&top) = open.last() {
                    if headings[top].kind.level() < level {
                        break;
                    }
                    headings[top].end = line_start;
                    open.pop();
                }
                if marker.kind == HeadingKind::Paragraph {
                    last_paragraph = marker.number.parse().ok();
                }
                headings.push(Heading {
                    kind: marker.kind,
                    number: marker.number,
                    label: marker.label,
                    title: marker.title,
                    start: line_start,
                    end: text.len(),
                    parent: open.last().copied(),
                });
                open.push(headings.len() - 1);
            }
            line_start += line.len();
        }
        Self {
            headings,
            page_starts,
            paragraph_name: options.paragraph_name.clone(),
            text_len: text.len(),
        }
    }

    /// All headings in document order.
    pub fn headings(&self) -> &[Heading] {
        &self.headings
    }

    /// Indices of the headings directly under `parent` (`None`: the top level).
    pub fn children(&self, parent: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        self.headings
            .iter()
            .enumerate()
            .filter(move |(_, h)| h.parent == parent)
            .map(|(i, _)| i)
    }

    /// The 1-based page of a byte offset, if the text has pages.
    pub fn page_at(&self, offset: usize) -> Option<usize> {
        if self.page_starts.is_empty() {
            return None;
        }
        Some(
            self.page_starts
                .partition_point(|&start| start <= offset)
                .max(1),
        )
    }

    /// The innermost heading whose unit contains `offset`.
    pub fn heading_at(&self, offset: usize) -> Option<usize> {
        // The end of the text (or beyond, from a hostile file) belongs to the last unit.
        let offset = offset.min(self.text_len.saturating_sub(1));
        let last_started = self
            .headings
            .partition_point(|h| h.start <= offset)
            .checked_sub(1)?;
        let mut index = Some(last_started);
        while let Some(at) = index {
            let heading = &self.headings[at];
            if offset < heading.end {
                return Some(at);
            }
            index = heading.parent;
        }
        None
    }

    /// The citation of a position: "Chapter III, Art. 23", "Art. 15(1)", "para. 13(j)",
    /// "Principle 6, p. 4", or just "p. 12"; empty when the text has neither structure
    /// nor pages there.
    pub fn locator_at(&self, offset: usize) -> String {
        let mut chain = Vec::new();
        let mut index = self.heading_at(offset);
        while let Some(at) = index {
            chain.push(&self.headings[at]);
            index = self.headings[at].parent;
        }
        chain.reverse();
        // Paragraphs are numbered through the whole document (UN style): no containers.
        if let Some(paragraph) = chain.iter().rposition(|h| h.kind == HeadingKind::Paragraph) {
            chain.drain(..paragraph);
        }
        // A title inside a section is cited only when no article narrows it down.
        let has_article = chain.iter().any(|h| h.kind.takes_sub_paragraphs());
        let mut parts: Vec<String> = Vec::new();
        // Whether the last part is a numbered unit that "(1)" or "(b)" can follow.
        let mut takes_points = false;
        for heading in chain {
            let number = &heading.number;
            match heading.kind {
                HeadingKind::Title if has_article => continue,
                HeadingKind::Paragraph => parts.push(format!("{} {number}", self.paragraph_name)),
                // A point or sub-paragraph only means something after its unit's number.
                HeadingKind::SubParagraph | HeadingKind::Point => {
                    if let Some(last) = parts.last_mut().filter(|_| takes_points) {
                        last.push_str(&format!("({number})"));
                    }
                    continue;
                }
                kind if number.is_empty() => parts.push(kind.citation_name().to_owned()),
                kind => parts.push(format!("{} {number}", kind.citation_name())),
            }
            takes_points = !matches!(
                heading.kind,
                HeadingKind::Chapter | HeadingKind::Part | HeadingKind::Annex
            );
        }
        let mut locator = parts.join(", ");
        if let Some(page) = self.page_at(offset) {
            if !locator.is_empty() {
                locator.push_str(", ");
            }
            locator.push_str(&format!("p. {page}"));
        }
        locator
    }
}

impl Outline {
    /// The citation of a passage: the locator of its start, or a span such as
    /// "Chapter III, Art. 23–25" or "para. 13(a)–(c)" when it runs into other units.
    pub fn locator_of_range(&self, start: usize, end: usize) -> String {
        let first = self.locator_at(start);
        let last = self.locator_at(end.saturating_sub(1).max(start));
        if first == last {
            return first;
        }
        let first_parts: Vec<&str> = first.split(", ").collect();
        let last_parts: Vec<&str> = last.split(", ").collect();
        let shared = first_parts
            .iter()
            .zip(&last_parts)
            .take_while(|(a, b)| a == b)
            .count();
        let (from, to) = (&first_parts[shared..], &last_parts[shared..]);
        let mut locator = first_parts[..shared].join(", ");
        if !locator.is_empty() {
            locator.push_str(", ");
        }
        if let ([from], [to]) = (from, to) {
            // "Art. 23" and "Art. 25" → "Art. 23–25"; "para. 13(a)" and "para. 13(c)" → "para. 13(a)–(c)".
            let common = from
                .char_indices()
                .zip(to.chars())
                .take_while(|((_, a), b)| a == b)
                .count();
            let cut = from
                .char_indices()
                .take(common)
                .filter(|&(_, c)| c == ' ' || c == '(')
                .map(|(at, c)| if c == '(' { at } else { at + 1 })
                .last()
                .unwrap_or(0);
            locator.push_str(&format!("{from}–{}", &to[cut.min(to.len())..]));
        } else {
            locator.push_str(&format!("{} – {}", from.join(", "), to.join(", ")));
        }
        locator
    }
}

/// The headings a line opens: usually none or one; "13 (j) States should…" opens two.
/// `last_paragraph` is the number of the last numbered paragraph, if any.
fn line_markers(line: &str, inside_unit: bool, last_paragraph: Option<u64>) -> Vec<Marker> {
    // Right-to-left marks and a byte-order mark may open a line; they are not text.
    let trimmed = line.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '\u{FEFF}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
    });
    let mut markers = Vec::new();
    let rest = if let Some((marker, rest)) = keyword_heading(trimmed) {
        markers.push(marker);
        rest
    } else if let Some((marker, rest)) = roman_section(trimmed) {
        markers.push(marker);
        rest
    } else if let Some((number, label, rest)) = numbered_line(trimmed, inside_unit, last_paragraph)
    {
        let kind = if inside_unit {
            HeadingKind::SubParagraph
        } else {
            HeadingKind::Paragraph
        };
        markers.push(Marker {
            kind,
            number,
            label: label.trim_end().to_owned(),
            title: title_of(rest),
        });
        rest
    } else {
        trimmed
    };
    // Inline sub-units right after a number: "Article 6(1)(b)", "13 (j) States…".
    let mut rest = rest;
    loop {
        let start = rest.trim_start();
        let Some((kind, number, after)) = bracketed(start) else {
            break;
        };
        let kind = match kind {
            HeadingKind::SubParagraph if markers.is_empty() && !inside_unit => break,
            other => other,
        };
        markers.push(Marker {
            kind,
            number,
            label: start[..start.len() - after.len()].to_owned(),
            title: title_of(after),
        });
        rest = after;
    }
    markers
}

/// Whether a line opens an article, chapter, part, section, title or annex heading, in any
/// of the six UN languages: the PDF layout keeps such lines apart and never takes them for
/// running headers.
pub fn opens_heading(line: &str) -> bool {
    keyword_heading(line.trim_start()).is_some()
}

/// "Article 15 – Title", "Art. 6(b)", "CHAPTER III", "Статья 2", "Artículo 2", "المادة ٢",
/// "الفصل الأول", "第三条", "Annex" on a line of its own.
fn keyword_heading(line: &str) -> Option<(Marker, &str)> {
    if let Some((kind, number, label, rest)) = words::chinese_heading(line) {
        let marker = Marker {
            kind,
            number,
            label: label.to_owned(),
            title: title_of(rest),
        };
        return Some((marker, rest));
    }
    for &(keyword, kind) in words::KEYWORDS {
        let Some(after_keyword) = words::strip_keyword(line, keyword) else {
            continue;
        };
        if after_keyword.starts_with(|c: char| c.is_alphanumeric()) && !keyword.ends_with('.') {
            continue; // "Articles", "Normally"
        }
        let after_space = after_keyword.trim_start_matches([' ', '\t', '\u{00A0}']);
        let roman_allowed = !matches!(
            kind,
            HeadingKind::Article | HeadingKind::Principle | HeadingKind::Norm
        );
        let (number, rest) = match leading_number(after_space, roman_allowed) {
            Some(found) => found,
            // "Annex" or "ANNEX" alone on its line.
            None if kind == HeadingKind::Annex && after_space.trim().is_empty() => {
                (String::new(), after_space)
            }
            None => continue,
        };
        if !heading_continues(rest) {
            continue;
        }
        let marker = Marker {
            kind,
            number,
            label: line[..line.len() - rest.len()].to_owned(),
            title: title_of(rest),
        };
        return Some((marker, rest));
    }
    None
}

/// "IV. Confidence-building measures": a Roman-numbered title, read as a section.
fn roman_section(line: &str) -> Option<(Marker, &str)> {
    // Only I, V and X: "C. Scope" and "L. Annex" are lettered titles, not numerals.
    let numeral_len = line.find(|c: char| !matches!(c, 'I' | 'V' | 'X'))?;
    let (numeral, rest) = line.split_at(numeral_len);
    let rest = rest.strip_prefix('.')?;
    let title = rest.trim_start();
    if numeral.is_empty() || title.len() == rest.len() || !title.starts_with(char::is_uppercase) {
        return None;
    }
    let marker = Marker {
        kind: HeadingKind::Section,
        number: numeral.to_owned(),
        label: format!("{numeral}."),
        title: title_of(title),
    };
    Some((marker, rest))
}

/// "13. Text", "١٣. نص", "二、文本", or inside an article also "1 Each Party" (the Council
/// of Europe style). Gives the number, the label as written and the text after it.
fn numbered_line(
    line: &str,
    inside_unit: bool,
    last_paragraph: Option<u64>,
) -> Option<(String, &str, &str)> {
    if let Some((number, rest)) = words::chinese_numbered(line) {
        let label = &line[..line.len() - rest.len()];
        return Some((number.to_string(), label, rest));
    }
    let (number, rest) = leading_number(line, false)?;
    if !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // A year ("2019.") is not a paragraph; paragraph 1000 and later follow a numbered
    // paragraph: next to it, or further on when the number can't be a year.
    let value: u64 = number.parse().ok()?;
    let could_be_a_year = (1800..2200).contains(&value);
    let follows =
        last_paragraph.is_some_and(|last| value > last && (value <= last + 5 || !could_be_a_year));
    if number.len() > 3 && !follows {
        return None;
    }
    let label_of = |rest: &str| &line[..line.len() - rest.len()];
    if let Some(after_dot) = rest.strip_prefix('.') {
        let text = after_dot.trim_start();
        let separated = text.len() < after_dot.len();
        let continues =
            text.is_empty() || text.starts_with(|c: char| !c.is_lowercase() && !c.is_ascii_digit());
        return (separated && continues).then(|| (number, label_of(after_dot), after_dot));
    }
    // "13 (j) States…" and, inside an article, "1 Each Party shall…".
    let text = rest.trim_start();
    if text.len() == rest.len() {
        return None;
    }
    let bracketed_point = text.starts_with('(') && bracketed(text).is_some();
    let capitalised = inside_unit && text.starts_with(char::is_uppercase);
    (bracketed_point || capitalised).then(|| (number, label_of(rest), rest))
}

/// "(1)" → a sub-paragraph; "(b)", "b)", "б)", "(ب)" or "（二）" → a point (as its English
/// letter); with the text after it.
fn bracketed(text: &str) -> Option<(HeadingKind, String, &str)> {
    if let Some((letter, rest)) = words::chinese_point(text) {
        return Some((HeadingKind::Point, letter.to_string(), rest));
    }
    let inner_start = usize::from(text.starts_with('('));
    let close = text.find(')')?;
    let inner = text.get(inner_start..close)?;
    let rest = &text[close + 1..];
    if let Some(letter) = words::point_letter(inner) {
        return Some((HeadingKind::Point, letter.to_string(), rest));
    }
    let digits = words::arabic_indic_digits(inner)
        .filter(|&(_, len)| len == inner.len())
        .map(|(digits, _)| digits)
        .unwrap_or_else(|| inner.to_owned());
    let numeric =
        !digits.is_empty() && digits.len() <= 3 && digits.bytes().all(|b| b.is_ascii_digit());
    (numeric && inner_start == 1).then_some((HeadingKind::SubParagraph, digits, rest))
}

/// A number at the start of `text`, as a locator cites it: digits (also Arabic-Indic, and
/// with an optional letter, "15a"), an Arabic ordinal word ("الأول" → "1"), or a Roman
/// numeral when allowed.
fn leading_number(text: &str, roman_allowed: bool) -> Option<(String, &str)> {
    if let Some((digits, len)) = words::arabic_indic_digits(text) {
        return Some((digits, &text[len..]));
    }
    if let Some((number, rest)) = words::arabic_ordinal(text) {
        return Some((number.to_string(), rest));
    }
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    if digits > 0 {
        let with_letter = text[digits..]
            .chars()
            .next()
            .filter(|c| c.is_ascii_lowercase())
            .filter(|_| !text[digits + 1..].starts_with(|c: char| c.is_alphanumeric()))
            .map_or(digits, |_| digits + 1);
        let (number, rest) = text.split_at(with_letter);
        return Some((number.to_owned(), rest));
    }
    if !roman_allowed {
        return None;
    }
    let numeral = text
        .find(|c: char| !matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'i' | 'v' | 'x' | 'l' | 'c'))
        .unwrap_or(text.len());
    let ends_word = !text[numeral..].starts_with(|c: char| c.is_alphanumeric());
    (numeral > 0 && ends_word).then(|| (text[..numeral].to_owned(), &text[numeral..]))
}

/// Whether what follows a heading's number looks like a heading, not running prose.
fn heading_continues(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', '\t', '\u{00A0}']);
    !rest.starts_with(|c: char| c.is_lowercase() || c.is_ascii_digit())
}

/// The title part of a heading line: the text after separators, to the line's end.
fn title_of(rest: &str) -> String {
    let line = rest.lines().next().unwrap_or_default();
    line.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '.' | ':' | '-' | '\u{2013}' | '\u{2014}' | '、' | '：')
    })
    .trim_end()
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_text_gives_a_consistent_outline(
            text in "((Article|Art\\.|CHAPTER|Section|IV\\.|13\\.|\\(a\\)|\\(1\\)|1|é|\\x0c| |\\n|[A-Za-z]{1,3})){0,40}",
            offset in 0usize..300,
        ) {
            let outline = Outline::from_text(&text);
            for (index, heading) in outline.headings().iter().enumerate() {
                prop_assert!(heading.start <= heading.end && heading.end <= text.len());
                prop_assert!(heading.parent.is_none_or(|parent| parent < index));
            }
            let _ = outline.locator_of_range(offset, offset + 7);
            prop_assert_eq!(outline.locator_of_range(offset, offset + 1), outline.locator_at(offset));
        }
    }

    /// The locator at the first occurrence of `needle` in `text`.
    fn locator_of(outline: &Outline, text: &str, needle: &str) -> String {
        let at = text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} is not in the text"));
        outline.locator_at(at)
    }

    // Budapest Convention (Council of Europe): "Article 23 – General principles…", with
    // paragraphs numbered "1", "2" without a dot.
    const BUDAPEST: &str = "\
Chapter II – Measures to be taken at the national level
Section 2 – Procedural law
Article 15 – Conditions and safeguards
1 Each Party shall ensure that the establishment, implementation and application of the
powers and procedures provided for in this Section are subject to conditions and safeguards.
2 Such conditions and safeguards shall, as appropriate in view of the nature of the procedure,
include judicial or other independent supervision.
Chapter III – International co-operation
Section 1 – General principles
Title 1 – General principles relating to international co-operation
Article 23 – General principles relating to international co-operation
The Parties shall co-operate with each other, in accordance with the provisions of this chapter.
Article 9 – Offences related to child pornography
Article 9 of the Convention is prose here, and so is Chapter III talks about co-operation.
";

    #[test]
    fn budapest_convention_articles_in_chapters_and_sections() {
        let outline = Outline::from_text(BUDAPEST);
        assert_eq!(
            locator_of(&outline, BUDAPEST, "Each Party shall"),
            "Chapter II, Section 2, Art. 15(1)"
        );
        assert_eq!(
            locator_of(&outline, BUDAPEST, "include judicial"),
            "Chapter II, Section 2, Art. 15(2)"
        );
        assert_eq!(
            locator_of(&outline, BUDAPEST, "The Parties shall co-operate"),
            "Chapter III, Section 1, Art. 23"
        );
        assert_eq!(
            locator_of(&outline, BUDAPEST, "is prose here"),
            "Chapter III, Section 1, Art. 9"
        );
        let article_23 = outline
            .headings()
            .iter()
            .find(|h| h.kind == HeadingKind::Article && h.number == "23");
        assert_eq!(
            article_23.map(|h| h.title.as_str()),
            Some("General principles relating to international co-operation")
        );
        // "Article 9 of…" and "Chapter III talks…" are prose, not headings.
        assert_eq!(
            outline
                .headings()
                .iter()
                .filter(|h| h.kind == HeadingKind::Article)
                .count(),
            3
        );
        assert_eq!(
            outline
                .headings()
                .iter()
                .filter(|h| h.kind == HeadingKind::Chapter)
                .count(),
            2
        );
    }

    // UN GGE report A/70/174: Roman-numbered sections, paragraphs "13." and points "(a)"–"(k)".
    const UNGGE: &str = "\
III. Norms, rules and principles for the responsible behaviour of States
13. Taking into account existing and emerging threats, the Group offers the following
recommendations for consideration by States for voluntary, non-binding norms:
(a) Consistent with the purposes of the United Nations, including to maintain international
peace and security, States should cooperate in developing and applying measures;
(j) States should encourage responsible reporting of ICT vulnerabilities and share
associated information on available remedies to such vulnerabilities;
(k) States should not conduct or knowingly support activity to harm the information systems
of the authorized emergency response teams.
14. The Group observed that, while such measures may be essential to promote an open,
secure, stable, accessible and peaceful ICT environment, their implementation may not
immediately be possible.
IV. Confidence-building measures
16. The Group recommends the following voluntary confidence-building measures:
";

    #[test]
    fn ungge_paragraphs_and_lettered_norms() {
        let outline = Outline::from_text(UNGGE);
        assert_eq!(
            locator_of(&outline, UNGGE, "Taking into account"),
            "para. 13"
        );
        assert_eq!(
            locator_of(&outline, UNGGE, "Consistent with"),
            "para. 13(a)"
        );
        assert_eq!(
            locator_of(&outline, UNGGE, "encourage responsible reporting"),
            "para. 13(j)"
        );
        assert_eq!(
            locator_of(&outline, UNGGE, "of the authorized emergency"),
            "para. 13(k)"
        );
        assert_eq!(
            locator_of(&outline, UNGGE, "immediately be possible"),
            "para. 14"
        );
        assert_eq!(
            locator_of(&outline, UNGGE, "Confidence-building measures\n"),
            "Section IV"
        );
        assert_eq!(
            locator_of(&outline, UNGGE, "The Group recommends"),
            "para. 16"
        );
        // The tree: section III holds paragraphs 13 and 14; paragraph 13 holds three points.
        let section_iii = outline.children(None).next();
        let paragraphs: Vec<&str> = outline
            .children(section_iii)
            .map(|i| outline.headings()[i].number.as_str())
            .collect();
        assert_eq!(paragraphs, ["13", "14"]);
        let paragraph_13 = outline.children(section_iii).next();
        let points: Vec<&str> = outline
            .children(paragraph_13)
            .map(|i| outline.headings()[i].number.as_str())
            .collect();
        assert_eq!(points, ["a", "j", "k"]);
    }

    #[test]
    fn report_quoting_style_13_j_on_one_line() {
        // The BPF 2019 report quotes the GGE norm as "13 (j) States should…".
        let text = "behaviour:\n13 (j) States should encourage responsible\nreporting of ICT vulnerabilities\n";
        let outline = Outline::from_text(text);
        assert_eq!(
            locator_of(&outline, text, "reporting of ICT"),
            "para. 13(j)"
        );
        assert_eq!(outline.locator_at(0), "");
    }

    // EU Cybersecurity Act: "Article 2" on its own line, definitions "(8)", points "(b)".
    const EU_ACT: &str = "\
TITLE I
GENERAL PROVISIONS
Article 2
Definitions
For the purposes of this Regulation, the following definitions apply:
(1) ‘cybersecurity’ means the activities necessary to protect network and information systems;
(8) ‘cyber threat’ means any potential circumstance, event or action that could damage;
Article 6
Capacity-building
1. ENISA shall assist:
(a) Member States in their efforts to improve the prevention of cyber threats;
(b) the Union institutions in establishing and implementing vulnerability disclosure policies;
SECTION 4
Article 21
Stakeholder Cybersecurity Certification Group
ARTICLE 51(a) is a heading in capitals with its point.
";

    #[test]
    fn eu_act_definitions_points_and_capitals() {
        let outline = Outline::from_text(EU_ACT);
        assert_eq!(locator_of(&outline, EU_ACT, "For the purposes"), "Art. 2");
        assert_eq!(locator_of(&outline, EU_ACT, "‘cyber threat’"), "Art. 2(8)");
        assert_eq!(
            locator_of(&outline, EU_ACT, "ENISA shall assist"),
            "Art. 6(1)"
        );
        assert_eq!(
            locator_of(&outline, EU_ACT, "vulnerability disclosure"),
            "Art. 6(1)(b)"
        );
        assert_eq!(
            locator_of(&outline, EU_ACT, "Stakeholder Cybersecurity"),
            "Section 4, Art. 21"
        );
        assert_eq!(
            locator_of(&outline, EU_ACT, "is a heading in capitals"),
            "Section 4, Art. 51(a)"
        );
        let article_6 = outline.headings().iter().find(|h| h.number == "6");
        assert_eq!(article_6.map(|h| h.title.as_str()), Some(""));
    }

    #[test]
    fn charter_of_trust_numbered_principles() {
        // Charter of Trust: principles numbered "8. Transparency and response: …".
        let text = "The undersigned outline ten principles.\n\
            7. Cyber-resilience through conformity and certification: Companies should…\n\
            8. Transparency and response: Participate in an industrial cybersecurity network.\n";
        let options = OutlineOptions {
            paragraph_name: "Principle".to_owned(),
            ..OutlineOptions::default()
        };
        let outline = Outline::with_options(text, &options);
        assert_eq!(locator_of(&outline, text, "Participate in"), "Principle 8");
        assert_eq!(
            locator_of(&outline, text, "Companies should"),
            "Principle 7"
        );
        assert_eq!(outline.locator_at(0), "");
    }

    #[test]
    fn principles_norms_and_recommendations_with_pages() {
        // Tech Accord, GCSC and Freedom Online Coalition styles, on pages split by form feeds.
        let text = "Cybersecurity Tech Accord\n\x0cpage two\n\x0cpage three\n\x0c\
            Principle 6 – Collective action\nWe will work with like-minded groups.\n\
            Norm 5 – States should not use ICTs to tamper with elections\n\
            Recommendation 3: Respect human rights online.\n\
            (a) Protect freedom of expression.\n";
        let outline = Outline::from_text(text);
        assert_eq!(locator_of(&outline, text, "Cybersecurity Tech"), "p. 1");
        assert_eq!(locator_of(&outline, text, "page three"), "p. 3");
        assert_eq!(
            locator_of(&outline, text, "like-minded"),
            "Principle 6, p. 4"
        );
        assert_eq!(locator_of(&outline, text, "tamper with"), "Norm 5, p. 4");
        assert_eq!(
            locator_of(&outline, text, "Respect human rights"),
            "Recommendation 3, p. 4"
        );
        assert_eq!(
            locator_of(&outline, text, "freedom of expression"),
            "Recommendation 3(a), p. 4"
        );
    }

    #[test]
    fn declaration_paragraphs_and_explicit_pages() {
        // A ministerial declaration numbered "10." with page starts given by the PDF reader.
        let text = "Declaration\n9. Recalling earlier work.\n10. The importance of promoting cooperation in the public sector.\n";
        let page_two = text.find("10.").unwrap_or(0);
        let options = OutlineOptions {
            page_starts: vec![0, page_two],
            ..OutlineOptions::default()
        };
        let outline = Outline::with_options(text, &options);
        assert_eq!(locator_of(&outline, text, "Recalling"), "para. 9, p. 1");
        assert_eq!(
            locator_of(&outline, text, "promoting cooperation"),
            "para. 10, p. 2"
        );
        assert_eq!(outline.page_at(text.len()), Some(2));
    }

    #[test]
    fn years_dates_and_lower_case_prose_are_not_paragraphs() {
        let text = "2019. The year the BPF met.\n90s. Decades are not paragraphs.\n5. in lower case is a wrapped sentence.\nChapter III talks about it.\n(i) a multidisciplinary approach\n";
        let outline = Outline::from_text(text);
        assert!(
            outline
                .headings()
                .iter()
                .all(|h| h.kind == HeadingKind::Point),
            "{:?}",
            outline.headings()
        );
        // A point with nothing numbered above it has no locator of its own.
        assert_eq!(locator_of(&outline, text, "multidisciplinary"), "");
    }

    #[test]
    fn passages_across_units_give_spans() {
        let outline = Outline::from_text(BUDAPEST);
        let from = BUDAPEST.find("Each Party shall").unwrap_or(0);
        let to = BUDAPEST.find("include judicial").unwrap_or(0) + 5;
        assert_eq!(
            outline.locator_of_range(from, to),
            "Chapter II, Section 2, Art. 15(1)–(2)"
        );
        let to_next_chapter = BUDAPEST.find("The Parties shall").unwrap_or(0) + 5;
        assert_eq!(
            outline.locator_of_range(from, to_next_chapter),
            "Chapter II, Section 2, Art. 15(1) – Chapter III, Section 1, Art. 23"
        );
        let within = BUDAPEST.find("Such conditions").unwrap_or(0);
        assert_eq!(
            outline.locator_of_range(within, within + 10),
            "Chapter II, Section 2, Art. 15(2)"
        );

        let ungge = Outline::from_text(UNGGE);
        let from = UNGGE.find("Consistent with").unwrap_or(0);
        let to = UNGGE.find("of the authorized").unwrap_or(0);
        assert_eq!(ungge.locator_of_range(from, to), "para. 13(a)–(k)");
        let to = UNGGE.find("immediately").unwrap_or(0);
        assert_eq!(ungge.locator_of_range(from, to), "para. 13(a)–14");
        assert_eq!(
            ungge.locator_of_range(to, 0),
            ungge.locator_at(to),
            "reversed: the start's locator"
        );
    }

    #[test]
    fn hostile_offsets_and_empty_text_never_panic() {
        let empty = Outline::from_text("");
        assert_eq!(empty.locator_at(0), "");
        assert_eq!(empty.locator_at(usize::MAX), "");
        let outline = Outline::from_text(UNGGE);
        assert_eq!(outline.locator_at(usize::MAX), "para. 16");
        let odd = OutlineOptions {
            page_starts: vec![50, 10, 10],
            ..OutlineOptions::default()
        };
        let paged = Outline::with_options("short", &odd);
        assert_eq!(paged.locator_at(0), "p. 1");
        assert_eq!(
            paged.locator_at(60),
            "p. 2",
            "sorted, deduplicated page starts"
        );
        for text in [
            "(", ")", "Article", "Art.", "IV.", "13", "1 ", "(a", "a)", "§", "Chapter ", "\x0c\x0c",
        ] {
            let outline = Outline::from_text(text);
            for offset in 0..=text.len() + 1 {
                let _ = outline.locator_at(offset);
            }
        }
    }

    /// One agreement in each UN language, as an extracted PDF gives it: the second
    /// paragraph of the third article is cited "Art. 3(2)" whatever the language.
    #[test]
    fn articles_and_paragraphs_in_the_six_un_languages() {
        let texts = [
            (
                "Chapitre II Dispositions finales\nArticle 3 Autorités\n1. Chaque Partie désigne.\n2. Chaque Partie maintient un point de contact.\n",
                "Chapter II, Art. 3(2)",
            ),
            (
                "Capítulo II Disposiciones finales\nArtículo 3 Autoridades\n1. Cada Parte designará.\n2. Cada Parte mantendrá un punto de contacto.\n",
                "Chapter II, Art. 3(2)",
            ),
            (
                "Глава II Заключительные положения\nСтатья 3 Компетентные органы\n1. Каждая Сторона назначает.\n2. Каждая Сторона поддерживает пункт контакта.\n",
                "Chapter II, Art. 3(2)",
            ),
            (
                "第二章 最后条款\n第三条 主管机关和联络点\n一、各缔约方应指定。\n二、各缔约方应保持联络点。\n",
                "Chapter 2, Art. 3(2)",
            ),
            (
                "الفصل الثاني أحكام ختامية\nالمادة 3 السلطات المختصة\n1. تعين كل دولة طرف.\n2. تحتفظ كل دولة طرف بجهة اتصال.\n",
                "Chapter 2, Art. 3(2)",
            ),
            (
                "الفصل الثاني أحكام ختامية\nالمادة ٣ السلطات المختصة\n١. تعين كل دولة طرف.\n٢. تحتفظ كل دولة طرف بجهة اتصال.\n",
                "Chapter 2, Art. 3(2)",
            ),
        ];
        for (text, expected) in texts {
            let outline = Outline::from_text(text);
            let last_line = text.trim_end().rsplit('\n').next().unwrap_or_default();
            let at = text.rfind(last_line).unwrap_or_default() + last_line.len() - 3;
            assert_eq!(outline.locator_at(at), expected, "{text}");
        }
        // Points in Cyrillic, Arabic and Chinese order are cited by their English letter.
        for (text, needle, expected) in [
            (
                "Статья 1\n1. Термины:\nа) первый;\nб) второй;\n",
                "второй",
                "Art. 1(1)(b)",
            ),
            (
                "المادة 1\n1. المصطلحات:\n(أ) الأول؛\n(ب) الثاني؛\n",
                "الثاني؛",
                "Art. 1(1)(b)",
            ),
            (
                "第一条\n一、用语：\n（一）第一项；\n（二）第二项；\n",
                "第二项",
                "Art. 1(1)(b)",
            ),
        ] {
            let outline = Outline::from_text(text);
            assert_eq!(locator_of(&outline, text, needle), expected, "{text}");
        }
        // The source's own heading stays in the outline.
        let outline = Outline::from_text("第十二条 合作\nСтатья 7 Сотрудничество\n");
        let labels: Vec<&str> = outline
            .headings()
            .iter()
            .map(|h| h.label.as_str())
            .collect();
        assert_eq!(labels, ["第十二条", "Статья 7"]);
        assert_eq!(outline.headings()[0].number, "12");
    }

    #[test]
    fn paragraphs_from_1000_up_follow_their_predecessor() {
        let mut text = String::new();
        for n in 995..=1002 {
            text.push_str(&format!("{n}. Paragraph {n} text.\n"));
        }
        text.push_str("2019. A year is not a paragraph.\n");
        let outline = Outline::from_text(&text);
        assert_eq!(locator_of(&outline, &text, "Paragraph 1000"), "para. 1000");
        assert_eq!(locator_of(&outline, &text, "Paragraph 1002"), "para. 1002");
        assert_eq!(locator_of(&outline, &text, "A year"), "para. 1002");
    }

    /// Each of the sample's 20 agreements, in the numbering style the BPF 2019 report quotes
    /// it with (section V and the sample's locators): a short text in that style, a phrase
    /// in it, and the locator normgrid derives.
    const SAMPLE_STYLES: [(&str, &str, &str, &str); 20] = [
        (
            "au-convention",
            "Chapter III – Promoting cyber security\nArticle 28 – International cooperation\n1 State Parties shall ensure that the legislative measures adopted\n",
            "shall ensure",
            "Chapter III, Art. 28(1)",
        ),
        (
            "sadc-model-laws",
            "Part II – Offences\nSection 4 – Illegal access\n(a) A person who intentionally accesses a computer system commits an offence.\n",
            "intentionally accesses",
            "Part II, Section 4(a)",
        ),
        (
            "paris-call",
            "We welcome the Paris Call principles:\nPrinciple 1 – Protect individuals and infrastructure\nPrevent and recover from malicious cyber activities.\n",
            "recover from",
            "Principle 1",
        ),
        (
            "ungge-2015",
            "13. The Group offers the following recommendations:\n(j) States should encourage responsible reporting of ICT vulnerabilities;\n",
            "responsible reporting",
            "para. 13(j)",
        ),
        (
            "tech-accord",
            "Principle 2 – No offense\nWe will not help governments launch cyberattacks.\n",
            "launch cyberattacks",
            "Principle 2",
        ),
        (
            "charter-of-trust",
            "Principle 8 – Transparency and response\nParticipate in an industrial cybersecurity network.\n",
            "industrial cybersecurity",
            "Principle 8",
        ),
        (
            "gcsc-norms",
            "Norm 5 – Norm to avoid tampering\nState and non-state actors should not tamper with products.\n",
            "should not tamper",
            "Norm 5",
        ),
        (
            "foc-recommendations",
            "Recommendation 4: Cybersecurity-related laws should be developed with human rights in mind.\n",
            "human rights in mind",
            "Recommendation 4",
        ),
        (
            "sco-agreement",
            "Article 2 – Main threats in the field of international information security\n1. Development and use of information weapons;\n",
            "information weapons",
            "Art. 2(1)",
        ),
        (
            "manrs",
            "Action 3 is numbered here only as prose.\nSection 4 – Global validation\nNetwork operators publish their routing policy.\n",
            "routing policy",
            "Section 4",
        ),
        (
            "brazzaville-declaration",
            "Declaration of Brazzaville\n10. We commit to strengthen cooperation against cybercrime.\n",
            "strengthen cooperation",
            "para. 10",
        ),
        (
            "budapest-convention",
            "Chapter II – Measures to be taken at the national level\nArticle 9 – Offences related to child pornography\n1 Each Party shall adopt such legislative measures.\n",
            "legislative measures",
            "Chapter II, Art. 9(1)",
        ),
        (
            "eu-cybersecurity-act",
            "TITLE I GENERAL PROVISIONS\nArticle 2\nDefinitions\n(8) \u{2018}cyber threat\u{2019} means any potential circumstance;\n",
            "any potential circumstance",
            "Art. 2(8)",
        ),
        (
            "eu-nis-directive",
            "CHAPTER IV\nArticle 14 – Security requirements and incident notification\n1 Member States shall ensure that operators take measures.\n",
            "operators take",
            "Chapter IV, Art. 14(1)",
        ),
        (
            "eac-framework",
            "Section IV – Content\nWhere illegal content is made accessible over the Internet.\n",
            "illegal content",
            "Section IV",
        ),
        (
            "ecowas-directive",
            "CHAPTER II – OFFENCES\nArticle 4 – Fraudulent access to computer systems\nThe act of accessing a computer system is an offence.\n",
            "accessing a computer",
            "Chapter II, Art. 4",
        ),
        (
            "nato-pledge",
            "We pledge to:\n5. Enhance skills and awareness of fundamental cyber hygiene;\n",
            "cyber hygiene",
            "para. 5",
        ),
        (
            "eu-joint-communication",
            "Section 5 – Strengthening international cooperation\nThe EU will uphold its core values.\n",
            "core values",
            "Section 5",
        ),
        (
            "csde-botnet-guide",
            "Section 2 – Infrastructure\nBaseline practices: filter traffic at the edge.\n",
            "filter traffic",
            "Section 2",
        ),
        (
            "oas-strategy",
            "RESOLVES:\n10. To promote cooperation in the public sector with the private and academic sectors.\n",
            "private and academic",
            "para. 10",
        ),
    ];

    #[test]
    fn every_sample_agreement_numbering_style_as_the_report_quotes_it() {
        let sample = crate::sample::bpf_2019().map(|l| l.project);
        let ids: Vec<String> = sample
            .iter()
            .flat_map(|p| p.agreements.iter().map(|a| a.id.to_string()))
            .collect();
        let styled: Vec<&str> = SAMPLE_STYLES.iter().map(|(id, ..)| *id).collect();
        assert_eq!(ids.len(), 20);
        for id in &ids {
            assert!(styled.contains(&id.as_str()), "{id} has a numbering case");
        }
        let mut wrong = Vec::new();
        for (id, text, phrase, expected) in SAMPLE_STYLES {
            let outline = Outline::from_text(text);
            let found = locator_of(&outline, text, phrase);
            if found != expected {
                wrong.push(format!("{id}: {found:?}, expected {expected:?}"));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }
}
