//! The single alternation regex over every signature, and the raw matches it yields.
//!
//! The alternation has no capture groups, so the search runs on the lazy DFA alone; once it
//! finds where a match starts, each signature's own anchored regex (in the same priority order)
//! says which one it was and captures its holes on that short span.
use super::normalize::Normalized;
use crate::capture::Key;
use crate::knowledge::{pattern, Catalog};
use regex::bytes::{Regex, RegexBuilder};

/// A signature match, in original byte offsets.
#[derive(Debug, Clone)]
pub struct Raw {
    pub entry: usize,
    pub signature: usize,
    pub start: usize,
    pub end: usize,
    pub captures: Vec<(Key, String)>,
}

struct Sig {
    entry: usize,
    signature: usize,
    /// `^(?i:...)`, with a group per hole.
    anchored: Regex,
    holes: Vec<(Key, usize)>,
    trailing_hole: bool,
}

pub struct Matcher {
    any: Option<Regex>,
    /// In priority order: most literal text first, as in `any`.
    sigs: Vec<Sig>,
}

fn build(source: &str) -> Result<Regex, String> {
    RegexBuilder::new(source)
        .size_limit(64 << 20)
        .dfa_size_limit(64 << 20)
        .build()
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
        // Leftmost-first: at one position the first alternative wins, so put the most literal first.
        compiled.sort_by(|a, b| {
            b.2.literal_len
                .cmp(&a.2.literal_len)
                .then((a.0, a.1).cmp(&(b.0, b.1)))
        });
        let alternation: Vec<&str> = compiled.iter().map(|(_, _, c)| c.plain.as_str()).collect();
        let any = build(&format!("(?i:{})", alternation.join("|")))?;
        let mut sigs = Vec::new();
        for (entry, signature, c) in compiled {
            let anchored = build(&format!("^(?i:{})", c.regex))?;
            let holes = (0..c.holes.len())
                .map(|k| {
                    let name = format!("h_{k}");
                    let group = anchored
                        .capture_names()
                        .position(|n| n == Some(&name))
                        .expect("hole group");
                    (c.holes[k], group)
                })
                .collect();
            sigs.push(Sig {
                entry,
                signature,
                anchored,
                holes,
                trailing_hole: c.trailing_hole,
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
        self.find_all_until(text, &|| false).unwrap_or_default()
    }

    /// `find_all`, giving up (`None`) once `stop()` says the result is no longer wanted.
    pub fn find_all_until(&self, text: &str, stop: &dyn Fn() -> bool) -> Option<Vec<Raw>> {
        let Some(any) = &self.any else {
            return Some(Vec::new());
        };
        let norm = Normalized::new(text);
        let hay = norm.text.as_bytes();
        let mut out = Vec::new();
        let mut pos = 0;
        let mut steps = 0u32;
        while pos < hay.len() {
            steps = steps.wrapping_add(1);
            if steps.is_multiple_of(64) && stop() {
                return None;
            }
            let Some(m) = any.find_at(hay, pos) else {
                break;
            };
            // The winning signature matches exactly this span: searching further only costs.
            let at = &hay[m.start()..m.end()];
            if let Some((sig, caps)) = self
                .sigs
                .iter()
                .find_map(|s| Some((s, s.anchored.captures(at)?)))
            {
                let mut end = m.start() + caps.get(0).map_or(m.len(), |c| c.end());
                let mut captures: Vec<(Key, String)> = Vec::new();
                for (name, g) in &sig.holes {
                    let Some(c) = caps.get(*g) else { continue };
                    let (mut a, mut b) = (m.start() + c.start(), m.start() + c.end());
                    // A value that ends the pattern stops at its line's end: the next line's
                    // first word is not part of `EXCH01.`
                    if sig.trailing_hole && name == &sig.holes.last().unwrap().0 {
                        if let Some(j) = norm.join_within(a, b) {
                            b = j;
                            end = end.min(j);
                        }
                    }
                    a = a.min(b);
                    captures.push((*name, String::from_utf8_lossy(&hay[a..b]).into_owned()));
                }
                out.push(Raw {
                    entry: sig.entry,
                    signature: sig.signature,
                    start: norm.start(m.start()),
                    end: norm.end(end),
                    captures,
                });
            }
            pos = next_boundary(&norm.text, m.start() + 1);
        }
        Some(out)
    }
}

fn next_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}
