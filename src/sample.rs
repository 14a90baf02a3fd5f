//! The BPF Cybersecurity 2019 mapping, embedded so the app has a project with no file on disk.

use crate::io::{LoadError, Loaded, parse_project};
use std::path::Path;

/// Text of `sample-data/bpf-2019.ron`.
pub const BPF_2019_RON: &str = include_str!("../sample-data/bpf-2019.ron");

/// Name shown for the embedded sample in errors and titles.
pub const BPF_2019_NAME: &str = "bpf-2019.ron (built-in sample)";

/// Parses the embedded sample project.
pub fn bpf_2019() -> Result<Loaded, LoadError> {
    parse_project(BPF_2019_RON, Path::new(BPF_2019_NAME))
}
