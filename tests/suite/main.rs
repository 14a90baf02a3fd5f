//! normgrid's integration tests, linked into one binary: each module was its own test file,
//! and 34 binaries that each link egui, wgpu and pdf_oxide filled CI's disk.
//! `cargo test --test suite MODULE::` runs one module, e.g. `cargo test --test suite reader_ui::`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod common;

mod block_edit;
mod charts;
mod cli;
mod coder_stats;
mod collab_cli;
mod collab_gui;
mod command_table;
mod commands;
mod crash_safe_save;
mod csv_identity;
mod diff;
mod docs;
mod editor_ui;
mod element_report;
mod extract;
mod file_format;
mod format_migration;
mod grid_questions;
mod gui;
mod gui_safety;
mod hostile_exports;
mod hostile_sources;
mod ids_and_project;
mod laptop_ui;
mod layers;
mod merge;
mod output_paths;
mod page_view;
mod pdf_corpus;
mod qdpx;
mod reader_ui;
mod review_browser;
mod review_copy;
mod review_import;
mod sample_data;
mod save_keeps_file;
mod saved_views;
mod sources_cli;
mod sources_ui;
mod view_queries;
