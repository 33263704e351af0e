//! `freebusy-lsp redact FILE|- [-o OUT]`: the text with its identities replaced, on stdout or in
//! OUT; what was replaced, on stderr as a count (the map itself would undo the redaction).
use super::{read, TROUBLE, USAGE};
use crate::decode::decode;
use crate::redact::redact as redact_text;
use std::io::Write;

pub fn redact(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let mut input = None;
    let mut output = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" | "--output" => match it.next() {
                Some(o) => output = Some(o.clone()),
                None => return usage(err, "-o needs a file name"),
            },
            s if s.starts_with('-') && s != "-" => {
                return usage(err, &format!("unknown option {s}"));
            }
            _ if input.is_some() => return usage(err, "redact takes one file"),
            _ => input = Some(a.clone()),
        }
    }
    let Some(path) = input else {
        return usage(err, "redact needs a file ('-' reads stdin)");
    };
    let bytes = match read(&path) {
        Ok(b) => b,
        Err(e) => {
            let _ = writeln!(err, "freebusy-lsp: cannot read {path}: {e}");
            return TROUBLE;
        }
    };
    let (text, encoding) = decode(&bytes);
    if let Some(note) = encoding.note() {
        let _ = writeln!(err, "freebusy-lsp: {path}: {note}");
    }
    let redacted = redact_text(&text);
    let _ = writeln!(
        err,
        "freebusy-lsp: {path}: {} identities replaced",
        redacted.map.len()
    );
    match output {
        Some(o) => match std::fs::write(&o, redacted.text.as_bytes()) {
            Ok(()) => 0,
            Err(e) => {
                let _ = writeln!(err, "freebusy-lsp: cannot write {o}: {e}");
                TROUBLE
            }
        },
        None => {
            let _ = out.write_all(redacted.text.as_bytes());
            0
        }
    }
}

fn usage(err: &mut dyn Write, what: &str) -> i32 {
    let _ = writeln!(err, "freebusy-lsp: {what}\n\n{USAGE}");
    TROUBLE
}
