//! TEMPORARY stand-in (TXT/Markdown only) until the extraction branch lands.

use crate::model::SourceKind;
use std::path::{Path, PathBuf};

/// Text extracted from one original file.
pub struct Extracted {
    pub kind: SourceKind,
    pub text: String,
    pub pages: Vec<usize>,
    pub title: Option<String>,
    pub sha256: String,
    pub notes: Vec<String>,
}

/// Why a file's text could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("{path}: {message}")]
    Other { path: PathBuf, message: String },
}

/// Reads a file's text.
pub fn extract_file(path: &Path) -> Result<Extracted, ExtractError> {
    let error = |message: String| ExtractError::Other {
        path: path.to_path_buf(),
        message,
    };
    let bytes = std::fs::read(path).map_err(|e| error(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|e| error(e.to_string()))?;
    Ok(Extracted {
        kind: SourceKind::Text,
        text,
        pages: Vec::new(),
        title: None,
        sha256: String::new(),
        notes: Vec::new(),
    })
}
