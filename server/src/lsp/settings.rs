//! User settings (`freebusyLsp.*`), from `initializationOptions`, `workspace/configuration` or
//! `workspace/didChangeConfiguration`. Unknown keys and wrong types are ignored, not errors.
use super::types::DiagnosticSeverity;
use crate::code::Code;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone)]
pub struct Settings {
    /// Codes not to report.
    pub disabled: HashSet<Code>,
    /// Severity overrides by code.
    pub severity: HashMap<Code, DiagnosticSeverity>,
    /// Requests slower than this are findings (log analysis).
    pub slow_request_seconds: f64,
    /// Locale of titles and cards, when set; else the client's.
    pub locale: Option<String>,
    /// A reference site built by `freebusy-lsp docs -o DIR`: "Show documentation" opens its page.
    pub docs_path: Option<std::path::PathBuf>,
    /// Diagnostics published (or pulled) per document, at most; one more says how many were left out.
    pub max_diagnostics: usize,
    /// Answer `workspace/diagnostic` for the open folders (opt-in, `initializationOptions`).
    pub workspace_diagnostics: bool,
    /// Documents larger than this are not analysed (one information diagnostic says so).
    pub max_document_bytes: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            disabled: HashSet::new(),
            severity: HashMap::new(),
            slow_request_seconds: 30.0,
            locale: None,
            docs_path: None,
            max_diagnostics: 2_000,
            workspace_diagnostics: false,
            max_document_bytes: super::large::DEFAULT_MAX_BYTES,
        }
    }
}

impl Settings {
    /// Reads `{ "freebusyLsp": {...} }` or the inner object itself, with nested or dotted keys.
    pub fn from_json(v: &Value) -> Settings {
        let root = v.get("freebusyLsp").unwrap_or(v);
        let get = |path: &str| -> Option<&Value> {
            root.get(path)
                .or_else(|| path.split('.').try_fold(root, |node, key| node.get(key)))
        };
        let mut s = Settings::default();
        if let Some(list) = get("codes.disabled").and_then(Value::as_array) {
            s.disabled = list
                .iter()
                .filter_map(Value::as_str)
                .filter_map(Code::parse)
                .collect();
        }
        if let Some(map) = get("severity").and_then(Value::as_object) {
            for (code, level) in map {
                if let Some(sev) = level.as_str().and_then(severity) {
                    if let Some(code) = Code::parse(code) {
                        s.severity.insert(code, sev);
                    }
                }
            }
        }
        if let Some(secs) = get("slowRequestSeconds")
            .and_then(Value::as_f64)
            .filter(|s| *s > 0.0)
        {
            s.slow_request_seconds = secs;
        }
        if let Some(max) = get("maxDiagnostics")
            .and_then(Value::as_u64)
            .filter(|m| *m > 0)
        {
            s.max_diagnostics = usize::try_from(max).unwrap_or(usize::MAX);
        }
        if let Some(on) = get("workspaceDiagnostics").and_then(Value::as_bool) {
            s.workspace_diagnostics = on;
        }
        if let Some(max) = get("maxDocumentBytes").and_then(Value::as_u64) {
            s.max_document_bytes = usize::try_from(max).unwrap_or(usize::MAX);
        }
        // `auto` (or anything unknown) leaves the choice to the client's locale.
        s.locale = get("locale")
            .and_then(Value::as_str)
            .and_then(crate::locale::known)
            .map(str::to_string);
        s.docs_path = get("docsPath")
            .and_then(Value::as_str)
            .filter(|p| !p.trim().is_empty())
            .map(std::path::PathBuf::from);
        s
    }
}

fn severity(name: &str) -> Option<DiagnosticSeverity> {
    match name.to_ascii_lowercase().as_str() {
        "error" => Some(DiagnosticSeverity::ERROR),
        "warning" => Some(DiagnosticSeverity::WARNING),
        "information" | "info" => Some(DiagnosticSeverity::INFORMATION),
        "hint" => Some(DiagnosticSeverity::HINT),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_dotted_and_bad_values() {
        let s = Settings::from_json(&json!({"freebusyLsp": {
            "codes": {"disabled": ["fb109", 3]},
            "severity": {"FB113": "hint", "FB101": "loud"},
            "slowRequestSeconds": -1,
            "locale": "sv",
            "maxDiagnostics": 0
        }}));
        assert!(s.disabled.contains(&Code::FB109));
        assert_eq!(
            s.severity.get(&Code::FB113),
            Some(&DiagnosticSeverity::HINT)
        );
        assert!(!s.severity.contains_key(&Code::FB101));
        assert_eq!(s.slow_request_seconds, 30.0);
        assert_eq!(s.locale.as_deref(), Some("sv"));
        let dotted = Settings::from_json(&json!({"codes.disabled": ["FB001"], "locale": "auto"}));
        assert!(dotted.disabled.contains(&Code::FB001));
        assert_eq!(
            Settings::from_json(&json!({"locale": "sv-SE"}))
                .locale
                .as_deref(),
            Some("sv")
        );
        let capped = Settings::from_json(&json!({"maxDiagnostics": 50}));
        assert_eq!(capped.max_diagnostics, 50);
        assert_eq!(Settings::default().max_diagnostics, 2_000);
        assert_eq!(dotted.locale, None);
    }
}
