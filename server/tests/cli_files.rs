//! The CLI on what users point it at: special files, huge files, files in odd encodings, and an
//! output that cannot be written.
#![cfg(unix)]
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ERROR_LINE: &str = "Failed to get ASURL. Error 8004010F.\r\n";

/// Generous: a hang is what this catches, not slowness.
const KILL_AFTER: Duration = Duration::from_secs(120);

struct Ran {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the CLI with `stdout` as its standard output (None: a pipe we read), killing it if it has
/// not ended after `KILL_AFTER`.
fn run(args: &[&str], stdout: Option<Stdio>) -> Ran {
    let piped = stdout.is_none();
    let mut child = Command::new(env!("CARGO_BIN_EXE_freebusy-lsp"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout.unwrap_or_else(Stdio::piped))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let reader = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = r.read_to_end(&mut s);
            String::from_utf8_lossy(&s).into_owned()
        })
    };
    let out = piped.then(|| reader(Box::new(child.stdout.take().unwrap())));
    let err = reader(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + KILL_AFTER;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{args:?} did not end within {KILL_AFTER:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ran {
        code: status.code(),
        stdout: out.map(|t| t.join().unwrap()).unwrap_or_default(),
        stderr: err.join().unwrap(),
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("freebusy-clifiles-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn special_files_exit_two_with_a_message_without_blocking() {
    let dir = temp_dir("special");
    let fifo = dir.join("trace.log");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let zero = dir.join("zero.log");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let sub = dir.join("logs");
    std::fs::create_dir(&sub).unwrap();
    for (path, kind) in [
        (&fifo, "a FIFO (named pipe)"),
        (&zero, "a character device"),
        (&sub, "a directory"),
    ] {
        for cmd in ["check", "plan"] {
            if cmd == "check" && path == &sub {
                continue; // check walks folders (tests/folder.rs)
            }
            let ran = run(&[cmd, s(path)], None);
            assert_eq!(
                ran.code,
                Some(2),
                "{cmd} {}: {}",
                path.display(),
                ran.stderr
            );
            let want = format!(
                "freebusy-lsp: cannot read {}: it is {kind}, not a regular file",
                path.display()
            );
            assert!(ran.stderr.starts_with(&want), "{cmd}: {}", ran.stderr);
        }
    }
}

#[test]
fn a_file_over_the_size_limit_exits_two_naming_the_limit() {
    let dir = temp_dir("huge");
    let huge = dir.join("huge.log");
    // Sparse: takes no disk, and nothing reads it.
    let f = File::create(&huge).unwrap();
    f.set_len(256 * 1024 * 1024 + 1).unwrap();
    drop(f);
    for cmd in ["check", "plan"] {
        let ran = run(&[cmd, s(&huge)], None);
        assert_eq!(ran.code, Some(2), "{cmd}: {}", ran.stderr);
        assert!(
            ran.stderr
                .contains("huge.log: it is larger than the 256 MiB limit"),
            "{cmd}: {}",
            ran.stderr
        );
    }
}

#[test]
fn utf16_without_a_mark_holding_a_xx00_character_is_read() {
    let dir = temp_dir("utf16");
    let text = format!("Ā {ERROR_LINE}名前 {ERROR_LINE}");
    for (name, bytes) in [
        (
            "le.log",
            text.encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<_>>(),
        ),
        (
            "be.log",
            text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        ),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let ran = run(&["check", s(&path)], None);
        assert_eq!(ran.code, Some(1), "{name}: {}{}", ran.stdout, ran.stderr);
        assert!(
            ran.stdout.contains(&format!("{name}:1:3: error FB026")),
            "{}",
            ran.stdout
        );
        assert!(
            ran.stdout.contains(&format!("{name}:2:4: error FB026")),
            "{}",
            ran.stdout
        );
        assert!(
            ran.stderr.contains("no byte order mark; read as UTF-16"),
            "{}",
            ran.stderr
        );
    }
}

#[test]
fn utf8_after_a_utf16_mark_is_read_as_utf8_and_said_so() {
    let dir = temp_dir("mark");
    let path = dir.join("marked.log");
    std::fs::write(&path, [&[0xFF, 0xFE][..], ERROR_LINE.as_bytes()].concat()).unwrap();
    for cmd in ["check", "plan"] {
        let ran = run(&[cmd, s(&path)], None);
        assert!(
            ran.stderr.contains(
                "marked.log: starts with a UTF-16 byte order mark but the rest is UTF-8: read as UTF-8"
            ),
            "{cmd}: {}",
            ran.stderr
        );
        assert!(ran.stdout.contains("FB026"), "{cmd}: {}", ran.stdout);
    }
}

#[test]
fn every_command_fails_when_its_output_cannot_be_written() {
    let dir = temp_dir("full");
    let log = dir.join("trace.log");
    std::fs::write(&log, ERROR_LINE.repeat(3)).unwrap();
    for args in [
        vec!["check", s(&log)],
        vec!["check", "--format", "json", s(&log)],
        vec!["plan", s(&log)],
        vec!["explain"],
        vec!["explain", "FB026"],
        vec!["--help"],
        vec!["--version"],
    ] {
        let full = File::create("/dev/full").unwrap();
        let ran = run(&args, Some(Stdio::from(full)));
        assert_eq!(ran.code, Some(2), "{args:?}: {}", ran.stderr);
        assert!(
            ran.stderr
                .starts_with("freebusy-lsp: cannot write the output: No space left on device"),
            "{args:?}: {}",
            ran.stderr
        );
    }
}

#[test]
fn a_reader_that_leaves_early_ends_the_output_quietly() {
    let dir = temp_dir("pipe");
    let log = dir.join("trace.log");
    // Far more output than a pipe holds.
    std::fs::write(&log, ERROR_LINE.repeat(5_000)).unwrap();
    for args in [
        vec!["check", s(&log)],
        vec!["check", "--format", "json", s(&log)],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_freebusy-lsp"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // `| head -c 10`: read a little, then close the pipe.
        let mut out = child.stdout.take().unwrap();
        let mut first = [0u8; 10];
        out.read_exact(&mut first).unwrap();
        drop(out);
        let done = child.wait_with_output().unwrap();
        assert_eq!(done.status.code(), Some(1), "{args:?}: found is found");
        assert!(
            done.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&done.stderr)
        );
    }
}
