//! A save killed at a random moment leaves either the old file or the new one, byte for byte.
//!
//! The test re-runs its own binary as the child that saves, and kills it with SIGKILL.

use normgrid::io::{project_to_ron, save_project};
use normgrid::sample::synthetic_project;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const CHILD_ENV: &str = "NORMGRID_CRASH_CHILD_TARGET";
const CHILD_VARIANT_ENV: &str = "NORMGRID_CRASH_CHILD_VARIANT";

fn version(variant: u64) -> normgrid::model::Project {
    synthetic_project(150, 30, 120, variant)
}

/// In the child process: saves version `variant` over the target, then exits.
#[test]
fn crash_child_saver() {
    let (Ok(target), Ok(variant)) = (std::env::var(CHILD_ENV), std::env::var(CHILD_VARIANT_ENV))
    else {
        return; // Only does work when spawned by the test below.
    };
    let variant: u64 = variant.parse().unwrap();
    save_project(Path::new(&target), &version(variant)).unwrap();
}

fn spawn_saver(target: &Path, variant: u64) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "crash_safe_save::crash_child_saver",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env(CHILD_ENV, target)
        .env(CHILD_VARIANT_ENV, variant.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn save_killed_at_random_moments_leaves_old_or_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let target: PathBuf = dir.path().join("shared.ron");
    let texts: Vec<String> = (0..2)
        .map(|v| project_to_ron(&version(v)).unwrap())
        .collect();
    assert_ne!(texts[0], texts[1]);
    std::fs::write(&target, &texts[0]).unwrap();

    // How long a whole child run takes, so kills land before, during and after the save.
    let started = Instant::now();
    assert!(spawn_saver(&target, 1).wait().unwrap().success());
    let full_run = started.elapsed();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), texts[1]);

    let mut rng = fastrand::Rng::with_seed(0x6e67);
    let (mut old_seen, mut new_seen) = (0, 0);
    for round in 0..60 {
        let current = std::fs::read_to_string(&target).unwrap();
        let next = if current == texts[0] { 1 } else { 0 };
        let mut child = spawn_saver(&target, next);
        let delay = full_run.mul_f64(rng.f64() * 1.2);
        std::thread::sleep(delay);
        child.kill().ok(); // SIGKILL; may already have exited
        child.wait().unwrap();

        let after = std::fs::read_to_string(&target).unwrap();
        if after == texts[next as usize] {
            new_seen += 1;
        } else if after == current {
            old_seen += 1;
        } else {
            panic!("round {round}: file is neither old nor new after kill at {delay:?}");
        }
    }
    assert!(old_seen + new_seen == 60);
    eprintln!(
        "killed saves: {old_seen} left the old file, {new_seen} the new (full run {full_run:?})"
    );
}
