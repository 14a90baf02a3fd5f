//! CPU time of one whole UI frame, headless: layout and tessellation at 1280×800, no GPU.
//!
//! Targets (issue #3): ≤ 1 ms for the sample, ≤ 3 ms for 1,000 × 60, and 10,000 rows at most
//! 1.2× the cost of 1,000 rows (rows and columns are virtualised).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed benchmark

use criterion::{Criterion, criterion_group, criterion_main};
use normgrid::model::{Assessment, Project};
use normgrid::ui::prefs::Prefs;
use normgrid::ui::view::RowQuery;
use normgrid::ui::{NormgridApp, StartupOptions, install_fonts};
use std::hint::black_box;
use std::time::Duration;

fn frame_input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    }
}

fn app_for(project: Option<Project>, accesskit: bool) -> (egui::Context, NormgridApp) {
    let ctx = egui::Context::default();
    install_fonts(&ctx);
    if accesskit {
        ctx.enable_accesskit();
    }
    let mut app = NormgridApp::with_prefs(Prefs::default(), &StartupOptions::default());
    if let Some(project) = project {
        app.show_project(project);
    }
    // Warm the caches a real session has after its first frames (fonts, galleys, row order).
    for _ in 0..5 {
        let mut output = ctx.run_ui(frame_input(), |ui| app.draw(ui));
        output.textures_delta.clear(); // no GPU takes them; debug builds check
        let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
    }
    (ctx, app)
}

fn bench_frame(c: &mut Criterion, name: &str, project: Option<&Project>) {
    bench_frame_with(c, name, project, &RowQuery::default());
}

/// Like `bench_frame`, with rows sorted and filtered by `query` (as header clicks would).
fn bench_frame_with(c: &mut Criterion, name: &str, project: Option<&Project>, query: &RowQuery) {
    let mut group = c.benchmark_group("frame 1280x800");
    for (accesskit, suffix) in [(false, ""), (true, " +accesskit")] {
        let (ctx, mut app) = app_for(project.cloned(), accesskit);
        if *query != RowQuery::default() {
            app.view_mut().query = query.clone();
            let mut output = ctx.run_ui(frame_input(), |ui| app.draw(ui));
            output.textures_delta.clear(); // no GPU takes them; debug builds check
            let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
        }
        group.bench_function(format!("{name}{suffix}"), |b| {
            b.iter(|| {
                let mut output = ctx.run_ui(frame_input(), |ui| app.draw(ui));
                output.textures_delta.clear(); // no GPU takes them; debug builds check
                black_box(ctx.tessellate(output.shapes, output.pixels_per_point));
            });
        });
    }
    group.finish();
}

fn frames(c: &mut Criterion) {
    bench_frame(c, "sample 20x21", None);
    bench_frame(
        c,
        "1000x60",
        Some(&normgrid::sample::synthetic_project(1000, 60, 200, 1)),
    );
    // Sorted by one column and filtered by another: the rows are rebuilt once, not per frame.
    let big = normgrid::sample::synthetic_project(1000, 60, 200, 1);
    let mut query = RowQuery::default();
    let elements: Vec<_> = big.frameworks[0]
        .elements
        .iter()
        .map(|e| e.id.clone())
        .collect();
    if let [first, second, ..] = elements.as_slice() {
        query.cycle_column_sort(first);
        query.toggle_column_filter(second, Assessment::Yes);
        query.toggle_column_filter(second, Assessment::No);
    }
    bench_frame_with(c, "1000x60 sorted+filtered", Some(&big), &query);
    bench_frame(
        c,
        "10000x60",
        Some(&normgrid::sample::synthetic_project(10_000, 60, 200, 1)),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = frames
}
criterion_main!(benches);
