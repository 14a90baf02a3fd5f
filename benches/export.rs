//! Exporting the heatmap as a whole CLI process, as a volunteer would before a meeting.
//! Targets (issue #4): ≤ 150 ms for the sample project, ≤ 1 s for 1,000 × 60.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed benchmark

use criterion::{Criterion, criterion_group, criterion_main};
use std::process::Command;
use std::time::Duration;

fn export(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let sample = dir.path().join("sample.ron");
    std::fs::write(&sample, normgrid::sample::BPF_2019_RON).unwrap();
    let large = dir.path().join("large.ron");
    normgrid::io::save_project(
        &large,
        &normgrid::sample::synthetic_project(1000, 60, 200, 1),
    )
    .unwrap();

    let mut group = c.benchmark_group("export heatmap (whole process)");
    group.sample_size(10);
    for (name, project) in [("sample", &sample), ("1000x60", &large)] {
        for extension in ["svg", "png"] {
            let out = dir.path().join(format!("{name}.{extension}"));
            group.bench_function(format!("{name} {extension}"), |b| {
                b.iter(|| {
                    let status = Command::new(env!("CARGO_BIN_EXE_normgrid"))
                        .args(["export", "chart", "--kind", "heatmap", "--out"])
                        .arg(&out)
                        .arg(project)
                        .output()
                        .unwrap();
                    assert!(
                        status.status.success(),
                        "{}",
                        String::from_utf8_lossy(&status.stderr)
                    );
                });
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    targets = export
}
criterion_main!(benches);
