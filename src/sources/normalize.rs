//! Text normalisation for matching quotes against sources, with a map back to the original.
//!
//! Quotes are typed, pasted from PDF viewers or taken from OCR: the same passage can
//! differ in whitespace, quote marks, dashes, ligatures and line-end hyphenation. Matching
//! on normalised text finds it anyway; the offset map turns a hit back into a range of
//! the original text, so anchors always point into the source as stored.

use std::ops::Range;

/// Options for [`normalize`]; the defaults keep case.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NormalizeOptions {
    /// Lower-case everything, for case-insensitive search.
    pub fold_case: bool,
}

/// Normalised text plus, for each of its bytes, the original byte range it came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// Original byte offset where the char producing each normalised byte starts.
    starts: Vec<usize>,
    /// Original byte offset where the char producing each normalised byte ends.
    ends: Vec<usize>,
    /// Length of the original text in bytes.
    original_len: usize,
}

impl Normalized {
    /// Maps a byte range of the normalised text to the byte range of the original it covers.
    ///
    /// Out-of-range or reversed input is clamped, never a panic.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        let len = self.text.len();
        let start = range.start.min(len);
        let end = range.end.clamp(start, len);
        if start == end {
            let at = self.starts.get(start).copied().unwrap_or(self.original_len);
            return at..at;
        }
        let original_start = self.starts.get(start).copied().unwrap_or(self.original_len);
        let original_end = self.ends.get(end - 1).copied().unwrap_or(self.original_len);
        original_start..original_end.max(original_start)
    }

    /// The normalised byte offset of the first normalised byte at or after an original offset.
    pub fn normalized_offset(&self, original: usize) -> usize {
        self.starts.partition_point(|&start| start < original)
    }
}

/// What one original char becomes.
enum Mapped {
    Drop,
    Space,
    Char(char),
    Str(&'static str),
}

fn map_char(c: char) -> Mapped {
    match c {
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' => Mapped::Drop,
        c if c.is_whitespace() => Mapped::Space,
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' | '`' => {
            Mapped::Char('\'')
        }
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => Mapped::Char('"'),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => Mapped::Char('-'),
        '\u{FB00}' => Mapped::Str("ff"),
        '\u{FB01}' => Mapped::Str("fi"),
        '\u{FB02}' => Mapped::Str("fl"),
        '\u{FB03}' => Mapped::Str("ffi"),
        '\u{FB04}' => Mapped::Str("ffl"),
        '\u{FB05}' | '\u{FB06}' => Mapped::Str("st"),
        '\u{2026}' => Mapped::Str("..."),
        c => Mapped::Char(c),
    }
}

/// Han characters, kana and the full-width punctuation set with them: scripts written
/// without spaces between words (Korean, which spaces its words, is not among them).
pub fn is_set_without_spaces(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFF00..=0xFF60 | 0x20000..=0x2FA1F)
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Normalises `text` for matching: whitespace runs become one space, curly quotes become
/// straight ones, dashes become '-', ligatures become letters, soft hyphens and zero-width
/// characters go, and a word hyphenated across a line end ("co-\noperation") is joined.
pub fn normalize(text: &str, options: NormalizeOptions) -> Normalized {
    let mut out = Normalized {
        text: String::with_capacity(text.len()),
        starts: Vec::with_capacity(text.len()),
        ends: Vec::with_capacity(text.len()),
        original_len: text.len(),
    };
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while let Some(&(at, c)) = chars.get(i) {
        let end = chars.get(i + 1).map_or(text.len(), |&(next, _)| next);
        if is_hyphen(c)
            && let Some((skip_to, joined)) = hyphenation_end(&chars, i)
        {
            // A word split at a line end ("co-" / "operation") is joined; a compound
            // ("Anti-" / "Corruption") keeps its hyphen and loses only the line break.
            if !joined {
                push(&mut out, '-', at, end, options);
            }
            i = skip_to;
            continue;
        }
        match map_char(c) {
            Mapped::Drop => {}
            Mapped::Space => {
                let mut run_end = end;
                i += 1;
                while let Some(&(next_at, next)) = chars.get(i) {
                    if !matches!(map_char(next), Mapped::Space | Mapped::Drop) {
                        break;
                    }
                    run_end = next_at + next.len_utf8();
                    i += 1;
                }
                // Chinese and Japanese are set without spaces: a line break between two of
                // their characters is layout, not a word break.
                let before = out.text.chars().next_back();
                let after = chars.get(i).map(|&(_, next)| next);
                let joined = before.zip(after).is_some_and(|(before, after)| {
                    is_set_without_spaces(before) && is_set_without_spaces(after)
                });
                if !joined {
                    push(&mut out, ' ', at, run_end, options);
                }
                continue;
            }
            Mapped::Char(mapped) => push(&mut out, mapped, at, end, options),
            Mapped::Str(letters) => {
                for letter in letters.chars() {
                    push(&mut out, letter, at, end, options);
                }
            }
        }
        i += 1;
    }
    out
}

/// If the hyphen at `i` ends a line between two letters, the index of the next word's
/// first char, and whether the two parts are one word (the next starts in lower case).
fn hyphenation_end(chars: &[(usize, char)], i: usize) -> Option<(usize, bool)> {
    let before = chars.get(i.checked_sub(1)?)?.1;
    if !before.is_alphabetic() {
        return None;
    }
    let mut j = i + 1;
    let mut saw_newline = false;
    while let Some(&(_, c)) = chars.get(j) {
        if c == '\n' || c == '\r' {
            saw_newline = true;
        } else if !c.is_whitespace() {
            break;
        }
        j += 1;
    }
    let after = chars.get(j)?.1;
    (saw_newline && after.is_alphabetic()).then_some((j, after.is_lowercase()))
}

fn push(out: &mut Normalized, c: char, start: usize, end: usize, options: NormalizeOptions) {
    let mut add = |c: char| {
        out.text.push(c);
        for _ in 0..c.len_utf8() {
            out.starts.push(start);
            out.ends.push(end);
        }
    };
    if options.fold_case {
        c.to_lowercase().for_each(&mut add);
    } else {
        add(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_offset_map_is_monotonic_and_in_bounds(text in "\\PC{0,80}|[a-z\\- \n\u{AD}\u{FB01}\u{201C}]{0,80}", fold_case: bool) {
            let normalized = normalize(&text, NormalizeOptions { fold_case });
            prop_assert_eq!(normalized.starts.len(), normalized.text.len());
            prop_assert!(normalized.starts.windows(2).all(|pair| pair[0] <= pair[1]));
            prop_assert!(normalized.ends.windows(2).all(|pair| pair[0] <= pair[1]));
            for (start, end) in normalized.starts.iter().zip(&normalized.ends) {
                prop_assert!(start < end && *end <= text.len());
                prop_assert!(text.is_char_boundary(*start) && text.is_char_boundary(*end));
            }
            let whole = normalized.original_range(0..normalized.text.len());
            prop_assert!(text.get(whole).is_some());
        }
    }

    fn norm(text: &str) -> String {
        normalize(text, NormalizeOptions::default()).text
    }

    #[test]
    fn collapses_whitespace_runs_and_line_breaks() {
        assert_eq!(norm("a  b\n\t c\u{00A0}d"), "a b c d");
    }

    #[test]
    fn a_line_break_inside_chinese_or_japanese_is_no_space() {
        assert_eq!(norm("取得联系，\n并应在"), "取得联系，并应在");
        assert_eq!(norm("第三条\n主管机关"), "第三条主管机关");
        // Korean spaces its words, and a break beside Latin text stays a space.
        assert_eq!(norm("협력\n조항"), "협력 조항");
        assert_eq!(norm("第三条\nArticle"), "第三条 Article");
    }

    #[test]
    fn straightens_quotes_and_dashes() {
        assert_eq!(
            norm("\u{201C}norms\u{201D} \u{2018}x\u{2019} a\u{2013}b\u{2014}c"),
            "\"norms\" 'x' a-b-c"
        );
    }

    #[test]
    fn expands_ligatures_and_drops_soft_hyphens() {
        assert_eq!(
            norm("e\u{FB03}cient con\u{00AD}fidence \u{FB01}le"),
            "efficient confidence file"
        );
    }

    #[test]
    fn joins_words_hyphenated_across_lines_but_keeps_real_hyphens() {
        assert_eq!(
            norm("co-\noperation and co-operation"),
            "cooperation and co-operation"
        );
        assert_eq!(norm("multi-\r\n  stakeholder"), "multistakeholder");
        // A capital after the break is a compound such as "EU-\nJapan": keep the hyphen,
        // drop the break, so the quote "EU-Japan" matches.
        assert_eq!(norm("EU-\nJapan"), "EU-Japan");
    }

    #[test]
    fn folds_case_only_when_asked() {
        assert_eq!(norm("Article"), "Article");
        let folded = normalize("ARTICLE İ", NormalizeOptions { fold_case: true });
        assert!(folded.text.starts_with("article "));
    }

    #[test]
    fn maps_a_normalised_hit_back_to_the_original_range() {
        let original = "The  \u{201C}ef\u{FB01}cient\u{201D}\nco-\noperation of States";
        let normalized = normalize(original, NormalizeOptions::default());
        assert_eq!(normalized.text, "The \"efficient\" cooperation of States");
        let hit = normalized
            .text
            .find("\"efficient\" cooperation")
            .unwrap_or(usize::MAX);
        let range = normalized.original_range(hit..hit + "\"efficient\" cooperation".len());
        assert_eq!(
            &original[range],
            "\u{201C}ef\u{FB01}cient\u{201D}\nco-\noperation"
        );
    }

    #[test]
    fn original_range_clamps_hostile_ranges() {
        let normalized = normalize("abc", NormalizeOptions::default());
        assert_eq!(normalized.original_range(2..99), 2..3);
        let (from, to) = (5, 1);
        assert_eq!(normalized.original_range(from..to), 3..3, "reversed");
        assert_eq!(
            normalize("", NormalizeOptions::default()).original_range(0..4),
            0..0
        );
    }

    #[test]
    fn normalized_offset_inverts_the_map_at_char_starts() {
        let original = "a\u{FB01}  b";
        let normalized = normalize(original, NormalizeOptions::default());
        assert_eq!(normalized.text, "afi b");
        assert_eq!(normalized.normalized_offset(0), 0);
        assert_eq!(normalized.normalized_offset(1), 1);
        assert_eq!(normalized.normalized_offset(original.len() - 1), 4);
    }
}
