//! The review copy in a real browser (Debian's headless Chromium over the DevTools protocol):
//! the grid, a column filter, a cell's evidence, a Disputed verdict saved as a review file that
//! deserialises into `ReviewFile`, verdicts kept across a reload, and a CSP that refuses the
//! network.

use crate::common;
use common::browser::{chromium, eval, file_url, open, wait_for_download, wait_ready};
use normgrid::collab::review_file::{REVIEW_FORMAT, ReviewFile, VerdictStatus, cell_fingerprint};
use normgrid::export::review_copy::review_copy_html;
use normgrid::model::query::{visible_columns, visible_rows as app_visible_rows};
use normgrid::model::{
    AgreementId, Assessment, ElementId, NoteKind, NoteTarget, Project, ReviewStatus,
};
use std::path::{Path, PathBuf};

/// Writes the sample's review copy into `dir`.
fn sample_copy(dir: &Path) -> (Project, PathBuf) {
    let project = common::sample();
    let path = dir.join("bpf-2019-review.html");
    let html = review_copy_html(&project, chrono::Utc::now(), &Default::default()).unwrap();
    std::fs::write(&path, html).unwrap();
    (project, path)
}

/// The element whose name is `name`, in the project.
fn element_named(project: &Project, name: &str) -> ElementId {
    project
        .elements()
        .find(|(_, e)| e.name == name)
        .map(|(_, e)| e.id.clone())
        .unwrap()
}

/// A cell whose first excerpt is anchored in a source, as (agreement, element, quote).
fn cell_with_evidence(project: &Project) -> (AgreementId, ElementId, String) {
    let checks = normgrid::sources::evidence::check_project(project);
    let check = checks
        .iter()
        .find(|c| c.state.label() == "verified")
        .unwrap();
    let cell = project.cell(&check.agreement, &check.element);
    let excerpt = cell
        .evidence
        .iter()
        .find(|e| e.id == check.excerpt)
        .unwrap();
    (
        check.agreement.clone(),
        check.element.clone(),
        excerpt.exact.clone(),
    )
}

fn cell_selector(agreement: &AgreementId, element: &ElementId) -> String {
    format!("td.cell[data-agreement=\"{agreement}\"][data-element=\"{element}\"]")
}

/// The value of `expression` brought back as JSON text (arrays come back by reference).
fn eval_json(tab: &headless_chrome::Tab, expression: &str) -> serde_json::Value {
    let text = eval(tab, &format!("JSON.stringify({expression})"));
    serde_json::from_str(text.as_str().unwrap()).unwrap()
}

/// Rows a person can see, by agreement id.
fn visible_rows(tab: &headless_chrome::Tab) -> Vec<String> {
    let rows = eval_json(
        tab,
        "[...document.querySelectorAll('#grid tbody tr')]\
         .filter(tr => tr.getClientRects().length > 0).map(tr => tr.dataset.agreement)",
    );
    serde_json::from_value(rows).unwrap()
}

fn set_column_filter(tab: &headless_chrome::Tab, element: &ElementId, value: &str) {
    eval(
        tab,
        &format!(
            "(() => {{ const s = document.querySelector('select.col-filter[data-element=\"{element}\"]'); \
             s.value = '{value}'; s.dispatchEvent(new Event('change')); return s.value; }})()"
        ),
    );
}

/// Picks a saved view by its option's value ("" is no view), as the select's change would.
fn choose_saved_view(tab: &headless_chrome::Tab, value: &str) {
    eval(
        tab,
        &format!(
            "(() => {{ const s = document.getElementById('saved-view'); s.value = '{value}'; \
             s.dispatchEvent(new Event('change')); return s.value; }})()"
        ),
    );
}

/// Types the reviewer's name, as a person would.
fn enter_name(tab: &headless_chrome::Tab, name: &str) {
    let field = tab.find_element("#reviewer-name").unwrap();
    field.click().unwrap();
    field.type_into(name).unwrap();
    tab.press_key("Enter").unwrap();
}

/// Clicks a cell, types a comment and clicks a verdict button.
fn give_verdict(
    tab: &headless_chrome::Tab,
    agreement: &AgreementId,
    element: &ElementId,
    status: VerdictStatus,
    comment: &str,
) {
    tab.find_element(&cell_selector(agreement, element))
        .unwrap()
        .click()
        .unwrap();
    let field = tab.wait_for_element("#verdict-comment").unwrap();
    if !comment.is_empty() {
        field.click().unwrap();
        field.type_into(comment).unwrap();
    }
    tab.find_element(&format!(
        "button.verdict-button[data-status=\"{}\"]",
        status.key()
    ))
    .unwrap()
    .click()
    .unwrap();
}

/// Presses "Save my review" and reads the downloaded file: its path and what it says.
fn save_review_file(chromium: &common::browser::Chromium) -> (PathBuf, ReviewFile) {
    chromium
        .tab
        .find_element("#save-review")
        .unwrap()
        .click()
        .unwrap();
    let path = wait_for_download(chromium.downloads.path());
    let text = std::fs::read_to_string(&path).unwrap();
    let review = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (path, review)
}

fn save_review(chromium: &common::browser::Chromium) -> ReviewFile {
    save_review_file(chromium).1
}

#[test]
fn a_reviewer_filters_reads_evidence_disputes_a_cell_and_the_volunteer_imports_it() {
    let dir = tempfile::tempdir().unwrap();
    // The volunteer's side: the project file and its review copy, made as a user would.
    let project = common::sample();
    let project_path = common::write(dir.path(), "bpf-2019.ron", &project);
    let path = dir.path().join("bpf-2019-review.html");
    let export = common::normgrid(&[
        "export",
        "review",
        "--out",
        path.to_str().unwrap(),
        &project_path,
    ]);
    assert!(export.status.success(), "{export:?}");
    let chromium = chromium();
    let tab = &chromium.tab;
    open(tab, &file_url(&path));

    let cells = project.agreements.len() * project.elements().count();
    assert_eq!(
        eval(
            tab,
            "document.querySelectorAll('#grid tbody td.cell').length"
        ),
        serde_json::json!(cells)
    );
    // Meaning never rests on colour: every cell shows its letter.
    assert_eq!(
        eval(
            tab,
            "[...document.querySelectorAll('#grid td.cell')].filter(td => !td.textContent).length"
        ),
        serde_json::json!(0)
    );

    // The project's own Disputed and Needs review cells are marked for the reviewer.
    let flagged = project
        .cells
        .iter()
        .filter(|(_, _, c)| matches!(c.review, ReviewStatus::Disputed | ReviewStatus::NeedsReview))
        .count();
    assert!(flagged > 0, "the sample has cells flagged for review");
    assert_eq!(
        eval(
            tab,
            "document.querySelectorAll('#grid td.p-Disputed, #grid td.p-NeedsReview').length"
        ),
        serde_json::json!(flagged)
    );

    let human_rights = element_named(&project, "Reference to Human Rights");
    set_column_filter(tab, &human_rights, "Yes");
    let expected: Vec<String> = project
        .agreements
        .iter()
        .filter(|a| project.assessment(&a.id, &human_rights) == Assessment::Yes)
        .map(|a| a.id.as_str().to_owned())
        .collect();
    assert_eq!(visible_rows(tab), expected);
    assert_eq!(
        eval(tab, "document.getElementById('row-count').textContent"),
        serde_json::json!(format!(
            "{} of {} agreements",
            expected.len(),
            project.agreements.len()
        ))
    );
    set_column_filter(tab, &human_rights, "");
    assert_eq!(visible_rows(tab).len(), project.agreements.len());

    // A cell with evidence: its quote, and the quote in its source, in the panel.
    let (agreement, element, quote) = cell_with_evidence(&project);
    tab.find_element(&cell_selector(&agreement, &element))
        .unwrap()
        .click()
        .unwrap();
    let shown = eval_json(
        tab,
        "[...document.querySelectorAll('#detail blockquote.exact')].map(q => q.textContent)",
    );
    assert!(
        shown
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q == &serde_json::json!(quote)),
        "the panel's quotes {shown} hold {quote:?}"
    );
    // The source's own words, which may break lines where the quote has spaces.
    let marked = eval_json(
        tab,
        "[...document.querySelectorAll('#detail .passage mark')]\
         .map(m => m.textContent.split(/\\s+/).join(' '))",
    );
    let quote_words = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        marked
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q == &serde_json::json!(quote_words)),
        "the passage in its source marks the quote: {marked}"
    );

    enter_name(tab, "Ana Reviewer");
    give_verdict(
        tab,
        &agreement,
        &element,
        VerdictStatus::Disputed,
        "Only the preamble says this",
    );
    let label = eval(
        tab,
        &format!(
            "document.querySelector('{}').getAttribute('aria-label')",
            cell_selector(&agreement, &element).replace('\'', "\\'")
        ),
    );
    assert!(
        label.as_str().unwrap().ends_with("your verdict: Disputed"),
        "{label}"
    );

    let (review_path, review) = save_review_file(&chromium);
    assert_eq!(review.format, REVIEW_FORMAT);
    assert_eq!(review.reviewer, "Ana Reviewer");
    assert_eq!(review.project_id, project.id);
    assert_eq!(review.project_title, project.title);
    assert_eq!(review.verdicts.len(), 1);
    let verdict = &review.verdicts[0];
    assert_eq!(
        (&verdict.agreement, &verdict.element),
        (&agreement, &element)
    );
    assert_eq!(verdict.status, VerdictStatus::Disputed);
    assert_eq!(verdict.comment, "Only the preamble says this");
    assert_eq!(
        verdict.fingerprint,
        cell_fingerprint(&project.cell(&agreement, &element))
    );

    // Back in normgrid: the verdict lands on the cell, signed by the reviewer.
    let import = common::normgrid(&[
        "import",
        "review",
        review_path.to_str().unwrap(),
        "--into",
        &project_path,
    ]);
    assert!(import.status.success(), "{import:?}");
    assert!(
        common::stdout(&import).contains("Applied 1 verdict from Ana Reviewer (1 Disputed)"),
        "{}",
        common::stdout(&import)
    );
    let reviewed = normgrid::io::load_project(Path::new(&project_path))
        .unwrap()
        .project;
    let cell = reviewed.cell(&agreement, &element);
    assert_eq!(cell.review, ReviewStatus::Disputed);
    assert_eq!(cell.reviewed_by, "Ana Reviewer");
    assert_eq!(
        cell.assessment,
        project.cell(&agreement, &element).assessment
    );
    let notes: Vec<_> = reviewed
        .notes
        .iter()
        .filter(|n| n.target == NoteTarget::Cell(agreement.clone(), element.clone()))
        .filter(|n| n.kind == NoteKind::Review)
        .map(|n| (n.author.as_str(), n.text.as_str()))
        .collect();
    assert_eq!(notes, [("Ana Reviewer", "Only the preamble says this")]);
}

#[test]
fn verdicts_survive_a_reload_and_a_new_one_replaces_the_old() {
    let dir = tempfile::tempdir().unwrap();
    let (project, path) = sample_copy(dir.path());
    let chromium = chromium();
    let tab = &chromium.tab;
    open(tab, &file_url(&path));
    enter_name(tab, "Ben");
    let agreement = project.agreements[1].id.clone();
    let (_, first) = project.elements().next().unwrap();
    let (_, last) = project.elements().last().unwrap();
    give_verdict(tab, &agreement, &first.id, VerdictStatus::Reviewed, "Fine");
    give_verdict(
        tab,
        &agreement,
        &last.id,
        VerdictStatus::NeedsReview,
        "Unsure",
    );
    // The panel shows the cell's comment again; the new verdict keeps it.
    give_verdict(tab, &agreement, &last.id, VerdictStatus::Disputed, "");
    // A comment typed before any verdict is a draft: kept, but not a verdict.
    let draft_row = project.agreements[2].id.clone();
    tab.find_element(&cell_selector(&draft_row, &first.id))
        .unwrap()
        .click()
        .unwrap();
    let field = tab.wait_for_element("#verdict-comment").unwrap();
    field.click().unwrap();
    field.type_into("Check Art. 5 first").unwrap();

    tab.reload(false, None).unwrap();
    wait_ready(tab);
    tab.find_element(&cell_selector(&draft_row, &first.id))
        .unwrap()
        .click()
        .unwrap();
    tab.wait_for_element("#verdict-comment").unwrap();
    assert_eq!(
        eval(tab, "document.getElementById('verdict-comment').value"),
        serde_json::json!("Check Art. 5 first"),
        "the draft comment survives the reload"
    );
    assert_eq!(
        eval(
            tab,
            &format!(
                "document.querySelector('{}').classList.contains('v-Reviewed')",
                cell_selector(&agreement, &first.id)
            )
        ),
        serde_json::json!(true),
        "the grid marks the verdict after a reload"
    );
    assert_eq!(
        eval(tab, "document.getElementById('reviewer-name').value"),
        serde_json::json!("Ben")
    );

    // The reviewer sees that the latest verdicts are not in a saved file yet.
    let progress = "document.querySelector('.reviewer .progress').textContent";
    assert_eq!(
        eval(tab, progress),
        serde_json::json!("2 verdicts · changed since you last saved your review")
    );
    // Printed, the copy lists the reviewer's verdicts with their comments.
    let printed = eval(
        tab,
        "window.dispatchEvent(new Event('beforeprint')); \
         document.querySelector('.print-review').textContent",
    );
    let printed = printed.as_str().unwrap();
    assert!(printed.starts_with("Review by Ben"), "{printed}");
    assert!(printed.contains(": Disputed"), "{printed}");
    assert!(printed.contains("Unsure"), "{printed}");

    let review = save_review(&chromium);
    assert!(
        !eval(tab, progress)
            .as_str()
            .unwrap()
            .contains("changed since"),
        "saved: nothing is pending"
    );
    assert_eq!(review.reviewer, "Ben");
    assert_eq!(review.verdicts.len(), 2, "one verdict per cell");
    let on = |element: &ElementId| {
        review
            .verdicts
            .iter()
            .find(|v| &v.element == element)
            .unwrap()
    };
    assert_eq!(on(&first.id).status, VerdictStatus::Reviewed);
    assert_eq!(on(&first.id).comment, "Fine");
    assert_eq!(on(&last.id).status, VerdictStatus::Disputed);
    assert_eq!(on(&last.id).comment, "Unsure");
    for verdict in &review.verdicts {
        assert_eq!(
            verdict.fingerprint,
            cell_fingerprint(&project.cell(&verdict.agreement, &verdict.element))
        );
    }
}

#[test]
fn the_content_security_policy_refuses_the_network() {
    use headless_chrome::protocol::cdp::Network;
    use headless_chrome::protocol::cdp::types::Event;
    use std::sync::{Arc, Mutex};

    let dir = tempfile::tempdir().unwrap();
    let (_, path) = sample_copy(dir.path());
    let chromium = chromium();
    let tab = &chromium.tab;
    // Every request the page starts, every response, and every request blocked by the CSP.
    let log: Arc<Mutex<NetworkLog>> = Arc::default();
    let seen = Arc::clone(&log);
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let mut log = seen.lock().unwrap();
        match event {
            Event::NetworkRequestWillBeSent(sent) => log.requests.push((
                sent.params.request_id.clone(),
                sent.params.request.url.clone(),
            )),
            Event::NetworkResponseReceived(received) => {
                log.responses.push(received.params.response.url.clone());
            }
            Event::NetworkLoadingFailed(failed)
                if failed.params.blocked_reason == Some(Network::BlockedReason::Csp) =>
            {
                log.blocked_by_csp.push(failed.params.request_id.clone());
            }
            _ => {}
        }
    }))
    .unwrap();
    tab.call_method(Network::Enable {
        max_total_buffer_size: None,
        max_resource_buffer_size: None,
        max_post_data_size: None,
        report_direct_socket_traffic: None,
        enable_durable_messages: None,
    })
    .unwrap();
    open(tab, &file_url(&path));
    eval(
        tab,
        "window.violations = []; document.addEventListener('securitypolicyviolation', \
         e => window.violations.push(e.violatedDirective + ' ' + e.blockedURI)); true",
    );

    let fetched = eval(
        tab,
        "fetch('https://example.org/').then(() => 'fetched', e => 'refused: ' + e.name)",
    );
    assert_eq!(fetched, serde_json::json!("refused: TypeError"));
    eval(
        tab,
        "new Promise(done => { const i = new Image(); i.onload = i.onerror = () => done(true); \
         i.src = 'https://example.org/pixel.png'; document.body.appendChild(i); })",
    );
    // A script a hostile string might have smuggled in does not run either.
    eval(
        tab,
        "const s = document.createElement('script'); s.textContent = 'window.smuggled = true'; \
         document.body.appendChild(s); true",
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(
        eval(tab, "window.smuggled === true"),
        serde_json::json!(false)
    );
    let violations = eval(tab, "window.violations.join('\\n')");
    let violations = violations.as_str().unwrap();
    for directive in ["connect-src", "img-src", "script-src"] {
        assert!(
            violations.contains(directive),
            "{directive} in {violations}"
        );
    }
    let log = log.lock().unwrap();
    let remote = |url: &str| !(url.starts_with("file:") || url.starts_with("data:"));
    let short = |url: &String| url.chars().take(60).collect::<String>();
    assert!(
        log.requests.iter().any(|(_, url)| url.starts_with("file:")),
        "the Network domain saw the page load"
    );
    assert!(
        !log.responses.iter().any(|url| remote(url)),
        "answers from the network: {:?}",
        log.responses.iter().map(short).collect::<Vec<_>>()
    );
    for (id, url) in &log.requests {
        assert!(
            !remote(url) || log.blocked_by_csp.contains(id),
            "{} left the page without the CSP blocking it",
            short(url)
        );
    }
}

/// What the DevTools Network domain reported.
#[derive(Default)]
struct NetworkLog {
    requests: Vec<(String, String)>,
    responses: Vec<String>,
    blocked_by_csp: Vec<String>,
}

#[test]
fn a_saved_view_of_the_project_filters_the_grid_as_in_normgrid() {
    let dir = tempfile::tempdir().unwrap();
    let mut project = common::sample();
    let human_rights = element_named(&project, "Reference to Human Rights");
    let mut view = normgrid::model::SavedView::showing_everything(
        &project,
        normgrid::model::ViewId::new("rights-not-binding"),
        "Human rights, non-binding",
    );
    view.binding = Some(normgrid::model::Binding::NonBinding);
    view.column_filters.insert(
        human_rights.clone(),
        [Assessment::Yes, Assessment::Indirect]
            .into_iter()
            .collect(),
    );
    project.views.push(view);
    let path = dir.path().join("views-review.html");
    std::fs::write(
        &path,
        review_copy_html(&project, chrono::Utc::now(), &Default::default()).unwrap(),
    )
    .unwrap();
    let chromium = chromium();
    let tab = &chromium.tab;
    open(tab, &file_url(&path));

    let expected: Vec<String> = project
        .agreements
        .iter()
        .filter(|a| a.binding == normgrid::model::Binding::NonBinding)
        .filter(|a| {
            matches!(
                project.assessment(&a.id, &human_rights),
                Assessment::Yes | Assessment::Indirect
            )
        })
        .map(|a| a.id.as_str().to_owned())
        .collect();
    assert!(!expected.is_empty() && expected.len() < project.agreements.len());
    choose_saved_view(tab, "0");
    assert_eq!(visible_rows(tab), expected);
    tab.find_element("button.clear-filters, .controls button")
        .unwrap()
        .click()
        .unwrap();
    assert_eq!(visible_rows(tab).len(), project.agreements.len());
}

/// The rows `normgrid` shows for `view`, in its order.
fn app_rows(project: &Project, view: &normgrid::model::SavedView) -> Vec<String> {
    let columns = visible_columns(project, &view.hidden_frameworks(project));
    app_visible_rows(project, &view.query(project), &columns)
        .into_iter()
        .map(|id| id.as_str().to_owned())
        .collect()
}

#[test]
fn every_saved_view_and_sort_shows_the_apps_rows_in_the_apps_order() {
    use normgrid::model::{ColumnSort, RowOrder, SavedView, Space, ViewId};
    let dir = tempfile::tempdir().unwrap();
    let mut project = common::sample();
    let human_rights = element_named(&project, "Reference to Human Rights");
    let norms = project.frameworks[1].id.clone();
    let mut views = Vec::new();
    // Every toolbar sort, both ways, alone and under a column sort in each direction; one in
    // three shows only the norms, so the number of Yes counts other columns.
    for (at, order) in RowOrder::ALL.into_iter().enumerate() {
        for descending in [false, true] {
            for column in [None, Some(false), Some(true)] {
                let id = format!("{order:?}-{descending}-{column:?}").to_lowercase();
                let mut view = SavedView::showing_everything(&project, ViewId::new(&id), &id);
                view.sort = order;
                view.descending = descending;
                view.column_sort = column.map(|descending| ColumnSort {
                    element: human_rights.clone(),
                    descending,
                });
                if (at + usize::from(descending)) % 3 == 0 {
                    view.frameworks = vec![norms.clone()];
                }
                views.push(view);
            }
        }
    }
    // Filters the two sides used to read differently: a quote's locator and comment, a review
    // status (a cell shown only for its notes has none), a space and a column filter.
    let (agreement, element, _) = cell_with_evidence(&project);
    let cell = project.cell(&agreement, &element).clone();
    let excerpt = &cell.evidence[0];
    let mut filters = Vec::new();
    if !excerpt.locator.is_empty() {
        filters.push(("locator", excerpt.locator.clone()));
    }
    filters.push(("name", project.agreements[3].short_name.to_lowercase()));
    for (id, text) in filters {
        let mut view = SavedView::showing_everything(&project, ViewId::new(id), id);
        view.text = text;
        view.sort = RowOrder::Name;
        view.descending = true;
        views.push(view);
    }
    for status in ReviewStatus::ALL {
        let id = format!("review-{status:?}").to_lowercase();
        let mut view = SavedView::showing_everything(&project, ViewId::new(&id), &id);
        view.review = Some(status);
        view.sort = RowOrder::Space;
        views.push(view);
    }
    let mut view = SavedView::showing_everything(&project, ViewId::new("intl"), "intl");
    view.space = Some(Space::ALL[0]);
    view.column_filters.insert(
        human_rights.clone(),
        [Assessment::Yes, Assessment::NotAssessed]
            .into_iter()
            .collect(),
    );
    view.sort = RowOrder::Binding;
    views.push(view);
    project.views = views;

    let path = dir.path().join("sorted-review.html");
    std::fs::write(
        &path,
        review_copy_html(&project, chrono::Utc::now(), &Default::default()).unwrap(),
    )
    .unwrap();
    let chromium = chromium();
    let tab = &chromium.tab;
    open(tab, &file_url(&path));
    let file_order: Vec<String> = project
        .agreements
        .iter()
        .map(|a| a.id.as_str().to_owned())
        .collect();
    let mut reordered = 0;
    let mut filtered = 0;
    for (index, view) in project.views.iter().enumerate() {
        choose_saved_view(tab, &index.to_string());
        let expected = app_rows(&project, view);
        assert_eq!(visible_rows(tab), expected, "view {}", view.name);
        if expected.len() == file_order.len() && expected != file_order {
            reordered += 1;
        }
        if !expected.is_empty() && expected.len() < file_order.len() {
            filtered += 1;
        }
    }
    // The views really sort and really filter, so the comparison means something.
    assert!(reordered >= 30, "{reordered} views reordered the rows");
    assert!(filtered >= 3, "{filtered} views filtered the rows");
    // No view: the file's order again.
    choose_saved_view(tab, "");
    assert_eq!(visible_rows(tab), file_order);
}
