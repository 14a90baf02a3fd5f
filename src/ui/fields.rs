//! Form fields shared by the panels.

use egui::{Response, TextEdit, Ui, WidgetText};

/// A text field with its label before it; the label names the field for screen readers and
/// for tests that find it as a person would.
pub fn labelled_text(ui: &mut Ui, label: impl Into<WidgetText>, edit: TextEdit<'_>) -> Response {
    let label = ui.label(label);
    ui.add(edit).labelled_by(label.id)
}
