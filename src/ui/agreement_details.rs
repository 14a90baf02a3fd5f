//! The agreement's details in the cell panel: names, year, space, binding, link, supporters,
//! summary, unique elements and numbered provisions. Typing merges into one undo step per field.

use super::events::AppEvent;
use super::fields::labelled_text;
use super::toolbar::dropdown_ui;
use crate::commands::TypingKey;
use crate::model::{Agreement, AgreementId, Binding, Project, Provision, ProvisionId, Space};
use egui::{RichText, TextEdit, Ui};

pub(super) fn agreement_details_ui(
    ui: &mut Ui,
    project: &Project,
    agreement: &AgreementId,
    events: &mut Vec<AppEvent>,
) {
    let Some(a) = project.agreement(agreement) else {
        return;
    };
    egui::CollapsingHeader::new(RichText::new("Agreement details").heading())
        .id_salt("agreement-details")
        .default_open(true)
        .show(ui, |ui| {
            let mut changed = a.clone();
            let mut field = None;
            let text_row = |ui: &mut Ui,
                            label: &str,
                            value: &mut String,
                            key: &'static str,
                            field: &mut Option<&'static str>|
             -> egui::Response {
                ui.horizontal(|ui| {
                    let response = labelled_text(
                        ui,
                        label,
                        TextEdit::singleline(value)
                            .id_salt(("agreement", key))
                            .desired_width(f32::INFINITY),
                    );
                    if response.changed() {
                        *field = Some(key);
                    }
                    response
                })
                .inner
            };
            text_row(ui, "Name", &mut changed.name, "name", &mut field);
            text_row(
                ui,
                "Short name",
                &mut changed.short_name,
                "short_name",
                &mut field,
            );
            ui.horizontal(|ui| {
                let year_label = ui.label("Year");
                // What is typed stays as typed until it is a year: "20x8" is never saved as 208.
                let draft_id = ui.scope_id().with(("year-draft", changed.id.as_str()));
                let mut year_text = ui
                    .data(|d| d.get_temp::<String>(draft_id))
                    .unwrap_or_else(|| changed.year.map(|y| y.to_string()).unwrap_or_default());
                let response = ui
                    .add(
                        TextEdit::singleline(&mut year_text)
                            .id_salt(("agreement", "year"))
                            .desired_width(60.0),
                    )
                    .labelled_by(year_label.id);
                let parsed = parse_year(&year_text);
                if response.changed() {
                    if let Some(year) = parsed
                        && year != changed.year
                    {
                        changed.year = year;
                        field = Some("year");
                    }
                    ui.data_mut(|d| d.insert_temp(draft_id, year_text.clone()));
                }
                if response.lost_focus() {
                    ui.data_mut(|d| d.remove::<String>(draft_id));
                } else if parsed.is_none() {
                    ui.colored_label(ui.visuals().warn_fg_color, "four digits, e.g. 2018");
                }
                let label = ui.label("Space");
                let selected = changed.space.label();
                let options = Space::ALL.map(|space| (space, space.label()));
                let (response, picked) =
                    dropdown_ui(ui, "agreement-space", selected, &mut changed.space, options);
                response.labelled_by(label.id);
                if picked {
                    field = Some("space");
                }
            });
            ui.horizontal(|ui| {
                let label = ui.label("Binding");
                let selected = changed.binding.label();
                let options = Binding::ALL.map(|binding| (binding, binding.label()));
                let (response, picked) = dropdown_ui(
                    ui,
                    "agreement-binding",
                    selected,
                    &mut changed.binding,
                    options,
                );
                response.labelled_by(label.id);
                if picked {
                    field = Some("binding");
                }
            });
            ui.horizontal(|ui| {
                let l = ui.label("URL");
                let open = ui.add_enabled(
                    !changed.url.trim().is_empty(),
                    egui::Button::new("Open link"),
                );
                if open.clicked() {
                    events.push(AppEvent::OpenLink(changed.url.trim().to_owned()));
                }
                if ui
                    .add(
                        TextEdit::singleline(&mut changed.url)
                            .id_salt(("agreement", "url"))
                            .desired_width(f32::INFINITY),
                    )
                    .labelled_by(l.id)
                    .changed()
                {
                    field = Some("url");
                }
            });
            if labelled_text(
                ui,
                "Supporters",
                TextEdit::multiline(&mut changed.supporters)
                    .id_salt(("agreement", "supporters"))
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .changed()
            {
                field = Some("supporters");
            }
            if labelled_text(
                ui,
                "Summary",
                TextEdit::multiline(&mut changed.summary)
                    .id_salt(("agreement", "summary"))
                    .desired_rows(4)
                    .desired_width(f32::INFINITY),
            )
            .changed()
            {
                field = Some("summary");
            }
            let mut unique = changed.unique_elements.join("\n");
            if labelled_text(
                ui,
                "Unique elements (one per line)",
                TextEdit::multiline(&mut unique)
                    .id_salt(("agreement", "unique"))
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .changed()
            {
                changed.unique_elements = unique.lines().map(str::to_owned).collect();
                field = Some("unique");
            }
            provisions_ui(ui, &mut changed, &mut field);
            if let Some(field) = field {
                // Adding or removing a provision is its own undo step; typing merges.
                let typing = (!field.starts_with("provisions-"))
                    .then(|| TypingKey::Agreement(agreement.clone(), field));
                events.push(AppEvent::UpdateAgreement {
                    typing,
                    agreement: Box::new(changed),
                });
            }
        });
}

fn provisions_ui(ui: &mut Ui, agreement: &mut Agreement, field: &mut Option<&'static str>) {
    ui.label(format!("Provisions ({})", agreement.provisions.len()));
    let mut remove = None;
    for (index, provision) in agreement.provisions.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            if labelled_text(
                ui,
                format!("{}.", index + 1),
                TextEdit::singleline(&mut provision.label)
                    .id_salt(("provision-label", index))
                    .desired_width(90.0)
                    .hint_text("Label"),
            )
            .changed()
            {
                *field = Some("provisions");
            }
            // The width is what is left once the label is placed, so it is measured after it.
            let title_label = ui.label("Title");
            if ui
                .add(
                    TextEdit::singleline(&mut provision.title)
                        .id_salt(("provision-title", index))
                        .desired_width((ui.available_width() - 80.0).max(60.0)),
                )
                .labelled_by(title_label.id)
                .changed()
            {
                *field = Some("provisions");
            }
            if ui
                .small_button("Delete")
                .on_hover_text("Delete this provision")
                .clicked()
            {
                remove = Some(index);
            }
        });
    }
    if let Some(index) = remove {
        agreement.provisions.remove(index);
        *field = Some("provisions-remove");
    }
    if ui.button("Add provision").clicked() {
        let number = agreement.provisions.len() + 1;
        agreement.provisions.push(Provision {
            id: ProvisionId::readable(&format!("provision {number}"), |id| {
                agreement.provisions.iter().any(|p| p.id.as_str() == id)
            }),
            label: format!("Provision {number}"),
            title: String::new(),
        });
        *field = Some("provisions-add");
    }
}

/// A year as typed: `Some(None)` for an empty field, `Some(Some(y))` for four digits, `None`
/// for anything else (which is never saved).
fn parse_year(text: &str) -> Option<Option<i32>> {
    let text = text.trim();
    if text.is_empty() {
        return Some(None);
    }
    let four_digits = text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit());
    four_digits.then(|| text.parse().ok()).flatten().map(Some)
}
