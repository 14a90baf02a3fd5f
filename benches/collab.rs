//! Compare, merge and coder agreement on the sample and on a 1,000 × 60 project.
//!
//! Targets: on the sample every operation is well under a frame budget's worth of waiting
//! (≤ 20 ms); on 1,000 × 60 (60,000 cells with 200-character notes), a diff ≤ 500 ms, a
//! three-way merge with 6,000 edits and 300 conflicts ≤ 1 s, and coder agreement ≤ 200 ms.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use criterion::{Criterion, criterion_group, criterion_main};
use normgrid::collab::{Fallback, coder_agreement, diff_projects, merge_projects};
use normgrid::model::{Assessment, Project};
use std::collections::BTreeMap;
use std::hint::black_box;

/// `base` with every `step`-th cell (from `offset`) given another assessment and note.
fn edited(base: &Project, step: usize, offset: usize, who: &str) -> Project {
    let mut project = base.clone();
    let keys: Vec<_> = base
        .cells
        .iter()
        .map(|(a, e, c)| (a.clone(), e.clone(), c.clone()))
        .collect();
    for (a, e, mut cell) in keys.into_iter().skip(offset).step_by(step) {
        cell.assessment = match cell.assessment {
            Assessment::Yes => Assessment::No,
            _ => Assessment::Yes,
        };
        cell.note = format!("{who} changed this");
        cell.edited_by = who.to_owned();
        project.cells.set(&a, &e, cell);
    }
    project
}

fn bench_set(c: &mut Criterion, name: &str, base: &Project, samples: usize) {
    // Each side edits 1 cell in 10; every 200th cell is edited by both, differently.
    let ours = edited(base, 10, 0, "ana");
    let theirs = edited(base, 10, 5, "ben");
    let theirs = edited(&theirs, 200, 0, "ben");
    let result = merge_projects(Some(base), &ours, &theirs, &BTreeMap::new(), Fallback::Mark);
    eprintln!(
        "{name}: {} cells; merge took {} from ours, {} from theirs, {} conflicts",
        base.cells.len(),
        result.taken_from_ours,
        result.taken_from_theirs,
        result.conflicts.len()
    );
    let mut group = c.benchmark_group(name);
    group.sample_size(samples);
    group.bench_function("diff (base vs one side)", |b| {
        b.iter(|| diff_projects(black_box(base), black_box(&ours)));
    });
    group.bench_function("three-way merge", |b| {
        b.iter(|| {
            merge_projects(
                Some(black_box(base)),
                black_box(&ours),
                black_box(&theirs),
                &BTreeMap::new(),
                Fallback::Mark,
            )
        });
    });
    group.bench_function("coder agreement (two coders)", |b| {
        b.iter(|| {
            coder_agreement(&[
                ("ana".to_owned(), black_box(&ours)),
                ("ben".to_owned(), black_box(&theirs)),
            ])
        });
    });
    group.finish();
}

fn collab(c: &mut Criterion) {
    bench_set(
        c,
        "sample",
        &normgrid::sample::bpf_2019().unwrap().project,
        50,
    );
    bench_set(
        c,
        "1000x60",
        &normgrid::sample::synthetic_project(1000, 60, 200, 1),
        10,
    );
}

criterion_group!(benches, collab);
criterion_main!(benches);
