//! normgrid: map cybersecurity agreements against analysis elements.

pub mod charts;
pub mod cli;
pub mod collab;
pub mod commands;
pub mod export;
pub mod formats;
pub mod io;
pub mod model;
pub mod palette;
pub mod sample;
pub mod sources;
pub mod ui;
