//! The web console in a real browser: `tests/browser/console_test.py` (Playwright driving Debian's
//! `chromium`, both installed by `scripts/setup-tools`) against a local stack on a random port. Screenshots
//! go to `target/screenshots/`, or to `docs/screenshots/` (what the README shows) with `UPDATE_SCREENSHOTS=1`.

use std::path::PathBuf;
use std::process::Command;
use tests::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_in_chromium_registers_expires_refuses_and_draws_the_path() {
    let app = spawn_app().await;
    let python = root().join(".venv/bin/python");
    assert!(python.exists(), "run ./scripts/setup-tools: the browser suite needs .venv with playwright");
    let out = match std::env::var_os("UPDATE_SCREENSHOTS") {
        Some(_) => root().join("docs/screenshots"),
        None => root().join("target/screenshots"),
    };
    let script = root().join("tests/browser/console_test.py");
    let base = app.base.clone();
    let run = tokio::task::spawn_blocking(move || Command::new(python).arg(script).arg(base).arg(out).output());
    let output = run.await.expect("join").expect("python runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "browser suite failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("browser suite: 16 journeys passed"), "{stdout}");
}
