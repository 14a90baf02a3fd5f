//! The Charts tab: the chosen chart, drawn live from the project by the same renderer as the
//! exported files, with controls for kind, selection, grouping, frameworks, slide size and the
//! words on the slide.

use super::actions::Action;
use super::events::AppEvent;
use crate::charts::{
    Chart, ChartKind, ChartSize, ChartSpec, Grouping, build_chart, png::svg_to_rgba,
    svg::chart_to_svg,
};
use crate::model::{AgreementId, FrameworkId, Project};
use egui::{ColorImage, TextureHandle, TextureOptions, Ui};
use std::collections::BTreeSet;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// How long a frame waits for a preview of another kind than the one shown: a small chart
/// appears in the frame that asked for it, a big one never holds a frame past this. After an
/// edit no frame waits: the previous picture of the same chart stays until the new one is in.
const PREVIEW_WAIT: Duration = Duration::from_millis(3);

/// The chart choices in the Charts tab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartControls {
    pub kind: ChartKind,
    /// Chart only the agreements the grid's filter shows.
    pub only_filtered: bool,
    pub grouping: Grouping,
    pub size: SizeChoice,
    /// Frameworks left out of the chart; the grid's own choice does not reach the chart.
    pub hidden_frameworks: BTreeSet<FrameworkId>,
    /// The slide's title and subtitle; empty keeps the chart's own.
    pub title: String,
    pub subtitle: String,
}

impl Default for ChartControls {
    fn default() -> Self {
        Self {
            kind: ChartKind::Heatmap,
            only_filtered: false,
            grouping: Grouping::None,
            size: SizeChoice::Slide16x9,
            hidden_frameworks: BTreeSet::new(),
            title: String::new(),
            subtitle: String::new(),
        }
    }
}

/// The picture's size: slide presets, A4, or a size typed in pixels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SizeChoice {
    Slide16x9,
    Slide4x3,
    A4Landscape,
    /// "1280x720": kept as typed; a size that can't be used falls back to the 16:9 slide.
    Custom(String),
}

impl SizeChoice {
    /// The size in pixels; `Err` says why a custom size can't be used.
    pub fn size(&self) -> Result<ChartSize, String> {
        match self {
            Self::Slide16x9 => Ok(ChartSize::SLIDE),
            Self::Slide4x3 => Ok(ChartSize::SLIDE_4_3),
            Self::A4Landscape => Ok(ChartSize::A4_LANDSCAPE),
            Self::Custom(text) => ChartSize::parse(text).map_err(|e| e.to_string()),
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Self::Slide16x9 => "Slide 16:9 (1920×1080)",
            Self::Slide4x3 => "Slide 4:3 (1600×1200)",
            Self::A4Landscape => "A4 landscape",
            Self::Custom(_) => "Custom size",
        }
    }
}

impl ChartControls {
    /// The chart spec these controls describe.
    pub fn spec(
        &self,
        shown_rows: &[AgreementId],
        frameworks: &[FrameworkId],
        selected: Option<&AgreementId>,
    ) -> ChartSpec {
        let shown_frameworks: Vec<FrameworkId> = frameworks
            .iter()
            .filter(|f| !self.hidden_frameworks.contains(*f))
            .cloned()
            .collect();
        let mut spec = ChartSpec::new(self.kind);
        if self.only_filtered {
            spec.agreements = Some(shown_rows.to_vec());
        }
        if self.kind == ChartKind::Heatmap || self.kind == ChartKind::Profile {
            spec.frameworks = shown_frameworks.to_vec();
        }
        spec.grouping = self.grouping;
        spec.profile = selected.cloned().or_else(|| shown_rows.first().cloned());
        spec.size = self.size.size().unwrap_or(ChartSize::SLIDE);
        spec.title = self.title.clone();
        spec.subtitle = self.subtitle.clone();
        spec
    }
}

/// The rendered preview, redrawn only when the project or the choices change. A worker thread
/// rasterises it, because a 1,000-row heatmap takes longer than a frame; until the new picture
/// is ready the previous one stays on screen.
#[derive(Default)]
pub struct ChartPreview {
    key: Option<((u64, u64), ChartSpec)>,
    texture: Option<TextureHandle>,
    /// The kind of chart the texture shows, for its alternative text.
    shown_kind: Option<ChartKind>,
    /// The kind of chart asked for last.
    requested_kind: Option<ChartKind>,
    error: Option<String>,
    worker: Option<PreviewWorker>,
    /// Number of the newest request; results of older ones are dropped when they are older
    /// than what is shown.
    requested: u64,
    /// Number of the request whose result is shown (or failed).
    received: u64,
}

/// The preview's worker thread: requests go in, pictures come out.
struct PreviewWorker {
    requests: Sender<PreviewRequest>,
    results: Receiver<PreviewResult>,
}

/// A chart to rasterise at `scale`, numbered so late results can be told from new ones.
struct PreviewRequest {
    number: u64,
    kind: ChartKind,
    chart: Chart,
    scale: f32,
    /// Woken when the picture is ready, so the tab repaints without waiting for input.
    ctx: egui::Context,
}

/// A rasterised chart, ready for a texture, or why it failed.
struct PreviewResult {
    number: u64,
    kind: ChartKind,
    image: Result<ColorImage, String>,
}

impl PreviewWorker {
    /// Starts the worker thread; None when the system cannot start one.
    fn start() -> Option<Self> {
        let (requests, inbox) = std::sync::mpsc::channel::<PreviewRequest>();
        let (outbox, results) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("chart-preview".to_owned())
            .spawn(move || {
                while let Ok(mut request) = inbox.recv() {
                    // Only the newest request matters: edits made meanwhile overtook the others.
                    while let Ok(newer) = inbox.try_recv() {
                        request = newer;
                    }
                    let result =
                        rasterise(request.number, request.kind, &request.chart, request.scale);
                    if outbox.send(result).is_err() {
                        return; // the preview is gone
                    }
                    request.ctx.request_repaint();
                }
            })
            .ok()?;
        Some(Self { requests, results })
    }
}

/// Draws `chart` to pixels at `scale`.
fn rasterise(number: u64, kind: ChartKind, chart: &Chart, scale: f32) -> PreviewResult {
    PreviewResult {
        number,
        kind,
        // Converted to egui's image here too, so the UI thread only hands it to the texture.
        image: svg_to_rgba(&chart_to_svg(chart), scale)
            .map(|(w, h, pixels)| {
                ColorImage::from_rgba_premultiplied([w as usize, h as usize], &pixels)
            })
            .map_err(|e| e.to_string()),
    }
}

impl ChartPreview {
    /// Asks for `chart` to be drawn; on a system without threads it is drawn at once.
    fn request(&mut self, ctx: &egui::Context, kind: ChartKind, chart: Chart, scale: f32) {
        self.requested += 1;
        self.requested_kind = Some(kind);
        let number = self.requested;
        if self.worker.is_none() {
            self.worker = PreviewWorker::start();
        }
        let request = PreviewRequest {
            number,
            kind,
            chart,
            scale,
            ctx: ctx.clone(),
        };
        let unsent = match &self.worker {
            Some(worker) => worker.requests.send(request).err().map(|e| e.0),
            None => Some(request),
        };
        if let Some(request) = unsent {
            // No worker (or it stopped): draw here, slower but still right.
            self.worker = None;
            let result = rasterise(number, kind, &request.chart, scale);
            self.show(ctx, result);
        }
    }

    /// Marks the newest request as answered by an error, so no older picture replaces it.
    fn fail(&mut self, error: String) {
        self.requested += 1;
        self.received = self.requested;
        self.error = Some(error);
    }

    /// True while the newest request has no picture yet.
    fn is_pending(&self) -> bool {
        self.received < self.requested
    }

    /// Takes the worker's newest picture, waiting up to `PREVIEW_WAIT` for one.
    fn receive(&mut self, ctx: &egui::Context) {
        if !self.is_pending() {
            return;
        }
        let Some(worker) = &self.worker else {
            return;
        };
        let same_chart = self.texture.is_some() && self.shown_kind == self.requested_kind;
        let wait = if same_chart {
            Duration::ZERO
        } else {
            PREVIEW_WAIT
        };
        let mut newest = match worker.results.recv_timeout(wait) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => {
                // A new kind of chart: keep frames coming until it shows. Otherwise the worker
                // wakes the UI when the picture is ready.
                if !same_chart {
                    ctx.request_repaint();
                }
                return;
            }
            Err(RecvTimeoutError::Disconnected) => {
                self.worker = None;
                self.fail("The chart preview stopped; switch tabs to try again.".to_owned());
                self.key = None;
                return;
            }
        };
        while let Ok(result) = worker.results.try_recv() {
            newest = result;
        }
        if newest.number > self.received {
            self.show(ctx, newest);
        }
        if self.is_pending() {
            ctx.request_repaint();
        }
    }

    /// Puts a result on screen.
    fn show(&mut self, ctx: &egui::Context, result: PreviewResult) {
        self.received = result.number;
        match result.image {
            Ok(image) => {
                match &mut self.texture {
                    // Reusing the texture keeps its id, so egui updates it in place.
                    Some(texture) => texture.set(image, TextureOptions::LINEAR),
                    None => {
                        self.texture =
                            Some(ctx.load_texture("chart-preview", image, TextureOptions::LINEAR));
                    }
                }
                self.shown_kind = Some(result.kind);
                self.error = None;
            }
            Err(error) => self.error = Some(error),
        }
    }
}

/// Draws the Charts tab.
pub fn charts_view_ui(
    ui: &mut Ui,
    project: &Project,
    revision: (u64, u64),
    spec_for: &dyn Fn(&ChartControls) -> ChartSpec,
    controls: &mut ChartControls,
    preview: &mut ChartPreview,
    events: &mut Vec<AppEvent>,
) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Chart");
        egui::ComboBox::from_id_salt("chart-kind")
            .selected_text(kind_label(controls.kind))
            .show_ui(ui, |ui| {
                for kind in [
                    ChartKind::Heatmap,
                    ChartKind::Prevalence,
                    ChartKind::NormCoverage,
                    ChartKind::Profile,
                ] {
                    ui.selectable_value(&mut controls.kind, kind, kind_label(kind));
                }
            })
            .response
            .labelled_by(label.id);
        ui.checkbox(
            &mut controls.only_filtered,
            "Only agreements the grid filter shows",
        );
        if controls.kind == ChartKind::Heatmap {
            let label = ui.label("Group rows");
            egui::ComboBox::from_id_salt("chart-grouping")
                .selected_text(match controls.grouping {
                    Grouping::None => "No grouping",
                    Grouping::Space => "By space",
                    Grouping::Binding => "By binding",
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut controls.grouping, Grouping::None, "No grouping");
                    ui.selectable_value(&mut controls.grouping, Grouping::Space, "By space");
                    ui.selectable_value(&mut controls.grouping, Grouping::Binding, "By binding");
                })
                .response
                .labelled_by(label.id);
        }
        size_choice_ui(ui, &mut controls.size);
        if ui
            .button(Action::ExportChart.label())
            .on_hover_text(Action::ExportChart.tooltip())
            .clicked()
        {
            events.push(AppEvent::Action(Action::ExportChart));
        }
    });
    chart_frameworks_ui(ui, project, controls);
    chart_words_ui(ui, controls);
    if let Err(error) = controls.size.size() {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("{error}. The preview and the export use the 16:9 slide until it is fixed."),
        );
    }
    if controls.kind == ChartKind::Profile {
        ui.label(
            egui::RichText::new("The profile shows the agreement selected in the grid.").weak(),
        );
    }
    ui.separator();

    let spec = spec_for(controls);
    let key = (revision, spec.clone());
    if preview.key.as_ref() != Some(&key) {
        preview.key = Some(key);
        match build_chart(project, &spec) {
            Ok(chart) => {
                // Rasterise at the width it is shown at, so the preview stays sharp and quick.
                let scale = (ui.available_width() * ui.ctx().pixels_per_point()
                    / spec.size.width as f32)
                    .clamp(0.2, 2.0);
                preview.request(ui.ctx(), spec.kind, chart, scale);
            }
            Err(error) => preview.fail(error.to_string()),
        }
    }
    preview.receive(ui.ctx());
    if let Some(error) = &preview.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    } else if let Some(texture) = &preview.texture {
        let size = texture.size_vec2();
        let width = ui
            .available_width()
            .min(size.x / ui.ctx().pixels_per_point().max(0.1) * 2.0);
        let shown = egui::vec2(width, width * size.y / size.x.max(1.0));
        egui::ScrollArea::vertical()
            .id_salt("chart-scroll")
            .show(ui, |ui| {
                ui.add(
                    egui::Image::new(texture)
                        .fit_to_exact_size(shown)
                        .alt_text(kind_label(preview.shown_kind.unwrap_or(controls.kind))),
                );
            });
    }
}

/// The size picker: presets, and a field for a custom size in pixels.
fn size_choice_ui(ui: &mut Ui, choice: &mut SizeChoice) {
    let label = ui.label("Size");
    egui::ComboBox::from_id_salt("chart-size")
        .selected_text(choice.label())
        .show_ui(ui, |ui| {
            for preset in [
                SizeChoice::Slide16x9,
                SizeChoice::Slide4x3,
                SizeChoice::A4Landscape,
            ] {
                let label = preset.label();
                ui.selectable_value(choice, preset, label);
            }
            let custom = matches!(choice, SizeChoice::Custom(_));
            if ui.selectable_label(custom, "Custom size").clicked() && !custom {
                *choice = SizeChoice::Custom("1280x720".to_owned());
            }
        })
        .response
        .labelled_by(label.id);
    if let SizeChoice::Custom(text) = choice {
        let label = ui.label("Width×height in pixels");
        ui.add(
            egui::TextEdit::singleline(text)
                .id_salt("chart-custom-size")
                .desired_width(90.0),
        )
        .labelled_by(label.id);
    }
}

/// Which frameworks' elements the chart shows: its own choice, not the grid's.
fn chart_frameworks_ui(ui: &mut Ui, project: &Project, controls: &mut ChartControls) {
    if project.frameworks.len() < 2 {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("Frameworks in the chart:");
        for framework in &project.frameworks {
            let mut shown = !controls.hidden_frameworks.contains(&framework.id);
            if ui.checkbox(&mut shown, &framework.name).changed() {
                if shown {
                    controls.hidden_frameworks.remove(&framework.id);
                } else {
                    controls.hidden_frameworks.insert(framework.id.clone());
                }
            }
        }
    });
}

/// The slide's title and subtitle, empty for the chart's own words.
fn chart_words_ui(ui: &mut Ui, controls: &mut ChartControls) {
    ui.horizontal(|ui| {
        let label = ui.label("Title");
        ui.add(
            egui::TextEdit::singleline(&mut controls.title)
                .id_salt("chart-title")
                .desired_width(320.0)
                .hint_text("the chart's own title"),
        )
        .labelled_by(label.id);
        let label = ui.label("Subtitle");
        ui.add(
            egui::TextEdit::singleline(&mut controls.subtitle)
                .id_salt("chart-subtitle")
                .desired_width(f32::INFINITY)
                .hint_text("the chart's own subtitle"),
        )
        .labelled_by(label.id);
    });
}

/// Menu text of a chart kind.
pub fn kind_label(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Heatmap => "Coverage heatmap",
        ChartKind::Prevalence => "Element prevalence",
        ChartKind::NormCoverage => "UNGGE norm coverage",
        ChartKind::Profile => "Agreement profile",
    }
}
