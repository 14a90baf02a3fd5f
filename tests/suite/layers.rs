//! No layer imports one above it, standing in for crate boundaries:
//! model → formats → commands → palette → sources → charts → io → collab → export → ui → cli.
//! Test modules, at the end of each file, may use anything.

use std::path::Path;

/// Each lower layer and what it may import from the crate, besides itself.
const LAYERS: [(&str, &[&str]); 11] = [
    ("model", &[]),
    ("formats", &["model"]),
    ("commands", &["model"]),
    ("palette", &["model"]),
    ("sources", &["model", "commands", "formats"]),
    ("charts", &["model", "formats", "palette"]),
    (
        "io",
        &["model", "formats", "commands", "palette", "sources"],
    ),
    (
        "collab",
        &["model", "formats", "commands", "palette", "sources", "io"],
    ),
    (
        "export",
        &[
            "model", "formats", "commands", "palette", "sources", "charts", "io", "collab",
        ],
    ),
    (
        "ui",
        &[
            "model", "formats", "commands", "palette", "sources", "charts", "io", "collab",
            "export", "sample",
        ],
    ),
    (
        "cli",
        &[
            "model", "formats", "commands", "palette", "sources", "charts", "io", "collab",
            "export", "sample", "ui",
        ],
    ),
];

fn rust_files(path: &Path, found: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            rust_files(&entry.unwrap().path(), found);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        found.push(path.to_path_buf());
    }
}

#[test]
fn no_lower_layer_imports_a_higher_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut upward = Vec::new();
    for (layer, allowed) in LAYERS {
        let mut files = Vec::new();
        let dir = src.join(layer);
        let root = if dir.is_dir() {
            dir
        } else {
            src.join(format!("{layer}.rs"))
        };
        rust_files(&root, &mut files);
        assert!(!files.is_empty(), "layer {layer} has files");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            assert!(
                !code.contains("crate::{"),
                "{}: name each import's module",
                file.display()
            );
            for (at, _) in code.match_indices("crate::") {
                let target: String = code[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if target != layer && !allowed.contains(&target.as_str()) {
                    upward.push(format!("{} imports crate::{target}", file.display()));
                }
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports up the layers:\n{}",
        upward.join("\n")
    );
}
