use freebusy_lsp::sink::{status_after, Sink};
use freebusy_lsp::{cli, lsp, site};
use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if matches!(args.first().map(String::as_str), None | Some("--stdio")) {
        // 0 after `shutdown`, 1 when the client exits without it (the LSP specification).
        std::process::exit(lsp::serve_stdio());
    }
    let mut out = Sink::new(std::io::stdout().lock());
    let err = &mut std::io::stderr();
    let status = command(&args, &mut out, err);
    // A full disk is an error; a reader that left (`| head`) is not.
    std::process::exit(status_after(out.finish(), status, err));
}

fn command(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match args[0].as_str() {
        "check" => cli::check(&args[1..], out, err),
        "explain" => cli::explain(&args[1..], out, err),
        "plan" => cli::plan(&args[1..], out, err),
        "docs" => site::docs(&args[1..], out, err),
        "redact" => cli::redact(&args[1..], out, err),
        "report" => cli::report(&args[1..], out, err),
        "--version" | "-V" => {
            let _ = writeln!(out, "freebusy-lsp {}", env!("CARGO_PKG_VERSION"));
            0
        }
        "--help" | "-h" | "help" => {
            let _ = writeln!(out, "{}", cli::USAGE);
            0
        }
        other => {
            let _ = writeln!(
                err,
                "freebusy-lsp: unknown command {other:?}\n\n{}",
                cli::USAGE
            );
            cli::TROUBLE
        }
    }
}
