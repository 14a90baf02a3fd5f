//! The embedded BPF 2019 sample: what the report's tables say must be what the project holds.

use normgrid::model::standard::{
    KEY_ELEMENTS_FRAMEWORK, UNGGE_NORMS_FRAMEWORK, key_elements_framework, ungge_norm_id,
    ungge_norms_framework,
};
use normgrid::model::tally::element_tally;
use normgrid::model::{
    AgreementId, Assessment, Binding, ElementId, FrameworkId, ProvisionId, ProvisionLink, Space,
    Tally,
};
use normgrid::sample;

fn project() -> normgrid::model::Project {
    let loaded = sample::bpf_2019().expect("sample parses");
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    loaded.project
}

fn framework_tally(project: &normgrid::model::Project, framework: &str) -> Tally {
    let framework = project
        .framework(&FrameworkId::new(framework))
        .expect("framework");
    let agreements: Vec<AgreementId> = project.agreements.iter().map(|a| a.id.clone()).collect();
    framework
        .elements
        .iter()
        .map(|e| element_tally(project, &e.id, &agreements))
        .fold(Tally::default(), |mut sum, t| {
            sum.yes += t.yes;
            sum.indirect += t.indirect;
            sum.no += t.no;
            sum.not_assessed += t.not_assessed;
            sum
        })
}

#[test]
fn holds_twenty_agreements_ten_key_elements_and_eleven_norms() {
    let project = project();
    assert_eq!(project.agreements.len(), 20);
    let key = project
        .framework(&FrameworkId::new(KEY_ELEMENTS_FRAMEWORK))
        .unwrap();
    assert_eq!(key.elements.len(), 10);
    let norms = project
        .framework(&FrameworkId::new(UNGGE_NORMS_FRAMEWORK))
        .unwrap();
    assert_eq!(norms.elements.len(), 11);
    let labels: Vec<&str> = norms.elements.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)", "(h)", "(i)", "(j)", "(k)"
        ]
    );
}

#[test]
fn key_element_counts_match_the_report() {
    let project = project();
    let tally = framework_tally(&project, KEY_ELEMENTS_FRAMEWORK);
    assert_eq!(
        (tally.yes, tally.indirect, tally.no, tally.not_assessed),
        (86, 19, 92, 3)
    );
    // Norms are not mapped by the 2019 report.
    let norms = framework_tally(&project, UNGGE_NORMS_FRAMEWORK);
    assert_eq!((norms.present(), norms.no, norms.not_assessed), (0, 0, 220));
}

#[test]
fn spot_checks_against_the_report_tables() {
    let project = project();
    let cell = |a: &str, e: &str| project.cell(&AgreementId::new(a), &ElementId::new(e));
    // OAS: every element Yes.
    let oas = project
        .agreement(&AgreementId::new("oas-strategy"))
        .unwrap();
    assert!(
        key_elements_framework()
            .elements
            .iter()
            .all(|e| project.assessment(&oas.id, &e.id) == Assessment::Yes)
    );
    // OCR "Ves" is Yes; the quote is kept apart from the note.
    let paris_hr = cell("paris-call", "ke-human-rights");
    assert_eq!(paris_hr.assessment, Assessment::Yes);
    assert!(
        paris_hr.evidence[0]
            .exact
            .starts_with("We reaffirm that the same rights")
    );
    // Values written apart from their labels ("Indirectl y").
    assert_eq!(
        cell("budapest-convention", "ke-def-cyber-threats").assessment,
        Assessment::Indirect
    );
    assert_eq!(
        cell("budapest-convention", "ke-content-restrictions").locators_joined(),
        "Art. 9"
    );
    // Blank in the report: Not assessed, not guessed.
    assert_eq!(
        cell("ungge-2015", "ke-content-restrictions").assessment,
        Assessment::NotAssessed
    );
    assert_eq!(
        cell("ungge-2015", "ke-responsible-disclosure").evidence[0].locator,
        "para. 13 (j)"
    );
    // Charter of Trust: the values stand in a column of their own.
    let charter: Vec<char> = key_elements_framework()
        .elements
        .iter()
        .map(|e| {
            project
                .assessment(&AgreementId::new("charter-of-trust"), &e.id)
                .letter()
        })
        .collect();
    assert_eq!(charter.iter().collect::<String>(), "YNYNNNYNNN");
}

#[test]
fn agreement_metadata_follows_sections_iii_b_and_iii_c() {
    let project = project();
    let get = |id: &str| project.agreement(&AgreementId::new(id)).unwrap();
    assert_eq!(get("budapest-convention").binding, Binding::LegallyBinding);
    assert_eq!(get("au-convention").binding, Binding::BindingOnceRatified);
    assert_eq!(get("manrs").binding, Binding::NonBinding);
    assert_eq!(get("ungge-2015").space, Space::UnitedNations);
    assert_eq!(get("paris-call").space, Space::AcrossStakeholderGroups);
    assert_eq!(get("tech-accord").space, Space::WithinStakeholderGroup);
    assert_eq!(get("paris-call").provisions.len(), 9);
    assert_eq!(get("tech-accord").provisions.len(), 4);
    assert_eq!(get("gcsc-norms").provisions.len(), 8);
    assert!(
        project
            .agreements
            .iter()
            .all(|a| a.year.is_some() && !a.summary.is_empty())
    );
}

#[test]
fn initiatives_link_provisions_as_the_report_parentheses_say() {
    let project = project();
    let cvd = project
        .initiatives
        .iter()
        .find(|i| i.title.contains("vulnerability disclosure"))
        .unwrap();
    let link = |a: &str, p: &str| ProvisionLink {
        agreement: AgreementId::new(a),
        provision: Some(ProvisionId::new(p)),
    };
    assert_eq!(
        cvd.supports,
        vec![
            link("tech-accord", "principle-1"),
            link("paris-call", "principle-1"),
            link("gcsc-norms", "norm-5")
        ]
    );
    let orange = project
        .initiatives
        .iter()
        .find(|i| i.stakeholder == "Orange Group")
        .unwrap();
    assert_eq!(orange.supports[0].agreement.as_str(), "manrs");
    let australia = project
        .initiatives
        .iter()
        .find(|i| i.stakeholder == "Government of Australia")
        .unwrap();
    assert_eq!(australia.norms.len(), 11);
    assert!(australia.norms.contains(&ungge_norm_id('f')));
    let microsoft = project
        .initiatives
        .iter()
        .filter(|i| i.stakeholder == "Microsoft")
        .count();
    assert_eq!(
        microsoft, 12,
        "each Microsoft example once, not once per agreement"
    );
}

#[test]
fn sample_frameworks_are_the_standard_ones() {
    let project = project();
    assert_eq!(project.frameworks[0], key_elements_framework());
    assert_eq!(project.frameworks[1], ungge_norms_framework());
}

#[test]
fn embedded_sample_is_in_canonical_form() {
    let project = project();
    let written = normgrid::io::project_to_ron(&project).unwrap();
    assert_eq!(
        written,
        sample::BPF_2019_RON,
        "run `normgrid fmt sample-data/bpf-2019.ron`"
    );
}

#[test]
fn unique_elements_are_only_what_the_report_calls_unique() {
    let project = project();
    let get = |id: &str| project.agreement(&AgreementId::new(id)).unwrap();
    // "As is common with most other model laws reviewed in this document, it describes
    // additional elements such as evidence collection procedures" (section V, SADC).
    assert!(get("sadc-model-laws").unique_elements.is_empty());
    // The report never calls the GCSC norms unique; three overlap with the Paris Call's.
    assert!(get("gcsc-norms").unique_elements.is_empty());
    let paris = get("paris-call").unique_elements.join(" ");
    for overlap in ["public core", "hacking back", "electoral"] {
        assert!(paris.contains(overlap), "{overlap}");
    }
}

#[test]
fn gcsc_numbering_note_names_every_gcsc_link_and_flags_the_ambiguous_ones() {
    let project = project();
    let note = project
        .notes
        .iter()
        .find(|n| n.id.as_str() == "note-gcsc-numbering")
        .expect("a project note says which GCSC numbering the file uses");
    assert!(note.text.contains("Final Report of November 2019"));
    let gcsc_links: Vec<(&str, &str)> = project
        .initiatives
        .iter()
        .flat_map(|i| {
            i.supports
                .iter()
                .filter(|l| l.agreement.as_str() == "gcsc-norms")
                .map(move |l| {
                    (
                        i.id.as_str(),
                        l.provision.as_ref().map_or("", |p| p.as_str()),
                    )
                })
        })
        .collect();
    assert_eq!(gcsc_links.len(), 5, "{gcsc_links:?}");
    for (initiative, provision) in &gcsc_links {
        let number = provision.trim_start_matches("norm-");
        assert!(
            note.text.contains(&format!("{initiative} → norm {number}"))
                || note.text.contains(&format!("{initiative} and ")),
            "{initiative} → {provision} is not discussed in the note"
        );
    }
    let (_, ambiguous) = note.text.split_once("Ambiguous links").unwrap();
    let (flagged, settled) = ambiguous.split_once("ini-ms-cvd →").unwrap();
    for initiative in [
        "ini-ms-sdl-osa",
        "ini-ms-deliberative-bodies",
        "ini-ms-digital-geneva",
    ] {
        assert!(
            flagged.contains(initiative),
            "{initiative} should be flagged"
        );
    }
    assert!(settled.contains("ini-eu-csa-public-core") && settled.contains("are not ambiguous"));
}
