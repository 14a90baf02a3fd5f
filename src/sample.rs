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

/// A generated project for benchmarks and stress tests: `agreements` × `elements` cells, each
/// with an assessment and a note of `note_len` characters. `variant` changes the cell contents
/// so two projects of the same shape differ.
pub fn synthetic_project(
    agreements: usize,
    elements: usize,
    note_len: usize,
    variant: u64,
) -> crate::model::Project {
    use crate::model::{
        Agreement, AgreementId, Assessment, Cell, Element, ElementId, Framework, FrameworkId,
        Project, ProjectId,
    };
    let as_of = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default();
    let mut project = Project::new(format!("Synthetic {agreements}x{elements}"), as_of);
    // Same shape, same id: two runs build equal projects.
    project.id = ProjectId::new(format!("synthetic-{agreements}x{elements}"));
    project.frameworks = vec![Framework {
        id: FrameworkId::new("fw-synthetic"),
        name: "Synthetic elements".to_owned(),
        description: String::new(),
        elements: (0..elements)
            .map(|e| Element {
                id: ElementId::new(format!("el-{e:02}")),
                label: String::new(),
                name: format!("Element {e}"),
                definition: String::new(),
            })
            .collect(),
    }];
    let filler =
        "The agreement refers to this element in its operative part; see the quoted text. ";
    let mut rng = fastrand::Rng::with_seed(variant);
    for a in 0..agreements {
        let id = AgreementId::new(format!("agr-{a:04}"));
        project.agreements.push(Agreement::new(
            id.clone(),
            format!("Synthetic agreement number {a}"),
            format!("Agreement {a}"),
        ));
        for e in 0..elements {
            let offset = rng.usize(..filler.len());
            let note: String = filler.chars().cycle().skip(offset).take(note_len).collect();
            let assessment =
                [Assessment::Yes, Assessment::Indirect, Assessment::No][rng.usize(..3)];
            let cell = Cell {
                assessment,
                note,
                ..Cell::default()
            };
            project
                .cells
                .set(&id, &ElementId::new(format!("el-{e:02}")), cell);
        }
    }
    project
}
