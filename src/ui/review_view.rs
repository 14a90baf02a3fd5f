//! The Review summary tab: per agreement, how many cells are Reviewed, Disputed, waiting
//! for review, or untouched.

use super::events::AppEvent;
use crate::collab::review_summary;
use crate::model::{Project, ReviewStatus};
use egui::{RichText, Ui};

/// Draws the Review summary tab.
pub fn review_view_ui(
    ui: &mut Ui,
    project: &Project,
    review_mode: bool,
    events: &mut Vec<AppEvent>,
) {
    ui.heading("Review summary");
    ui.label(
        RichText::new(
            "Counts assessed cells (and any cell given a review status). Untouched cells are \
             still Draft. Click an agreement to see it in the grid.",
        )
        .weak(),
    );
    let (rows, total) = review_summary(project);
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "{} reviewed, {} disputed, {} needing review, {} untouched, of {} cells",
                total.reviewed,
                total.disputed,
                total.needs_review,
                total.untouched,
                total.total()
            ))
            .strong(),
        );
        if ui.button("Show Disputed cells").clicked() {
            events.push(AppEvent::FilterReview(Some(ReviewStatus::Disputed)));
        }
        if ui.button("Show cells that need review").clicked() {
            events.push(AppEvent::FilterReview(Some(ReviewStatus::NeedsReview)));
        }
    });
    if !review_mode {
        ui.label(
            RichText::new("Reviewing? Review → Review mode locks the content so only statuses and review comments change.")
                .weak(),
        );
    }
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("review-summary")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("review-table")
                .striped(true)
                .show(ui, |ui| {
                    for heading in [
                        "Agreement",
                        "Reviewed",
                        "Disputed",
                        "Needs review",
                        "Untouched",
                        "Progress",
                    ] {
                        ui.label(RichText::new(heading).strong());
                    }
                    ui.end_row();
                    for (id, counts) in &rows {
                        let name = project.agreement(id).map_or("?", |a| a.short_name.as_str());
                        if ui.link(name).on_hover_text("Show in the grid").clicked() {
                            events.push(AppEvent::ShowAgreementInGrid(id.clone()));
                        }
                        for n in [
                            counts.reviewed,
                            counts.disputed,
                            counts.needs_review,
                            counts.untouched,
                        ] {
                            ui.label(n.to_string());
                        }
                        let done = if counts.total() == 0 {
                            0.0
                        } else {
                            counts.reviewed as f32 / counts.total() as f32
                        };
                        ui.add(
                            egui::ProgressBar::new(done)
                                .desired_width(140.0)
                                .text(format!("{:.0}% reviewed", done * 100.0)),
                        );
                        ui.end_row();
                    }
                });
        });
}
