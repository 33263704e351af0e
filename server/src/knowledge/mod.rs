//! The catalog: every data file under `server/knowledge/`, parsed and checked.
//!
//! Data is embedded at build time. Loading never panics: a file that does not parse or validate
//! is reported (the catalog test fails on any report) and left out, so a user's server still runs.

pub mod pattern;
pub mod placeholder;
pub mod schema;
mod validate;

pub use schema::{
    Cmdlet, Entry, Example, Fix, Kind, Localized, Param, Severity, Shell, Signature, Step,
};

use std::collections::HashMap;
use std::sync::OnceLock;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/knowledge_files.rs"));
}

/// All entries, in code order, with problems found while loading.
#[derive(Debug)]
pub struct Catalog {
    entries: Vec<Entry>,
    by_code: HashMap<String, usize>,
    cmdlets: Vec<Cmdlet>,
    /// Codes in the order a remediation plan takes them (`plan.toml`).
    plan_order: Vec<String>,
    /// Patterns of free/busy context (`context.toml`) that make a generic signature specific.
    context: Vec<String>,
    /// One line per problem, naming the file. Empty for good data.
    pub problems: Vec<String>,
}

impl Catalog {
    /// Parses and validates `(file name, TOML text)` pairs.
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Catalog {
        let mut problems = Vec::new();
        let mut parsed = Vec::new();
        let mut cmdlets = Vec::new();
        let mut plan_order = Vec::new();
        let mut context = Vec::new();
        for (name, text) in files {
            let result = if name == "plan.toml" {
                toml::from_str::<schema::Plan>(text).map(|p| plan_order = p.order)
            } else if name == "context.toml" {
                toml::from_str::<schema::ContextFile>(text)
                    .map(|c| context = validate::check_context(c, &mut problems))
            } else if name.starts_with("cmdlets/") {
                toml::from_str::<Cmdlet>(text).map(|c| cmdlets.push((name.to_string(), c)))
            } else {
                toml::from_str::<Entry>(text).map(|e| parsed.push((name.to_string(), e)))
            };
            if let Err(e) = result {
                problems.push(format!("{name}: {}", e.message()));
            }
        }
        let entries = validate::check(parsed, &mut problems);
        let cmdlets = validate::check_cmdlets(cmdlets, &entries, &mut problems);
        for code in &plan_order {
            if !entries.iter().any(|e| &e.code == code) {
                problems.push(format!("plan.toml: unknown code {code}"));
            }
        }
        let by_code = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.code.clone(), i))
            .collect();
        Catalog {
            entries,
            by_code,
            cmdlets,
            plan_order,
            context,
            problems,
        }
    }

    /// The free/busy context markers (patterns), in file order.
    pub fn context_markers(&self) -> &[String] {
        &self.context
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn get(&self, code: &str) -> Option<&Entry> {
        let code = code.trim().to_ascii_uppercase();
        self.by_code.get(&code).map(|&i| &self.entries[i])
    }

    /// Where `code` stands in a remediation plan (unlisted codes after every listed one).
    pub fn plan_rank(&self, code: &str) -> usize {
        self.plan_order
            .iter()
            .position(|c| c == code)
            .unwrap_or(usize::MAX)
    }

    pub fn cmdlets(&self) -> &[Cmdlet] {
        &self.cmdlets
    }

    /// The cmdlet called `name`, case-insensitively.
    pub fn cmdlet(&self, name: &str) -> Option<&Cmdlet> {
        self.cmdlets
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Looks an entry up by code (`FB012`) or id (`oauth-missing-signing-cert`).
    pub fn find(&self, key: &str) -> Option<&Entry> {
        self.get(key).or_else(|| {
            self.entries
                .iter()
                .find(|e| e.id.eq_ignore_ascii_case(key.trim()))
        })
    }
}

/// The catalog built into this binary.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let catalog = Catalog::from_files(embedded::FILES.iter().copied());
        for problem in &catalog.problems {
            eprintln!("freebusy-lsp: knowledge data: {problem}");
        }
        catalog
    })
}

/// The tree-sitter queries under `queries/powershell/`: `(file name, source)`.
pub fn embedded_queries() -> &'static [(&'static str, &'static str)] {
    embedded::QUERIES
}

/// Data files that hold no entry or cmdlet.
pub const SETTINGS_FILES: &[&str] = &["plan.toml", "context.toml"];

/// The names of the embedded data files (for tests and `--version`).
pub fn embedded_files() -> impl Iterator<Item = &'static str> {
    embedded::FILES.iter().map(|(name, _)| *name)
}
