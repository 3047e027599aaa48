//! Writing to standard output and standard error without panicking on a closed pipe.
//!
//! `print!` panics when the reader has gone (`pia check … | head`). Output here goes through
//! [`write`], which stops writing to a stream once it is closed and otherwise ignores write
//! errors on the terminal streams; the command still finishes and returns its own exit code.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// Which terminal stream.
#[derive(Clone, Copy)]
pub enum Stream {
    Out,
    Err,
}

pub fn write(stream: Stream, text: &str) {
    let (closed, result) = match stream {
        Stream::Out => (&STDOUT_CLOSED, {
            if STDOUT_CLOSED.load(Ordering::Relaxed) {
                return;
            }
            let mut w = io::stdout().lock();
            w.write_all(text.as_bytes()).and_then(|()| w.flush())
        }),
        Stream::Err => (&STDERR_CLOSED, {
            if STDERR_CLOSED.load(Ordering::Relaxed) {
                return;
            }
            let mut w = io::stderr().lock();
            w.write_all(text.as_bytes()).and_then(|()| w.flush())
        }),
    };
    if let Err(e) = result
        && e.kind() == io::ErrorKind::BrokenPipe
    {
        closed.store(true, Ordering::Relaxed);
    }
}

/// `print!` that never panics.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::io::write($crate::cli::io::Stream::Out, &format!($($arg)*)) };
}
/// `println!` that never panics.
macro_rules! outln {
    () => { $crate::cli::io::write($crate::cli::io::Stream::Out, "\n") };
    ($($arg:tt)*) => { $crate::cli::io::write($crate::cli::io::Stream::Out, &format!("{}\n", format_args!($($arg)*))) };
}
/// `eprint!` that never panics.
macro_rules! err {
    ($($arg:tt)*) => { $crate::cli::io::write($crate::cli::io::Stream::Err, &format!($($arg)*)) };
}
/// `eprintln!` that never panics.
macro_rules! errln {
    () => { $crate::cli::io::write($crate::cli::io::Stream::Err, "\n") };
    ($($arg:tt)*) => { $crate::cli::io::write($crate::cli::io::Stream::Err, &format!("{}\n", format_args!($($arg)*))) };
}
