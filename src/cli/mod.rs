//! Command-line interface: checking, summaries, exports, and the collaboration commands
//! (`diff`, `merge`, `merge-driver`, `agreement`, `review-summary`). The arguments are in
//! `args`; each family of commands has its own file, as the GUI has one per panel.

mod args;
mod collab;
mod exports;
mod import;
mod report;
mod sources;

pub use args::*;
pub use report::summary_text;
pub use sources::{EvidenceCommand, SourceCommand, check_excerpts, source_list, source_text};

use collab::merge_files;
use exports::export;
use import::{import_csv_file, import_review_file};
use report::check;

use crate::io::{load_project, save_project};
use crate::model::text::counted;
use crate::model::{AgreementId, ElementId, Project};
use clap::Parser;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Parses the process arguments and runs the command.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => match crate::ui::run(cli.file, cli.review) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: could not open the normgrid window: {error}");
                eprintln!("The command line works without a display: normgrid --help");
                ExitCode::from(2)
            }
        },
        Some(command) => match refuse_output_over_input(&command).map(|()| run_command(command)) {
            Err(clash) => {
                eprintln!("error: {clash}");
                ExitCode::from(EXIT_OUTPUT_IS_INPUT)
            }
            Ok(result) => match result {
                Ok(code) => code,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(2)
                }
            },
        },
    }
}

/// Exit status when an output would overwrite one of the command's inputs; nothing was written.
pub const EXIT_OUTPUT_IS_INPUT: u8 = 3;

/// Refuses, before anything is read or written, a command whose output is one of its inputs
/// (or whose two outputs are one file), however the paths are spelt.
fn refuse_output_over_input(command: &CliCommand) -> Result<(), crate::io::OutputClash> {
    use crate::io::{NamedPath as Named, refuse_overwriting_inputs as refuse};
    match command {
        CliCommand::Export { what } => {
            let (ExportCommand::Chart { out, project, .. }
            | ExportCommand::Xlsx { out, project, .. }
            | ExportCommand::Html { out, project, .. }
            | ExportCommand::Review { out, project, .. }
            | ExportCommand::Csv { out, project, .. }
            | ExportCommand::Qdpx { out, project }
            | ExportCommand::Element { out, project, .. }) = what;
            refuse(
                &[Named::new("--out", out)],
                &[Named::new("the project", project)],
            )
        }
        CliCommand::Import {
            what: ImportCommand::Csv { file, into, .. },
        } => refuse(
            &[Named::new("--into", into)],
            &[Named::new("the CSV file", file)],
        ),
        CliCommand::Import {
            what: ImportCommand::Review { file, into, .. },
        } => refuse(
            &[Named::new("--into", into)],
            &[Named::new("the review file", file)],
        ),
        CliCommand::Diff {
            old,
            new,
            out: Some(out),
            ..
        } => refuse(
            &[Named::new("--out", out)],
            &[
                Named::new("the old version", old),
                Named::new("the new version", new),
            ],
        ),
        CliCommand::Merge {
            base,
            ours,
            theirs,
            out,
            report,
            ..
        } => {
            let default_report = default_report_path(out);
            let report = report.as_deref().unwrap_or(&default_report);
            let mut inputs = vec![Named::new("ours", ours), Named::new("theirs", theirs)];
            inputs.extend(base.as_deref().map(|base| Named::new("--base", base)));
            refuse(
                &[Named::new("--out", out), Named::new("--report", report)],
                &inputs,
            )
        }
        // %A is written by design; it must still not be the ancestor or their version.
        CliCommand::MergeDriver { base, ours, theirs } => refuse(
            &[Named::new("%A (ours)", ours)],
            &[
                Named::new("%O (base)", base),
                Named::new("%B (theirs)", theirs),
            ],
        ),
        // fmt rewrites its file in place by design and keeps a .bak; the rest write nothing
        // or have no input.
        _ => Ok(()),
    }
}

/// Where `merge` writes its conflict report when `--report` is not given.
fn default_report_path(out: &Path) -> PathBuf {
    let mut name = out.as_os_str().to_owned();
    name.push(".conflicts.txt");
    PathBuf::from(name)
}

fn run_command(command: CliCommand) -> Result<ExitCode, String> {
    match command {
        CliCommand::Check { file } => check(&file),
        CliCommand::Source { what } => sources::run_source(what),
        CliCommand::Evidence { what } => sources::run_evidence(what),
        CliCommand::Summary { file, framework } => {
            let loaded = load_project(&file).map_err(|e| e.to_string())?;
            for problem in &loaded.problems {
                eprintln!("warning: {}: {problem}", file.display());
            }
            print!("{}", summary_text(&loaded.project, framework.as_deref())?);
            Ok(ExitCode::SUCCESS)
        }
        CliCommand::Fmt { file } => {
            let loaded = load_project(&file).map_err(|e| e.to_string())?;
            for problem in &loaded.problems {
                eprintln!("warning: {}: {problem}", file.display());
            }
            let (project, moved) =
                crate::sources::evidence::with_relocated_anchors(&loaded.project);
            save_project(&file, &project).map_err(|e| e.to_string())?;
            if moved > 0 {
                println!(
                    "moved the anchors of {} found elsewhere in their sources",
                    counted(moved, "quote", "quotes")
                );
            }
            println!("formatted {}", file.display());
            Ok(ExitCode::SUCCESS)
        }
        CliCommand::Export { what } => export(what),
        CliCommand::Import {
            what:
                ImportCommand::Csv {
                    file,
                    into,
                    skip_problems,
                },
        } => import_csv_file(&file, &into, skip_problems),
        CliCommand::Import {
            what:
                ImportCommand::Review {
                    file,
                    into,
                    dry_run,
                },
        } => import_review_file(&file, &into, dry_run),
        CliCommand::Diff {
            old,
            new,
            format,
            out,
        } => {
            let old_project = load_project(&old).map_err(|e| e.to_string())?.project;
            let new_project = load_project(&new).map_err(|e| e.to_string())?.project;
            let diff = crate::collab::diff_projects(&old_project, &new_project);
            let text = match format {
                DiffFormat::Text => {
                    diff.to_text(&old.display().to_string(), &new.display().to_string())
                }
                DiffFormat::Csv => diff.to_csv(),
            };
            match out {
                Some(out) => {
                    crate::io::write_atomically(&out, text.as_bytes(), false)
                        .map_err(|e| e.to_string())?;
                    println!(
                        "wrote {} ({})",
                        out.display(),
                        counted(diff.changes.len(), "change", "changes")
                    );
                }
                None => print!("{text}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        CliCommand::Merge {
            base,
            ours,
            theirs,
            out,
            prefer,
            report,
            repair,
        } => {
            let fallback = prefer.map_or(crate::collab::Fallback::Mark, |side| {
                crate::collab::Fallback::Prefer(side.into())
            });
            let report = report.unwrap_or_else(|| default_report_path(&out));
            merge_files(
                base.as_deref(),
                &ours,
                &theirs,
                &out,
                fallback,
                Some(&report),
                repair,
            )
        }
        CliCommand::MergeDriver { base, ours, theirs } => merge_files(
            Some(&base),
            &ours,
            &theirs,
            &ours,
            crate::collab::Fallback::Mark,
            None,
            false,
        ),
        CliCommand::Agreement { files } => {
            let mut projects = Vec::new();
            for file in &files {
                let project = load_project(file).map_err(|e| e.to_string())?.project;
                projects.push((file.display().to_string(), project));
            }
            let coders: Vec<(String, &Project)> =
                projects.iter().map(|(name, p)| (name.clone(), p)).collect();
            print!("{}", crate::collab::coder_agreement(&coders).to_text());
            Ok(ExitCode::SUCCESS)
        }
        CliCommand::ReviewSummary { file } => {
            let project = load_project(&file).map_err(|e| e.to_string())?.project;
            print!("{}", crate::collab::review_summary_text(&project));
            Ok(ExitCode::SUCCESS)
        }
        CliCommand::New { file, title, force } => {
            if file.exists() && !force {
                return Err(format!(
                    "{} already exists; pass --force to replace it",
                    file.display()
                ));
            }
            let today = chrono::Local::now().date_naive();
            let project = Project::new(option_line("--title", &title), today);
            save_project(&file, &project).map_err(|e| e.to_string())?;
            println!("wrote {}", file.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// How many close ids an "unknown id" error suggests.
const SUGGESTIONS: usize = 3;

/// An option's value through the project's one-line rule (see `model/text.rs`); what the
/// rule changed is said on stderr, so nothing is stored changed without a word.
pub(crate) fn option_line(option: &str, value: &str) -> String {
    let cleaned = crate::model::text::one_line_field(value, crate::model::text::MAX_LINE_CHARS);
    for note in &cleaned.notes {
        eprintln!("note: {option}: {note}");
    }
    cleaned.text
}

/// A multi-line option's value (a comment) through the project's rule for such fields.
pub(crate) fn option_text(option: &str, value: &str) -> String {
    let cleaned = crate::model::text::multi_line_field(value);
    for note in &cleaned.notes {
        eprintln!("note: {option}: {note}");
    }
    cleaned.text
}

/// "unknown agreement `pariscall`; did you mean `paris-call`?": the closest of `ids`, so a
/// typo is fixed without opening the file.
pub(crate) fn unknown_id_message(kind: &str, wanted: &str, ids: &[&str]) -> String {
    let closest: Vec<String> = crate::model::closest_ids(wanted, ids.iter().copied(), SUGGESTIONS)
        .into_iter()
        .map(|id| format!("`{id}`"))
        .collect();
    match closest.as_slice() {
        [] => format!("unknown {kind} `{wanted}`: this project has no {kind}s"),
        [only] => format!("unknown {kind} `{wanted}`; did you mean {only}?"),
        [first @ .., last] => {
            format!(
                "unknown {kind} `{wanted}`; did you mean {} or {last}?",
                first.join(", ")
            )
        }
    }
}

/// Accepts `wanted` only if it is one of `ids`.
pub(crate) fn check_known_id(kind: &str, wanted: &str, ids: &[&str]) -> Result<(), String> {
    if ids.contains(&wanted) {
        Ok(())
    } else {
        Err(unknown_id_message(kind, wanted, ids))
    }
}

/// Every `--framework` must name one of the project's frameworks by id.
pub(crate) fn check_framework_ids(project: &Project, wanted: &[String]) -> Result<(), String> {
    let ids: Vec<&str> = project.frameworks.iter().map(|f| f.id.as_str()).collect();
    wanted
        .iter()
        .try_for_each(|w| check_known_id("framework", w, &ids))
}
