//! Search in the shown source (hits marked, "Hit 3 of 12", next and previous) and in all
//! sources at once (hits grouped by agreement, each with its locator and some context).

use super::{MAX_LISTED_HITS, Prepared, ReaderInput, ReaderState, SEARCH_LABEL};
use crate::model::{Project, SourceId};
use egui::{RichText, TextEdit, Ui};
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

/// The hits of a search in one source, for the all-sources list.
#[derive(Clone, Debug)]
pub(super) struct SourceHits {
    source: SourceId,
    title: String,
    /// Agreement short name, or "Project" for a project-level source.
    group: String,
    /// (hit, locator, context) per hit.
    hits: Vec<(Range<usize>, String, String)>,
}

/// The hits of the query in the shown source, as cached byte ranges (shared, not copied:
/// a common word has thousands of hits in a long text).
pub(super) fn current_hits(
    project: &Project,
    reader: &mut ReaderState,
    source: &SourceId,
) -> Arc<Vec<Range<usize>>> {
    let query = reader.query.trim().to_owned();
    if query.is_empty() {
        return Arc::default();
    }
    let Some(key) = reader.prepared(project, source).map(|p| p.key) else {
        return Arc::default();
    };
    let prepared = reader.prepared.get(source);
    reader
        .hits
        .get_or_compute((source.clone(), key, query.clone()), || {
            Arc::new(prepared.map(|p| p.index.find(&query)).unwrap_or_default())
        })
        .clone()
}

pub(super) fn search_ui(ui: &mut Ui, input: &ReaderInput<'_>, reader: &mut ReaderState) {
    let project = input.project;
    let mut step: Option<bool> = None; // Some(true): next, Some(false): previous
    ui.horizontal(|ui| {
        let label = ui.label(SEARCH_LABEL);
        let response = ui
            .add(
                TextEdit::singleline(&mut reader.query)
                    .id_salt("reader-search")
                    .desired_width(ui.available_width())
                    .hint_text("words in the text"),
            )
            .labelled_by(label.id);
        if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            step = Some(!ui.input(|i| i.modifiers.shift));
            response.request_focus();
        }
    });
    // After the field: the hits of what was just typed.
    let hits = match reader.source.clone() {
        Some(source) => current_hits(project, reader, &source),
        None => Arc::default(),
    };
    if reader.query != reader.last_query {
        reader.last_query = reader.query.clone();
        reader.current_hit = (!hits.is_empty()).then_some(0);
        if let Some(first) = hits.first() {
            reader.scroll_to = Some(first.start);
        }
    }
    if let Some(forward) = step {
        step_now(reader, &hits, forward);
    }
    ui.horizontal(|ui| {
        let count = hit_count_text(
            reader.current_hit,
            hits.len(),
            reader.query.trim().is_empty(),
        );
        if !count.is_empty() {
            ui.label(RichText::new(count).small());
        }
        if ui
            .add_enabled(!hits.is_empty(), egui::Button::new("Previous hit").small())
            .on_hover_text("Shift+Enter in the search box")
            .clicked()
        {
            step_now(reader, &hits, false);
        }
        if ui
            .add_enabled(!hits.is_empty(), egui::Button::new("Next hit").small())
            .on_hover_text("Enter in the search box")
            .clicked()
        {
            step_now(reader, &hits, true);
        }
        ui.checkbox(&mut reader.search_all, "All sources")
            .on_hover_text("List the hits in every source of the project, grouped by agreement");
    });
}

/// Moves to the next (or previous) hit, wrapping around, and scrolls to it.
fn step_now(reader: &mut ReaderState, hits: &[Range<usize>], forward: bool) {
    let from = reader
        .current_hit
        .and_then(|i| hits.get(i))
        .map_or(0, |h| h.start);
    let next = match (forward, reader.current_hit) {
        (true, None) => (!hits.is_empty()).then_some(0),
        (true, Some(_)) => crate::sources::search::next_hit(hits, from),
        (false, _) => crate::sources::search::previous_hit(hits, from),
    };
    reader.current_hit = next;
    if let Some(hit) = next.and_then(|i| hits.get(i)) {
        reader.scroll_to = Some(hit.start);
    }
}

/// "Hit 3 of 12", "12 hits", "No hits" or nothing.
pub fn hit_count_text(current: Option<usize>, count: usize, empty_query: bool) -> String {
    match (empty_query, count, current) {
        (true, _, _) => String::new(),
        (false, 0, _) => "No hits".to_owned(),
        (false, n, Some(i)) if i < n => format!("Hit {} of {n}", i + 1),
        (false, n, _) => format!("{n} hits"),
    }
}

/// Hits in every source, grouped by agreement, each with its locator and some context.
pub(super) fn all_hits_ui(ui: &mut Ui, input: &ReaderInput<'_>, reader: &mut ReaderState) {
    let project = input.project;
    let query = reader.query.trim().to_owned();
    let ids: Vec<SourceId> = project.sources.iter().map(|s| s.id.clone()).collect();
    for id in &ids {
        reader.prepared(project, id);
    }
    let prepared = &reader.prepared;
    let (total, groups) = reader
        .all_hits
        .get_or_compute((reader.evidence.texts_generation, query.clone()), || {
            all_hits(project, prepared, &query)
        })
        .clone();
    let mut open: Option<(SourceId, usize)> = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(
            RichText::new(if total > MAX_LISTED_HITS {
                format!("{total} hits in all sources (the first {MAX_LISTED_HITS} listed)")
            } else {
                format!("{total} hits in all sources")
            })
            .small(),
        );
        egui::ScrollArea::vertical()
            .id_salt("reader-all-hits")
            .max_height(180.0)
            .show(ui, |ui| {
                let mut last_group = String::new();
                for group in &groups {
                    if group.group != last_group {
                        ui.strong(&group.group);
                        last_group.clone_from(&group.group);
                    }
                    ui.label(RichText::new(&group.title).weak().small());
                    for (hit, locator, context) in &group.hits {
                        let text = if locator.is_empty() {
                            context.clone()
                        } else {
                            format!("{locator}: {context}")
                        };
                        if ui
                            .add(
                                egui::Button::new(RichText::new(text).small())
                                    .wrap()
                                    .frame(false),
                            )
                            .on_hover_text("Open the source here")
                            .clicked()
                        {
                            open = Some((group.source.clone(), hit.start));
                        }
                    }
                }
            });
    });
    if let Some((source, offset)) = open {
        reader.open_at(source.clone(), offset);
        let hits = current_hits(project, reader, &source);
        reader.current_hit = hits.iter().position(|h| h.start == offset);
    }
}

fn all_hits(
    project: &Project,
    prepared: &HashMap<SourceId, Prepared>,
    query: &str,
) -> (usize, Vec<SourceHits>) {
    let mut total = 0;
    let mut listed = 0;
    let mut groups: Vec<(Option<usize>, SourceHits)> = Vec::new();
    for source in &project.sources {
        let Some(p) = prepared.get(&source.id) else {
            continue;
        };
        let found = p.index.find(query);
        total += found.len();
        if found.is_empty() {
            continue;
        }
        let take = MAX_LISTED_HITS.saturating_sub(listed).min(found.len());
        listed += take;
        let hits = found
            .into_iter()
            .take(take)
            .map(|hit| {
                let locator = p.outline.locator_at(hit.start);
                let context = context_of(&source.text, &hit);
                (hit, locator, context)
            })
            .collect();
        let order = source
            .agreement
            .as_ref()
            .and_then(|a| project.agreement_index(a));
        let group = source
            .agreement
            .as_ref()
            .and_then(|a| project.agreement(a))
            .map_or_else(|| "Project".to_owned(), |a| a.short_name.clone());
        groups.push((
            order,
            SourceHits {
                source: source.id.clone(),
                title: source.title.clone(),
                group,
                hits,
            },
        ));
    }
    // Agreements in grid order, the project's own sources last.
    groups.sort_by_key(|(order, _)| order.unwrap_or(usize::MAX));
    (total, groups.into_iter().map(|(_, g)| g).collect())
}

/// About forty characters either side of a hit, on one line.
fn context_of(text: &str, hit: &Range<usize>) -> String {
    const SIDE: usize = 40;
    let before: String = {
        let head = text.get(..hit.start).unwrap_or_default();
        let chars: Vec<char> = head.chars().rev().take(SIDE).collect();
        chars.into_iter().rev().collect()
    };
    let found = text.get(hit.clone()).unwrap_or_default();
    let after: String = text
        .get(hit.end..)
        .unwrap_or_default()
        .chars()
        .take(SIDE)
        .collect();
    let line = format!("…{before}«{found}»{after}…");
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hit_count_says_where_you_are() {
        assert_eq!(hit_count_text(Some(2), 12, false), "Hit 3 of 12");
        assert_eq!(hit_count_text(None, 12, false), "12 hits");
        assert_eq!(hit_count_text(None, 0, false), "No hits");
        assert_eq!(hit_count_text(Some(0), 3, true), "");
    }

    #[test]
    fn context_stays_on_one_line_and_marks_the_hit() {
        let text = "First line\nsecond line with the word here\nthird";
        let at = text.find("word").unwrap_or_default();
        let context = context_of(text, &(at..at + 4));
        assert!(context.contains("«word»"), "{context}");
        assert!(!context.contains('\n'));
    }
}
