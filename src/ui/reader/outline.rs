//! The outline of the shown source: its headings as a tree that opens and closes; a click
//! scrolls the text to the heading.

use super::ReaderState;
use crate::model::{Project, SourceId};
use crate::sources::outline::{Heading, HeadingKind};
use egui::Ui;

/// A heading as the outline lists it: the source's own heading and title ("Статья 15
/// Сотрудничество"), with the English citation after it when the source writes it otherwise.
fn heading_label(heading: &Heading) -> String {
    let citation = match heading.kind {
        HeadingKind::SubParagraph | HeadingKind::Point => format!("({})", heading.number),
        kind if heading.number.is_empty() => kind.citation_name().to_owned(),
        kind => format!("{} {}", kind.citation_name(), heading.number),
    };
    let own = if heading.label.trim().is_empty() {
        citation.clone()
    } else {
        heading.label.trim().to_owned()
    };
    // "Article 15" needs no "(Art. 15)"; "Статья 15" and "第十五条" get it, before the title
    // so that the label still ends with the source's own words.
    let same = own.eq_ignore_ascii_case(&citation)
        || own
            .to_lowercase()
            .ends_with(&format!(" {}", heading.number))
            && own.is_ascii();
    let mut label = own;
    if !same {
        label.push_str(&format!(" ({citation})"));
    }
    let title: String = heading.title.chars().take(60).collect();
    if !title.trim().is_empty() {
        label.push(' ');
        label.push_str(title.trim());
    }
    label
}

/// The outline: headings as a tree; a heading with others under it opens and closes.
pub(super) fn outline_ui(
    ui: &mut Ui,
    project: &Project,
    reader: &mut ReaderState,
    source: &SourceId,
) {
    if reader.prepared(project, source).is_none() {
        return;
    }
    let Some(prepared) = reader.prepared.get(source) else {
        return;
    };
    let headings = prepared.outline.headings();
    if headings.is_empty() {
        return;
    }
    let mut has_children = vec![false; headings.len()];
    for heading in headings {
        if let Some(parent) = heading.parent
            && let Some(flag) = has_children.get_mut(parent)
        {
            *flag = true;
        }
    }
    // Headings come in document order with parents first, so one pass finds which show.
    let mut shown = vec![false; headings.len()];
    let mut depth = vec![0usize; headings.len()];
    let mut rows = Vec::new();
    for (i, heading) in headings.iter().enumerate() {
        let visible = match heading.parent {
            None => true,
            Some(p) if p < i => shown[p] && reader.expanded.contains(&p),
            Some(_) => false,
        };
        shown[i] = visible;
        depth[i] = heading
            .parent
            .filter(|&p| p < i)
            .map_or(0, |p| depth[p] + 1);
        if visible {
            rows.push(i);
        }
    }
    let labels: Vec<(usize, String, usize, bool)> = rows
        .iter()
        .map(|&i| {
            (
                i,
                heading_label(&headings[i]),
                headings[i].start,
                has_children[i],
            )
        })
        .collect();
    let mut toggle = None;
    let mut jump = None;
    egui::CollapsingHeader::new(format!("Outline ({} headings)", headings.len()))
        .id_salt("reader-outline")
        .default_open(true)
        .show(ui, |ui| {
            let row_height = ui.spacing().interact_size.y;
            egui::ScrollArea::vertical()
                .id_salt("reader-outline-rows")
                .max_height(150.0)
                .auto_shrink([false, true])
                .show_rows(ui, row_height, labels.len(), |ui, visible| {
                    for (index, label, start, children) in &labels[visible] {
                        ui.horizontal(|ui| {
                            ui.add_space(depth[*index] as f32 * 12.0);
                            if *children {
                                let open = reader.expanded.contains(index);
                                if ui
                                    .small_button(if open { "▾" } else { "▸" })
                                    .on_hover_text(if open { "Fold" } else { "Unfold" })
                                    .clicked()
                                {
                                    toggle = Some(*index);
                                }
                            } else {
                                ui.add_space(18.0);
                            }
                            if ui
                                .add(egui::Button::new(label.as_str()).frame(false).truncate())
                                .on_hover_text("Scroll the text here")
                                .clicked()
                            {
                                jump = Some(*start);
                            }
                        });
                    }
                });
        });
    if let Some(index) = toggle
        && !reader.expanded.remove(&index)
    {
        reader.expanded.insert(index);
    }
    if jump.is_some() {
        reader.scroll_to = jump;
    }
}
