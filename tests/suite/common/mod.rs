//! Helpers shared by the integration tests: run the binary, build edited copies of the sample.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each test file uses some

pub mod browser;
pub mod gui;

use normgrid::commands::Command;
use normgrid::model::{AgreementId, Assessment, ElementId, Project};
use std::path::Path;
use std::process::Output;

/// Runs the `normgrid` binary as a user would.
pub fn normgrid(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_normgrid"))
        .args(args)
        .output()
        .unwrap()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The data block of a review copy, parsed.
pub fn review_copy_data(html: &str) -> serde_json::Value {
    let start = html
        .find("<script id=\"normgrid-data\" type=\"application/json\">")
        .expect("the review copy has its data block");
    let rest = &html[start..];
    let json = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    serde_json::from_str(json).unwrap()
}

/// The built-in BPF 2019 project.
pub fn sample() -> Project {
    normgrid::sample::bpf_2019().unwrap().project
}

/// A copy of `project` where one volunteer (`by`) set a cell's assessment, and its note if given.
pub fn with_cell(
    project: &Project,
    agreement: &str,
    element: &str,
    assessment: Assessment,
    note: Option<&str>,
    by: &str,
) -> Project {
    let mut project = project.clone();
    let (agreement, element) = (AgreementId::new(agreement), ElementId::new(element));
    let mut cell = project.cell(&agreement, &element);
    cell.assessment = assessment;
    if let Some(note) = note {
        cell.note = note.to_owned();
    }
    cell.edited_by = by.to_owned();
    Command::SetCell {
        agreement,
        element,
        cell,
    }
    .apply(&mut project)
    .unwrap();
    project
}

/// Saves `project` as `dir/name`; returns the path as a command line takes it.
pub fn write(dir: &Path, name: &str, project: &Project) -> String {
    let path = dir.join(name);
    normgrid::io::save_project(&path, project).unwrap();
    path.display().to_string()
}
