//! Finds catalog signatures in any text: logs, pasted output, comments, strings.
//!
//! The matches of one alternation of every signature (most literal text first) over a
//! normalized view of the text, found through a literal prefilter (`matcher.rs`); then nearby
//! matches that belong together are resolved into findings (`resolve.rs`) and the values a fix
//! needs are picked from their lines (`extract.rs`).
//! Linear in the input: the regex crate guarantees it, and the resolver looks at a bounded
//! neighbourhood of each match.

mod ascii;
mod context;
mod extract;
mod literal;
mod matcher;
pub mod normalize;
mod resolve;
mod words;

use crate::knowledge::{self, Catalog, Kind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

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
        self.scan_pieces(text, PIECE, stop)
    }

    /// `scan_until`, matching piece by piece (`normalize::pieces` of about `piece` bytes): the
    /// same findings whatever the size (the core tests force small pieces).
    pub fn scan_pieces(
        &self,
        text: &str,
        piece: usize,
        stop: &dyn Fn() -> bool,
    ) -> Option<Vec<Finding>> {
        let raws = self.find_all_until(text, piece, stop)?;
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

    /// The matcher's raw matches, piece by piece so that only a piece's normalized view is held
    /// at a time; the pieces of a large text shared among rayon's threads (this one asks
    /// `stop`, the others follow it).
    fn find_all_until(
        &self,
        text: &str,
        piece: usize,
        stop: &dyn Fn() -> bool,
    ) -> Option<Vec<Raw>> {
        let pieces = normalize::pieces(text, piece);
        if pieces.len() == 1 {
            return self.matcher.find_all_until(text, stop);
        }
        let next = AtomicUsize::new(0);
        let stopped = AtomicBool::new(false);
        let found: Vec<Mutex<Vec<Raw>>> = pieces.iter().map(|_| Mutex::default()).collect();
        let work = |stop: &dyn Fn() -> bool| loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(r) = pieces.get(i) else { return };
            let Some(mut raws) = self.matcher.find_all_until(&text[r.clone()], stop) else {
                stopped.store(true, Ordering::Relaxed);
                return;
            };
            for raw in &mut raws {
                raw.start += r.start;
                raw.end += r.start;
            }
            *found[i].lock().unwrap_or_else(|p| p.into_inner()) = raws;
        };
        // Another thread's regex cache starts cold: it pays for many pieces only.
        let threads = if pieces.len() >= PARALLEL {
            rayon::current_num_threads().min(pieces.len())
        } else {
            1
        };
        rayon::in_place_scope(|s| {
            for _ in 1..threads {
                s.spawn(|_| work(&|| stopped.load(Ordering::Relaxed)));
            }
            work(&|| {
                if stop() {
                    stopped.store(true, Ordering::Relaxed);
                }
                stopped.load(Ordering::Relaxed)
            });
        });
        if stopped.load(Ordering::Relaxed) || stop() {
            return None;
        }
        let found = found
            .into_iter()
            .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()));
        Some(found.flatten().collect())
    }
}

/// Bytes of text matched at a time (each piece's normalized view is a copy of it).
const PIECE: usize = 256 << 10;
/// From this many pieces on (8 MiB of text) the pieces are shared among threads.
const PARALLEL: usize = 32;

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

/// Builds what the first scan of any text needs and no text decides: the matcher, its literal
/// automata and context markers, the extractors' regexes, the catalog, the thread pool. About
/// 40 M instructions that a server pays before its first document arrives instead of after.
pub fn warm() {
    scanner().matcher.warm();
    extract::warm();
    crate::knowledge::catalog();
    rayon::current_num_threads();
}

/// Compiles every signature's regex, about 40 ms of one core that the first text with
/// candidates would otherwise pay: the server calls it after `warm`, off the async threads,
/// while the client sends its first document (a concurrent analysis shares each regex's
/// `OnceLock`, so nothing is built twice). The CLI does not: most of its runs need a few.
pub fn prepare() {
    scanner().matcher.prepare();
}

static EMPTY: std::sync::LazyLock<Catalog> = std::sync::LazyLock::new(|| Catalog::from_files([]));

/// Scans `text` with the built-in catalog.
pub fn scan(text: &str) -> Vec<Finding> {
    scanner().scan(text)
}
