//! Bringing spreadsheet work in: CSV in the long layout (one row per cell) or the wide layout
//! (agreements × elements), as [`super::csv_export`] writes them or as people type them.
//!
//! Rows and columns are matched by id when the CSV carries ids, and by name otherwise; a name
//! that could mean two things is a problem to report, never a guess. Every problem is reported
//! with its line, and nothing is skipped silently.

use crate::commands::{Command, CommandError};
use crate::io::csv_export::{
    LONG_HEADER, WIDE_ELEMENT_ID_ROW, WIDE_FRAMEWORK_ID_ROW, formula_unguarded,
};
use crate::model::text::{first_forbidden_control, without_forbidden_controls};
use crate::model::{
    Agreement, AgreementId, Assessment, Element, ElementId, Framework, Project, ReviewStatus,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read as _;

/// One thing wrong with one line of the CSV.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportProblem {
    /// 1-based line in the file.
    pub line: usize,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// What an import would change.
#[derive(Clone, Debug)]
pub struct CsvImport {
    /// One undoable step with every cell change.
    pub command: Command,
    /// How many cells the command changes.
    pub changed_cells: usize,
    /// Every problem found, by line; the lines with problems are not in `command`.
    pub problems: Vec<ImportProblem>,
}

/// Why an import was not written. The project file is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum ImportWriteError {
    #[error("the import could not be applied ({0}); nothing was written")]
    Apply(#[from] CommandError),
    #[error("the imported project could not be written as RON ({0}); nothing was written")]
    Serialize(String),
    #[error(
        "with this import the project file would be at least {size} bytes, over the {max} bytes \
         normgrid opens, so nothing was written; import shorter notes and quotes, or split the project"
    )]
    TooLarge { size: u64, max: u64 },
}

/// Text compared case-insensitively and without surrounding spaces: two names that fold to
/// the same text cannot tell two things apart. Control characters fold as the export writes
/// them, so an old name holding one still matches its own export.
fn fold(text: &str) -> String {
    without_forbidden_controls(text).trim().to_lowercase()
}

fn add_name(index: &mut HashMap<String, Vec<usize>>, name: &str, position: usize) {
    let key = fold(name);
    if key.is_empty() {
        return;
    }
    let positions = index.entry(key).or_default();
    if !positions.contains(&position) {
        positions.push(position);
    }
}

/// Candidates for `name`: everything whose folded name matches, plus an exact id match.
fn candidates(
    names: &HashMap<String, Vec<usize>>,
    ids: &HashMap<&str, usize>,
    name: &str,
) -> Vec<usize> {
    let mut found = names.get(&fold(name)).cloned().unwrap_or_default();
    if let Some(&position) = ids.get(name)
        && !found.contains(&position)
    {
        found.push(position);
    }
    found
}

fn agreement_named(agreement: &Agreement, name: &str) -> bool {
    let name_key = fold(name);
    agreement.id.as_str() == name
        || fold(&agreement.short_name) == name_key
        || fold(&agreement.name) == name_key
}

fn element_named(element: &Element, name: &str) -> bool {
    let name_key = fold(name);
    element.id.as_str() == name
        || fold(&element.display_name()) == name_key
        || fold(&element.name) == name_key
        || (!element.label.trim().is_empty() && fold(&element.label) == name_key)
}

fn framework_named(framework: &Framework, name: &str) -> bool {
    framework.id.as_str() == name || fold(&framework.name) == fold(name)
}

/// Finds agreements, frameworks and elements by id or by name, and says why when it cannot.
struct Lookup<'a> {
    project: &'a Project,
    agreement_ids: HashMap<&'a str, usize>,
    agreement_names: HashMap<String, Vec<usize>>,
    framework_ids: HashMap<&'a str, usize>,
    framework_names: HashMap<String, Vec<usize>>,
    /// Every element with the position of its framework.
    elements: Vec<(usize, &'a Element)>,
    element_ids: HashMap<&'a str, usize>,
    element_names: HashMap<String, Vec<usize>>,
}

impl<'a> Lookup<'a> {
    fn new(project: &'a Project) -> Self {
        let mut lookup = Self {
            project,
            agreement_ids: HashMap::new(),
            agreement_names: HashMap::new(),
            framework_ids: HashMap::new(),
            framework_names: HashMap::new(),
            elements: Vec::new(),
            element_ids: HashMap::new(),
            element_names: HashMap::new(),
        };
        for (position, agreement) in project.agreements.iter().enumerate() {
            lookup.agreement_ids.insert(agreement.id.as_str(), position);
            add_name(&mut lookup.agreement_names, &agreement.short_name, position);
            add_name(&mut lookup.agreement_names, &agreement.name, position);
        }
        for (framework_position, framework) in project.frameworks.iter().enumerate() {
            lookup
                .framework_ids
                .insert(framework.id.as_str(), framework_position);
            add_name(
                &mut lookup.framework_names,
                &framework.name,
                framework_position,
            );
            for element in &framework.elements {
                let position = lookup.elements.len();
                lookup.elements.push((framework_position, element));
                lookup.element_ids.insert(element.id.as_str(), position);
                add_name(&mut lookup.element_names, &element.display_name(), position);
                add_name(&mut lookup.element_names, &element.name, position);
                add_name(&mut lookup.element_names, &element.label, position);
            }
        }
        lookup
    }

    fn describe_agreement(&self, position: usize) -> String {
        let agreement = &self.project.agreements[position];
        format!(
            "`{}` ({}, id `{}`)",
            agreement.short_name, agreement.name, agreement.id
        )
    }

    fn describe_element(&self, position: usize) -> String {
        let (framework, element) = self.elements[position];
        format!(
            "`{}` in framework `{}` (id `{}`)",
            element.display_name(),
            self.project.frameworks[framework].name,
            element.id
        )
    }

    /// The agreement a row means: by `id` when filled in (the name must then agree), else by
    /// `name`, which must match exactly one agreement.
    fn agreement(&self, id: &str, name: &str) -> Result<AgreementId, String> {
        let (id, name) = (id.trim(), name.trim());
        if !id.is_empty() {
            let Some(&position) = self.agreement_ids.get(id) else {
                return Err(format!(
                    "unknown agreement id `{id}`; ids are never matched as names, so correct \
                     the id or empty it to go by the agreement name"
                ));
            };
            let agreement = &self.project.agreements[position];
            if !name.is_empty() && !agreement_named(agreement, name) {
                return Err(format!(
                    "agreement id `{id}` is {}, but the agreement column says `{name}`; correct \
                     one of them, or empty the agreement cell to go by the id",
                    self.describe_agreement(position)
                ));
            }
            return Ok(agreement.id.clone());
        }
        if name.is_empty() {
            return Err("no agreement: fill in `agreement id` or `agreement`".to_owned());
        }
        match candidates(&self.agreement_names, &self.agreement_ids, name)[..] {
            [] => Err(format!("unknown agreement `{name}`")),
            [position] => Ok(self.project.agreements[position].id.clone()),
            ref several => Err(format!(
                "ambiguous agreement `{name}`: it matches {}; add an `agreement id` column \
                 (as `normgrid export csv` writes) to say which",
                several
                    .iter()
                    .map(|&p| self.describe_agreement(p))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )),
        }
    }

    /// The framework a row or column names, if any: by `id` when filled in, else by `name`.
    fn framework(&self, id: &str, name: &str) -> Result<Option<usize>, String> {
        let (id, name) = (id.trim(), name.trim());
        if !id.is_empty() {
            let Some(&position) = self.framework_ids.get(id) else {
                return Err(format!("unknown framework id `{id}`"));
            };
            let framework = &self.project.frameworks[position];
            if !name.is_empty() && !framework_named(framework, name) {
                return Err(format!(
                    "framework id `{id}` is `{}`, but the framework column says `{name}`; \
                     correct one of them, or empty the framework cell",
                    framework.name
                ));
            }
            return Ok(Some(position));
        }
        if name.is_empty() {
            return Ok(None);
        }
        match candidates(&self.framework_names, &self.framework_ids, name)[..] {
            [] => Err(format!("unknown framework `{name}`")),
            [position] => Ok(Some(position)),
            ref several => Err(format!(
                "ambiguous framework `{name}`: it matches the frameworks with ids {}; add a \
                 `framework id` column to say which",
                several
                    .iter()
                    .map(|&p| format!("`{}`", self.project.frameworks[p].id))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )),
        }
    }

    /// The element a row or column means: by `id` when filled in (name and framework must
    /// then agree), else by `name` within `framework` (all frameworks when `None`), which
    /// must match exactly one element.
    fn element(&self, id: &str, name: &str, framework: Option<usize>) -> Result<ElementId, String> {
        let (id, name) = (id.trim(), name.trim());
        if !id.is_empty() {
            let Some(&position) = self.element_ids.get(id) else {
                return Err(format!(
                    "unknown element id `{id}`; ids are never matched as names, so correct the \
                     id or empty it to go by the element name"
                ));
            };
            let (own_framework, element) = self.elements[position];
            if let Some(framework) = framework
                && framework != own_framework
            {
                return Err(format!(
                    "element id `{id}` belongs to framework `{}`, not `{}`",
                    self.project.frameworks[own_framework].id,
                    self.project.frameworks[framework].id
                ));
            }
            if !name.is_empty() && !element_named(element, name) {
                return Err(format!(
                    "element id `{id}` is {}, but the element column says `{name}`; correct \
                     one of them, or empty the element cell to go by the id",
                    self.describe_element(position)
                ));
            }
            return Ok(element.id.clone());
        }
        if name.is_empty() {
            return Err("no element: fill in `element id` or `element`".to_owned());
        }
        let found: Vec<usize> = candidates(&self.element_names, &self.element_ids, name)
            .into_iter()
            .filter(|&p| framework.is_none_or(|f| self.elements[p].0 == f))
            .collect();
        match found[..] {
            [] => Err(match framework {
                Some(f) => format!(
                    "unknown element `{name}` in framework `{}`",
                    self.project.frameworks[f].id
                ),
                None => format!("unknown element `{name}`"),
            }),
            [position] => Ok(self.elements[position].1.id.clone()),
            ref several => Err(format!(
                "ambiguous element `{name}`: it matches {}; add an `element id` column (as \
                 `normgrid export csv` writes) or a framework id to say which",
                several
                    .iter()
                    .map(|&p| self.describe_element(p))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )),
        }
    }
}

fn parse_review(text: &str) -> Option<ReviewStatus> {
    let text = text.trim();
    if text.is_empty() {
        return Some(ReviewStatus::Draft);
    }
    ReviewStatus::ALL
        .into_iter()
        .find(|s| s.label().eq_ignore_ascii_case(text))
}

/// Splits CSV text into records of fields with the `csv` crate (RFC 4180 quoting), each with
/// the 1-based line it starts on. Rows of any width are returned, so the caller can name the
/// line whose width is wrong; blank rows are left out.
pub fn parse_csv(text: &str) -> Result<Vec<(usize, Vec<String>)>, ImportProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The reader itself says whether the text ends inside a quoted field: then it takes this
    // end mark into that field, else the mark is a record of its own, after the text.
    let input = text.as_bytes().chain(b"\n\0end".as_slice());
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let content_end = text.trim_end_matches(['\r', '\n']).len();
    let mut lines = LineCounter::new(text);
    let mut records = Vec::new();
    let (mut last_line, mut ends_outside_quotes) = (1, false);
    for record in reader.records() {
        let record = record.map_err(|error| {
            let line = error
                .position()
                .map_or(1, |p| lines.line_of_record(p.byte()));
            problem(line, format!("the CSV cannot be read: {error}"))
        })?;
        let start = record.position().map_or(0, csv::Position::byte);
        // The reader may count the line endings before a record as its own, so the end mark
        // starts anywhere in the text's trailing line endings.
        ends_outside_quotes = usize::try_from(start).is_ok_and(|start| start >= content_end);
        if ends_outside_quotes {
            continue;
        }
        last_line = lines.line_of_record(start);
        if record.iter().any(|field| !field.trim().is_empty()) {
            records.push((last_line, record.iter().map(str::to_owned).collect()));
        }
    }
    if !ends_outside_quotes {
        return Err(problem(
            last_line,
            "a quoted field in the row that starts here is never closed, so it would take in \
             the rest of the file; add the closing `\"`",
        ));
    }
    Ok(records)
}

/// Line numbers of byte offsets in a text, for offsets asked for in increasing order.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The line of the first character of the record the reader says starts at `byte`: the
    /// reader counts the line endings before a record as part of it, so they are skipped.
    fn line_of_record(&mut self, byte: u64) -> usize {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while self
            .text
            .get(start)
            .is_some_and(|b| matches!(b, b'\r' | b'\n'))
        {
            start += 1;
        }
        if start > self.offset {
            let between = &self.text[self.offset..start];
            // A line ends at LF, CRLF, or a CR alone, as the reader splits records.
            let line_ends = between
                .iter()
                .enumerate()
                .filter(|&(i, &b)| {
                    b == b'\n'
                        || (b == b'\r' && between.get(i + 1).is_none_or(|&next| next != b'\n'))
                })
                .count();
            self.line += line_ends;
            self.offset = start;
        }
        self.line
    }
}

/// A record that passed the shape checks, with the formula guard undone in every field.
struct Row {
    line: usize,
    fields: Vec<String>,
}

impl Row {
    fn get(&self, column: Option<usize>) -> &str {
        column
            .and_then(|c| self.fields.get(c))
            .map_or("", String::as_str)
    }
}

fn problem(line: usize, message: impl Into<String>) -> ImportProblem {
    ImportProblem {
        line,
        message: message.into(),
    }
}

fn control_message(column: usize, at: usize, c: char) -> String {
    format!(
        "column {}: control character U+{:04X} at character {at}; remove it (spreadsheets, XML \
         and the project file cannot carry it)",
        column + 1,
        u32::from(c)
    )
}

/// Keeps the records whose field count matches the header and which hold no forbidden
/// control character; reports the others.
fn checked_rows(
    records: impl Iterator<Item = (usize, Vec<String>)>,
    width: usize,
    problems: &mut Vec<ImportProblem>,
) -> Vec<Row> {
    let mut rows = Vec::new();
    for (line, fields) in records {
        if fields.len() != width {
            problems.push(problem(
                line,
                format!(
                    "{} fields, but the header has {width}; every line needs one field per \
                     column (look for a missing or extra comma, or a quote that is not closed)",
                    fields.len()
                ),
            ));
            continue;
        }
        let controls: Vec<ImportProblem> = fields
            .iter()
            .enumerate()
            .filter_map(|(column, field)| {
                first_forbidden_control(field)
                    .map(|(at, c)| problem(line, control_message(column, at, c)))
            })
            .collect();
        if !controls.is_empty() {
            problems.extend(controls);
            continue;
        }
        rows.push(Row {
            line,
            fields: fields
                .iter()
                .map(|f| formula_unguarded(f).to_owned())
                .collect(),
        });
    }
    rows
}

/// The position of the column named any of `names` (folded), refusing a header that has it twice.
fn find_column(
    header: &[String],
    names: &[&str],
    header_line: usize,
) -> Result<Option<usize>, ImportProblem> {
    let mut found = header
        .iter()
        .enumerate()
        .filter(|(_, h)| names.contains(&h.as_str()))
        .map(|(i, _)| i);
    let first = found.next();
    if let (Some(first), Some(second)) = (first, found.next()) {
        return Err(problem(
            header_line,
            format!(
                "columns {} and {} are both `{}`; keep one of them",
                first + 1,
                second + 1,
                header[first]
            ),
        ));
    }
    Ok(first)
}

/// Reports a value under a column that has no name, which the import could only drop.
fn check_unnamed(row: &Row, unnamed: &[usize], problems: &mut Vec<ImportProblem>) {
    for &column in unnamed {
        if !row.fields[column].trim().is_empty() {
            problems.push(problem(
                row.line,
                format!(
                    "a value in column {}, which has no name in the header; name the column \
                     or remove the value",
                    column + 1
                ),
            ));
        }
    }
}

type CellChanges = BTreeMap<(AgreementId, ElementId), crate::model::Cell>;

/// An older name of the `review status` column that import still accepts.
const REVIEW_ALIAS: &str = "review";

fn long_changes(
    lookup: &Lookup<'_>,
    header: &[String],
    header_line: usize,
    rows: &[Row],
    problems: &mut Vec<ImportProblem>,
) -> Result<CellChanges, ImportProblem> {
    let column = |names: &[&str]| find_column(header, names, header_line);
    let agreement = column(&["agreement"])?;
    let agreement_id = column(&["agreement id"])?;
    let element = column(&["element"])?;
    let element_id = column(&["element id"])?;
    let framework = column(&["framework"])?;
    let framework_id = column(&["framework id"])?;
    let assessment = column(&["assessment"])?;
    let note = column(&["note"])?;
    let quote = column(&["quote"])?;
    let locator = column(&["locator"])?;
    let review = column(&["review status", REVIEW_ALIAS])?;
    if agreement.is_none() && agreement_id.is_none() {
        return Err(problem(
            header_line,
            "no `agreement` or `agreement id` column; add one so each line names its agreement",
        ));
    }
    let mut unnamed = Vec::new();
    for (position, name) in header.iter().enumerate() {
        if name.is_empty() {
            unnamed.push(position);
        } else if !LONG_HEADER.contains(&name.as_str()) && name != REVIEW_ALIAS {
            problems.push(problem(
                header_line,
                format!(
                    "unknown column `{name}` (column {}); the long layout reads {}; rename or \
                     remove it",
                    position + 1,
                    LONG_HEADER.join(", ")
                ),
            ));
        }
    }

    let mut changes = CellChanges::new();
    let mut first_line: HashMap<(AgreementId, ElementId), usize> = HashMap::new();
    let mut conflicted = BTreeSet::new();
    for row in rows {
        check_unnamed(row, &unnamed, problems);
        let found_agreement = lookup.agreement(row.get(agreement_id), row.get(agreement));
        let found_element = lookup
            .framework(row.get(framework_id), row.get(framework))
            .and_then(|f| lookup.element(row.get(element_id), row.get(element), f));
        let (found_agreement, found_element) = match (found_agreement, found_element) {
            (Ok(a), Ok(e)) => (a, e),
            (a, e) => {
                for message in [a.err(), e.err()].into_iter().flatten() {
                    problems.push(problem(row.line, message));
                }
                continue;
            }
        };
        let key = (found_agreement, found_element);
        if let Some(&earlier) = first_line.get(&key) {
            problems.push(problem(
                row.line,
                format!(
                    "the cell `{}` / `{}` is also on line {earlier}; keep one of the two lines",
                    key.0, key.1
                ),
            ));
            conflicted.insert(key);
            continue;
        }
        first_line.insert(key.clone(), row.line);

        let mut cell = lookup.project.cell(&key.0, &key.1);
        let mut row_problems = Vec::new();
        if assessment.is_some() {
            match Assessment::parse_loose(row.get(assessment)) {
                Some(value) => cell.assessment = value,
                None => row_problems.push(format!(
                    "unknown assessment `{}` (use Yes, Indirect, No or leave empty)",
                    row.get(assessment)
                )),
            }
        }
        if note.is_some() {
            row.get(note).clone_into(&mut cell.note);
        }
        if quote.is_some() || locator.is_some() {
            let new_quote = if quote.is_some() { row.get(quote) } else { "" };
            let new_locator = if locator.is_some() {
                row.get(locator)
            } else {
                ""
            };
            if let Err(problem) =
                import_evidence(&mut cell, quote.is_some(), new_quote, new_locator)
            {
                row_problems.push(problem);
            }
        }
        if review.is_some() {
            match parse_review(row.get(review)) {
                Some(status) => cell.review = status,
                None => row_problems.push(format!(
                    "unknown review status `{}` (use Draft, Needs review, Reviewed or Disputed)",
                    row.get(review)
                )),
            }
        }
        if row_problems.is_empty() {
            changes.insert(key, cell);
        } else {
            problems.extend(row_problems.into_iter().map(|m| problem(row.line, m)));
        }
    }
    changes.retain(|key, _| !conflicted.contains(key));
    Ok(changes)
}

fn wide_changes(
    lookup: &Lookup<'_>,
    raw_header: &[String],
    header: &[String],
    header_line: usize,
    rows: &[Row],
    problems: &mut Vec<ImportProblem>,
) -> Result<CellChanges, ImportProblem> {
    let agreement = find_column(header, &["agreement"], header_line)?;
    let agreement_id = find_column(header, &["agreement id"], header_line)?;
    if agreement.is_none() && agreement_id.is_none() {
        return Err(problem(
            header_line,
            "no `agreement` or `agreement id` column: a long CSV needs an `element` or \
             `element id` column, a wide one an `agreement` or `agreement id` column and one \
             column per element",
        ));
    }
    let reserved: Vec<usize> = [agreement, agreement_id].into_iter().flatten().collect();

    // The export writes the framework ids and element ids in rows right under the header.
    let is_id_row = |row: &Row, marker: &str| {
        fold(&row.fields[0]) == marker
            && reserved
                .iter()
                .all(|&c| c == 0 || row.fields[c].trim().is_empty())
    };
    let (mut framework_row, mut element_row): (Option<&Row>, Option<&Row>) = (None, None);
    let mut first_data_row = 0;
    for row in rows {
        let slot = if is_id_row(row, WIDE_FRAMEWORK_ID_ROW) {
            &mut framework_row
        } else if is_id_row(row, WIDE_ELEMENT_ID_ROW) {
            &mut element_row
        } else {
            break;
        };
        match slot {
            Some(earlier) => problems.push(problem(
                row.line,
                format!(
                    "a second `{}` row (the first is line {}); keep one of them",
                    row.fields[0].trim(),
                    earlier.line
                ),
            )),
            None => *slot = Some(row),
        }
        first_data_row += 1;
    }

    let mut columns: Vec<(usize, ElementId)> = Vec::new();
    let mut unnamed = Vec::new();
    let mut dropped = BTreeSet::new();
    for position in (0..header.len()).filter(|p| !reserved.contains(p)) {
        let name = &raw_header[position];
        let id = element_row.map_or("", |r| r.fields[position].as_str());
        let framework_id = framework_row.map_or("", |r| r.fields[position].as_str());
        if name.is_empty() && id.trim().is_empty() {
            unnamed.push(position);
            continue;
        }
        let framework = match lookup.framework(framework_id, "") {
            Ok(framework) => framework,
            Err(message) => {
                let line = framework_row.map_or(header_line, |r| r.line);
                problems.push(problem(line, format!("column {}: {message}", position + 1)));
                continue;
            }
        };
        match lookup.element(id, name, framework) {
            Ok(element) => match columns.iter().find(|(_, e)| *e == element) {
                Some((earlier, _)) => {
                    problems.push(problem(
                        header_line,
                        format!(
                            "columns {} and {} are both element `{element}`; keep one of them",
                            earlier + 1,
                            position + 1
                        ),
                    ));
                    dropped.insert(element);
                }
                None => columns.push((position, element)),
            },
            Err(message) => {
                let line = match element_row {
                    Some(row) if !id.trim().is_empty() => row.line,
                    _ => header_line,
                };
                problems.push(problem(line, format!("column {}: {message}", position + 1)));
            }
        }
    }
    columns.retain(|(_, element)| !dropped.contains(element));

    let mut changes = CellChanges::new();
    let mut first_line: HashMap<AgreementId, usize> = HashMap::new();
    let mut conflicted = BTreeSet::new();
    for row in &rows[first_data_row..] {
        check_unnamed(row, &unnamed, problems);
        let found = match lookup.agreement(row.get(agreement_id), row.get(agreement)) {
            Ok(found) => found,
            Err(message) => {
                problems.push(problem(row.line, message));
                continue;
            }
        };
        if let Some(&earlier) = first_line.get(&found) {
            problems.push(problem(
                row.line,
                format!(
                    "agreement `{found}` also has a row on line {earlier}; keep one of the two rows"
                ),
            ));
            conflicted.insert(found);
            continue;
        }
        first_line.insert(found.clone(), row.line);
        for (position, element) in &columns {
            let value = &row.fields[*position];
            match Assessment::parse_loose(value) {
                Some(assessment) => {
                    let mut cell = lookup.project.cell(&found, element);
                    cell.assessment = assessment;
                    changes.insert((found.clone(), element.clone()), cell);
                }
                None => problems.push(problem(
                    row.line,
                    format!(
                        "unknown value `{value}` for `{found}` / `{element}` (use Yes, \
                         Indirect, No or leave empty)"
                    ),
                )),
            }
        }
    }
    changes.retain(|(a, _), _| !conflicted.contains(a));
    Ok(changes)
}

/// Reads CSV `text` (long or wide layout, told apart by its header) against `project`.
/// A header the import cannot read at all is an error; everything else is a problem by line.
pub fn import_csv(project: &Project, text: &str) -> Result<CsvImport, ImportProblem> {
    let mut records = parse_csv(text)?.into_iter();
    let Some((header_line, raw_header)) = records.next() else {
        return Err(problem(1, "the file is empty"));
    };
    for (column, name) in raw_header.iter().enumerate() {
        if let Some((at, c)) = first_forbidden_control(name) {
            return Err(problem(header_line, control_message(column, at, c)));
        }
    }
    let raw_header: Vec<String> = raw_header
        .iter()
        .map(|h| formula_unguarded(h).trim().to_owned())
        .collect();
    let header: Vec<String> = raw_header.iter().map(|h| fold(h)).collect();
    let mut problems = Vec::new();
    let rows = checked_rows(records, header.len(), &mut problems);
    if header.iter().any(|h| h == "excerpt id") {
        return Err(problem(
            header_line,
            "this is the evidence layout (one row per quote), which is for reading; import the \
             long or wide layout, and edit quotes in normgrid",
        ));
    }
    let lookup = Lookup::new(project);
    let long = header.iter().any(|h| h == "element" || h == "element id");
    let changes = if long {
        long_changes(&lookup, &header, header_line, &rows, &mut problems)?
    } else {
        wide_changes(
            &lookup,
            &raw_header,
            &header,
            header_line,
            &rows,
            &mut problems,
        )?
    };
    let commands: Vec<Command> = changes
        .into_iter()
        .filter(|((agreement, element), cell)| project.cell(agreement, element) != *cell)
        .map(|((agreement, element), cell)| Command::SetCell {
            agreement,
            element,
            cell,
        })
        .collect();
    problems.sort_by_key(|p| p.line);
    Ok(CsvImport {
        changed_cells: commands.len(),
        command: Command::Batch {
            label: "Import CSV".to_owned(),
            commands,
        },
        problems,
    })
}

/// `project` with `import` applied, and the file text to save; refused when that text would
/// be over `max_bytes` (normally [`crate::io::MAX_FILE_BYTES`]), so that every project an
/// import writes opens again.
pub fn project_after_import(
    project: &Project,
    import: &CsvImport,
    max_bytes: u64,
) -> Result<(Project, String), ImportWriteError> {
    let mut imported = project.clone();
    import.command.apply(&mut imported)?;
    // Serializing a project near the cap takes seconds; the cells' text alone is a lower bound
    // of the file size (the file escapes it, never shortens it), so a clear excess fails fast.
    let text_bytes: usize = imported
        .cells
        .iter()
        .map(|(_, _, cell)| {
            cell.note.len()
                + cell
                    .evidence
                    .iter()
                    .map(|e| e.exact.len() + e.locator.len() + e.comment.len())
                    .sum::<usize>()
                + cell.edited_by.len()
                + cell.reviewed_by.len()
        })
        .sum();
    let text_bytes = u64::try_from(text_bytes).unwrap_or(u64::MAX);
    if text_bytes > max_bytes {
        return Err(ImportWriteError::TooLarge {
            size: text_bytes,
            max: max_bytes,
        });
    }
    let text = crate::io::project_to_ron(&imported)
        .map_err(|error| ImportWriteError::Serialize(error.to_string()))?;
    let size = u64::try_from(text.len()).unwrap_or(u64::MAX);
    if size > max_bytes {
        return Err(ImportWriteError::TooLarge {
            size,
            max: max_bytes,
        });
    }
    Ok((imported, text))
}

/// Sets a cell's evidence from a CSV's quote and locator columns. A value equal to what the
/// export writes for the cell leaves the evidence as it is, so an exported file imports back
/// without touching anchored quotes; a different value replaces a single hand-typed quote and
/// is refused where it would flatten quotes anchored in sources.
fn import_evidence(
    cell: &mut crate::model::Cell,
    has_quote_column: bool,
    quote: &str,
    locator: &str,
) -> Result<(), String> {
    let unchanged_quote = !has_quote_column || quote == cell.quotes_joined();
    if unchanged_quote && locator == cell.locators_joined() {
        return Ok(());
    }
    let anchored = cell.evidence.iter().filter(|e| e.source.is_some()).count();
    if anchored > 0 || cell.evidence.len() > 1 {
        return Err(format!(
            "the quote or locator differs from the cell's {} in normgrid ({} anchored in \
             sources); edit evidence in normgrid, or leave these columns as exported",
            crate::model::text::counted(cell.evidence.len(), "quote", "quotes"),
            anchored
        ));
    }
    let quote = if has_quote_column {
        quote.to_owned()
    } else {
        cell.evidence
            .first()
            .map(|e| e.exact.clone())
            .unwrap_or_default()
    };
    let id = cell
        .evidence
        .first()
        .map_or_else(|| crate::model::ExcerptId::new("quote"), |e| e.id.clone());
    cell.evidence.clear();
    if !quote.is_empty() || !locator.is_empty() {
        cell.evidence
            .push(crate::model::Excerpt::unsourced(id, quote, locator));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_csv;

    fn lines_and_fields(text: &str) -> Vec<(usize, Vec<String>)> {
        match parse_csv(text) {
            Ok(records) => records,
            Err(problem) => panic!("{problem}"),
        }
    }

    #[test]
    fn records_carry_the_line_they_start_on_whatever_the_line_endings() {
        let text = "\u{feff}a,b\r\n\r\n\"two\r\nlines\",x\r\n, \r\nlast,\"q\"\"uote\"";
        assert_eq!(
            lines_and_fields(text),
            vec![
                (1, vec!["a".to_owned(), "b".to_owned()]),
                (3, vec!["two\r\nlines".to_owned(), "x".to_owned()]),
                (6, vec!["last".to_owned(), "q\"uote".to_owned()]),
            ]
        );
        assert_eq!(
            lines_and_fields("a\rb\n\nc,d\n"),
            vec![
                (1, vec!["a".to_owned()]),
                (2, vec!["b".to_owned()]),
                (4, vec!["c".to_owned(), "d".to_owned()]),
            ]
        );
    }

    #[test]
    fn a_quoted_field_never_closed_is_refused_with_the_line_its_row_starts_on() {
        let Err(problem) = parse_csv("a,b,c\n1,2,3\nx,y,\"swallows\nthe,rest,\n") else {
            panic!("an unclosed quote must not be read as text");
        };
        assert_eq!(problem.line, 3);
        assert!(problem.message.contains("never closed"), "{problem}");
        // A quote inside an unquoted field is text, as spreadsheets read it.
        assert_eq!(
            lines_and_fields("size,5\" disk\r\n"),
            vec![(1, vec!["size".to_owned(), "5\" disk".to_owned()])]
        );
        assert_eq!(lines_and_fields(""), Vec::new());
        for ending in ["", "\n", "\r", "\r\n", "\r\n\r\n\n", "\n\r"] {
            let text = format!("a,\"b\"{ending}");
            assert_eq!(
                lines_and_fields(&text),
                vec![(1, vec!["a".to_owned(), "b".to_owned()])],
                "{text:?}"
            );
        }
    }

    #[test]
    fn rows_of_any_width_come_back_for_the_caller_to_check() {
        let widths: Vec<(usize, usize)> = lines_and_fields("a,b,c\n1,2\n1,2,3,4\n")
            .into_iter()
            .map(|(line, fields)| (line, fields.len()))
            .collect();
        assert_eq!(widths, vec![(1, 3), (2, 2), (3, 4)]);
    }
}
