//! Bringing a reviewer's verdicts back: which verdicts of a [`ReviewFile`] apply to the project
//! as it is now, the one undoable command that applies them, and the summary the CLI and the
//! GUI show. No files and no GUI here; `docs/review-file.md` describes each case.

use super::review_file::{ReviewFile, Verdict, VerdictStatus, cell_fingerprint};
use crate::commands::Command;
use crate::model::text::{counted, without_forbidden_controls};
use crate::model::{
    AgreementId, Assessment, Cell, ElementId, Note, NoteId, NoteKind, NoteTarget, Project,
    ProjectId,
};
use std::collections::{BTreeMap, HashSet};

/// Why a whole review file is refused; nothing of it is applied.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReviewRefusal {
    #[error(
        "{}",
        other_project_message(.file_title, .file_id, .project_title, .project_id)
    )]
    OtherProject {
        file_id: ProjectId,
        file_title: String,
        project_id: ProjectId,
        project_title: String,
    },
    #[error(
        "the review file names no reviewer, so its verdicts could not be attributed. Ask the \
         reviewer to enter their name in the review copy and save the review again."
    )]
    NoReviewer,
    #[error(
        "the review file holds {count} verdicts for {cell}; it is ambiguous which one holds. \
         Ask the reviewer to save the review again from the review copy."
    )]
    DuplicateCell { cell: String, count: usize },
}

/// A cell named for people: "Paris Call / Reference to Human Rights", with its ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellRef {
    pub agreement: AgreementId,
    pub element: ElementId,
    /// Agreement short name / element name, or the ids where the project no longer has them.
    pub label: String,
}

/// A verdict that applies: the cell's content is what the reviewer saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedVerdict {
    pub cell: CellRef,
    pub status: VerdictStatus,
    /// The reviewer's comment, empty when none; a non-empty one becomes a review note.
    pub comment: String,
}

/// A verdict on a cell whose assessment, note or quotes changed after the copy was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangedCell {
    pub cell: CellRef,
    pub status: VerdictStatus,
    /// What differs, where it can be told ("assessment Yes → Indirect"), else who last edited.
    pub what_changed: String,
    /// The reviewer's comment, kept in a review note so that nothing they wrote is lost.
    pub comment: String,
}

/// What the project had lost by the time the review came back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    Agreement,
    Element,
    Both,
}

/// A verdict on a cell whose agreement or element was removed since the copy was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingCell {
    pub cell: CellRef,
    pub missing: Missing,
}

/// The plan for one review file against the project as it is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewImport {
    /// The reviewer's name as the file gives it, trimmed.
    pub reviewer: String,
    pub applied: Vec<AppliedVerdict>,
    /// Verdicts whose status, reviewer and comment the project already holds.
    pub already_applied: Vec<CellRef>,
    pub changed: Vec<ChangedCell>,
    pub missing: Vec<MissingCell>,
    /// Every applied verdict as one undo step; `None` when nothing is to change.
    pub command: Option<Command>,
}

/// Decides, verdict by verdict, what importing `review` into `project` does. The project is
/// not touched: apply [`ReviewImport::command`] to change it.
pub fn plan_review_import(
    project: &Project,
    review: &ReviewFile,
) -> Result<ReviewImport, ReviewRefusal> {
    if review.project_id != project.id {
        return Err(ReviewRefusal::OtherProject {
            file_id: review.project_id.clone(),
            file_title: review.project_title.clone(),
            project_id: project.id.clone(),
            project_title: project.title.clone(),
        });
    }
    // Names come from a browser: through the one-line rule every name passes, so a name of
    // blanks and zero-width spaces is no name, and a name never spans lines.
    let reviewer =
        crate::model::text::one_line_field(&review.reviewer, crate::model::text::MAX_LINE_CHARS)
            .text;
    let reviewer = reviewer.as_str();
    if reviewer.is_empty() {
        return Err(ReviewRefusal::NoReviewer);
    }
    refuse_duplicate_cells(project, review)?;

    let mut plan = ReviewImport {
        reviewer: reviewer.to_owned(),
        applied: Vec::new(),
        already_applied: Vec::new(),
        changed: Vec::new(),
        missing: Vec::new(),
        command: None,
    };
    let mut commands = Vec::new();
    let mut notes = Vec::new();
    let mut taken_note_ids: HashSet<String> =
        project.notes.iter().map(|n| n.id.to_string()).collect();
    for verdict in &review.verdicts {
        let cell_ref = cell_ref(project, &verdict.agreement, &verdict.element);
        let missing = match (
            project.agreement(&verdict.agreement).is_some(),
            project.element(&verdict.element).is_some(),
        ) {
            (true, true) => None,
            (false, true) => Some(Missing::Agreement),
            (true, false) => Some(Missing::Element),
            (false, false) => Some(Missing::Both),
        };
        if let Some(missing) = missing {
            plan.missing.push(MissingCell {
                cell: cell_ref,
                missing,
            });
            continue;
        }
        let cell = project.cell(&verdict.agreement, &verdict.element);
        if is_already_applied(project, &cell, verdict, reviewer) {
            plan.already_applied.push(cell_ref);
            continue;
        }
        if cell_fingerprint(&cell) != verdict.fingerprint {
            // The status is not applied, but what the reviewer said is kept as a review note
            // on the cell, so the volunteer reads it beside the change it may answer.
            let what_changed = what_changed(&cell, &verdict.fingerprint, review);
            let comment = without_forbidden_controls(verdict.comment.trim());
            let text = not_applied_note_text(verdict.status, &what_changed, comment.trim());
            let target = NoteTarget::Cell(verdict.agreement.clone(), verdict.element.clone());
            let noted = project.notes.iter().any(|n| {
                n.kind == NoteKind::Review
                    && n.target == target
                    && n.author == reviewer
                    && n.text == text
            });
            if !noted {
                notes.push(Note {
                    id: fresh_note_id(reviewer, &mut taken_note_ids),
                    target,
                    author: reviewer.to_owned(),
                    date: verdict.at.date_naive(),
                    text,
                    kind: NoteKind::Review,
                });
            }
            plan.changed.push(ChangedCell {
                cell: cell_ref,
                status: verdict.status,
                what_changed,
                comment: comment.trim().to_owned(),
            });
            continue;
        }
        let mut reviewed = cell;
        reviewed.set_review(verdict.status.review_status(), reviewer, verdict.at);
        commands.push(Command::SetCell {
            agreement: verdict.agreement.clone(),
            element: verdict.element.clone(),
            cell: reviewed,
        });
        let comment = without_forbidden_controls(verdict.comment.trim());
        let comment = comment.trim();
        if !comment.is_empty() {
            let id = fresh_note_id(reviewer, &mut taken_note_ids);
            notes.push(Note {
                id,
                target: NoteTarget::Cell(verdict.agreement.clone(), verdict.element.clone()),
                author: reviewer.to_owned(),
                date: verdict.at.date_naive(),
                text: comment.to_owned(),
                kind: NoteKind::Review,
            });
        }
        plan.applied.push(AppliedVerdict {
            cell: cell_ref,
            status: verdict.status,
            comment: comment.to_owned(),
        });
    }
    // Notes go after every existing one, in the file's order.
    let first_index = project.notes.len();
    commands.extend(
        notes
            .into_iter()
            .enumerate()
            .map(|(offset, note)| Command::InsertNote {
                index: first_index + offset,
                note,
            }),
    );
    if !commands.is_empty() {
        plan.command = Some(Command::Batch {
            label: format!(
                "Import review from {reviewer} ({})",
                counted(plan.applied.len(), "verdict", "verdicts")
            ),
            commands,
        });
    }
    Ok(plan)
}

/// Names both projects; when their titles are the same, says that only the id tells them apart.
fn other_project_message(
    file_title: &str,
    file_id: &ProjectId,
    project_title: &str,
    project_id: &ProjectId,
) -> String {
    let which = if file_title == project_title {
        format!(
            "this review is of another project with the same title, “{file_title}”: its id is \
             `{file_id}`, the open project's is `{project_id}`."
        )
    } else {
        format!(
            "this review is of “{file_title}” (id `{file_id}`), not of the open project \
             “{project_title}” (id `{project_id}`)."
        )
    };
    format!("{which} Import it into the project the review copy was made from.")
}

/// The review note that keeps a verdict given on an earlier version of the cell.
fn not_applied_note_text(status: VerdictStatus, what_changed: &str, comment: &str) -> String {
    let mut text = format!(
        "Verdict {} on an earlier version of this cell, not applied (since then: {what_changed}).",
        status.review_status().label()
    );
    if !comment.is_empty() {
        text.push_str(" Comment: ");
        text.push_str(comment);
    }
    text
}

fn refuse_duplicate_cells(project: &Project, review: &ReviewFile) -> Result<(), ReviewRefusal> {
    let mut counts: BTreeMap<(&AgreementId, &ElementId), usize> = BTreeMap::new();
    for verdict in &review.verdicts {
        *counts
            .entry((&verdict.agreement, &verdict.element))
            .or_default() += 1;
    }
    // The first repeated cell in the file's order, so the message is the same every time.
    let repeated = review
        .verdicts
        .iter()
        .map(|v| {
            let key = (&v.agreement, &v.element);
            (key, counts.get(&key).copied().unwrap_or(0))
        })
        .find(|(_, count)| *count > 1);
    match repeated {
        Some(((agreement, element), count)) => Err(ReviewRefusal::DuplicateCell {
            cell: cell_ref(project, agreement, element).label,
            count,
        }),
        None => Ok(()),
    }
}

/// The cell already carries this verdict: same status and reviewer, and the comment (if any)
/// is a review note of theirs on the cell. Re-importing a file then changes nothing.
fn is_already_applied(project: &Project, cell: &Cell, verdict: &Verdict, reviewer: &str) -> bool {
    if cell.review != verdict.status.review_status() || cell.reviewed_by.trim() != reviewer {
        return false;
    }
    let comment = without_forbidden_controls(verdict.comment.trim());
    let comment = comment.trim();
    comment.is_empty()
        || project.notes.iter().any(|note| {
            note.kind == NoteKind::Review
                && note.author.trim() == reviewer
                && note.text.trim() == comment
                && note.target
                    == NoteTarget::Cell(verdict.agreement.clone(), verdict.element.clone())
        })
}

fn cell_ref(project: &Project, agreement: &AgreementId, element: &ElementId) -> CellRef {
    CellRef {
        agreement: agreement.clone(),
        element: element.clone(),
        label: project.cell_label(agreement, element),
    }
}

fn fresh_note_id(reviewer: &str, taken: &mut HashSet<String>) -> NoteId {
    loop {
        let id = NoteId::generate(&format!("review {reviewer}"));
        if taken.insert(id.to_string()) {
            return id;
        }
    }
}

/// What changed in `cell` since the reviewer saw it. The file keeps only a fingerprint, so the
/// earlier content is found by trying the likely edits backwards (another assessment, no note,
/// one quote fewer) until one gives the reviewer's fingerprint; otherwise the cell's last edit
/// is named.
fn what_changed(cell: &Cell, seen: &str, review: &ReviewFile) -> String {
    let assessments = [
        cell.assessment,
        Assessment::NotAssessed,
        Assessment::Yes,
        Assessment::Indirect,
        Assessment::No,
    ];
    let notes: &[&str] = if cell.note.is_empty() {
        &[""]
    } else {
        &[cell.note.as_str(), ""]
    };
    // None keeps every quote; Some(i) drops quote i.
    let evidence_choices = std::iter::once(None).chain((0..cell.evidence.len()).map(Some));
    for dropped in evidence_choices {
        for note in notes {
            for assessment in assessments {
                let mut before = Cell {
                    assessment,
                    note: (*note).to_owned(),
                    evidence: cell.evidence.clone(),
                    ..Cell::default()
                };
                if let Some(index) = dropped {
                    before.evidence.remove(index);
                }
                if cell_fingerprint(&before) != seen {
                    continue;
                }
                let mut changes = Vec::new();
                if assessment != cell.assessment {
                    changes.push(format!(
                        "assessment {} → {}",
                        assessment.label(),
                        cell.assessment.label()
                    ));
                }
                if note.is_empty() && !cell.note.is_empty() {
                    changes.push("note added".to_owned());
                }
                if let Some(excerpt) = dropped.and_then(|i| cell.evidence.get(i)) {
                    changes.push(if excerpt.locator.is_empty() {
                        "quote added".to_owned()
                    } else {
                        format!("quote added at {}", excerpt.locator)
                    });
                }
                if !changes.is_empty() {
                    return changes.join(", ");
                }
            }
        }
    }
    let edited = match (&cell.edited_at, cell.edited_by.trim()) {
        (Some(at), by) if *at > review.copy_made_at && !by.is_empty() => {
            format!("; last edited by {by} on {}", at.format("%Y-%m-%d"))
        }
        (Some(at), _) if *at > review.copy_made_at => {
            format!("; last edited on {}", at.format("%Y-%m-%d"))
        }
        _ => String::new(),
    };
    format!("assessment, note or quotes changed{edited}")
}

impl ReviewImport {
    /// True when importing would change the project.
    pub fn changes_project(&self) -> bool {
        self.command.is_some()
    }

    /// How many review notes the import adds.
    pub fn review_notes(&self) -> usize {
        self.applied
            .iter()
            .filter(|v| !v.comment.is_empty())
            .count()
    }

    /// The summary the CLI prints and the GUI shows, e.g. "Applied 3 verdicts from Ana
    /// Reviewer (2 Reviewed, 1 Disputed), 1 review note. Not applied: 1 cell changed since the
    /// copy was made: Paris Call / Human rights (assessment Yes → Indirect)."
    pub fn summary_text(&self) -> String {
        let mut text = self.headline_text();
        let not_applied = self.not_applied_lines();
        if !not_applied.is_empty() {
            text.push_str(&format!(" Not applied: {}.", not_applied.join("; ")));
        }
        text
    }

    /// The summary without the verdicts left out, for a window that lists those below it.
    pub fn headline_text(&self) -> String {
        let mut sentences = Vec::new();
        if self.applied.is_empty() {
            sentences.push(format!("No verdict from {} applied.", self.reviewer));
        } else {
            let by_status: Vec<String> = VerdictStatus::ALL
                .iter()
                .filter_map(|status| {
                    let n = self.applied.iter().filter(|v| v.status == *status).count();
                    (n > 0).then(|| format!("{n} {}", status.review_status().label()))
                })
                .collect();
            sentences.push(format!(
                "Applied {} from {} ({}), {}.",
                counted(self.applied.len(), "verdict", "verdicts"),
                self.reviewer,
                by_status.join(", "),
                counted(self.review_notes(), "review note", "review notes"),
            ));
        }
        if !self.already_applied.is_empty() {
            sentences.push(format!(
                "{} already in the project; left as they are.",
                counted(self.already_applied.len(), "verdict was", "verdicts were")
            ));
        }
        sentences.join(" ")
    }

    /// One line per group of verdicts not applied, naming each cell: what the GUI lists.
    pub fn not_applied_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if !self.changed.is_empty() {
            let cells: Vec<String> = self
                .changed
                .iter()
                .map(|c| {
                    format!(
                        "{} ({}; verdict {} kept as a review note)",
                        c.cell.label,
                        c.what_changed,
                        c.status.review_status().label()
                    )
                })
                .collect();
            lines.push(format!(
                "{} since the copy was made: {}",
                counted(self.changed.len(), "cell changed", "cells changed"),
                cells.join(", ")
            ));
        }
        if !self.missing.is_empty() {
            let cells: Vec<String> = self
                .missing
                .iter()
                .map(|m| {
                    let gone = match m.missing {
                        // The file may name ids that were removed or never existed here.
                        Missing::Agreement => "no such agreement",
                        Missing::Element => "no such element",
                        Missing::Both => "no such agreement or element",
                    };
                    format!("{} ({gone})", m.cell.label)
                })
                .collect();
            lines.push(format!(
                "{} no longer in the project: {}",
                counted(self.missing.len(), "cell", "cells"),
                cells.join(", ")
            ));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collab::review_file::{REVIEW_FORMAT, REVIEW_VERSION};
    use crate::model::ReviewStatus;
    use chrono::{DateTime, Utc};

    fn sample() -> Project {
        crate::sample::bpf_2019()
            .unwrap_or_else(|e| panic!("the sample loads: {e}"))
            .project
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_750_000_000 + seconds, 0).unwrap_or_default()
    }

    fn verdict(
        project: &Project,
        agreement: &str,
        element: &str,
        status: VerdictStatus,
    ) -> Verdict {
        let (agreement, element) = (AgreementId::new(agreement), ElementId::new(element));
        Verdict {
            fingerprint: cell_fingerprint(&project.cell(&agreement, &element)),
            agreement,
            element,
            status,
            comment: String::new(),
            at: at(60),
        }
    }

    fn review(project: &Project, verdicts: Vec<Verdict>) -> ReviewFile {
        ReviewFile {
            format: REVIEW_FORMAT.to_owned(),
            version: REVIEW_VERSION,
            project_id: project.id.clone(),
            project_title: project.title.clone(),
            copy_made_at: at(0),
            reviewer: "Ana Reviewer".to_owned(),
            saved_at: at(120),
            verdicts,
        }
    }

    fn plan(project: &Project, review: &ReviewFile) -> ReviewImport {
        plan_review_import(project, review).unwrap_or_else(|e| panic!("planned: {e}"))
    }

    #[test]
    fn applies_as_one_step_and_undo_restores_the_project() {
        let project = sample();
        let mut disputed = verdict(
            &project,
            "paris-call",
            "ke-human-rights",
            VerdictStatus::Disputed,
        );
        disputed.comment = "Only the preamble mentions rights.".to_owned();
        let file = review(
            &project,
            vec![
                disputed,
                verdict(&project, "manrs", "ke-cbms", VerdictStatus::Reviewed),
            ],
        );
        let import = plan(&project, &file);
        assert_eq!(import.applied.len(), 2);
        assert_eq!(import.review_notes(), 1);
        let Some(command) = import.command.clone() else {
            panic!("a command to apply");
        };
        let mut after = project.clone();
        let inverse = command
            .apply(&mut after)
            .unwrap_or_else(|e| panic!("applies: {e}"));
        let cell = after.cell(
            &AgreementId::new("paris-call"),
            &ElementId::new("ke-human-rights"),
        );
        assert_eq!(cell.review, ReviewStatus::Disputed);
        assert_eq!(cell.reviewed_by, "Ana Reviewer");
        assert_eq!(cell.reviewed_at, Some(at(60)));
        let note = after.notes.last().unwrap_or_else(|| panic!("a note"));
        assert_eq!(note.kind, NoteKind::Review);
        assert_eq!(note.author, "Ana Reviewer");
        assert_eq!(note.text, "Only the preamble mentions rights.");
        assert_eq!(note.date, at(60).date_naive());
        assert_eq!(after.notes.len(), project.notes.len() + 1);
        assert_eq!(
            import.summary_text(),
            "Applied 2 verdicts from Ana Reviewer (1 Reviewed, 1 Disputed), 1 review note."
        );

        inverse
            .apply(&mut after)
            .unwrap_or_else(|e| panic!("undoes: {e}"));
        assert_eq!(after, project, "undo restores exactly the project before");

        // Once applied, the same file changes nothing and says so.
        let mut applied = project.clone();
        let _ = command.apply(&mut applied);
        let again = plan(&applied, &file);
        assert!(!again.changes_project());
        assert_eq!(again.already_applied.len(), 2);
        assert_eq!(
            again.summary_text(),
            "No verdict from Ana Reviewer applied. 2 verdicts were already in the project; left \
             as they are."
        );
    }

    #[test]
    fn a_changed_cell_is_listed_with_what_changed() {
        let project = sample();
        let (agreement, element) = (
            AgreementId::new("paris-call"),
            ElementId::new("ke-human-rights"),
        );
        let seen = verdict(
            &project,
            "paris-call",
            "ke-human-rights",
            VerdictStatus::Reviewed,
        );
        let mut changed = project.clone();
        let mut cell = changed.cell(&agreement, &element);
        let before = cell.assessment;
        cell.assessment = if before == Assessment::Indirect {
            Assessment::Yes
        } else {
            Assessment::Indirect
        };
        let _ = Command::SetCell {
            agreement: agreement.clone(),
            element: element.clone(),
            cell: cell.clone(),
        }
        .apply(&mut changed);
        let import = plan(&changed, &review(&changed, vec![seen]));
        assert_eq!(import.changed.len(), 1);
        // The status stays; the verdict is kept as the reviewer's note on the cell, once.
        let mut imported = changed.clone();
        import
            .command
            .as_ref()
            .map(|c| c.apply(&mut imported))
            .transpose()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            imported.cell(&agreement, &element),
            changed.cell(&agreement, &element)
        );
        let kept: Vec<&Note> = imported
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::Review && n.author == "Ana Reviewer")
            .collect();
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert!(
            kept[0]
                .text
                .starts_with("Verdict Reviewed on an earlier version of this cell"),
            "{}",
            kept[0].text
        );
        let seen = verdict(
            &project,
            "paris-call",
            "ke-human-rights",
            VerdictStatus::Reviewed,
        );
        let again = plan(&imported, &review(&changed, vec![seen]));
        assert!(
            again.command.is_none(),
            "a second import adds no second note"
        );
        assert_eq!(
            import.changed[0].what_changed,
            format!(
                "assessment {} → {}",
                before.label(),
                cell.assessment.label()
            )
        );
        let summary = import.summary_text();
        assert!(
            summary.contains("Not applied: 1 cell changed since the copy was made: Paris Call"),
            "{summary}"
        );

        // A note rewritten cannot be traced back; the summary says what may have changed.
        let mut rewritten = changed.clone();
        cell.note = "Rewritten after the copy".to_owned();
        cell.stamp("Ben", at(90));
        let _ = Command::SetCell {
            agreement,
            element,
            cell,
        }
        .apply(&mut rewritten);
        let seen_noted = {
            let mut v = verdict(
                &rewritten,
                "paris-call",
                "ke-human-rights",
                VerdictStatus::Reviewed,
            );
            v.fingerprint = "0000000000000000".to_owned();
            v
        };
        let import = plan(&rewritten, &review(&rewritten, vec![seen_noted]));
        assert!(
            import.changed[0]
                .what_changed
                .ends_with("last edited by Ben on 2025-06-15"),
            "{}",
            import.changed[0].what_changed
        );
    }

    #[test]
    fn refuses_another_project_no_reviewer_and_duplicate_cells() {
        let project = sample();
        let one = verdict(
            &project,
            "paris-call",
            "ke-human-rights",
            VerdictStatus::Reviewed,
        );

        let mut other = review(&project, vec![one.clone()]);
        other.project_id = ProjectId::new("prj-other-abc123");
        other.project_title = "Another mapping".to_owned();
        let message = plan_review_import(&project, &other)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            message.contains("“Another mapping” (id `prj-other-abc123`)"),
            "{message}"
        );
        assert!(
            message.contains(&format!("(id `{}`)", project.id)),
            "{message}"
        );
        assert!(message.contains(&project.title), "{message}");

        for blank in ["  ", " \u{200B} ", "\u{FEFF}\t\u{2060}"] {
            let mut nameless = review(&project, vec![one.clone()]);
            nameless.reviewer = blank.to_owned();
            assert_eq!(
                plan_review_import(&project, &nameless),
                Err(ReviewRefusal::NoReviewer),
                "{blank:?} is no name"
            );
        }
        let mut two_lines = review(&project, vec![one.clone()]);
        two_lines.reviewer = "Ana\nReviewer\u{7}".to_owned();
        assert_eq!(
            plan_review_import(&project, &two_lines).map(|plan| plan.reviewer),
            Ok("Ana Reviewer".to_owned()),
            "a name is one line without control characters"
        );

        let mut twice = one.clone();
        twice.status = VerdictStatus::Disputed;
        let duplicate = review(&project, vec![one, twice]);
        let Err(ReviewRefusal::DuplicateCell { cell, count }) =
            plan_review_import(&project, &duplicate)
        else {
            panic!("a duplicate cell is refused");
        };
        assert_eq!(count, 2);
        assert!(cell.starts_with("Paris Call / "), "{cell}");
    }

    #[test]
    fn control_characters_from_the_browser_are_replaced_and_reimport_still_matches() {
        let project = sample();
        let mut bell = verdict(&project, "manrs", "ke-cbms", VerdictStatus::NeedsReview);
        bell.comment = "Check\u{7} Action 3".to_owned();
        let mut file = review(&project, vec![bell]);
        file.reviewer = "Ana\u{1b}Reviewer".to_owned();
        let import = plan(&project, &file);
        // A name is one line through the one-line rule: the control character goes.
        assert_eq!(import.reviewer, "AnaReviewer");
        let mut after = project.clone();
        let Some(command) = import.command else {
            panic!("a command to apply");
        };
        let _ = command.apply(&mut after);
        let note = after.notes.last().unwrap_or_else(|| panic!("a note"));
        assert_eq!(note.text, "Check\u{FFFD} Action 3");
        assert!(crate::model::text::first_forbidden_control(&note.author).is_none());
        assert_eq!(plan(&after, &file).already_applied.len(), 1);
    }

    #[test]
    fn a_verdict_on_a_not_assessed_cell_is_kept() {
        let project = sample();
        let (agreement, element) = (AgreementId::new("paris-call"), ElementId::new("ungge-13a"));
        assert!(
            project.cells.get(&agreement, &element).is_none(),
            "empty in the sample"
        );
        let file = review(
            &project,
            vec![verdict(
                &project,
                "paris-call",
                "ungge-13a",
                VerdictStatus::NeedsReview,
            )],
        );
        let import = plan(&project, &file);
        let mut after = project.clone();
        let Some(command) = import.command else {
            panic!("a command to apply");
        };
        let _ = command.apply(&mut after);
        let cell = after
            .cells
            .get(&agreement, &element)
            .cloned()
            .unwrap_or_default();
        assert_eq!(cell.review, ReviewStatus::NeedsReview);
        assert_eq!(cell.assessment, Assessment::NotAssessed);
        assert_eq!(cell.reviewed_by, "Ana Reviewer");
    }

    #[test]
    fn verdicts_on_removed_rows_are_listed() {
        let project = sample();
        let gone = verdict(
            &project,
            "paris-call",
            "ke-human-rights",
            VerdictStatus::Reviewed,
        );
        let mut removed = project.clone();
        let _ = Command::RemoveAgreement {
            id: AgreementId::new("paris-call"),
        }
        .apply(&mut removed);
        let import = plan(&removed, &review(&removed, vec![gone]));
        assert_eq!(import.missing.len(), 1);
        assert_eq!(import.missing[0].missing, Missing::Agreement);
        assert!(
            import
                .summary_text()
                .contains("1 cell no longer in the project: paris-call / "),
            "{}",
            import.summary_text()
        );
    }
}
