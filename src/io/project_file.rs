//! The `.ron` project format: deterministic output, versioned, crash-safe saving, and errors
//! that name the file and line:col. See `docs/project-format.md`.

use super::atomic::{AtomicWriteError, write_atomically};
use crate::model::validate::{self, Problem};
use crate::model::{Agreement, FORMAT_VERSION, Framework, Initiative, Note, Project};
use chrono::NaiveDate;
use ron::ser::PrettyConfig;
use serde::Serialize;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Deepest nesting the parser accepts; real projects nest about 6 levels.
pub const RECURSION_LIMIT: usize = 64;

/// A project read from disk, with what validation found.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub project: Project,
    /// Orphans, duplicate ids and dangling references. The project is still usable.
    pub problems: Vec<Problem>,
}

/// Why a project file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: could not read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: file is {size} bytes; normgrid opens project files up to {max} bytes")]
    TooLarge { path: PathBuf, size: u64, max: u64 },
    #[error("{path}:{line}:{col}: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    #[error(
        "{path}: made with a newer normgrid (format {found}); this build reads up to {supported}"
    )]
    NewerFormat {
        path: PathBuf,
        found: u64,
        supported: u32,
    },
    #[error("{path}: format_version {found} is not a normgrid format (versions start at 1)")]
    UnknownFormat { path: PathBuf, found: u64 },
}

/// Why a project could not be saved. The file on disk is unchanged.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("could not save: {0}")]
    Write(#[from] AtomicWriteError),
    #[error("could not save {path}: {message}")]
    Serialize { path: PathBuf, message: String },
}

/// Reads, migrates and validates a project file.
pub fn load_project(path: &Path) -> Result<Loaded, LoadError> {
    let bytes = read_project_file(path)?;
    parse_project_bytes(&bytes, path)
}

/// Reads a project file's bytes, refusing files over [`MAX_FILE_BYTES`] before reading them.
pub fn read_project_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    let read_error = |source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let size = file.metadata().map_err(read_error)?.len();
    if size > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size,
            max: MAX_FILE_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // The file may grow between stat and read; never read past the cap.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            max: MAX_FILE_BYTES,
        });
    }
    Ok(bytes)
}

/// Parses project bytes; `path` is only used to name the source in errors.
pub fn parse_project_bytes(bytes: &[u8], path: &Path) -> Result<Loaded, LoadError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let (line, col) = line_col_of_byte(bytes, error.valid_up_to());
            return Err(LoadError::Syntax {
                path: path.to_path_buf(),
                line,
                col,
                message: "file is not valid UTF-8 text".to_owned(),
            });
        }
    };
    parse_project(text, path)
}

/// Parses project text; `path` is only used to name the source in errors.
pub fn parse_project(text: &str, path: &Path) -> Result<Loaded, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let project = match declared_format_version(text) {
        Some(found) if found > u64::from(FORMAT_VERSION) => {
            return Err(LoadError::NewerFormat {
                path: path.to_path_buf(),
                found,
                supported: FORMAT_VERSION,
            });
        }
        Some(found) if found < u64::from(FORMAT_VERSION) => migrate::upgrade(found, text, path)?,
        // Current version, or none declared: the typed parse reports a missing field precisely.
        _ => parse_current(text, path)?,
    };
    let problems = validate::problems(&project);
    Ok(Loaded { project, problems })
}

fn parse_current(text: &str, path: &Path) -> Result<Project, LoadError> {
    ron::Options::default()
        .with_recursion_limit(RECURSION_LIMIT)
        .from_str::<Project>(text)
        .map_err(|error| LoadError::Syntax {
            path: path.to_path_buf(),
            line: error.span.start.line,
            col: error.span.start.col,
            message: error.code.to_string(),
        })
}

/// Older formats are upgraded here, one version step at a time, before validation.
mod migrate {
    use super::{LoadError, Path, Project};

    /// Upgrades text written in `version` to the current model.
    ///
    /// Format 1 is the first format, so there is nothing older to upgrade yet. When format 2
    /// arrives, the format-1 structs move into `v1` here with a `From<v1::Project>` for the
    /// next version, and this match gains `1 => parse v1, then convert`.
    pub(super) fn upgrade(version: u64, _text: &str, path: &Path) -> Result<Project, LoadError> {
        Err(LoadError::UnknownFormat {
            path: path.to_path_buf(),
            found: version,
        })
    }
}

/// The `format_version` a file declares, found without parsing the whole file so that a
/// newer file is refused with a clear message instead of a confusing field error.
fn declared_format_version(text: &str) -> Option<u64> {
    const KEY: &str = "format_version";
    let mut search_from = 0;
    while let Some(offset) = text[search_from..].find(KEY) {
        let start = search_from + offset;
        let after = &text[start + KEY.len()..];
        search_from = start + KEY.len();
        let before_ok = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| c == '(' || c == ',' || c.is_whitespace());
        let Some(rest) = after.trim_start().strip_prefix(':') else {
            continue;
        };
        let digits: String = rest
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if before_ok && !digits.is_empty() {
            return Some(digits.parse().unwrap_or(u64::MAX));
        }
    }
    None
}

fn line_col_of_byte(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, col)
}

/// Everything but the cells, in file order. Cells are written by hand below so that each
/// cell sits on one line: a diff of two volunteers' edits then touches only their cells.
#[derive(Serialize)]
struct FileHead<'a> {
    format_version: u32,
    title: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    as_of: NaiveDate,
    frameworks: &'a [Framework],
    agreements: &'a [Agreement],
    initiatives: &'a [Initiative],
    notes: &'a [Note],
}

fn pretty_config() -> PrettyConfig {
    PrettyConfig::new()
        .new_line("\n")
        .indentor("    ")
        .struct_names(false)
}

/// The canonical file text: same project, same bytes, on every platform.
pub fn project_to_ron(project: &Project) -> Result<String, ron::Error> {
    let head = FileHead {
        format_version: project.format_version,
        title: &project.title,
        description: &project.description,
        as_of: project.as_of,
        frameworks: &project.frameworks,
        agreements: &project.agreements,
        initiatives: &project.initiatives,
        notes: &project.notes,
    };
    let mut out = ron::ser::to_string_pretty(&head, pretty_config())?;
    // The pretty head ends with ")": reopen it to append the cells field.
    if out.ends_with(')') {
        out.pop();
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    if project.cells.is_empty() {
        out.push_str("    cells: {},\n)\n");
        return Ok(out);
    }
    out.reserve(project.cells.len() * 96);
    out.push_str("    cells: {\n");
    let one_line = pretty_config().depth_limit(0);
    for (agreement, row) in project.cells.rows() {
        out.push_str("        ");
        write_ron(&mut out, agreement, &one_line)?;
        out.push_str(": {\n");
        for (element, cell) in row {
            out.push_str("            ");
            write_ron(&mut out, element, &one_line)?;
            out.push_str(": ");
            write_ron(&mut out, cell, &one_line)?;
            out.push_str(",\n");
        }
        out.push_str("        },\n");
    }
    out.push_str("    },\n)\n");
    Ok(out)
}

fn write_ron(
    out: &mut String,
    value: &impl Serialize,
    config: &PrettyConfig,
) -> Result<(), ron::Error> {
    let mut serializer = ron::Serializer::new(&mut *out, Some(config.clone()))?;
    value.serialize(&mut serializer)
}

/// Writes the project atomically, keeping the previous file as `<name>.bak`.
/// Returns the text written, so callers can remember what is on disk.
pub fn save_project(path: &Path, project: &Project) -> Result<String, SaveError> {
    let text = project_to_ron(project).map_err(|error| SaveError::Serialize {
        path: path.to_path_buf(),
        message: error.to_string(),
    })?;
    write_atomically(path, text.as_bytes(), true)?;
    Ok(text)
}

/// A fingerprint of file content, to notice when someone else changed a file on disk.
pub fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_declared_version() {
        assert_eq!(
            declared_format_version("(\n    format_version: 7,"),
            Some(7)
        );
        assert_eq!(declared_format_version("(my_format_version: 7)"), None);
        assert_eq!(declared_format_version("(title: \"x\")"), None);
        assert_eq!(
            declared_format_version("(format_version: 99999999999999999999999)"),
            Some(u64::MAX)
        );
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col_of_byte(b"ab\ncd", 4), (2, 2));
        assert_eq!(line_col_of_byte(b"x", 0), (1, 1));
    }
}
