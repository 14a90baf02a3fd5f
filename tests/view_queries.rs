//! The grid's row filter and sort, tested without a GUI.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use normgrid::model::{AgreementId, Binding, Project};
use normgrid::ui::view::{RowQuery, SortKey, visible_columns, visible_rows};
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
        sort: SortKey::YesCount,
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
