//! The words and numerals of structure in the six UN languages: the heading keywords
//! ("Article", "Artículo", "Статья", "المادة", "第…条"), numbers written as Arabic-Indic
//! digits, Chinese numerals or Arabic ordinal words, and point letters in Cyrillic and
//! Arabic order. Everything here turns the source's own spelling into the English locator's
//! ("Art. 2(1)(b)").

use super::HeadingKind;

/// Heading keywords, lower case, each followed by the unit's number ("Статья 2").
/// Longer spellings come before their prefixes ("artículo" before "art.").
pub(super) const KEYWORDS: &[(&str, HeadingKind)] = &[
    ("article", HeadingKind::Article),
    ("artículo", HeadingKind::Article),
    ("articulo", HeadingKind::Article),
    ("art.", HeadingKind::Article),
    ("статья", HeadingKind::Article),
    ("ст.", HeadingKind::Article),
    ("المادة", HeadingKind::Article),
    ("مادة", HeadingKind::Article),
    ("chapter", HeadingKind::Chapter),
    ("chapitre", HeadingKind::Chapter),
    ("capítulo", HeadingKind::Chapter),
    ("capitulo", HeadingKind::Chapter),
    ("глава", HeadingKind::Chapter),
    ("الفصل", HeadingKind::Chapter),
    ("part", HeadingKind::Part),
    ("partie", HeadingKind::Part),
    ("parte", HeadingKind::Part),
    ("часть", HeadingKind::Part),
    ("الباب", HeadingKind::Part),
    ("section", HeadingKind::Section),
    ("sección", HeadingKind::Section),
    ("seccion", HeadingKind::Section),
    ("раздел", HeadingKind::Section),
    ("القسم", HeadingKind::Section),
    ("§", HeadingKind::Section),
    ("title", HeadingKind::Title),
    ("titre", HeadingKind::Title),
    ("título", HeadingKind::Title),
    ("titulo", HeadingKind::Title),
    ("annex", HeadingKind::Annex),
    ("annexe", HeadingKind::Annex),
    ("anexo", HeadingKind::Annex),
    ("приложение", HeadingKind::Annex),
    ("الملحق", HeadingKind::Annex),
    ("principle", HeadingKind::Principle),
    ("principe", HeadingKind::Principle),
    ("principio", HeadingKind::Principle),
    ("принцип", HeadingKind::Principle),
    ("norm", HeadingKind::Norm),
    ("norme", HeadingKind::Norm),
    ("norma", HeadingKind::Norm),
    ("норма", HeadingKind::Norm),
    ("recommendation", HeadingKind::Recommendation),
    ("recommandation", HeadingKind::Recommendation),
    ("recomendación", HeadingKind::Recommendation),
    ("рекомендация", HeadingKind::Recommendation),
];

/// `text`'s start when it is `keyword` in any letter case ("ARTÍCULO", "Статья"), and
/// the text after it.
pub(super) fn strip_keyword<'a>(text: &'a str, keyword: &str) -> Option<&'a str> {
    let mut rest = text;
    for expected in keyword.chars() {
        let mut chars = rest.chars();
        let found = chars.next()?;
        if found != expected && !found.to_lowercase().eq(expected.to_lowercase()) {
            return None;
        }
        rest = chars.as_str();
    }
    Some(rest)
}

/// Chinese structure: "第三条" (article), "第二章" (chapter), "第一节" (section),
/// "第一编" / "第一部分" (part), with the number in Chinese numerals or digits.
pub(super) fn chinese_heading(line: &str) -> Option<(HeadingKind, String, &str, &str)> {
    let after = line.strip_prefix('第')?;
    let numeral_len = after
        .find(|c: char| chinese_digit(c).is_none() && !c.is_ascii_digit() && !c.is_whitespace())
        .unwrap_or(after.len());
    let numeral = &after[..numeral_len];
    let number = chinese_number(numeral.trim())?;
    let rest = &after[numeral_len..];
    let (kind, unit) = [
        ("条", HeadingKind::Article),
        ("章", HeadingKind::Chapter),
        ("节", HeadingKind::Section),
        ("節", HeadingKind::Section),
        ("编", HeadingKind::Part),
        ("編", HeadingKind::Part),
        ("部分", HeadingKind::Part),
    ]
    .into_iter()
    .find_map(|(unit, kind)| rest.starts_with(unit).then_some((kind, unit)))?;
    let label_len = line.len() - rest.len() + unit.len();
    Some((
        kind,
        number.to_string(),
        &line[..label_len],
        &rest[unit.len()..],
    ))
}

fn chinese_digit(c: char) -> Option<u64> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

/// "三" → 3, "十二" → 12, "二十一" → 21, "一百零五" → 105, "12" → 12.
pub(super) fn chinese_number(numeral: &str) -> Option<u64> {
    if numeral.is_empty() {
        return None;
    }
    if numeral.bytes().all(|b| b.is_ascii_digit()) {
        return numeral.parse().ok().filter(|&n| n > 0);
    }
    let (mut total, mut digit) = (0u64, None::<u64>);
    for c in numeral.chars() {
        let value = chinese_digit(c)?;
        if value >= 10 {
            // "十" alone means ten: a missing digit before a multiplier is one.
            total += digit.unwrap_or(1) * value;
            digit = None;
        } else {
            digit = Some(value);
        }
    }
    let number = total + digit.unwrap_or(0);
    (number > 0).then_some(number)
}

/// A Chinese numbered line: "二、各缔约方…" gives 2 and the text after "、".
pub(super) fn chinese_numbered(line: &str) -> Option<(u64, &str)> {
    let (numeral, rest) = line.split_once('、')?;
    if numeral.is_empty() || numeral.chars().count() > 4 {
        return None;
    }
    Some((chinese_number(numeral)?, rest))
}

/// The ASCII digits of Arabic-Indic ("١٢") and Extended Arabic-Indic ("۱۲") digits, and the
/// byte length they took; `None` when `text` does not start with one.
pub(super) fn arabic_indic_digits(text: &str) -> Option<(String, usize)> {
    let mut digits = String::new();
    let mut len = 0;
    for c in text.chars() {
        let value = match c {
            '\u{0660}'..='\u{0669}' => u32::from(c) - 0x0660,
            '\u{06F0}'..='\u{06F9}' => u32::from(c) - 0x06F0,
            _ => break,
        };
        digits.push(char::from_digit(value, 10).unwrap_or('0'));
        len += c.len_utf8();
    }
    (!digits.is_empty()).then_some((digits, len))
}

/// Arabic ordinal words as chapter and article numbers: "الأول" → 1, "الثانية" → 2,
/// "الحادي عشر" → 11. Returns the number and the text after the words.
pub(super) fn arabic_ordinal(text: &str) -> Option<(u64, &str)> {
    const UNITS: [(&[&str], u64); 10] = [
        (&["الأولى", "الأول", "الاولى", "الاول", "الحادي", "الحادية"], 1),
        (&["الثانية", "الثاني"], 2),
        (&["الثالثة", "الثالث"], 3),
        (&["الرابعة", "الرابع"], 4),
        (&["الخامسة", "الخامس"], 5),
        (&["السادسة", "السادس"], 6),
        (&["السابعة", "السابع"], 7),
        (&["الثامنة", "الثامن"], 8),
        (&["التاسعة", "التاسع"], 9),
        (&["العاشرة", "العاشر"], 10),
    ];
    let word_end = |rest: &str| !rest.starts_with(|c: char| c.is_alphabetic());
    let (unit, rest) = UNITS.iter().find_map(|(words, value)| {
        words.iter().find_map(|word| {
            text.strip_prefix(word)
                .filter(|rest| word_end(rest))
                .map(|rest| (*value, rest))
        })
    })?;
    // "الحادي عشر", "الثانية عشرة": a unit and "ten".
    let teen = rest
        .trim_start()
        .strip_prefix("عشرة")
        .or_else(|| rest.trim_start().strip_prefix("عشر"));
    match teen.filter(|after| word_end(after)) {
        Some(after) if unit < 10 => Some((unit + 10, after)),
        _ if unit == 1 && text.starts_with("الحادي") => None,
        _ => Some((unit, rest)),
    }
}

/// A point letter in another alphabet, as the English letter at the same place: Russian
/// "б" → "b" (UN order skips ё, й, ъ, ы, ь), Arabic "ب" → "b" (abjad order).
pub(super) fn point_letter(inner: &str) -> Option<char> {
    const CYRILLIC: &str = "абвгдежзиклмнопрстуфхцчшщэюя";
    const ABJAD: [&str; 28] = [
        "أ", "ب", "ج", "د", "ه", "و", "ز", "ح", "ط", "ي", "ك", "ل", "م", "ن", "س", "ع", "ف", "ص",
        "ق", "ر", "ش", "ت", "ث", "خ", "ذ", "ض", "ظ", "غ",
    ];
    let latin = |index: usize| char::from_u32(u32::from('a') + u32::try_from(index).ok()?);
    let mut chars = inner.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    if rest.is_empty() && first.is_ascii_lowercase() {
        return Some(first);
    }
    if rest.is_empty()
        && let Some(index) = CYRILLIC.chars().position(|c| c == first)
    {
        return latin(index).filter(|c| c.is_ascii_lowercase());
    }
    // Arabic letters as points, "هـ" written with a tatweel, alef also without hamza.
    let letter = inner.trim_end_matches('\u{0640}');
    let letter = if letter == "ا" { "أ" } else { letter };
    ABJAD
        .iter()
        .position(|&l| l == letter)
        .filter(|&index| index < 26)
        .and_then(latin)
}

/// A Chinese point "（一）" or "(一)" as a letter: 1 → "a".
pub(super) fn chinese_point(text: &str) -> Option<(char, &str)> {
    let inner_start = text.strip_prefix('（').or_else(|| text.strip_prefix('('))?;
    let close = inner_start.find(['）', ')'])?;
    let numeral = &inner_start[..close];
    if !numeral.chars().all(|c| chinese_digit(c).is_some()) {
        return None; // "(8)" is a sub-paragraph
    }
    let number = chinese_number(numeral).filter(|&n| (1..=26).contains(&n))?;
    let letter = char::from_u32(u32::from('a') + u32::try_from(number - 1).ok()?)?;
    let close_len = inner_start[close..]
        .chars()
        .next()
        .map_or(1, char::len_utf8);
    Some((letter, &inner_start[close + close_len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_of_each_script() {
        assert_eq!(chinese_number("三"), Some(3));
        assert_eq!(chinese_number("十"), Some(10));
        assert_eq!(chinese_number("十二"), Some(12));
        assert_eq!(chinese_number("二十一"), Some(21));
        assert_eq!(chinese_number("一百零五"), Some(105));
        assert_eq!(chinese_number("一千二百"), Some(1200));
        assert_eq!(chinese_number("条"), None);
        assert_eq!(arabic_indic_digits("١٢. نص"), Some(("12".to_owned(), 4)));
        assert_eq!(arabic_indic_digits("۳"), Some(("3".to_owned(), 2)));
        assert_eq!(arabic_ordinal("الأول أحكام").map(|(n, _)| n), Some(1));
        assert_eq!(arabic_ordinal("الثانية").map(|(n, _)| n), Some(2));
        assert_eq!(arabic_ordinal("الحادي عشر").map(|(n, _)| n), Some(11));
        assert_eq!(arabic_ordinal("الثالث عشر: نص"), Some((13, ": نص")));
        assert_eq!(arabic_ordinal("الأولويات"), None);
    }

    #[test]
    fn point_letters_in_alphabet_order() {
        assert_eq!(point_letter("b"), Some('b'));
        assert_eq!(point_letter("а"), Some('a'));
        assert_eq!(point_letter("б"), Some('b'));
        assert_eq!(point_letter("к"), Some('j'));
        assert_eq!(point_letter("أ"), Some('a'));
        assert_eq!(point_letter("ب"), Some('b'));
        assert_eq!(point_letter("هـ"), Some('e'));
        assert_eq!(point_letter("ab"), None);
        assert_eq!(chinese_point("（二）各方"), Some(('b', "各方")));
    }

    #[test]
    fn chinese_headings() {
        let (kind, number, label, rest) = chinese_heading("第十二条 合作").unwrap();
        assert_eq!(
            (kind, number.as_str(), label, rest),
            (HeadingKind::Article, "12", "第十二条", " 合作")
        );
        assert_eq!(
            chinese_heading("第二章").map(|h| h.0),
            Some(HeadingKind::Chapter)
        );
        assert_eq!(
            chinese_heading("第一部分").map(|h| h.0),
            Some(HeadingKind::Part)
        );
        assert!(chinese_heading("第三方").is_none());
        assert_eq!(chinese_numbered("二、各缔约方"), Some((2, "各缔约方")));
        assert_eq!(strip_keyword("СТАТЬЯ 2", "статья"), Some(" 2"));
        assert_eq!(strip_keyword("Artículo 2", "artículo"), Some(" 2"));
    }
}
