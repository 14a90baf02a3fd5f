//! Agreement statistics against textbook values computed by hand.

use normgrid::collab::{coder_agreement, cohens_kappa, krippendorff_alpha_nominal};
use normgrid::model::{Agreement, AgreementId, Assessment, Cell, ElementId, Project};

fn close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 5e-4,
        "expected {expected}, got {actual}"
    );
}

/// Rows of a confusion matrix turned into (coder A, coder B) pairs.
fn pairs_from_matrix(matrix: &[[usize; 3]; 3]) -> Vec<(u8, u8)> {
    let mut pairs = Vec::new();
    for (a, row) in matrix.iter().enumerate() {
        for (b, count) in row.iter().enumerate() {
            pairs.extend(std::iter::repeat_n((a as u8, b as u8), *count));
        }
    }
    pairs
}

#[test]
fn cohens_kappa_matches_the_textbook_two_by_two_example() {
    // 50 proposals: both yes 20, A yes/B no 5, A no/B yes 10, both no 15.
    // p_o = 35/50 = 0.7; p_e = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = 0.2/0.5 = 0.4.
    let mut pairs = vec![(1, 1); 20];
    pairs.extend(vec![(1, 0); 5]);
    pairs.extend(vec![(0, 1); 10]);
    pairs.extend(vec![(0, 0); 15]);
    close(cohens_kappa(&pairs).unwrap(), 0.4);
}

#[test]
fn cohens_kappa_on_yes_indirect_no() {
    // Rows: coder A (Yes, Indirect, No); columns: coder B. n = 30.
    // p_o = 22/30; marginals A 12/8/10, B 11/10/9; p_e = 302/900.
    // kappa = (660 − 302) / (900 − 302) = 358/598.
    let pairs = pairs_from_matrix(&[[10, 2, 0], [1, 5, 2], [0, 3, 7]]);
    close(cohens_kappa(&pairs).unwrap(), 358.0 / 598.0);
}

#[test]
fn kappa_is_undefined_when_everyone_gives_one_answer() {
    // Both coders say Yes everywhere: perfect agreement, but chance agreement is also 1,
    // so kappa is 0/0. It is reported as undefined, never as NaN or a made-up 1.
    let pairs = vec![(0u8, 0u8); 12];
    assert_eq!(cohens_kappa(&pairs), None);
    assert_eq!(krippendorff_alpha_nominal(&vec![vec![0u8, 0u8]; 12]), None);
    assert_eq!(cohens_kappa::<u8>(&[]), None);
    // Disagreeing coders who each use one category: p_o = 0, p_e = 0, kappa = 0.
    close(cohens_kappa(&[(0u8, 1u8); 5]).unwrap(), 0.0);
}

#[test]
fn krippendorff_alpha_matches_the_binary_two_observer_example() {
    // Krippendorff (2011), "Computing Krippendorff's alpha-reliability", example A:
    // o00 = 10, o11 = 2, o01 = o10 = 4, n = 20; alpha = 1 − 19·8/(2·14·6) = 0.095.
    let a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    let b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    let units: Vec<Vec<u8>> = a.iter().zip(b).map(|(x, y)| vec![*x, y]).collect();
    close(
        krippendorff_alpha_nominal(&units).unwrap(),
        1.0 - 152.0 / 168.0,
    );
}

#[test]
fn krippendorff_alpha_matches_the_four_observer_example_with_missing_values() {
    // Krippendorff (2011), example C: 4 observers, 12 units, missing values; nominal alpha 0.743.
    let units: Vec<Vec<u8>> = vec![
        vec![1, 1, 1],
        vec![2, 2, 3, 2],
        vec![3, 3, 3, 3],
        vec![3, 3, 3, 3],
        vec![2, 2, 2, 2],
        vec![1, 2, 3, 4],
        vec![4, 4, 4, 4],
        vec![1, 1, 2, 1],
        vec![2, 2, 2, 2],
        vec![5, 5, 5],
        vec![1, 1],
        vec![3], // one value: cannot be paired, left out
    ];
    close(krippendorff_alpha_nominal(&units).unwrap(), 0.743);
}

fn coded(assessments: &[(&str, &str, Assessment)]) -> Project {
    let mut project = Project::new(
        "coding",
        chrono::NaiveDate::from_ymd_opt(2019, 12, 1).unwrap(),
    );
    for id in ["a1", "a2", "a3", "a4"] {
        project
            .agreements
            .push(Agreement::new(AgreementId::new(id), id, id.to_uppercase()));
    }
    for (agreement, element, assessment) in assessments {
        project.cells.set(
            &AgreementId::new(*agreement),
            &ElementId::new(*element),
            Cell::with_assessment(*assessment),
        );
    }
    project
}

#[test]
fn report_over_two_projects_counts_only_cells_both_assessed() {
    use Assessment::{Indirect, No, Yes};
    let ana = coded(&[
        ("a1", "ke-human-rights", Yes),
        ("a2", "ke-human-rights", Yes),
        ("a3", "ke-human-rights", No),
        ("a4", "ke-human-rights", No),
        ("a1", "ke-cbms", Indirect),
        ("a2", "ke-cbms", No),
    ]);
    let ben = coded(&[
        ("a1", "ke-human-rights", Yes),
        ("a2", "ke-human-rights", No),
        ("a3", "ke-human-rights", No),
        ("a4", "ke-human-rights", No),
        ("a1", "ke-cbms", Indirect),
        // a2 / ke-cbms left not assessed: missing, not a disagreement.
    ]);
    let report = coder_agreement(&[("Ana".to_owned(), &ana), ("Ben".to_owned(), &ben)]);
    assert_eq!(report.units, 5);
    assert_eq!(report.agreed, 4);
    assert_eq!(report.assessed_by_one, 1);
    close(report.percent().unwrap(), 80.0);
    // Pairs: (Y,Y) (Y,N) (N,N) (N,N) (I,I): p_o = 0.8; A: Y2 N2 I1, B: Y1 N3 I1;
    // p_e = (2·1 + 2·3 + 1·1)/25 = 9/25; kappa = (20 − 9)/(25 − 9) = 11/16.
    close(report.pairs[0].kappa.unwrap(), 11.0 / 16.0);
    assert_eq!(report.disagreements.len(), 1);
    let d = &report.disagreements[0];
    assert_eq!(d.agreement.as_str(), "a2");
    assert_eq!(d.values, vec![Yes, No]);
    assert_eq!(d.title, "A2 / Reference to Human Rights");
    let hr = report
        .elements
        .iter()
        .find(|e| e.element.as_str() == "ke-human-rights")
        .unwrap();
    assert_eq!((hr.units, hr.agreed), (4, 3));
    // Y,Y / Y,N / N,N / N,N: p_o = 3/4, p_e = (2·1 + 2·3)/16 = 1/2, kappa = 0.5.
    close(hr.kappa.unwrap(), 0.5);
    let text = report.to_text();
    assert!(text.contains("Percent agreement: 80.0% (4 of 5)"), "{text}");
    assert!(
        text.contains("A2 / Reference to Human Rights  (Ana: Yes, Ben: No)"),
        "{text}"
    );
}

#[test]
fn identical_codings_agree_fully_and_say_why_kappa_is_undefined() {
    use Assessment::Yes;
    let all_yes = coded(&[("a1", "ke-cbms", Yes), ("a2", "ke-cbms", Yes)]);
    let report = coder_agreement(&[
        ("Ana".to_owned(), &all_yes),
        ("Ben".to_owned(), &all_yes),
        ("Cy".to_owned(), &all_yes),
    ]);
    close(report.percent().unwrap(), 100.0);
    assert_eq!(report.pairs.len(), 3);
    assert!(report.pairs.iter().all(|p| p.kappa.is_none()));
    assert_eq!(report.alpha, None);
    let text = report.to_text();
    assert!(
        text.contains("undefined (every answer falls in one category"),
        "{text}"
    );
}
