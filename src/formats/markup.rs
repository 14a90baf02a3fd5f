//! The one escape for XML and HTML text, shared by the SVG charts, the HTML report and any
//! other markup normgrid writes, so they agree on what a name or note may turn into.

use crate::model::text::without_forbidden_controls;

/// `text` safe as XML or HTML text and inside a double-quoted attribute: `&`, `<`, `>` and `"`
/// become entities, and forbidden control characters become U+FFFD so every file parses.
pub fn escape(text: &str) -> String {
    let clean = without_forbidden_controls(text);
    let mut out = String::with_capacity(clean.len());
    for c in clean.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_replaces_control_characters() {
        assert_eq!(
            escape(r#"<a href="x">Tom & "Jerry"</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &quot;Jerry&quot;&lt;/a&gt;"
        );
        assert_eq!(escape("bell\u{7}"), "bell\u{FFFD}");
        // An entity already in the text is text, so its `&` is escaped once more.
        assert_eq!(escape("&amp;"), "&amp;amp;");
        assert_eq!(escape("Straße 'quoted' ok"), "Straße 'quoted' ok");
    }
}
