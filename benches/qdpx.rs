//! REFI-QDA export of the sample as a whole process, as a user runs it: start the binary,
//! read the project, resolve every quote, write the zip. Target: 100 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use std::process::Command;

fn export_sample_as_a_process(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let project = dir.path().join("bpf-2019.ron");
    let out = dir.path().join("bpf-2019.qdpx");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data/bpf-2019.ron"),
        &project,
    )
    .unwrap_or_else(|e| panic!("copy the sample: {e}"));
    let mut group = c.benchmark_group("qdpx");
    group.sample_size(30);
    group.bench_function("normgrid export qdpx (sample, whole process)", |b| {
        b.iter(|| {
            let status = Command::new(env!("CARGO_BIN_EXE_normgrid"))
                .args(["export", "qdpx", "--out"])
                .arg(&out)
                .arg(&project)
                .output()
                .unwrap_or_else(|e| panic!("run normgrid: {e}"));
            assert!(status.status.success(), "{status:?}");
        });
    });
    group.finish();
}

criterion_group!(benches, export_sample_as_a_process);
criterion_main!(benches);
