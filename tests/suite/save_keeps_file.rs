//! Saving keeps the file what it was: a symlink stays a link, permissions and owner stay,
//! a read-only file is refused, temp files of killed saves are cleaned up, and a file the
//! loader would refuse is never written.

#![cfg(unix)]

use normgrid::io::save_project;
use std::path::Path;
use std::process::Command;

use normgrid::io::{MAX_FILE_BYTES, SaveError, backup_path, load_project};
use std::os::unix::fs::{MetadataExt, PermissionsExt};

fn small_project(title: &str) -> normgrid::model::Project {
    normgrid::model::Project::new(title, chrono::NaiveDate::from_ymd_opt(2020, 3, 1).unwrap())
}

fn mode_of(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn saving_through_a_symlink_updates_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    let real = shared.join("real.ron");
    save_project(&real, &small_project("first")).unwrap();
    let first = std::fs::read(&real).unwrap();
    // A relative link through a second link: the whole chain is followed.
    let link = dir.path().join("link.ron");
    std::os::unix::fs::symlink("shared/real.ron", &link).unwrap();
    let link_to_link = dir.path().join("again.ron");
    std::os::unix::fs::symlink("link.ron", &link_to_link).unwrap();

    save_project(&link_to_link, &small_project("second")).unwrap();

    for path in [&link, &link_to_link] {
        assert!(
            std::fs::symlink_metadata(path)
                .unwrap()
                .file_type()
                .is_symlink(),
            "{} is still a link",
            path.display()
        );
    }
    assert_eq!(load_project(&real).unwrap().project.title, "second");
    assert_eq!(
        std::fs::read(backup_path(&real)).unwrap(),
        first,
        ".bak beside the target"
    );
    assert!(!backup_path(&link_to_link).exists());
    assert!(!backup_path(&link).exists());
}

#[test]
fn saving_keeps_the_permission_bits() {
    let dir = tempfile::tempdir().unwrap();
    for mode in [0o600, 0o640, 0o664, 0o700] {
        let path = dir.path().join(format!("private-{mode:o}.ron"));
        save_project(&path, &small_project("first")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        // As root (as in CI) the file can belong to someone else, and must go on doing so;
        // anyone else cannot give a file away, and the file stays theirs.
        let _ = std::os::unix::fs::chown(&path, Some(65534), Some(65534));
        let owner = std::fs::metadata(&path).unwrap().uid();
        let group = std::fs::metadata(&path).unwrap().gid();
        save_project(&path, &small_project("second")).unwrap();
        assert_eq!(mode_of(&path), mode, "{}", path.display());
        assert_eq!(std::fs::metadata(&path).unwrap().uid(), owner);
        assert_eq!(std::fs::metadata(&path).unwrap().gid(), group);
        assert_eq!(load_project(&path).unwrap().project.title, "second");
    }
}

#[test]
fn a_read_only_file_is_refused_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("final.ron");
    save_project(&path, &small_project("signed off")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&path).unwrap();

    // Tests run as root, which may write anywhere: the refusal must come from the mode bits.
    let error = save_project(&path, &small_project("changed")).unwrap_err();
    let text = error.to_string();
    assert!(text.contains(&path.display().to_string()), "{text}");
    assert!(text.contains("read-only"), "{text}");
    assert!(
        text.contains("Save As") && text.contains("chmod u+w"),
        "{text}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(mode_of(&path), 0o444);
    assert!(!backup_path(&path).exists());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["final.ron"]);
}

/// A PID that no process has: a child that has already exited.
#[cfg(target_os = "linux")]
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[cfg(target_os = "linux")] // liveness of a PID is read from /proc
#[test]
fn temp_files_of_killed_saves_are_cleaned_up_and_others_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    save_project(&path, &small_project("first")).unwrap();
    let dead = dead_pid();
    let plant = |name: &str| {
        let file = dir.path().join(name);
        std::fs::write(&file, b"half a save").unwrap();
        file
    };
    // Left by saves of this file whose process is gone.
    let stale = plant(&format!(".p.ron.{dead}.0badcafe.tmp"));
    let stale_backup = plant(&format!(".p.ron.{dead}.12345678.bak.tmp"));
    // A live process (PID 1 always is) may be saving right now: its temp file stays...
    let live = plant(".p.ron.1.deadbeef.tmp");
    // ...unless it is far too old to be a save in progress.
    let ancient = plant(".p.ron.1.feedf00d.tmp");
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&ancient)
        .unwrap()
        .set_modified(an_hour_ago)
        .unwrap();
    // Not ours to touch: another file's temp, and names that only look similar.
    let other_file = plant(&format!(".q.ron.{dead}.0badcafe.tmp"));
    let lookalike = plant(&format!(".p.ron.{dead}.notours.tmp"));
    let user_file = plant("p.ron.tmp");

    save_project(&path, &small_project("second")).unwrap();

    for gone in [&stale, &stale_backup, &ancient] {
        assert!(!gone.exists(), "{} should be removed", gone.display());
    }
    for kept in [&live, &other_file, &lookalike, &user_file] {
        assert!(kept.exists(), "{} should be kept", kept.display());
        assert_eq!(std::fs::read(kept).unwrap(), b"half a save");
    }
    assert_eq!(load_project(&path).unwrap().project.title, "second");
}

#[test]
fn a_project_the_loader_would_refuse_is_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ron");
    save_project(&path, &small_project("small")).unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut huge = small_project("huge");
    huge.description = "x".repeat(usize::try_from(MAX_FILE_BYTES).unwrap());
    let error = save_project(&path, &huge).unwrap_err();
    assert!(matches!(error, SaveError::TooLarge { .. }), "{error}");
    let text = error.to_string();
    assert!(
        text.contains("big.ron") && text.contains("unchanged"),
        "{text}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

/// Runs the real binary as the unprivileged user `nobody`, so that folder permissions apply
/// (root ignores them). Returns `None`, after saying so loudly, when that is impossible.
fn run_as_unprivileged(binary: &Path, args: &[&Path]) -> std::process::Output {
    let probe = tempfile::NamedTempFile::new().unwrap();
    let is_root = std::fs::metadata(probe.path()).unwrap().uid() == 0;
    let mut command = if !is_root {
        Command::new(binary)
    } else if Path::new("/usr/bin/setpriv").exists() {
        let mut command = Command::new("/usr/bin/setpriv");
        command
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(binary);
        command
    } else {
        // A skipped permission test would pass without testing anything: fail instead.
        panic!(
            "running as root and /usr/bin/setpriv (util-linux) is missing, so folder \
             permissions cannot apply: install util-linux (.ci/run does)"
        );
    };
    command.args(args).output().unwrap()
}

#[test]
fn a_save_into_a_read_only_folder_names_the_chosen_file_not_a_temp_file() {
    let dir = tempfile::tempdir().unwrap();
    // nobody must be able to reach the folder, run the binary and read the project.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let binary = dir.path().join("normgrid");
    std::fs::copy(env!("CARGO_BIN_EXE_normgrid"), &binary).unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    let path = locked.join("p.ron");
    save_project(&path, &small_project("kept")).unwrap();
    // The file itself is writable; only the folder is not, so the save cannot create its
    // temporary file there.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = std::fs::read(&path).unwrap();

    let output = run_as_unprivileged(&binary, &[Path::new("fmt"), &path]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("could not save {}", path.display())),
        "{stderr}"
    );
    assert!(
        !stderr.contains(".p.ron."),
        "names a temporary file: {stderr}"
    );
    assert!(stderr.contains("Save As"), "says what to do: {stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(std::fs::read_dir(&locked).unwrap().count(), 1);
}
