//! The selected passage made evidence: the button (or Ctrl+E) that adds it to the selected
//! cell as one excerpt, and why it is disabled when it is.

use super::{ReaderInput, ReaderState};
use crate::model::{AgreementId, ElementId, Project};
use crate::sources::evidence::outline_of;
use crate::ui::actions::Action;
use crate::ui::events::AppEvent;
use crate::ui::view::ViewState;
use egui::{RichText, Ui};
use std::ops::Range;

/// Why the selection cannot become evidence now, or the cell it would go to.
fn evidence_target(
    project: &Project,
    reader: &ReaderState,
    view: &ViewState,
    review_mode: bool,
) -> Result<(AgreementId, ElementId), &'static str> {
    if review_mode {
        return Err("Review mode: the content is locked");
    }
    let (Some(agreement), Some(element)) = (
        view.selection.agreement.clone(),
        view.selection.element.clone(),
    ) else {
        return Err("Select a cell in the grid first");
    };
    if project.agreement(&agreement).is_none() || project.element(&element).is_none() {
        return Err("Select a cell in the grid first");
    }
    if reader.selected_range().is_none() {
        return Err("Select a passage in the text first: drag over it");
    }
    Ok((agreement, element))
}

/// The edit that adds the selected passage to the selected cell as one excerpt (anchor,
/// derived locator, `author` and time), or why it cannot be made.
pub fn evidence_edit(
    project: &Project,
    reader: &ReaderState,
    view: &ViewState,
    review_mode: bool,
    author: &str,
) -> Result<AppEvent, &'static str> {
    let (agreement, element) = evidence_target(project, reader, view, review_mode)?;
    let source = reader
        .source
        .as_ref()
        .and_then(|id| project.source(id))
        .ok_or("Open a source in the reader first")?;
    let range = reader
        .selected_range()
        .ok_or("Select a passage in the text first: drag over it")?;
    let range = trimmed(&source.text, range);
    let outline = reader
        .prepared
        .get(&source.id)
        .map_or_else(|| outline_of(source), |p| p.outline.clone());
    let mut cell = project.cell(&agreement, &element);
    let mut excerpt = crate::sources::evidence::excerpt_from_range(
        source,
        &outline,
        range,
        &project.all_excerpts(),
    );
    if excerpt.exact.trim().is_empty() {
        return Err("The selection holds only spaces");
    }
    excerpt.stamp(author, chrono::Utc::now());
    cell.evidence.push(excerpt);
    Ok(AppEvent::EditCell {
        agreement,
        element,
        cell,
        typing: None,
    })
}

/// `range` without the spaces and line breaks a drag picks up at its ends.
fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let Some(selected) = text.get(range.clone()) else {
        return range;
    };
    let start = range.start + (selected.len() - selected.trim_start().len());
    let end = range.end - (selected.len() - selected.trim_end().len());
    if start < end { start..end } else { range }
}

/// The selected passage's size and the button that makes it evidence for the selected cell.
pub(super) fn evidence_bar_ui(
    ui: &mut Ui,
    input: &ReaderInput<'_>,
    reader: &ReaderState,
    view: &ViewState,
    events: &mut Vec<AppEvent>,
) {
    let project = input.project;
    let cell_name = match (&view.selection.agreement, &view.selection.element) {
        (Some(a), Some(e)) => match (project.agreement(a), project.element(e)) {
            (Some(a), Some((_, e))) => format!("{} / {}", a.short_name, e.display_name()),
            _ => "the selected cell".to_owned(),
        },
        _ => "the selected cell".to_owned(),
    };
    let selected = reader.selected_range().and_then(|range| {
        let source = project.source(reader.source.as_ref()?)?;
        let text = source.text.get(range)?;
        Some(text.chars().count())
    });
    let target = evidence_target(project, reader, view, input.review_mode);
    // Always one line for the selection and one for the button: the text below must not
    // move while the user drags over it.
    ui.label(
        RichText::new(selected.map_or_else(
            || "No passage selected: drag over the text to select one".to_owned(),
            |chars| format!("{chars} characters selected"),
        ))
        .small()
        .weak(),
    );
    let key = Action::UseAsEvidence
        .shortcut_text(ui.ctx())
        .unwrap_or_default();
    let button = ui.add_enabled(
        target.is_ok(),
        egui::Button::new(format!("Use as evidence for {cell_name}")).truncate(),
    );
    let button = match target {
        Ok(_) => button.on_hover_text(format!(
            "Add the selected passage to the cell's evidence, with its place in the text ({key})"
        )),
        Err(reason) => button.on_disabled_hover_text(reason),
    };
    if button.clicked() {
        events.push(AppEvent::Action(Action::UseAsEvidence));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selection_loses_the_spaces_at_its_ends() {
        let text = "a  quoted words \n b";
        assert_eq!(&text[trimmed(text, 1..17)], "quoted words");
        assert_eq!(trimmed(text, 1..3), 1..3, "only spaces: left as it is");
    }
}
