//! Stakeholder initiatives: those linked to the selected agreement (or all), with an editor to
//! change them and link them to agreements' provisions and to norms.

use super::actions::Action;
use super::events::AppEvent;
use super::view::ViewState;
use crate::commands::TypingKey;
use crate::model::standard::UNGGE_NORMS_FRAMEWORK;
use crate::model::{
    AgreementId, FrameworkId, Initiative, InitiativeId, Project, ProvisionId, ProvisionLink,
    StakeholderGroup,
};
use egui::{RichText, TextEdit, Ui};

/// Draws the initiatives panel.
pub fn initiatives_panel_ui(
    ui: &mut Ui,
    project: &Project,
    view: &mut ViewState,
    events: &mut Vec<AppEvent>,
) {
    super::cell_panel::hide_panel_button_ui(ui, Action::ToggleInitiativesPanel, events);
    ui.heading("Stakeholder initiatives");
    let selected = view.selection.agreement.clone();
    ui.horizontal(|ui| {
        ui.checkbox(&mut view.show_all_initiatives, "Show all");
        if ui.button("Add initiative").clicked() {
            events.push(AppEvent::AddInitiative {
                linked_to: selected.clone(),
            });
        }
    });
    let shown: Vec<&Initiative> = project
        .initiatives
        .iter()
        .filter(|i| {
            view.show_all_initiatives
                || selected
                    .as_ref()
                    .is_some_and(|a| i.supports.iter().any(|l| &l.agreement == a))
        })
        .collect();
    if shown.is_empty() {
        let hint = match selected.as_ref().and_then(|a| project.agreement(a)) {
            Some(a) if !view.show_all_initiatives => {
                format!("No initiatives are linked to {} yet.", a.short_name)
            }
            _ => "Select an agreement, or tick Show all.".to_owned(),
        };
        ui.label(RichText::new(hint).weak());
    }
    egui::ScrollArea::vertical()
        .id_salt("initiatives-panel")
        .show(ui, |ui| {
            for initiative in shown {
                let editing = view.editing_initiative.as_ref() == Some(&initiative.id);
                let frame = egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    if editing {
                        initiative_editor_ui(ui, project, initiative, view, events);
                    } else {
                        initiative_summary_ui(ui, project, initiative, view, events);
                    }
                });
                if editing && std::mem::take(&mut view.reveal_edited_initiative) {
                    frame.response.scroll_to_me(Some(egui::Align::TOP));
                }
            }
        });
}

fn provision_text(project: &Project, link: &ProvisionLink) -> String {
    let Some(agreement) = project.agreement(&link.agreement) else {
        return format!("{} (missing)", link.agreement);
    };
    match link.provision.as_ref().and_then(|p| agreement.provision(p)) {
        Some(p) => format!("{} {}", agreement.short_name, p.label.to_lowercase()),
        None => agreement.short_name.clone(),
    }
}

fn initiative_summary_ui(
    ui: &mut Ui,
    project: &Project,
    initiative: &Initiative,
    view: &mut ViewState,
    events: &mut Vec<AppEvent>,
) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(&initiative.title).strong());
        if ui
            .small_button("Edit")
            .on_hover_text("Edit this initiative")
            .clicked()
        {
            view.editing_initiative = Some(initiative.id.clone());
            view.reveal_edited_initiative = true;
        }
    });
    let who = [initiative.stakeholder.as_str(), initiative.group.label()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    ui.label(RichText::new(who).small().weak());
    if !initiative.description.is_empty() {
        ui.label(&initiative.description);
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Supports:").small());
        for link in &initiative.supports {
            if ui
                .link(provision_text(project, link))
                .on_hover_text("Select this agreement in the grid")
                .clicked()
            {
                events.push(AppEvent::ShowAgreement(link.agreement.clone()));
            }
        }
        for norm in &initiative.norms {
            let label = project
                .element(norm)
                .map_or_else(|| norm.to_string(), |(_, e)| format!("norm {}", e.label));
            if ui
                .link(label)
                .on_hover_text("Show this norm's column in the grid")
                .clicked()
            {
                events.push(AppEvent::ShowElement(norm.clone()));
            }
        }
    });
    if !initiative.url.is_empty() && ui.link(RichText::new(&initiative.url).small()).clicked() {
        events.push(AppEvent::OpenLink(initiative.url.clone()));
    }
}

fn initiative_editor_ui(
    ui: &mut Ui,
    project: &Project,
    initiative: &Initiative,
    view: &mut ViewState,
    events: &mut Vec<AppEvent>,
) {
    let id = &initiative.id;
    let mut changed = initiative.clone();
    let mut field: Option<&str> = None;
    let text = |ui: &mut Ui,
                label: &str,
                value: &mut String,
                key: &'static str,
                multiline: bool,
                field: &mut Option<&str>| {
        let l = ui.label(label);
        let edit = if multiline {
            TextEdit::multiline(value).desired_rows(3)
        } else {
            TextEdit::singleline(value)
        };
        if ui
            .add(edit.id_salt((id, key)).desired_width(f32::INFINITY))
            .labelled_by(l.id)
            .changed()
        {
            *field = Some(key);
        }
    };
    super::cell_panel::id_row_ui(ui, "Initiative", id.as_str());
    text(ui, "Title", &mut changed.title, "title", false, &mut field);
    text(
        ui,
        "Stakeholder",
        &mut changed.stakeholder,
        "stakeholder",
        false,
        &mut field,
    );
    ui.horizontal(|ui| {
        let label = ui.label("Group");
        egui::ComboBox::from_id_salt((id, "group"))
            .selected_text(changed.group.label())
            .show_ui(ui, |ui| {
                for group in StakeholderGroup::ALL {
                    if ui
                        .selectable_value(&mut changed.group, group, group.label())
                        .changed()
                    {
                        field = Some("group");
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
    text(
        ui,
        "Description",
        &mut changed.description,
        "description",
        true,
        &mut field,
    );
    text(ui, "URL", &mut changed.url, "url", false, &mut field);

    ui.label(RichText::new("Supports").strong());
    let mut remove_link = None;
    for (index, link) in changed.supports.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.label(provision_text(project, link));
            if ui
                .small_button("Unlink")
                .on_hover_text("Remove this link")
                .clicked()
            {
                remove_link = Some(index);
            }
        });
    }
    if let Some(index) = remove_link {
        changed.supports.remove(index);
        field = Some("supports-remove");
    }
    if let Some(link) = new_link_ui(ui, project, id)
        && !changed.supports.contains(&link)
    {
        changed.supports.push(link);
        field = Some("supports-add");
    }

    if let Some(norms) = project.framework(&FrameworkId::new(UNGGE_NORMS_FRAMEWORK)) {
        ui.label(RichText::new("Norms").strong());
        // One per line with its name: a bare "(c)" means nothing to someone new to the norms.
        ui.vertical(|ui| {
            for norm in &norms.elements {
                let mut linked = changed.norms.contains(&norm.id);
                let hover = if norm.definition.is_empty() {
                    norm.name.as_str()
                } else {
                    norm.definition.as_str()
                };
                if ui
                    .checkbox(&mut linked, norm_checkbox_label(&norm.label, &norm.name))
                    .on_hover_text(hover)
                    .changed()
                {
                    if linked {
                        changed.norms.push(norm.id.clone());
                    } else {
                        changed.norms.retain(|n| n != &norm.id);
                    }
                    field = Some("norms-toggle");
                }
            }
        });
    }

    ui.horizontal(|ui| {
        if ui.button("Done").clicked() {
            view.editing_initiative = None;
        }
        if ui.button("Delete initiative…").clicked() {
            events.push(AppEvent::RemoveInitiative(id.clone()));
        }
    });
    if let Some(field) = field {
        let typing = (!field.contains('-')).then(|| TypingKey::Initiative(id.clone(), field));
        events.push(AppEvent::UpdateInitiative {
            initiative: Box::new(changed),
            typing,
        });
    }
}

/// The "link to a provision" row: pick an agreement, then a provision or the whole agreement.
fn new_link_ui(ui: &mut Ui, project: &Project, initiative: &InitiativeId) -> Option<ProvisionLink> {
    let state_id = ui.scope_id().with(("new-link", initiative));
    let (mut agreement, mut provision): (Option<AgreementId>, Option<ProvisionId>) =
        ui.data_mut(|d| d.get_temp(state_id).unwrap_or_default());
    let mut added = None;
    ui.horizontal_wrapped(|ui| {
        let agreement_text = agreement
            .as_ref()
            .and_then(|a| project.agreement(a))
            .map_or("Agreement…", |a| a.short_name.as_str());
        egui::ComboBox::new(("link-agreement", initiative), "Link to agreement")
            .selected_text(agreement_text)
            .show_ui(ui, |ui| {
                for a in &project.agreements {
                    if ui
                        .selectable_label(agreement.as_ref() == Some(&a.id), &a.short_name)
                        .clicked()
                    {
                        agreement = Some(a.id.clone());
                        provision = None;
                    }
                }
            });
        if let Some(a) = agreement.as_ref().and_then(|a| project.agreement(a)) {
            let provision_text = provision
                .as_ref()
                .and_then(|p| a.provision(p))
                .map_or("Whole agreement", |p| p.label.as_str());
            egui::ComboBox::new(("link-provision", initiative), "Provision")
                .selected_text(provision_text)
                .show_ui(ui, |ui| {
                    if ui
                        .selectable_label(provision.is_none(), "Whole agreement")
                        .clicked()
                    {
                        provision = None;
                    }
                    for p in &a.provisions {
                        let text = if p.title.is_empty() {
                            p.label.clone()
                        } else {
                            format!("{}: {}", p.label, p.title)
                        };
                        if ui
                            .selectable_label(provision.as_ref() == Some(&p.id), text)
                            .clicked()
                        {
                            provision = Some(p.id.clone());
                        }
                    }
                });
        }
        if ui
            .add_enabled(agreement.is_some(), egui::Button::new("Add link"))
            .clicked()
        {
            added = agreement.clone().map(|agreement| ProvisionLink {
                agreement,
                provision: provision.clone(),
            });
        }
    });
    ui.data_mut(|d| d.insert_temp(state_id, (agreement, provision)));
    added
}

/// A norm checkbox's text: its letter and name, e.g. "(a) Cooperate for stability and security".
fn norm_checkbox_label(label: &str, name: &str) -> String {
    match (label.trim(), name.trim()) {
        ("", name) => name.to_owned(),
        (label, "") => label.to_owned(),
        (label, name) => format!("{label} {name}"),
    }
}
