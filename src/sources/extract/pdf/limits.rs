//! Explicit limits checked on a PDF's bytes before the parser sees them, so that a hostile
//! file is refused by a rule with a message, not by the stack or the clock.
//!
//! One linear pass over the file's syntax (comments, strings and stream data skipped) finds
//! how deep arrays and dictionaries nest and how many references the longest array holds.
//! Real documents nest a handful of levels and list at most a few thousand kids per page-tree
//! node; the limits are far above both.

/// Deepest nesting of arrays and dictionaries read. hayro stops at 512 when it skips an
/// object, but not on every path; real files stay under 20.
pub const MAX_NESTING: usize = 256;

/// Most indirect references in one array (a page tree's `/Kids`, an `/Annots` list). A page
/// tree node lists its kids; 20,000 pages in one flat list is the most normgrid reads.
pub const MAX_REFERENCES_PER_ARRAY: usize = 20_000;

/// What the scan found beyond a limit.
#[derive(Debug, PartialEq, Eq)]
pub enum OverLimit {
    /// Arrays and dictionaries nested deeper than [`MAX_NESTING`], at this byte offset.
    Nesting { offset: usize },
    /// An array holding more than [`MAX_REFERENCES_PER_ARRAY`] references.
    References { count: usize },
}

impl OverLimit {
    /// Why the file is refused, for the message that names it.
    pub fn reason(&self) -> String {
        match self {
            Self::Nesting { offset } => format!(
                "its objects are nested more than {MAX_NESTING} levels deep (at byte {offset}), \
                 which no real document does: the file is damaged or made to crash readers"
            ),
            Self::References { count } => format!(
                "one of its lists (such as the page tree) holds {count} references, more than the \
                 {MAX_REFERENCES_PER_ARRAY} normgrid reads: split the document into parts"
            ),
        }
    }
}

/// Checks the file's syntax against the limits in one pass: O(file size), no recursion.
pub fn check(bytes: &[u8]) -> Result<(), OverLimit> {
    // For each open array: how many references ("R" tokens) it holds so far.
    let mut open: Vec<Option<usize>> = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'%' => {
                while at < bytes.len() && !matches!(bytes[at], b'\n' | b'\r') {
                    at += 1;
                }
            }
            b'(' => at = skip_literal_string(bytes, at),
            b'<' if bytes.get(at + 1) == Some(&b'<') => {
                open.push(None);
                if open.len() > MAX_NESTING {
                    return Err(OverLimit::Nesting { offset: at });
                }
                at += 2;
                continue;
            }
            b'<' => {
                // A hex string.
                while at < bytes.len() && bytes[at] != b'>' {
                    at += 1;
                }
            }
            b'>' if bytes.get(at + 1) == Some(&b'>') => {
                open.pop();
                at += 2;
                continue;
            }
            b'[' => {
                open.push(Some(0));
                if open.len() > MAX_NESTING {
                    return Err(OverLimit::Nesting { offset: at });
                }
            }
            b']' => {
                open.pop();
            }
            b'R' if is_token(bytes, at, 1) => {
                if let Some(Some(count)) = open.last_mut() {
                    *count += 1;
                    if *count > MAX_REFERENCES_PER_ARRAY {
                        let count = *count + count_more_references(bytes, at + 1);
                        return Err(OverLimit::References { count });
                    }
                }
            }
            b's' if bytes[at..].starts_with(b"stream") && is_token(bytes, at, 6) => {
                // Stream data is bytes, not syntax: jump to its end.
                at = find(bytes, at + 6, b"endstream").map_or(bytes.len(), |end| end + 9);
                // A stream ends its object; nothing stays open across objects.
                open.clear();
                continue;
            }
            b'e' if bytes[at..].starts_with(b"endobj") => open.clear(),
            _ => {}
        }
        at += 1;
    }
    Ok(())
}

/// The offset just past a literal string starting at `start` (balanced parentheses,
/// backslash escapes).
fn skip_literal_string(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut at = start;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return at;
                }
            }
            _ => {}
        }
        at += 1;
    }
    bytes.len()
}

/// Whether `bytes[at..at + len]` stands alone: delimited on both sides.
fn is_token(bytes: &[u8], at: usize, len: usize) -> bool {
    let delimiter = |b: u8| b.is_ascii_whitespace() || b"[]<>()/%{}".contains(&b);
    let before = at == 0 || delimiter(bytes[at - 1]);
    let after = bytes.get(at + len).is_none_or(|&b| delimiter(b));
    before && after
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|window| window == needle)
        .map(|position| from + position)
}

/// How many more references follow in the same array, for the message (bounded work: to the
/// array's end).
fn count_more_references(bytes: &[u8], from: usize) -> usize {
    let end = bytes[from..]
        .iter()
        .position(|&b| b == b']')
        .map_or(bytes.len(), |p| from + p);
    (from..end)
        .filter(|&at| bytes[at] == b'R' && is_token(bytes, at, 1))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_syntax_passes() {
        let file = b"1 0 obj << /Type /Page /Kids [3 0 R 4 0 R] /Name (a [ string ( with ) ] <<) \
                     /Hex <48656c6c6f> >> endobj 2 0 obj << /Length 3 >> stream\n[[[\nendstream endobj";
        assert_eq!(check(file), Ok(()));
    }

    #[test]
    fn deep_nesting_and_long_reference_lists_are_over_the_limits() {
        let deep = format!("<< /A {} >>", "[".repeat(MAX_NESTING + 1));
        assert!(matches!(
            check(deep.as_bytes()),
            Err(OverLimit::Nesting { .. })
        ));
        let kids = format!(
            "<< /Kids [{}] >>",
            "3 0 R ".repeat(MAX_REFERENCES_PER_ARRAY + 5)
        );
        assert_eq!(
            check(kids.as_bytes()),
            Err(OverLimit::References {
                count: MAX_REFERENCES_PER_ARRAY + 5
            })
        );
        // Brackets inside strings, comments and stream data are not syntax.
        let hidden = format!(
            "({}) % {}\n<< /Length 1 >> stream\n{}\nendstream",
            "[".repeat(1000),
            "[".repeat(1000),
            "[".repeat(1000)
        );
        assert_eq!(check(hidden.as_bytes()), Ok(()));
    }
}
