//! `check --format sarif`: SARIF 2.1.0 for code scanning. One run; its rules are the catalog's
//! entries (id = code, name = the entry's id, help = the card's meaning, helpUri = its page);
//! results point at 1-based lines and columns counted in UTF-16 code units (`columnKind`
//! `utf16CodeUnits`, SARIF's default for JSON consumers, said explicitly).
use crate::finding::Finding;
use crate::knowledge::{catalog, Severity};
use crate::lines::LineIndex;
use crate::render::message;
use serde_json::{json, Value};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Default)]
pub struct Log {
    results: Vec<Value>,
}

fn level(f: &Finding) -> &'static str {
    match f.effective_severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information => "note",
    }
}

/// 1-based line and UTF-16 column of byte `offset`.
fn position(text: &str, lines: &LineIndex, offset: usize) -> (usize, usize) {
    let start = lines.line_start(offset);
    (
        lines.line(offset) + 1,
        text[start..offset].encode_utf16().count() + 1,
    )
}

/// A path as a relative URI reference (forward slashes, spaces and `%` escaped).
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'.' | b'-' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl Log {
    pub fn add(&mut self, path: &str, text: &str, lines: &LineIndex, findings: &[Finding]) {
        let codes = catalog().entries();
        for f in findings {
            let Some(entry) = catalog().get(f.code) else {
                continue;
            };
            let (line, column) = position(text, lines, f.range.start);
            let (end_line, end_column) = position(text, lines, f.range.end.max(f.range.start));
            let index = codes.iter().position(|e| e.code == f.code).unwrap_or(0);
            self.results.push(json!({
                "ruleId": f.code,
                "ruleIndex": index,
                "level": level(f),
                "message": { "text": message(entry, f, "en") },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(path) },
                        "region": {
                            "startLine": line,
                            "startColumn": column,
                            "endLine": end_line,
                            "endColumn": end_column,
                        }
                    }
                }],
            }));
        }
    }

    pub fn to_json(&self) -> String {
        let rules: Vec<Value> = catalog()
            .entries()
            .iter()
            .map(|e| {
                let meaning = e.meaning.get("en").map_or("", String::as_str);
                json!({
                    "id": e.code,
                    "name": e.id,
                    "shortDescription": { "text": e.title.get("en").map_or("", String::as_str) },
                    "fullDescription": { "text": meaning },
                    "help": { "text": format!("{meaning}\n\nfreebusy-lsp explain {}", e.code) },
                    "helpUri": e.doc,
                    "defaultConfiguration": { "level": match e.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Information => "note",
                    }},
                })
            })
            .collect();
        let log = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "freebusy-lsp",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }},
                "columnKind": "utf16CodeUnits",
                "results": self.results,
            }],
        });
        serde_json::to_string_pretty(&log).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units_and_paths_become_uris() {
        let text = "a😀b\n";
        let lines = LineIndex::new(text);
        assert_eq!(position(text, &lines, text.find('b').unwrap()), (1, 4));
        assert_eq!(uri("logs dir/a%b.log"), "logs%20dir/a%25b.log");
    }
}
