//! Consistency checks: duplicate ids, orphan cells and dangling references.
//! Loading reports these instead of failing, so a damaged shared file can still be opened and fixed.

use super::ids::{AgreementId, ElementId};
use super::note::NoteTarget;
use super::project::{FORMAT_VERSION, Project};
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
    found
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
