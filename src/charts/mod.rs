//! Charts for meetings and reports. A chart is computed from the project and a selection into a
//! [`Chart`] description, then drawn by one renderer ([`svg::chart_to_svg`]) so the screen and
//! the exported files show the same picture. No egui here.

pub mod png;
pub mod svg;
pub mod text;

use crate::model::standard::{KEY_ELEMENTS_FRAMEWORK, UNGGE_NORMS_FRAMEWORK};
use crate::model::text::without_forbidden_controls;
use crate::model::{
    AgreementId, Assessment, Binding, ElementId, FrameworkId, Project, Space, Tally,
};

/// The kinds of chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// Agreements × elements, coloured by assessment.
    Heatmap,
    /// One stacked bar per element: Yes, Indirect, No across the agreements.
    Prevalence,
    /// One bar per UNGGE norm (a)–(k): how many agreements include it.
    NormCoverage,
    /// One agreement's elements and norms.
    Profile,
}

impl ChartKind {
    /// Parses the CLI name (`heatmap`, `prevalence`, `norms`, `profile`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "heatmap" => Some(Self::Heatmap),
            "prevalence" => Some(Self::Prevalence),
            "norms" => Some(Self::NormCoverage),
            "profile" => Some(Self::Profile),
            _ => None,
        }
    }
}

/// How heatmap rows are grouped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Grouping {
    #[default]
    None,
    Space,
    Binding,
}

/// Output size in pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChartSize {
    pub width: u32,
    pub height: u32,
}

/// Narrowest chart whose labels still fit, in pixels.
pub const MIN_WIDTH: u32 = 400;
/// Lowest chart whose labels still fit, in pixels.
pub const MIN_HEIGHT: u32 = 300;
/// Largest side of a chart, and of a PNG after scaling, in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// Most pixels a PNG may have after scaling: 100 megapixels, 400 MB while it is drawn.
pub const MAX_PIXELS: u64 = 100_000_000;
/// Smallest PNG scale a user may ask for.
pub const MIN_SCALE: f32 = 0.25;
/// Largest PNG scale a user may ask for.
pub const MAX_SCALE: f32 = 8.0;

/// Why a chart size or scale is refused; checked before anything is drawn or allocated.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ChartSizeError {
    #[error("unknown size `{0}`: use slide, a4 or WIDTHxHEIGHT in pixels (e.g. 1920x1080)")]
    Unreadable(String),
    #[error(
        "a chart of {width}×{height} pixels is out of range: the width must be {MIN_WIDTH} to {MAX_SIDE} and the height {MIN_HEIGHT} to {MAX_SIDE} pixels"
    )]
    OutOfRange { width: u64, height: u64 },
    #[error("scale `{0}` is out of range: use a number from {MIN_SCALE} to {MAX_SCALE}")]
    Scale(f32),
    #[error("scale `{0}` must be a number above 0")]
    NotPositive(f32),
    #[error("a PNG of {width:.0}×{height:.0} pixels would be empty: use a larger scale")]
    Empty { width: f64, height: f64 },
    #[error(
        "a PNG of {width:.0}×{height:.0} pixels is too large: at most {MAX_SIDE} pixels a side and {MAX_PIXELS} pixels (100 megapixels) in all; use a smaller size or scale"
    )]
    TooManyPixels { width: f64, height: f64 },
}

impl ChartSize {
    /// 16:9 slide, the default.
    pub const SLIDE: Self = Self {
        width: 1920,
        height: 1080,
    };
    /// 4:3 slide, for older projectors and templates.
    pub const SLIDE_4_3: Self = Self {
        width: 1600,
        height: 1200,
    };
    /// A4 landscape at 150 dpi.
    pub const A4_LANDSCAPE: Self = Self {
        width: 1754,
        height: 1240,
    };

    /// Parses `1920x1080`, `slide`, `slide-4:3` or `a4`; refuses sizes outside the documented
    /// limits.
    pub fn parse(text: &str) -> Result<Self, ChartSizeError> {
        match text.to_ascii_lowercase().as_str() {
            "slide" | "slide-16:9" => Ok(Self::SLIDE),
            "slide-4:3" | "4:3" => Ok(Self::SLIDE_4_3),
            "a4" | "a4-landscape" => Ok(Self::A4_LANDSCAPE),
            other => {
                let unreadable = || ChartSizeError::Unreadable(text.to_owned());
                let (w, h) = other.split_once('x').ok_or_else(unreadable)?;
                let width: u64 = w.trim().parse().map_err(|_| unreadable())?;
                let height: u64 = h.trim().parse().map_err(|_| unreadable())?;
                let size = Self {
                    width: u32::try_from(width).unwrap_or(u32::MAX),
                    height: u32::try_from(height).unwrap_or(u32::MAX),
                };
                size.check()
            }
        }
    }

    /// This size when it is within [`MIN_WIDTH`], [`MIN_HEIGHT`] and [`MAX_SIDE`].
    pub fn check(self) -> Result<Self, ChartSizeError> {
        if (MIN_WIDTH..=MAX_SIDE).contains(&self.width)
            && (MIN_HEIGHT..=MAX_SIDE).contains(&self.height)
        {
            Ok(self)
        } else {
            Err(ChartSizeError::OutOfRange {
                width: self.width.into(),
                height: self.height.into(),
            })
        }
    }
}

/// Checks a user's PNG `scale`: finite and from [`MIN_SCALE`] to [`MAX_SCALE`].
pub fn check_scale(scale: f32) -> Result<f32, ChartSizeError> {
    if scale.is_finite() && (MIN_SCALE..=MAX_SCALE).contains(&scale) {
        Ok(scale)
    } else {
        Err(ChartSizeError::Scale(scale))
    }
}

/// The pixel size of a `width`×`height` picture drawn at `scale`, when it is within
/// [`MAX_SIDE`] and [`MAX_PIXELS`]; `scale` must be finite and positive. Every PNG passes
/// here before its pixels are allocated, whoever asks for it.
pub fn png_pixels(width: f32, height: f32, scale: f32) -> Result<(u32, u32), ChartSizeError> {
    if !scale.is_finite() || scale <= 0.0 {
        return Err(ChartSizeError::NotPositive(scale));
    }
    let (w, h) = (
        (f64::from(width) * f64::from(scale)).round(),
        (f64::from(height) * f64::from(scale)).round(),
    );
    if w < 1.0 || h < 1.0 {
        return Err(ChartSizeError::Empty {
            width: w,
            height: h,
        });
    }
    let side = f64::from(MAX_SIDE);
    // NaN sizes fail every comparison, so the test is written to let only good sizes through.
    let fits = (1.0..=side).contains(&w) && (1.0..=side).contains(&h) && w * h <= MAX_PIXELS as f64;
    if fits {
        // Both are whole numbers from 1 to MAX_SIDE here, so the casts are exact.
        Ok((w as u32, h as u32))
    } else {
        Err(ChartSizeError::TooManyPixels {
            width: w,
            height: h,
        })
    }
}

/// What to chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartSpec {
    pub kind: ChartKind,
    /// Frameworks whose elements to show; empty means the kind's default.
    pub frameworks: Vec<FrameworkId>,
    /// Agreements to include, in order; `None` means all, in file order.
    pub agreements: Option<Vec<AgreementId>>,
    pub grouping: Grouping,
    /// Bars sorted by how many agreements include the element (else framework order).
    /// Norms always keep their (a)–(k) order.
    pub sort_by_count: bool,
    /// The agreement a profile is about.
    pub profile: Option<AgreementId>,
    pub size: ChartSize,
    /// A title to print instead of the chart's own; empty keeps the chart's.
    pub title: String,
    /// A subtitle to print instead of the chart's own; empty keeps the chart's.
    pub subtitle: String,
}

impl ChartSpec {
    /// A chart of `kind` with the defaults: all agreements, slide size.
    pub fn new(kind: ChartKind) -> Self {
        Self {
            kind,
            frameworks: Vec::new(),
            agreements: None,
            grouping: Grouping::None,
            sort_by_count: kind == ChartKind::Prevalence,
            profile: None,
            size: ChartSize::SLIDE,
            title: String::new(),
            subtitle: String::new(),
        }
    }
}

/// A computed chart, ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub title: String,
    pub subtitle: String,
    /// The project's description, printed above the source line where it fits.
    pub description: String,
    /// Where the data comes from (the project's title and as-of date), printed at the foot.
    pub source: String,
    pub size: ChartSize,
    pub body: ChartBody,
}

/// The data a chart shows.
#[derive(Clone, Debug, PartialEq)]
pub enum ChartBody {
    Heatmap {
        columns: Vec<HeatColumn>,
        rows: Vec<HeatRow>,
    },
    Bars {
        bars: Vec<Bar>,
        /// Agreements counted per bar.
        total: usize,
        /// Printed under the bars, e.g. when nothing is assessed yet.
        note: Option<String>,
    },
    Profile {
        sections: Vec<ProfileSection>,
    },
}

/// A heatmap column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeatColumn {
    pub label: String,
    pub framework: String,
}

/// A heatmap row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeatRow {
    /// Group heading this row starts, when grouping.
    pub group: Option<String>,
    pub short_name: String,
    pub full_name: String,
    pub cells: Vec<Assessment>,
}

/// One bar: an element and its counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub tally: Tally,
}

/// One framework's part of a profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileSection {
    pub framework: String,
    pub items: Vec<(String, Assessment)>,
}

/// Why a chart could not be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    #[error("no framework `{0}` in this project")]
    UnknownFramework(String),
    #[error("no agreement `{0}` in this project")]
    UnknownAgreement(String),
    #[error("a profile needs an agreement (--agreements ID)")]
    NoProfileAgreement,
}

/// Computes the chart `spec` asks for.
pub fn build_chart(project: &Project, spec: &ChartSpec) -> Result<Chart, ChartError> {
    let agreements: Vec<&crate::model::Agreement> = match &spec.agreements {
        None => project.agreements.iter().collect(),
        Some(ids) => ids
            .iter()
            .map(|id| {
                project
                    .agreement(id)
                    .ok_or_else(|| ChartError::UnknownAgreement(id.to_string()))
            })
            .collect::<Result<_, _>>()?,
    };
    let default_frameworks: &[&str] = match spec.kind {
        ChartKind::Heatmap | ChartKind::Profile => &[],
        ChartKind::Prevalence => &[KEY_ELEMENTS_FRAMEWORK],
        ChartKind::NormCoverage => &[UNGGE_NORMS_FRAMEWORK],
    };
    let framework_ids: Vec<FrameworkId> = if spec.frameworks.is_empty() {
        if default_frameworks.is_empty() {
            project.frameworks.iter().map(|f| f.id.clone()).collect()
        } else {
            default_frameworks
                .iter()
                .map(|id| FrameworkId::new(*id))
                .collect()
        }
    } else {
        spec.frameworks.clone()
    };
    let frameworks = framework_ids
        .iter()
        .map(|id| {
            project
                .framework(id)
                .ok_or_else(|| ChartError::UnknownFramework(id.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let framework_names = frameworks
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(" and ");
    let source = format!(
        "Source: {}, as of {}. Chart made with normgrid.",
        project.title,
        project.as_of.format("%-d %B %Y")
    );
    let count = agreements.len();

    let (title, subtitle, body) = match spec.kind {
        ChartKind::Heatmap => {
            let columns: Vec<HeatColumn> = frameworks
                .iter()
                .flat_map(|f| {
                    f.elements.iter().map(|e| HeatColumn {
                        label: e.display_name(),
                        framework: f.name.clone(),
                    })
                })
                .collect();
            let element_ids: Vec<_> = frameworks
                .iter()
                .flat_map(|f| f.elements.iter().map(|e| e.id.clone()))
                .collect();
            // The columns in id order, to walk each agreement's cells (kept in id order) once.
            let mut by_id: Vec<usize> = (0..element_ids.len()).collect();
            by_id.sort_by(|&x, &y| element_ids[x].cmp(&element_ids[y]));
            let mut ordered = agreements.clone();
            let group_of = |a: &crate::model::Agreement| match spec.grouping {
                Grouping::None => None,
                Grouping::Space => Some((a.space as usize, space_heading(a.space))),
                Grouping::Binding => Some((a.binding as usize, binding_heading(a.binding))),
            };
            if spec.grouping != Grouping::None {
                // Stable: file order within each group; groups in the report's order.
                ordered.sort_by_key(|a| group_rank(spec.grouping, a));
            }
            let mut previous = None;
            let rows = ordered
                .iter()
                .map(|a| {
                    let group = group_of(a).map(|(_, name)| name);
                    let starts = group.is_some() && group != previous;
                    previous.clone_from(&group);
                    HeatRow {
                        group: if starts { group } else { None },
                        short_name: a.short_name.clone(),
                        full_name: a.name.clone(),
                        cells: row_assessments(project.cells.row(&a.id), &element_ids, &by_id),
                    }
                })
                .collect();
            (
                "What each agreement includes".to_owned(),
                format!(
                    "{count} agreements × {} elements: {framework_names}",
                    columns.len()
                ),
                ChartBody::Heatmap { columns, rows },
            )
        }
        ChartKind::Prevalence | ChartKind::NormCoverage => {
            let ids: Vec<AgreementId> = agreements.iter().map(|a| a.id.clone()).collect();
            let mut bars: Vec<Bar> = frameworks
                .iter()
                .flat_map(|f| f.elements.iter())
                .map(|e| Bar {
                    label: e.display_name(),
                    tally: crate::model::tally::element_tally(project, &e.id, &ids),
                })
                .collect();
            let norms = spec.kind == ChartKind::NormCoverage;
            if spec.sort_by_count && !norms {
                bars.sort_by_key(|b| std::cmp::Reverse((b.tally.present(), b.tally.yes)));
            }
            let assessed: usize = bars
                .iter()
                .map(|b| b.tally.total() - b.tally.not_assessed)
                .sum();
            let note = (assessed == 0).then(|| {
                format!(
                    "None of the {count} agreements has been assessed against these elements yet."
                )
            });
            let (title, subtitle) = if norms {
                (
                    "How many agreements include each UNGGE 2015 norm".to_owned(),
                    format!("Norms (a)–(k) of A/70/174 para. 13, across {count} agreements"),
                )
            } else {
                (
                    "How widespread is each key element?".to_owned(),
                    format!("{framework_names}, across {count} agreements"),
                )
            };
            (
                title,
                subtitle,
                ChartBody::Bars {
                    bars,
                    total: count,
                    note,
                },
            )
        }
        ChartKind::Profile => {
            let id = spec
                .profile
                .clone()
                .or_else(|| spec.agreements.as_ref().and_then(|a| a.first().cloned()))
                .ok_or(ChartError::NoProfileAgreement)?;
            let agreement = project
                .agreement(&id)
                .ok_or_else(|| ChartError::UnknownAgreement(id.to_string()))?;
            let sections = frameworks
                .iter()
                .map(|f| ProfileSection {
                    framework: f.name.clone(),
                    items: f
                        .elements
                        .iter()
                        .map(|e| (e.display_name(), project.assessment(&id, &e.id)))
                        .collect(),
                })
                .collect();
            let year = agreement
                .year
                .map(|y| format!("{y} · "))
                .unwrap_or_default();
            (
                agreement.name.clone(),
                format!(
                    "{year}{} · {}",
                    agreement.space.label(),
                    agreement.binding.label()
                ),
                ChartBody::Profile { sections },
            )
        }
    };
    // What the volunteer typed for the slide wins over the chart's own words.
    let title = if spec.title.trim().is_empty() {
        title
    } else {
        spec.title.trim().to_owned()
    };
    let subtitle = if spec.subtitle.trim().is_empty() {
        subtitle
    } else {
        spec.subtitle.trim().to_owned()
    };
    let mut chart = Chart {
        title,
        subtitle,
        description: project.description.clone(),
        source,
        size: spec.size,
        body,
    };
    replace_control_characters(&mut chart);
    Ok(chart)
}

/// The assessments of one agreement's `row` of cells in the order of `elements`; `by_id` lists
/// the positions of `elements` in id order. One merge over the row, which is kept in id order,
/// replaces a tree search per element: a 1,000 × 60 heatmap made that 60,000 searches.
fn row_assessments(
    row: Option<&std::collections::BTreeMap<ElementId, crate::model::Cell>>,
    elements: &[ElementId],
    by_id: &[usize],
) -> Vec<Assessment> {
    let mut assessments = vec![Assessment::NotAssessed; elements.len()];
    let Some(row) = row else {
        return assessments;
    };
    let mut wanted = by_id.iter().copied().peekable();
    for (element, cell) in row {
        while let Some(&at) = wanted.peek() {
            let Some(column) = elements.get(at) else {
                wanted.next();
                continue;
            };
            match column.cmp(element) {
                std::cmp::Ordering::Less => {
                    wanted.next(); // a column without a cell in this row
                }
                std::cmp::Ordering::Equal => {
                    if let Some(slot) = assessments.get_mut(at) {
                        *slot = cell.assessment;
                    }
                    wanted.next(); // the same element may be a column twice
                }
                std::cmp::Ordering::Greater => break, // a cell no column shows
            }
        }
    }
    assessments
}

/// Replaces forbidden control characters in every label, so the text that is measured and
/// wrapped is the text that is drawn, on screen and in SVG and PNG files alike.
fn replace_control_characters(chart: &mut Chart) {
    fn clean(text: &mut String) {
        if let std::borrow::Cow::Owned(replaced) = without_forbidden_controls(text) {
            *text = replaced;
        }
    }
    clean(&mut chart.title);
    clean(&mut chart.subtitle);
    clean(&mut chart.description);
    clean(&mut chart.source);
    match &mut chart.body {
        ChartBody::Heatmap { columns, rows } => {
            for column in columns {
                clean(&mut column.label);
                clean(&mut column.framework);
            }
            for row in rows {
                if let Some(group) = &mut row.group {
                    clean(group);
                }
                clean(&mut row.short_name);
                clean(&mut row.full_name);
            }
        }
        ChartBody::Bars { bars, note, .. } => {
            for bar in bars {
                clean(&mut bar.label);
            }
            if let Some(note) = note {
                clean(note);
            }
        }
        ChartBody::Profile { sections } => {
            for section in sections {
                clean(&mut section.framework);
                for (label, _) in &mut section.items {
                    clean(label);
                }
            }
        }
    }
}

/// The bytes of `chart` as the file `path` names: `.svg`, or `.png` at `scale`. The size and
/// the scale are checked against the limits before anything is drawn.
pub fn chart_file_bytes(
    chart: &Chart,
    path: &std::path::Path,
    scale: f32,
) -> Result<Vec<u8>, String> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let is_png = match extension.as_deref() {
        Some("svg") => false,
        Some("png") => true,
        _ => {
            return Err(format!(
                "{}: the chart file must end in .svg or .png",
                path.display()
            ));
        }
    };
    let refused = |e: ChartSizeError| format!("{}: {e}", path.display());
    chart.size.check().map_err(refused)?;
    let scale = check_scale(scale).map_err(refused)?;
    if is_png {
        // Refused before the chart is even drawn; svg_to_png checks again for other callers.
        let (width, height) = (chart.size.width as f32, chart.size.height as f32);
        png_pixels(width, height, scale).map_err(refused)?;
    }
    let document = svg::chart_to_svg(chart);
    if is_png {
        png::svg_to_png(&document, scale).map_err(|e| format!("{}: {e}", path.display()))
    } else {
        Ok(document.into_bytes())
    }
}

fn group_rank(grouping: Grouping, agreement: &crate::model::Agreement) -> usize {
    match grouping {
        Grouping::None => 0,
        Grouping::Space => Space::ALL
            .iter()
            .position(|s| *s == agreement.space)
            .unwrap_or(usize::MAX),
        Grouping::Binding => Binding::ALL
            .iter()
            .position(|b| *b == agreement.binding)
            .unwrap_or(usize::MAX),
    }
}

fn space_heading(space: Space) -> String {
    space.label().to_owned()
}

fn binding_heading(binding: Binding) -> String {
    binding.label().to_owned()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn heatmap_cells_agree_with_one_lookup_per_cell() {
        let mut project = crate::sample::synthetic_project(60, 12, 5, 4);
        // Gaps, and columns in an order other than id order, as real frameworks have.
        for (index, agreement) in project.agreements.clone().iter().enumerate() {
            let element = ElementId::new(format!("el-{:02}", index % 12));
            project.cells.remove(&agreement.id, &element);
        }
        project.frameworks[0].elements.reverse();
        let chart = build_chart(&project, &ChartSpec::new(ChartKind::Heatmap)).unwrap();
        let ChartBody::Heatmap { rows, .. } = &chart.body else {
            panic!("a heatmap was asked for");
        };
        let columns: Vec<&ElementId> = project.frameworks[0]
            .elements
            .iter()
            .map(|e| &e.id)
            .collect();
        assert_eq!(rows.len(), 60);
        for (row, agreement) in rows.iter().zip(&project.agreements) {
            let expected: Vec<Assessment> = columns
                .iter()
                .map(|e| project.assessment(&agreement.id, e))
                .collect();
            assert_eq!(row.cells, expected, "{}", agreement.id);
        }
        assert!(
            rows.iter()
                .any(|r| r.cells.contains(&Assessment::NotAssessed))
        );
    }
}
