//! Findings as LSP diagnostics. `data` carries what a code action needs (code, captures), so
//! actions are built without scanning again.
use super::position::{Encoding, Lines};
use super::types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, Range as LspRange, Uri,
};
use crate::finding::{Confidence, Finding};
use crate::knowledge::{catalog, Severity};
use crate::render::message;
use std::str::FromStr;

pub const SOURCE: &str = "freebusy-lsp";

pub fn to_diagnostic(
    lines: &impl Lines,
    f: &Finding,
    enc: Encoding,
    locale: &str,
) -> Option<Diagnostic> {
    let entry = catalog().get(f.code)?;
    let severity = match f.effective_severity() {
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Error => DiagnosticSeverity::ERROR,
    };
    let mut message = message(entry, f, locale);
    if !entry.candidates.is_empty() {
        let codes = crate::code::list(&entry.candidates);
        let could_be = crate::locale::fmt(locale, "diagnostic.could-be", &[("codes", &codes)]);
        message.push_str(&format!(" ({could_be})"));
    }
    Some(Diagnostic {
        range: lines.range(f.range.clone(), enc),
        severity: Some(severity),
        code: Some(NumberOrString::String(f.code.to_string())),
        code_description: Uri::from_str(&entry.doc)
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.into()),
        message,
        data: Some(serde_json::json!({
            "code": f.code,
            "id": entry.id,
            "confidence": if f.confidence == Confidence::Low { "low" } else { "high" },
            "captures": f.captures,
        })),
        ..Default::default()
    })
}

/// The one diagnostic after `shown` of `total` (`freebusyLsp.maxDiagnostics`): how many were left
/// out, and where all of them are still counted. It sits where the first one left out starts.
pub fn left_out(
    lines: &impl Lines,
    at: usize,
    shown: usize,
    total: usize,
    enc: Encoding,
) -> Diagnostic {
    let pos = lines.position(at, enc);
    Diagnostic {
        range: LspRange::new(pos, pos),
        severity: Some(DiagnosticSeverity::INFORMATION),
        source: Some(SOURCE.into()),
        message: format!(
            "{shown} of {total} findings are shown as diagnostics (setting \
             freebusyLsp.maxDiagnostics); {} more from here on are left out. The outline \
             (document symbols) and `freebusy-lsp plan` count all {total}.",
            total - shown
        ),
        ..Default::default()
    }
}
