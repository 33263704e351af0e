//! The catalog: every data file under `server/knowledge/`, parsed and checked.
//!
//! Data is embedded at build time. Loading never panics: a file that does not parse or validate
//! is reported (the catalog test fails on any report) and left out, so a user's server still runs.

pub mod pattern;
pub mod placeholder;
pub mod schema;
mod validate;

pub use schema::{Entry, Example, Fix, Kind, Localized, Severity, Shell, Signature, Step};

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
    /// One line per problem, naming the file. Empty for good data.
    pub problems: Vec<String>,
}

impl Catalog {
    /// Parses and validates `(file name, TOML text)` pairs.
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Catalog {
        let mut problems = Vec::new();
        let mut parsed = Vec::new();
        for (name, text) in files {
            match toml::from_str::<Entry>(text) {
                Ok(entry) => parsed.push((name.to_string(), entry)),
                Err(e) => problems.push(format!("{name}: {}", e.message())),
            }
        }
        let entries = validate::check(parsed, &mut problems);
        let by_code = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.code.clone(), i))
            .collect();
        Catalog {
            entries,
            by_code,
            problems,
        }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn get(&self, code: &str) -> Option<&Entry> {
        let code = code.trim().to_ascii_uppercase();
        self.by_code.get(&code).map(|&i| &self.entries[i])
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

/// The names of the embedded data files (for tests and `--version`).
pub fn embedded_files() -> impl Iterator<Item = &'static str> {
    embedded::FILES.iter().map(|(name, _)| *name)
}
