//! Sources: the text of an agreement (or of a report that quotes it), extracted once from
//! the original file and stored in the project so that every quote can be read in context.

use super::ids::{AgreementId, SourceId};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What the original file was.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum SourceKind {
    Pdf,
    Docx,
    Html,
    #[default]
    Text,
    Markdown,
}

impl SourceKind {
    /// Short name for lists ("PDF").
    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Docx => "DOCX",
            Self::Html => "HTML",
            Self::Text => "TXT",
            Self::Markdown => "Markdown",
        }
    }

    /// The kind a file name's extension says, if normgrid reads it.
    pub fn from_file_name(name: &str) -> Option<Self> {
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "pdf" => Some(Self::Pdf),
            "docx" => Some(Self::Docx),
            "html" | "htm" | "xhtml" => Some(Self::Html),
            "txt" | "text" => Some(Self::Text),
            "md" | "markdown" => Some(Self::Markdown),
            _ => None,
        }
    }
}

/// The extracted text of one original file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: SourceId,
    /// The agreement whose text this is; `None` for a project-level source such as the
    /// report whose quotes the sample's evidence comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<AgreementId>,
    pub title: String,
    /// Name of the original file, without its folder.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub file_name: String,
    #[serde(default)]
    pub kind: SourceKind,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// When the original was retrieved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<NaiveDate>,
    /// sha256 of the original file's bytes, lowercase hex: says which version was read.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sha256: String,
    /// Byte offset in `text` where each page starts (the first is 0); empty when the
    /// original had no pages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<usize>,
    /// The plain text. Written one line per string, so that a new version of a source
    /// diffs line by line instead of as one long line.
    #[serde(
        serialize_with = "serialize_lines",
        deserialize_with = "deserialize_lines"
    )]
    pub text: String,
}

impl Source {
    /// The 1-based page holding byte `offset`, when the source has pages.
    pub fn page_at(&self, offset: usize) -> Option<usize> {
        if self.pages.is_empty() {
            return None;
        }
        Some(self.pages.partition_point(|&start| start <= offset).max(1))
    }

    /// Byte range of page `page` (1-based).
    pub fn page_range(&self, page: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.pages.get(page.checked_sub(1)?)?;
        let end = self.pages.get(page).copied().unwrap_or(self.text.len());
        Some(start.min(self.text.len())..end.min(self.text.len()).max(start.min(self.text.len())))
    }
}

fn serialize_lines<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(text.split('\n'))
}

fn deserialize_lines<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let lines = Vec::<String>::deserialize(deserializer)?;
    Ok(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_through_lines_including_blank_and_trailing_lines() {
        for text in ["", "one", "one\n", "a\n\nb\n\n", "\n"] {
            let source = Source {
                id: SourceId::new("s"),
                agreement: None,
                title: "t".to_owned(),
                file_name: String::new(),
                kind: SourceKind::Text,
                url: String::new(),
                retrieved: None,
                sha256: String::new(),
                pages: Vec::new(),
                text: text.to_owned(),
            };
            let written = ron::to_string(&source).unwrap_or_default();
            let read: Source = ron::from_str(&written).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(read.text, text, "{written}");
        }
    }

    #[test]
    fn pages_are_found_by_offset() {
        let mut source = Source {
            id: SourceId::new("s"),
            agreement: None,
            title: String::new(),
            file_name: String::new(),
            kind: SourceKind::Pdf,
            url: String::new(),
            retrieved: None,
            sha256: String::new(),
            pages: vec![0, 10, 20],
            text: "x".repeat(30),
        };
        assert_eq!(source.page_at(0), Some(1));
        assert_eq!(source.page_at(10), Some(2));
        assert_eq!(source.page_at(29), Some(3));
        assert_eq!(source.page_range(2), Some(10..20));
        assert_eq!(source.page_range(3), Some(20..30));
        assert_eq!(source.page_range(4), None);
        source.pages.clear();
        assert_eq!(source.page_at(5), None);
    }
}
