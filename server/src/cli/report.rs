//! `freebusy-lsp report PATH... -o report.html`: the findings of files and folders as one
//! self-contained HTML page.
use super::inputs::each_input;
use super::{CLEAN, TROUBLE, USAGE};
use crate::report::Report;
use std::io::Write;

pub fn report(args: &[String], _out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (mut paths, mut exclude, mut output) = (Vec::new(), Vec::new(), None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" | "--output" | "--exclude" => {
                let Some(v) = it.next() else {
                    let _ = writeln!(err, "freebusy-lsp: {a} needs a value\n\n{USAGE}");
                    return TROUBLE;
                };
                if a == "--exclude" {
                    exclude.push(v.clone());
                } else {
                    output = Some(v.clone());
                }
            }
            s if s.starts_with("--") => {
                let _ = writeln!(err, "freebusy-lsp: unknown option {s}\n\n{USAGE}");
                return TROUBLE;
            }
            _ => paths.push(a.clone()),
        }
    }
    let (Some(output), false) = (output, paths.is_empty()) else {
        let _ = writeln!(
            err,
            "freebusy-lsp: report needs files or folders and -o OUT.html\n\n{USAGE}"
        );
        return TROUBLE;
    };
    let mut report = Report::default();
    let mut status = CLEAN;
    each_input(&paths, &exclude, |checked| match checked {
        Ok(c) => report.add(&c),
        Err(e) => {
            let _ = writeln!(err, "freebusy-lsp: {e}");
            report.problems.push(e);
            status = TROUBLE;
        }
    });
    if let Err(e) = std::fs::write(&output, report.html("en")) {
        let _ = writeln!(err, "freebusy-lsp: cannot write {output}: {e}");
        return TROUBLE;
    }
    let _ = writeln!(
        err,
        "freebusy-lsp: {output}: {} findings in {} files",
        report.occurrences.len(),
        report.sources.len()
    );
    status
}
