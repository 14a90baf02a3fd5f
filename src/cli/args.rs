//! The command line's arguments, as clap reads them. Handlers are in the files beside this.

use super::sources::{EvidenceCommand, SourceCommand};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

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
        /// `slide` (16:9, 1920x1080, default), `slide-4:3` (1600x1200), `a4`, or WIDTHxHEIGHT in
        /// pixels (400x300 to 16384x16384).
        #[arg(long, default_value = "slide")]
        size: String,
        /// A title for the slide instead of the chart's own.
        #[arg(long, default_value = "")]
        title: String,
        /// A subtitle instead of the chart's own.
        #[arg(long, default_value = "")]
        subtitle: String,
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

impl From<ElementFormatArg> for crate::export::element_report::ElementFormat {
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
