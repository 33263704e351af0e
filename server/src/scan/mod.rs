//! Finds catalog signatures in any text: logs, pasted output, comments, strings.
//!
//! The matches of one alternation of every signature (most literal text first) over a
//! normalized view of the text, found through a literal prefilter (`matcher.rs`); then nearby
//! matches that belong together are resolved into findings (`resolve.rs`) and the values a fix
//! needs are picked from their lines (`extract.rs`).
//! Linear in the input: the regex crate guarantees it, and the resolver looks at a bounded
//! neighbourhood of each match.

mod context;
mod extract;
mod literal;
mod matcher;
pub mod normalize;
mod resolve;

use crate::knowledge::{self, Catalog, Kind};
use std::sync::OnceLock;

pub use matcher::{Matcher, Raw};

pub use crate::finding::{Confidence, Finding};

/// Scans with a catalog.
pub struct Scanner<'c> {
    /// `None`: the built-in catalog, read on the first match.
    catalog: Option<&'c Catalog>,
    matcher: Matcher,
}

impl<'c> Scanner<'c> {
    pub fn new(catalog: &'c Catalog) -> Result<Scanner<'c>, String> {
        Ok(Scanner {
            catalog: Some(catalog),
            matcher: Matcher::new(catalog)?,
        })
    }

    pub fn catalog(&self) -> &'c Catalog {
        match self.catalog {
            Some(c) => c,
            None => knowledge::catalog(),
        }
    }

    /// All findings in `text`, in order of position.
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        self.scan_until(text, &|| false).unwrap_or_default()
    }

    /// `scan`, giving up (`None`) once `stop()` says the result is no longer wanted.
    pub fn scan_until(&self, text: &str, stop: &dyn Fn() -> bool) -> Option<Vec<Finding>> {
        let raws = self.matcher.find_all_until(text, stop)?;
        if stop() {
            return None;
        }
        if raws.is_empty() {
            return Some(Vec::new());
        }
        let units = resolve::resolve(self.catalog(), text, raws);
        if stop() {
            return None;
        }
        let findings = units
            .into_iter()
            .map(|u| {
                let entry = &self.catalog().entries()[u.entry];
                let mut captures = u.captures;
                extract::fill(text, u.range.clone(), &mut captures);
                let mut f = Finding::new(entry.code, u.range);
                if entry.kind == Kind::Triage {
                    f.confidence = Confidence::Low;
                } else if u.generic && !u.context {
                    // A .NET/Windows/Entra text with nothing around it that says free/busy.
                    f.confidence = Confidence::Low;
                    f.note = Some(GENERIC_NOTE.to_string());
                }
                f.captures = captures;
                f
            })
            .collect();
        Some(findings)
    }
}

/// The note on a generic text found alone.
pub const GENERIC_NOTE: &str = "Generic .NET, Windows or Entra text with no free/busy context \
     nearby (no availability wrapper, EWS or Autodiscover URL): this error only if the text comes \
     from a free/busy request.";

/// The scanner over the built-in catalog.
pub fn scanner() -> &'static Scanner<'static> {
    static SCANNER: OnceLock<Scanner<'static>> = OnceLock::new();
    SCANNER.get_or_init(|| {
        let matcher = Matcher::builtin().unwrap_or_else(|e| {
            // The catalog test reads the same patterns; reaching this is a build with bad data.
            eprintln!("freebusy-lsp: cannot read signatures: {e}");
            Matcher::new(&EMPTY).expect("an empty catalog compiles")
        });
        Scanner {
            catalog: None,
            matcher,
        }
    })
}

static EMPTY: std::sync::LazyLock<Catalog> = std::sync::LazyLock::new(|| Catalog::from_files([]));

/// Scans `text` with the built-in catalog.
pub fn scan(text: &str) -> Vec<Finding> {
    scanner().scan(text)
}
