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

#[derive(Debug, Clone, PartialEq)]
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
///
/// The rule, as passes: each pass visits the units in order; a unit whose window (`NEIGHBOURS`
/// live units each side) holds a near unit that absorbs it joins the nearest one (the first in
/// window order on a tie) and leaves the sequence; repeat until a pass merges nothing. Done
/// literally that is O(n) per removal and up to O(n) passes. A unit that found no owner can find
/// one only when an absorbing unit enters its window, an absorbing unit in it grows, or it grows
/// itself; so only those units are visited again (in this pass when they lie ahead, else in the
/// next), which gives the same merges in O(n log n).
fn absorb(catalog: &Catalog, text: &str, units: &mut Vec<Unit>) {
    if units.len() < 2 {
        return;
    }
    let absorbs = Absorbs::new(catalog);
    let absorbs = |owner: &Unit, other: &Unit| absorbs.get(owner.entry, other.entry);
    let mut list = Links::new(units.len());
    let mut now = Queue::new(units.len());
    let mut later = Queue::new(units.len());
    (0..units.len()).for_each(|i| now.push(i));
    loop {
        while let Some(i) = now.pop() {
            let window = list.window(i);
            let owner = window
                .iter()
                .copied()
                .filter(|&j| absorbs(&units[j], &units[i]))
                .filter(|&j| near(text, &units[j].range, &units[i].range))
                .min_by_key(|&j| distance(&units[j].range, &units[i].range));
            let Some(j) = owner else { continue };
            list.unlink(i);
            let captures = std::mem::take(&mut units[i].captures);
            let r = units[i].range.clone();
            let (generic, context) = (units[i].generic, units[i].context);
            let o = &mut units[j];
            o.range = o.range.start.min(r.start)..o.range.end.max(r.end);
            // The absorbed line (an Exchange wrapper) is context for a generic owner.
            o.context |= context || !generic;
            o.generic &= generic;
            for (k, v) in captures {
                o.captures.entry(k).or_insert(v);
            }
            let mut wake = |c: usize| {
                if c > i {
                    now.push(c);
                } else {
                    later.push(c);
                }
            };
            wake(j);
            // Each neighbour of `i` sees one unit enter its window from beyond `i`.
            let split = window.partition_point(|&c| c < i);
            let (left, right) = window.split_at(split);
            for (d, &c) in left.iter().rev().enumerate() {
                let entering = right.get(NEIGHBOURS - 1 - d);
                if entering.is_some_and(|&e| absorbs(&units[e], &units[c])) {
                    wake(c);
                }
            }
            for (d, &c) in right.iter().enumerate() {
                let entering = left.len().checked_sub(NEIGHBOURS - d).map(|k| &left[k]);
                if entering.is_some_and(|&e| absorbs(&units[e], &units[c])) {
                    wake(c);
                }
            }
            for c in list.window(j) {
                if absorbs(&units[j], &units[c]) {
                    wake(c);
                }
            }
        }
        if later.is_empty() {
            break;
        }
        std::mem::swap(&mut now, &mut later);
    }
    let mut kept = Vec::with_capacity(units.len());
    for (i, u) in std::mem::take(units).into_iter().enumerate() {
        if list.alive[i] {
            kept.push(u);
        }
    }
    *units = kept;
}

/// Which entry absorbs which, by entry index.
struct Absorbs {
    n: usize,
    pairs: Vec<bool>,
}

impl Absorbs {
    fn new(catalog: &Catalog) -> Absorbs {
        let entries = catalog.entries();
        let n = entries.len();
        let index: std::collections::HashMap<&str, usize> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.code.as_str(), i))
            .collect();
        let mut pairs = vec![false; n * n];
        for (owner, e) in entries.iter().enumerate() {
            for other in e.absorbs.iter().filter_map(|c| index.get(c.as_str())) {
                pairs[owner * n + other] = true;
            }
        }
        Absorbs { n, pairs }
    }

    fn get(&self, owner: usize, other: usize) -> bool {
        self.pairs[owner * self.n + other]
    }
}

/// Units to visit, smallest index first, each once.
struct Queue {
    heap: std::collections::BinaryHeap<std::cmp::Reverse<usize>>,
    queued: Vec<bool>,
}

impl Queue {
    fn new(n: usize) -> Queue {
        Queue {
            heap: std::collections::BinaryHeap::new(),
            queued: vec![false; n],
        }
    }

    fn push(&mut self, i: usize) {
        if !std::mem::replace(&mut self.queued[i], true) {
            self.heap.push(std::cmp::Reverse(i));
        }
    }

    fn pop(&mut self) -> Option<usize> {
        let std::cmp::Reverse(i) = self.heap.pop()?;
        self.queued[i] = false;
        Some(i)
    }

    fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

/// The units still in the sequence, as a doubly linked list over their indices.
struct Links {
    prev: Vec<usize>,
    next: Vec<usize>,
    alive: Vec<bool>,
}

const NONE: usize = usize::MAX;

impl Links {
    fn new(n: usize) -> Links {
        Links {
            prev: (0..n).map(|i| i.checked_sub(1).unwrap_or(NONE)).collect(),
            next: (0..n)
                .map(|i| if i + 1 < n { i + 1 } else { NONE })
                .collect(),
            alive: vec![true; n],
        }
    }

    /// Up to `NEIGHBOURS` live units before `i` and after it, in sequence order, without `i`.
    fn window(&self, i: usize) -> Vec<usize> {
        let mut before = Vec::with_capacity(2 * NEIGHBOURS + 1);
        let mut at = self.prev[i];
        while at != NONE && before.len() < NEIGHBOURS {
            before.push(at);
            at = self.prev[at];
        }
        before.reverse();
        let mut at = self.next[i];
        for _ in 0..NEIGHBOURS {
            if at == NONE {
                break;
            }
            before.push(at);
            at = self.next[at];
        }
        before
    }

    fn unlink(&mut self, i: usize) {
        let (p, n) = (self.prev[i], self.next[i]);
        if p != NONE {
            self.next[p] = n;
        }
        if n != NONE {
            self.prev[n] = p;
        }
        self.alive[i] = false;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::catalog;
    use crate::scan::Matcher;

    /// The rule as first written: passes over the vector, one `Vec::remove` per merge.
    fn absorb_by_passes(catalog: &Catalog, text: &str, units: &mut Vec<Unit>) {
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

    const LINES: &[&str] = &[
        "Proxy web request failed.",
        "The request failed with HTTP status 401: Unauthorized.",
        "Proxy web request failed. , inner exception: The request failed with HTTP status 401: Unauthorized.",
        "OAuthTokenRequestFailedException: Missing signing certificate",
        "The remote server returned an error: (401) Unauthorized. Proxy web request failed.",
        "",
        "   ",
        "2024-05-03 12:00:01 INFO nothing to see",
    ];

    /// Random logs made of the lines whose matches absorb one another, with blank lines between.
    fn logs() -> impl Iterator<Item = String> {
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15_u64);
        (0..400).map(move |_| {
            // Runs of one line (a chain of generic lines before their owner) as well as mixes.
            let mut out: Vec<&str> = Vec::new();
            while out.len() < 120 {
                let line = LINES[next(LINES.len())];
                let run = if next(3) == 0 { 1 + next(40) } else { 1 };
                out.extend(std::iter::repeat_n(line, run));
            }
            out.join(if next(4) == 0 { " " } else { "\n" })
        })
    }

    #[test]
    fn merges_as_the_passes_do() {
        let cat = catalog();
        let matcher = Matcher::new(cat).unwrap();
        let mut merged = 0;
        for text in logs() {
            let mut raws = matcher.find_all(&text);
            raws.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
            let units = merge_parts(&text, drop_contained(raws));
            let (mut fast, mut slow) = (units.clone(), units.clone());
            absorb(cat, &text, &mut fast);
            absorb_by_passes(cat, &text, &mut slow);
            assert_eq!(fast, slow, "in:\n{text}");
            merged += units.len() - fast.len();
        }
        assert!(
            merged > 1000,
            "the logs exercise absorption ({merged} merges)"
        );
    }
}
