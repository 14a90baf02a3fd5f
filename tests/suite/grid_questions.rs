//! The grid answers questions like a spreadsheet: a click on a column's header sorts by it, its
//! menu filters by it, and chips above the grid show and remove the filters. Driven the way a
//! person uses it: by AccessKit labels, clicks and keys.

use egui::Key;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use normgrid::model::{AgreementId, Assessment, ElementId};

use crate::common;
use common::gui::{App, click, harness, settle};

const HUMAN_RIGHTS: &str = "Reference to Human Rights";
const CBMS: &str = "Specified CBMs";

fn click_header(harness: &mut App, label: &str) {
    harness
        .get_by_role_and_label(Role::ColumnHeader, label)
        .click();
    settle(harness);
}

/// Opens a column's header menu and checks "Only <value>" boxes under "Filter this column".
fn filter_column(harness: &mut App, header: &str, values: &[&str]) {
    harness
        .get_by_role_and_label(Role::ColumnHeader, header)
        .click_secondary();
    settle(harness);
    harness.get_by_label("Filter this column");
    for value in values {
        harness
            .get_by_role_and_label(Role::CheckBox, &format!("Only {value}"))
            .click();
        settle(harness);
    }
    // The menu stays open for more choices; Escape closes it.
    assert!(egui::Popup::is_any_open(&harness.ctx));
    harness.key_press(Key::Escape);
    settle(harness);
    assert!(!egui::Popup::is_any_open(&harness.ctx));
}

fn human_rights() -> ElementId {
    ElementId::new("ke-human-rights")
}

fn cbms() -> ElementId {
    ElementId::new("ke-cbms")
}

/// The values the shown rows have in `element`, top to bottom.
fn shown_values(harness: &App, element: &ElementId) -> Vec<Assessment> {
    let app = harness.state();
    app.visible_rows()
        .iter()
        .map(|a| app.project().assessment(a, element))
        .collect()
}

/// Every agreement of the project whose cell in `element` is one of `values`, in file order.
fn agreements_where(harness: &App, element: &ElementId, values: &[Assessment]) -> Vec<AgreementId> {
    let project = harness.state().project();
    project
        .agreements
        .iter()
        .filter(|a| values.contains(&project.assessment(&a.id, element)))
        .map(|a| a.id.clone())
        .collect()
}

#[test]
fn clicking_a_header_sorts_yes_first_then_reverses_then_returns() {
    let mut harness = harness();
    let file_order: Vec<AgreementId> = harness
        .state()
        .project()
        .agreements
        .iter()
        .map(|a| a.id.clone())
        .collect();
    assert_eq!(harness.state().visible_rows(), file_order.as_slice());
    let yes_count = agreements_where(&harness, &human_rights(), &[Assessment::Yes]).len();
    assert!(yes_count > 0 && yes_count < file_order.len());

    click_header(&mut harness, HUMAN_RIGHTS);
    let values = shown_values(&harness, &human_rights());
    assert!(values[..yes_count].iter().all(|v| *v == Assessment::Yes));
    assert!(values[yes_count..].iter().all(|v| *v != Assessment::Yes));
    // Ties keep the file order.
    let yes_rows = harness.state().visible_rows()[..yes_count].to_vec();
    assert_eq!(
        yes_rows,
        agreements_where(&harness, &human_rights(), &[Assessment::Yes])
    );
    // The header shows the mark; the column is selected, so its counts stay in the panel.
    harness.get_by_role_and_label(Role::ColumnHeader, &format!("{HUMAN_RIGHTS} ▲"));
    assert_eq!(
        harness.state().view().selection.element,
        Some(human_rights())
    );

    click_header(&mut harness, &format!("{HUMAN_RIGHTS} ▲"));
    let reversed = shown_values(&harness, &human_rights());
    let first_yes = reversed.len() - yes_count;
    assert!(reversed[..first_yes].iter().all(|v| *v != Assessment::Yes));
    assert!(reversed[first_yes..].iter().all(|v| *v == Assessment::Yes));
    assert_eq!(
        reversed[0],
        Assessment::No,
        "the sample has no Indirect here"
    );
    harness.get_by_role_and_label(Role::ColumnHeader, &format!("{HUMAN_RIGHTS} ▼"));

    // A third click returns to the toolbar's sort (file order).
    click_header(&mut harness, &format!("{HUMAN_RIGHTS} ▼"));
    assert_eq!(harness.state().visible_rows(), file_order.as_slice());
    harness.get_by_role_and_label(Role::ColumnHeader, HUMAN_RIGHTS);

    // The "Sorted by" chip also returns to the toolbar's sort.
    click_header(&mut harness, HUMAN_RIGHTS);
    assert_ne!(harness.state().visible_rows(), file_order.as_slice());
    click(&mut harness, &format!("{HUMAN_RIGHTS} ▲ ×"));
    assert_eq!(harness.state().visible_rows(), file_order.as_slice());
    assert!(harness.state().view().query.column_sort.is_none());

    // Sorting is a view, not an edit.
    assert!(!harness.state().has_unsaved_changes());
}

#[test]
fn filtering_a_column_from_its_menu_shows_only_those_agreements_and_chips_remove_filters() {
    let mut harness = harness();
    let total = harness.state().project().agreements.len();
    harness.get_by_label(&format!("{total} agreements"));

    filter_column(&mut harness, HUMAN_RIGHTS, &["yes"]);
    let human_rights_yes = agreements_where(&harness, &human_rights(), &[Assessment::Yes]);
    assert_eq!(human_rights_yes.len(), 10, "the sample has 10 Yes here");
    assert_eq!(harness.state().visible_rows(), human_rights_yes.as_slice());
    harness.get_by_label("10 of 20 agreements");
    harness.get_by_label(&format!("{HUMAN_RIGHTS}: Yes ×"));
    harness.get_by_role_and_label(Role::ColumnHeader, &format!("{HUMAN_RIGHTS} (filtered)"));

    // A second column's filter combines with the first (AND).
    filter_column(&mut harness, CBMS, &["yes", "indirect"]);
    let cbms_yes_or_indirect =
        agreements_where(&harness, &cbms(), &[Assessment::Yes, Assessment::Indirect]);
    let both: Vec<AgreementId> = human_rights_yes
        .iter()
        .filter(|a| cbms_yes_or_indirect.contains(a))
        .cloned()
        .collect();
    assert!(!both.is_empty() && both.len() < human_rights_yes.len());
    assert_eq!(harness.state().visible_rows(), both.as_slice());
    harness.get_by_label(&format!("{} of {total} agreements", both.len()));
    harness.get_by_label(&format!("{CBMS}: Yes, Indirect ×"));

    // Removing the first chip removes only that filter.
    click(&mut harness, &format!("{HUMAN_RIGHTS}: Yes ×"));
    assert!(
        harness
            .query_by_label(&format!("{HUMAN_RIGHTS}: Yes ×"))
            .is_none()
    );
    assert_eq!(
        harness.state().visible_rows(),
        cbms_yes_or_indirect.as_slice()
    );
    harness.get_by_label(&format!(
        "{} of {total} agreements",
        cbms_yes_or_indirect.len()
    ));

    // "Clear filters" shows everything again.
    click(&mut harness, "Clear filters");
    assert_eq!(harness.state().visible_rows().len(), total);
    harness.get_by_label(&format!("{total} agreements"));
    assert!(harness.query_by_label("Clear filters").is_none());
    assert!(!harness.state().has_unsaved_changes());
}

#[test]
fn a_selected_cell_hidden_by_a_column_filter_is_not_changed_by_y() {
    let mut harness = harness();
    let paris = AgreementId::new("paris-call");
    let paris_cbms = harness.state().project().cell(&paris, &cbms());
    assert_ne!(paris_cbms.assessment, Assessment::Yes);
    click(
        &mut harness,
        &format!("Paris Call / {CBMS}: {}", paris_cbms.assessment.label()),
    );
    assert_eq!(
        harness.state().view().selection.agreement,
        Some(paris.clone())
    );
    assert_eq!(harness.state().view().selection.element, Some(cbms()));

    // Hide Paris Call: show only the Human Rights value it does not have.
    let paris_human_rights = harness
        .state()
        .project()
        .assessment(&paris, &human_rights());
    let other = if paris_human_rights == Assessment::No {
        "yes"
    } else {
        "no"
    };
    filter_column(&mut harness, HUMAN_RIGHTS, &[other]);
    assert!(!harness.state().visible_rows().contains(&paris));
    assert_eq!(
        harness.state().view().selection.agreement,
        Some(paris.clone())
    );

    let before = harness.state().project().clone();
    harness.key_press(Key::Y);
    settle(&mut harness);
    assert_eq!(harness.state().project(), &before);
    assert_eq!(harness.state().project().cell(&paris, &cbms()), paris_cbms);
    assert!(!harness.state().has_unsaved_changes());
}

#[test]
fn the_count_says_of_total_whenever_a_filter_is_active_even_if_all_rows_pass() {
    let mut harness = harness();
    let total = harness.state().project().agreements.len();
    let values = harness
        .state()
        .project()
        .agreements
        .iter()
        .map(|a| harness.state().project().assessment(&a.id, &human_rights()))
        .collect::<std::collections::BTreeSet<_>>();
    let labels: Vec<String> = values.iter().map(|v| v.label().to_lowercase()).collect();
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    filter_column(&mut harness, HUMAN_RIGHTS, &labels);
    assert_eq!(harness.state().visible_rows().len(), total);
    harness.get_by_label(&format!("{total} of {total} agreements"));
    assert!(
        harness
            .query_by_label(&format!("{total} agreements"))
            .is_none()
    );
}
