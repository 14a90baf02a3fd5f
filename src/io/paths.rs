//! Checks that a command never writes over one of its own inputs, however the paths are spelt:
//! `./dir/../p.ron`, a symlink to the input, or a hard link to it.

use super::atomic::{backup_path, resolve_symlinks};
use std::path::{Path, PathBuf};

/// A file a command reads or writes, with the option or argument that named it.
#[derive(Clone, Copy, Debug)]
pub struct NamedPath<'a> {
    /// How the user named it, e.g. `--out` or `the project`.
    pub role: &'a str,
    /// The path as given.
    pub path: &'a Path,
}

impl<'a> NamedPath<'a> {
    /// A path and the option or argument it came from.
    pub fn new(role: &'a str, path: &'a Path) -> Self {
        Self { role, path }
    }
}

/// An output that is the same file as an input or as another output. Nothing was written.
#[derive(Debug, thiserror::Error)]
#[error(
    "{output_role} {output} is the same file as {other_role} {other}: {}. Nothing was written; \
     choose another file for {output_role}.",
    consequence(.verb)
)]
pub struct OutputClash {
    /// The option that names the output, e.g. `--out`.
    pub output_role: String,
    /// The output as given.
    pub output: PathBuf,
    /// The input (or earlier output) it clashes with, e.g. `the project`.
    pub other_role: String,
    /// That file as given.
    pub other: PathBuf,
    /// "reads" for an input, "writes" for another output.
    pub verb: &'static str,
}

fn consequence(verb: &str) -> &'static str {
    match verb {
        "reads" => "writing it would destroy an input of this command",
        "backs up" => "writing it would destroy the backup kept of that input",
        _ => "the two outputs would overwrite each other",
    }
}

/// Refuses when any output is the same file as an input, as an input's `.bak` (the backup
/// a save keeps beside the file a path finally names), or as an earlier output.
pub fn refuse_overwriting_inputs(
    outputs: &[NamedPath<'_>],
    inputs: &[NamedPath<'_>],
) -> Result<(), OutputClash> {
    let backups: Vec<(String, PathBuf)> = inputs
        .iter()
        .map(|input| {
            let real = resolve_symlinks(input.path).unwrap_or_else(|_| input.path.to_path_buf());
            (format!("the backup of {}", input.role), backup_path(&real))
        })
        .collect();
    for (n, output) in outputs.iter().enumerate() {
        let against_inputs = inputs
            .iter()
            .map(|input| (input.role.to_owned(), input.path, "reads"));
        let against_backups = backups
            .iter()
            .map(|(role, path)| (role.clone(), path.as_path(), "backs up"));
        let against_outputs = outputs[..n]
            .iter()
            .map(|earlier| (earlier.role.to_owned(), earlier.path, "writes"));
        for (other_role, other, verb) in
            against_inputs.chain(against_backups).chain(against_outputs)
        {
            if same_file(output.path, other) {
                return Err(OutputClash {
                    output_role: output.role.to_owned(),
                    output: output.path.to_path_buf(),
                    other_role,
                    other: other.to_path_buf(),
                    verb,
                });
            }
        }
    }
    Ok(())
}

/// True when writing `a` would change the file `b` names (or the other way round).
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(meta_a), Ok(meta_b)) = (std::fs::metadata(a), std::fs::metadata(b))
        && let Some(same) = same_inode(&meta_a, &meta_b)
    {
        return same;
    }
    normalized(a) == normalized(b)
}

#[cfg(unix)]
fn same_inode(a: &std::fs::Metadata, b: &std::fs::Metadata) -> Option<bool> {
    use std::os::unix::fs::MetadataExt;
    // Catches hard links, which no path comparison can.
    Some(a.dev() == b.dev() && a.ino() == b.ino())
}

#[cfg(not(unix))]
fn same_inode(_a: &std::fs::Metadata, _b: &std::fs::Metadata) -> Option<bool> {
    None
}

/// The absolute, link-free spelling of a path, also for a file that does not exist yet:
/// its folder is canonicalized and its name appended.
fn normalized(path: &Path) -> PathBuf {
    let real = resolve_symlinks(path).unwrap_or_else(|_| path.to_path_buf());
    if let Ok(canonical) = std::fs::canonicalize(&real) {
        return canonical;
    }
    let parent = match real.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (std::fs::canonicalize(parent), real.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => std::path::absolute(&real).unwrap_or(real),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_file_are_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.ron");
        std::fs::write(&file, "x").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let dotted = dir.path().join("sub/../p.ron");
        assert!(same_file(&file, &dotted));
        let new_a = dir.path().join("sub/../new.txt");
        let new_b = dir.path().join("new.txt");
        assert!(same_file(&new_a, &new_b), "files that do not exist yet");
        assert!(!same_file(&file, &new_b));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.ron");
            std::os::unix::fs::symlink("p.ron", &link).unwrap();
            assert!(same_file(&link, &file));
            let hard = dir.path().join("hard.ron");
            std::fs::hard_link(&file, &hard).unwrap();
            assert!(same_file(&hard, &file));
            let dangling = dir.path().join("dangling");
            std::os::unix::fs::symlink("later.txt", &dangling).unwrap();
            assert!(same_file(&dangling, &dir.path().join("later.txt")));
        }
    }

    #[test]
    fn an_output_may_not_be_an_input_or_another_output() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p.ron");
        std::fs::write(&project, "x").unwrap();
        let out = dir.path().join("out.csv");
        let inputs = [NamedPath::new("the project", &project)];
        assert!(refuse_overwriting_inputs(&[NamedPath::new("--out", &out)], &inputs).is_ok());
        let clash =
            refuse_overwriting_inputs(&[NamedPath::new("--out", &project)], &inputs).unwrap_err();
        assert_eq!(clash.verb, "reads");
        assert!(clash.to_string().starts_with("--out "), "{clash}");
        let twice = [
            NamedPath::new("--out", &out),
            NamedPath::new("--report", &out),
        ];
        let clash = refuse_overwriting_inputs(&twice, &inputs).unwrap_err();
        assert_eq!(
            (clash.output_role.as_str(), clash.verb),
            ("--report", "writes")
        );
        // The project's backup is an input too, existing or not.
        let backup = dir.path().join("p.ron.bak");
        let clash =
            refuse_overwriting_inputs(&[NamedPath::new("--out", &backup)], &inputs).unwrap_err();
        assert_eq!(clash.verb, "backs up");
        assert!(clash.to_string().contains("backup"), "{clash}");
    }
}
