//! `freebusy-lsp report`: what a folder of logs says, as one self-contained HTML page. This
//! module gathers (findings per code, when they were seen, who and what they affect); `html.rs`
//! writes the page, `time.rs` reads log timestamps.
mod html;
mod time;

use crate::capture::{Captures, Key};
use crate::code::Code;
use crate::finding::Finding;
use crate::folder::Checked;
use crate::lines::LineIndex;
use std::collections::{BTreeMap, BTreeSet};

/// One finding, where it was and when (seconds since 1970, from the log's own timestamps).
pub struct Occurrence {
    pub finding: Finding,
    pub source: usize,
    pub line: usize,
    pub time: Option<i64>,
}

#[derive(Default)]
pub struct Report {
    pub sources: Vec<String>,
    pub occurrences: Vec<Occurrence>,
    /// Files that could not be read, with why.
    pub problems: Vec<String>,
}

/// What is affected, from the findings' captures.
#[derive(Default)]
pub struct Affected {
    pub mailboxes: BTreeSet<String>,
    pub domains: BTreeSet<String>,
    pub endpoints: BTreeSet<String>,
}

impl Report {
    pub fn add(&mut self, checked: &Checked) {
        let source = self.sources.len();
        self.sources.push(checked.source.name.clone());
        let text = &checked.source.text;
        let lines = LineIndex::new(text);
        for f in &checked.findings {
            self.occurrences.push(Occurrence {
                finding: f.clone(),
                source,
                line: lines.line(f.range.start) + 1,
                time: time::near(text, &lines, f.range.start),
            });
        }
    }

    /// Occurrences by code, in catalog order.
    pub fn by_code(&self) -> BTreeMap<Code, Vec<&Occurrence>> {
        let mut out: BTreeMap<Code, Vec<&Occurrence>> = BTreeMap::new();
        for o in &self.occurrences {
            out.entry(o.finding.code).or_default().push(o);
        }
        out
    }

    pub fn affected(occurrences: &[&Occurrence]) -> Affected {
        let mut a = Affected::default();
        for o in occurrences {
            add_captures(&mut a, &o.finding.captures);
        }
        a
    }

    pub fn html(&self, locale: &str) -> String {
        html::page(self, locale)
    }
}

fn add_captures(a: &mut Affected, c: &Captures) {
    if let Some(v) = c.get(&Key::Address) {
        a.mailboxes.insert(v.to_ascii_lowercase());
        if let Some((_, d)) = v.rsplit_once('@') {
            a.domains.insert(d.to_ascii_lowercase());
        }
    }
    if let Some(v) = c.get(&Key::Domain) {
        a.domains.insert(v.to_ascii_lowercase());
    }
    for k in [
        Key::EwsUrl,
        Key::AutodiscoverUrl,
        Key::Url,
        Key::Host,
        Key::Server,
    ] {
        if let Some(v) = c.get(&k) {
            a.endpoints.insert(v.clone());
        }
    }
}
