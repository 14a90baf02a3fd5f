//! Load and save of project files, against the floor ron itself sets and serde_json for context.
//!
//! Targets (issue #2): 1,000 × 60 project loads in ≤ 250 ms and ≤ 1.3× the bare ron parse,
//! saves (with fsync) in ≤ 400 ms, and is ≤ 16 MB; the sample loads in ≤ 5 ms, saves in ≤ 20 ms.
//! Issue 11: the sample with the 2019 report attached loads in ≤ 10 ms, and the 1,000 × 60
//! project (no sources) still loads in ≤ 1.3× the bare parse.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use normgrid::io::{load_project, project_to_ron, save_project};
use normgrid::model::Project;
use std::hint::black_box;
use std::time::Duration;

fn bench_project(c: &mut Criterion, name: &str, project: &Project, samples: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.ron");
    save_project(&path, project).expect("save");
    let text = std::fs::read_to_string(&path).expect("read");
    let json = serde_json::to_string(project).expect("json");
    eprintln!(
        "{name}: file is {} bytes ({:.2} MB); serde_json would be {:.2} MB",
        text.len(),
        text.len() as f64 / 1e6,
        json.len() as f64 / 1e6
    );

    let mut group = c.benchmark_group(name);
    group.sample_size(samples);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function(
        "load (normgrid: read, cap, version, parse, validate)",
        |b| {
            b.iter(|| load_project(black_box(&path)).expect("load"));
        },
    );
    group.bench_function("parse floor (bare ron::from_str)", |b| {
        b.iter(|| ron::from_str::<Project>(black_box(&text)).expect("parse"));
    });
    group.bench_function(
        "save (normgrid: serialize, temp, fsync, .bak, rename, fsync dir)",
        |b| {
            b.iter(|| save_project(black_box(&path), project).expect("save"));
        },
    );
    group.bench_function("serialize (normgrid canonical text only)", |b| {
        b.iter(|| project_to_ron(black_box(project)).expect("serialize"));
    });
    group.bench_function("serialize floor (bare ron::ser::to_string_pretty)", |b| {
        b.iter(|| {
            ron::ser::to_string_pretty(black_box(project), ron::ser::PrettyConfig::default())
                .expect("serialize")
        });
    });
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("context: serde_json::from_str", |b| {
        b.iter(|| serde_json::from_str::<Project>(black_box(&json)).expect("json parse"));
    });
    group.bench_function("context: serde_json::to_string", |b| {
        b.iter(|| serde_json::to_string(black_box(project)).expect("json"));
    });
    group.finish();
}

fn project_io(c: &mut Criterion) {
    let sample = normgrid::sample::bpf_2019().expect("sample").project;
    assert_eq!(
        sample.sources.len(),
        1,
        "the sample carries the 2019 report"
    );
    bench_project(c, "sample bpf-2019 with its report attached", &sample, 50);
    let large = normgrid::sample::synthetic_project(1000, 60, 200, 1);
    bench_project(c, "1000x60 with 200-char notes", &large, 10);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = project_io
}
criterion_main!(benches);
