//! Reading order of one PDF page, from the positions of its glyphs: lines by baseline,
//! columns by the gutters between them, spaces from the gaps between glyphs, and
//! right-to-left lines put back in logical order.
//!
//! Pure geometry: no PDF parsing here, so every rule is unit-tested with hand-placed
//! glyphs. The glyphs come from `glyphs.rs`; `assemble.rs` joins the pages.
//!
//! The steps, each bounded by the number of glyphs:
//! 1. **Segments**: glyphs the page draws one after another on one baseline, without a
//!    jump. Producers draw a line of a column in one go, so a segment never spans a gutter.
//! 2. **Lines**: segments on one baseline that are close, plus small raised or lowered
//!    segments next to them (footnote marks). Pieces of one baseline farther apart (a list
//!    marker a tab away from its text, a justified line's wide spaces) are joined once the
//!    columns are known, so a list marker starts its own line with its text.
//! 3. **Columns**: a vertical strip that no line crosses, with at least three lines on each
//!    side that are wide enough to be text. The lines above and below are read before and
//!    after; inside, the whole first column before the next (right to left on a page of
//!    right-to-left text). Nested columns are found the same way.
//! 4. **Text of a line**: glyphs left to right, a space where the gap is wider than a
//!    fraction of the font size (or the page drew a space), then the bidirectional
//!    reordering of a visual line into logical order.

use unicode_bidi::BidiClass;

/// The bidirectional class of a character; ASCII, most of every Latin page, without the
/// table search. Only strong letters, numbers and "other" matter here.
fn bidi_class(c: char) -> BidiClass {
    match c {
        'a'..='z' | 'A'..='Z' => BidiClass::L,
        '0'..='9' => BidiClass::EN,
        c if c.is_ascii() => BidiClass::ON,
        c => unicode_bidi::bidi_class(c),
    }
}

/// A glyph as the page shows it, in page space: points, y growing downwards.
#[derive(Clone, Debug, PartialEq)]
pub struct Glyph {
    /// The characters it stands for (its ToUnicode entry); empty when unknown.
    pub text: Box<str>,
    /// Left edge along the baseline, in the glyph's upright frame.
    pub x0: f32,
    /// Right edge (left edge plus advance), in the same frame.
    pub x1: f32,
    /// Baseline, in the same frame.
    pub baseline: f32,
    /// Font size, in page units.
    pub size: f32,
    /// The box the glyph covers on the page, `[left, top, right, bottom]`.
    pub rect: [f32; 4],
}

impl Glyph {
    /// A glyph on an upright baseline, with its page box estimated from the font size.
    pub fn upright(text: &str, x0: f32, x1: f32, baseline: f32, size: f32) -> Self {
        let (x0, x1) = if x1 < x0 { (x1, x0) } else { (x0, x1) };
        Self {
            text: text.into(),
            x0,
            x1,
            baseline,
            size,
            rect: [x0, baseline - ASCENT * size, x1, baseline + DESCENT * size],
        }
    }

    fn is_space(&self) -> bool {
        !self.text.is_empty() && self.text.chars().all(char::is_whitespace)
    }

    fn centre(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
}

/// Share of the font size above the baseline that a glyph's box covers.
pub const ASCENT: f32 = 0.8;
/// Share of the font size below the baseline.
pub const DESCENT: f32 = 0.22;

/// A character of a laid-out line and the box it covers on the page.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedChar {
    pub ch: char,
    /// `[left, top, right, bottom]` in page space.
    pub rect: [f32; 4],
}

/// One line of a page in reading order.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Its characters in logical order, spaces included.
    pub chars: Vec<PlacedChar>,
    /// The font size most of its characters have.
    pub size: f32,
    pub baseline: f32,
    /// `[left, top, right, bottom]` of the whole line.
    pub rect: [f32; 4],
    /// Whether a paragraph break (a wider gap than the lines around it) comes before it.
    pub gap_before: bool,
}

impl Line {
    /// The line's characters as a string.
    pub fn text(&self) -> String {
        self.chars.iter().map(|placed| placed.ch).collect()
    }
}

/// Lays out the glyphs of one page (in the order the page draws them) as lines in reading
/// order.
pub fn lay_out(glyphs: &[Glyph]) -> Vec<Line> {
    let glyphs: Vec<&Glyph> = glyphs.iter().filter(|glyph| is_sane(glyph)).collect();
    let glyphs = without_overprints(glyphs);
    let segments = segments(&glyphs);
    let lines = join_segments(segments);
    let right_to_left = page_reads_right_to_left(&lines);
    let order = reading_order(&lines, right_to_left);
    let text_of = |mirror_brackets: bool| -> Vec<Line> {
        let context = LineContext {
            rtl_page: right_to_left,
            mirror_brackets,
        };
        order
            .iter()
            .filter_map(|group| {
                let parts: Vec<&LineBuild<'_>> = group.iter().map(|&i| &lines[i]).collect();
                line_text(&parts, context)
            })
            .collect()
    };
    let mut laid_out = text_of(true);
    if has_right_to_left(&glyphs) {
        let unmirrored = text_of(false);
        if unpaired_brackets(&unmirrored) < unpaired_brackets(&laid_out) {
            laid_out = unmirrored;
        }
    }
    mark_paragraph_gaps(&mut laid_out);
    laid_out
}

fn has_right_to_left(glyphs: &[&Glyph]) -> bool {
    glyphs.iter().any(|glyph| is_right_to_left(&glyph.text))
}

/// Brackets without their partner on their line: a closing one before any opening one, or
/// an opening one never closed.
fn unpaired_brackets(lines: &[Line]) -> usize {
    let mut unpaired = 0;
    for line in lines {
        let mut open = [0usize; 4];
        for placed in &line.chars {
            let (kind, opens) = match placed.ch {
                '(' => (0, true),
                ')' => (0, false),
                '[' => (1, true),
                ']' => (1, false),
                '«' => (2, true),
                '»' => (2, false),
                '{' => (3, true),
                '}' => (3, false),
                _ => continue,
            };
            if opens {
                open[kind] += 1;
            } else if open[kind] > 0 {
                open[kind] -= 1;
            } else {
                unpaired += 1;
            }
        }
        unpaired += open.iter().sum::<usize>();
    }
    unpaired
}

/// Sizes and positions a page can hold; anything else is a hostile or broken transform.
fn is_sane(glyph: &Glyph) -> bool {
    let values = [glyph.x0, glyph.x1, glyph.baseline, glyph.size];
    values.iter().all(|v| v.is_finite() && v.abs() < 1.0e6)
        && glyph.size > 0.05
        && glyph.x1 - glyph.x0 < 50.0 * glyph.size + 1.0
}

/// Drops a glyph drawn again on top of itself (fake bold, shadows): same text at nearly the
/// same place as one already kept.
fn without_overprints(glyphs: Vec<&Glyph>) -> Vec<&Glyph> {
    use std::hash::{Hash, Hasher};
    // Keyed by a hash of the text, not the text: no copy per glyph (a page has thousands).
    let text_key = |text: &str| {
        let mut hasher = rustc_hash::FxHasher::default();
        text.hash(&mut hasher);
        hasher.finish()
    };
    let mut seen: rustc_hash::FxHashSet<(u64, i32, i32)> =
        rustc_hash::FxHashSet::with_capacity_and_hasher(glyphs.len(), Default::default());
    glyphs
        .into_iter()
        .filter(|glyph| {
            if glyph.is_space() || glyph.text.is_empty() {
                return true;
            }
            // Half-point cells: a copy offset by up to ~0.5 pt lands in the same cell or
            // in one next to it.
            let cell = |v: f32| (v * 2.0).round() as i32;
            let (x, y) = (cell(glyph.x0), cell(glyph.baseline));
            let text = text_key(&glyph.text);
            let near = [(0, 0), (-1, 0), (1, 0), (0, -1), (0, 1)]
                .iter()
                .any(|(dx, dy)| seen.contains(&(text, x + dx, y + dy)));
            if near {
                return false;
            }
            seen.insert((text, x, y));
            true
        })
        .collect()
}

/// Glyphs drawn one after another on one baseline, left to right.
#[derive(Clone, Debug)]
struct Segment<'g> {
    glyphs: Vec<&'g Glyph>,
    /// Whether the page drew a space glyph before each of `glyphs` (same length).
    space_before: Vec<bool>,
    baseline: f32,
    size: f32,
    x0: f32,
    x1: f32,
}

impl<'g> Segment<'g> {
    fn new(glyph: &'g Glyph, space_before: bool) -> Self {
        Self {
            glyphs: vec![glyph],
            space_before: vec![space_before],
            baseline: glyph.baseline,
            size: glyph.size,
            x0: glyph.x0,
            x1: glyph.x1,
        }
    }

    fn push(&mut self, glyph: &'g Glyph, space_before: bool) {
        self.glyphs.push(glyph);
        self.space_before.push(space_before);
        self.size = self.size.max(glyph.size);
        self.x0 = self.x0.min(glyph.x0);
        self.x1 = self.x1.max(glyph.x1);
    }

    fn last(&self) -> Option<&'g Glyph> {
        self.glyphs.last().copied()
    }
}

/// Largest gap, in font sizes, between two glyphs drawn in a row that still keeps them in
/// one segment. Column gutters are about 1 em; word spaces of justified text rarely reach it.
const SEGMENT_GAP: f32 = 0.9;
/// Baseline difference, in font sizes, within one line.
const BASELINE_TOLERANCE: f32 = 0.25;

fn segments<'g>(glyphs: &[&'g Glyph]) -> Vec<Segment<'g>> {
    let mut segments: Vec<Segment<'g>> = Vec::new();
    let mut pending_space = false;
    let mut space_drawn: Option<&Glyph> = None;
    for &glyph in glyphs {
        if glyph.is_space() {
            pending_space = true;
            space_drawn = Some(glyph);
            continue;
        }
        // A space the next glyph is drawn back over is a kerning step, not a word space
        // (groff through Ghostscript draws "ev" + space + "ery", then moves back).
        if let Some(space) = space_drawn.take() {
            let half = space.x0 + 0.5 * (space.x1 - space.x0);
            if glyph.x0 < half && glyph.x1 > space.x0 {
                pending_space = false;
            }
        }
        let joins = segments.last().and_then(Segment::last).is_some_and(|last| {
            let size = last.size.max(glyph.size);
            let same_baseline = (glyph.baseline - last.baseline).abs() <= BASELINE_TOLERANCE * size;
            let forward_gap = glyph.x0 - last.x1;
            // Right-to-left text drawn in logical order runs backwards.
            let backward_gap = last.x0 - glyph.x1;
            let rtl = is_right_to_left(&glyph.text) && is_right_to_left(&last.text);
            same_baseline
                && forward_gap < SEGMENT_GAP * size
                && (forward_gap > -0.5 * size || (rtl && backward_gap < SEGMENT_GAP * size))
        });
        match segments.last_mut() {
            Some(segment) if joins => segment.push(glyph, pending_space),
            _ => segments.push(Segment::new(glyph, false)),
        }
        pending_space = false;
    }
    for segment in &mut segments {
        put_left_to_right(segment);
    }
    segments
}

/// A segment drawn right to left (logical order of right-to-left text) is turned into
/// visual order, as every other segment is.
fn put_left_to_right(segment: &mut Segment<'_>) {
    let glyphs = &segment.glyphs;
    if glyphs.len() < 2 {
        return;
    }
    let backwards = glyphs
        .windows(2)
        .filter(|pair| pair[1].centre() < pair[0].centre())
        .count();
    if backwards * 2 > glyphs.len() - 1 {
        // A space drawn before glyph i (logical) falls after it visually.
        let mut spaces: Vec<bool> = segment.space_before.clone();
        spaces.rotate_left(1);
        if let Some(last) = spaces.last_mut() {
            *last = false;
        }
        spaces.reverse();
        segment.space_before = spaces;
        segment.glyphs.reverse();
    }
}

/// A line before its text is made: segments on one baseline.
#[derive(Clone, Debug)]
struct LineBuild<'g> {
    segments: Vec<Segment<'g>>,
    baseline: f32,
    size: f32,
    x0: f32,
    x1: f32,
    top: f32,
    bottom: f32,
}

impl<'g> LineBuild<'g> {
    fn new(segment: Segment<'g>) -> Self {
        let mut line = Self {
            baseline: segment.baseline,
            size: segment.size,
            x0: segment.x0,
            x1: segment.x1,
            top: f32::MAX,
            bottom: f32::MIN,
            segments: Vec::new(),
        };
        line.add(segment);
        line
    }

    fn add(&mut self, segment: Segment<'g>) {
        self.x0 = self.x0.min(segment.x0);
        self.x1 = self.x1.max(segment.x1);
        self.top = self.top.min(segment.baseline - 0.7 * segment.size);
        self.bottom = self.bottom.max(segment.baseline + 0.15 * segment.size);
        if segment.size > self.size {
            self.size = segment.size;
            self.baseline = segment.baseline;
        }
        self.segments.push(segment);
    }

    fn char_count(&self) -> usize {
        self.segments.iter().map(|s| s.glyphs.len()).sum()
    }
}

/// Gap, in font sizes, across which segments on one baseline join into one line.
const LINE_GAP: f32 = 0.9;

/// Groups segments into lines: same baseline and close, or a small raised or lowered
/// segment (a footnote mark, an index) right next to a line.
fn join_segments(mut segments: Vec<Segment<'_>>) -> Vec<LineBuild<'_>> {
    // Sorted by baseline, then left to right, so a line's segments are neighbours.
    segments.sort_by(|a, b| {
        a.baseline
            .total_cmp(&b.baseline)
            .then(a.x0.total_cmp(&b.x0))
    });
    let mut lines: Vec<LineBuild<'_>> = Vec::new();
    // Lines whose baseline is still within reach of the segments to come.
    let mut open: Vec<usize> = Vec::new();
    for segment in segments {
        open.retain(|&index| {
            let line = &lines[index];
            segment.baseline - line.baseline <= BASELINE_TOLERANCE * line.size.max(segment.size)
        });
        let target = open.iter().copied().find(|&index| {
            let line = &lines[index];
            let size = line.size.max(segment.size);
            let gap = (segment.x0 - line.x1).max(line.x0 - segment.x1);
            gap < LINE_GAP * size
        });
        match target {
            Some(index) => lines[index].add(segment),
            None => {
                open.push(lines.len());
                lines.push(LineBuild::new(segment));
            }
        }
    }
    attach_marks(lines)
}

/// Moves each one-segment line in a small font that sits raised or lowered right next to a
/// larger line (a footnote mark, a superscript) into that line.
fn attach_marks(mut lines: Vec<LineBuild<'_>>) -> Vec<LineBuild<'_>> {
    let mut merged_into: Vec<Option<usize>> = vec![None; lines.len()];
    for index in 0..lines.len() {
        let mark = &lines[index];
        if mark.segments.len() != 1 || mark.char_count() > 4 {
            continue;
        }
        let host = (0..lines.len()).find(|&other| {
            let host = &lines[other];
            other != index
                && merged_into[other].is_none()
                && mark.size < 0.85 * host.size
                && mark.baseline > host.baseline - 0.75 * host.size
                && mark.baseline < host.baseline + 0.4 * host.size
                && (mark.x0 - host.x1).max(host.x0 - mark.x1) < 0.4 * host.size
        });
        if let Some(host) = host {
            merged_into[index] = Some(host);
        }
    }
    let mut marks: Vec<(usize, Segment<'_>)> = Vec::new();
    let mut kept = Vec::with_capacity(lines.len());
    let mut new_index = vec![0; lines.len()];
    for (index, line) in lines.drain(..).enumerate() {
        match merged_into[index] {
            Some(host) => marks.extend(line.segments.into_iter().map(|s| (host, s))),
            None => {
                new_index[index] = kept.len();
                kept.push(line);
            }
        }
    }
    for (host, mut segment) in marks {
        // A mark joins its host's baseline so the line reads as one.
        segment.baseline = kept[new_index[host]].baseline;
        let line = &mut kept[new_index[host]];
        line.x0 = line.x0.min(segment.x0);
        line.x1 = line.x1.max(segment.x1);
        line.segments.push(segment);
    }
    kept
}

/// Whether most strong characters of the page are right-to-left (Arabic, Hebrew): its
/// columns then read from the right.
fn page_reads_right_to_left(lines: &[LineBuild<'_>]) -> bool {
    let (mut rtl, mut ltr) = (0usize, 0usize);
    for glyph in lines
        .iter()
        .flat_map(|line| &line.segments)
        .flat_map(|segment| &segment.glyphs)
    {
        for c in glyph.text.chars() {
            match bidi_class(c) {
                BidiClass::R | BidiClass::AL => rtl += 1,
                BidiClass::L => ltr += 1,
                _ => {}
            }
        }
    }
    rtl > ltr
}

/// Narrowest a column may be, in font sizes: narrower "columns" are list markers or table
/// cells, read with their row.
const COLUMN_WIDTH: f32 = 5.0;
/// Narrowest gutter, in font sizes.
const GUTTER_WIDTH: f32 = 0.6;
/// Lines each side of a gutter needs.
const COLUMN_LINES: usize = 3;
/// Most candidate gutters tried per region: keeps a hostile page linear.
const MAX_GUTTER_CANDIDATES: usize = 64;

/// The order to read `lines` in: top to bottom, except that columns are read whole, one
/// after another. Lines of one region on one baseline (table cells, a label) come as one
/// group, read left to right.
fn reading_order(lines: &[LineBuild<'_>], right_to_left: bool) -> Vec<Vec<usize>> {
    let mut by_top: Vec<usize> = (0..lines.len()).collect();
    by_top.sort_by(|&a, &b| {
        lines[a]
            .baseline
            .total_cmp(&lines[b].baseline)
            .then(lines[a].x0.total_cmp(&lines[b].x0))
    });
    let mut order: Vec<Vec<usize>> = Vec::with_capacity(lines.len());
    // Regions still to read, last first; each is a list of lines in top-to-bottom order.
    let mut stack: Vec<Vec<usize>> = vec![by_top];
    // A page can't hold more nested columns than it has lines; the count bounds the loop.
    let mut splits_left = lines.len();
    while let Some(region) = stack.pop() {
        let zone = if splits_left > 0 && region.len() >= 2 * COLUMN_LINES {
            column_zone(lines, &region, right_to_left)
        } else {
            None
        };
        match zone {
            Some(zone) => {
                splits_left -= 1;
                let (first, second) = if right_to_left {
                    (zone.right, zone.left)
                } else {
                    (zone.left, zone.right)
                };
                // Pushed in reverse: read above, then the first column, the second, below.
                for part in [zone.below, second, first, zone.above] {
                    if !part.is_empty() {
                        stack.push(part);
                    }
                }
            }
            None => order.extend(baseline_groups(lines, &region, right_to_left)),
        }
    }
    order
}

/// Lines of a region (top to bottom) grouped by baseline, each group in reading order.
fn baseline_groups(
    lines: &[LineBuild<'_>],
    region: &[usize],
    right_to_left: bool,
) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &index in region {
        let line = &lines[index];
        let joins = groups
            .last()
            .and_then(|group| group.first())
            .is_some_and(|&first| {
                let other = &lines[first];
                (line.baseline - other.baseline).abs()
                    <= BASELINE_TOLERANCE * line.size.max(other.size)
            });
        match groups.last_mut() {
            Some(group) if joins => group.push(index),
            _ => groups.push(vec![index]),
        }
    }
    for group in &mut groups {
        group.sort_by(|&a, &b| lines[a].x0.total_cmp(&lines[b].x0));
        if right_to_left {
            group.reverse();
        }
    }
    groups
}

/// Lines of a region split at a gutter.
struct ColumnZone {
    above: Vec<usize>,
    left: Vec<usize>,
    right: Vec<usize>,
    below: Vec<usize>,
}

/// The best run of lines that a vertical gutter splits into two columns, if any. Of gutters
/// that split as many lines, the one nearest the start of the lines wins: list markers sit
/// in the gutter, before their column's text (left of it, or right of it in right-to-left
/// text).
fn column_zone(
    lines: &[LineBuild<'_>],
    region: &[usize],
    right_to_left: bool,
) -> Option<ColumnZone> {
    let mut sizes: Vec<f32> = region.iter().map(|&i| lines[i].size).collect();
    sizes.sort_by(f32::total_cmp);
    let size = sizes[sizes.len() / 2];
    // A gutter ends where a column starts: at the left edge of some line.
    let mut candidates: Vec<f32> = region.iter().map(|&i| lines[i].x0).collect();
    candidates.sort_by(f32::total_cmp);
    candidates.dedup_by(|a, b| (*a - *b).abs() < 0.5 * size);
    let step = candidates.len().div_ceil(MAX_GUTTER_CANDIDATES).max(1);
    let mut best: Option<(ColumnZone, usize)> = None;
    for &edge in candidates.iter().step_by(step) {
        let strip = (edge - GUTTER_WIDTH * size, edge);
        let blocked = blocked_lines(lines, region, strip);
        // Runs of consecutive lines (top to bottom) that keep out of the strip.
        let mut start = 0;
        while start < region.len() {
            let mut end = start;
            while end < region.len() && !blocked[end] {
                end += 1;
            }
            if end - start >= 2 * COLUMN_LINES
                && let Some(zone) = split_run(lines, region, start..end, strip, size)
            {
                let score = zone.left.len() + zone.right.len();
                if best.as_ref().is_none_or(|(_, best_score)| {
                    score > *best_score || (right_to_left && score == *best_score)
                }) {
                    best = Some((zone, score));
                }
            }
            start = end + 1;
        }
    }
    best.map(|(zone, _)| zone)
}

/// For each line of `region` (top to bottom), whether a column can't pass through the
/// strip there: the line crosses it, or another line on its baseline does (a list marker
/// beside a full-width line belongs to that line, not to a column below it).
fn blocked_lines(lines: &[LineBuild<'_>], region: &[usize], strip: (f32, f32)) -> Vec<bool> {
    let crossing: Vec<bool> = region.iter().map(|&i| intrudes(&lines[i], strip)).collect();
    let mut blocked = crossing.clone();
    let same_baseline = |a: usize, b: usize| {
        let (a, b) = (&lines[region[a]], &lines[region[b]]);
        (a.baseline - b.baseline).abs() <= BASELINE_TOLERANCE * a.size.max(b.size)
    };
    for (at, &crosses) in crossing.iter().enumerate() {
        if !crosses {
            continue;
        }
        for other in (0..at).rev().take_while(|&other| same_baseline(at, other)) {
            blocked[other] = true;
        }
        for other in (at + 1..region.len()).take_while(|&other| same_baseline(at, other)) {
            blocked[other] = true;
        }
    }
    blocked
}

fn intrudes(line: &LineBuild<'_>, (left, right): (f32, f32)) -> bool {
    line.x0 < right && line.x1 > left
}

/// Splits the run `range` of `region` at a gutter, if it makes two real columns. Lines at
/// the top or bottom of the run that stand apart from their column (a heading above, a
/// closing line below) are read before or after the columns.
fn split_run(
    lines: &[LineBuild<'_>],
    region: &[usize],
    range: std::ops::Range<usize>,
    (gutter_left, _): (f32, f32),
    size: f32,
) -> Option<ColumnZone> {
    let run = &region[range.clone()];
    let is_left = |index: usize| lines[index].x1 <= gutter_left;
    let (mut first, mut last) = (0, run.len());
    // Trim lines above the other column's first line that stand apart from the line below
    // them on their side, and the same at the bottom.
    let pitch = |side_left: bool| side_pitch(lines, run, side_left, &is_left);
    let (left_pitch, right_pitch) = (pitch(true)?, pitch(false)?);
    let side_pitch_of = |index: usize| {
        if is_left(index) {
            left_pitch
        } else {
            right_pitch
        }
    };
    while first + 1 < last {
        let line = run[first];
        let other_started = run[first + 1..last]
            .iter()
            .any(|&i| is_left(i) != is_left(line));
        let next_same = run[first + 1..last]
            .iter()
            .find(|&&i| is_left(i) == is_left(line));
        let apart = next_same.is_none_or(|&next| {
            lines[next].baseline - lines[line].baseline > 1.3 * side_pitch_of(line)
        });
        if other_started && apart {
            first += 1;
        } else {
            break;
        }
    }
    while last > first + 1 {
        let line = run[last - 1];
        let other_after = run[first..last - 1]
            .iter()
            .any(|&i| is_left(i) != is_left(line));
        let previous_same = run[first..last - 1]
            .iter()
            .rev()
            .find(|&&i| is_left(i) == is_left(line));
        let apart = previous_same.is_none_or(|&previous| {
            lines[line].baseline - lines[previous].baseline > 1.3 * side_pitch_of(line)
        });
        if other_after && apart {
            last -= 1;
        } else {
            break;
        }
    }
    let kept = &run[first..last];
    let (left, right): (Vec<usize>, Vec<usize>) = kept.iter().partition(|&&i| is_left(i));
    let extent = |side: &[usize]| {
        side.iter().fold((f32::MAX, f32::MIN), |(x0, x1), &i| {
            (x0.min(lines[i].x0), x1.max(lines[i].x1))
        })
    };
    let (left_x0, left_x1) = extent(&left);
    let (right_x0, right_x1) = extent(&right);
    let real = distinct_baselines(lines, &left) >= COLUMN_LINES
        && distinct_baselines(lines, &right) >= COLUMN_LINES
        && left_x1 - left_x0 >= COLUMN_WIDTH * size
        && right_x1 - right_x0 >= COLUMN_WIDTH * size
        && right_x0 - left_x1 >= GUTTER_WIDTH * size;
    real.then(|| {
        let mut above = region[..range.start].to_vec();
        above.extend_from_slice(&run[..first]);
        let mut below = run[last..].to_vec();
        below.extend_from_slice(&region[range.end..]);
        ColumnZone {
            above,
            left,
            right,
            below,
        }
    })
}

/// How many different baselines `side` (top to bottom) has.
fn distinct_baselines(lines: &[LineBuild<'_>], side: &[usize]) -> usize {
    let mut count = 0;
    let mut previous: Option<&LineBuild<'_>> = None;
    for &index in side {
        let line = &lines[index];
        if previous.is_none_or(|p| line.baseline - p.baseline > BASELINE_TOLERANCE * line.size) {
            count += 1;
        }
        previous = Some(line);
    }
    count
}

/// The usual distance between baselines of consecutive lines on one side of a gutter.
fn side_pitch(
    lines: &[LineBuild<'_>],
    run: &[usize],
    left: bool,
    is_left: &impl Fn(usize) -> bool,
) -> Option<f32> {
    let side: Vec<(f32, f32)> = run
        .iter()
        .filter(|&&i| is_left(i) == left)
        .map(|&i| (lines[i].baseline, lines[i].size))
        .collect();
    // Pieces of one line (a justified line drawn word by word) share a baseline: only
    // steps to the next line count.
    let mut pitches: Vec<f32> = side
        .windows(2)
        .map(|pair| pair[1].0 - pair[0].0)
        .zip(side.iter().skip(1))
        .filter(|(pitch, (_, size))| *pitch > BASELINE_TOLERANCE * size)
        .map(|(pitch, _)| pitch)
        .collect();
    if pitches.is_empty() {
        return None;
    }
    pitches.sort_by(f32::total_cmp);
    Some(pitches[pitches.len() / 2])
}

/// Gap between glyphs, in font sizes, read as a word space.
const SPACE_GAP: f32 = 0.15;
/// The same between two CJK characters, which are set without spaces.
const CJK_SPACE_GAP: f32 = 0.6;

/// The characters of a line (the lines of one baseline group) in logical order, with their
/// boxes; `None` for a line with no visible character.
fn line_text(parts: &[&LineBuild<'_>], context: LineContext) -> Option<Line> {
    let line = parts
        .iter()
        .copied()
        .max_by(|a, b| a.char_count().cmp(&b.char_count()))?;
    // Visual order: glyphs left to right, each with whether a space precedes it.
    let mut visual: Vec<(&Glyph, bool)> = Vec::new();
    let mut segments: Vec<&Segment<'_>> = parts.iter().flat_map(|part| &part.segments).collect();
    segments.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    for segment in segments {
        for (glyph, &drawn_space) in segment.glyphs.iter().zip(&segment.space_before) {
            let gap_space = visual.last().is_some_and(|(previous, _)| {
                let size = previous.size.max(glyph.size);
                let gap = glyph.x0 - previous.x1;
                let threshold = if is_cjk(&previous.text) && is_cjk(&glyph.text) {
                    CJK_SPACE_GAP
                } else {
                    SPACE_GAP
                };
                gap > threshold * size
            });
            let space = !visual.is_empty() && (gap_space || drawn_space);
            visual.push((glyph, space));
        }
    }
    let units = logical_units(&visual, context);
    let mut chars: Vec<PlacedChar> = Vec::with_capacity(units.len() + 8);
    for unit in units {
        if let Some(space_rect) = unit.space_rect
            && chars.last().is_some_and(|c| c.ch != ' ')
        {
            chars.push(PlacedChar {
                ch: ' ',
                rect: space_rect,
            });
        }
        push_glyph_chars(&mut chars, unit.glyph, unit.mirrored);
    }
    while chars.last().is_some_and(|c| c.ch == ' ') {
        chars.pop();
    }
    if chars.is_empty() {
        return None;
    }
    let rect = chars
        .iter()
        .fold([f32::MAX, f32::MAX, f32::MIN, f32::MIN], |acc, c| {
            [
                acc[0].min(c.rect[0]),
                acc[1].min(c.rect[1]),
                acc[2].max(c.rect[2]),
                acc[3].max(c.rect[3]),
            ]
        });
    Some(Line {
        chars,
        size: line.size,
        baseline: line.baseline,
        rect,
        gap_before: false,
    })
}

/// What a line's text depends on beyond its glyphs.
#[derive(Clone, Copy, Debug)]
struct LineContext {
    /// Most of the page reads right to left.
    rtl_page: bool,
    /// Brackets in right-to-left runs are stored as their mirror: producers that map each
    /// glyph to the character it looks like (Chromium) need it; those that map it to the
    /// logical character (LibreOffice) do not. Chosen per page by which gives pairs.
    mirror_brackets: bool,
}

/// A glyph in logical order, with the box of the space before it, if any.
struct Unit<'g> {
    glyph: &'g Glyph,
    space_rect: Option<[f32; 4]>,
    /// Whether the glyph is a bracket shown mirrored in right-to-left text.
    mirrored: bool,
}

/// Puts a visual line (left to right) into logical order: the Unicode bidirectional
/// algorithm run backwards. A line whose strong characters are mostly right to left is
/// reversed, then its runs of left-to-right text and numbers are turned back; in a
/// left-to-right line only the right-to-left runs are reversed.
fn logical_units<'g>(visual: &[(&'g Glyph, bool)], context: LineContext) -> Vec<Unit<'g>> {
    let classes: Vec<Direction> = visual
        .iter()
        .map(|(glyph, _)| direction(&glyph.text))
        .collect();
    // The space between visual glyphs i and i + 1, as a box.
    let space_after: Vec<Option<[f32; 4]>> = (0..visual.len())
        .map(|i| {
            let next = visual.get(i + 1)?;
            next.1.then(|| {
                let (left, right) = (visual[i].0, next.0);
                [
                    left.rect[2],
                    left.rect[1].min(right.rect[1]),
                    right.rect[0].max(left.rect[2]),
                    left.rect[3].max(right.rect[3]),
                ]
            })
        })
        .collect();
    let strong_rtl = classes.iter().filter(|d| **d == Direction::Rtl).count();
    let strong_ltr = classes.iter().filter(|d| **d == Direction::Ltr).count();
    let mut order: Vec<usize> = (0..visual.len()).collect();
    let sizes: Vec<f32> = visual.iter().map(|(glyph, _)| glyph.size).collect();
    // A line of numbers and punctuation only ("2." beside an item) takes the page's direction.
    let reads_rtl =
        strong_rtl > strong_ltr || (strong_rtl == 0 && strong_ltr == 0 && context.rtl_page);
    let mirrored: Vec<bool> = if reads_rtl {
        order.reverse();
        let in_ltr_run = reverse_runs(&mut order, &classes, &sizes, |d| {
            matches!(d, Direction::Ltr | Direction::Number)
        });
        in_ltr_run.iter().map(|inside| !inside).collect()
    } else if strong_rtl > 0 {
        reverse_runs(&mut order, &classes, &sizes, |d| d == Direction::Rtl)
    } else {
        vec![false; visual.len()]
    };
    let mut units = Vec::with_capacity(order.len());
    for (position, &index) in order.iter().enumerate() {
        // Neighbours in logical order that were neighbours on the page share the space
        // between them; at the edge of a reversed run, the run's outer boundary does.
        let space_rect = position.checked_sub(1).and_then(|p| {
            let (low, high) = (order[p].min(index), order[p].max(index));
            if high == low + 1 {
                space_after[low]
            } else {
                space_after[low].or(space_after[high - 1])
            }
        });
        units.push(Unit {
            glyph: visual[index].0,
            space_rect,
            mirrored: context.mirror_brackets && mirrored[index],
        });
    }
    units
}

/// Reverses, in place, each maximal run of `order` whose members satisfy `member` (neutral
/// glyphs between two members belong to the run). A change of font size ends a run: a
/// footnote mark "2" after "1" is its own number, not "12". Returns, by glyph index,
/// whether each glyph is inside such a run.
fn reverse_runs(
    order: &mut [usize],
    classes: &[Direction],
    sizes: &[f32],
    member: impl Fn(Direction) -> bool,
) -> Vec<bool> {
    let mut inside = vec![false; classes.len()];
    let mut start = 0;
    while start < order.len() {
        if !member(classes[order[start]]) {
            start += 1;
            continue;
        }
        let mut end = start + 1;
        let mut last_member = start;
        while end < order.len() {
            let class = classes[order[end]];
            let (size, previous) = (sizes[order[end]], sizes[order[last_member]]);
            if member(class) && (size - previous).abs() > 0.15 * size.max(previous) {
                break;
            }
            if member(class) {
                last_member = end;
            } else if class != Direction::Neutral {
                break;
            }
            end += 1;
        }
        for &index in &order[start..=last_member] {
            inside[index] = true;
        }
        order[start..=last_member].reverse();
        start = last_member + 1;
    }
    inside
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Ltr,
    Rtl,
    Number,
    Neutral,
}

fn direction(text: &str) -> Direction {
    let mut number = false;
    for c in text.chars() {
        match bidi_class(c) {
            BidiClass::R | BidiClass::AL => return Direction::Rtl,
            BidiClass::L => return Direction::Ltr,
            BidiClass::EN | BidiClass::AN => number = true,
            _ => {}
        }
    }
    if number {
        Direction::Number
    } else {
        Direction::Neutral
    }
}

fn is_right_to_left(text: &str) -> bool {
    direction(text) == Direction::Rtl
}

/// Whether a glyph is a Han, kana or hangul character (set without spaces).
fn is_cjk(text: &str) -> bool {
    text.chars().next().is_some_and(|c| {
        matches!(c as u32,
            0x2E80..=0x2FDF | 0x3000..=0x30FF | 0x3100..=0x31FF | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF
            | 0x20000..=0x2FA1F)
    })
}

/// Appends a glyph's characters, splitting its box between them (a ligature "ﬁ" drawn as
/// one glyph gives "f" and "i", each with half the box).
fn push_glyph_chars(chars: &mut Vec<PlacedChar>, glyph: &Glyph, mirrored: bool) {
    let text: String = glyph.text.chars().flat_map(expand_char).collect();
    let count = text.chars().count().max(1) as f32;
    let [left, top, right, bottom] = glyph.rect;
    let width = (right - left) / count;
    for (index, c) in text.chars().enumerate() {
        let c = if mirrored { mirror(c) } else { c };
        let x = left + width * index as f32;
        chars.push(PlacedChar {
            ch: c,
            rect: [x, top, x + width, bottom],
        });
    }
}

/// What a character the page draws is stored as: ligatures spelled out, Arabic and other
/// presentation forms as their letters, controls and soft hyphens dropped. CJK radicals
/// become the ideographs they look like: Chromium's fonts map common ideographs (方, 一)
/// to the Kangxi radicals (⽅, ⼀), which no search would find.
fn expand_char(c: char) -> Vec<char> {
    use unicode_normalization::UnicodeNormalization;
    match c as u32 {
        0x2E80..=0x2FDF | 0xFB00..=0xFB06 | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            if c == '\u{feff}' {
                return Vec::new();
            }
            c.to_string().nfkc().collect()
        }
        0xAD => Vec::new(),
        _ if c.is_control() || crate::model::text::is_forbidden_control(c) => Vec::new(),
        _ => vec![c],
    }
}

/// The bracket that a right-to-left line shows in its place.
fn mirror(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        other => other,
    }
}

/// Marks lines that follow a wider vertical gap than the usual line pitch: a new paragraph.
fn mark_paragraph_gaps(lines: &mut [Line]) {
    let mut pitches: Vec<f32> = lines
        .windows(2)
        .map(|pair| pair[1].baseline - pair[0].baseline)
        .filter(|pitch| *pitch > 0.0)
        .collect();
    if pitches.is_empty() {
        return;
    }
    pitches.sort_by(f32::total_cmp);
    let usual = pitches[pitches.len() / 2];
    for index in 1..lines.len() {
        let pitch = lines[index].baseline - lines[index - 1].baseline;
        let size = lines[index].size.max(lines[index - 1].size);
        // Going up (a new column) or a gap clearly wider than the usual pitch.
        lines[index].gap_before = pitch < -size || pitch > usual * 1.45 + 0.1 * size;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Places `text` on `baseline` from `x`, 0.5 em per character, a space glyph drawn for
    /// each space.
    fn word_glyphs(text: &str, x: f32, baseline: f32, size: f32) -> Vec<Glyph> {
        let advance = 0.5 * size;
        text.chars()
            .enumerate()
            .map(|(index, c)| {
                let left = x + advance * index as f32;
                Glyph::upright(&c.to_string(), left, left + advance, baseline, size)
            })
            .collect()
    }

    /// Like [`word_glyphs`] but with no space glyphs: words are placed with gaps, as
    /// Chromium draws them.
    fn gapped_glyphs(text: &str, x: f32, baseline: f32, size: f32) -> Vec<Glyph> {
        word_glyphs(text, x, baseline, size)
            .into_iter()
            .filter(|glyph| !glyph.is_space())
            .collect()
    }

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(Line::text).collect()
    }

    #[test]
    fn spaces_come_from_gaps_and_from_space_glyphs() {
        let mut glyphs = gapped_glyphs("without undue delay", 72.0, 100.0, 10.0);
        glyphs.extend(word_glyphs("a b", 72.0, 120.0, 10.0));
        assert_eq!(texts(&lay_out(&glyphs)), ["without undue delay", "a b"]);
    }

    #[test]
    fn lines_read_top_to_bottom_whatever_the_drawing_order() {
        let mut glyphs = gapped_glyphs("Responsible Cyber Conduct", 72.0, 130.0, 20.0);
        glyphs.extend(gapped_glyphs("Geneva Convention on", 72.0, 100.0, 20.0));
        assert_eq!(
            texts(&lay_out(&glyphs)),
            ["Geneva Convention on", "Responsible Cyber Conduct"]
        );
    }

    #[test]
    fn a_list_marker_set_a_tab_away_starts_the_line_of_its_item() {
        let mut glyphs = Vec::new();
        for (row, (marker, text)) in [("1.", "First item text"), ("2.", "For the purposes")]
            .iter()
            .enumerate()
        {
            let baseline = 100.0 + 14.0 * row as f32;
            // Marker at 72, text at 100: a 22-point gap (2.2 em).
            glyphs.extend(gapped_glyphs(marker, 72.0, baseline, 10.0));
            glyphs.extend(gapped_glyphs(text, 100.0, baseline, 10.0));
        }
        let lines = lay_out(&glyphs);
        assert_eq!(texts(&lines), ["1. First item text", "2. For the purposes"]);
    }

    #[test]
    fn two_columns_read_one_after_the_other_not_row_by_row() {
        let mut glyphs = gapped_glyphs("A heading across the page", 72.0, 80.0, 10.0);
        let left = [
            "left one text here",
            "left two text here",
            "left three text",
            "left four",
        ];
        let right = [
            "right one text here",
            "right two text",
            "right three text",
            "right four",
        ];
        // Drawn row by row, so only geometry can tell the columns apart.
        for row in 0..4 {
            let baseline = 100.0 + 12.0 * row as f32;
            glyphs.extend(gapped_glyphs(left[row], 72.0, baseline, 10.0));
            glyphs.extend(gapped_glyphs(right[row], 200.0, baseline, 10.0));
        }
        glyphs.extend(gapped_glyphs("Below both columns", 72.0, 160.0, 10.0));
        let lines = texts(&lay_out(&glyphs));
        let mut expected = vec!["A heading across the page".to_owned()];
        expected.extend(left.iter().map(|s| (*s).to_owned()));
        expected.extend(right.iter().map(|s| (*s).to_owned()));
        expected.push("Below both columns".to_owned());
        assert_eq!(lines, expected);
    }

    #[test]
    fn a_table_of_narrow_cells_reads_row_by_row() {
        let mut glyphs = Vec::new();
        for row in 0..4 {
            let baseline = 100.0 + 12.0 * row as f32;
            glyphs.extend(gapped_glyphs(&format!("201{row}"), 72.0, baseline, 10.0));
            glyphs.extend(gapped_glyphs("Yes", 200.0, baseline, 10.0));
        }
        let lines = texts(&lay_out(&glyphs));
        assert_eq!(lines[0], "2010 Yes");
        assert_eq!(lines.len(), 4);
    }

    #[test]
    fn a_footnote_mark_stays_on_its_line() {
        let mut glyphs = gapped_glyphs("cooperation", 72.0, 100.0, 10.0);
        glyphs.push(Glyph::upright("1", 127.0, 130.0, 96.5, 6.0));
        glyphs.extend(gapped_glyphs("and more", 133.0, 100.0, 10.0));
        glyphs.extend(gapped_glyphs("next line", 72.0, 112.0, 10.0));
        assert_eq!(
            texts(&lay_out(&glyphs)),
            ["cooperation1 and more", "next line"]
        );
    }

    #[test]
    fn arabic_drawn_in_visual_order_is_stored_in_logical_order() {
        // "المادة 12" shown right to left: visually "12" then the word reversed.
        let logical_word = "المادة";
        let visual: String = logical_word.chars().rev().collect();
        let mut glyphs = gapped_glyphs("12", 72.0, 100.0, 10.0);
        glyphs.extend(gapped_glyphs(&visual, 90.0, 100.0, 10.0));
        assert_eq!(texts(&lay_out(&glyphs)), ["المادة 12"]);
    }

    #[test]
    fn arabic_drawn_in_logical_order_is_kept() {
        // Each glyph placed right to left in drawing order.
        let glyphs: Vec<Glyph> = "المادة"
            .chars()
            .enumerate()
            .map(|(i, c)| {
                let right = 200.0 - 5.0 * i as f32;
                Glyph::upright(&c.to_string(), right - 5.0, right, 100.0, 10.0)
            })
            .collect();
        assert_eq!(texts(&lay_out(&glyphs)), ["المادة"]);
    }

    #[test]
    fn brackets_in_arabic_are_put_back() {
        // Logical "(أ) نص": visually "نص" reversed, space, then ")أ(" shown as "(أ)"
        // mirrored: left to right the page shows "صن )أ(".
        let visual = ["ص", "ن", " ", "(", "أ", ")"];
        let glyphs: Vec<Glyph> = visual
            .iter()
            .enumerate()
            .map(|(i, c)| {
                Glyph::upright(c, 72.0 + 5.0 * i as f32, 77.0 + 5.0 * i as f32, 100.0, 10.0)
            })
            .collect();
        assert_eq!(texts(&lay_out(&glyphs)), ["(أ) نص"]);
    }

    #[test]
    fn chinese_characters_get_no_spaces_between_them() {
        let glyphs: Vec<Glyph> = "第二条各缔约方"
            .chars()
            .enumerate()
            .map(|(i, c)| {
                let left = 72.0 + 10.5 * i as f32;
                Glyph::upright(&c.to_string(), left, left + 10.0, 100.0, 10.0)
            })
            .collect();
        assert_eq!(texts(&lay_out(&glyphs)), ["第二条各缔约方"]);
    }

    #[test]
    fn ligatures_and_presentation_forms_become_letters_with_split_boxes() {
        let glyphs = vec![Glyph::upright("\u{fb01}", 72.0, 80.0, 100.0, 10.0)];
        let lines = lay_out(&glyphs);
        assert_eq!(lines[0].text(), "fi");
        assert_eq!(lines[0].chars[0].rect[2], 76.0);
        let arabic = vec![Glyph::upright("\u{fefb}", 72.0, 80.0, 100.0, 10.0)];
        assert_eq!(lay_out(&arabic)[0].text(), "لا");
    }

    #[test]
    fn overprinted_glyphs_count_once() {
        let mut glyphs = gapped_glyphs("Bold", 72.0, 100.0, 10.0);
        glyphs.extend(gapped_glyphs("Bold", 72.3, 100.0, 10.0));
        assert_eq!(texts(&lay_out(&glyphs)), ["Bold"]);
    }

    #[test]
    fn hostile_numbers_are_ignored_without_a_panic() {
        let glyphs = vec![
            Glyph::upright("a", f32::NAN, 1.0, 100.0, 10.0),
            Glyph::upright("b", 1.0, f32::INFINITY, 100.0, 10.0),
            Glyph::upright("c", 72.0, 77.0, 100.0, 0.0),
            Glyph::upright("d", 72.0, 77.0, 100.0, 10.0),
        ];
        assert_eq!(texts(&lay_out(&glyphs)), ["d"]);
        assert!(lay_out(&[]).is_empty());
    }

    #[test]
    fn a_paragraph_gap_is_marked() {
        let mut glyphs = gapped_glyphs("one", 72.0, 100.0, 10.0);
        glyphs.extend(gapped_glyphs("two", 72.0, 112.0, 10.0));
        glyphs.extend(gapped_glyphs("three", 72.0, 124.0, 10.0));
        glyphs.extend(gapped_glyphs("new paragraph", 72.0, 150.0, 10.0));
        let gaps: Vec<bool> = lay_out(&glyphs).iter().map(|l| l.gap_before).collect();
        assert_eq!(gaps, [false, false, false, true]);
    }
}
