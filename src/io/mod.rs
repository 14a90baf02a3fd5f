//! Reading and writing files: the project file, its CSV form, attached originals, recovery
//! and the atomic write under them all. No GUI code here; the exports are in `export`.

pub mod atomic;
pub mod csv_export;
pub mod csv_import;
pub mod evidence_table;
pub mod originals;
pub mod paths;
pub mod project_file;
pub mod recovery;

pub use atomic::{AtomicWriteError, backup_path, resolve_symlinks, write_atomically};
pub use paths::{NamedPath, OutputClash, refuse_overwriting_inputs, same_file};
pub use project_file::{
    LoadError, Loaded, MAX_FILE_BYTES, RECURSION_LIMIT, SaveError, content_hash, load_project,
    parse_project, parse_project_bytes, project_to_ron, read_project_file, save_project,
};
