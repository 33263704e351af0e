//! Findings as LSP diagnostics. `data` carries what a code action needs (code, captures), so
//! actions are built without scanning again.
use super::position::{to_range, Encoding};
use super::types::{CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, Uri};
use crate::finding::{Confidence, Finding};
use crate::knowledge::{catalog, Severity};
use crate::render::message;
use ropey::Rope;
use std::str::FromStr;

pub const SOURCE: &str = "freebusy-lsp";

pub fn to_diagnostic(rope: &Rope, f: &Finding, enc: Encoding, locale: &str) -> Option<Diagnostic> {
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
        range: to_range(rope, f.range.clone(), enc),
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
