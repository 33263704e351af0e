//! Embeds every data file under `knowledge/` and every query under `../queries/powershell/` into
//! the binary, so that adding an entry is adding a file: no list to keep in Rust.
use std::{env, fs, path::Path};

// The pattern language and the budget rule, shared with the crate: each signature's budget is
// worked out here, so that the scanner's first windows parse no regex (`scan/matcher.rs`).
#[allow(dead_code)]
#[path = "src/scan/literal.rs"]
mod literal;
#[allow(dead_code)]
#[path = "src/knowledge/pattern.rs"]
mod pattern;

/// What `pattern.rs` needs of the crate's `capture::Key`: each key's name and hole, from
/// `knowledge/captures.toml` (`keys` fills `HOLES` before any pattern is compiled).
mod capture {
    use std::sync::OnceLock;

    pub static HOLES: OnceLock<Vec<(String, Option<String>)>> = OnceLock::new();

    #[derive(Debug, Clone, Copy, PartialEq)]
    pub struct Key(usize);

    impl Key {
        pub fn parse(s: &str) -> Option<Key> {
            let holes = HOLES.get()?;
            holes.iter().position(|(n, _)| n == s.trim()).map(Key)
        }

        pub fn hole(self) -> Option<&'static str> {
            HOLES.get()?[self.0].1.as_deref()
        }
    }
}

/// The most counted bytes a match of `pattern` holds (`literal::budget` of its regex, parsed
/// as the scanner parses it): `Some(None)` unbounded, `None` when it does not compile (the
/// scanner then finds out for itself).
fn budget(pattern: &str) -> Option<Option<usize>> {
    let compiled = pattern::compile(pattern, "h").ok()?;
    let hir = pattern::parse_regex(&compiled.regex).ok()?;
    Some(literal::budget(&hir))
}

fn collect(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    let Ok(read) = fs::read_dir(dir) else { return };
    for entry in read.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// Writes `name: &[(relative path, contents)]` for every `*.ext` below `root`.
fn embed(name: &str, root: &Path, ext: &str, code: &mut String) {
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(root, ext, &mut files);
    files.sort();
    code.push_str(&format!("pub static {name}: &[(&str, &str)] = &[\n"));
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
}

/// The value of a top-level `key = "value"` line of a TOML file, if any.
fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.trim_start().strip_prefix('=')?;
        Some(rest.trim().trim_matches('"'))
    })
}

fn pascal(s: &str) -> String {
    s.split(['-', '_'])
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| {
                f.to_ascii_uppercase().to_string() + c.as_str()
            })
        })
        .collect()
}

/// `enum Code`: one variant per entry's `code` (every FBnnn has a card by construction), with
/// its kind and default severity. A duplicate code stops the build, naming both files.
fn codes(root: &Path, code: &mut String) {
    let mut files = Vec::new();
    collect(root, "toml", &mut files);
    let mut seen: Vec<(String, String, String, String)> = Vec::new();
    for path in &files {
        let text = fs::read_to_string(path).unwrap();
        let Some(c) = field(&text, "code") else {
            continue;
        };
        let valid =
            c.len() == 5 && c.starts_with("FB") && c[2..].bytes().all(|b| b.is_ascii_digit());
        assert!(
            valid,
            "{}: `code = \"{c}\"` is not FB + three digits",
            path.display()
        );
        if let Some(other) = seen.iter().find(|s| s.0 == c) {
            panic!("code {c} is in both {} and {}", other.3, path.display());
        }
        let kind = field(&text, "kind").unwrap_or("error");
        let severity = field(&text, "severity").unwrap_or("warning");
        seen.push((
            c.into(),
            pascal(kind),
            pascal(severity),
            path.display().to_string(),
        ));
    }
    seen.sort();
    code.push_str("/// Every code of the catalog, one per data file under `knowledge/`.\n");
    code.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]\n");
    code.push_str("#[allow(clippy::upper_case_acronyms)]\npub enum Code {\n");
    for (c, ..) in &seen {
        code.push_str(&format!("    {c},\n"));
    }
    code.push_str("}\n\nimpl Code {\n    pub const ALL: &'static [Code] = &[");
    for (c, ..) in &seen {
        code.push_str(&format!("Code::{c}, "));
    }
    code.push_str("];\n\n    pub const fn as_str(self) -> &'static str {\n        match self {\n");
    for (c, ..) in &seen {
        code.push_str(&format!("            Code::{c} => \"{c}\",\n"));
    }
    code.push_str("        }\n    }\n\n    /// The kind of entry its data file declares.\n");
    code.push_str("    pub const fn kind(self) -> Kind {\n        match self {\n");
    for (c, kind, ..) in &seen {
        code.push_str(&format!("            Code::{c} => Kind::{kind},\n"));
    }
    code.push_str("        }\n    }\n\n    /// The severity its data file declares.\n");
    code.push_str("    pub const fn default_severity(self) -> Severity {\n        match self {\n");
    for (c, _, severity, _) in &seen {
        code.push_str(&format!("            Code::{c} => Severity::{severity},\n"));
    }
    code.push_str("        }\n    }\n}\n");
}

/// A `[[capture]]`: name, hole regex, validation regex, example value.
type Capture = (String, Option<String>, String, String);

/// `enum Key`: one variant per `[[capture]]` of `knowledge/captures.toml`, with its name, the
/// regex of a signature hole and the regex a value must match to enter a command.
fn keys(file: &Path, code: &mut String) {
    println!("cargo:rerun-if-changed={}", file.display());
    let text = fs::read_to_string(file).unwrap();
    let mut keys: Vec<Capture> = Vec::new();
    for block in text.split("[[capture]]").skip(1) {
        let name = field(block, "name").expect("a [[capture]] without name");
        let raw = |k: &str| {
            block.lines().find_map(|l| {
                let v = l.strip_prefix(k)?.trim_start().strip_prefix('=')?.trim();
                Some(v.trim_matches('\'').to_string())
            })
        };
        let valid = raw("valid").unwrap_or_else(|| panic!("capture {name} has no `valid`"));
        let example = raw("example").unwrap_or_else(|| panic!("capture {name} has no `example`"));
        keys.push((name.to_string(), raw("hole"), valid, example));
    }
    let holes = keys.iter().map(|k| (k.0.clone(), k.1.clone())).collect();
    let _ = capture::HOLES.set(holes);
    code.push_str("/// Every value a finding can capture (`knowledge/captures.toml`).\n");
    code.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]\n");
    code.push_str("pub enum Key {\n");
    for (name, ..) in &keys {
        code.push_str(&format!("    {},\n", pascal(name)));
    }
    code.push_str("}\n\nimpl Key {\n    pub const ALL: &'static [Key] = &[");
    for (name, ..) in &keys {
        code.push_str(&format!("Key::{}, ", pascal(name)));
    }
    let arms = |f: &dyn Fn(&Capture) -> String| {
        keys.iter()
            .map(|k| format!("            Key::{} => {},\n", pascal(&k.0), f(k)))
            .collect::<String>()
    };
    code.push_str("];\n\n    pub const fn as_str(self) -> &'static str {\n        match self {\n");
    code.push_str(&arms(&|k| format!("{:?}", k.0)));
    code.push_str(
        "        }\n    }\n\n    /// The regex a `{hole}` of this name matches in a signature.\n",
    );
    code.push_str("    pub const fn hole(self) -> Option<&'static str> {\n        match self {\n");
    code.push_str(&arms(&|k| format!("{:?}", k.1)));
    code.push_str("        }\n    }\n\n    /// The regex a whole value must match to be written into a command.\n");
    code.push_str("    pub const fn valid(self) -> &'static str {\n        match self {\n");
    code.push_str(&arms(&|k| format!("{:?}", k.2)));
    code.push_str("        }\n    }\n\n    /// A well-formed value, as a log gives it.\n");
    code.push_str("    pub const fn example(self) -> &'static str {\n        match self {\n");
    code.push_str(&arms(&|k| format!("{:?}", k.3)));
    code.push_str("        }\n    }\n}\n");
}

/// `SIGNATURES`: every signature of every entry as `(code, index in its entry, pattern, generic)`,
/// and `MARKERS`: the context markers of `context.toml`, read at build time so that the scanner
/// starts without parsing the catalog (`scan/matcher.rs`). The catalog test checks that they are
/// the catalog's.
fn signatures(root: &Path, code: &mut String) {
    let mut files = Vec::new();
    collect(root, "toml", &mut files);
    files.sort();
    code.push_str("pub static SIGNATURES: &[super::EmbeddedSignature] = &[\n");
    for path in &files {
        let text = fs::read_to_string(path).unwrap();
        if !text.contains("[[signature]]") {
            continue;
        }
        // A file that does not parse is reported by the catalog; here it has no signatures.
        let Ok(value) = text.parse::<toml::Table>() else {
            continue;
        };
        let Some(c) = value.get("code").and_then(|c| c.as_str()) else {
            continue;
        };
        let sigs = value.get("signature").and_then(|s| s.as_array());
        for (i, sig) in sigs.into_iter().flatten().enumerate() {
            let Some(pattern) = sig.get("text").and_then(|t| t.as_str()) else {
                continue;
            };
            let generic = sig.get("generic").and_then(|g| g.as_bool()) == Some(true);
            let budget = budget(pattern);
            code.push_str(&format!(
                "    ({c:?}, {i}, {pattern:?}, {generic}, {budget:?}),\n"
            ));
        }
    }
    code.push_str("];\n");
    let context = fs::read_to_string(root.join("context.toml")).unwrap_or_default();
    let markers = context.parse::<toml::Table>().unwrap_or_default();
    code.push_str("pub static MARKERS: &[&str] = &[\n");
    let list = markers.get("marker").and_then(|m| m.as_array());
    for m in list.into_iter().flatten() {
        if let Some(t) = m.get("text").and_then(|t| t.as_str()) {
            code.push_str(&format!("    {t:?},\n"));
        }
    }
    code.push_str("];\n");
}

/// `JSON`: every data file as `(relative path, is JSON, text)`: converted to JSON, which the
/// catalog reads several times faster than TOML; a file that does not parse stays TOML (the
/// catalog reports it).
fn json(root: &Path, code: &mut String) {
    let mut files = Vec::new();
    collect(root, "toml", &mut files);
    files.sort();
    code.push_str("pub static JSON: &[(&str, bool, &str)] = &[\n");
    for path in &files {
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = fs::read_to_string(path).unwrap();
        match text.parse::<toml::Table>() {
            Ok(table) => {
                let json = serde_json::to_string(&table).unwrap();
                code.push_str(&format!("    ({rel:?}, true, {json:?}),\n"));
            }
            Err(_) => code.push_str(&format!("    ({rel:?}, false, {text:?}),\n")),
        }
    }
    code.push_str("];\n");
}

fn main() {
    let manifest = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).to_path_buf();
    let mut code = String::new();
    embed("FILES", &manifest.join("knowledge"), "toml", &mut code);
    embed(
        "QUERIES",
        &manifest.join("../queries/powershell"),
        "scm",
        &mut code,
    );
    // Budgets come from these two files' code (compiled into this script too).
    println!("cargo:rerun-if-changed=src/knowledge/pattern.rs");
    println!("cargo:rerun-if-changed=src/scan/literal.rs");
    // The keys first: a signature's budget needs their holes.
    let mut keys_rs = String::new();
    keys(&manifest.join("knowledge/captures.toml"), &mut keys_rs);
    signatures(&manifest.join("knowledge"), &mut code);
    json(&manifest.join("knowledge"), &mut code);
    let out_dir = env::var("OUT_DIR").unwrap();
    let out = Path::new(&out_dir);
    fs::write(out.join("knowledge_files.rs"), code).unwrap();
    let mut enums = String::new();
    codes(&manifest.join("knowledge"), &mut enums);
    fs::write(out.join("codes.rs"), enums).unwrap();
    fs::write(out.join("keys.rs"), keys_rs).unwrap();
}
