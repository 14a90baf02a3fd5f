//! The `.ron` project format: deterministic output, versioned, crash-safe saving, and errors
//! that name the file and line:col. See `docs/project-format.md`.

use super::atomic::{AtomicWriteError, backup_path, write_atomically};
use crate::model::validate::{self, Problem};
use crate::model::{
    Agreement, FORMAT_VERSION, Framework, Initiative, Note, Project, ProjectId, SavedView,
};
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
    /// The text is damaged or not in the normgrid format at `line:col`.
    #[error(
        "{path}:{line}:{col}: {message}{context}{}",
        backup_hint(.backup.as_deref())
    )]
    Syntax {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
        /// The offending line with a caret under the column, then a plain-language hint.
        context: String,
        /// The `.bak` from the previous save, when one sits beside the file.
        backup: Option<PathBuf>,
    },
    #[error(
        "{path}: made with a newer normgrid (format {found}); this build reads up to {supported}. \
         Install a newer normgrid to open it; the file was not changed."
    )]
    NewerFormat {
        path: PathBuf,
        found: u64,
        supported: u32,
    },
    #[error("{path}: format_version {found} is not a normgrid format (versions start at 1)")]
    UnknownFormat { path: PathBuf, found: i64 },
}

fn backup_hint(backup: Option<&Path>) -> String {
    backup.map_or_else(String::new, |backup| {
        format!(
            "\nA backup from the previous save is at {}: open it, or copy it over this file.",
            backup.display()
        )
    })
}

/// Why a project could not be saved. The file on disk is unchanged.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(transparent)]
    Write(#[from] AtomicWriteError),
    #[error("could not save {path}: {message}")]
    Serialize { path: PathBuf, message: String },
    #[error(
        "could not save {path}: the file would be {size} bytes, and normgrid opens project files \
         up to {max} bytes. The file is unchanged; shorten long notes or quotes, or split the \
         project."
    )]
    TooLarge { path: PathBuf, size: u64, max: u64 },
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

/// Parses project bytes; `path` names the source in errors (and its `.bak` is looked for).
pub fn parse_project_bytes(bytes: &[u8], path: &Path) -> Result<Loaded, LoadError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let (line, col) = line_col_of_byte(bytes, error.valid_up_to());
            return Err(syntax_error(
                path,
                &String::from_utf8_lossy(bytes),
                (line, col),
                "file is not valid UTF-8 text".to_owned(),
                "The file holds bytes that are not text here: it may be damaged, or saved by a \
                 program in another encoding. Save it again as UTF-8.",
            ));
        }
    };
    parse_project(text, path)
}

/// Parses project text; `path` names the source in errors (and its `.bak` is looked for).
pub fn parse_project(text: &str, path: &Path) -> Result<Loaded, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let current = i128::from(FORMAT_VERSION);
    // The typed parse reads `format_version` itself, so a current file is parsed once. Only a
    // file it cannot read is probed for its version: a newer or older format then gets its own
    // answer instead of the syntax error its unknown fields cause.
    let project = match parse_current(text, path) {
        Ok(project) => match i128::from(project.format_version) {
            found if found > current => return Err(newer(path, found)),
            found if found < current => {
                migrate::upgrade(i64::from(project.format_version), text, path)?
            }
            _ => project,
        },
        Err(syntax) => match declared_format_version(text) {
            DeclaredVersion::Whole(found) if found > current => return Err(newer(path, found)),
            DeclaredVersion::Whole(found) if found < current => {
                migrate::upgrade(i64::try_from(found).unwrap_or(i64::MIN), text, path)?
            }
            _ => return Err(syntax),
        },
    };
    // A migration must end at the current version.
    if i128::from(project.format_version) != current {
        return Err(LoadError::UnknownFormat {
            path: path.to_path_buf(),
            found: i64::from(project.format_version),
        });
    }
    let problems = validate::problems(&project);
    Ok(Loaded { project, problems })
}

fn newer(path: &Path, found: i128) -> LoadError {
    LoadError::NewerFormat {
        path: path.to_path_buf(),
        found: u64::try_from(found).unwrap_or(u64::MAX),
        supported: FORMAT_VERSION,
    }
}

fn parse_current(text: &str, path: &Path) -> Result<Project, LoadError> {
    parse_typed::<Project>(text, path)
}

/// Parses `text` as `T`, with errors located and explained like every load error.
fn parse_typed<T: serde::de::DeserializeOwned>(text: &str, path: &Path) -> Result<T, LoadError> {
    ron::Options::default()
        .with_recursion_limit(RECURSION_LIMIT)
        .from_str::<T>(text)
        .map_err(|error| {
            let position = past_blanks(text, error.span.start.line, error.span.start.col);
            let hint = hint_for(&error.code, text, position);
            syntax_error(path, text, position, error.code.to_string(), &hint)
        })
}

/// A located error with the offending line, a caret, a hint, and the `.bak` if there is one.
fn syntax_error(
    path: &Path,
    text: &str,
    (line, col): (usize, usize),
    message: String,
    hint: &str,
) -> LoadError {
    let backup = backup_path(path);
    LoadError::Syntax {
        path: path.to_path_buf(),
        line,
        col,
        message,
        context: format!("{}\n{hint}", excerpt_with_caret(text, line, col)),
        backup: backup.is_file().then_some(backup),
    }
}

/// What a person can do about a parse error, in plain words.
fn hint_for(code: &ron::Error, text: &str, (line, col): (usize, usize)) -> String {
    use ron::Error as E;
    let rest = &text[byte_offset_of(text, line, col)..];
    // An error on the last line of a file whose brackets are still open is a file cut short,
    // whatever the parser made of the last fragment.
    let on_last_line = !rest.trim_end().contains('\n');
    let cut_short = on_last_line && brackets_left_open(text);
    if rest.trim().is_empty() || cut_short || matches!(code, E::Eof | E::UnclosedBlockComment) {
        return "The file stops too early: it was probably cut off while being saved, copied \
                or downloaded."
            .to_owned();
    }
    let line_text = text.lines().nth(line.saturating_sub(1)).unwrap_or_default();
    if line_text.trim_start().starts_with("format_version") {
        return format!(
            "format_version is a whole number: write `format_version: {FORMAT_VERSION},` \
             a plain number, without a decimal point or quotes."
        );
    }
    match code {
        E::ExpectedStringEnd if !rest.chars().skip(1).any(|c| c == '"') => {
            "A text value runs to the end of the file: the file was probably cut off while being \
             saved, copied or downloaded."
        }
        E::ExpectedStringEnd => {
            "A text value is not closed: every \" needs a partner, and a \" inside a text must \
             be written \\\"."
        }
        E::MissingStructField { .. } => {
            "A required field is missing here; docs/project-format.md lists the fields."
        }
        E::NoSuchStructField { .. } | E::NoSuchEnumVariant { .. } => {
            "This name is not part of the normgrid format: check its spelling against \
             docs/project-format.md."
        }
        E::DuplicateStructField { .. } => "This field appears twice: keep one of them.",
        E::Message(message) if message.contains("appears twice") => {
            "Two entries have the same id here, perhaps from a copy-paste or a merge: keep one \
             of them, or give the other a new id."
        }
        E::ExceededRecursionLimit => {
            "Brackets are nested far deeper than any project needs: the file is damaged."
        }
        E::Message(_)
        | E::InvalidValueForType { .. }
        | E::ExpectedString
        | E::ExpectedInteger
        | E::ExpectedBoolean
        | E::ExpectedFloat
        | E::ExpectedOption => {
            "The value here is not what this field holds: compare it with the same field \
             elsewhere in the file or in docs/project-format.md."
        }
        _ => {
            "Check the punctuation at the caret: brackets, commas, colons and quotes must match \
             (docs/project-format.md shows the layout)."
        }
    }
    .to_owned()
}

/// RON reports a bad value where it started looking, before the blanks: point at the value.
fn past_blanks(text: &str, line: usize, col: usize) -> (usize, usize) {
    let rest = &text[byte_offset_of(text, line, col)..];
    let line_rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let blanks = line_rest
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .count();
    if blanks < line_rest.chars().count() {
        (line, col + blanks)
    } else {
        (line, col)
    }
}

/// True when `(`, `[` or `{` outside strings and comments outnumber their closers at the end.
fn brackets_left_open(text: &str) -> bool {
    let mut depth: i64 = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                // A string that never closes leaves the file open too.
                let mut closed = false;
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => {
                            closed = true;
                            break;
                        }
                        _ => {}
                    }
                }
                if !closed {
                    return true;
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                chars.find(|&c| c == '\n');
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut previous = ' ';
                let closed = chars.any(|c| {
                    let end = previous == '*' && c == '/';
                    previous = c;
                    end
                });
                if !closed {
                    return true;
                }
            }
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
    }
    depth > 0
}

/// Byte offset of 1-based `line:col` (col in characters), clamped to the text.
fn byte_offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut line_start = 0;
    for _ in 1..line {
        match text[line_start..].find('\n') {
            Some(newline) => line_start += newline + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[line_start..];
    let line_text = &line_text[..line_text.find('\n').unwrap_or(line_text.len())];
    line_text
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(line_start + line_text.len(), |(offset, _)| {
            line_start + offset
        })
}

/// Characters of a long line shown around the error column.
const EXCERPT_WIDTH: usize = 80;

/// `  12 | the line` and a caret line under column `col`, for any line/col (out-of-range values
/// are clamped); tabs and control characters are shown as spaces so the caret lines up, and a
/// long line is cut around the column.
fn excerpt_with_caret(text: &str, line: usize, col: usize) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    // An error after the final newline points at the empty "line" after it: show the last one.
    let mut line = line.clamp(1, lines.len().max(1));
    while line > 1 && lines[line - 1].trim().is_empty() && line == lines.len() {
        line -= 1;
    }
    let chars: Vec<char> = lines
        .get(line - 1)
        .copied()
        .unwrap_or("")
        .trim_end_matches('\r')
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let caret_at = col.saturating_sub(1).min(chars.len());
    let (start, end) = if chars.len() <= EXCERPT_WIDTH {
        (0, chars.len())
    } else {
        let start = caret_at
            .saturating_sub(EXCERPT_WIDTH / 2)
            .min(chars.len() - EXCERPT_WIDTH);
        (start, start + EXCERPT_WIDTH)
    };
    let mut shown: String = chars[start..end].iter().collect();
    let mut caret_column = caret_at - start;
    if start > 0 {
        shown.insert(0, '…');
        caret_column += 1;
    }
    if end < chars.len() {
        shown.push('…');
    }
    let number = line.to_string();
    let gutter = " ".repeat(number.len());
    format!(
        "\n {number} | {shown}\n {gutter} | {}^",
        " ".repeat(caret_column)
    )
}

/// Older formats are upgraded here, one version step at a time, before validation.
mod migrate {
    use super::{LoadError, Path, Project, parse_typed};

    /// Upgrades text written in `version` to the current model.
    pub(super) fn upgrade(version: i64, text: &str, path: &Path) -> Result<Project, LoadError> {
        match version {
            1 => parse_typed::<v1::Project>(text, path).map(Project::from),
            _ => Err(LoadError::UnknownFormat {
                path: path.to_path_buf(),
                found: version,
            }),
        }
    }

    /// Format 1: a cell held one `quote` and one `locator`, and there were no sources.
    mod v1 {
        use crate::model::{
            Agreement, AgreementId, Assessment, CellMap, ElementId, Excerpt, ExcerptId, Framework,
            Initiative, Note, ProjectId, ReviewStatus, SavedView, UniqueRows,
        };
        use chrono::{DateTime, NaiveDate, Utc};
        use serde::Deserialize;

        #[derive(Deserialize)]
        #[serde(deny_unknown_fields, rename = "Project")]
        pub(super) struct Project {
            format_version: u32,
            title: String,
            #[serde(default)]
            description: String,
            as_of: NaiveDate,
            #[serde(default)]
            frameworks: Vec<Framework>,
            #[serde(default)]
            agreements: Vec<Agreement>,
            #[serde(default)]
            initiatives: Vec<Initiative>,
            #[serde(default)]
            notes: Vec<Note>,
            #[serde(default)]
            views: Vec<SavedView>,
            #[serde(default)]
            cells: UniqueRows<Cell>,
        }

        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        pub(super) struct Cell {
            #[serde(default)]
            assessment: Assessment,
            #[serde(default)]
            note: String,
            #[serde(default)]
            quote: String,
            #[serde(default)]
            locator: String,
            #[serde(default)]
            review: ReviewStatus,
            #[serde(default)]
            edited_by: String,
            #[serde(default)]
            edited_at: Option<DateTime<Utc>>,
            #[serde(default)]
            reviewed_by: String,
            #[serde(default)]
            reviewed_at: Option<DateTime<Utc>>,
        }

        impl From<Cell> for crate::model::Cell {
            /// The quote and its locator become one excerpt without a source, id `quote`;
            /// a locator alone is kept too, so nothing typed is lost.
            fn from(old: Cell) -> Self {
                let evidence = if old.quote.is_empty() && old.locator.is_empty() {
                    Vec::new()
                } else {
                    vec![Excerpt::unsourced(
                        ExcerptId::new("quote"),
                        old.quote,
                        old.locator,
                    )]
                };
                Self {
                    assessment: old.assessment,
                    note: old.note,
                    evidence,
                    review: old.review,
                    edited_by: old.edited_by,
                    edited_at: old.edited_at,
                    reviewed_by: old.reviewed_by,
                    reviewed_at: old.reviewed_at,
                }
            }
        }

        impl From<Project> for crate::model::Project {
            fn from(old: Project) -> Self {
                let UniqueRows(rows) = old.cells;
                let cells: CellMap = rows
                    .into_iter()
                    .flat_map(|(agreement, row): (AgreementId, _)| {
                        row.into_iter()
                            .map(move |(element, cell): (ElementId, Cell)| {
                                (agreement.clone(), element, cell.into())
                            })
                    })
                    .collect();
                debug_assert_eq!(old.format_version, 1);
                Self {
                    format_version: crate::model::FORMAT_VERSION,
                    // Derived, not random: two volunteers migrating the same file get the
                    // same id, so their copies still merge and take each other's reviews.
                    id: ProjectId::readable(&old.title, |_| false),
                    title: old.title,
                    description: old.description,
                    as_of: old.as_of,
                    frameworks: old.frameworks,
                    agreements: old.agreements,
                    initiatives: old.initiatives,
                    notes: old.notes,
                    views: old.views,
                    cells,
                    sources: Vec::new(),
                }
            }
        }
    }
}

/// What the `format_version` field holds, as the RON parser reads it.
#[derive(Debug, Default, PartialEq)]
enum DeclaredVersion {
    /// No such field, or the file is not readable RON (the typed parse then says where).
    #[default]
    Unreadable,
    /// A whole number, however it was written: `7`, `+7`, `0x7`, `7.0`, `1_000`.
    Whole(i128),
}

/// Just the version field of a project. Named like the real struct because RON checks a
/// struct name written in the file (`Project(...)`); every other field is skipped.
#[derive(serde::Deserialize)]
#[serde(rename = "Project")]
struct VersionProbe {
    #[serde(default)]
    format_version: DeclaredVersion,
}

impl<'de> serde::Deserialize<'de> for DeclaredVersion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;
        impl serde::de::Visitor<'_> for NumberVisitor {
            type Value = DeclaredVersion;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a version number")
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(DeclaredVersion::Whole(i128::from(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(DeclaredVersion::Whole(i128::from(v)))
            }
            fn visit_u128<E>(self, v: u128) -> Result<Self::Value, E> {
                Ok(DeclaredVersion::Whole(
                    i128::try_from(v).unwrap_or(i128::MAX),
                ))
            }
            fn visit_i128<E>(self, v: i128) -> Result<Self::Value, E> {
                Ok(DeclaredVersion::Whole(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                // 999.0 says 999 as clearly as 999 does; 1.5 is no version at all.
                #[allow(clippy::cast_possible_truncation)]
                let whole = v as i128;
                Ok(if v.is_finite() && whole as f64 == v {
                    DeclaredVersion::Whole(whole)
                } else {
                    DeclaredVersion::Unreadable
                })
            }
        }
        deserializer.deserialize_any(NumberVisitor)
    }
}

/// The `format_version` a file declares, read by the RON parser itself so that comments,
/// strings, raw identifiers and every way of writing a number are understood exactly as the
/// real parse understands them. A newer file is then refused with a clear message instead of
/// a confusing field error.
fn declared_format_version(text: &str) -> DeclaredVersion {
    ron::Options::default()
        .with_recursion_limit(RECURSION_LIMIT)
        .from_str::<VersionProbe>(text)
        .map_or(DeclaredVersion::Unreadable, |probe| probe.format_version)
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
    id: &'a ProjectId,
    title: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    as_of: NaiveDate,
    frameworks: &'a [Framework],
    agreements: &'a [Agreement],
    initiatives: &'a [Initiative],
    notes: &'a [Note],
    // Optional: a project without views re-saves byte for byte as before views existed.
    #[serde(skip_serializing_if = "<[SavedView]>::is_empty")]
    views: &'a [SavedView],
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
        id: &project.id,
        title: &project.title,
        description: &project.description,
        as_of: project.as_of,
        frameworks: &project.frameworks,
        agreements: &project.agreements,
        initiatives: &project.initiatives,
        notes: &project.notes,
        views: &project.views,
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
        out.push_str("    cells: {},\n");
        write_sources(&mut out, project)?;
        out.push_str(")\n");
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
    out.push_str("    },\n");
    write_sources(&mut out, project)?;
    out.push_str(")\n");
    Ok(out)
}

/// Appends the sources after the cells, one text line per line of the file, so that a new
/// version of a source shows in a diff as the lines that changed and never touches a cell.
fn write_sources(out: &mut String, project: &Project) -> Result<(), ron::Error> {
    if project.sources.is_empty() {
        return Ok(());
    }
    let mut sources = String::new();
    write_ron(&mut sources, &project.sources, &pretty_config())?;
    out.reserve(sources.len() + sources.len() / 8);
    out.push_str("    sources: ");
    // RON escapes line breaks inside strings, so every line break here is the layout's own.
    for (index, line) in sources.split('\n').enumerate() {
        if index > 0 {
            out.push_str("\n    ");
        }
        out.push_str(line);
    }
    out.push_str(",\n");
    Ok(())
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
    // A file the loader would refuse is no save at all.
    let size = text.len() as u64;
    if size > MAX_FILE_BYTES {
        return Err(SaveError::TooLarge {
            path: path.to_path_buf(),
            size,
            max: MAX_FILE_BYTES,
        });
    }
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
        use DeclaredVersion::{Unreadable, Whole};
        assert_eq!(
            declared_format_version("(\n    format_version: 7,)"),
            Whole(7)
        );
        assert_eq!(
            declared_format_version("(my_format_version: 7)"),
            Unreadable
        );
        assert_eq!(declared_format_version("(title: \"x\")"), Unreadable);
        assert_eq!(
            declared_format_version("(format_version: 1_000)"),
            Whole(1000)
        );
        assert_eq!(
            declared_format_version("(format_version: 0x3E7)"),
            Whole(999)
        );
        assert_eq!(
            declared_format_version("(format_version: 999.0)"),
            Whole(999)
        );
        assert_eq!(declared_format_version("(format_version: 1.5)"), Unreadable);
        assert_eq!(
            declared_format_version("(format_version: \"7\")"),
            Unreadable
        );
    }

    #[test]
    fn caret_sits_under_the_column_for_any_position() {
        assert_eq!(excerpt_with_caret("ab\ncd", 2, 2), "\n 2 | cd\n   |  ^");
        assert_eq!(excerpt_with_caret("a\tb", 1, 3), "\n 1 | a b\n   |   ^");
        assert_eq!(excerpt_with_caret("ééé", 1, 3), "\n 1 | ééé\n   |   ^");
        // Out of range: clamped, never a panic.
        assert_eq!(excerpt_with_caret("ab\n", 9, 99), "\n 1 | ab\n   |   ^");
        assert_eq!(excerpt_with_caret("", 0, 0), "\n 1 | \n   | ^");
        let long = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let shown = excerpt_with_caret(&long, 1, 501);
        let lines: Vec<&str> = shown.lines().collect();
        let caret = lines[2].chars().count() - 1;
        assert_eq!(lines[1].chars().nth(caret), Some('X'), "{shown}");
        assert!(lines[1].chars().count() < 100);
        assert_eq!(byte_offset_of("ab\nc", 5, 5), 4);
        assert_eq!(byte_offset_of("ab\nc", 1, 9), 2);
    }

    #[test]
    fn open_brackets_are_counted_outside_strings_and_comments() {
        assert!(!brackets_left_open("(a: \"(\", b: [1]) // (\n/* { */"));
        assert!(brackets_left_open("(a: [1, 2]"));
        assert!(brackets_left_open("(a: \"unclosed)"));
        assert!(brackets_left_open("(a: 1) /* unclosed"));
        assert!(!brackets_left_open("(a: \"\\\"\")"));
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col_of_byte(b"ab\ncd", 4), (2, 2));
        assert_eq!(line_col_of_byte(b"x", 0), (1, 1));
    }
}
