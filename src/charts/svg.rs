//! Draws a [`Chart`] as SVG. The same SVG becomes the PNG, so both show the same picture.
//! Every label is measured with the embedded font and wrapped or shortened to its box.

use super::text::{FONT_FAMILY, shorten, text_width, wrap};
use super::{Bar, Chart, ChartBody, HeatColumn, HeatRow, ProfileSection};
use crate::formats::markup::escape;
use crate::model::Assessment;
use crate::palette::{BAND, INK, MUTED, PAPER, RULE, assessment_fill, assessment_text};
use std::fmt::Write as _;

/// A placed label's bounding box (x0, y0, x1, y1), for checking that nothing overlaps.
pub type TextBox = [f32; 4];

/// The SVG document for `chart`.
pub fn chart_to_svg(chart: &Chart) -> String {
    draw(chart).svg
}

/// The boxes of all labels `chart_to_svg` places.
pub fn text_boxes(chart: &Chart) -> Vec<TextBox> {
    draw(chart).boxes
}

struct Canvas {
    svg: String,
    boxes: Vec<TextBox>,
    scale: f32,
    letters_omitted: bool,
}

/// Smallest cell side, in pixels, that still carries a readable letter.
const MIN_LETTER_CELL: f32 = 9.0;

#[derive(Clone, Copy)]
enum Anchor {
    Start,
    Middle,
    End,
}

impl Canvas {
    // Position, font and colour are all needed for every label; a struct would only rename them.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        anchor: Anchor,
        fill: &str,
        content: &str,
    ) {
        let width = text_width(content, size, bold);
        let x0 = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - width / 2.0,
            Anchor::End => x - width,
        };
        self.boxes
            .push([x0, y - size * 0.8, x0 + width, y + size * 0.2]);
        let anchor = match anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        let weight = if bold { " font-weight=\"bold\"" } else { "" };
        let _ = writeln!(
            self.svg,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{size:.1}"{weight} text-anchor="{anchor}" fill="{fill}">{}</text>"#,
            escape(content)
        );
    }

    /// Text rotated to read bottom-to-top, starting at (x, y).
    fn vertical_text(&mut self, x: f32, y: f32, size: f32, fill: &str, content: &str) {
        let width = text_width(content, size, false);
        self.boxes
            .push([x - size * 0.8, y - width, x + size * 0.2, y]);
        let _ = writeln!(
            self.svg,
            r#"<text transform="translate({x:.1} {y:.1}) rotate(-90)" font-size="{size:.1}" fill="{fill}">{}</text>"#,
            escape(content)
        );
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: &str, class: &str) {
        let _ = writeln!(
            self.svg,
            r#"<rect class="{class}" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="{:.1}" fill="{fill}"/>"#,
            2.0 * self.scale
        );
    }

    fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, stroke: &str) {
        let _ = writeln!(
            self.svg,
            r#"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{stroke}" stroke-width="{:.1}"/>"#,
            self.scale
        );
    }

    /// An assessment box with its letter, so the chart reads in black and white too.
    fn chip(&mut self, x: f32, y: f32, w: f32, h: f32, assessment: Assessment) {
        self.chip_with_class(x, y, w, h, assessment, "cell");
    }

    fn chip_with_class(
        &mut self,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        assessment: Assessment,
        kind: &str,
    ) {
        let class = format!("{kind} {}", class_of(assessment));
        self.rect(x, y, w, h, &assessment_fill(assessment).hex(), &class);
        if h.min(w) < MIN_LETTER_CELL {
            // Too small for a legible letter; the chart says so in its footer.
            self.letters_omitted = true;
            return;
        }
        let size = (h.min(w) * 0.6).max(6.0);
        let letter = assessment.letter().to_string();
        let fill = assessment_text(assessment).hex();
        let _ = writeln!(
            self.svg,
            r#"<text class="{kind}-letter" x="{:.1}" y="{:.1}" font-size="{size:.1}" font-weight="bold" text-anchor="middle" fill="{fill}">{letter}</text>"#,
            x + w / 2.0,
            y + h / 2.0 + size * 0.36
        );
    }
}

fn class_of(assessment: Assessment) -> &'static str {
    match assessment {
        Assessment::Yes => "yes",
        Assessment::Indirect => "indirect",
        Assessment::No => "no",
        Assessment::NotAssessed => "not-assessed",
    }
}

fn draw(chart: &Chart) -> Canvas {
    let (w, h) = (chart.size.width as f32, chart.size.height as f32);
    let s = (w / 1920.0).min(h / 1080.0);
    let mut canvas = Canvas {
        svg: String::new(),
        boxes: Vec::new(),
        scale: s,
        letters_omitted: false,
    };
    let _ = writeln!(
        canvas.svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILY}, sans-serif">"#
    );
    let _ = writeln!(
        canvas.svg,
        r#"<rect width="100%" height="100%" fill="{PAPER}"/>"#
    );
    let margin = 48.0 * s;
    let title_size = 44.0 * s;
    let title = shorten(&chart.title, title_size, true, w - 2.0 * margin);
    canvas.text(
        margin,
        margin + title_size * 0.8,
        title_size,
        true,
        Anchor::Start,
        INK,
        &title,
    );
    let sub_size = 24.0 * s;
    let sub_y = margin + title_size + 14.0 * s + sub_size * 0.8;
    let legend_width = legend_width(sub_size);
    let subtitle = shorten(
        &chart.subtitle,
        sub_size,
        false,
        w - 2.0 * margin - legend_width - 24.0 * s,
    );
    canvas.text(
        margin,
        sub_y,
        sub_size,
        false,
        Anchor::Start,
        MUTED,
        &subtitle,
    );
    draw_legend(&mut canvas, w - margin - legend_width, sub_y, sub_size);

    let foot_size = 18.0 * s;
    let foot_y = h - margin * 0.6;
    let body_top = sub_y + 50.0 * s;
    let description = description_line(&chart.description, foot_size, w - 2.0 * margin);
    let description_y = foot_y - foot_size * 1.5;
    let body_bottom = if description.is_some() {
        description_y - foot_size - 20.0 * s
    } else {
        foot_y - foot_size - 20.0 * s
    };
    if let Some(description) = &description {
        canvas.text(
            margin,
            description_y,
            foot_size,
            false,
            Anchor::Start,
            MUTED,
            description,
        );
    }
    let mut footnotes = Vec::new();
    match &chart.body {
        ChartBody::Heatmap { columns, rows } => {
            heatmap(
                &mut canvas,
                columns,
                rows,
                [margin, body_top, w - margin, body_bottom],
                &mut footnotes,
            );
        }
        ChartBody::Bars { bars, total, note } => {
            bars_chart(
                &mut canvas,
                bars,
                *total,
                note.as_deref(),
                [margin, body_top, w - margin, body_bottom],
            );
        }
        ChartBody::Profile { sections } => profile(
            &mut canvas,
            sections,
            [margin, body_top, w - margin, body_bottom],
        ),
    }
    let mut foot = chart.source.clone();
    if canvas.letters_omitted {
        foot = format!(
            "{foot}  Cells are too small for letters: chart fewer agreements to read them in black and white."
        );
    }
    if !footnotes.is_empty() {
        foot = format!("{foot}  Full names: {}.", footnotes.join("; "));
    }
    let foot = shorten(&foot, foot_size, false, w - 2.0 * margin);
    canvas.text(
        margin,
        foot_y,
        foot_size,
        false,
        Anchor::Start,
        MUTED,
        &foot,
    );
    canvas.svg.push_str("</svg>\n");
    canvas
}

const LEGEND: [Assessment; 4] = [
    Assessment::Yes,
    Assessment::Indirect,
    Assessment::No,
    Assessment::NotAssessed,
];

/// The project's description on one line: whole if it fits, else its first sentence if that
/// fits, else nothing (a cut-off paragraph says less than none).
fn description_line(description: &str, size: f32, width: f32) -> Option<String> {
    let line = description.split_whitespace().collect::<Vec<_>>().join(" ");
    let first_sentence = line.find(". ").map_or(line.as_str(), |end| &line[..=end]);
    [line.as_str(), first_sentence]
        .into_iter()
        .find(|text| !text.is_empty() && text_width(text, size, false) <= width)
        .map(str::to_owned)
}

fn legend_width(size: f32) -> f32 {
    LEGEND
        .iter()
        .map(|a| size * 1.2 + 8.0 + text_width(a.label(), size, false) + size)
        .sum()
}

fn draw_legend(canvas: &mut Canvas, x: f32, baseline: f32, size: f32) {
    let mut x = x;
    for assessment in LEGEND {
        let chip = size * 1.2;
        canvas.chip_with_class(x, baseline - chip * 0.8, chip, chip, assessment, "legend");
        x += chip + 8.0;
        canvas.text(
            x,
            baseline,
            size,
            false,
            Anchor::Start,
            INK,
            assessment.label(),
        );
        x += text_width(assessment.label(), size, false) + size;
    }
}

fn heatmap(
    canvas: &mut Canvas,
    columns: &[HeatColumn],
    rows: &[HeatRow],
    area: [f32; 4],
    footnotes: &mut Vec<String>,
) {
    let s = canvas.scale;
    let [left, top, right, bottom] = area;
    let name_size = 20.0 * s;
    let header_size = 17.0 * s;
    let band_size = 18.0 * s;
    let ncols = columns.len().max(1);
    let widest_cell = 96.0 * s;
    // Names take what the columns leave at a comfortable width, a quarter to 45% of the page:
    // long names show whole when there is room for them.
    let names_room = (right - left - ncols as f32 * 56.0 * s)
        .max((right - left) * 0.24)
        .min((right - left) * 0.45);
    let names_width = rows
        .iter()
        .map(|r| text_width(&r.short_name, name_size, false))
        .chain(
            rows.iter()
                .filter_map(|r| r.group.as_ref())
                .map(|g| text_width(g, name_size, true)),
        )
        .fold(0.0_f32, f32::max)
        .min(names_room - 16.0 * s)
        + 16.0 * s;
    let band_height = band_size * 1.6;
    let cell_w = ((right - left - names_width) / ncols as f32).min(widest_cell);
    let line_height = header_size * 1.15;
    let max_lines = ((cell_w - 4.0 * s) / line_height).floor().clamp(1.0, 3.0) as usize;
    // The lowest header in which every column label fits whole; capped, then labels shorten.
    let cap = ((bottom - top) * 0.34).min(300.0 * s);
    let header_height = (4..=15)
        .map(|step| cap * step as f32 / 15.0)
        .find(|height| {
            columns
                .iter()
                .all(|c| !wrap(&c.label, header_size, false, height - 12.0 * s, max_lines).1)
        })
        .unwrap_or(cap);
    let line_rows = rows.len() + rows.iter().filter(|r| r.group.is_some()).count();
    let grid_top = top + band_height + header_height;
    // Few rows grow (up to 1.6 times as tall as wide) and the grid sits in the middle of the
    // room left, so a short list fills the slide instead of its top half.
    let cell_h = ((bottom - grid_top) / line_rows.max(1) as f32)
        .min(cell_w.max(48.0 * s) * 1.6)
        .min(96.0 * s);
    let slack = ((bottom - grid_top - line_rows as f32 * cell_h) / 2.0).max(0.0);
    let (top, grid_top) = (top + slack, grid_top + slack);
    // Centre a narrow grid on the page.
    let used = names_width + ncols as f32 * cell_w;
    let left = left + ((right - left - used) / 2.0).max(0.0);
    let right = left + used;
    let grid_left = left + names_width;

    // Framework bands and column labels.
    let mut start = 0;
    for c in 0..columns.len() {
        let last = c + 1 == columns.len() || columns[c + 1].framework != columns[c].framework;
        if last {
            let x0 = grid_left + start as f32 * cell_w;
            let x1 = grid_left + (c + 1) as f32 * cell_w;
            canvas.rect(
                x0 + 2.0,
                top,
                x1 - x0 - 4.0,
                band_height - 4.0 * s,
                BAND,
                "band",
            );
            let name = shorten(&columns[c].framework, band_size, true, x1 - x0 - 16.0 * s);
            canvas.text(
                x0 + 8.0 * s,
                top + band_height * 0.62,
                band_size,
                true,
                Anchor::Start,
                INK,
                &name,
            );
            start = c + 1;
        }
    }
    for (c, column) in columns.iter().enumerate() {
        let (lines, _) = wrap(
            &column.label,
            header_size,
            false,
            header_height - 12.0 * s,
            max_lines,
        );
        let block = lines.len() as f32 * line_height;
        let x_base = grid_left + c as f32 * cell_w + (cell_w - block) / 2.0 + header_size * 0.8;
        for (i, line) in lines.iter().enumerate() {
            canvas.vertical_text(
                x_base + i as f32 * line_height,
                grid_top - 8.0 * s,
                header_size,
                INK,
                line,
            );
        }
    }

    // Names: the largest size, down to 80%, at which every name fits whole in the lines its row
    // holds. Shrinking within that limit beats cutting; past it, names are shortened.
    let lines_in = |size: f32| ((cell_h / (size * 1.15)).floor() as usize).clamp(1, 3);
    let fits_at = |size: f32| {
        rows.iter().all(|row| {
            !wrap(
                &row.short_name,
                size,
                false,
                names_width - 16.0 * s,
                lines_in(size),
            )
            .1
        })
    };
    let fitted_size = [1.0, 0.9, 0.8]
        .into_iter()
        .map(|factor| name_size * factor)
        .find(|size| fits_at(*size))
        .unwrap_or(name_size);

    // Rows.
    let mut y = grid_top;
    let gap = (cell_h * 0.08).max(1.0);
    for row in rows {
        if let Some(group) = &row.group {
            let heading = shorten(group, name_size, true, right - left);
            canvas.text(
                left,
                y + cell_h * 0.72,
                name_size,
                true,
                Anchor::Start,
                INK,
                &heading,
            );
            canvas.line(left, y + cell_h - 1.0, right, y + cell_h - 1.0, RULE);
            y += cell_h;
        }
        // A long name takes as many lines as the row holds (up to three), at the size chosen
        // for all names; only a name that fits in none is shortened, with a footnote.
        let line_height = fitted_size * 1.15;
        let (mut lines, cut) = wrap(
            &row.short_name,
            fitted_size,
            false,
            names_width - 16.0 * s,
            lines_in(fitted_size),
        );
        if cut {
            let shortened = shorten(&row.short_name, fitted_size, false, names_width - 16.0 * s);
            footnotes.push(format!("{} = {}", shortened, row.full_name));
            lines = vec![shortened];
        }
        let block = lines.len() as f32 * line_height;
        for (i, line) in lines.iter().enumerate() {
            canvas.text(
                left,
                y + (cell_h - block) / 2.0
                    + i as f32 * line_height
                    + line_height * 0.5
                    + fitted_size * 0.36,
                fitted_size,
                false,
                Anchor::Start,
                INK,
                line,
            );
        }
        for (c, assessment) in row.cells.iter().enumerate() {
            let x = grid_left + c as f32 * cell_w;
            canvas.chip(
                x + gap,
                y + gap,
                cell_w - 2.0 * gap,
                cell_h - 2.0 * gap,
                *assessment,
            );
        }
        y += cell_h;
    }
}

fn bars_chart(canvas: &mut Canvas, bars: &[Bar], total: usize, note: Option<&str>, area: [f32; 4]) {
    let s = canvas.scale;
    let [left, top, right, bottom] = area;
    let label_size = 21.0 * s;
    let count_size = 19.0 * s;
    let labels_width = (right - left) * 0.30;
    let tail = 150.0 * s;
    let axis_height = 34.0 * s;
    let note_height = if note.is_some() { 40.0 * s } else { 0.0 };
    let x0 = left + labels_width;
    let x1 = right - tail;
    let per_bar = (bottom - top - axis_height - note_height) / bars.len().max(1) as f32;
    let bar_h = (per_bar * 0.68).min(52.0 * s);
    let unit = if total == 0 {
        0.0
    } else {
        (x1 - x0) / total as f32
    };

    // Axis: agreement counts.
    let step = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
        .into_iter()
        .find(|step| total / step <= 10)
        .unwrap_or(1000);
    let axis_y = top + per_bar * bars.len() as f32 + 8.0 * s;
    let mut tick = 0;
    while tick <= total {
        let x = x0 + tick as f32 * unit;
        canvas.line(x, top, x, axis_y, RULE);
        canvas.text(
            x,
            axis_y + count_size,
            count_size,
            false,
            Anchor::Middle,
            MUTED,
            &tick.to_string(),
        );
        tick += step;
    }
    canvas.text(
        x1 + tail,
        axis_y + count_size,
        count_size,
        false,
        Anchor::End,
        MUTED,
        "agreements",
    );
    canvas.text(
        x1 + 14.0 * s,
        top - 8.0 * s,
        count_size,
        false,
        Anchor::Start,
        MUTED,
        "Yes or Indirect",
    );

    for (i, bar) in bars.iter().enumerate() {
        let y = top + i as f32 * per_bar + (per_bar - bar_h) / 2.0;
        let (lines, _) = wrap(&bar.label, label_size, false, labels_width - 20.0 * s, 2);
        let line_height = label_size * 1.15;
        let block = lines.len() as f32 * line_height;
        for (l, line) in lines.iter().enumerate() {
            let baseline = y + bar_h / 2.0 - block / 2.0 + line_height * (l as f32 + 0.78);
            canvas.text(
                x0 - 16.0 * s,
                baseline,
                label_size,
                false,
                Anchor::End,
                INK,
                line,
            );
        }
        let mut x = x0;
        let tally = bar.tally;
        for (assessment, count) in [
            (Assessment::Yes, tally.yes),
            (Assessment::Indirect, tally.indirect),
            (Assessment::No, tally.no),
            (Assessment::NotAssessed, tally.not_assessed),
        ] {
            if count == 0 {
                continue;
            }
            let width = count as f32 * unit;
            canvas.rect(
                x,
                y,
                width,
                bar_h,
                &assessment_fill(assessment).hex(),
                &format!("segment {}", class_of(assessment)),
            );
            let label = format!("{}{count}", assessment.letter());
            if text_width(&label, count_size, true) + 8.0 * s <= width {
                let fill = assessment_text(assessment).hex();
                canvas.text(
                    x + width / 2.0,
                    y + bar_h / 2.0 + count_size * 0.36,
                    count_size,
                    true,
                    Anchor::Middle,
                    &fill,
                    &label,
                );
            }
            x += width;
        }
        let summary = format!("{} of {total}", tally.present());
        canvas.text(
            x1 + 14.0 * s,
            y + bar_h / 2.0 + count_size * 0.36,
            count_size,
            true,
            Anchor::Start,
            INK,
            &summary,
        );
    }
    if let Some(note) = note {
        let note = shorten(note, count_size, false, right - left);
        canvas.text(
            x0,
            bottom - 8.0 * s,
            count_size,
            false,
            Anchor::Start,
            MUTED,
            &note,
        );
    }
}

fn profile(canvas: &mut Canvas, sections: &[ProfileSection], area: [f32; 4]) {
    let s = canvas.scale;
    let [left, top, right, bottom] = area;
    let columns = sections.len().max(1);
    let column_width = (right - left) / columns as f32;
    let heading_size = 24.0 * s;
    let item_size = 20.0 * s;
    for (i, section) in sections.iter().enumerate() {
        let x = left + i as f32 * column_width;
        let heading = shorten(
            &section.framework,
            heading_size,
            true,
            column_width - 24.0 * s,
        );
        canvas.text(
            x,
            top + heading_size,
            heading_size,
            true,
            Anchor::Start,
            INK,
            &heading,
        );
        let rows = section.items.len().max(1) as f32;
        let row_h = ((bottom - top - heading_size * 2.0) / rows).min(56.0 * s);
        for (j, (label, assessment)) in section.items.iter().enumerate() {
            let y = top + heading_size * 2.0 + j as f32 * row_h;
            let chip = (row_h * 0.8).min(40.0 * s);
            canvas.chip(x, y, chip * 1.3, chip, *assessment);
            let text_x = x + chip * 1.3 + 14.0 * s;
            let label = shorten(
                label,
                item_size,
                false,
                column_width - (text_x - x) - 24.0 * s,
            );
            canvas.text(
                text_x,
                y + chip / 2.0 + item_size * 0.36,
                item_size,
                false,
                Anchor::Start,
                INK,
                &label,
            );
        }
    }
}
