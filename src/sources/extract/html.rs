//! Saved web pages as sources: the page's own text, without its navigation and scripts.
//!
//! Parsed with `scraper`, which runs html5ever (Servo's implementation of the HTML5 parsing
//! algorithm): saved pages are often invalid markup, and html5ever repairs it the way a
//! browser does, decodes every named entity, and is maintained by the rust-scraper and
//! Servo projects. A hand-written or XML parser would lose text on unclosed tags.

use super::{ExtractError, RawText};
use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node};

/// Elements whose content is never article text.
const SKIPPED: [&str; 17] = [
    "script", "style", "nav", "footer", "aside", "noscript", "form", "template", "iframe", "svg",
    "button", "select", "head", "object", "canvas", "dialog", "menu",
];

/// ARIA roles of page furniture (site navigation, banner, footer, search box).
const SKIPPED_ROLES: [&str; 4] = ["navigation", "banner", "contentinfo", "search"];

/// Elements that start and end a line.
const BLOCKS: [&str; 38] = [
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
    "option",
];

pub(super) fn extract(bytes: &[u8], file: &str) -> Result<RawText, ExtractError> {
    let mut notes = Vec::new();
    let source = decode(bytes, &mut notes);
    super::html_limits::check(&source).map_err(|detail| ExtractError::Corrupt {
        file: file.to_owned(),
        kind: "a web page",
        detail,
    })?;
    let document = Html::parse_document(&source);
    let root = document.root_element();
    let title = root
        .descendent_elements()
        .find(|element| element.value().name() == "title")
        .map(|title| title.text().collect::<String>());
    let body = root
        .descendent_elements()
        .find(|element| element.value().name() == "body")
        .unwrap_or(root);
    let main = root
        .descendent_elements()
        .find(|element| element.value().name() == "main");
    let articles: Vec<ElementRef<'_>> = root
        .descendent_elements()
        .filter(|element| element.value().name() == "article")
        .collect();
    let content = main.or(match articles.as_slice() {
        [only] => Some(*only),
        _ => None,
    });
    let mut text = match content {
        // The page's own header (site banner) is outside <main>; one inside it is the
        // article's heading, so it is kept.
        Some(content) => text_of(*content, true),
        None => String::new(),
    };
    if text.trim().is_empty() {
        text = text_of(*body, false);
    } else if let Some(content) = content {
        notes.push(format!("read the page's <{}> only", content.value().name()));
    }
    Ok(RawText {
        pages: vec![text],
        title,
        notes,
    })
}

/// The page as text: UTF-8 or UTF-16 by byte order mark, else the declared charset, else
/// UTF-8, else Windows-1252 (what browsers assume for old pages).
fn decode(bytes: &[u8], notes: &mut Vec<String>) -> String {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom_length..])
            .0
            .into_owned();
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_owned();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let declared = head.split("charset=").nth(1).and_then(|rest| {
        let label: String = rest
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
            .collect();
        encoding_rs::Encoding::for_label(label.as_bytes())
    });
    let encoding = declared.unwrap_or(encoding_rs::WINDOWS_1252);
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if encoding == encoding_rs::UTF_8 {
        notes.push(
            "the page declares UTF-8 but holds bytes that are not UTF-8; each was replaced \
             with \u{fffd}"
                .to_owned(),
        );
    } else {
        notes.push(format!("read as {} (not UTF-8)", encoding.name()));
        if had_errors {
            notes.push("replaced invalid characters with \u{fffd}".to_owned());
        }
    }
    text.into_owned()
}

/// Visible text under `root`: blocks become lines, `<br>` a line break, table cells are
/// separated by tabs, whitespace is collapsed as a browser does except in `<pre>`.
fn text_of(root: NodeRef<'_, Node>, keep_headers: bool) -> String {
    enum Step<'a> {
        Enter(NodeRef<'a, Node>),
        Leave { block: bool, pre: bool },
    }
    let mut out = LineWriter::default();
    // An explicit stack: a hostile page nested a million deep must not overflow ours.
    let mut stack = vec![Step::Enter(root)];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Enter(node) => node,
            Step::Leave { block, pre } => {
                if block {
                    out.line_break();
                }
                if pre {
                    out.pre_depth -= 1;
                }
                continue;
            }
        };
        match node.value() {
            Node::Text(text) => out.text(&text.text),
            Node::Element(element) => {
                let name = element.name();
                let role = element.attr("role").unwrap_or("");
                let hidden =
                    element.attr("hidden").is_some() || element.attr("aria-hidden") == Some("true");
                if SKIPPED.contains(&name)
                    || SKIPPED_ROLES.contains(&role)
                    || hidden
                    || (name == "header" && !keep_headers)
                {
                    continue;
                }
                match name {
                    "br" => out.hard_break(),
                    "td" | "th" => out.cell_break(),
                    _ => {}
                }
                let block = BLOCKS.contains(&name);
                let pre = matches!(name, "pre" | "textarea" | "listing");
                if block {
                    out.line_break();
                }
                if pre {
                    out.pre_depth += 1;
                }
                stack.push(Step::Leave { block, pre });
                // Reversed, so that the first child is popped first.
                let children: Vec<NodeRef<'_, Node>> = node.children().collect();
                stack.extend(children.into_iter().rev().map(Step::Enter));
            }
            Node::Document | Node::Fragment => {
                let children: Vec<NodeRef<'_, Node>> = node.children().collect();
                stack.extend(children.into_iter().rev().map(Step::Enter));
            }
            _ => {}
        }
    }
    out.text
}

/// Builds text the way a browser lays out inline content in lines.
#[derive(Default)]
struct LineWriter {
    text: String,
    /// Whitespace was seen and not yet written: one space goes before the next word.
    pending_space: bool,
    /// Inside `<pre>`: whitespace is kept as written.
    pre_depth: usize,
}

impl LineWriter {
    fn text(&mut self, content: &str) {
        if self.pre_depth > 0 {
            self.text.push_str(content);
            self.pending_space = false;
            return;
        }
        for c in content.chars() {
            // HTML collapses ASCII whitespace only: a no-break space stays.
            if c.is_ascii_whitespace() {
                self.pending_space = true;
                continue;
            }
            if self.pending_space && !self.text.is_empty() && !self.text.ends_with(['\n', '\t']) {
                self.text.push(' ');
            }
            self.pending_space = false;
            self.text.push(c);
        }
    }

    /// Ends the current line, unless it is empty.
    fn line_break(&mut self) {
        self.pending_space = false;
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    /// `<br>`: always a new line, even an empty one.
    fn hard_break(&mut self) {
        self.pending_space = false;
        self.text.push('\n');
    }

    /// A table cell after the first on its row.
    fn cell_break(&mut self) {
        self.pending_space = false;
        if !self.text.is_empty() && !self.text.ends_with(['\n', '\t']) {
            self.text.push('\t');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extracted(html: &str) -> (String, Option<String>) {
        match extract(html.as_bytes(), "page.html") {
            Ok(raw) => (raw.pages.concat(), raw.title),
            Err(error) => panic!("{error}"),
        }
    }

    #[test]
    fn noise_is_dropped_and_blocks_become_lines() {
        let (text, title) = extracted(
            "<html><head><title> The  Call </title><style>p{}</style></head><body>\
             <header>Site banner</header><nav>Home | About</nav>\
             <div role=\"navigation\">Menu</div><script>var x = 1;</script>\
             <h1>Paris   Call</h1><p>We &amp; they<br>affirm&nbsp;rights.</p>\
             <ul><li>one</li><li>two</li></ul>\
             <table><tr><td>a</td><td>b</td></tr></table>\
             <pre>keep   this\n  layout</pre><footer>© 2018</footer></body></html>",
        );
        assert_eq!(title.as_deref(), Some(" The  Call "));
        assert_eq!(
            text,
            "Paris Call\nWe & they\naffirm\u{a0}rights.\none\ntwo\na\tb\nkeep   this\n  layout\n"
        );
    }

    #[test]
    fn main_is_preferred_and_its_header_kept() {
        let (text, _) = extracted(
            "<body><p>Cookie notice</p><main><header><h1>Norm 5</h1></header>\
             <p>Text.</p><aside>Related</aside></main><p>Share</p></body>",
        );
        assert_eq!(text, "Norm 5\nText.\n");
    }

    #[test]
    fn an_empty_main_falls_back_to_the_body() {
        let (text, _) = extracted("<body><main> </main><p>Body text</p></body>");
        assert_eq!(text, "Body text\n");
    }

    #[test]
    fn deep_nesting_is_refused_by_a_limit_and_moderate_nesting_is_read() {
        let nested =
            |depth: usize| format!("{}deep{}", "<div>".repeat(depth), "</div>".repeat(depth));
        let (text, _) = extracted(&nested(1_500));
        assert_eq!(text.trim(), "deep");
        let refused = extract(nested(100_000).as_bytes(), "page.html")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            refused.starts_with("page.html could not be read"),
            "{refused}"
        );
        assert!(
            refused.contains("nested more than 2000 levels"),
            "{refused}"
        );
    }

    #[test]
    fn latin1_pages_are_decoded_by_their_charset() {
        let bytes = b"<meta charset=\"iso-8859-1\"><p>caf\xe9</p>";
        let raw = extract(bytes, "old.html").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(raw.pages.concat(), "caf\u{e9}\n");
        assert_eq!(
            raw.notes,
            vec!["read as windows-1252 (not UTF-8)".to_owned()]
        );
    }
}
