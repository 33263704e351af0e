//! The single alternation regex over every signature, and the raw matches it yields.
use super::normalize::Normalized;
use crate::knowledge::{pattern, Catalog};
use regex::{Regex, RegexBuilder};

/// A signature match, in original byte offsets.
#[derive(Debug, Clone)]
pub struct Raw {
    pub entry: usize,
    pub signature: usize,
    pub start: usize,
    pub end: usize,
    pub captures: Vec<(String, String)>,
}

struct Sig {
    entry: usize,
    signature: usize,
    group: usize,
    holes: Vec<(String, usize)>,
}

pub struct Matcher {
    regex: Option<Regex>,
    sigs: Vec<Sig>,
}

impl Matcher {
    pub fn new(catalog: &Catalog) -> Result<Matcher, String> {
        let mut compiled = Vec::new();
        for (ei, entry) in catalog.entries().iter().enumerate() {
            for (si, sig) in entry.signatures.iter().enumerate() {
                let prefix = format!("h{ei}_{si}");
                let c = pattern::compile(&sig.text, &prefix)
                    .map_err(|e| format!("{}: {e}", entry.code))?;
                compiled.push((ei, si, prefix, c));
            }
        }
        if compiled.is_empty() {
            return Ok(Matcher {
                regex: None,
                sigs: Vec::new(),
            });
        }
        // Leftmost-first: at one position the first alternative wins, so put the most literal first.
        compiled.sort_by(|a, b| {
            b.3.literal_len
                .cmp(&a.3.literal_len)
                .then((a.0, a.1).cmp(&(b.0, b.1)))
        });
        let alternation: Vec<String> = compiled
            .iter()
            .map(|(ei, si, _, c)| format!("(?P<s{ei}_{si}>{})", c.regex))
            .collect();
        let source = format!("(?i:{})", alternation.join("|"));
        let regex = RegexBuilder::new(&source)
            .size_limit(256 << 20)
            .dfa_size_limit(64 << 20)
            .build()
            .map_err(|e| e.to_string())?;
        let index_of = |name: &str| {
            regex
                .capture_names()
                .position(|n| n == Some(name))
                .expect("group exists")
        };
        let sigs = compiled
            .iter()
            .map(|(ei, si, prefix, c)| Sig {
                entry: *ei,
                signature: *si,
                group: index_of(&format!("s{ei}_{si}")),
                holes: c
                    .holes
                    .iter()
                    .enumerate()
                    .map(|(k, name)| (name.clone(), index_of(&format!("{prefix}_{k}"))))
                    .collect(),
            })
            .collect();
        Ok(Matcher {
            regex: Some(regex),
            sigs,
        })
    }

    /// Every match, one per start position, in order. Restarting one character after each
    /// match start (not at its end) keeps matches that begin inside a longer one.
    pub fn find_all(&self, text: &str) -> Vec<Raw> {
        let Some(regex) = &self.regex else {
            return Vec::new();
        };
        let norm = Normalized::new(text);
        let hay = norm.text.as_str();
        let mut locs = regex.capture_locations();
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < hay.len() {
            let Some(m) = regex.captures_read_at(&mut locs, hay, pos) else {
                break;
            };
            if let Some(sig) = self.sigs.iter().find(|s| locs.get(s.group).is_some()) {
                let captures = sig
                    .holes
                    .iter()
                    .filter_map(|(name, g)| {
                        let (a, b) = locs.get(*g)?;
                        Some((name.clone(), hay[a..b].to_string()))
                    })
                    .collect();
                out.push(Raw {
                    entry: sig.entry,
                    signature: sig.signature,
                    start: norm.start(m.start()),
                    end: norm.end(m.end()),
                    captures,
                });
            }
            pos = next_boundary(hay, m.start() + 1);
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
