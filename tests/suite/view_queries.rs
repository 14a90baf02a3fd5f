//! The grid's row filter and sort, tested without a GUI.

use normgrid::commands::Command;
use normgrid::model::query::{
    ColumnSort, RowOrder, RowQuery, assessment_rank, visible_columns, visible_rows,
};
use normgrid::model::{AgreementId, Assessment, Binding, ElementId, Project};
use std::collections::BTreeSet;

fn sample() -> Project {
    normgrid::sample::bpf_2019().unwrap().project
}

#[test]
fn filters_by_text_in_names_and_notes() {
    let project = sample();
    let columns = visible_columns(&project, &BTreeSet::new());
    let query = RowQuery {
        text: "botnet".to_owned(),
        ..RowQuery::default()
    };
    let rows = visible_rows(&project, &query, &columns);
    assert_eq!(rows, vec![AgreementId::new("csde-botnet-guide")]);
    let query = RowQuery {
        text: "ENISA".to_owned(),
        ..RowQuery::default()
    };
    assert_eq!(
        visible_rows(&project, &query, &columns),
        vec![AgreementId::new("eu-cybersecurity-act")]
    );
}

#[test]
fn sorts_by_yes_count_and_filters_by_binding() {
    let project = sample();
    let columns = visible_columns(&project, &BTreeSet::new());
    let query = RowQuery {
        sort: RowOrder::YesCount,
        ..RowQuery::default()
    };
    assert_eq!(
        visible_rows(&project, &query, &columns)[0].as_str(),
        "oas-strategy"
    );
    let query = RowQuery {
        binding: Some(Binding::LegallyBinding),
        ..RowQuery::default()
    };
    let rows = visible_rows(&project, &query, &columns);
    assert!(rows.iter().any(|a| a.as_str() == "budapest-convention"));
    assert!(
        rows.iter()
            .all(|a| project.agreement(a).unwrap().binding == Binding::LegallyBinding)
    );
}

fn element(id: &str) -> ElementId {
    ElementId::new(id)
}

/// A copy of the sample with some cells changed, so a column holds all four values.
fn with_assessments(changes: &[(&str, &str, Assessment)]) -> Project {
    let mut project = sample();
    for (agreement, element_id, assessment) in changes {
        let (agreement, element_id) = (AgreementId::new(*agreement), element(element_id));
        let mut cell = project.cell(&agreement, &element_id);
        cell.assessment = *assessment;
        Command::SetCell {
            agreement,
            element: element_id,
            cell,
        }
        .apply(&mut project)
        .unwrap();
    }
    project
}

fn rank_of(project: &Project, agreement: &AgreementId, element_id: &ElementId) -> u8 {
    assessment_rank(project.assessment(agreement, element_id))
}

fn short_name(project: &Project, agreement: &AgreementId) -> String {
    project
        .agreement(agreement)
        .unwrap()
        .short_name
        .to_lowercase()
}

#[test]
fn column_sort_puts_yes_then_indirect_then_no_then_not_assessed_and_ties_keep_name_order() {
    let human_rights = element("ke-human-rights");
    let project = with_assessments(&[
        ("paris-call", "ke-human-rights", Assessment::Indirect),
        ("manrs", "ke-human-rights", Assessment::NotAssessed),
        ("oas-strategy", "ke-human-rights", Assessment::Indirect),
    ]);
    let columns = visible_columns(&project, &BTreeSet::new());
    let mut query = RowQuery {
        sort: RowOrder::Name,
        ..RowQuery::default()
    };
    query.cycle_column_sort(&human_rights);
    assert_eq!(query.sort_mark(&human_rights), Some("▲"));
    let rows = visible_rows(&project, &query, &columns);
    assert_eq!(rows.len(), project.agreements.len());
    let values: Vec<Assessment> = rows
        .iter()
        .map(|a| project.assessment(a, &human_rights))
        .collect();
    // Every value appears, in blocks in the promised order.
    let first_of = |wanted: Assessment| values.iter().position(|v| *v == wanted).unwrap();
    assert_eq!(values[0], Assessment::Yes);
    assert!(first_of(Assessment::Yes) < first_of(Assessment::Indirect));
    assert!(first_of(Assessment::Indirect) < first_of(Assessment::No));
    assert!(first_of(Assessment::No) < first_of(Assessment::NotAssessed));
    assert_eq!(values.last(), Some(&Assessment::NotAssessed));
    for pair in rows.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let (rank_a, rank_b) = (
            rank_of(&project, a, &human_rights),
            rank_of(&project, b, &human_rights),
        );
        assert!(rank_a <= rank_b);
        if rank_a == rank_b {
            assert!(short_name(&project, a) <= short_name(&project, b));
        }
    }

    // Second click: reversed values, ties still in name order.
    query.cycle_column_sort(&human_rights);
    assert_eq!(query.sort_mark(&human_rights), Some("▼"));
    let reversed = visible_rows(&project, &query, &columns);
    assert_eq!(
        project.assessment(&reversed[0], &human_rights),
        Assessment::NotAssessed
    );
    for pair in reversed.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let (rank_a, rank_b) = (
            rank_of(&project, a, &human_rights),
            rank_of(&project, b, &human_rights),
        );
        assert!(rank_a >= rank_b);
        if rank_a == rank_b {
            assert!(short_name(&project, a) <= short_name(&project, b));
        }
    }

    // Third click: back to the toolbar's sort (Name).
    query.cycle_column_sort(&human_rights);
    assert_eq!(query.column_sort, None);
    assert_eq!(query.sort_mark(&human_rights), None);
    let by_name = visible_rows(&project, &query, &columns);
    let names: Vec<String> = by_name.iter().map(|a| short_name(&project, a)).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn clicking_another_column_sorts_by_it_from_yes_first() {
    let mut query = RowQuery::default();
    query.cycle_column_sort(&element("ke-human-rights"));
    query.cycle_column_sort(&element("ke-cbms"));
    assert_eq!(
        query.column_sort,
        Some(ColumnSort {
            element: element("ke-cbms"),
            descending: false,
        })
    );
    assert_eq!(query.sort_mark(&element("ke-human-rights")), None);
}

#[test]
fn column_filters_combine_and_each_can_be_removed() {
    let project = sample();
    let columns = visible_columns(&project, &BTreeSet::new());
    let (human_rights, cbms) = (element("ke-human-rights"), element("ke-cbms"));
    let all_where = |element_id: &ElementId, allowed: &[Assessment]| -> BTreeSet<AgreementId> {
        project
            .agreements
            .iter()
            .filter(|a| allowed.contains(&project.assessment(&a.id, element_id)))
            .map(|a| a.id.clone())
            .collect()
    };

    let mut query = RowQuery::default();
    assert!(!query.is_filtering());
    query.toggle_column_filter(&human_rights, Assessment::Yes);
    assert!(query.is_filtering());
    let human_rights_yes: BTreeSet<AgreementId> = visible_rows(&project, &query, &columns)
        .into_iter()
        .collect();
    assert_eq!(
        human_rights_yes,
        all_where(&human_rights, &[Assessment::Yes])
    );
    assert_eq!(human_rights_yes.len(), 10, "the sample has 10 Yes here");

    // A second column's filter keeps only rows passing both; two values there are OR-ed.
    query.toggle_column_filter(&cbms, Assessment::Yes);
    query.toggle_column_filter(&cbms, Assessment::Indirect);
    let both: BTreeSet<AgreementId> = visible_rows(&project, &query, &columns)
        .into_iter()
        .collect();
    let expected: BTreeSet<AgreementId> = human_rights_yes
        .intersection(&all_where(&cbms, &[Assessment::Yes, Assessment::Indirect]))
        .cloned()
        .collect();
    assert_eq!(both, expected);
    assert!(!both.is_empty() && both.len() < human_rights_yes.len());

    // Removing the first filter leaves the second alone.
    query.column_filters.remove(&human_rights);
    let cbms_only: BTreeSet<AgreementId> = visible_rows(&project, &query, &columns)
        .into_iter()
        .collect();
    assert_eq!(
        cbms_only,
        all_where(&cbms, &[Assessment::Yes, Assessment::Indirect])
    );

    // Unchecking every value drops the filter rather than hiding every row.
    query.toggle_column_filter(&cbms, Assessment::Yes);
    query.toggle_column_filter(&cbms, Assessment::Indirect);
    assert!(query.column_filters.is_empty());
    assert_eq!(
        visible_rows(&project, &query, &columns).len(),
        project.agreements.len()
    );
}

#[test]
fn clear_filters_drops_column_filters_but_keeps_the_sort() {
    let mut query = RowQuery {
        text: "cyber".to_owned(),
        ..RowQuery::default()
    };
    query.toggle_column_filter(&element("ke-human-rights"), Assessment::No);
    query.cycle_column_sort(&element("ke-human-rights"));
    query.clear_filters();
    assert!(!query.is_filtering());
    assert!(query.column_filters.is_empty());
    assert!(query.column_sort.is_some());
}

#[test]
fn a_filter_on_a_removed_element_hides_nothing() {
    let project = sample();
    let columns = visible_columns(&project, &BTreeSet::new());
    let mut query = RowQuery::default();
    query.toggle_column_filter(&element("no-such-element"), Assessment::Yes);
    assert_eq!(
        visible_rows(&project, &query, &columns).len(),
        project.agreements.len()
    );
}
