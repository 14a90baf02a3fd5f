//! The editor under egui_kittest, shared by the GUI tests: a 1280×800 window whose edits are
//! signed with a name, so no test meets the "Who is editing?" prompt unless it asks for it.

use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use normgrid::model::{AgreementId, Cell, ElementId};
use normgrid::ui::{AppEvent, NormgridApp, StartupOptions};

/// The app as the tests drive it.
pub type App = Harness<'static, NormgridApp>;

/// The app started with `options`, signing edits as `author`, run until it is still.
pub fn harness_as(options: StartupOptions, author: &str) -> App {
    let author = author.to_owned();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(64)
        .build_eframe(move |cc| {
            let mut app = NormgridApp::new(cc, &options);
            app.prefs_mut().author = author;
            app
        });
    settle(&mut harness);
    harness
}

/// The app started with `options`, signing edits as "Tester".
pub fn harness_with(options: StartupOptions) -> App {
    harness_as(options, "Tester")
}

/// The app on the built-in sample, signing edits as "Tester".
pub fn harness() -> App {
    harness_with(StartupOptions::default())
}

/// Runs frames until the UI is still (animations, popups). A UI that keeps asking for an
/// immediate repaint within the step budget fails the test, naming what kept repainting:
/// carrying on would assert against a half-drawn frame.
#[track_caller]
pub fn settle<State: 'static>(harness: &mut Harness<'_, State>) {
    if let Err(error) = harness.try_run() {
        panic!("the UI never went idle: {error}");
    }
    // The app checks quotes on a worker when that takes a while (a loaded machine, a big
    // project): wait for the checks, as a person waits for the status bar's counts.
    let checking = |harness: &Harness<'_, State>| {
        (harness.state() as &dyn std::any::Any)
            .downcast_ref::<NormgridApp>()
            .is_some_and(NormgridApp::checking_quotes)
    };
    if checking(harness) {
        let start = std::time::Instant::now();
        while checking(harness) {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(120),
                "the quotes were never checked"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
            harness.step();
        }
        if let Err(error) = harness.try_run() {
            panic!("the UI never went idle: {error}");
        }
    }
}

/// Queues `event`, as a panel or a dialog would, and lets the UI settle.
#[track_caller]
pub fn send(harness: &mut App, event: AppEvent) {
    harness.state_mut().send(event);
    settle(harness);
}

/// The cell of the open project at (`agreement`, `element`), by id.
pub fn cell(harness: &App, agreement: &str, element: &str) -> Cell {
    harness
        .state()
        .project()
        .cell(&AgreementId::new(agreement), &ElementId::new(element))
}

/// Clicks the widget labelled `label`, as a person would, and lets the UI settle.
#[track_caller]
pub fn click(harness: &mut App, label: &str) {
    harness.get_by_label(label).click();
    settle(harness);
}

/// Opens the Initiatives panel, selects `agreement`'s row and adds an initiative, as a person
/// would; returns the new initiative.
pub fn add_initiative_for(harness: &mut App, agreement: &str) -> normgrid::model::Initiative {
    click(harness, "View");
    click(harness, "Initiatives panel");
    harness
        .get_by_role_and_label(egui::accesskit::Role::RowHeader, agreement)
        .click();
    settle(harness);
    click(harness, "Add initiative");
    harness
        .state()
        .project()
        .initiatives
        .last()
        .expect("Add initiative adds one")
        .clone()
}

/// Adds an agreement the way a person does: Add agreement, type its name into the prompt,
/// Enter. Returns the new agreement's id.
pub fn add_agreement_named(harness: &mut App, name: &str) -> AgreementId {
    let before: Vec<AgreementId> = harness
        .state()
        .project()
        .agreements
        .iter()
        .map(|a| a.id.clone())
        .collect();
    click(harness, "Add agreement");
    harness
        .get_by_label("Name of the new agreement")
        .type_text(name);
    settle(harness);
    harness.key_press(egui::Key::Enter);
    settle(harness);
    harness
        .state()
        .project()
        .agreements
        .iter()
        .map(|a| a.id.clone())
        .find(|id| !before.contains(id))
        .expect("the prompt added an agreement")
}

/// Drags with the primary button from `from` to `to`, a few frames apart, as a hand would.
pub fn drag(harness: &mut App, from: Pos2, to: Pos2) {
    harness.event(Event::PointerMoved(from));
    harness.step();
    harness.event(Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    harness.step();
    for step in 1..=4 {
        let t = step as f32 / 4.0;
        harness.event(Event::PointerMoved(from + (to - from) * t));
        harness.step();
    }
    harness.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    settle(harness);
}

/// Clicks the primary button at `at`, as a hand would.
pub fn click_at(harness: &mut App, at: Pos2) {
    harness.event(Event::PointerMoved(at));
    harness.step();
    for pressed in [true, false] {
        harness.event(Event::PointerButton {
            pos: at,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        harness.step();
    }
    settle(harness);
}

/// Answers File → New's questions: `title`, both standard frameworks, Create.
pub fn create_project(harness: &mut App, title: &str) {
    harness
        .get_by_label("Title of the new project")
        .type_text(title);
    settle(harness);
    click(harness, "Create");
}
