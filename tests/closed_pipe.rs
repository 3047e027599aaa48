//! Every command exits quietly, with its own exit code, when the reader of its output has gone
//! (`pia schema | head`): no panic, no exit code 101.

mod support;

use std::io::Read;
use std::process::{Command, Stdio};

use support::KANTO_DIR as REF;

/// Runs pia with stdout and stderr going to pipes whose read ends are closed after `keep`
/// bytes of stdout; returns (exit code, whatever stderr said before it was closed).
fn run_closed(args: &[&str], keep: usize) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pia"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut buf = vec![0u8; keep];
    let _ = out.read_exact(&mut buf);
    drop(out);
    // Keep reading stderr so a panic message would be seen.
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    (child.wait().unwrap().code(), err)
}

#[test]
fn closed_stdout_is_not_a_panic() {
    let cases: &[(&[&str], i32)] = &[
        (&["schema"], 0),
        (
            &["check", REF, "--format", "json", "--today", "2025-07-01"],
            0,
        ),
        (
            &["check", REF, "--format", "sarif", "--today", "2025-07-01"],
            0,
        ),
        (
            &[
                "check",
                REF,
                "--format",
                "json",
                "--today",
                "2025-07-01",
                "--deny-warnings",
            ],
            1,
        ),
        (&["threshold", REF], 0),
        (&["--help"], 0),
        (&["check", "--help"], 0),
    ];
    for (args, code) in cases {
        let (status, err) = run_closed(args, 1);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(status, Some(*code), "{args:?}: {err}");
    }
}

#[test]
fn closed_stderr_is_not_a_panic() {
    // Human check output goes to stderr: close it right away.
    let mut child = Command::new(env!("CARGO_BIN_EXE_pia"))
        .args(["check", REF, "--today", "2025-07-01"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}
