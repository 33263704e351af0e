//! Checks that data files are complete and consistent. Every problem names its file.
use super::pattern;
use super::placeholder::{self, Segment};
use super::schema::{Cmdlet, ContextFile, Entry, Kind, Severity, Step};
use std::collections::{BTreeMap, HashSet};

const LOCALES: &[&str] = &["en", "sv"];

/// Returns the entries that passed, in code order; pushes a line per problem.
pub(super) fn check(parsed: Vec<(String, Entry)>, problems: &mut Vec<String>) -> Vec<Entry> {
    let codes: HashSet<String> = parsed.iter().map(|(_, e)| e.code.clone()).collect();
    let mut seen_codes = BTreeMap::new();
    let mut seen_ids = HashSet::new();
    let mut good = Vec::new();
    for (file, entry) in parsed {
        let mut own = Vec::new();
        check_entry(&file, &entry, &mut own);
        let mut refs = Vec::new();
        check_references(&entry, &codes, &mut refs);
        problems.extend(refs.into_iter().map(|p| format!("{file}: {p}")));
        if seen_codes
            .insert(entry.code.clone(), file.clone())
            .is_some()
        {
            own.push(format!("duplicate code {}", entry.code));
        }
        if !seen_ids.insert(entry.id.clone()) {
            own.push(format!("duplicate id {}", entry.id));
        }
        if own.is_empty() {
            good.push(entry);
        }
        problems.extend(own.into_iter().map(|p| format!("{file}: {p}")));
    }
    good.sort_by(|a, b| a.code.cmp(&b.code));
    good
}

/// Codes an entry names must exist. A dangling name is reported but does not drop the entry.
fn check_references(e: &Entry, codes: &HashSet<String>, out: &mut Vec<String>) {
    for (name, list) in [
        ("related", &e.related),
        ("absorbs", &e.absorbs),
        ("candidates", &e.candidates),
    ] {
        for code in list {
            if !codes.contains(code) {
                out.push(format!("{name} names unknown code {code}"));
            }
            if code == &e.code {
                out.push(format!("{name} names the entry itself"));
            }
        }
    }
}

fn check_entry(file: &str, e: &Entry, out: &mut Vec<String>) {
    let well_formed = e.code.len() == 5
        && e.code.starts_with("FB")
        && e.code[2..].chars().all(|c| c.is_ascii_digit());
    if !well_formed {
        out.push(format!("code {:?} is not FB + three digits", e.code));
    }
    let base = file.rsplit('/').next().unwrap_or(file);
    if !base.starts_with(&format!("{}-{}", e.code, e.id)) {
        out.push(format!("file name should be {}-{}.toml", e.code, e.id));
    }
    if e.id.is_empty()
        || !e
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        out.push(format!("id {:?} is not kebab-case", e.id));
    }
    if !e.doc.starts_with("https://") {
        out.push("doc must be an https link".into());
    }
    // Error text exists in both languages; other kinds read code, logs or output: English titles.
    let langs: &[&str] = if !e.kind.by_signature() {
        &["en"]
    } else {
        &["en", "sv"]
    };
    for &lang in langs {
        if e.title.0.get(lang).is_none_or(|t| t.trim().is_empty()) {
            out.push(format!("title.{lang} is missing"));
        }
        if !e.examples.iter().any(|x| x.lang == lang) {
            out.push(format!("no {lang} example"));
        }
        if e.kind.by_signature() && !e.signatures.iter().any(|s| s.lang == lang) {
            out.push(format!("no {lang} signature"));
        }
    }
    if !e.kind.by_signature() && !e.signatures.is_empty() {
        out.push("only error and triage entries are found by signatures".into());
    }
    check_locales("title", e.title.0.keys(), out);
    check_locales("meaning", e.meaning.0.keys(), out);
    check_locales("causes", e.causes.0.keys(), out);
    if e.meaning.0.get("en").is_none_or(|t| t.trim().is_empty()) {
        out.push("meaning.en is missing".into());
    }
    if e.causes.0.get("en").is_none_or(|c| c.is_empty()) {
        out.push("causes.en is empty".into());
    }
    for (i, sig) in e.signatures.iter().enumerate() {
        if let Err(err) = pattern::compile(&sig.text, "h") {
            out.push(format!("signature {}: {err}", i + 1));
        }
    }
    match e.kind {
        Kind::Triage if e.candidates.len() < 2 => {
            out.push("a triage entry lists two or more candidates".into())
        }
        Kind::Triage if e.severity != Severity::Information => {
            out.push("a triage entry has severity information".into())
        }
        Kind::Error if !e.candidates.is_empty() => {
            out.push("only triage entries have candidates".into())
        }
        _ => {}
    }
    if e.confirm.is_empty() && e.kind != Kind::Script {
        out.push("no [[confirm]] step".into());
    }
    if e.fixes.is_empty() {
        out.push("no [[fix]]".into());
    }
    for step in &e.confirm {
        check_step("confirm", step, out);
    }
    for (i, fix) in e.fixes.iter().enumerate() {
        check_locales("fix title", fix.title.0.keys(), out);
        if fix.title.0.get("en").is_none_or(|t| t.trim().is_empty()) {
            out.push(format!("fix {} has no en title", i + 1));
        }
        for key in fix.when.keys() {
            if !placeholder::CAPTURE_NAMES.contains(&key.as_str()) {
                out.push(format!("fix {} has `when` on unknown capture {key}", i + 1));
            }
        }
        if fix.steps.is_empty() {
            out.push(format!("fix {} has no step", i + 1));
        }
        for step in &fix.steps {
            check_step("fix step", step, out);
        }
    }
}

fn check_step(what: &str, step: &Step, out: &mut Vec<String>) {
    check_locales(what, step.text.0.keys(), out);
    if step.text.0.get("en").is_none_or(|t| t.trim().is_empty()) {
        out.push(format!("a {what} has no en text"));
    }
    let Some(run) = &step.run else { return };
    for seg in placeholder::parse(run) {
        if let Segment::Value { name, .. } = seg {
            if !name.is_empty() && !placeholder::CAPTURE_NAMES.contains(&name) {
                out.push(format!("{what} uses unknown capture {{{{{name}|...}}}}"));
            }
        }
    }
}

/// Context markers: each compiles; returns their patterns.
pub(super) fn check_context(file: ContextFile, problems: &mut Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for (i, m) in file.markers.into_iter().enumerate() {
        if m.why.trim().is_empty() {
            problems.push(format!("context.toml: marker {} has no why", i + 1));
        }
        match pattern::compile(&m.text, "h") {
            Ok(c) if c.holes.is_empty() => out.push(m.text),
            Ok(_) => problems.push(format!("context.toml: marker {} has a value hole", i + 1)),
            Err(e) => problems.push(format!("context.toml: marker {}: {e}", i + 1)),
        }
    }
    out
}

fn check_locales<'a>(what: &str, keys: impl Iterator<Item = &'a String>, out: &mut Vec<String>) {
    for key in keys {
        if !LOCALES.contains(&key.as_str()) {
            out.push(format!(
                "{what} has unknown key {key:?} (locales: {LOCALES:?})"
            ));
        }
    }
}

/// Cmdlets: unique names, Verb-Noun, a summary, related codes that exist, unique parameters.
pub(super) fn check_cmdlets(
    parsed: Vec<(String, Cmdlet)>,
    entries: &[Entry],
    problems: &mut Vec<String>,
) -> Vec<Cmdlet> {
    let mut seen = HashSet::new();
    let mut good = Vec::new();
    for (file, c) in parsed {
        let mut own = Vec::new();
        let base = file.rsplit('/').next().unwrap_or(&file);
        if base != format!("{}.toml", c.name) {
            own.push(format!("file name should be {}.toml", c.name));
        }
        if !seen.insert(c.name.to_ascii_lowercase()) {
            own.push(format!("duplicate cmdlet {}", c.name));
        }
        if c.summary.0.get("en").is_none_or(|t| t.trim().is_empty()) {
            own.push("summary.en is missing".into());
        }
        check_locales("summary", c.summary.0.keys(), &mut own);
        let mut names = HashSet::new();
        for p in &c.params {
            if !names.insert(p.name.to_ascii_lowercase()) {
                own.push(format!("duplicate parameter {}", p.name));
            }
            if p.switch && !p.values.is_empty() {
                own.push(format!("switch {} cannot have values", p.name));
            }
            check_locales("param", p.text.0.keys(), &mut own);
        }
        for code in &c.related {
            if !entries.iter().any(|e| &e.code == code) {
                own.push(format!("related names unknown code {code}"));
            }
        }
        if own.is_empty() {
            good.push(c);
        }
        problems.extend(own.into_iter().map(|p| format!("{file}: {p}")));
    }
    good.sort_by(|a, b| a.name.cmp(&b.name));
    good
}
