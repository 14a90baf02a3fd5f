//! The review copy in headless Chromium: from navigation to `normgrid-interactive` (the page's
//! own performance mark) for the sample and a 1000 × 60 project, and filtering one column of
//! the 1000 × 60 grid and clearing that filter. Times are the page's `performance` clock, not the DevTools round trip.
//! Needs Debian's chromium at /usr/bin/chromium.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed bench

use criterion::{Criterion, criterion_group, criterion_main};
use headless_chrome::{Browser, LaunchOptions, Tab};
use normgrid::export::review_copy::review_copy_html;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

const CHROMIUM: &str = "/usr/bin/chromium";

fn browser(profile: &Path) -> Browser {
    let args: Vec<&OsStr> = [
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-gpu",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    Browser::new(LaunchOptions {
        headless: true,
        sandbox: false,
        path: Some(PathBuf::from(CHROMIUM)),
        user_data_dir: Some(profile.to_path_buf()),
        window_size: Some((1280, 800)),
        args,
        idle_browser_timeout: Duration::from_secs(300),
        ..LaunchOptions::default()
    })
    .unwrap()
}

fn eval(tab: &Tab, expression: &str) -> serde_json::Value {
    tab.evaluate(expression, true)
        .unwrap()
        .value
        .unwrap_or_default()
}

/// Loads `url` and returns the page's time from navigation start to `normgrid-interactive`.
fn load(tab: &Tab, url: &str) -> Duration {
    tab.navigate_to(url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    let mark = "new Promise(done => { const poll = () => { \
                const m = performance.getEntriesByName('normgrid-interactive')[0]; \
                m ? done(m.startTime) : setTimeout(poll, 5); }; poll(); })";
    let millis = eval(tab, mark).as_f64().unwrap();
    Duration::from_secs_f64(millis / 1000.0)
}

fn write_copy(dir: &Path, name: &str, project: &normgrid::model::Project) -> String {
    let path = dir.join(name);
    let html = review_copy_html(project, chrono::Utc::now(), &Default::default()).unwrap();
    std::fs::write(&path, &html).unwrap();
    eprintln!("{name}: {} bytes", html.len());
    format!("file://{}", path.display())
}

fn review_copy(c: &mut Criterion) {
    assert!(
        Path::new(CHROMIUM).exists(),
        "install Debian's chromium: apt-get install chromium (.ci/run does)"
    );
    let dir = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let sample = normgrid::sample::bpf_2019().unwrap().project;
    let large = normgrid::sample::synthetic_project(1000, 60, 40, 1);
    let sample_url = write_copy(dir.path(), "sample.html", &sample);
    let large_url = write_copy(dir.path(), "large.html", &large);
    let browser = browser(profile.path());
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(60));

    let mut group = c.benchmark_group("review_copy");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("interactive_sample", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| load(&tab, &sample_url)).sum());
    });
    group.bench_function("interactive_1000x60", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| load(&tab, &large_url)).sum());
    });
    load(&tab, &large_url);
    // One column filtered to Yes, then cleared; each timed up to the layout it forces, and
    // after the page has settled the rows below the first screenful.
    let timed = |value: &str| {
        format!(
            "(async () => {{ const s = document.querySelector('select.col-filter'); \
             s.value = '{value}'; const t0 = performance.now(); \
             s.dispatchEvent(new Event('change')); void document.body.offsetHeight; \
             const t = performance.now() - t0; \
             for (let i = 0; i < 20; i++) await new Promise(r => requestAnimationFrame(r)); \
             return t; }})()"
        )
    };
    let (apply, clear) = (timed("Yes"), timed(""));
    group.bench_function("filter_column_1000x60", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    let took = eval(&tab, &apply).as_f64().unwrap();
                    eval(&tab, &clear);
                    Duration::from_secs_f64(took / 1000.0)
                })
                .sum()
        });
    });
    group.bench_function("clear_column_filter_1000x60", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    eval(&tab, &apply);
                    let took = eval(&tab, &clear).as_f64().unwrap();
                    Duration::from_secs_f64(took / 1000.0)
                })
                .sum()
        });
    });
    group.finish();
}

criterion_group!(benches, review_copy);
criterion_main!(benches);
