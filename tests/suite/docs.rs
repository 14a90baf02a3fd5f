//! The documentation's example must stay a valid, canonical project file.

use std::path::Path;

fn documented_example() -> String {
    let doc = include_str!("../../docs/project-format.md");
    let start = doc.find("## A complete small project").unwrap();
    let block = &doc[start..];
    let open = block.find("```ron\n").unwrap() + "```ron\n".len();
    let close = block[open..].find("```").unwrap();
    block[open..open + close].to_owned()
}

#[test]
fn the_complete_example_in_the_format_doc_loads_cleanly_and_is_canonical() {
    let text = documented_example();
    let loaded = normgrid::io::parse_project(&text, Path::new("example.ron")).unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert_eq!(loaded.project.agreements.len(), 1);
    assert_eq!(loaded.project.cells.len(), 2);
    assert_eq!(loaded.project.sources.len(), 1);
    let (_, counts) = normgrid::cli::check_excerpts(&loaded.project);
    assert_eq!(counts.verified, 1, "the example's quote is proven");
    assert_eq!(normgrid::io::project_to_ron(&loaded.project).unwrap(), text);
}
