//! The single alternation regex over every signature, and the raw matches it yields.
//!
//! The alternation has no capture groups, so the search runs on the lazy DFA alone; once it
//! finds where a match starts, each signature's own anchored regex (in the same priority order)
//! says which one it was and captures its holes on that short span. The free/busy context
//! markers (`context.toml`) close the alternation, after every signature: a marker wins only
//! where no signature starts, so it never hides one.
use super::context::{self, Span};
use super::normalize::Normalized;
use crate::knowledge::{pattern, Catalog};
use regex::bytes::{Regex, RegexBuilder};

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
    /// `^(?i:...)`, with a group per hole.
    anchored: Regex,
    holes: Vec<(String, usize)>,
    trailing_hole: bool,
    generic: bool,
}

pub struct Matcher {
    any: Option<Regex>,
    /// `^(?i:...)` over the signatures only: whether the match at a position is a signature's
    /// (else it is a context marker's).
    any_signature: Option<Regex>,
    /// The context markers alone, for the stack frames the normalizer removed.
    markers: Option<Regex>,
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
                any_signature: None,
                markers: None,
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
        let any_signature = build(&format!("^(?i:{})", alternation.join("|")))?;
        let mut markers = Vec::new();
        for m in catalog.context_markers() {
            markers.push(
                pattern::compile(m, "m")
                    .map_err(|e| format!("context: {e}"))?
                    .plain,
            );
        }
        let all: Vec<&str> = alternation
            .iter()
            .copied()
            .chain(markers.iter().map(String::as_str))
            .collect();
        let any = build(&format!("(?i:{})", all.join("|")))?;
        let markers = (!markers.is_empty())
            .then(|| build(&format!("(?i:{})", markers.join("|"))))
            .transpose()?;
        let mut sigs = Vec::new();
        for (entry, signature, c) in compiled {
            let generic = catalog.entries()[entry].signatures[signature].generic;
            let anchored = build(&format!("^(?i:{})", c.regex))?;
            let holes = (0..c.holes.len())
                .map(|k| {
                    let name = format!("h_{k}");
                    let group = anchored
                        .capture_names()
                        .position(|n| n == Some(&name))
                        .expect("hole group");
                    (c.holes[k].clone(), group)
                })
                .collect();
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
            any_signature: Some(any_signature),
            markers,
            sigs,
        })
    }

    /// Every match, one per start position, in order. Restarting one character after each
    /// match start (not at its end) keeps matches that begin inside a longer one.
    pub fn find_all(&self, text: &str) -> Vec<Raw> {
        let (Some(any), Some(any_signature)) = (&self.any, &self.any_signature) else {
            return Vec::new();
        };
        let norm = Normalized::new(text);
        let hay = norm.text.as_bytes();
        let mut out = Vec::new();
        // Normalized spans: of each raw match (same order as `out`), and of free/busy context.
        let mut spans = Vec::new();
        let mut context = Vec::new();
        let mut pos = 0;
        while pos < hay.len() {
            let Some(m) = any.find_at(hay, pos) else {
                break;
            };
            pos = next_boundary(&norm.text, m.start() + 1);
            if !any_signature.is_match(&hay[m.start()..]) {
                context.push(Span::new(m.start(), m.end()));
                continue;
            }
            // The winning signature matches exactly this span: searching further only costs.
            let at = &hay[m.start()..m.end()];
            let Some((sig, caps)) = self
                .sigs
                .iter()
                .find_map(|s| Some((s, s.anchored.captures(at)?)))
            else {
                continue;
            };
            let mut end = m.start() + caps.get(0).map_or(m.len(), |c| c.end());
            let mut captures: Vec<(String, String)> = Vec::new();
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
                captures.push((
                    name.clone(),
                    String::from_utf8_lossy(&hay[a..b]).into_owned(),
                ));
            }
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
        // byte is searched once more, for markers only.
        if let Some(markers) = &self.markers {
            for (at, range) in &norm.frames {
                if markers.is_match(&text.as_bytes()[range.clone()]) {
                    context.push(Span::new(*at, *at));
                }
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
}

fn next_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}
