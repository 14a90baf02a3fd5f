//! The document model. Knows nothing of egui, files or dialogs.

mod agreement;
mod cell;
mod evidence;
mod framework;
mod ids;
mod initiative;
mod note;
mod project;
pub mod query;
mod source;
pub mod standard;
pub mod tally;
pub mod text;
pub mod validate;
mod view;

pub use agreement::{Agreement, Binding, Provision, Space};
pub use cell::{Assessment, Cell, CellMap, ReviewStatus, UniqueRows};
pub use evidence::{Excerpt, TextPosition};
pub use framework::{Element, Framework};
pub use ids::{
    AgreementId, ElementId, ExcerptId, FrameworkId, InitiativeId, NoteId, ProjectId, ProvisionId,
    SourceId, ViewId, closest_ids, slug_from_name,
};
pub use initiative::{Initiative, ProvisionLink, StakeholderGroup};
pub use note::{Note, NoteKind, NoteTarget};
pub use project::{FORMAT_VERSION, Project};
pub use query::{ColumnSort, RowOrder, RowQuery};
pub use source::{Source, SourceKind};
pub use tally::Tally;
pub use validate::Problem;
pub use view::{SavedView, new_view_id};
