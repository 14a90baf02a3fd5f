//! `normgrid source …` and `normgrid evidence …`: attach agreement texts and anchor quotes
//! in them from the command line, for scripted bulk work.

use super::{option_line, option_text, unknown_id_message};
use crate::commands::Command;
use crate::io::{load_project, save_project};
use crate::model::text::counted;
use crate::model::{AgreementId, ElementId, Excerpt, Project, Source, SourceId};
use crate::sources::evidence::{
    self, CheckCounts, ExcerptState, check_project, excerpt_from_range, find_quote, outline_of,
};
use crate::sources::extract::extract_file;
use chrono::NaiveDate;
use clap::Subcommand;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `normgrid source …`
#[derive(Debug, Subcommand)]
pub enum SourceCommand {
    /// Attach an agreement's text (PDF, DOCX, HTML, TXT or Markdown) to the project.
    Add {
        /// Project file (.ron); a .bak is kept
        project: PathBuf,
        /// The agreement whose text this is
        #[arg(long, required_unless_present = "project_level")]
        agreement: Option<String>,
        /// Attach it to the project as a whole (a report that quotes several agreements)
        #[arg(long, conflicts_with = "agreement")]
        project_level: bool,
        /// The original file
        file: PathBuf,
        /// Title shown in the reader (default: the document's own title, else the file name)
        #[arg(long)]
        title: Option<String>,
        /// Where the original was found
        #[arg(long)]
        url: Option<String>,
        /// When the original was retrieved (YYYY-MM-DD; default today)
        #[arg(long)]
        retrieved: Option<NaiveDate>,
        /// Id of the new source (default: made from the title)
        #[arg(long)]
        id: Option<String>,
    },
    /// Print the text normgrid reads from a file, without attaching it: its outline, then
    /// its text with page marks (or only the text with --plain). Notes go to stderr.
    Read {
        /// The original file (PDF, DOCX, HTML, TXT or Markdown)
        file: PathBuf,
        /// Print only the outline
        #[arg(long, conflicts_with = "plain")]
        outline: bool,
        /// Print only the text, as stored
        #[arg(long)]
        plain: bool,
    },
    /// List the project's sources with their kind, pages and size.
    List {
        /// Project file (.ron)
        project: PathBuf,
    },
    /// Print a source's outline, then its text with page marks.
    Show {
        /// Project file (.ron)
        project: PathBuf,
        /// The source's id (see `source list`)
        source: String,
        /// Print only the outline
        #[arg(long)]
        outline: bool,
    },
    /// Replace a source with a new version of its text and re-anchor every quote in it.
    ///
    /// Quotes found again (in place or elsewhere) move with the text. Quotes whose wording
    /// changed are listed with the differences and keep their old wording unless
    /// --accept-changed is given; missing ones are listed. Exits 1 when any is changed or
    /// missing.
    Replace {
        /// Project file (.ron); a .bak is kept
        project: PathBuf,
        /// The source's id
        source: String,
        /// The new version of the original file
        file: PathBuf,
        /// Take the new wording for quotes that changed
        #[arg(long)]
        accept_changed: bool,
    },
    /// Remove a source that no quote uses.
    Remove {
        /// Project file (.ron); a .bak is kept
        project: PathBuf,
        /// The source's id
        source: String,
    },
}

/// `normgrid evidence …`
#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Find a quote in a source, anchor it, derive its locator, and add it to a cell.
    ///
    /// Refuses, naming the closest passage, a quote that is not in the source.
    Add {
        /// Project file (.ron); a .bak is kept
        project: PathBuf,
        #[arg(long)]
        agreement: String,
        #[arg(long)]
        element: String,
        /// The source's id (see `source list`)
        #[arg(long)]
        source: String,
        /// The quoted text, as in the source (spaces, quote marks and dashes may differ)
        #[arg(long)]
        quote: String,
        /// A comment on the quote
        #[arg(long)]
        comment: Option<String>,
        /// Use this locator instead of the derived one
        #[arg(long)]
        locator: Option<String>,
    },
    /// Remove one quote from a cell.
    Remove {
        /// Project file (.ron); a .bak is kept
        project: PathBuf,
        #[arg(long)]
        agreement: String,
        #[arg(long)]
        element: String,
        /// The quote's id (`normgrid check` and the cell panel show it)
        #[arg(long)]
        id: String,
    },
    /// Anchor quotes that have no source (from format 1, or typed by hand) in a source.
    ///
    /// A quote found exactly once (exactly or normalised) is linked and keeps its wording;
    /// a quote found several times is left alone and listed, since picking one would be a
    /// guess.
    Link {
        /// Project file (.ron); a .bak is kept
        project: PathBuf,
        /// The source's id
        #[arg(long)]
        source: String,
        /// Only this agreement's quotes (default: the source's agreement, or all for a
        /// project-level source)
        #[arg(long)]
        agreement: Option<String>,
    },
}

/// Runs a `source` command.
pub fn run_source(command: SourceCommand) -> Result<ExitCode, String> {
    match command {
        SourceCommand::Add {
            project,
            agreement,
            project_level: _,
            file,
            title,
            url,
            retrieved,
            id,
        } => add_source(
            &project,
            agreement.as_deref(),
            &file,
            SourceDetails {
                title,
                url,
                retrieved,
                id,
            },
        ),
        SourceCommand::Read {
            file,
            outline,
            plain,
        } => {
            let extracted = extract_file(&file).map_err(|e| e.to_string())?;
            for note in &extracted.notes {
                eprintln!("{}: {note}", file.display());
            }
            if plain {
                println!("{}", extracted.text);
            } else {
                let source = Source {
                    id: SourceId::new("read"),
                    agreement: None,
                    title: extracted
                        .title
                        .clone()
                        .unwrap_or_else(|| file.display().to_string()),
                    file_name: String::new(),
                    kind: extracted.kind,
                    url: String::new(),
                    retrieved: None,
                    sha256: extracted.sha256,
                    pages: extracted.pages,
                    text: extracted.text,
                };
                print!("{}", source_text(&source, outline));
            }
            Ok(ExitCode::SUCCESS)
        }
        SourceCommand::List { project } => {
            let project = load(&project)?;
            print!("{}", source_list(&project));
            Ok(ExitCode::SUCCESS)
        }
        SourceCommand::Show {
            project,
            source,
            outline,
        } => {
            let project = load(&project)?;
            let source = find_source(&project, &source)?;
            print!("{}", source_text(source, outline));
            Ok(ExitCode::SUCCESS)
        }
        SourceCommand::Replace {
            project,
            source,
            file,
            accept_changed,
        } => replace_source(&project, &source, &file, accept_changed),
        SourceCommand::Remove { project, source } => {
            let path = project;
            let mut project = load(&path)?;
            let id = find_source(&project, &source)?.id.clone();
            Command::RemoveSource { id: id.clone() }
                .apply(&mut project)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            save(&path, &project)?;
            println!("removed source `{id}` from {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Runs an `evidence` command.
pub fn run_evidence(command: EvidenceCommand) -> Result<ExitCode, String> {
    match command {
        EvidenceCommand::Add {
            project,
            agreement,
            element,
            source,
            quote,
            comment,
            locator,
        } => {
            let path = project;
            let mut project = load(&path)?;
            let agreement = known_agreement(&project, &agreement)?;
            let element = known_element(&project, &element)?;
            let source = find_source(&project, &source)?;
            let range =
                find_quote(source, &quote).map_err(|e| format!("{}: {e}", path.display()))?;
            let mut cell = project.cell(&agreement, &element);
            let taken = project.all_excerpts();
            let mut excerpt = excerpt_from_range(source, &outline_of(source), range, &taken);
            if let Some(locator) = locator {
                excerpt.locator = option_line("--locator", &locator);
                excerpt.id = Excerpt::new_id(
                    excerpt.source.as_ref(),
                    &excerpt.locator,
                    &excerpt.exact,
                    &taken,
                );
            }
            excerpt.comment = comment
                .map(|comment| option_text("--comment", &comment))
                .unwrap_or_default();
            excerpt.stamp(&editor_name(), chrono::Utc::now());
            let added = format!(
                "added “{}”{} as evidence for {agreement} / {element}, id `{}`",
                excerpt.exact,
                if excerpt.locator.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", excerpt.locator)
                },
                excerpt.id
            );
            cell.evidence.push(excerpt);
            project.cells.set(&agreement, &element, cell);
            save(&path, &project)?;
            println!("{added}");
            Ok(ExitCode::SUCCESS)
        }
        EvidenceCommand::Link {
            project,
            source,
            agreement,
        } => link_quotes(&project, &source, agreement.as_deref()),
        EvidenceCommand::Remove {
            project,
            agreement,
            element,
            id,
        } => {
            let path = project;
            let mut project = load(&path)?;
            let agreement = known_agreement(&project, &agreement)?;
            let element = known_element(&project, &element)?;
            let mut cell = project.cell(&agreement, &element);
            let Some(index) = cell.evidence.iter().position(|e| e.id.as_str() == id) else {
                if cell.evidence.is_empty() {
                    return Err(format!(
                        "{}: the cell {agreement} / {element} has no quotes, so there is no `{id}` to remove; `normgrid check {}` lists every quote with its cell",
                        path.display(),
                        path.display()
                    ));
                }
                let ids: Vec<&str> = cell.evidence.iter().map(|e| e.id.as_str()).collect();
                return Err(format!(
                    "{}: {} in the cell {agreement} / {element}",
                    path.display(),
                    unknown_id_message("quote", &id, &ids)
                ));
            };
            let removed = cell.evidence.remove(index);
            project.cells.set(&agreement, &element, cell);
            save(&path, &project)?;
            println!("removed “{}” from {agreement} / {element}", removed.exact);
            Ok(ExitCode::SUCCESS)
        }
    }
}

struct SourceDetails {
    title: Option<String>,
    url: Option<String>,
    retrieved: Option<NaiveDate>,
    id: Option<String>,
}

fn add_source(
    path: &Path,
    agreement: Option<&str>,
    file: &Path,
    details: SourceDetails,
) -> Result<ExitCode, String> {
    let mut project = load(path)?;
    let agreement = agreement
        .map(|wanted| known_agreement(&project, wanted))
        .transpose()?;
    let source = source_from_file(&project, agreement, file, details)?;
    let attached = format!(
        "attached {} as source `{}` ({}, {}, {})",
        file.display(),
        source.id,
        source.kind.label(),
        pages_text(&source),
        counted(source.text.chars().count(), "character", "characters")
    );
    let index = project.sources.len();
    Command::InsertSource {
        index,
        source: Box::new(source),
    }
    .apply(&mut project)
    .map_err(|e| format!("{}: {e}", path.display()))?;
    // Said once it is true: a save that fails leaves nothing attached.
    save(path, &project)?;
    println!("{attached}");
    keep_original(path, &project.sources[index], file);
    Ok(ExitCode::SUCCESS)
}

/// Copies the original beside the project (`NAME.sources/`), so the reader and the review
/// copy can show its pages. The project is saved already; a failure only warns.
fn keep_original(project: &Path, source: &Source, file: &Path) {
    match crate::io::originals::store_original_file(project, source, file) {
        Ok(stored) => println!("kept the original as {}", stored.display()),
        Err(reason) => eprintln!(
            "warning: the original was not copied beside the project ({reason}); the text is in the project, but its pages can't be shown until the file is in {}",
            crate::io::originals::originals_folder(project).display()
        ),
    }
}

/// A source made from a file's extracted text.
fn source_from_file(
    project: &Project,
    agreement: Option<AgreementId>,
    file: &Path,
    details: SourceDetails,
) -> Result<Source, String> {
    let (extracted, file_name) = read_original(file)?;
    let title = details
        .title
        .map(|title| option_line("--title", &title))
        .or(extracted.title)
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| file_name.clone());
    let id = match details.id.map(|id| option_line("--id", &id)) {
        Some(id) if id.is_empty() => {
            return Err("--id is empty once blanks and control characters are removed: give the source a readable id, such as `budapest-convention`".to_owned());
        }
        Some(id) => {
            if project.source(&SourceId::new(id.as_str())).is_some() {
                return Err(format!("a source with id `{id}` already exists"));
            }
            SourceId::new(id)
        }
        None => SourceId::readable(&title, |candidate| {
            project.sources.iter().any(|s| s.id.as_str() == candidate)
        }),
    };
    Ok(Source {
        id,
        agreement,
        title,
        file_name,
        kind: extracted.kind,
        url: details
            .url
            .map(|url| option_line("--url", &url))
            .unwrap_or_default(),
        retrieved: Some(
            details
                .retrieved
                .unwrap_or_else(|| chrono::Utc::now().date_naive()),
        ),
        sha256: extracted.sha256,
        pages: extracted.pages,
        text: extracted.text,
    })
}

/// A file's extracted text (its cleaning notes printed) and its name without folders.
fn read_original(file: &Path) -> Result<(crate::sources::extract::Extracted, String), String> {
    let extracted = extract_file(file).map_err(|e| e.to_string())?;
    for note in &extracted.notes {
        println!("{}: {note}", file.display());
    }
    let file_name = file
        .file_name()
        .map(|name| option_line("the file's name", &name.to_string_lossy()))
        .unwrap_or_default();
    Ok((extracted, file_name))
}

fn replace_source(
    path: &Path,
    wanted: &str,
    file: &Path,
    accept_changed: bool,
) -> Result<ExitCode, String> {
    let mut project = load(path)?;
    let old = find_source(&project, wanted)?.clone();
    let (extracted, file_name) = read_original(file)?;
    let new = Source {
        file_name,
        kind: extracted.kind,
        sha256: extracted.sha256,
        pages: extracted.pages,
        text: extracted.text,
        retrieved: Some(chrono::Utc::now().date_naive()),
        ..old.clone()
    };
    let replacement = evidence::plan_replacement(&project, &old.id, new)
        .ok_or_else(|| unknown_id_message("source", wanted, &[]))?;
    replacement
        .command
        .apply(&mut project)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "replaced source `{}` with {}: {}",
        old.id,
        file.display(),
        replacement.counts.summary()
    );
    let mut accepted = 0;
    for drift in &replacement.drifted {
        let _ = writeln!(
            out,
            "  {}: {} / {} `{}`: “{}”",
            drift.state.label(),
            drift.agreement,
            drift.element,
            drift.excerpt.id,
            drift.excerpt.exact
        );
        if let ExcerptState::Changed { differences, .. } = &drift.state {
            let _ = writeln!(out, "    differences: {differences}");
            if accept_changed
                && let Some(command) = evidence::confirm_changed(&project, drift)
                && command.apply(&mut project).is_ok()
            {
                accepted += 1;
            }
        }
    }
    if accepted > 0 {
        let _ = writeln!(
            out,
            "took the new wording for {}",
            counted(accepted, "changed quote", "changed quotes")
        );
    }
    save(path, &project)?;
    print!("{out}");
    if let Some(source) = project.source(&old.id) {
        keep_original(path, source, file);
    }
    let unsettled = replacement.counts.missing + replacement.counts.changed - accepted;
    Ok(if unsettled > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn link_quotes(path: &Path, wanted: &str, agreement: Option<&str>) -> Result<ExitCode, String> {
    let mut project = load(path)?;
    let source = find_source(&project, wanted)?.clone();
    let only = match agreement {
        Some(wanted) => Some(known_agreement(&project, wanted)?),
        None => source.agreement.clone(),
    };
    let search = crate::sources::search::SearchIndex::new(&source.text);
    let (mut linked, mut ambiguous, mut absent) = (0, 0, 0);
    let cells: Vec<(AgreementId, ElementId, crate::model::Cell)> = project
        .cells
        .iter()
        .filter(|(a, _, _)| only.as_ref().is_none_or(|only| only == *a))
        .map(|(a, e, c)| (a.clone(), e.clone(), c.clone()))
        .collect();
    for (agreement, element, mut cell) in cells {
        let mut changed = false;
        for excerpt in cell.evidence.iter_mut().filter(|e| e.source.is_none()) {
            let hits = search.find(&excerpt.exact);
            match hits.as_slice() {
                [only] => {
                    link(excerpt, &source, only.clone());
                    linked += 1;
                    changed = true;
                }
                [] => {
                    absent += 1;
                    println!(
                        "not found: {agreement} / {element} `{}`: “{}”",
                        excerpt.id, excerpt.exact
                    );
                }
                several => {
                    ambiguous += 1;
                    println!(
                        "found {} times, left alone: {agreement} / {element} `{}`",
                        several.len(),
                        excerpt.id
                    );
                }
            }
        }
        if changed {
            project.cells.set(&agreement, &element, cell);
        }
    }
    if linked > 0 {
        save(path, &project)?;
    }
    println!(
        "linked {} to `{}`; {} not found, {} found more than once",
        counted(linked, "quote", "quotes"),
        source.id,
        absent,
        ambiguous
    );
    Ok(ExitCode::SUCCESS)
}

/// Links a quote to `range` of `source`, keeping its own wording: a quote that differs from
/// the source only in spaces or quote marks then checks as "verified after normalising".
fn link(excerpt: &mut Excerpt, source: &Source, range: std::ops::Range<usize>) {
    excerpt.source = Some(source.id.clone());
    evidence::move_anchor(excerpt, &source.text, range.clone());
    if excerpt.locator.trim().is_empty() {
        excerpt.locator = evidence::derived_locator(source, &outline_of(source), range);
    }
}

/// The `source list` table.
pub fn source_list(project: &Project) -> String {
    let mut out = String::new();
    if project.sources.is_empty() {
        out.push_str("no sources: attach one with `normgrid source add`\n");
        return out;
    }
    for source in &project.sources {
        let quotes = project
            .cells
            .iter()
            .flat_map(|(_, _, c)| &c.evidence)
            .filter(|e| e.source.as_ref() == Some(&source.id))
            .count();
        let owner = source
            .agreement
            .as_ref()
            .map_or_else(|| "project".to_owned(), ToString::to_string);
        let _ = writeln!(
            out,
            "{}\t{owner}\t{}\t{}\t{}\t{}\t{}",
            source.id,
            source.kind.label(),
            pages_text(source),
            counted(source.text.len(), "byte", "bytes"),
            counted(quotes, "quote", "quotes"),
            source.title
        );
    }
    out
}

fn pages_text(source: &Source) -> String {
    if source.pages.is_empty() {
        "no pages".to_owned()
    } else {
        counted(source.pages.len(), "page", "pages")
    }
}

/// The `source show` text: the outline with locators, then the text with page marks.
pub fn source_text(source: &Source, outline_only: bool) -> String {
    let outline = outline_of(source);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}, {})",
        source.title,
        source.kind.label(),
        pages_text(source)
    );
    let _ = writeln!(out, "Outline:");
    for heading in outline.headings() {
        let mut depth = 0;
        let mut parent = heading.parent;
        while let Some(at) = parent {
            depth += 1;
            parent = outline.headings()[at].parent;
        }
        let _ = writeln!(
            out,
            "{}{}  {}",
            "  ".repeat(depth + 1),
            outline.locator_at(heading.start),
            heading.title
        );
    }
    if outline_only {
        return out;
    }
    let _ = writeln!(out, "Text:");
    let mut page = 0;
    for (at, line) in line_starts(&source.text) {
        while source.pages.get(page).is_some_and(|&start| start <= at) {
            page += 1;
            let _ = writeln!(out, "--- p. {page} ---");
        }
        let _ = writeln!(out, "{line}");
    }
    out
}

fn line_starts(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split('\n').map(move |line| {
        let start = at;
        at += line.len() + 1;
        (start, line)
    })
}

/// The excerpt lines of `normgrid check`: every quote that is not verified, with what was
/// found, then the counts. Returns the text and whether any quote fails.
pub fn check_excerpts(project: &Project) -> (String, CheckCounts) {
    let checks = check_project(project);
    let counts = CheckCounts::of(&checks);
    let mut out = String::new();
    for check in &checks {
        let excerpt = project
            .cells
            .get(&check.agreement, &check.element)
            .and_then(|c| c.excerpt(&check.excerpt));
        let exact = excerpt.map_or("", |e| e.exact.as_str());
        match &check.state {
            ExcerptState::Verified { .. } | ExcerptState::Unsourced => {}
            ExcerptState::Relocated { .. } => {
                let _ = writeln!(
                    out,
                    "relocated: {} / {} `{}`: found elsewhere in its source; `normgrid fmt` or Save moves the anchor",
                    check.agreement, check.element, check.excerpt
                );
            }
            ExcerptState::Changed {
                similarity,
                differences,
                ..
            } => {
                let _ = writeln!(
                    out,
                    "changed: {} / {} `{}`: the source now reads differently ({}% alike): {differences}",
                    check.agreement,
                    check.element,
                    check.excerpt,
                    evidence::percent_alike(*similarity)
                );
            }
            ExcerptState::Missing => {
                let _ = writeln!(
                    out,
                    "missing: {} / {} `{}`: “{exact}” is not in source `{}`",
                    check.agreement,
                    check.element,
                    check.excerpt,
                    check.source.as_ref().map_or("", |s| s.as_str())
                );
            }
            ExcerptState::Undecided { chars } => {
                let _ = writeln!(
                    out,
                    "undecided: {} / {} `{}`: the quote ({chars} characters) is not in source `{}` as written, and is too long to compare approximately; quote a shorter passage",
                    check.agreement,
                    check.element,
                    check.excerpt,
                    check.source.as_ref().map_or("", |s| s.as_str())
                );
            }
            ExcerptState::NoSuchSource => {
                let _ = writeln!(
                    out,
                    "missing: {} / {} `{}`: its source `{}` is not in the project",
                    check.agreement,
                    check.element,
                    check.excerpt,
                    check.source.as_ref().map_or("", |s| s.as_str())
                );
            }
        }
    }
    if !checks.is_empty() {
        let _ = writeln!(out, "quotes: {}", counts.summary());
    }
    (out, counts)
}

fn load(path: &Path) -> Result<Project, String> {
    let loaded = load_project(path).map_err(|e| e.to_string())?;
    for problem in &loaded.problems {
        eprintln!("warning: {}: {problem}", path.display());
    }
    Ok(loaded.project)
}

fn save(path: &Path, project: &Project) -> Result<(), String> {
    save_project(path, project)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn find_source<'a>(project: &'a Project, wanted: &str) -> Result<&'a Source, String> {
    project.source(&SourceId::new(wanted)).ok_or_else(|| {
        let ids: Vec<&str> = project.sources.iter().map(|s| s.id.as_str()).collect();
        unknown_id_message("source", wanted, &ids)
    })
}

fn known_agreement(project: &Project, wanted: &str) -> Result<AgreementId, String> {
    let id = AgreementId::new(wanted);
    if project.agreement(&id).is_some() {
        return Ok(id);
    }
    let ids: Vec<&str> = project.agreements.iter().map(|a| a.id.as_str()).collect();
    Err(unknown_id_message("agreement", wanted, &ids))
}

fn known_element(project: &Project, wanted: &str) -> Result<ElementId, String> {
    let id = ElementId::new(wanted);
    if project.element(&id).is_some() {
        return Ok(id);
    }
    let ids: Vec<&str> = project.elements().map(|(_, e)| e.id.as_str()).collect();
    Err(unknown_id_message("element", wanted, &ids))
}

/// Who the command line records as the author of a quote: $NORMGRID_EDITOR, else $USER.
fn editor_name() -> String {
    let name = std::env::var("NORMGRID_EDITOR")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_default();
    option_line("your name (NORMGRID_EDITOR)", &name)
}
