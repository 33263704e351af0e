use freebusy_lsp::{cli, lsp};
use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (out, err) = (&mut std::io::stdout(), &mut std::io::stderr());
    let status = match args.first().map(String::as_str) {
        None | Some("--stdio") => lsp::serve_stdio(),
        Some("check") => cli::check(&args[1..], out, err),
        Some("explain") => cli::explain(&args[1..], out, err),
        Some("plan") => cli::plan(&args[1..], out, err),
        Some("--version" | "-V") => {
            let _ = writeln!(out, "freebusy-lsp {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Some("--help" | "-h" | "help") => {
            let _ = writeln!(out, "{}", cli::USAGE);
            0
        }
        Some(other) => {
            let _ = writeln!(
                err,
                "freebusy-lsp: unknown command {other:?}\n\n{}",
                cli::USAGE
            );
            cli::TROUBLE
        }
    };
    let _ = out.flush();
    std::process::exit(status);
}
