//! CSV text as every export writes it: UTF-8 with a byte-order mark, CRLF, RFC 4180 quoting
//! by the `csv` crate, forbidden control characters replaced and the formula guard applied. A
//! leaf: it imports only the model's text rule, so any layer may write CSV.

use crate::model::text::without_forbidden_controls;
use std::borrow::Cow;

/// True when a spreadsheet would take `text` as a formula (`=`, `+`, `-`, `@`, tab or carriage
/// return first), or when `text` starts with the guard `'` itself, so that the guard can be
/// undone without guessing.
fn needs_formula_guard(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r', '\''])
}

/// `text` with the formula guard: one `'` in front when [`needs_formula_guard`]. Text that
/// already starts with `'` gets one more, so [`formula_unguarded`] can always strip exactly one.
pub fn formula_guarded(text: &str) -> Cow<'_, str> {
    if needs_formula_guard(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Undoes [`formula_guarded`]: strips exactly one leading `'`, if any.
pub fn formula_unguarded(text: &str) -> &str {
    text.strip_prefix('\'').unwrap_or(text)
}

/// A field as written: forbidden control characters replaced and the formula guard applied.
/// Quoting is left to the `csv` writer.
fn export_field(text: &str) -> Cow<'_, str> {
    match without_forbidden_controls(text) {
        Cow::Borrowed(clean) => formula_guarded(clean),
        Cow::Owned(clean) => Cow::Owned(formula_guarded(&clean).into_owned()),
    }
}

/// CSV text built row by row with the `csv` crate: UTF-8 with a byte-order mark (so Excel
/// reads it as UTF-8), CRLF line endings, RFC 4180 quoting, every field through the
/// formula guard.
pub struct CsvText {
    writer: csv::Writer<Vec<u8>>,
}

impl Default for CsvText {
    fn default() -> Self {
        Self::new()
    }
}

impl CsvText {
    /// An empty text that starts with the byte-order mark.
    pub fn new() -> Self {
        let writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            // Every caller writes rows of one width; flexible keeps the writer from failing.
            .flexible(true)
            .from_writer("\u{feff}".as_bytes().to_vec());
        Self { writer }
    }

    /// Appends one row.
    pub fn row<'a>(&mut self, fields: impl IntoIterator<Item = &'a str>) {
        // Writing to memory cannot fail, and with `flexible` no width check can either.
        let _always_ok = self
            .writer
            .write_record(fields.into_iter().map(|f| export_field(f).into_owned()));
    }

    /// The finished text.
    pub fn into_string(self) -> String {
        let bytes = self
            .writer
            .into_inner()
            .unwrap_or_else(|error| error.into_inner().get_ref().clone());
        // Only `&str` fields went in, so the bytes are UTF-8.
        String::from_utf8(bytes)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
    }
}

/// One CSV field as [`CsvText`] writes it, without the line ending: forbidden control
/// characters replaced, the formula guard applied, and quoted when needed.
pub fn csv_field(text: &str) -> String {
    let mut csv = CsvText::new();
    csv.row([text]);
    let line = csv.into_string();
    let line = line.strip_prefix('\u{feff}').unwrap_or(&line);
    let field = line.strip_suffix("\r\n").unwrap_or(line);
    // The writer quotes a lone empty field so the row is not blank; a field in a row is not.
    if field == "\"\"" {
        String::new()
    } else {
        field.to_owned()
    }
}
