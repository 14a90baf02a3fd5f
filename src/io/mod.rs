//! Reading and writing files. No GUI code here.

pub mod atomic;
pub mod project_file;

pub use atomic::{AtomicWriteError, backup_path, write_atomically};
pub use project_file::{
    LoadError, Loaded, MAX_FILE_BYTES, RECURSION_LIMIT, SaveError, load_project, parse_project,
    parse_project_bytes, project_to_ron, save_project,
};
