//! Checks that data files are complete and consistent. Every problem names its file.
use super::pattern;
use super::placeholder::{self, Segment};
use super::schema::{
    Cmdlet, ContextFile, Endpoint, Entry, Kind, Passwords, Retired, RetiredModule, Severity, Step,
    TimeZones, WrongProperty,
};
use std::collections::{BTreeMap, HashSet};

use crate::locale::LOCALES;

/// Returns the entries that passed, in code order; pushes a line per problem.
pub(super) fn check(parsed: Vec<(String, Entry)>, problems: &mut Vec<String>) -> Vec<Entry> {
    let mut seen_codes = BTreeMap::new();
    let mut seen_ids = HashSet::new();
    let mut good = Vec::new();
    for (file, entry) in parsed {
        let mut own = Vec::new();
        check_entry(&file, &entry, &mut own);
        check_references(&entry, &mut own);
        if seen_codes.insert(entry.code, file.clone()).is_some() {
            own.push(format!("duplicate code {}", entry.code));
        }
        if !seen_ids.insert(entry.id.clone()) {
            own.push(format!("duplicate id {}", entry.id));
        }
        // A missing translation is a problem for the catalog test, not a reason to drop the entry.
        let mut languages = Vec::new();
        check_languages(&entry, &mut languages);
        if own.is_empty() {
            good.push(entry);
        }
        problems.extend(own.into_iter().map(|p| format!("{file}: {p}")));
        problems.extend(languages.into_iter().map(|p| format!("{file}: {p}")));
    }
    good.sort_by_key(|e| e.code);
    good
}

/// Every part of the card in every locale: title, meaning, causes (as many), the text of every
/// confirm step, fix title and fix step.
fn check_languages(e: &Entry, out: &mut Vec<String>) {
    every_locale("title", &e.title, out);
    every_locale("meaning", &e.meaning, out);
    every_locale("causes", &e.causes, out);
    let counts: HashSet<usize> = e.causes.0.values().map(Vec::len).collect();
    if counts.len() > 1 {
        out.push("causes: the locales list different numbers of causes".into());
    }
    for (i, step) in e.confirm.iter().enumerate() {
        every_locale(&format!("confirm {}", i + 1), &step.text, out);
    }
    for (i, fix) in e.fixes.iter().enumerate() {
        every_locale(&format!("fix {} title", i + 1), &fix.title, out);
        for (j, step) in fix.steps.iter().enumerate() {
            every_locale(&format!("fix {} step {}", i + 1, j + 1), &step.text, out);
        }
    }
}

/// `text` is in every locale, none of them blank, and every locale keeps English's code spans
/// (commands, parameters, error texts are never translated).
fn every_locale<T: Blank>(what: &str, text: &super::schema::Localized<T>, out: &mut Vec<String>) {
    let en = text.0.get(LOCALES[0]).map(|t| code_spans(&t.joined()));
    for lang in LOCALES {
        let Some(t) = text.0.get(*lang).filter(|t| !t.blank()) else {
            out.push(format!("{what} has no {lang} text"));
            continue;
        };
        if let Some(en) = &en {
            let here = code_spans(&t.joined());
            if let Some(lost) = en.difference(&here).next() {
                out.push(format!(
                    "{what}: the {lang} text lacks the code span {lost}"
                ));
            }
        }
    }
}

/// The `code` spans of Markdown text, blanks normalised (a span may wrap in a TOML string).
fn code_spans(text: &str) -> std::collections::BTreeSet<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// Empty text, or a list with nothing in it; and the text as one string.
trait Blank {
    fn blank(&self) -> bool;
    fn joined(&self) -> String;
}

impl Blank for String {
    fn blank(&self) -> bool {
        self.trim().is_empty()
    }
    fn joined(&self) -> String {
        self.clone()
    }
}

impl Blank for Vec<String> {
    fn blank(&self) -> bool {
        self.is_empty() || self.iter().any(|s| s.trim().is_empty())
    }
    fn joined(&self) -> String {
        self.join("\n")
    }
}

/// `ui.toml`: every locale has exactly the keys the code asks for, and a direction label for
/// each direction an entry names.
pub(super) fn check_ui(ui: &super::schema::Ui, entries: &[Entry], out: &mut Vec<String>) {
    let directions: HashSet<String> = entries
        .iter()
        .map(|e| format!("direction.{}", e.direction))
        .collect();
    for lang in LOCALES {
        let Some(table) = ui.get(*lang) else {
            out.push(format!("ui.toml: no [{lang}] table"));
            continue;
        };
        for key in crate::locale::KEYS
            .iter()
            .map(|k| k.to_string())
            .chain(directions.iter().cloned())
        {
            if table.get(&key).is_none_or(|t| t.trim().is_empty()) {
                out.push(format!("ui.toml: [{lang}] lacks {key:?}"));
            }
        }
        for key in table.keys() {
            if !crate::locale::KEYS.contains(&key.as_str()) && !key.starts_with("direction.") {
                out.push(format!("ui.toml: [{lang}] has unknown key {key:?}"));
            }
        }
    }
    for lang in ui.keys() {
        if !LOCALES.contains(&lang.as_str()) {
            out.push(format!("ui.toml: unknown locale [{lang}]"));
        }
    }
}

/// An entry names other entries only (unknown codes fail to parse: `Code` is generated).
fn check_references(e: &Entry, out: &mut Vec<String>) {
    for (name, list) in [
        ("related", &e.related),
        ("absorbs", &e.absorbs),
        ("candidates", &e.candidates),
    ] {
        for code in list {
            if code == &e.code {
                out.push(format!("{name} names the entry itself"));
            }
        }
    }
}

fn check_entry(file: &str, e: &Entry, out: &mut Vec<String>) {
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
    if !e.valid.is_empty() && e.kind != Kind::Script {
        out.push("only script entries have [[valid]] examples".into());
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
            if !name.is_empty() && crate::capture::Key::parse(name).is_none() {
                out.push(format!("{what} uses unknown capture {{{{{name}|...}}}}"));
            }
        }
    }
    for default in placeholder::glued(run) {
        out.push(format!(
            "{what}: the value for {default} is glued to other text: quote the whole argument"
        ));
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
        let mut languages = Vec::new();
        named_after(&file, &c.name, "cmdlet", &mut seen, &mut own);
        if c.summary.0.get("en").is_none_or(|t| t.trim().is_empty()) {
            own.push("summary.en is missing".into());
        }
        check_locales("summary", c.summary.0.keys(), &mut own);
        every_locale("summary", &c.summary, &mut languages);
        let mut names = HashSet::new();
        for p in &c.params {
            if !names.insert(p.name.to_ascii_lowercase()) {
                own.push(format!("duplicate parameter {}", p.name));
            }
            if p.switch && !p.values.is_empty() {
                own.push(format!("switch {} cannot have values", p.name));
            }
            if p.domain_list && p.switch {
                own.push(format!("switch {} cannot be multi-valued", p.name));
            }
            check_locales("param", p.text.0.keys(), &mut own);
            if !p.text.0.is_empty() {
                every_locale(&format!("param {}", p.name), &p.text, &mut languages);
            }
        }
        check_signature(&c, &mut own);
        for code in &c.related {
            if !entries.iter().any(|e| e.code == *code) {
                own.push(format!("related names unknown code {code}"));
            }
        }
        if own.is_empty() {
            good.push(c);
        }
        problems.extend(own.into_iter().map(|p| format!("{file}: {p}")));
        problems.extend(languages.into_iter().map(|p| format!("{file}: {p}")));
    }
    good.sort_by(|a, b| a.name.cmp(&b.name));
    let mut names = HashSet::new();
    for c in &good {
        for n in std::iter::once(&c.name).chain(&c.aliases) {
            if !names.insert(n.to_ascii_lowercase()) {
                problems.push(format!("cmdlets/{}.toml: {n} names two cmdlets", c.name));
            }
        }
    }
    good
}

/// The binding data of one cmdlet: sets, mandatory lists, types, positions, aliases, shells.
fn check_signature(c: &Cmdlet, own: &mut Vec<String>) {
    use crate::knowledge::schema::{Mandatory, ValueType};
    let sets = c.sets();
    if let Some(d) = &c.default_set {
        let named = |p: &crate::knowledge::Param| match &p.mandatory {
            Mandatory::Sets(list) => p.sets.contains(d) || list.contains(d),
            Mandatory::All(_) => p.sets.contains(d),
        };
        if !c.params.iter().any(named) {
            own.push(format!("default_set {d} is no parameter's set"));
        }
    }
    let mut bound_names = HashSet::new();
    for p in &c.params {
        for n in std::iter::once(&p.name).chain(&p.aliases) {
            if !bound_names.insert(n.to_ascii_lowercase()) {
                own.push(format!("-{n} names two parameters"));
            }
        }
        if p.switch && p.kind.is_some_and(|k| k != ValueType::Switch) {
            own.push(format!("switch {} has type {:?}", p.name, p.kind));
        }
        if p.value_type() == ValueType::Bool
            && p.values.iter().any(|v| v != "$true" && v != "$false")
        {
            own.push(format!("Boolean {} takes only $true and $false", p.name));
        }
        if let Mandatory::Sets(list) = &p.mandatory {
            for s in list
                .iter()
                .filter(|s| !p.in_set(s) || !sets.contains(&s.as_str()))
            {
                own.push(format!(
                    "-{} is mandatory in {s}, which is not one of its sets",
                    p.name
                ));
            }
        }
        if p.sets.iter().any(|s| s.trim().is_empty()) {
            own.push(format!("-{} has an empty set name", p.name));
        }
        let extra =
            |s: &crate::knowledge::Shell| !c.available.is_empty() && !c.available.contains(s);
        if p.available.iter().any(extra) {
            own.push(format!("-{} is available where the cmdlet is not", p.name));
        }
    }
    // Two positional parameters at one position of one set would leave PowerShell guessing.
    for (i, a) in c.params.iter().enumerate() {
        for b in &c.params[i + 1..] {
            let shared = sets.is_empty() && a.sets.is_empty()
                || sets.iter().any(|s| a.in_set(s) && b.in_set(s));
            if a.position.is_some() && a.position == b.position && shared {
                own.push(format!(
                    "-{} and -{} share position {:?}",
                    a.name, b.name, a.position
                ));
            }
        }
    }
}

/// The time zone table: present, no id twice, every IANA name mapped to a listed Windows id.
pub(super) fn check_time_zones(file: &str, zones: &TimeZones, problems: &mut Vec<String>) {
    if zones.windows.is_empty() {
        problems.push(format!("{file}: no Windows time zone ids"));
    }
    let mut seen = HashSet::new();
    for z in &zones.windows {
        if z.trim() != z || z.is_empty() {
            problems.push(format!("{file}: {z:?} has blanks around it"));
        }
        if !seen.insert(z.to_ascii_lowercase()) {
            problems.push(format!("{file}: {z} is listed twice"));
        }
    }
    for (iana, windows) in &zones.iana {
        if !iana.contains('/') {
            problems.push(format!("{file}: {iana} is not an IANA name (Area/City)"));
        }
        if zones.windows_id(windows) != Some(windows.as_str()) {
            problems.push(format!(
                "{file}: {iana} maps to {windows:?}, which is not in `windows` as written"
            ));
        }
    }
}

/// Retired cmdlets: named after the file, in a known retired module (else FB109 never sees
/// them), with a Graph successor; a fix writes only parameters the successor's data lists.
pub(super) fn check_retired(
    parsed: Vec<(String, Retired)>,
    cmdlets: &[Cmdlet],
    modules: &[RetiredModule],
    problems: &mut Vec<String>,
) -> Vec<Retired> {
    let mut seen = HashSet::new();
    let mut good = Vec::new();
    for (file, r) in parsed {
        let mut own = Vec::new();
        named_after(&file, &r.name, "retired cmdlet", &mut seen, &mut own);
        if !modules.iter().any(|m| m.owns(&r.name)) {
            own.push("the name carries no retired module's prefix".into());
        }
        if !r.successor.contains("-Mg") {
            own.push(format!(
                "successor {} is no Microsoft Graph cmdlet",
                r.successor
            ));
        }
        check_locales("note", r.note.0.keys(), &mut own);
        if let Some(fix) = &r.fix {
            check_retired_fix(&r.successor, fix, cmdlets, &mut own);
        }
        if own.is_empty() {
            good.push(r);
        }
        problems.extend(own.into_iter().map(|p| format!("{file}: {p}")));
    }
    good.sort_by(|a, b| a.name.cmp(&b.name));
    good
}

/// Every parameter a fix writes is a real parameter of the successor (by its full name).
fn check_retired_fix(
    successor: &str,
    fix: &super::schema::RetiredFix,
    cmdlets: &[Cmdlet],
    out: &mut Vec<String>,
) {
    let Some(c) = cmdlets.iter().find(|c| c.name == successor) else {
        out.push(format!("a fix needs cmdlets/{successor}.toml"));
        return;
    };
    let written = fix
        .params
        .iter()
        .map(|(_, new)| new)
        .chain(fix.add.iter().map(|(n, _)| n));
    for name in written {
        if !c.params.iter().any(|p| p.name == *name) {
            out.push(format!("{successor} has no parameter {name}"));
        }
    }
    for (name, value) in &fix.add {
        if value.trim().is_empty() {
            out.push(format!("added parameter {name} has no value"));
        }
    }
}

/// Retired modules: a name, a prefix, and what replaces them.
pub(super) fn check_modules(modules: &[RetiredModule], problems: &mut Vec<String>) {
    for m in modules {
        let fields = [&m.name, &m.prefix, &m.install, &m.import];
        if fields.iter().any(|f| f.trim().is_empty()) {
            problems.push(format!(
                "retired-modules.toml: module {:?} has an empty field",
                m.name
            ));
        }
    }
}

/// Password parameters: each has `passw` in its name (the query selects commands by it), and
/// each SecureString parameter is one of them.
pub(super) fn check_passwords(p: &Passwords, problems: &mut Vec<String>) {
    for name in &p.names {
        if !name.to_ascii_lowercase().contains("passw") {
            problems.push(format!("passwords.toml: {name} has no `passw` in its name"));
        }
    }
    for (cmdlet, params) in &p.secure {
        for param in params {
            if !p.names.iter().any(|n| n.eq_ignore_ascii_case(param)) {
                problems.push(format!(
                    "passwords.toml: {cmdlet} -{param} is not among the names"
                ));
            }
        }
    }
}

/// A file named after its `name` (`cmdlets/Get-MgUser.toml`), and no other file of the same name.
fn named_after(
    file: &str,
    name: &str,
    what: &str,
    seen: &mut HashSet<String>,
    own: &mut Vec<String>,
) {
    let base = file.rsplit('/').next().unwrap_or(file);
    if base != format!("{name}.toml") {
        own.push(format!("file name should be {name}.toml"));
    }
    if !seen.insert(name.to_ascii_lowercase()) {
        own.push(format!("duplicate {what} {name}"));
    }
}

/// `tables/endpoints.toml`: names once each, every path absolute.
pub(super) fn check_endpoints(list: &[Endpoint], problems: &mut Vec<String>) {
    let mut names = HashSet::new();
    for e in list {
        if !names.insert(e.name.to_ascii_lowercase()) {
            problems.push(format!(
                "tables/endpoints.toml: duplicate endpoint {}",
                e.name
            ));
        }
        if e.paths.is_empty() || e.paths.iter().any(|p| !p.starts_with('/')) {
            problems.push(format!(
                "tables/endpoints.toml: {} needs paths starting with /",
                e.name
            ));
        }
    }
}

/// `tables/properties.toml`: a known cmdlet, and a right name other than the wrong one.
pub(super) fn check_wrong_properties(
    list: &[WrongProperty],
    cmdlets: &[Cmdlet],
    problems: &mut Vec<String>,
) {
    for p in list {
        if !cmdlets
            .iter()
            .any(|c| c.name.eq_ignore_ascii_case(&p.cmdlet))
        {
            problems.push(format!(
                "tables/properties.toml: unknown cmdlet {}",
                p.cmdlet
            ));
        }
        if p.name.trim().is_empty() || p.name.eq_ignore_ascii_case(&p.right) {
            problems.push(format!(
                "tables/properties.toml: {} needs a wrong name other than the right one",
                p.cmdlet
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(toml: &str) -> Vec<String> {
        let c: Cmdlet = toml::from_str(toml).unwrap();
        let mut own = Vec::new();
        check_signature(&c, &mut own);
        own
    }

    #[test]
    fn binding_data_that_cannot_be_right_is_reported() {
        let head = "name = \"Set-X\"\nwhere = \"on-premises\"\n[summary]\nen = \"x\"\n";
        let cases = [
            (
                "default_set = \"Nope\"\n",
                "[[param]]\nname = \"A\"\nsets = [\"S\"]\n",
                "default_set",
            ),
            (
                "",
                "[[param]]\nname = \"A\"\nswitch = true\ntype = \"int\"\n",
                "switch A",
            ),
            (
                "",
                "[[param]]\nname = \"A\"\nsets = [\"S\"]\nmandatory = [\"T\"]\n",
                "mandatory in T",
            ),
            (
                "",
                "[[param]]\nname = \"A\"\naliases = [\"B\"]\n[[param]]\nname = \"B\"\n",
                "names two",
            ),
            (
                "",
                "[[param]]\nname = \"A\"\nposition = 0\n[[param]]\nname = \"B\"\nposition = 0\n",
                "share position",
            ),
            (
                "",
                "[[param]]\nname = \"A\"\ntype = \"bool\"\nvalues = [\"yes\"]\n",
                "Boolean",
            ),
            (
                "available = [\"on-premises\"]\n",
                "[[param]]\nname = \"A\"\navailable = [\"exchange-online\"]\n",
                "available",
            ),
        ];
        for (top, params, want) in cases {
            let text = format!(
                "{}{top}{}{params}",
                &head[..head.find("[summary]").unwrap()],
                &head[head.find("[summary]").unwrap()..]
            );
            let found = problems(&text);
            assert!(
                found.iter().any(|p| p.contains(want)),
                "{want}: {found:?}\n{text}"
            );
        }
        let good = format!("{head}[[param]]\nname = \"A\"\nsets = [\"S\"]\nmandatory = true\nposition = 0\n[[param]]\nname = \"B\"\nsets = [\"T\"]\nposition = 0\n");
        assert_eq!(problems(&good), Vec::<String>::new());
    }
}
