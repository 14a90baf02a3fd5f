//! Command-line interface: `normgrid check|summary|new`.

use crate::io::{load_project, save_project};
use crate::model::tally::{agreement_tally, element_tally};
use crate::model::{AgreementId, ElementId, Framework, Project, Tally};
use clap::{Parser, Subcommand};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Map international cybersecurity agreements against analysis elements.
#[derive(Debug, Parser)]
#[command(name = "normgrid", version, about, long_about = None, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<CliCommand>,
    /// Project to open in the window; without one, the built-in BPF 2019 sample opens.
    pub file: Option<PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Load and validate a project; exits non-zero if anything is wrong.
    Check {
        /// Project file (.ron)
        file: PathBuf,
    },
    /// Print Yes / Indirect / No counts per element and the agreements × elements grid.
    Summary {
        /// Project file (.ron)
        file: PathBuf,
        /// Only this framework (id or name); all frameworks by default.
        #[arg(long)]
        framework: Option<String>,
    },
    /// Rewrite a hand-edited project file in canonical form (keeps a .bak).
    Fmt {
        /// Project file (.ron)
        file: PathBuf,
    },
    /// Write an empty project that holds the two standard frameworks.
    New {
        /// Where to write the project (.ron)
        file: PathBuf,
        /// Project title
        #[arg(long, default_value = "Untitled mapping")]
        title: String,
        /// Replace the file if it exists
        #[arg(long)]
        force: bool,
    },
}

/// Parses the process arguments and runs the command.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => match crate::ui::run(cli.file) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: could not open the normgrid window: {error}");
                eprintln!("The command line works without a display: normgrid --help");
                ExitCode::from(2)
            }
        },
        Some(command) => match run_command(command) {
            Ok(code) => code,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
    }
}

fn run_command(command: CliCommand) -> Result<ExitCode, String> {
    match command {
        CliCommand::Check { file } => check(&file),
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
            save_project(&file, &loaded.project).map_err(|e| e.to_string())?;
            println!("formatted {}", file.display());
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
            let project = Project::new(title, today);
            save_project(&file, &project).map_err(|e| e.to_string())?;
            println!("wrote {}", file.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn check(file: &Path) -> Result<ExitCode, String> {
    let loaded = load_project(file).map_err(|e| e.to_string())?;
    let project = &loaded.project;
    if loaded.problems.is_empty() {
        println!(
            "{}: ok: {} agreements, {} elements in {} frameworks, {} cells filled, {} initiatives, {} notes",
            file.display(),
            project.agreements.len(),
            project.elements().count(),
            project.frameworks.len(),
            project.cells.len(),
            project.initiatives.len(),
            project.notes.len(),
        );
        Ok(ExitCode::SUCCESS)
    } else {
        for problem in &loaded.problems {
            println!("{}: {problem}", file.display());
        }
        println!("{} problem(s) found", loaded.problems.len());
        Ok(ExitCode::from(1))
    }
}

/// The plain-text summary `normgrid summary` prints.
pub fn summary_text(project: &Project, framework: Option<&str>) -> Result<String, String> {
    let frameworks: Vec<&Framework> = match framework {
        None => project.frameworks.iter().collect(),
        Some(wanted) => {
            let found = project
                .frameworks
                .iter()
                .find(|f| f.id.as_str() == wanted || f.name.eq_ignore_ascii_case(wanted))
                .ok_or_else(|| format!("no framework `{wanted}` in this project"))?;
            vec![found]
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "{} (as of {})", project.title, project.as_of);
    let agreements: Vec<AgreementId> = project.agreements.iter().map(|a| a.id.clone()).collect();
    for framework in frameworks {
        let _ = writeln!(out);
        framework_summary(&mut out, project, framework, &agreements);
    }
    Ok(out)
}

fn framework_summary(
    out: &mut String,
    project: &Project,
    framework: &Framework,
    agreements: &[AgreementId],
) {
    let elements: Vec<ElementId> = framework.elements.iter().map(|e| e.id.clone()).collect();
    let _ = writeln!(
        out,
        "== {} ({} elements) ==",
        framework.name,
        elements.len()
    );
    let assessed = project
        .agreements
        .iter()
        .any(|a| agreement_tally(project, &a.id, &elements).not_assessed < elements.len());
    if !assessed {
        let _ = writeln!(out, "No cells of this framework are assessed yet.");
        return;
    }

    let _ = writeln!(out, "\nPer element (over {} agreements):", agreements.len());
    let name_width = framework
        .elements
        .iter()
        .map(|e| e.display_name().chars().count())
        .max()
        .unwrap_or(0)
        .max(7)
        + 4;
    let _ = writeln!(out, "{:<name_width$}{}", "Element", tally_header());
    for (n, element) in framework.elements.iter().enumerate() {
        let tally = element_tally(project, &element.id, agreements);
        let name = format!("{:>2} {}", column_key(framework, n), element.display_name());
        let _ = writeln!(out, "{name:<name_width$}{}", tally_row(tally));
    }

    let _ = writeln!(
        out,
        "\nPer agreement (Y = yes, I = indirect, N = no, · = not assessed):"
    );
    let short_width = project
        .agreements
        .iter()
        .map(|a| a.short_name.chars().count())
        .max()
        .unwrap_or(0)
        .max(9)
        + 2;
    let mut header = format!("{:<short_width$}", "Agreement");
    for n in 0..elements.len() {
        let _ = write!(header, "{:>3}", column_key(framework, n));
    }
    let _ = writeln!(out, "{header}  {}", tally_header());
    for agreement in &project.agreements {
        let mut line = format!("{:<short_width$}", agreement.short_name);
        for element in &elements {
            let _ = write!(
                line,
                "{:>3}",
                project.assessment(&agreement.id, element).letter()
            );
        }
        let tally = agreement_tally(project, &agreement.id, &elements);
        let _ = writeln!(out, "{line}  {}", tally_row(tally));
    }
}

/// Norms keep their letters (a)–(k); other elements are numbered from 1.
fn column_key(framework: &Framework, index: usize) -> String {
    let label = framework.elements[index].label.trim();
    let letter = label.trim_start_matches('(').trim_end_matches(')');
    if letter.is_empty() {
        (index + 1).to_string()
    } else {
        letter.to_owned()
    }
}

fn tally_header() -> String {
    format!("{:>5}{:>5}{:>5}{:>5}", "Yes", "Ind", "No", "n/a")
}

fn tally_row(tally: Tally) -> String {
    format!(
        "{:>5}{:>5}{:>5}{:>5}",
        tally.yes, tally.indirect, tally.no, tally.not_assessed
    )
}
