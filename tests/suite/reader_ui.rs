//! The Reader panel as a volunteer uses it: it shows the selected agreement's sources (here the
//! sample's 2019 report), finds words in it, turns a passage selected with the pointer into
//! evidence for the selected cell (one undo step), selects a cell from its highlight, and
//! scrolls to an excerpt from the cell panel's "Show in reader".

use egui::accesskit::Role;
use egui::{Event, Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use normgrid::model::{AgreementId, ElementId, Excerpt, SourceId};
use normgrid::sources::evidence::outline_of;

use crate::common;
use common::gui::{App, click, drag, harness, harness_as, settle};

const REPORT: &str = "bpf-2019-report";

fn paris() -> AgreementId {
    AgreementId::new("paris-call")
}

fn human_rights() -> ElementId {
    ElementId::new("ke-human-rights")
}

/// Selects Paris Call × Reference to Human Rights, as a click on it would.
fn select_paris_human_rights(harness: &mut App) {
    harness
        .state_mut()
        .view_mut()
        .select_cell(paris(), human_rights());
    settle(harness);
}

/// The sample with Paris Call / Reference to Human Rights selected and View → Reader panel on.
fn reader_on_paris_human_rights() -> App {
    let mut harness = harness();
    select_paris_human_rights(&mut harness);
    click(&mut harness, "View");
    click(&mut harness, "Reader panel");
    harness
}

fn search(harness: &mut App, query: &str) {
    harness.get_by_label("Search in source").focus();
    settle(harness);
    harness.get_by_label("Search in source").type_text(query);
    settle(harness);
}

/// "Hit 2 of 7" → (2, 7).
fn hit_position(harness: &App) -> (usize, usize) {
    let label = harness
        .query_all_by_role(Role::Label)
        .filter_map(|node| node.accesskit_node().value())
        .find(|value| value.starts_with("Hit "))
        .expect("the hit count shows");
    let words: Vec<&str> = label.split_whitespace().collect();
    match words.as_slice() {
        ["Hit", at, "of", count] => (at.parse().unwrap(), count.parse().unwrap()),
        _ => panic!("unexpected hit count {label:?}"),
    }
}

/// True when the reader draws this line of its text (each line in view is a label node, its
/// text the node's value; the search box and the cell panel's quotes are other nodes).
fn line_on_screen(harness: &App, line: &str) -> bool {
    harness
        .query_all_by_role(Role::Label)
        .filter_map(|node| node.accesskit_node().value())
        .any(|text| text == line)
}

/// The report's line holding the quote of Paris Call / Reference to Human Rights.
const SAME_RIGHTS_LINE: &str = "“We reaffirm that the same rights that people have offline";

fn paris_evidence(harness: &App) -> Vec<Excerpt> {
    harness
        .state()
        .project()
        .cell(&paris(), &human_rights())
        .evidence
}

/// The accessible name the reader gives an excerpt's highlight.
fn highlight_name(harness: &App, excerpt: &str) -> String {
    let project = harness.state().project();
    let agreement = project.agreement(&paris()).unwrap();
    let (_, element) = project.element(&human_rights()).unwrap();
    format!(
        "Quote for {} / {} ({excerpt})",
        agreement.short_name,
        element.display_name()
    )
}

#[test]
fn reader_shows_the_report_and_finds_words_in_it() {
    let mut harness = reader_on_paris_human_rights();
    let before = harness.state().project().clone();
    assert_eq!(
        harness.state().reader().source(),
        Some(&SourceId::new(REPORT)),
        "Paris Call has no text of its own: the project's report shows"
    );
    // The report's opening lines are drawn (and labelled) at the top.
    assert!(line_on_screen(
        &harness,
        "The IGF Secretariat has the honour to transmit this paper prepared by the 2019 Best Practice"
    ));
    assert!(
        !line_on_screen(&harness, SAME_RIGHTS_LINE),
        "the quote is far down the report"
    );
    search(&mut harness, "same rights");
    let (at, count) = hit_position(&harness);
    assert_eq!(at, 1);
    assert!(count > 0, "“same rights” is in the report");
    // The first hit is scrolled into view.
    assert!(
        line_on_screen(&harness, SAME_RIGHTS_LINE),
        "a line holding the hit is on screen"
    );
    if count > 1 {
        harness.key_press(Key::Enter);
        settle(&mut harness);
        assert_eq!(
            hit_position(&harness),
            (2, count),
            "Enter goes to the next hit"
        );
        harness.key_press_modifiers(Modifiers::SHIFT, Key::Enter);
        settle(&mut harness);
        assert_eq!(hit_position(&harness), (1, count), "Shift+Enter goes back");
    }
    click(&mut harness, "Next hit");
    assert_eq!(hit_position(&harness).0, if count > 1 { 2 } else { 1 });
    // Typing in the search box changed no cell.
    assert_eq!(harness.state().project(), &before);
}

/// Selects the line labelled `line` by dragging over it, from its first to its last character.
fn drag_over_line(harness: &mut App, line: &str) {
    let rect = harness.get_by_label(line).rect();
    drag(
        harness,
        rect.left_top() + egui::vec2(1.0, 3.0),
        rect.right_bottom() - egui::vec2(1.0, 3.0),
    );
}

#[test]
fn a_passage_selected_in_the_reader_becomes_evidence_and_undo_removes_it() {
    let mut harness = reader_on_paris_human_rights();
    let before = paris_evidence(&harness);
    let line = "The 2019 work track of the IGF Best Practice Forum on Cybersecurity identified spaces of norms";
    drag_over_line(&mut harness, line);
    let range = harness
        .state()
        .reader()
        .selected_range()
        .expect("the drag selected a passage");
    let text = &harness
        .state()
        .project()
        .source(&SourceId::new(REPORT))
        .unwrap()
        .text;
    assert_eq!(
        &text[range.clone()],
        line,
        "the drag selected the whole line"
    );

    let cell_name = "Use as evidence for Paris Call / ";
    harness.get_by_label_contains(cell_name).click();
    settle(&mut harness);
    let after = paris_evidence(&harness);
    assert_eq!(after.len(), before.len() + 1, "one excerpt was added");
    let added = after.last().unwrap();
    assert_eq!(added.exact, line, "the excerpt quotes the selected text");
    assert_eq!(
        added.source,
        Some(SourceId::new(REPORT)),
        "from the reader's source"
    );
    let position = added.position.expect("anchored by position");
    assert_eq!(position.start..position.end, range);
    let source = harness
        .state()
        .project()
        .source(&SourceId::new(REPORT))
        .unwrap()
        .clone();
    assert_eq!(
        added.locator,
        outline_of(&source).locator_of_range(position.start, position.end),
        "the locator is derived from the source's outline"
    );
    assert!(
        !added.prefix.is_empty() && !added.suffix.is_empty(),
        "with its context"
    );
    assert_eq!(added.added_by, "Tester", "signed with the editor's name");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(
        paris_evidence(&harness),
        before,
        "Ctrl+Z removes it in one step"
    );

    // The shortcut from the command table does the same.
    drag_over_line(&mut harness, line);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    settle(&mut harness);
    let again = paris_evidence(&harness);
    assert_eq!(again.len(), before.len() + 1, "Ctrl+E added the excerpt");
    assert_eq!(again.last().unwrap().exact, line);
}

#[test]
fn without_a_selected_passage_or_in_review_mode_nothing_becomes_evidence() {
    let mut harness = reader_on_paris_human_rights();
    let before = harness.state().project().clone();
    let use_as_evidence = "Use as evidence for Paris Call / ";
    assert!(
        harness
            .get_by_label_contains(use_as_evidence)
            .accesskit_node()
            .is_disabled(),
        "disabled while nothing is selected in the text"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    settle(&mut harness);
    assert_eq!(
        harness.state().project(),
        &before,
        "nothing selected: no edit"
    );

    let line = "The 2019 work track of the IGF Best Practice Forum on Cybersecurity identified spaces of norms";
    drag_over_line(&mut harness, line);
    assert!(
        !harness
            .get_by_label_contains(use_as_evidence)
            .accesskit_node()
            .is_disabled(),
        "enabled once a passage is selected"
    );
    click(&mut harness, "Review");
    click(&mut harness, "Review mode (content locked)");
    assert!(
        harness
            .get_by_label_contains(use_as_evidence)
            .accesskit_node()
            .is_disabled(),
        "disabled in Review mode"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    settle(&mut harness);
    assert_eq!(
        harness.state().project(),
        &before,
        "Review mode locks the content"
    );
}

#[test]
fn clicking_a_highlight_selects_its_cell() {
    let mut harness = reader_on_paris_human_rights();
    let excerpt = paris_evidence(&harness)[0].id.clone();
    search(&mut harness, "We reaffirm that the same rights");
    assert!(line_on_screen(&harness, SAME_RIGHTS_LINE));
    // Another cell is selected now; the report stays open at the hit.
    let other = harness.state().project().agreements[0].id.clone();
    assert_ne!(other, paris());
    harness
        .state_mut()
        .view_mut()
        .select_cell(other.clone(), human_rights());
    settle(&mut harness);
    let name = highlight_name(&harness, excerpt.as_str());
    harness.get_by_label(&name).click();
    settle(&mut harness);
    let selection = &harness.state().view().selection;
    assert_eq!(selection.agreement, Some(paris()));
    assert_eq!(selection.element, Some(human_rights()));
}

#[test]
fn show_in_reader_scrolls_to_the_excerpt() {
    let mut harness = harness();
    select_paris_human_rights(&mut harness);
    let excerpt = paris_evidence(&harness)[0].clone();
    let name = highlight_name(&harness, excerpt.id.as_str());
    assert!(
        harness.query_by_label(&name).is_none(),
        "the reader is closed"
    );
    harness
        .get_all_by_label("Show in reader")
        .next()
        .expect("the excerpt has a Show in reader button")
        .scroll_to_me();
    settle(&mut harness);
    harness
        .get_all_by_label("Show in reader")
        .next()
        .unwrap()
        .click();
    settle(&mut harness);
    assert_eq!(
        harness.state().reader().source(),
        Some(&SourceId::new(REPORT))
    );
    assert!(
        harness.query_by_label(&name).is_some(),
        "the excerpt's highlight is on screen"
    );
    assert!(
        line_on_screen(&harness, &format!("“{}", excerpt.exact)),
        "its text is on screen"
    );
    assert!(
        harness.state().view().reveal_excerpt.is_none(),
        "the request was taken"
    );
}

#[test]
fn each_excerpt_in_the_cell_panel_shows_its_check() {
    let mut harness = harness();
    select_paris_human_rights(&mut harness);
    let verified = harness.query_all_by_label("● verified").count();
    assert_eq!(
        verified,
        paris_evidence(&harness).len(),
        "both quotes of Paris Call / Human Rights are verified against the report"
    );
}

#[test]
fn search_in_all_sources_lists_hits_by_agreement_and_opens_one() {
    let mut harness = harness();
    let mut project = harness.state().project().clone();
    let own = SourceId::new("paris-call-text");
    project.sources.push(normgrid::model::Source {
        id: own.clone(),
        agreement: Some(paris()),
        title: "Paris Call (text)".to_owned(),
        file_name: String::new(),
        kind: normgrid::model::SourceKind::Text,
        url: String::new(),
        retrieved: None,
        sha256: String::new(),
        pages: Vec::new(),
        text: "Preamble\nArticle 7 - Rights online\nThe same rights that people have offline \
               must also be protected online.\n"
            .to_owned(),
    });
    harness.state_mut().show_project(project);
    settle(&mut harness);
    select_paris_human_rights(&mut harness);
    click(&mut harness, "View");
    click(&mut harness, "Reader panel");
    assert_eq!(
        harness.state().reader().source(),
        Some(&own),
        "the agreement's own text comes first"
    );
    // The report is offered too: the dropdown switches to it.
    click(&mut harness, "Source");
    click(
        &mut harness,
        "BPF Cybersecurity 2019 output report (text) (project)",
    );
    assert_eq!(
        harness.state().reader().source(),
        Some(&SourceId::new(REPORT))
    );

    click(&mut harness, "All sources");
    search(&mut harness, "same rights");
    let listed: Vec<String> = harness
        .query_all_by_label_contains("«same rights»")
        .filter_map(|node| node.accesskit_node().label())
        .collect();
    assert!(listed.len() >= 2, "hits in both sources: {listed:?}");
    let in_paris_text = listed
        .iter()
        .find(|label| label.starts_with("Art. 7: "))
        .expect("the hit in Paris Call's text, with its locator");
    harness.get_by_label(in_paris_text).click();
    settle(&mut harness);
    assert_eq!(
        harness.state().reader().source(),
        Some(&own),
        "the hit opened its source"
    );
    assert_eq!(hit_position(&harness), (1, 1));
}

#[test]
fn at_1280_by_800_the_reader_leaves_the_key_element_columns_in_view() {
    let harness = reader_on_paris_human_rights();
    let text_left = harness
        .query_all_by_role(Role::Label)
        .find(|node| {
            node.accesskit_node().value().as_deref()
                == Some(
                    "The IGF Secretariat has the honour to transmit this paper prepared by the 2019 Best Practice",
                )
        })
        .expect("the reader shows the report")
        .rect()
        .left();
    let project = harness.state().project();
    let key_elements = &project.frameworks[0].elements;
    assert!(key_elements.len() > 5);
    for element in key_elements {
        let header = harness
            .get_by_role_and_label(Role::ColumnHeader, &element.display_name())
            .rect();
        assert!(
            header.right() <= text_left,
            "{} ends at x = {}, under the reader (text from x = {text_left})",
            element.display_name(),
            header.right()
        );
    }
}

#[test]
fn clicking_a_heading_in_the_outline_scrolls_the_text_there() {
    let mut harness = reader_on_paris_human_rights();
    let source = harness
        .state()
        .project()
        .source(&SourceId::new(REPORT))
        .unwrap()
        .clone();
    let outline = outline_of(&source);
    // The last top-level heading: far down the report, listed without unfolding anything.
    let heading = outline
        .headings()
        .iter()
        .rev()
        .find(|h| h.parent.is_none() && !h.title.trim().is_empty())
        .expect("the report has headings")
        .clone();
    let line = source.text[heading.start..]
        .lines()
        .next()
        .unwrap()
        .to_owned();
    assert!(!line_on_screen(&harness, &line), "the heading is far down");
    harness
        .query_all_by_role(Role::Button)
        .find(|node| {
            node.accesskit_node()
                .label()
                .is_some_and(|label| label.ends_with(heading.title.trim()))
        })
        .expect("the outline lists the heading")
        .click();
    settle(&mut harness);
    assert!(line_on_screen(&harness, &line), "{line:?} is on screen");
}

#[test]
fn a_first_time_editor_is_asked_for_a_name_and_the_excerpt_carries_it() {
    let mut harness = harness_as(normgrid::ui::StartupOptions::default(), "");
    select_paris_human_rights(&mut harness);
    click(&mut harness, "View");
    click(&mut harness, "Reader panel");
    let before = paris_evidence(&harness);
    let line = "The 2019 work track of the IGF Best Practice Forum on Cybersecurity identified spaces of norms";
    drag_over_line(&mut harness, line);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    settle(&mut harness);
    assert!(harness.state().modal().is_some(), "Who is editing?");
    assert_eq!(
        paris_evidence(&harness),
        before,
        "the excerpt waits for the name"
    );
    harness.event(Event::Text("Rae Reader".to_owned()));
    settle(&mut harness);
    harness.key_press(Key::Enter);
    settle(&mut harness);
    let after = paris_evidence(&harness);
    assert_eq!(after.len(), before.len() + 1);
    let added = after.last().unwrap();
    assert_eq!(added.exact, line);
    assert_eq!(added.added_by, "Rae Reader");
}

#[test]
fn shift_arrows_select_from_the_caret_and_ctrl_e_makes_the_passage_evidence() {
    let mut harness = reader_on_paris_human_rights();
    let before = paris_evidence(&harness);
    let line = "The 2019 work track of the IGF Best Practice Forum on Cybersecurity identified spaces of norms";
    // A click puts the caret at the line's start; the keyboard does the rest.
    let rect = harness.get_by_label(line).rect();
    common::gui::click_at(&mut harness, rect.left_center() + egui::vec2(1.0, 0.0));
    assert!(harness.state().reader().selected_range().is_none());
    harness.key_press_modifiers(Modifiers::SHIFT, Key::End);
    settle(&mut harness);
    let text = harness
        .state()
        .project()
        .source(&SourceId::new(REPORT))
        .unwrap()
        .text
        .clone();
    let range = harness
        .state()
        .reader()
        .selected_range()
        .expect("Shift+End selected to the end of the line");
    assert_eq!(&text[range.clone()], line);
    // Shift+Left twice takes back "ms"; Shift+Right once gives back "m".
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowLeft);
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    settle(&mut harness);
    let range = harness.state().reader().selected_range().unwrap();
    assert_eq!(&text[range], &line[..line.len() - 1]);
    // The grid kept its cell: the arrows went to the text, not to the grid.
    assert_eq!(harness.state().view().selection.agreement, Some(paris()));
    harness.key_press_modifiers(Modifiers::SHIFT, Key::ArrowRight);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::E);
    settle(&mut harness);
    let after = paris_evidence(&harness);
    assert_eq!(after.len(), before.len() + 1, "Ctrl+E added the passage");
    assert_eq!(after.last().unwrap().exact, line);
}
