//! The egui desktop app. One panel per file; `app/` ties them together, `events.rs` carries
//! what panels ask of it.

pub mod actions;
mod agreement_details;
mod app;
mod cell_panel;
mod charts_view;
mod coders_view;
mod command_palette;
mod compare_view;
pub mod dialogs;
mod document;
mod element_view;
pub mod events;
mod fields;
mod grid;
mod initiatives;
mod job;
mod memo;
mod menu;
mod merge_view;
mod norms;
mod palette_ui;
pub mod prefs;
mod project_panel;
pub mod reader;
mod review_view;
mod sources_view;
mod toolbar;
mod versions_table;
pub mod view;
pub mod views_menu;

pub use app::{NormgridApp, StartupOptions, install_fonts};
pub use command_palette::{
    PaletteEntry, apply_view_label, fuzzy_score, matching_actions, matching_entries,
};
pub use document::{Document, OtherFile};
pub use events::AppEvent;
pub use grid::{PasteError, assessments_from_tsv};
pub use menu::menu_layout;

use std::path::PathBuf;

/// Opens the normgrid window on `file`, or on the built-in sample; in Review mode if asked.
pub fn run(file: Option<PathBuf>, review: bool) -> eframe::Result {
    let viewport = egui::ViewportBuilder::default()
        .with_title("normgrid")
        .with_app_id("normgrid")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([800.0, 500.0]);
    let options = eframe::NativeOptions {
        viewport,
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    let startup = StartupOptions {
        file,
        review,
        recovery_dir: eframe::storage_dir("normgrid").map(|dir| dir.join("recovery")),
        ..StartupOptions::default()
    };
    eframe::run_native(
        "normgrid",
        options,
        Box::new(move |cc| Ok(Box::new(NormgridApp::new(cc, &startup)))),
    )
}
