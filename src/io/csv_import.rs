//! Bringing spreadsheet work in: CSV in the long layout (one row per cell) or the wide layout
//! (agreements × elements), as [`super::csv_export`] writes them or as people type them.
//! Every problem is reported with its line; nothing is skipped silently.

use crate::commands::Command;
use crate::model::{AgreementId, Assessment, Cell, ElementId, Project, ReviewStatus};

/// One thing wrong with one line of the CSV.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportProblem {
    /// 1-based line in the file.
    pub line: usize,
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
    pub changed_cells: usize,
    pub problems: Vec<ImportProblem>,
}

/// Splits CSV text into records of fields, each with the line it starts on (RFC 4180 quoting).
pub fn parse_csv(text: &str) -> Result<Vec<(usize, Vec<String>)>, ImportProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut line = 1;
    let mut record_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (in_quotes, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => in_quotes = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.is_empty() => in_quotes = true,
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n' | '\r') => {
                fields.push(std::mem::take(&mut field));
                records.push((record_line, std::mem::take(&mut fields)));
                line += 1;
                record_line = line;
            }
            (false, c) => field.push(c),
        }
    }
    if in_quotes {
        return Err(ImportProblem {
            line: record_line,
            message: "a quoted field is never closed".to_owned(),
        });
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push((record_line, fields));
    }
    records.retain(|(_, fields)| fields.iter().any(|f| !f.trim().is_empty()));
    Ok(records)
}

/// Undoes the export's formula guard, so a round trip gives back the same text.
fn unguard(text: &str) -> String {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_owned(),
        _ => text.to_owned(),
    }
}

fn find_agreement(project: &Project, name: &str) -> Option<AgreementId> {
    let name = name.trim();
    project
        .agreements
        .iter()
        .find(|a| {
            a.id.as_str() == name
                || a.short_name.eq_ignore_ascii_case(name)
                || a.name.eq_ignore_ascii_case(name)
        })
        .map(|a| a.id.clone())
}

fn find_element(project: &Project, name: &str) -> Option<ElementId> {
    let name = name.trim();
    project
        .elements()
        .find(|(_, e)| {
            e.id.as_str() == name
                || e.display_name().eq_ignore_ascii_case(name)
                || e.name.eq_ignore_ascii_case(name)
                || (!e.label.is_empty() && e.label.eq_ignore_ascii_case(name))
        })
        .map(|(_, e)| e.id.clone())
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

/// Reads CSV `text` (long or wide layout, told apart by its header) against `project`.
pub fn import_csv(project: &Project, text: &str) -> Result<CsvImport, ImportProblem> {
    let records = parse_csv(text)?;
    let Some((header_line, header)) = records.first() else {
        return Err(ImportProblem {
            line: 1,
            message: "the file is empty".to_owned(),
        });
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    if header.first().map(String::as_str) != Some("agreement") {
        return Err(ImportProblem {
            line: *header_line,
            message: "the first column must be `agreement`".to_owned(),
        });
    }
    let mut problems = Vec::new();
    let mut changes: Vec<(AgreementId, ElementId, Cell)> = Vec::new();
    let column = |name: &str| header.iter().position(|h| h == name);
    let long = column("element").is_some() && column("assessment").is_some();
    if long {
        let (element_col, assessment_col) = (
            column("element").unwrap_or(1),
            column("assessment").unwrap_or(3),
        );
        let optional = [
            column("note"),
            column("quote"),
            column("locator"),
            column("review status").or(column("review")),
        ];
        for (line, fields) in &records[1..] {
            let get = |i: usize| fields.get(i).map_or("", String::as_str);
            let Some(agreement) = find_agreement(project, get(0)) else {
                problems.push(ImportProblem {
                    line: *line,
                    message: format!("unknown agreement `{}`", get(0)),
                });
                continue;
            };
            let Some(element) = find_element(project, get(element_col)) else {
                problems.push(ImportProblem {
                    line: *line,
                    message: format!("unknown element `{}`", get(element_col)),
                });
                continue;
            };
            let Some(assessment) = Assessment::parse_loose(get(assessment_col)) else {
                problems.push(ImportProblem {
                    line: *line,
                    message: format!(
                        "unknown value `{}` (use Yes, Indirect, No or leave empty)",
                        get(assessment_col)
                    ),
                });
                continue;
            };
            let mut cell = project.cell(&agreement, &element);
            cell.assessment = assessment;
            if let Some(i) = optional[0] {
                cell.note = unguard(get(i));
            }
            if let Some(i) = optional[1] {
                cell.quote = unguard(get(i));
            }
            if let Some(i) = optional[2] {
                cell.locator = unguard(get(i));
            }
            if let Some(i) = optional[3] {
                match parse_review(get(i)) {
                    Some(review) => cell.review = review,
                    None => {
                        problems.push(ImportProblem {
                            line: *line,
                            message: format!("unknown review status `{}`", get(i)),
                        });
                        continue;
                    }
                }
            }
            changes.push((agreement, element, cell));
        }
    } else {
        let raw_header = &records[0].1;
        let mut elements = Vec::new();
        for name in &raw_header[1..] {
            match find_element(project, name) {
                Some(element) => elements.push(Some(element)),
                None if name.trim().is_empty() => elements.push(None),
                None => {
                    problems.push(ImportProblem {
                        line: *header_line,
                        message: format!("unknown element `{name}`"),
                    });
                    elements.push(None);
                }
            }
        }
        for (line, fields) in &records[1..] {
            let name = fields.first().map_or("", String::as_str);
            let Some(agreement) = find_agreement(project, name) else {
                problems.push(ImportProblem {
                    line: *line,
                    message: format!("unknown agreement `{name}`"),
                });
                continue;
            };
            for (value, element) in fields[1..].iter().zip(&elements) {
                let Some(element) = element else { continue };
                match Assessment::parse_loose(value) {
                    Some(assessment) => {
                        let mut cell = project.cell(&agreement, element);
                        cell.assessment = assessment;
                        changes.push((agreement.clone(), element.clone(), cell));
                    }
                    None => problems.push(ImportProblem {
                        line: *line,
                        message: format!("unknown value `{value}` for {name} / {element}"),
                    }),
                }
            }
        }
    }
    let commands: Vec<Command> = changes
        .into_iter()
        .filter(|(a, e, cell)| project.cell(a, e) != *cell)
        .map(|(agreement, element, cell)| Command::SetCell {
            agreement,
            element,
            cell,
        })
        .collect();
    Ok(CsvImport {
        changed_cells: commands.len(),
        command: Command::Batch {
            label: "Import CSV".to_owned(),
            commands,
        },
        problems,
    })
}
