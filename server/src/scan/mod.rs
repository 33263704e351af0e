//! Finds catalog signatures in any text: logs, pasted output, comments, strings.
//!
//! A literal prefilter, then the candidate signatures' regexes (`matcher.rs`), over a normalized
//! view of the text; then nearby matches that belong together are resolved into
//! findings (`resolve.rs`) and the values a fix needs are picked from their lines (`extract.rs`).
//! Linear in the input: the regex crate guarantees it, and the resolver looks at a bounded
//! neighbourhood of each match.

mod extract;
mod matcher;
pub mod normalize;
mod resolve;

use crate::knowledge::{self, Catalog, Kind};
use std::sync::OnceLock;

pub use matcher::Matcher;

pub use crate::finding::{Confidence, Finding};

/// Scans with a catalog.
pub struct Scanner<'c> {
    /// `None`: the built-in catalog, read only once a text has a match.
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

    /// The scanner of the built-in catalog: its signatures were read at build time.
    pub fn builtin() -> Result<Scanner<'static>, String> {
        Ok(Scanner {
            catalog: None,
            matcher: Matcher::builtin()?,
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
                }
                f.captures = captures;
                f
            })
            .collect();
        Some(findings)
    }
}

/// The scanner over the built-in catalog.
pub fn scanner() -> &'static Scanner<'static> {
    static SCANNER: OnceLock<Scanner<'static>> = OnceLock::new();
    SCANNER.get_or_init(|| {
        Scanner::builtin().unwrap_or_else(|e| {
            // The catalog test compiles the same regex; reaching this is a build with bad data.
            eprintln!("freebusy-lsp: cannot compile signatures: {e}");
            Scanner::new(&EMPTY).expect("an empty catalog compiles")
        })
    })
}

static EMPTY: std::sync::LazyLock<Catalog> = std::sync::LazyLock::new(|| Catalog::from_files([]));

/// Scans `text` with the built-in catalog.
pub fn scan(text: &str) -> Vec<Finding> {
    scanner().scan(text)
}
