//! What every analysis returns: a code at a byte range, how sure it is, the values a fix can use,
//! and (for script rules) edits that fix it in place. Plain data; the CLI and LSP render it.
use crate::capture::Captures;
use crate::code::Code;
use crate::knowledge::Severity;
use std::ops::Range;

/// How sure a finding is of its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    /// A generic string that fits several entries (a triage entry).
    Low,
    /// A signature or rule that names one entry.
    High,
}

/// Replace `range` (bytes of the analysed text) with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

/// One way to fix a finding in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub title: String,
    pub edits: Vec<Edit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    /// Byte offsets into the analysed text.
    pub range: Range<usize>,
    pub confidence: Confidence,
    /// Values a fix can use (`knowledge/captures.toml`).
    pub captures: Captures,
    /// Set when a rule decides the severity case by case; else the entry's.
    pub severity: Option<Severity>,
    /// What this occurrence is about, in a sentence (shown after the title).
    pub note: Option<String>,
    pub suggestions: Vec<Suggestion>,
}

impl Finding {
    pub fn new(code: Code, range: Range<usize>) -> Finding {
        Finding {
            code,
            range,
            confidence: Confidence::High,
            captures: Captures::new(),
            severity: None,
            note: None,
            suggestions: Vec::new(),
        }
    }

    /// The severity to show: low confidence is information; else the rule's or the entry's.
    pub fn effective_severity(&self) -> Severity {
        if self.confidence == Confidence::Low {
            return Severity::Information;
        }
        self.severity
            .unwrap_or_else(|| self.code.default_severity())
    }
}

/// `text` with non-overlapping `edits` applied (from the end, so earlier offsets stay valid).
pub fn apply_edits(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|e| std::cmp::Reverse((e.range.start, e.range.end)));
    let mut out = text.to_string();
    for e in edits {
        if e.range.end <= out.len()
            && out.is_char_boundary(e.range.start)
            && out.is_char_boundary(e.range.end)
        {
            out.replace_range(e.range, &e.text);
        }
    }
    out
}

/// What the whole document captured: for each name, the first value any finding holds. A fix
/// for one finding can use an address or URL that another line of the same document gave.
pub fn document_captures(findings: &[Finding]) -> Captures {
    let mut all = Captures::new();
    for f in findings {
        for (k, v) in &f.captures {
            all.entry(*k).or_insert_with(|| v.clone());
        }
    }
    all
}

/// `own` completed with the document's values where it lacks them.
pub fn with_document(own: &Captures, document: &Captures) -> Captures {
    let mut out = document.clone();
    out.extend(own.iter().map(|(k, v)| (*k, v.clone())));
    out
}
