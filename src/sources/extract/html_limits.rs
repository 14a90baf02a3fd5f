//! Explicit limits checked on a saved page's markup before html5ever parses it: the HTML
//! parsing algorithm is quadratic in some shapes (thousands of attributes on one element,
//! elements nested tens of thousands deep), so those are refused by a rule with a message.
//! Browsers cap nesting too (Blink and WebKit flatten past 512 levels).

/// Most attributes on one element; real pages use a few dozen at most.
pub const MAX_ATTRIBUTES: usize = 1_000;

/// Deepest element nesting read.
pub const MAX_DEPTH: usize = 2_000;

/// Elements that have no end tag, so they never nest.
const VOID: [&str; 16] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "frame",
];

/// Elements whose end tag may be left out: a second one closes the first.
const SELF_CLOSING_SIBLINGS: [&str; 10] = [
    "li", "p", "dt", "dd", "option", "tr", "td", "th", "rt", "rp",
];

/// Why the markup is refused, in words for the message that names the file.
pub fn check(markup: &str) -> Result<(), String> {
    let bytes = markup.as_bytes();
    let mut open: Vec<&str> = Vec::new();
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(|&b| b == b'<') {
        at += offset + 1;
        if bytes[at..].starts_with(b"!--") {
            at = markup[at..]
                .find("-->")
                .map_or(bytes.len(), |end| at + end + 3);
            continue;
        }
        let closing = bytes.get(at) == Some(&b'/');
        let name_start = at + usize::from(closing);
        let name_end = bytes[name_start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric() && *b != b'-')
            .map_or(bytes.len(), |p| name_start + p);
        if name_end == name_start {
            continue;
        }
        let name = markup[name_start..name_end].to_ascii_lowercase();
        let (attributes, tag_end, self_closed) = scan_attributes(bytes, name_end);
        if attributes > MAX_ATTRIBUTES {
            return Err(format!(
                "a <{name}> element has {attributes} attributes, more than the {MAX_ATTRIBUTES} \
                 normgrid reads: the page is damaged or made to slow readers down"
            ));
        }
        at = tag_end;
        if closing {
            if let Some(index) = open.iter().rposition(|open| *open == name) {
                open.truncate(index);
            }
            continue;
        }
        if self_closed || VOID.contains(&name.as_str()) {
            continue;
        }
        if matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
            let end = format!("</{name}");
            at = find_ignoring_case(markup, at, &end).unwrap_or(bytes.len());
            continue;
        }
        let name = intern(&name);
        // "<li><p>one<li>two": the second item closes the first and what is open in it.
        if SELF_CLOSING_SIBLINGS.contains(&name) {
            let recent = open.len().saturating_sub(4);
            if let Some(index) = open[recent..].iter().rposition(|open| *open == name) {
                open.truncate(recent + index);
            }
        }
        open.push(name);
        if open.len() > MAX_DEPTH {
            return Err(format!(
                "its elements are nested more than {MAX_DEPTH} levels deep, which no real page \
                 does: the page is damaged or made to slow readers down"
            ));
        }
    }
    Ok(())
}

/// Counts a tag's attributes from just past its name; gives the count, the offset past the
/// tag's `>` and whether it ended with `/>`.
fn scan_attributes(bytes: &[u8], from: usize) -> (usize, usize, bool) {
    let mut count = 0;
    let mut at = from;
    while at < bytes.len() {
        match bytes[at] {
            b'>' => return (count, at + 1, at > 0 && bytes[at - 1] == b'/'),
            b if b.is_ascii_whitespace() || b == b'/' => at += 1,
            b'=' => {
                at += 1;
                while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                match bytes.get(at) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        at = bytes[at + 1..]
                            .iter()
                            .position(|&b| b == quote)
                            .map_or(bytes.len(), |p| at + 1 + p + 1);
                    }
                    _ => {
                        while at < bytes.len()
                            && !bytes[at].is_ascii_whitespace()
                            && bytes[at] != b'>'
                        {
                            at += 1;
                        }
                    }
                }
            }
            _ => {
                count += 1;
                while at < bytes.len()
                    && !bytes[at].is_ascii_whitespace()
                    && !matches!(bytes[at], b'=' | b'>' | b'/')
                {
                    at += 1;
                }
            }
        }
    }
    (count, bytes.len(), false)
}

/// Element names as static strings, so the stack of open elements allocates nothing per tag.
fn intern(name: &str) -> &'static str {
    const KNOWN: [&str; 30] = [
        "li",
        "p",
        "dt",
        "dd",
        "option",
        "tr",
        "td",
        "th",
        "rt",
        "rp",
        "div",
        "span",
        "ul",
        "ol",
        "table",
        "tbody",
        "section",
        "article",
        "main",
        "b",
        "i",
        "em",
        "strong",
        "a",
        "font",
        "blockquote",
        "dl",
        "body",
        "html",
        "head",
    ];
    KNOWN
        .iter()
        .find(|known| **known == name)
        .copied()
        .unwrap_or("other")
}

fn find_ignoring_case(haystack: &str, from: usize, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .get(from..)?
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_pass() {
        let page = "<!DOCTYPE html><html><head><title>T</title><script>if (a<b) {}</script></head>\
                    <body><ul><li>one<li>two</ul><p>a<p>b<br><img src=x alt='y > z'>\
                    <!-- <div><div> --></body></html>";
        assert_eq!(check(page), Ok(()));
    }

    #[test]
    fn many_attributes_or_deep_nesting_are_refused() {
        let attributes: String = (0..MAX_ATTRIBUTES + 1)
            .map(|n| format!(" a{n}=x"))
            .collect();
        assert!(check(&format!("<p{attributes}>x</p>")).is_err());
        let deep = "<div>".repeat(MAX_DEPTH + 1);
        assert!(check(&deep).is_err());
        // Unclosed list items are siblings, not a nest.
        assert_eq!(
            check(&format!("<ul>{}</ul>", "<li>x".repeat(50_000))),
            Ok(())
        );
        assert_eq!(
            check(&format!("<ul>{}</ul>", "<li><p>x".repeat(50_000))),
            Ok(())
        );
        // Closed elements never add up.
        assert_eq!(check(&"<div>x</div>".repeat(50_000)), Ok(()));
    }
}
