//! The single alternation regex over every signature, and the raw matches it yields.
//!
//! One multi-pattern regex (leftmost-first, so the first pattern that matches at a position
//! wins) runs on the lazy DFA alone and says which pattern matched: signatures first, most
//! literal text first, then the free/busy context markers (`context.toml`), so a marker wins
//! only where no signature starts and never hides one. A signature with value holes then runs
//! its own anchored regex on that short span to capture them.
use super::context::{self, Span};
use super::normalize::Normalized;
use crate::knowledge::{pattern, Catalog};
use regex::bytes::{Regex, RegexBuilder};
use regex_automata::{meta, util::syntax, Input};

/// A signature match, in original byte offsets.
#[derive(Debug, Clone)]
pub struct Raw {
    pub entry: usize,
    pub signature: usize,
    pub start: usize,
    pub end: usize,
    pub captures: Vec<(String, String)>,
    /// The signature is a generic .NET/Windows/Entra text (`generic = true`).
    pub generic: bool,
    /// Free/busy context stands near it (always true for a specific signature).
    pub context: bool,
}

struct Sig {
    entry: usize,
    signature: usize,
    /// `^(?i:...)` with a group per hole; none when the pattern has no hole.
    anchored: Option<Regex>,
    holes: Vec<(String, usize)>,
    trailing_hole: bool,
    generic: bool,
}

pub struct Matcher {
    /// Pattern `i < sigs.len()` is `sigs[i]`; the rest are context markers.
    any: Option<meta::Regex>,
    /// In priority order: most literal text first, as in `any`.
    sigs: Vec<Sig>,
}

const LIMIT: usize = 64 << 20;

fn build(source: &str) -> Result<Regex, String> {
    RegexBuilder::new(source)
        .size_limit(LIMIT)
        .dfa_size_limit(LIMIT)
        .build()
        .map_err(|e| e.to_string())
}

/// Byte patterns (as `regex::bytes` takes them), case-insensitive, one ID each.
fn build_many(patterns: &[String]) -> Result<meta::Regex, String> {
    meta::Regex::builder()
        .syntax(syntax::Config::new().utf8(false).case_insensitive(true))
        .configure(
            meta::Config::new()
                .utf8_empty(false)
                .nfa_size_limit(Some(LIMIT))
                .hybrid_cache_capacity(LIMIT),
        )
        .build_many(patterns)
        .map_err(|e| e.to_string())
}

impl Matcher {
    pub fn new(catalog: &Catalog) -> Result<Matcher, String> {
        let mut compiled = Vec::new();
        for (ei, entry) in catalog.entries().iter().enumerate() {
            for (si, sig) in entry.signatures.iter().enumerate() {
                let c =
                    pattern::compile(&sig.text, "h").map_err(|e| format!("{}: {e}", entry.code))?;
                compiled.push((ei, si, c));
            }
        }
        if compiled.is_empty() {
            return Ok(Matcher {
                any: None,
                sigs: Vec::new(),
            });
        }
        // Leftmost-first: at one position the first pattern wins, so put the most literal first.
        compiled.sort_by(|a, b| {
            b.2.literal_len
                .cmp(&a.2.literal_len)
                .then((a.0, a.1).cmp(&(b.0, b.1)))
        });
        let mut patterns: Vec<String> = compiled.iter().map(|(_, _, c)| c.plain.clone()).collect();
        for m in catalog.context_markers() {
            let c = pattern::compile(m, "m").map_err(|e| format!("context: {e}"))?;
            patterns.push(c.plain);
        }
        let any = build_many(&patterns)?;
        let mut sigs = Vec::new();
        for (entry, signature, c) in compiled {
            let generic = catalog.entries()[entry].signatures[signature].generic;
            let anchored = if c.holes.is_empty() {
                None
            } else {
                Some(build(&format!("^(?i:{})", c.regex))?)
            };
            let holes = match &anchored {
                None => Vec::new(),
                Some(re) => (0..c.holes.len())
                    .map(|k| {
                        let name = format!("h_{k}");
                        let group = re
                            .capture_names()
                            .position(|n| n == Some(&name))
                            .expect("hole group");
                        (c.holes[k].clone(), group)
                    })
                    .collect(),
            };
            sigs.push(Sig {
                entry,
                signature,
                anchored,
                holes,
                trailing_hole: c.trailing_hole,
                generic,
            });
        }
        Ok(Matcher {
            any: Some(any),
            sigs,
        })
    }

    /// Every match, one per start position, in order. Restarting one character after each
    /// match start (not at its end) keeps matches that begin inside a longer one.
    pub fn find_all(&self, text: &str) -> Vec<Raw> {
        let Some(any) = &self.any else {
            return Vec::new();
        };
        let norm = Normalized::new(text);
        let hay = norm.text.as_bytes();
        let mut out = Vec::new();
        // Normalized spans: of each raw match (same order as `out`), and of free/busy context.
        let mut spans = Vec::new();
        let mut context = Vec::new();
        let mut input = Input::new(hay);
        let mut pos = 0;
        while pos < hay.len() {
            input.set_start(pos);
            let Some(m) = any.search(&input) else {
                break;
            };
            pos = next_boundary(&norm.text, m.start() + 1);
            let Some(sig) = self.sigs.get(m.pattern().as_usize()) else {
                context.push(Span::new(m.start(), m.end()));
                continue;
            };
            let Some((end, captures)) = self.captures(sig, &norm, m.start(), m.end()) else {
                continue;
            };
            let span = Span::new(m.start(), end);
            if !sig.generic {
                context.push(span);
            }
            spans.push(span);
            out.push(Raw {
                entry: sig.entry,
                signature: sig.signature,
                start: norm.start(m.start()),
                end: norm.end(end),
                captures,
                generic: sig.generic,
                context: !sig.generic,
            });
        }
        // Frames removed between the parts of a message still tell where it ran: each removed
        // byte is searched once more (a marker there is context).
        for (at, range) in &norm.frames {
            let frames = Input::new(&text.as_bytes()[range.clone()]);
            if any
                .find_iter(frames)
                .any(|m| m.pattern().as_usize() >= self.sigs.len())
            {
                context.push(Span::new(*at, *at));
            }
        }
        context.sort_by_key(|s| s.start);
        for (raw, span) in out.iter_mut().zip(&spans) {
            if raw.generic {
                raw.context = context::near(&norm, &context, *span);
            }
        }
        out
    }

    /// Where `sig`'s match at `start..end` of the view ends and the values its holes captured.
    #[allow(clippy::type_complexity)]
    fn captures(
        &self,
        sig: &Sig,
        norm: &Normalized,
        start: usize,
        end: usize,
    ) -> Option<(usize, Vec<(String, String)>)> {
        let Some(anchored) = &sig.anchored else {
            return Some((end, Vec::new()));
        };
        let hay = norm.text.as_bytes();
        let caps = anchored.captures(&hay[start..end])?;
        let mut end = start + caps.get(0).map_or(end - start, |c| c.end());
        let mut captures = Vec::new();
        for (name, g) in &sig.holes {
            let Some(c) = caps.get(*g) else { continue };
            let (mut a, mut b) = (start + c.start(), start + c.end());
            // A value that ends the pattern stops at its line's end: the next line's first
            // word is not part of `EXCH01.`
            if sig.trailing_hole && name == &sig.holes.last().unwrap().0 {
                if let Some(j) = norm.join_within(a, b) {
                    b = j;
                    end = end.min(j);
                }
            }
            a = a.min(b);
            captures.push((
                name.clone(),
                String::from_utf8_lossy(&hay[a..b]).into_owned(),
            ));
        }
        Some((end, captures))
    }
}

fn next_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}
