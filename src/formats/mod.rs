//! Leaf text formats that every layer may write (charts, collab, io, exports): markup escaping
//! and CSV text. They import nothing from the crate but the model's text rule, so using them
//! never runs an import up the layers.

pub mod csv_text;
pub mod markup;
