//! The Charts tab: the chosen chart, drawn live from the project by the same renderer as the
//! exported files, with controls for kind, selection and grouping.

use super::actions::Action;
use super::events::AppEvent;
use crate::charts::{
    ChartKind, ChartSize, ChartSpec, Grouping, build_chart, png::svg_to_rgba, svg::chart_to_svg,
};
use crate::model::{AgreementId, FrameworkId, Project};
use egui::{ColorImage, TextureHandle, TextureOptions, Ui};

/// The chart choices in the Charts tab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartControls {
    pub kind: ChartKind,
    /// Chart only the agreements the grid's filter shows.
    pub only_filtered: bool,
    pub grouping: Grouping,
    pub a4: bool,
}

impl Default for ChartControls {
    fn default() -> Self {
        Self {
            kind: ChartKind::Heatmap,
            only_filtered: false,
            grouping: Grouping::None,
            a4: false,
        }
    }
}

impl ChartControls {
    /// The chart spec these controls describe.
    pub fn spec(
        &self,
        shown_rows: &[AgreementId],
        shown_frameworks: &[FrameworkId],
        selected: Option<&AgreementId>,
    ) -> ChartSpec {
        let mut spec = ChartSpec::new(self.kind);
        if self.only_filtered {
            spec.agreements = Some(shown_rows.to_vec());
        }
        if self.kind == ChartKind::Heatmap || self.kind == ChartKind::Profile {
            spec.frameworks = shown_frameworks.to_vec();
        }
        spec.grouping = self.grouping;
        spec.profile = selected.cloned().or_else(|| shown_rows.first().cloned());
        spec.size = if self.a4 {
            ChartSize::A4_LANDSCAPE
        } else {
            ChartSize::SLIDE
        };
        spec
    }
}

/// The rendered preview, redrawn only when the project or the choices change.
#[derive(Default)]
pub struct ChartPreview {
    key: Option<((u64, u64), ChartSpec)>,
    texture: Option<TextureHandle>,
    error: Option<String>,
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
        ui.checkbox(&mut controls.a4, "A4 landscape (else 16:9 slide)");
        if ui
            .button(Action::ExportChart.label())
            .on_hover_text(Action::ExportChart.tooltip())
            .clicked()
        {
            events.push(AppEvent::Action(Action::ExportChart));
        }
    });
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
                match svg_to_rgba(&chart_to_svg(&chart), scale) {
                    Ok((w, h, pixels)) => {
                        let image =
                            ColorImage::from_rgba_premultiplied([w as usize, h as usize], &pixels);
                        preview.texture = Some(ui.ctx().load_texture(
                            "chart-preview",
                            image,
                            TextureOptions::LINEAR,
                        ));
                        preview.error = None;
                    }
                    Err(error) => preview.error = Some(error.to_string()),
                }
            }
            Err(error) => preview.error = Some(error.to_string()),
        }
    }
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
                        .alt_text(kind_label(controls.kind)),
                );
            });
    }
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
