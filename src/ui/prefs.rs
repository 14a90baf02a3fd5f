//! Preferences kept across sessions through eframe persistence. Documents never are: they live
//! only in their own files.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Key under which eframe stores the preferences.
pub const STORAGE_KEY: &str = "normgrid.prefs";
const MAX_RECENT: usize = 10;

/// What normgrid remembers between sessions.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Name recorded on edited cells and new notes.
    pub author: String,
    /// Most recently used first.
    pub recent_files: Vec<PathBuf>,
    pub show_cell_panel: bool,
    pub show_initiatives_panel: bool,
    pub show_norms_panel: bool,
    /// The reader panel: source texts beside the grid.
    pub show_reader: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            author: String::new(),
            recent_files: Vec::new(),
            show_cell_panel: true,
            show_initiatives_panel: false,
            show_norms_panel: false,
            show_reader: false,
        }
    }
}

impl Prefs {
    /// Moves `path` to the top of the recent files.
    pub fn remember_file(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent_files.retain(|p| p != &path);
        self.recent_files.insert(0, path);
        self.recent_files.truncate(MAX_RECENT);
    }

    /// The name to record, never empty.
    pub fn author_or_default(&self) -> &str {
        if self.author.trim().is_empty() {
            "Anonymous"
        } else {
            self.author.trim()
        }
    }
}
