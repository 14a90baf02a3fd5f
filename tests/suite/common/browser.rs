//! Debian's Chromium, headless, driven over the DevTools protocol: for the review copy's tests.

use headless_chrome::protocol::cdp::Browser::{
    SetDownloadBehavior, SetDownloadBehaviorBehaviorOption,
};
use headless_chrome::{Browser, LaunchOptions, Tab};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Where Debian installs Chromium.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// A headless Chromium with its own profile (so no test sees another's local storage) and a
/// folder that downloads go to.
pub struct Chromium {
    pub browser: Browser,
    pub tab: Arc<Tab>,
    pub downloads: tempfile::TempDir,
    _profile: tempfile::TempDir,
}

/// Starts Chromium; fails with what to install when it is missing.
pub fn chromium() -> Chromium {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: install Debian's chromium: apt-get install chromium (.ci/run does)"
    );
    let profile = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
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
    let options = LaunchOptions {
        headless: true,
        sandbox: false,
        path: Some(PathBuf::from(CHROMIUM)),
        user_data_dir: Some(profile.path().to_path_buf()),
        window_size: Some((1280, 800)),
        args,
        idle_browser_timeout: Duration::from_secs(120),
        ..LaunchOptions::default()
    };
    let browser = Browser::new(options).unwrap();
    let tab = browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(20));
    tab.call_method(SetDownloadBehavior {
        behavior: SetDownloadBehaviorBehaviorOption::Allow,
        browser_context_id: None,
        download_path: Some(downloads.path().display().to_string()),
        events_enabled: None,
    })
    .unwrap();
    Chromium {
        browser,
        tab,
        downloads,
        _profile: profile,
    }
}

/// `file://` URL of a local file.
pub fn file_url(path: &Path) -> String {
    format!("file://{}", std::path::absolute(path).unwrap().display())
}

/// Evaluates `expression` in the page and returns its JSON value.
pub fn eval(tab: &Tab, expression: &str) -> serde_json::Value {
    let result = tab.evaluate(expression, true).unwrap();
    result.value.unwrap_or(serde_json::Value::Null)
}

/// Opens `url` and waits until the page says it is interactive.
pub fn open(tab: &Tab, url: &str) {
    tab.navigate_to(url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    wait_ready(tab);
}

/// Waits for `window.normgridReady`.
pub fn wait_ready(tab: &Tab) {
    let started = Instant::now();
    while eval(tab, "window.normgridReady === true") != serde_json::Value::Bool(true) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the review copy never became interactive"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The first finished download in `dir` (Chromium writes `*.crdownload` until it is done).
pub fn wait_for_download(dir: &Path) -> PathBuf {
    let started = Instant::now();
    loop {
        let done = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .find(|path| path.extension().is_some_and(|e| e == "json"));
        if let Some(path) = done {
            return path;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no download arrived in {}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
