//! Signature matches without compiling every signature up front.
//!
//! Each signature has a literal word that any match of it contains (`literal`): one Aho-Corasick
//! automaton over those words says where matches can be, and only there, only the signatures
//! whose word occurs run their own regex (compiled on first use). Starting costs nothing; a text
//! with no candidate compiles nothing.
//!
//! The result is that of one leftmost-first alternation of every signature (most literal text
//! first) searched from every start: at each start the first signature in priority order that
//! matches there wins. A match holds at most `budget` *counted* bytes (all but ASCII whitespace,
//! `.,;` and non-ASCII bytes, which a pattern's unbounded runs may match), so a match containing
//! a literal hit lies within `budget` counted bytes of it on either side: the windows searched.
use super::normalize::Normalized;
use crate::capture::Key;
use crate::code::Code;
use crate::knowledge::{self, pattern, Catalog};
use aho_corasick::{AhoCorasick, MatchKind};
use regex::bytes::{Regex, RegexBuilder};
use regex_automata::{meta, util::syntax, Input};
use std::sync::OnceLock;

/// A signature match, in original byte offsets.
#[derive(Debug, Clone)]
pub struct Raw {
    pub entry: usize,
    pub signature: usize,
    pub start: usize,
    pub end: usize,
    pub captures: Vec<(Key, String)>,
}

/// Literal words shorter than this are not worth a prefilter: the signature is searched everywhere.
const MIN_LITERAL: usize = 3;

/// From this size on, a text goes straight to the one-pass alternation once it is compiled.
const LARGE: usize = 1 << 20;

struct Sig {
    code: Code,
    signature: usize,
    compiled: pattern::Compiled,
    /// Index into the catalog's entries (the built-in catalog is read on the first match).
    entry: OnceLock<Option<usize>>,
    /// `(?i:...)` without groups: where matches start and end.
    plain: OnceLock<Option<Regex>>,
    /// `^(?i:...)` with a group per hole, and the group of each hole.
    anchored: OnceLock<Option<Anchored>>,
}

/// A signature's anchored regex, and the group of each of its holes.
type Anchored = (Regex, Vec<(Key, usize)>);

pub struct Matcher {
    /// In priority order: most literal text first.
    sigs: Vec<Sig>,
    ac: Option<AhoCorasick>,
    /// For each literal of `ac`, the signatures (indices into `sigs`) that contain it.
    owners: Vec<Vec<usize>>,
    /// Signatures without a usable literal: searched over the whole text.
    everywhere: Vec<usize>,
    /// The most counted bytes any match can hold.
    budget: usize,
    /// The longest literal word.
    longest: usize,
    /// Every signature as one leftmost-first alternation (the winner's pattern id is its
    /// priority), compiled when a text has so many candidates that windows would cost more.
    all: OnceLock<Option<meta::Regex>>,
}

fn build(source: &str) -> Result<Regex, String> {
    RegexBuilder::new(source)
        .size_limit(64 << 20)
        .dfa_size_limit(64 << 20)
        .build()
        .map_err(|e| e.to_string())
}

/// Bytes the unbounded runs of a pattern (`\s*`, `[\s.,;]*`) may match, and non-ASCII bytes
/// (Unicode spaces): they do not count towards a match's budget.
fn free(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ' | b'.' | b',' | b';') || b >= 0x80
}

/// The most counted bytes a match of `plain` holds: its length bound without the free runs.
fn budget_of(plain: &str) -> usize {
    let bounded = plain.replace(r"[\s.,;]*", "").replace(r"\s*", "");
    regex_syntax::ParserBuilder::new()
        .utf8(false)
        .case_insensitive(true)
        .build()
        .parse(&bounded)
        .ok()
        .and_then(|h| h.properties().maximum_len())
        .unwrap_or(usize::MAX)
}

/// The longest word of literal pattern text whose case variants are ASCII only (no `k`/`s`,
/// which fold to the Kelvin sign and the long s): an ASCII case-insensitive search finds it in
/// every match.
fn literal(pattern: &str) -> String {
    let (mut best, mut cur) = (String::new(), String::new());
    let mut in_hole = false;
    for c in pattern.trim().chars() {
        in_hole = (in_hole || c == '{') && c != '}';
        let safe = !in_hole
            && c.is_ascii_graphic()
            && !matches!(
                c,
                '.' | ',' | ';' | '-' | '"' | '\'' | '}' | 'k' | 'K' | 's' | 'S'
            );
        if safe {
            cur.push(c.to_ascii_lowercase());
        } else {
            if cur.len() > best.len() {
                best = std::mem::take(&mut cur);
            }
            cur.clear();
        }
    }
    if cur.len() > best.len() {
        best = cur;
    }
    best
}

impl Matcher {
    /// The matcher of `catalog`, every regex compiled now (a bad pattern is an error).
    pub fn new(catalog: &Catalog) -> Result<Matcher, String> {
        let mut items = Vec::new();
        for (ei, entry) in catalog.entries().iter().enumerate() {
            for (si, sig) in entry.signatures.iter().enumerate() {
                items.push((entry.code, si, sig.text.as_str(), Some(ei)));
            }
        }
        let m = Matcher::from_items(items)?;
        for (i, s) in m.sigs.iter().enumerate() {
            m.plain(i)
                .and(m.anchored(i))
                .ok_or_else(|| format!("{}: signature {} does not compile", s.code, s.signature))?;
        }
        Ok(m)
    }

    /// The matcher of the built-in catalog, from the signatures read at build time: nothing is
    /// parsed or compiled until a text has a candidate.
    pub fn builtin() -> Result<Matcher, String> {
        let items = knowledge::embedded_signatures()
            .iter()
            .filter_map(|(c, si, text)| Some((Code::parse(c)?, *si, *text, None)));
        Matcher::from_items(items.collect())
    }

    fn from_items(items: Vec<(Code, usize, &str, Option<usize>)>) -> Result<Matcher, String> {
        let mut sigs = Vec::new();
        for (code, signature, text, entry) in items {
            let compiled = pattern::compile(text, "h").map_err(|e| format!("{code}: {e}"))?;
            let sig = Sig {
                code,
                signature,
                compiled,
                entry: OnceLock::new(),
                plain: OnceLock::new(),
                anchored: OnceLock::new(),
            };
            if let Some(e) = entry {
                let _ = sig.entry.set(Some(e));
            }
            sigs.push((literal(text), sig));
        }
        // Leftmost-first: at one position the first alternative wins, so the most literal first.
        sigs.sort_by(|(_, a), (_, b)| {
            b.compiled
                .literal_len
                .cmp(&a.compiled.literal_len)
                .then((a.code, a.signature).cmp(&(b.code, b.signature)))
        });
        let budget = sigs
            .iter()
            .map(|(_, s)| budget_of(&s.compiled.plain))
            .max()
            .unwrap_or(0);
        let mut words: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut everywhere = Vec::new();
        for (i, (word, _)) in sigs.iter().enumerate() {
            if word.len() < MIN_LITERAL {
                everywhere.push(i);
            } else if let Some(w) = words.iter().position(|x| x == word) {
                owners[w].push(i);
            } else {
                words.push(word.clone());
                owners.push(vec![i]);
            }
        }
        let ac = if words.is_empty() {
            None
        } else {
            let ac = AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&words)
                .map_err(|e| e.to_string())?;
            Some(ac)
        };
        Ok(Matcher {
            all: OnceLock::new(),
            longest: words.iter().map(String::len).max().unwrap_or(0),
            sigs: sigs.into_iter().map(|(_, s)| s).collect(),
            ac,
            owners,
            everywhere,
            budget,
        })
    }

    fn plain(&self, i: usize) -> Option<&Regex> {
        let s = &self.sigs[i];
        s.plain
            .get_or_init(|| build(&format!("(?i:{})", s.compiled.plain)).ok())
            .as_ref()
    }

    fn anchored(&self, i: usize) -> Option<&Anchored> {
        let s = &self.sigs[i];
        s.anchored
            .get_or_init(|| {
                let re = build(&format!("^(?i:{})", s.compiled.regex)).ok()?;
                let holes = (0..s.compiled.holes.len())
                    .map(|k| {
                        let name = format!("h_{k}");
                        let group = re.capture_names().position(|n| n == Some(&name))?;
                        Some((s.compiled.holes[k], group))
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some((re, holes))
            })
            .as_ref()
    }

    fn entry(&self, i: usize) -> Option<usize> {
        let s = &self.sigs[i];
        *s.entry.get_or_init(|| {
            let entries = knowledge::catalog().entries();
            entries.iter().position(|e| e.code == s.code)
        })
    }

    /// Every match, one per start position, in order. Matches that begin inside a longer one
    /// are kept (the resolver decides).
    pub fn find_all(&self, text: &str) -> Vec<Raw> {
        self.find_all_until(text, &|| false).unwrap_or_default()
    }

    /// `find_all`, giving up (`None`) once `stop()` says the result is no longer wanted.
    pub fn find_all_until(&self, text: &str, stop: &dyn Fn() -> bool) -> Option<Vec<Raw>> {
        if self.sigs.is_empty() {
            return Some(Vec::new());
        }
        let norm = Normalized::new(text);
        let hay = norm.text.as_bytes();
        // (start, priority, end) of every signature's every match start.
        // A large text once the one-pass alternation exists: the prefilter pass would only add.
        if hay.len() > LARGE {
            if let Some(Some(all)) = self.all.get() {
                return self.find_all_at_once(all, &norm, stop);
            }
        }
        let windows = self.windows(&norm.text, stop)?;
        // Dense candidates (a common word in every line): one pass of every signature at once.
        let dense = windows.as_ref().is_none_or(|ws| {
            let work: usize = ws.iter().map(|(w, c)| w.len() * c.len()).sum();
            work > 4 * hay.len() + (1 << 20)
        });
        if dense {
            if let Some(all) = self.all() {
                return self.find_all_at_once(all, &norm, stop);
            }
        }
        let windows =
            windows.unwrap_or_else(|| vec![(0..hay.len(), (0..self.sigs.len()).collect())]);
        let mut found = Vec::new();
        for (window, candidates) in windows {
            for i in candidates {
                self.search(i, &norm.text, window.clone(), &mut found);
            }
            if stop() {
                return None;
            }
        }
        for &i in &self.everywhere {
            self.search(i, &norm.text, 0..hay.len(), &mut found);
        }
        found.sort_unstable();
        let mut out = Vec::new();
        let mut pos = 0;
        for (start, i, end) in found {
            // As one alternation restarted one character after each match start would see it.
            if start < pos {
                continue;
            }
            pos = next_boundary(&norm.text, start + 1);
            out.extend(self.raw(i, &norm, start, end));
        }
        Some(out)
    }

    fn all(&self) -> Option<&meta::Regex> {
        self.all
            .get_or_init(|| {
                let patterns: Vec<String> = (self.sigs.iter())
                    .map(|s| format!("(?i:{})", s.compiled.plain))
                    .collect();
                meta::Regex::builder()
                    .syntax(syntax::Config::new().utf8(false))
                    .configure(
                        meta::Regex::config()
                            .utf8_empty(false)
                            .nfa_size_limit(Some(64 << 20))
                            .hybrid_cache_capacity(64 << 20),
                    )
                    .build_many(&patterns)
                    .ok()
            })
            .as_ref()
    }

    /// The one-alternation search: from every start, the first signature (by priority) there.
    fn find_all_at_once(
        &self,
        all: &meta::Regex,
        norm: &Normalized,
        stop: &dyn Fn() -> bool,
    ) -> Option<Vec<Raw>> {
        let hay = norm.text.as_bytes();
        let (mut out, mut pos, mut steps) = (Vec::new(), 0, 0u32);
        while pos < hay.len() {
            steps = steps.wrapping_add(1);
            if steps.is_multiple_of(64) && stop() {
                return None;
            }
            let Some(m) = all.search(&Input::new(hay).range(pos..)) else {
                break;
            };
            out.extend(self.raw(m.pattern().as_usize(), norm, m.start(), m.end()));
            pos = next_boundary(&norm.text, m.start() + 1);
        }
        Some(out)
    }

    /// Every start of signature `i` in `window` (searched up to the window's end).
    fn search(
        &self,
        i: usize,
        text: &str,
        window: std::ops::Range<usize>,
        found: &mut Vec<(usize, usize, usize)>,
    ) {
        let Some(re) = self.plain(i) else { return };
        let hay = &text.as_bytes()[..window.end];
        let mut pos = window.start;
        while pos < hay.len() {
            let Some(m) = re.find_at(hay, pos) else { break };
            found.push((m.start(), i, m.end()));
            pos = next_boundary(text, m.start() + 1);
        }
    }

    /// The match of signature `i` at `start..end` of the normalized text, with its captures.
    fn raw(&self, i: usize, norm: &Normalized, start: usize, end: usize) -> Option<Raw> {
        let sig = &self.sigs[i];
        let hay = norm.text.as_bytes();
        let (anchored, holes) = self.anchored(i)?;
        let caps = anchored.captures(&hay[start..end])?;
        let mut end = start + caps.get(0).map_or(end - start, |c| c.end());
        let mut captures: Vec<(Key, String)> = Vec::new();
        for (name, g) in holes {
            let Some(c) = caps.get(*g) else { continue };
            let (mut a, mut b) = (start + c.start(), start + c.end());
            // A value that ends the pattern stops at its line's end: the next line's first word
            // is not part of `EXCH01.`
            if sig.compiled.trailing_hole && Some(name) == holes.last().map(|h| &h.0) {
                if let Some(j) = norm.join_within(a, b) {
                    b = j;
                    end = end.min(j);
                }
            }
            a = a.min(b);
            captures.push((*name, String::from_utf8_lossy(&hay[a..b]).into_owned()));
        }
        Some(Raw {
            entry: self.entry(i)?,
            signature: sig.signature,
            start: norm.start(start),
            end: norm.end(end),
            captures,
        })
    }

    /// The stretches of `text` where a match can be, in order and disjoint, each with the
    /// signatures (in priority order) whose literal occurs in it.
    /// `Some(None)`: so many hits that windows would cost more than one pass of everything.
    fn windows(&self, text: &str, stop: &dyn Fn() -> bool) -> Option<Option<Vec<Window>>> {
        let Some(ac) = &self.ac else {
            return Some(Some(Vec::new()));
        };
        let dense = text.len() / 256 + 1024;
        let hay = text.as_bytes();
        let mut out: Vec<Window> = Vec::new();
        // Counted bytes before `at` (hit ends), and before the current window's end.
        let (mut at, mut end) = (Cursor::default(), Cursor::default());
        let mut n = 0u32;
        // Overlapping hits come in order of their end.
        for m in ac.find_overlapping_iter(hay) {
            n = n.wrapping_add(1);
            if n.is_multiple_of(4096) && stop() {
                return None;
            }
            if n as usize > dense {
                return Some(None);
            }
            at.advance(hay, m.end());
            // A literal is all counted bytes.
            let counted_start = at.count - m.len();
            let joins = !out.is_empty() && counted_start <= end.count + self.budget;
            if !joins {
                let floor = out.last().map_or(0, |w| w.0.end);
                // Slack for later hits (by end) that start up to one literal earlier.
                let start = self.walk_left(
                    text,
                    m.start(),
                    floor,
                    self.budget.saturating_add(self.longest),
                );
                if out.is_empty() || start > floor {
                    out.push((start..start, Vec::new()));
                }
            }
            // The window reaches `budget` counted bytes past the hit's end.
            end.advance(hay, m.end().max(end.pos));
            end.walk(hay, at.count.saturating_add(self.budget));
            let w = out.last_mut().expect("a window");
            w.0.end = next_boundary(text, end.pos);
            w.1.extend(&self.owners[m.pattern().as_usize()]);
        }
        for w in &mut out {
            w.1.sort_unstable();
            w.1.dedup();
        }
        Some(Some(out))
    }

    /// Where a window around a hit at `from` starts: `budget` counted bytes back, not before
    /// `floor`, on a character boundary.
    fn walk_left(&self, text: &str, from: usize, floor: usize, budget: usize) -> usize {
        let hay = text.as_bytes();
        let (mut x, mut count) = (from, 0usize);
        while x > floor {
            let c = usize::from(!free(hay[x - 1]));
            if count + c > budget {
                break;
            }
            count += c;
            x -= 1;
        }
        while x > 0 && !text.is_char_boundary(x) {
            x -= 1;
        }
        x
    }
}

type Window = (std::ops::Range<usize>, Vec<usize>);

/// A position and the counted bytes before it; moves forward only.
#[derive(Default)]
struct Cursor {
    pos: usize,
    count: usize,
}

impl Cursor {
    fn advance(&mut self, hay: &[u8], to: usize) {
        let to = to.min(hay.len());
        if to > self.pos {
            self.count += hay[self.pos..to].iter().filter(|&&b| !free(b)).count();
            self.pos = to;
        }
    }

    /// Forward while the count stays within `limit`.
    fn walk(&mut self, hay: &[u8], limit: usize) {
        while self.pos < hay.len() {
            let c = usize::from(!free(hay[self.pos]));
            if self.count + c > limit {
                break;
            }
            self.count += c;
            self.pos += 1;
        }
    }
}

fn next_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_ascii_words_without_case_folding_surprises() {
        assert_eq!(
            literal("OAuthTokenRequestFailedException: Missing"),
            "tfailedexception:"
        );
        assert_eq!(literal("address {address} with error"), "addre");
        assert_eq!(literal("Det går inte"), "inte");
    }

    /// What the prefilter must reproduce: one leftmost-first alternation of every signature,
    /// restarted one character after each match start.
    fn reference(
        m: &Matcher,
        any: &Regex,
        text: &str,
    ) -> Vec<(usize, usize, usize, usize, String)> {
        let norm = Normalized::new(text);
        let hay = norm.text.as_bytes();
        let (mut out, mut pos) = (Vec::new(), 0);
        while pos < hay.len() {
            let Some(found) = any.find_at(hay, pos) else {
                break;
            };
            let i = (0..m.sigs.len())
                .find(|&i| {
                    m.anchored(i)
                        .unwrap()
                        .0
                        .is_match(&hay[found.start()..found.end()])
                })
                .unwrap();
            let r = m.raw(i, &norm, found.start(), found.end()).unwrap();
            out.push((
                r.entry,
                r.signature,
                r.start,
                r.end,
                format!("{:?}", r.captures),
            ));
            pos = next_boundary(&norm.text, found.start() + 1);
        }
        out
    }

    #[test]
    fn the_prefilter_finds_what_one_alternation_finds() {
        let catalog = knowledge::catalog();
        let m = Matcher::new(catalog).unwrap();
        let any = (0..m.sigs.len())
            .map(|i| m.sigs[i].compiled.plain.as_str())
            .collect::<Vec<_>>()
            .join("|");
        let any = build(&format!("(?i:{any})")).unwrap();
        let examples: Vec<&str> = catalog
            .entries()
            .iter()
            .flat_map(|e| e.examples.iter().map(|x| x.text.as_str()))
            .collect();
        let noise = [
            " ",
            "\n",
            "\n\n",
            "   \n  ",
            ".,; ",
            "&amp;",
            "<br>",
            "x",
            "é",
            "\u{a0}",
            "INFO request 200 ",
            "Exception: ",
            "\u{212a}",
            "k",
            "{}",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..200 {
            let mut text = String::new();
            for _ in 0..next(12) {
                let ex = examples[next(examples.len())];
                // A whole example, or a cut of it (by characters).
                let chars: Vec<char> = ex.chars().collect();
                let (a, b) = (
                    next(chars.len() / 3 + 1),
                    chars.len() - next(chars.len() / 3 + 1),
                );
                let piece: String = if next(3) == 0 {
                    chars[a..b.max(a)].iter().collect()
                } else {
                    ex.to_string()
                };
                text.push_str(&piece.replace(' ', noise[next(noise.len())]));
                for _ in 0..next(4) {
                    text.push_str(noise[next(noise.len())]);
                }
            }
            let got: Vec<_> = m
                .find_all(&text)
                .into_iter()
                .map(|r| {
                    (
                        r.entry,
                        r.signature,
                        r.start,
                        r.end,
                        format!("{:?}", r.captures),
                    )
                })
                .collect();
            let want = reference(&m, &any, &text);
            assert_eq!(got, want, "{text:?}");
            let norm = Normalized::new(&text);
            let at_once: Vec<_> = (m.find_all_at_once(m.all().unwrap(), &norm, &|| false))
                .unwrap()
                .into_iter()
                .map(|r| {
                    (
                        r.entry,
                        r.signature,
                        r.start,
                        r.end,
                        format!("{:?}", r.captures),
                    )
                })
                .collect();
            assert_eq!(at_once, want, "{text:?}");
        }
    }

    #[test]
    fn the_budget_ignores_free_runs_and_bounds_holes() {
        assert_eq!(budget_of(r"abc\s*def[\s.,;]*gh"), 8);
        assert!(budget_of(r"a(?-u:[^\x00]){0,200}?b") >= 202);
    }
}
