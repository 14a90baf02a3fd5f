//! Consistency checks: duplicate ids, orphan cells, dangling references and control characters
//! that no export can carry.
//! Loading reports these instead of failing, so a damaged shared file can still be opened and fixed.

use super::ids::{AgreementId, ElementId};
use super::note::NoteTarget;
use super::project::{FORMAT_VERSION, Project};
use super::text::{first_forbidden_control, without_forbidden_controls};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// One thing wrong with a project's contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Two items of one kind share an id.
    DuplicateId { kind: &'static str, id: String },
    /// A cell whose agreement or element does not exist.
    OrphanCell {
        agreement: AgreementId,
        element: ElementId,
        missing: &'static str,
    },
    /// An initiative or note points at something that does not exist.
    UnknownReference { owner: String, target: String },
    /// The in-memory format version differs from the one this build writes.
    FormatVersion { found: u32 },
    /// A text field holds a control character that exports replace with U+FFFD.
    ControlCharacter {
        /// The item, e.g. "agreement `manrs`" or "cell (manrs, ke-cbms)".
        item: String,
        /// The field, e.g. "short_name" or "note".
        field: String,
        character: char,
        /// 1-based position in characters.
        position: usize,
    },
    /// An excerpt's position or a source's page offsets do not fit the source's text.
    BadOffset {
        /// "excerpt `x` of cell (a, e)" or "source `s`".
        item: String,
        /// What is wrong, with the numbers.
        detail: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DuplicateId { kind, id } => write!(f, "duplicate {kind} id `{id}`"),
            Self::OrphanCell {
                agreement,
                element,
                missing,
            } => write!(
                f,
                "orphan cell ({agreement}, {element}): its {missing} does not exist"
            ),
            Self::UnknownReference { owner, target } => {
                write!(f, "{owner} refers to unknown {target}")
            }
            Self::FormatVersion { found } => write!(
                f,
                "format_version is {found}, but this build writes {FORMAT_VERSION}"
            ),
            Self::ControlCharacter {
                item,
                field,
                character,
                position,
            } => write!(
                f,
                "{item} {field}: control character U+{:04X} at character {position}; exports write U+FFFD in its place, so remove it",
                u32::from(*character)
            ),
            Self::BadOffset { item, detail } => write!(f, "{item}: {detail}"),
        }
    }
}

/// Every problem in `project`, in a stable order.
pub fn problems(project: &Project) -> Vec<Problem> {
    let mut found = Vec::new();
    if project.format_version != FORMAT_VERSION {
        found.push(Problem::FormatVersion {
            found: project.format_version,
        });
    }
    unique_ids(
        "framework",
        project.frameworks.iter().map(|f| f.id.as_str()),
        &mut found,
    );
    let elements = unique_ids(
        "element",
        project.elements().map(|(_, e)| e.id.as_str()),
        &mut found,
    );
    let agreements = unique_ids(
        "agreement",
        project.agreements.iter().map(|a| a.id.as_str()),
        &mut found,
    );
    for agreement in &project.agreements {
        let kind = "provision";
        let mut seen = HashSet::new();
        for provision in &agreement.provisions {
            if !seen.insert(provision.id.as_str()) {
                found.push(Problem::DuplicateId {
                    kind,
                    id: format!("{}/{}", agreement.id, provision.id),
                });
            }
        }
    }
    unique_ids(
        "initiative",
        project.initiatives.iter().map(|i| i.id.as_str()),
        &mut found,
    );
    unique_ids(
        "note",
        project.notes.iter().map(|n| n.id.as_str()),
        &mut found,
    );

    for (agreement, element, _) in project.cells.iter() {
        let missing = match (
            agreements.contains(agreement.as_str()),
            elements.contains(element.as_str()),
        ) {
            (true, true) => continue,
            (false, true) => "agreement",
            (true, false) => "element",
            (false, false) => "agreement and element",
        };
        found.push(Problem::OrphanCell {
            agreement: agreement.clone(),
            element: element.clone(),
            missing,
        });
    }

    let provisions: HashMap<&str, HashSet<&str>> = project
        .agreements
        .iter()
        .map(|a| {
            (
                a.id.as_str(),
                a.provisions.iter().map(|p| p.id.as_str()).collect(),
            )
        })
        .collect();
    for initiative in &project.initiatives {
        let owner = || format!("initiative `{}`", initiative.id);
        for link in &initiative.supports {
            match provisions.get(link.agreement.as_str()) {
                None => found.push(Problem::UnknownReference {
                    owner: owner(),
                    target: format!("agreement `{}`", link.agreement),
                }),
                Some(known) => {
                    if let Some(provision) = &link.provision
                        && !known.contains(provision.as_str())
                    {
                        found.push(Problem::UnknownReference {
                            owner: owner(),
                            target: format!("provision `{}` of `{}`", provision, link.agreement),
                        });
                    }
                }
            }
        }
        for norm in &initiative.norms {
            if !elements.contains(norm.as_str()) {
                found.push(Problem::UnknownReference {
                    owner: owner(),
                    target: format!("norm `{norm}`"),
                });
            }
        }
    }

    for note in &project.notes {
        let owner = || format!("note `{}`", note.id);
        let (agreement, element) = match &note.target {
            NoteTarget::Project => (None, None),
            NoteTarget::Agreement(a) => (Some(a), None),
            NoteTarget::Element(e) => (None, Some(e)),
            NoteTarget::Cell(a, e) => (Some(a), Some(e)),
        };
        if let Some(a) = agreement
            && !agreements.contains(a.as_str())
        {
            found.push(Problem::UnknownReference {
                owner: owner(),
                target: format!("agreement `{a}`"),
            });
        }
        if let Some(e) = element
            && !elements.contains(e.as_str())
        {
            found.push(Problem::UnknownReference {
                owner: owner(),
                target: format!("element `{e}`"),
            });
        }
    }
    unique_ids(
        "view",
        project.views.iter().map(|v| v.id.as_str()),
        &mut found,
    );
    for view in &project.views {
        for target in view.missing_references(project) {
            found.push(Problem::UnknownReference {
                owner: format!("view `{}`", view.id),
                target,
            });
        }
    }
    sources_and_excerpts(project, &agreements, &mut found);
    control_characters(project, &mut found);
    found
}

/// Sources with unique ids, existing agreements and page offsets inside their text; excerpts
/// with unique ids per cell, pointing at an existing source, at a position inside its text.
fn sources_and_excerpts(project: &Project, agreements: &HashSet<&str>, found: &mut Vec<Problem>) {
    unique_ids(
        "source",
        project.sources.iter().map(|s| s.id.as_str()),
        found,
    );
    for source in &project.sources {
        let item = || format!("source `{}`", source.id);
        if let Some(agreement) = &source.agreement
            && !agreements.contains(agreement.as_str())
        {
            found.push(Problem::UnknownReference {
                owner: item(),
                target: format!("agreement `{agreement}`"),
            });
        }
        if let Some(detail) = page_problem(&source.pages, source.text.len()) {
            found.push(Problem::BadOffset {
                item: item(),
                detail,
            });
        }
    }
    for (agreement, element, cell) in project.cells.iter() {
        let mut seen = HashSet::new();
        for excerpt in &cell.evidence {
            let item = || format!("excerpt `{}` of cell ({agreement}, {element})", excerpt.id);
            if !seen.insert(excerpt.id.as_str()) {
                found.push(Problem::DuplicateId {
                    kind: "excerpt",
                    id: format!("{agreement} / {element} / {}", excerpt.id),
                });
            }
            let Some(source_id) = &excerpt.source else {
                continue;
            };
            // The first source of a repeated id is the one excerpts resolve to.
            let Some(source) = project.source(source_id) else {
                found.push(Problem::UnknownReference {
                    owner: item(),
                    target: format!("source `{source_id}`"),
                });
                continue;
            };
            if let Some(position) = excerpt.position {
                let text = &source.text;
                let detail = if position.start > position.end || position.end > text.len() {
                    Some(format!(
                        "position {}–{} is not inside source `{source_id}` ({} bytes); run `normgrid check` and anchor the quote again",
                        position.start,
                        position.end,
                        text.len()
                    ))
                } else if !text.is_char_boundary(position.start)
                    || !text.is_char_boundary(position.end)
                {
                    Some(format!(
                        "position {}–{} cuts a character of source `{source_id}` in two; anchor the quote again",
                        position.start, position.end
                    ))
                } else {
                    None
                };
                if let Some(detail) = detail {
                    found.push(Problem::BadOffset {
                        item: item(),
                        detail,
                    });
                }
            }
        }
    }
}

/// What is wrong with a source's page starts, if anything: they must ascend and lie inside
/// the text (a page may start at its very end).
pub fn page_problem(pages: &[usize], text_len: usize) -> Option<String> {
    if let Some(pair) = pages.windows(2).find(|pair| pair[0] >= pair[1]) {
        return Some(format!(
            "page starts must ascend, but {} is followed by {}",
            pair[0], pair[1]
        ));
    }
    pages.iter().find(|start| **start > text_len).map(|start| {
        format!("a page starts at byte {start}, past the end of the text ({text_len} bytes)")
    })
}

/// Every text field that holds a forbidden control character, each named by item and field.
fn control_characters(project: &Project, found: &mut Vec<Problem>) {
    // Ids are printed through the same replacement, so the message itself stays clean.
    let clean = |id: &str| without_forbidden_controls(id).into_owned();
    let mut check = |item: &dyn Fn() -> String, field: &str, text: &str| {
        if let Some((position, character)) = first_forbidden_control(text) {
            found.push(Problem::ControlCharacter {
                item: item(),
                field: field.to_owned(),
                character,
                position,
            });
        }
    };
    let item = || "project".to_owned();
    check(&item, "title", &project.title);
    check(&item, "description", &project.description);
    for framework in &project.frameworks {
        let item = || format!("framework `{}`", clean(framework.id.as_str()));
        check(&item, "id", framework.id.as_str());
        check(&item, "name", &framework.name);
        check(&item, "description", &framework.description);
        for element in &framework.elements {
            let item = || format!("element `{}`", clean(element.id.as_str()));
            check(&item, "id", element.id.as_str());
            check(&item, "label", &element.label);
            check(&item, "name", &element.name);
            check(&item, "definition", &element.definition);
        }
    }
    for agreement in &project.agreements {
        let item = || format!("agreement `{}`", clean(agreement.id.as_str()));
        check(&item, "id", agreement.id.as_str());
        check(&item, "name", &agreement.name);
        check(&item, "short_name", &agreement.short_name);
        check(&item, "supporters", &agreement.supporters);
        check(&item, "url", &agreement.url);
        check(&item, "summary", &agreement.summary);
        for (n, unique) in agreement.unique_elements.iter().enumerate() {
            check(&item, &format!("unique_elements[{n}]"), unique);
        }
        for provision in &agreement.provisions {
            let item = || {
                format!(
                    "provision `{}/{}`",
                    clean(agreement.id.as_str()),
                    clean(provision.id.as_str())
                )
            };
            check(&item, "id", provision.id.as_str());
            check(&item, "label", &provision.label);
            check(&item, "title", &provision.title);
        }
    }
    for (agreement, element, cell) in project.cells.iter() {
        let item = || {
            format!(
                "cell ({}, {})",
                clean(agreement.as_str()),
                clean(element.as_str())
            )
        };
        check(&item, "note", &cell.note);
        for excerpt in &cell.evidence {
            check(&item, "evidence exact", &excerpt.exact);
            check(&item, "evidence locator", &excerpt.locator);
            check(&item, "evidence comment", &excerpt.comment);
        }
        check(&item, "edited_by", &cell.edited_by);
        check(&item, "reviewed_by", &cell.reviewed_by);
    }
    for source in &project.sources {
        let item = || format!("source `{}`", clean(source.id.as_str()));
        check(&item, "id", source.id.as_str());
        check(&item, "title", &source.title);
        check(&item, "file_name", &source.file_name);
        check(&item, "url", &source.url);
    }
    for initiative in &project.initiatives {
        let item = || format!("initiative `{}`", clean(initiative.id.as_str()));
        check(&item, "id", initiative.id.as_str());
        check(&item, "title", &initiative.title);
        check(&item, "stakeholder", &initiative.stakeholder);
        check(&item, "description", &initiative.description);
        check(&item, "url", &initiative.url);
    }
    for note in &project.notes {
        let item = || format!("note `{}`", clean(note.id.as_str()));
        check(&item, "id", note.id.as_str());
        check(&item, "author", &note.author);
        check(&item, "text", &note.text);
    }
    for view in &project.views {
        let item = || format!("view `{}`", clean(view.id.as_str()));
        check(&item, "id", view.id.as_str());
        check(&item, "name", &view.name);
        check(&item, "text", &view.text);
    }
}

fn unique_ids<'a>(
    kind: &'static str,
    ids: impl Iterator<Item = &'a str>,
    found: &mut Vec<Problem>,
) -> HashSet<&'a str> {
    let mut seen = HashSet::new();
    for id in ids {
        if !seen.insert(id) {
            found.push(Problem::DuplicateId {
                kind,
                id: id.to_owned(),
            });
        }
    }
    seen
}
