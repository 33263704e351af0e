//! The only code that knows the Language Server Protocol. Everything here converts between the
//! core (byte offsets, `Finding`, cards, scripts) and protocol types, in one place per concern.

mod actions;
mod bigjson;
mod caps;
mod commands;
mod completion;
mod diagnostics;
mod direct;
mod documents;
pub mod frames;
mod guard;
mod hover;
mod large;
mod paths;
pub mod position;
mod prefault;
mod redact;
mod server;
mod settings;
mod symbols;
pub mod transport;
mod workspace;

/// Protocol types come from one module so a types-crate upgrade touches one line.
pub(crate) use tower_lsp_server::ls_types as types;

pub use server::Backend;

/// Serves LSP over stdin/stdout until the client says exit; returns the exit status (0 after
/// `shutdown`, else 1).
pub fn serve_stdio() -> i32 {
    guard::install_panic_hook();
    widen_stdin_pipe();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let status = runtime.block_on(transport::serve(std::io::stdin(), stdout()));
    // Analyses still running on the blocking pool are not waited for.
    runtime.shutdown_background();
    status
}

/// Standard output for whole frames: on Unix a descriptor of its own (std's `Stdout` is
/// line-buffered and would cut each frame after its header), else `Stdout`.
fn stdout() -> Box<dyn std::io::Write + Send> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(fd));
        }
    }
    Box::new(std::io::stdout())
}

/// A client writes a large document into the pipe 64 KiB (Linux's default) at a time, each
/// waiting for the reader to wake; 1 MiB (what an unprivileged process may ask) halves the
/// time 50 MB take to come through. Nothing happens when stdin is not a pipe or the request is
/// refused.
fn widen_stdin_pipe() {
    #[cfg(target_os = "linux")]
    // SAFETY: fcntl on a descriptor this process owns, with an integer argument.
    unsafe {
        libc::fcntl(libc::STDIN_FILENO, libc::F_SETPIPE_SZ, 1 << 20);
    }
}
