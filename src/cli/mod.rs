//! Command-line interface: checking, summaries, exports, and the collaboration commands
//! (`diff`, `merge`, `merge-driver`, `agreement`, `review-summary`).

mod sources;

pub use sources::{EvidenceCommand, SourceCommand, check_excerpts, source_list, source_text};

use crate::io::{load_project, save_project};
use crate::model::tally::{agreement_tally, element_tally};
use crate::model::text::counted;
use crate::model::{AgreementId, ElementId, Framework, Project, Tally};
use clap::{Parser, Subcommand, ValueEnum};
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
    /// Open in Review mode: assessments, notes and quotes are locked; review statuses and
    /// review comments can be set.
    #[arg(long)]
    pub review: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Load and validate a project and prove every quote against its source.
    ///
    /// Exits 1 when the file has problems or a quote is changed or missing in its source.
    Check {
        /// Project file (.ron)
        file: PathBuf,
    },
    /// Attach, list, show, replace and remove source texts (the agreements' own words).
    Source {
        #[command(subcommand)]
        what: SourceCommand,
    },
    /// Add quotes from a source to cells, anchored so that `check` can prove them.
    Evidence {
        #[command(subcommand)]
        what: EvidenceCommand,
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
    /// Export charts (SVG, PNG) or tables (CSV) for meetings and reports.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Bring spreadsheet work into a project.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// List what changed between two versions, matched by id (text, or CSV with --format csv).
    Diff {
        /// The older version (.ron)
        old: PathBuf,
        /// The newer version (.ron)
        new: PathBuf,
        /// How to list the changes
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Write here instead of printing
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Merge two copies of a project: three-way with --base, else two-way.
    ///
    /// Exits 0 when everything merged (or --prefer settled the conflicts), 1 when conflicts
    /// remain: they are kept as ours, marked Disputed with a note, and listed in the report.
    /// Exits 3, writing nothing, when an input has duplicate ids, orphan cells or dangling
    /// links, unless --repair is given.
    Merge {
        /// The version both copies started from; without it every difference is a conflict.
        #[arg(long)]
        base: Option<PathBuf>,
        /// Our copy (.ron)
        ours: PathBuf,
        /// Their copy (.ron)
        theirs: PathBuf,
        /// Where to write the merged project
        #[arg(long)]
        out: PathBuf,
        /// Settle conflicts by taking this side.
        #[arg(long, value_enum)]
        prefer: Option<PreferSide>,
        /// Where to write the conflict report (default: next to --out, `.conflicts.txt`)
        #[arg(long)]
        report: Option<PathBuf>,
        /// Repair damaged inputs first, listing each repair: a duplicate id gets a fresh id
        /// (both records kept), an orphan cell moves into a merge note, a dangling link goes.
        #[arg(long)]
        repair: bool,
    },
    /// Git merge driver: `normgrid merge-driver %O %A %B` (see docs/collaboration.md).
    ///
    /// Writes the merge into %A. Exits 1 on conflicts, which stay in the file as Disputed
    /// cells with merge notes, so git reports the conflict and nothing is lost. Exits 3 and
    /// leaves %A as it was when an input has duplicate ids, orphan cells or dangling links.
    MergeDriver {
        /// %O: the common ancestor
        base: PathBuf,
        /// %A: our version; the result is written here
        ours: PathBuf,
        /// %B: their version
        theirs: PathBuf,
    },
    /// How far coders agree: percent agreement, Cohen's kappa, Krippendorff's alpha.
    Agreement {
        /// Two or more independent codings of the same project (.ron)
        #[arg(required = true, num_args = 2..)]
        files: Vec<PathBuf>,
    },
    /// Per agreement: how many cells are Reviewed, Disputed, Needs review or untouched.
    ReviewSummary {
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

/// What `normgrid export` writes.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// A chart as .svg or .png (the extension decides).
    Chart {
        /// Which chart
        #[arg(long, value_enum)]
        kind: ChartKindArg,
        /// Framework ids to show (repeatable); each kind has a sensible default.
        #[arg(long)]
        framework: Vec<String>,
        /// Agreement ids, comma-separated; all by default. A profile charts the first.
        #[arg(long, value_delimiter = ',')]
        agreements: Vec<String>,
        /// Group heatmap rows.
        #[arg(long, value_enum)]
        group: Option<GroupArg>,
        /// `slide` (1920x1080, default), `a4`, or WIDTHxHEIGHT in pixels (400x300 to 16384x16384).
        #[arg(long, default_value = "slide")]
        size: String,
        /// PNG pixel density from 0.25 to 8: 2 renders twice the size for sharp projection.
        /// A PNG may have at most 100 megapixels.
        #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
        scale: f32,
        /// Output file (.svg or .png)
        #[arg(long)]
        out: PathBuf,
        /// Project file (.ron)
        project: PathBuf,
    },
    /// An Excel workbook: a coloured sheet per framework, notes as comments.
    Xlsx {
        /// Output file (.xlsx)
        #[arg(long)]
        out: PathBuf,
        /// Project file (.ron)
        project: PathBuf,
    },
    /// A self-contained HTML report in the BPF report's layout.
    Html {
        /// Output file (.html)
        #[arg(long)]
        out: PathBuf,
        /// Project file (.ron)
        project: PathBuf,
    },
    /// The review copy: one HTML file reviewers open in any browser to mark cells Reviewed,
    /// Disputed or Needs review and save their verdicts as a review file.
    Review {
        /// Output file (.html)
        #[arg(long)]
        out: PathBuf,
        /// Project file (.ron)
        project: PathBuf,
    },
    /// The cells as CSV that spreadsheets open directly.
    Csv {
        /// Which layout
        #[arg(long, value_enum, default_value_t = LayoutArg::Long)]
        layout: LayoutArg,
        /// Framework ids to include (repeatable); all by default.
        #[arg(long)]
        framework: Vec<String>,
        /// Output file (.csv)
        #[arg(long)]
        out: PathBuf,
        /// Project file (.ron)
        project: PathBuf,
    },
    /// A REFI-QDA project (.qdpx) for QualCoder, NVivo, MAXQDA and ATLAS.ti: agreements as
    /// cases, elements as codes, sources with their coded quotes, notes.
    Qdpx {
        /// Output file (.qdpx)
        #[arg(long)]
        out: PathBuf,
        /// Project file (.ron)
        project: PathBuf,
    },
    /// One element across every agreement: each quote for it, oldest agreement first.
    Element {
        /// Element id, e.g. ke-human-rights
        #[arg(long)]
        element: String,
        /// CSV for spreadsheets or a self-contained HTML page
        #[arg(long, value_enum, default_value_t = ElementFormatArg::Html)]
        format: ElementFormatArg,
        /// Output file (.csv or .html)
        #[arg(long)]
        out: PathBuf,
        /// Project file (.ron)
        project: PathBuf,
    },
}

/// `export element --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ElementFormatArg {
    /// CSV that spreadsheets open directly
    Csv,
    /// A self-contained HTML page
    Html,
}

impl From<ElementFormatArg> for crate::io::element_report::ElementFormat {
    fn from(format: ElementFormatArg) -> Self {
        match format {
            ElementFormatArg::Csv => Self::Csv,
            ElementFormatArg::Html => Self::Html,
        }
    }
}

/// `diff --format`: how to list the changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Readable text, grouped by what changed
    Text,
    /// One row per change, for spreadsheets
    Csv,
}

/// `merge --prefer`: the side that settles every conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PreferSide {
    /// Our copy
    Ours,
    /// Their copy
    Theirs,
}

impl From<PreferSide> for crate::collab::Side {
    fn from(side: PreferSide) -> Self {
        match side {
            PreferSide::Ours => Self::Ours,
            PreferSide::Theirs => Self::Theirs,
        }
    }
}

/// `export chart --kind`: which chart to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChartKindArg {
    /// Agreements × elements, coloured by assessment
    Heatmap,
    /// How many agreements say Yes, Indirect or No per element
    Prevalence,
    /// How many agreements include each UNGGE norm (a)–(k)
    Norms,
    /// One agreement's elements and norms
    Profile,
}

impl From<ChartKindArg> for crate::charts::ChartKind {
    fn from(kind: ChartKindArg) -> Self {
        match kind {
            ChartKindArg::Heatmap => Self::Heatmap,
            ChartKindArg::Prevalence => Self::Prevalence,
            ChartKindArg::Norms => Self::NormCoverage,
            ChartKindArg::Profile => Self::Profile,
        }
    }
}

/// `export chart --group`: how heatmap rows are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GroupArg {
    /// By the agreement's space: within a stakeholder group, across groups, United Nations
    Space,
    /// By how binding the agreement is on its signatories
    Binding,
}

impl From<GroupArg> for crate::charts::Grouping {
    fn from(group: GroupArg) -> Self {
        match group {
            GroupArg::Space => Self::Space,
            GroupArg::Binding => Self::Binding,
        }
    }
}

/// `export csv --layout`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// One row per cell, with ids
    Long,
    /// Agreements × elements, as a spreadsheet user lays it out
    Wide,
    /// One row per evidence excerpt: quote, locator, comment, source, page, check state
    Evidence,
}

impl From<LayoutArg> for crate::io::csv_export::CsvLayout {
    fn from(layout: LayoutArg) -> Self {
        match layout {
            LayoutArg::Long => Self::Long,
            LayoutArg::Wide => Self::Wide,
            LayoutArg::Evidence => Self::Evidence,
        }
    }
}

/// What `normgrid import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Cells from CSV in the long or wide layout (as `export csv` writes them).
    Csv {
        /// The CSV file
        file: PathBuf,
        /// Project to update (a .bak of it is kept)
        #[arg(long)]
        into: PathBuf,
        /// Import the good lines even when others have problems (they are still listed).
        #[arg(long)]
        skip_problems: bool,
    },
    /// A reviewer's verdicts, saved from a review copy ("Save my review"), as one step.
    ///
    /// Cells changed since the copy was made are listed, not applied. Exits 0 when the project
    /// was written (or had nothing to change), 1 when the review file is refused (nothing
    /// written).
    Review {
        /// The review file (.json)
        file: PathBuf,
        /// Project to update (a .bak of it is kept)
        #[arg(long)]
        into: PathBuf,
        /// Print what would happen and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

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

fn export(what: ExportCommand) -> Result<ExitCode, String> {
    use crate::charts::{ChartSize, ChartSpec, Grouping, build_chart};
    use crate::io::csv_export::project_to_csv;
    use crate::model::{AgreementId, FrameworkId};
    let (bytes, out) = match what {
        ExportCommand::Chart {
            kind,
            framework,
            agreements,
            group,
            size,
            scale,
            out,
            project,
        } => {
            let project = load_project(&project).map_err(|e| e.to_string())?.project;
            check_framework_ids(&project, &framework)?;
            let agreement_ids: Vec<&str> =
                project.agreements.iter().map(|a| a.id.as_str()).collect();
            for wanted in &agreements {
                check_known_id("agreement", wanted, &agreement_ids)?;
            }
            let mut spec = ChartSpec::new(kind.into());
            spec.frameworks = framework.into_iter().map(FrameworkId::new).collect();
            if !agreements.is_empty() {
                spec.agreements = Some(agreements.into_iter().map(AgreementId::new).collect());
            }
            spec.grouping = group.map_or(Grouping::None, Grouping::from);
            spec.size = ChartSize::parse(&size).map_err(|e| e.to_string())?;
            let chart = build_chart(&project, &spec).map_err(|e| e.to_string())?;
            let bytes = crate::charts::chart_file_bytes(&chart, &out, scale)?;
            (bytes, out)
        }
        ExportCommand::Xlsx { out, project } => {
            let project = load_project(&project).map_err(|e| e.to_string())?.project;
            let bytes = crate::io::xlsx_export::project_to_xlsx(&project)
                .map_err(|e| format!("could not build the workbook: {e}"))?;
            (bytes, out)
        }
        ExportCommand::Html { out, project } => {
            let project = load_project(&project).map_err(|e| e.to_string())?.project;
            (
                crate::io::html_report::project_to_html(&project).into_bytes(),
                out,
            )
        }
        ExportCommand::Review { out, project: path } => {
            let project = load_project(&path).map_err(|e| e.to_string())?.project;
            let crops = crate::io::review_copy::pages::page_crops(&project, Some(&path));
            for note in &crops.notes {
                eprintln!("{}: {note}", path.display());
            }
            if !crops.is_empty() {
                eprintln!(
                    "{} quote(s) shown on their page ({} KB of page images)",
                    crops.len(),
                    crops.bytes / 1024
                );
            }
            let html =
                crate::io::review_copy::review_copy_html(&project, chrono::Utc::now(), &crops)
                    .map_err(|e| e.to_string())?;
            (html.into_bytes(), out)
        }
        ExportCommand::Csv {
            layout,
            framework,
            out,
            project,
        } => {
            let project = load_project(&project).map_err(|e| e.to_string())?.project;
            check_framework_ids(&project, &framework)?;
            let frameworks: Vec<FrameworkId> =
                framework.into_iter().map(FrameworkId::new).collect();
            (
                project_to_csv(&project, layout.into(), &frameworks).into_bytes(),
                out,
            )
        }
        ExportCommand::Qdpx { out, project } => {
            let project = load_project(&project).map_err(|e| e.to_string())?.project;
            let export = crate::io::qdpx::project_to_qdpx(&project).map_err(|e| e.to_string())?;
            crate::io::write_atomically(&out, &export.bytes, false).map_err(|e| e.to_string())?;
            println!("wrote {}: {}", out.display(), export.summary.line());
            return Ok(ExitCode::SUCCESS);
        }
        ExportCommand::Element {
            element,
            format,
            out,
            project,
        } => {
            let project = load_project(&project).map_err(|e| e.to_string())?.project;
            let element_ids: Vec<&str> = project.elements().map(|(_, e)| e.id.as_str()).collect();
            check_known_id("element", &element, &element_ids)?;
            let bytes = crate::io::element_report::element_report(
                &project,
                &ElementId::new(element),
                format.into(),
            );
            (bytes, out)
        }
    };
    crate::io::write_atomically(&out, &bytes, false).map_err(|e| e.to_string())?;
    println!("wrote {}", out.display());
    Ok(ExitCode::SUCCESS)
}

fn import_csv_file(file: &Path, into: &Path, skip_problems: bool) -> Result<ExitCode, String> {
    let project = load_project(into).map_err(|e| e.to_string())?.project;
    // A CSV larger than the project cap could only make a project normgrid refuses to open;
    // refuse it before reading it whole.
    let size = std::fs::metadata(file)
        .map_err(|e| format!("{}: could not read: {e}", file.display()))?
        .len();
    if size > crate::io::MAX_FILE_BYTES {
        return Err(format!(
            "{}: the CSV is {size} bytes; normgrid imports CSV files up to {} bytes, the size of \
             the largest project it opens. Split the CSV and import the parts one by one.",
            file.display(),
            crate::io::MAX_FILE_BYTES
        ));
    }
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("{}: could not read: {e}", file.display()))?;
    let import = crate::io::csv_import::import_csv(&project, &text)
        .map_err(|p| format!("{}: {p}", file.display()))?;
    for problem in &import.problems {
        println!("{}: {problem}", file.display());
    }
    if !import.problems.is_empty() && !skip_problems {
        println!(
            "{}; nothing imported. Fix them, or pass --skip-problems to import the other lines.",
            counted(import.problems.len(), "problem", "problems")
        );
        return Ok(ExitCode::from(1));
    }
    if import.changed_cells == 0 {
        println!("no cell changed; {} left as it was", into.display());
    } else {
        // The size is checked before writing, so the import never saves a file `check` refuses.
        let (_, text) = crate::io::csv_import::project_after_import(
            &project,
            &import,
            crate::io::MAX_FILE_BYTES,
        )
        .map_err(|e| format!("{}: {e}", into.display()))?;
        crate::io::write_atomically(into, text.as_bytes(), true).map_err(|e| e.to_string())?;
        println!(
            "imported {} into {}",
            counted(import.changed_cells, "changed cell", "changed cells"),
            into.display()
        );
    }
    Ok(if import.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `import review`: applies a reviewer's verdicts to the project file and prints the summary.
fn import_review_file(file: &Path, into: &Path, dry_run: bool) -> Result<ExitCode, String> {
    let project = load_project(into).map_err(|e| e.to_string())?.project;
    let review = match crate::io::review_file::read_review_file(file) {
        Ok(review) => review,
        Err(error) => {
            eprintln!("error: {error}");
            return Ok(ExitCode::from(1));
        }
    };
    let import = match crate::collab::review_import::plan_review_import(&project, &review) {
        Ok(import) => import,
        Err(refusal) => {
            eprintln!(
                "error: {}: {refusal} {} was not changed.",
                file.display(),
                into.display()
            );
            return Ok(ExitCode::from(1));
        }
    };
    println!("{}", import.summary_text());
    // Which cells, so the volunteer needs no diff to see what the review did.
    for verdict in &import.applied {
        let comment = if verdict.comment.is_empty() {
            String::new()
        } else {
            format!(": {}", verdict.comment)
        };
        println!(
            "  {} {}{comment}",
            verdict.status.review_status().label(),
            verdict.cell.label
        );
    }
    match &import.command {
        Some(_) if dry_run => println!("--dry-run: {} was not changed.", into.display()),
        Some(command) => {
            let mut reviewed = project;
            command
                .apply(&mut reviewed)
                .map_err(|e| format!("{}: {e}; nothing was written", into.display()))?;
            save_project(into, &reviewed).map_err(|e| e.to_string())?;
            println!("wrote {}", into.display());
        }
        None => println!("{} left as it was.", into.display()),
    }
    Ok(ExitCode::SUCCESS)
}

/// Merges files for `merge` and `merge-driver`. Conflicts go to `report` (or stderr).
/// Damaged inputs are refused, writing nothing, unless `repair` is set.
fn merge_files(
    base: Option<&Path>,
    ours: &Path,
    theirs: &Path,
    out: &Path,
    fallback: crate::collab::Fallback,
    report: Option<&Path>,
    repair: bool,
) -> Result<ExitCode, String> {
    use crate::collab::merge_inputs::{EXIT_INPUTS_REFUSED, side_name};
    let load = |path: &Path| {
        load_project(path)
            .map(|loaded| loaded.project)
            .map_err(|e| e.to_string())
    };
    let base_project = base.map(load).transpose()?;
    let ours_project = load(ours)?;
    let theirs_project = load(theirs)?;
    let base_name = base.map_or_else(|| "(none: two-way)".to_owned(), |b| b.display().to_string());
    let (ours_name, theirs_name) = (ours.display().to_string(), theirs.display().to_string());
    let names = [base_name.as_str(), ours_name.as_str(), theirs_name.as_str()];
    let inputs = match crate::collab::MergeInputs::prepare(
        base_project.as_ref(),
        &ours_project,
        &theirs_project,
        repair,
        chrono::Local::now().date_naive(),
    ) {
        Ok(inputs) => inputs,
        Err(refusal) => {
            for found in &refusal.problems {
                let name = side_name(names, found.side);
                eprintln!("{name} ({}): {}", found.side.label(), found.problem);
            }
            let advice = if refusal.repair_tried {
                "A repair cannot fix these: fix the files by hand."
            } else if report.is_some() {
                "Fix the files (normgrid check FILE lists the problems), or pass --repair to rename duplicates, keep orphan cells in merge notes and remove dangling links, each listed."
            } else {
                "Fix the files (normgrid check FILE lists the problems), or merge them with normgrid merge --repair."
            };
            eprintln!(
                "merge refused: {} in the inputs would be lost or mixed up by the merge; nothing was written. {advice}",
                counted(refusal.problems.len(), "problem", "problems")
            );
            return Ok(ExitCode::from(EXIT_INPUTS_REFUSED));
        }
    };
    let repairs = inputs.repairs_text(names);
    print!("{repairs}");
    let mut result = crate::collab::merge_projects(
        inputs.base.as_ref(),
        &inputs.ours,
        &inputs.theirs,
        &Default::default(),
        fallback,
    );
    inputs.keep_removed_content(&mut result.project);
    for problem in crate::model::validate::problems(&result.project) {
        eprintln!("warning: merged project: {problem}");
    }
    if report.is_some() {
        save_project(out, &result.project).map_err(|e| e.to_string())?;
    } else {
        // Git's %A is a temporary file: no .bak beside it in the work tree.
        let text = crate::io::project_to_ron(&result.project).map_err(|e| e.to_string())?;
        crate::io::write_atomically(out, text.as_bytes(), false).map_err(|e| e.to_string())?;
    }
    let text = format!("{repairs}{}", result.report(names));
    let unresolved = result.unresolved();
    let repaired = if inputs.repairs.is_empty() {
        String::new()
    } else {
        format!(
            " after {}",
            counted(inputs.repairs.len(), "repair", "repairs")
        )
    };
    match report {
        Some(report) if !result.conflicts.is_empty() || !inputs.repairs.is_empty() => {
            crate::io::write_atomically(report, text.as_bytes(), false)
                .map_err(|e| e.to_string())?;
            println!(
                "wrote {}: {}, {unresolved} unresolved{repaired}; report in {}",
                out.display(),
                counted(result.conflicts.len(), "conflict", "conflicts"),
                report.display()
            );
        }
        Some(_) => println!(
            "wrote {}: merged without conflicts ({} from ours, {} from theirs)",
            out.display(),
            counted(result.taken_from_ours, "change", "changes"),
            result.taken_from_theirs
        ),
        None if unresolved > 0 => eprint!("{text}"),
        None => {}
    }
    if unresolved > 0 {
        println!(
            "{} ours and marked Disputed with a merge note; resolve them in normgrid (toolbar: Review status → Disputed) or pass --prefer ours|theirs.",
            counted(unresolved, "conflict kept", "conflicts kept")
        );
        Ok(ExitCode::from(1))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

fn check(file: &Path) -> Result<ExitCode, String> {
    let loaded = load_project(file).map_err(|e| e.to_string())?;
    let project = &loaded.project;
    let (quotes, counts) = check_excerpts(project);
    for line in quotes.lines() {
        println!("{}: {line}", file.display());
    }
    if loaded.problems.is_empty() && counts.has_failures() {
        return Ok(ExitCode::from(1));
    }
    if loaded.problems.is_empty() {
        println!(
            "{}: ok: {} agreements, {} elements in {} frameworks, {} cells filled, {} initiatives, {} notes, {}",
            file.display(),
            project.agreements.len(),
            project.elements().count(),
            project.frameworks.len(),
            project.cells.len(),
            project.initiatives.len(),
            project.notes.len(),
            counted(project.sources.len(), "source", "sources"),
        );
        Ok(ExitCode::SUCCESS)
    } else {
        for problem in &loaded.problems {
            println!("{}: {problem}", file.display());
        }
        println!(
            "{} found",
            counted(loaded.problems.len(), "problem", "problems")
        );
        Ok(ExitCode::from(1))
    }
}

/// How many close ids an "unknown id" error suggests.
const SUGGESTIONS: usize = 3;

/// "unknown agreement `pariscall`; did you mean `paris-call`?": the closest of `ids`, so a
/// typo is fixed without opening the file.
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
fn check_known_id(kind: &str, wanted: &str, ids: &[&str]) -> Result<(), String> {
    if ids.contains(&wanted) {
        Ok(())
    } else {
        Err(unknown_id_message(kind, wanted, ids))
    }
}

/// Every `--framework` must name one of the project's frameworks by id.
fn check_framework_ids(project: &Project, wanted: &[String]) -> Result<(), String> {
    let ids: Vec<&str> = project.frameworks.iter().map(|f| f.id.as_str()).collect();
    wanted
        .iter()
        .try_for_each(|w| check_known_id("framework", w, &ids))
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
                .ok_or_else(|| {
                    let ids: Vec<&str> = project.frameworks.iter().map(|f| f.id.as_str()).collect();
                    unknown_id_message("framework", wanted, &ids)
                })?;
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
