//! Turns raw signature matches into findings.
//!
//! 1. A match inside a longer match is dropped: the longer one is the more specific reading.
//! 2. Matches of one entry within `NEAR_LINES` of each other, with no blank line between, are parts
//!    of one message (FB017 prints four lines) unless a signature repeats: that is a new occurrence.
//! 3. A match of an entry that a nearby entry `absorbs` (the generic 401 line above `Missing
//!    signing certificate`) joins the nearest absorbing one.
//!
//! A unit is generic when every match in it is a generic signature's, and has free/busy context
//! when any of them has (`context.rs`).
use super::matcher::Raw;
use crate::capture::{Captures, Key};
use crate::knowledge::Catalog;
use std::collections::BTreeMap;
use std::ops::Range;

/// Lines that may separate two parts of one message.
const NEAR_LINES: usize = 3;
/// Bytes that may separate them, whatever the lines.
const NEAR_BYTES: usize = 4096;
/// How many neighbours (in position order) an absorbed match looks at for its owner.
const NEIGHBOURS: usize = 16;

#[derive(Debug)]
pub struct Unit {
    pub entry: usize,
    pub range: Range<usize>,
    signatures: Vec<usize>,
    pub captures: Captures,
    /// Only generic signatures matched.
    pub generic: bool,
    /// Free/busy context stands near one of its matches.
    pub context: bool,
}

pub fn resolve(catalog: &Catalog, text: &str, mut raws: Vec<Raw>) -> Vec<Unit> {
    raws.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let raws = drop_contained(raws);
    let mut units = merge_parts(text, raws);
    absorb(catalog, text, &mut units);
    units.sort_by_key(|u| u.range.start);
    units
}

fn drop_contained(raws: Vec<Raw>) -> Vec<Raw> {
    let mut out: Vec<Raw> = Vec::with_capacity(raws.len());
    let mut max_end = 0;
    for r in raws {
        if !out.is_empty() && r.end <= max_end {
            continue;
        }
        max_end = max_end.max(r.end);
        out.push(r);
    }
    out
}

fn near(text: &str, a: &Range<usize>, b: &Range<usize>) -> bool {
    let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
    if second.start <= first.end {
        return true;
    }
    let gap = &text.as_bytes()[first.end..second.start];
    if gap.len() > NEAR_BYTES {
        return false;
    }
    // A blank line ends a message: what follows is another paragraph, another event.
    let breaks: Vec<usize> = memchr::memchr_iter(b'\n', gap).collect();
    breaks.len() <= NEAR_LINES
        && breaks
            .windows(2)
            .all(|w| !gap[w[0] + 1..w[1]].iter().all(u8::is_ascii_whitespace))
}

fn merge_parts(text: &str, raws: Vec<Raw>) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    // The last unit of each entry, by index into `units`.
    let mut last_of: BTreeMap<usize, usize> = BTreeMap::new();
    for raw in raws {
        let range = raw.start..raw.end;
        if let Some(&ui) = last_of.get(&raw.entry) {
            let u = &mut units[ui];
            if near(text, &u.range, &range) && !u.signatures.contains(&raw.signature) {
                u.range.end = u.range.end.max(range.end);
                u.signatures.push(raw.signature);
                u.generic &= raw.generic;
                u.context |= raw.context;
                add_captures(&mut u.captures, raw.captures);
                continue;
            }
        }
        last_of.insert(raw.entry, units.len());
        let mut captures = Captures::new();
        add_captures(&mut captures, raw.captures);
        units.push(Unit {
            entry: raw.entry,
            range,
            signatures: vec![raw.signature],
            captures,
            generic: raw.generic,
            context: raw.context,
        });
    }
    units
}

/// Merges absorbed units into their nearest absorbing neighbour, until nothing changes.
fn absorb(catalog: &Catalog, text: &str, units: &mut Vec<Unit>) {
    let entries = catalog.entries();
    let absorbs = |owner: usize, other: usize| {
        entries[owner]
            .absorbs
            .iter()
            .any(|c| *c == entries[other].code)
    };
    loop {
        let mut merged = false;
        let mut i = 0;
        while i < units.len() {
            let lo = i.saturating_sub(NEIGHBOURS);
            let hi = (i + NEIGHBOURS + 1).min(units.len());
            let owner = (lo..hi)
                .filter(|&j| j != i && absorbs(units[j].entry, units[i].entry))
                .filter(|&j| near(text, &units[j].range, &units[i].range))
                .min_by_key(|&j| distance(&units[j].range, &units[i].range));
            if let Some(j) = owner {
                let u = units.remove(i);
                let j = if j > i { j - 1 } else { j };
                let o = &mut units[j];
                o.range = o.range.start.min(u.range.start)..o.range.end.max(u.range.end);
                // The absorbed line (an Exchange wrapper) is context for a generic owner.
                o.context |= u.context || !u.generic;
                o.generic &= u.generic;
                for (k, v) in u.captures {
                    o.captures.entry(k).or_insert(v);
                }
                merged = true;
            } else {
                i += 1;
            }
        }
        if !merged {
            break;
        }
    }
}

fn distance(a: &Range<usize>, b: &Range<usize>) -> usize {
    b.start
        .saturating_sub(a.end)
        .max(a.start.saturating_sub(b.end))
}

/// Keeps real values; an unfilled article placeholder (`<smtp address>`) is not a value.
fn add_captures(into: &mut Captures, found: Vec<(Key, String)>) {
    for (name, value) in found {
        let value = value.trim_matches(|c: char| c == '\'' || c == '"' || c == '.');
        if !value.is_empty() && !value.starts_with('<') {
            into.entry(name).or_insert_with(|| value.to_string());
        }
    }
}
