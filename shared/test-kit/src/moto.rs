//! The moto server the AWS adapter tests talk to. `./scripts/test` starts one and sets `MOTO_ENDPOINT`;
//! under a plain `cargo test` each test process starts its own from the project's `.venv` (installed by
//! `./scripts/setup-tools`) on a free loopback port, stopped when the process ends. Without either, the
//! first test that needs it fails at once, naming the command that installs it.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

static ENDPOINT: OnceLock<Result<String, String>> = OnceLock::new();

/// `MOTO_ENDPOINT`, or a moto server started for this process.
pub fn endpoint() -> String {
    match ENDPOINT.get_or_init(|| match std::env::var("MOTO_ENDPOINT") {
        Ok(endpoint) => Ok(endpoint),
        Err(_) => start(),
    }) {
        Ok(endpoint) => endpoint.clone(),
        Err(why) => panic!("{why}"),
    }
}

/// Whether this process started the server itself (then it is its only user).
pub fn started_here() -> bool {
    std::env::var_os("MOTO_ENDPOINT").is_none()
}

fn start() -> Result<String, String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let server = root.join(".venv/bin/moto_server");
    if !server.is_file() {
        return Err(format!(
            "these tests need a moto server: MOTO_ENDPOINT is not set and {} is not installed; \
             run ./scripts/setup-tools (installs moto[server] into .venv), or ./scripts/test for every test",
            server.display()
        ));
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port for moto: {e}"))?
        .port();
    // The shell keeps moto running until this process's end closes its stdin, then stops it.
    let script =
        format!("\"{}\" -H 127.0.0.1 -p {port} >/dev/null 2>&1 & pid=$!; cat >/dev/null; kill $pid", server.display());
    let child = Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", server.display()))?;
    // Held (never written) for the life of the process.
    static STDIN: OnceLock<std::sync::Mutex<Option<std::process::ChildStdin>>> = OnceLock::new();
    let _ = STDIN.set(std::sync::Mutex::new(child.stdin));
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if answers(port) {
            return Ok(format!("http://127.0.0.1:{port}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!("{} did not answer on port {port} within 30 s", server.display()))
}

/// moto's own API answers once the server is up.
fn answers(port: u16) -> bool {
    use std::io::Write;
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET /moto-api/data.json HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    let mut head = [0u8; 12];
    stream.write_all(request.as_bytes()).is_ok() && stream.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}
