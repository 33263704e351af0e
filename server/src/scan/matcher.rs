//! Signature matches without compiling every signature up front.
//!
//! The result is that of one leftmost-first alternation of every signature (most literal text
//! first) searched from every start, restarted one character after each match start: at each
//! start the first signature in priority order that matches there wins.
//!
//! Each signature requires one literal word (`literal::pick`: long, ASCII, rare in logs). One
//! Aho-Corasick automaton over those words says where matches can be; only there, only the
//! signatures whose word occurs run their own regex, compiled on first use. Starting costs
//! nothing, and a text without candidates compiles nothing. A match holds at most `budget`
//! *counted* bytes (bytes outside `literal::free`, the only ones a pattern's unbounded runs may
//! match), so a match holding a hit lies within the window of `budget` counted bytes either side
//! of it. Where windows would cost more than a pass of everything (a common word on every line,
//! or a text over `LARGE`), the one alternation is compiled and run once.
//!
//! Free/busy context markers (`context.toml`) are common (an EWS URL on every line of an IIS
//! log), so they are searched only in the windows around generic matches, each byte at most once
//! or twice whatever the number of matches, and in the stack frames the normalizer removed.
use super::ascii::{self, Dual};
use super::context::{self, Span};
use super::literal;
use super::normalize::Normalized;
use super::words::WordSearch;
use crate::capture::Key;
use crate::code::Code;
use crate::knowledge::{self, pattern, Catalog};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex_automata::{meta, Anchored, Input};
use regex_syntax::hir::Hir;
use std::ops::Range;
use std::sync::OnceLock;

/// A signature match, in original byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raw {
    pub entry: usize,
    pub signature: usize,
    pub start: usize,
    pub end: usize,
    pub captures: Vec<(Key, String)>,
    /// The signature is a generic .NET/Windows/Entra text (`generic = true`).
    pub generic: bool,
    /// Free/busy context stands near it (always true for a specific signature).
    pub context: bool,
}

/// A signature's regex (one pattern, a group per hole), parsed once: compiled as written and
/// projected to ASCII (`ascii.rs`), the group of each hole.
struct Parsed {
    re: Dual,
    holes: Vec<(Key, usize)>,
}

struct Sig {
    code: Code,
    signature: usize,
    generic: bool,
    text: &'static str,
    /// Its words of three letters or more, every one in every match (`pattern::words`).
    words: Vec<String>,
    /// Compiled to regex source on first use (a pattern that does not compile never matches;
    /// the catalog test reports it).
    pattern: OnceLock<Option<pattern::Compiled>>,
    /// Index into the catalog's entries: known for `new`, looked up on the first match for
    /// `builtin` (the built-in catalog is read only then).
    entry: OnceLock<Option<usize>>,
    parsed: OnceLock<Option<Parsed>>,
    /// The most counted bytes a match holds (`None`: unbounded, searched everywhere): read at
    /// build time for the built-in catalog, so that the windows parse no regex; else from the
    /// parsed regex on first need.
    budget: OnceLock<Option<usize>>,
}

pub struct Matcher {
    /// In priority order: most literal text first.
    sigs: Vec<Sig>,
    /// The literal words, and for each the signatures (indices into `sigs`) that require it.
    words: Vec<String>,
    owners: Vec<Vec<usize>>,
    /// Signatures without a usable literal: searched over the whole text.
    everywhere: Vec<usize>,
    /// The literal words' automaton for short texts: an NFA (nothing to build).
    ac: OnceLock<Option<AhoCorasick>>,
    /// For long ones: a DFA walked two places at a time (`words.rs`; built once, by `warm`).
    dfa: OnceLock<Option<WordSearch>>,
    /// Every signature as one alternation (pattern `i` is `sigs[i]`), for dense texts.
    all: OnceLock<Option<Dual>>,
    marker_patterns: Vec<String>,
    markers: OnceLock<Option<Dual>>,
    /// Every search with the regexes as written, none projected (`unicode_only`).
    unicode_only: bool,
}

/// How far back a marker search overlaps the previous window, so that a marker cut by the
/// previous window's end is found whole.
const OVERLAP: usize = 256;
/// From this size on, a text goes to the one alternation (compiled on the first such text):
/// in logs with a candidate every few KiB the windows cover most of the text and one pass costs
/// less (10 MiB: 8 MiB of windows, about twice the time), and compiling every signature once
/// (~200 ms) is small next to the analysis of such a text.
const LARGE: usize = 4 << 20;

/// From this length on, the literal words are searched with a DFA (`words.rs`); small in debug
/// builds, so that tests and fuzzing read both ways.
const DFA_FROM: usize = if cfg!(debug_assertions) {
    1024
} else {
    64 << 10
};

/// A signature's pattern parsed: its regex and hole groups.
fn parse_sig(p: &pattern::Compiled) -> Option<Parsed> {
    let hir = pattern::parse_regex(&p.regex).ok()?;
    let holes = (0..p.holes.len())
        .map(|k| Some((p.holes[k], ascii::group(&hir, &format!("h_{k}"))?)))
        .collect::<Option<Vec<_>>>()?;
    Some(Parsed {
        re: Dual::new(vec![hir]),
        holes,
    })
}

/// `(code, signature index, pattern, generic, budget if known)`.
type Item = (Code, usize, &'static str, bool, Option<Option<usize>>);

impl Matcher {
    /// The matcher of `catalog`, every regex compiled now (a bad pattern is an error).
    pub fn new(catalog: &Catalog) -> Result<Matcher, String> {
        let mut items = Vec::new();
        for entry in catalog.entries() {
            for (si, sig) in entry.signatures.iter().enumerate() {
                // Leaked: a catalog other than the built-in one is made once, by tests.
                let text: &'static str = Box::leak(sig.text.clone().into_boxed_str());
                items.push((entry.code, si, text, sig.generic, None));
            }
        }
        let markers = catalog.context_markers().to_vec();
        let m = Matcher::from_items(items, markers)?;
        for s in &m.sigs {
            let entry = catalog.entries().iter().position(|e| e.code == s.code);
            let _ = s.entry.set(entry);
            if let Err(e) = pattern::compile(s.text, "h") {
                return Err(format!("{}: {e}", s.code));
            }
            if s.parsed().and_then(|p| p.re.unicode()).is_none() {
                return Err(format!(
                    "{}: signature {} does not compile",
                    s.code, s.signature
                ));
            }
        }
        if !m.marker_patterns.is_empty() && m.markers().and_then(Dual::unicode).is_none() {
            return Err("context: a marker does not compile".into());
        }
        Ok(m)
    }

    /// The matcher of the built-in catalog, from the signatures read at build time: nothing is
    /// parsed or compiled until a text has a candidate.
    pub fn builtin() -> Result<Matcher, String> {
        let items = knowledge::embedded_signatures().iter().filter_map(
            |&(c, si, text, generic, budget)| Some((Code::parse(c)?, si, text, generic, budget)),
        );
        let markers = knowledge::embedded_markers().iter().map(|m| m.to_string());
        Matcher::from_items(items.collect(), markers.collect())
    }

    fn from_items(items: Vec<Item>, marker_patterns: Vec<String>) -> Result<Matcher, String> {
        let mut sigs = Vec::new();
        for (code, signature, text, generic, budget) in items {
            let words = pattern::words(text);
            let sig = Sig {
                code,
                signature,
                generic,
                text,
                words: words.iter().filter(|w| w.len() >= 3).cloned().collect(),
                pattern: OnceLock::new(),
                entry: OnceLock::new(),
                parsed: OnceLock::new(),
                budget: budget.map(OnceLock::from).unwrap_or_default(),
            };
            sigs.push((pattern::literal_len(text), literal::pick(words), sig));
        }
        // Leftmost-first: at one position the first alternative wins, so the most literal first.
        sigs.sort_by(|(a_len, _, a), (b_len, _, b)| {
            b_len
                .cmp(a_len)
                .then((a.code, a.signature).cmp(&(b.code, b.signature)))
        });
        let mut words: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut everywhere = Vec::new();
        for (i, (_, word, _)) in sigs.iter().enumerate() {
            match word {
                None => everywhere.push(i),
                Some(w) => match words.iter().position(|x| x == w) {
                    Some(k) => owners[k].push(i),
                    None => {
                        words.push(w.clone());
                        owners.push(vec![i]);
                    }
                },
            }
        }
        Ok(Matcher {
            sigs: sigs.into_iter().map(|(_, _, s)| s).collect(),
            words,
            owners,
            everywhere,
            ac: OnceLock::new(),
            dfa: OnceLock::new(),
            all: OnceLock::new(),
            marker_patterns,
            markers: OnceLock::new(),
            unicode_only: false,
        })
    }

    /// This matcher searching with every regex as written, never with its ASCII projection:
    /// what the projection must reproduce, for tests.
    pub fn unicode_only(mut self) -> Matcher {
        self.unicode_only = true;
        self
    }

    /// The regex of `dual` to search `range` of `hay` with.
    fn pick<'d>(&self, dual: &'d Dual, hay: &[u8], range: Range<usize>) -> Option<&'d meta::Regex> {
        if self.unicode_only {
            return dual.unicode();
        }
        dual.for_range(hay, range)
    }

    /// Builds what no text decides: both literal automata and the context markers' ASCII
    /// regex (`scan::warm`).
    pub fn warm(&self) {
        self.ac();
        self.dfa();
        if let Some(markers) = self.markers() {
            markers.for_slice(b"");
        }
    }

    /// Parses and compiles every signature's regex (its ASCII projection; the Unicode regex
    /// stays for a text that needs it) and finds its catalog entry: what the first text with
    /// candidates would otherwise pay for, about 0.3 ms a signature (`scan::prepare`). Returns
    /// how many compiled.
    pub fn prepare(&self) -> usize {
        let compiled = |s: &Sig| {
            s.entry();
            s.parsed().and_then(|p| p.re.for_slice(b"")).is_some()
        };
        self.sigs.iter().filter(|s| compiled(s)).count()
    }

    fn ac(&self) -> Option<&AhoCorasick> {
        self.ac
            .get_or_init(|| {
                (!self.words.is_empty()).then_some(())?;
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::ContiguousNFA))
                    .build(&self.words)
                    .ok()
            })
            .as_ref()
    }

    fn dfa(&self) -> Option<&WordSearch> {
        self.dfa
            .get_or_init(|| (!self.words.is_empty()).then(|| WordSearch::new(&self.words))?)
            .as_ref()
    }

    /// Every occurrence of a literal word in `hay`, as `found(word, start, end)`, until `found`
    /// returns false.
    fn each_word(&self, hay: &[u8], found: &mut impl FnMut(usize, usize, usize) -> bool) {
        if hay.len() >= DFA_FROM {
            if let Some(dfa) = self.dfa() {
                return dfa.each(hay, found);
            }
        }
        let Some(ac) = self.ac() else { return };
        for m in ac.find_overlapping_iter(hay) {
            if !found(m.pattern().as_usize(), m.start(), m.end()) {
                return;
            }
        }
    }

    /// The one alternation, from the signatures' parsed regexes less their groups.
    fn all(&self) -> Option<&Dual> {
        self.all
            .get_or_init(|| {
                let hirs: Option<Vec<Hir>> = (self.sigs.iter())
                    .map(|s| Some(ascii::strip_captures(&s.parsed()?.re.hirs()[0])))
                    .collect();
                Some(Dual::new(hirs?))
            })
            .as_ref()
    }

    fn markers(&self) -> Option<&Dual> {
        self.markers
            .get_or_init(|| {
                let mut hirs = Vec::new();
                for m in &self.marker_patterns {
                    hirs.push(pattern::parse_regex(&pattern::compile(m, "m").ok()?.plain).ok()?);
                }
                (!hirs.is_empty()).then(|| Dual::new(hirs))
            })
            .as_ref()
    }

    /// Every match, one per start position, in order. Restarting one character after each
    /// match start (not at its end) keeps matches that begin inside a longer one.
    pub fn find_all(&self, text: &str) -> Vec<Raw> {
        self.find_all_until(text, &|| false).unwrap_or_default()
    }

    /// `find_all`, giving up (`None`) once `stop()` says the result is no longer wanted.
    pub fn find_all_until(&self, text: &str, stop: &dyn Fn() -> bool) -> Option<Vec<Raw>> {
        if self.sigs.is_empty() {
            return Some(Vec::new());
        }
        let norm = Normalized::new(text);
        let winners = self.winners(&norm, stop)?;
        Some(self.finish(text, &norm, winners))
    }

    /// `find_all` by one pass of the alternation of every signature (compiled now): what the
    /// prefilter's windows must reproduce, for tests and benchmarks.
    pub fn find_all_in_one_pass(&self, text: &str) -> Vec<Raw> {
        let norm = Normalized::new(text);
        let winners = self.at_once(&norm, &|| false).unwrap_or_default();
        self.finish(text, &norm, winners)
    }

    /// `(start, signature, end)` of the alternation's matches, in order.
    fn winners(&self, norm: &Normalized, stop: &dyn Fn() -> bool) -> Option<Vec<Hit>> {
        let hay = norm.text.as_bytes();
        if hay.len() > LARGE && self.all().is_some() {
            return self.at_once(norm, stop);
        }
        let Some(plan) = self.windows(&norm.text, stop)? else {
            return self.at_once(norm, stop);
        };
        let mut found = Vec::new();
        let mut lower = Vec::new();
        for (n, (i, window)) in plan.into_iter().enumerate() {
            if n % 64 == 63 && stop() {
                return None;
            }
            // Only where every word of the signature stands is its regex compiled and run.
            if self.sigs[i].words_in(&hay[window.clone()], &mut lower) {
                self.search(i, &norm.text, window, &mut found);
            }
        }
        found.sort_unstable();
        let mut out = Vec::new();
        let mut pos = 0;
        for hit in found {
            // As one alternation restarted one character after each match start would see it.
            if hit.0 < pos {
                continue;
            }
            pos = next_boundary(&norm.text, hit.0 + 1);
            out.push(hit);
        }
        Some(out)
    }

    /// Every start of signature `i` in `window`, with its end.
    fn search(&self, i: usize, text: &str, window: Range<usize>, found: &mut Vec<Hit>) {
        let Some(p) = self.sigs[i].parsed() else {
            return;
        };
        let Some(re) = self.pick(&p.re, text.as_bytes(), window.clone()) else {
            return;
        };
        let mut input = Input::new(text.as_bytes()).range(window.clone());
        let mut pos = window.start;
        while pos < window.end {
            input.set_start(pos);
            let Some(m) = re.search(&input) else { break };
            found.push((m.start(), i, m.end()));
            pos = next_boundary(text, m.start() + 1);
        }
    }

    /// The signatures to search and where, in no particular order; `None` when windows would
    /// cost more than one pass of everything.
    #[allow(clippy::type_complexity)]
    fn windows(
        &self,
        text: &str,
        stop: &dyn Fn() -> bool,
    ) -> Option<Option<Vec<(usize, Range<usize>)>>> {
        let hay = text.as_bytes();
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        let dense = hay.len() / 256 + 1024;
        let (mut stopped, mut n) = (false, 0usize);
        self.each_word(hay, &mut |word, start, end| {
            n += 1;
            stopped = n % 4096 == 0 && stop();
            for &i in &self.owners[word] {
                hits.push((i, start, end));
            }
            !stopped && hits.len() <= dense
        });
        if stopped {
            return None;
        }
        if hits.len() > dense {
            return Some(None);
        }
        hits.sort_unstable();
        let mut plan: Vec<(usize, Range<usize>)> = Vec::new();
        // Bytes walked and searched: beyond a few passes of the text, one pass of everything.
        let mut work = 0usize;
        let limit = 4 * hay.len() + (1 << 20);
        let counted = std::cell::LazyCell::new(|| literal::Counted::new(text));
        for &i in &self.everywhere {
            plan.push((i, 0..hay.len()));
            work += hay.len();
        }
        for (i, a, b) in hits {
            // The end of this signature's last window: windows of one signature are disjoint,
            // so that a match starting in one cannot reach into the next.
            let prev = plan.last().filter(|(j, _)| *j == i).map(|w| w.1.end);
            if prev == Some(hay.len()) {
                continue;
            }
            let Some(budget) = self.sigs[i].budget() else {
                // Unbounded: the whole text, once.
                plan.push((i, 0..hay.len()));
                work += hay.len();
                continue;
            };
            let start = match prev {
                Some(end) if a <= end => end,
                _ => counted.walk_left(a, prev.unwrap_or(0), budget),
            };
            let end = counted.walk_right(b, budget);
            work += end - start.min(end);
            match prev {
                // A match holding this hit may start in the last window: one window.
                Some(p) if start <= p => {
                    let w = &mut plan.last_mut().expect("a window").1;
                    w.end = w.end.max(end);
                }
                _ => plan.push((i, start..end)),
            }
            if work > limit {
                return Some(None);
            }
        }
        Some(Some(plan))
    }

    /// The raw matches of the winners: captures, entries, free/busy context.
    fn finish(&self, text: &str, norm: &Normalized, winners: Vec<Hit>) -> Vec<Raw> {
        let mut out = Vec::new();
        // Normalized spans: of each raw match (same order as `out`), and of free/busy context.
        let mut spans = Vec::new();
        let mut context = Vec::new();
        for (start, i, end) in winners {
            let sig = &self.sigs[i];
            let Some((end, captures)) = self.captures(sig, norm, start, end) else {
                continue;
            };
            let Some(entry) = sig.entry() else {
                continue;
            };
            let span = Span::new(start, end);
            if !sig.generic {
                context.push(span);
            }
            spans.push(span);
            out.push(Raw {
                entry,
                signature: sig.signature,
                start: norm.start(start),
                end: norm.end(end),
                captures,
                generic: sig.generic,
                context: !sig.generic,
            });
        }
        if out.iter().any(|r| r.generic) {
            self.markers_near(text, norm, &out, &spans, &mut context);
        }
        context.sort_by_key(|s| s.start);
        for (raw, span) in out.iter_mut().zip(&spans) {
            if raw.generic {
                raw.context = context::near(norm, &context, *span);
            }
        }
        out
    }

    /// The one-alternation search: from every start, the first signature (by priority) there.
    fn at_once(&self, norm: &Normalized, stop: &dyn Fn() -> bool) -> Option<Vec<Hit>> {
        let hay = norm.text.as_bytes();
        let Some(all) = self.all().and_then(|all| self.pick(all, hay, 0..hay.len())) else {
            return Some(Vec::new());
        };
        let mut input = Input::new(hay);
        let (mut out, mut pos, mut steps) = (Vec::new(), 0, 0u32);
        while pos < hay.len() {
            steps = steps.wrapping_add(1);
            if steps.is_multiple_of(64) && stop() {
                return None;
            }
            input.set_start(pos);
            let Some(m) = all.search(&input) else {
                break;
            };
            out.push((m.start(), m.pattern().as_usize(), m.end()));
            pos = next_boundary(&norm.text, m.start() + 1);
        }
        Some(out)
    }

    /// Context markers in the windows around generic matches (in order, so each window starts
    /// where the last one ended, less `OVERLAP`), and in removed stack frames.
    fn markers_near(
        &self,
        text: &str,
        norm: &Normalized,
        raws: &[Raw],
        spans: &[Span],
        context: &mut Vec<Span>,
    ) {
        let Some(markers) = self.markers() else {
            return;
        };
        let hay = norm.text.as_bytes();
        let mut searched: usize = 0;
        let generic = raws.iter().zip(spans).filter(|(r, _)| r.generic);
        for (_, span) in generic {
            let from = span.start.saturating_sub(context::BYTES);
            let to = (span.end + context::BYTES).min(hay.len());
            let from = from.max(searched.saturating_sub(OVERLAP));
            if from < to {
                let Some(re) = self.pick(markers, hay, from..to) else {
                    return;
                };
                let window = Input::new(hay).range(from..to);
                context.extend(re.find_iter(window).map(|m| Span::new(m.start(), m.end())));
                searched = searched.max(to);
            }
        }
        // Frames removed between the parts of a message still tell where it ran.
        for (at, range) in &norm.frames {
            let frame = &text.as_bytes()[range.clone()];
            if (self.pick(markers, frame, 0..frame.len())).is_some_and(|re| re.is_match(frame)) {
                context.push(Span::new(*at, *at));
            }
        }
    }

    /// Where `sig`'s match at `start..end` of the view ends and the values its holes captured.
    #[allow(clippy::type_complexity)]
    fn captures(
        &self,
        sig: &Sig,
        norm: &Normalized,
        start: usize,
        end: usize,
    ) -> Option<(usize, Vec<(Key, String)>)> {
        let pattern = sig.pattern()?;
        if pattern.holes.is_empty() {
            return Some((end, Vec::new()));
        }
        let c = sig.parsed()?;
        let hay = norm.text.as_bytes();
        let re = self.pick(&c.re, &hay[start..end], 0..end - start)?;
        let mut caps = re.create_captures();
        let input = Input::new(&hay[start..end]).anchored(Anchored::Yes);
        re.search_captures(&input, &mut caps);
        let whole = caps.get_match()?;
        let mut end = start + whole.end();
        let mut captures = Vec::new();
        for (name, g) in &c.holes {
            let Some(span) = caps.get_group(*g) else {
                continue;
            };
            let (mut a, mut b) = (start + span.start, start + span.end);
            // A value that ends the pattern stops at its line's end: the next line's first
            // word is not part of `EXCH01.`
            if pattern.trailing_hole && name == &c.holes.last().unwrap().0 {
                if let Some(j) = norm.join_within(a, b) {
                    b = j;
                    end = end.min(j);
                }
            }
            a = a.min(b);
            captures.push((*name, String::from_utf8_lossy(&hay[a..b]).into_owned()));
        }
        Some((end, captures))
    }
}

impl Sig {
    fn pattern(&self) -> Option<&pattern::Compiled> {
        self.pattern
            .get_or_init(|| pattern::compile(self.text, "h").ok())
            .as_ref()
    }

    /// Whether every word of the signature stands in `window` (ASCII case ignored, as the
    /// words have no other case variant); `lower` is a buffer.
    fn words_in(&self, window: &[u8], lower: &mut Vec<u8>) -> bool {
        lower.clear();
        lower.extend(window.iter().map(u8::to_ascii_lowercase));
        (self.words.iter()).all(|w| memchr::memmem::find(lower, w.as_bytes()).is_some())
    }
    fn parsed(&self) -> Option<&Parsed> {
        self.parsed
            .get_or_init(|| parse_sig(self.pattern()?))
            .as_ref()
    }

    fn budget(&self) -> Option<usize> {
        *self.budget.get_or_init(|| {
            let hir = &self.parsed()?.re.hirs()[0];
            literal::budget(hir)
        })
    }

    fn entry(&self) -> Option<usize> {
        *self.entry.get_or_init(|| {
            let entries = knowledge::catalog().entries();
            entries.iter().position(|e| e.code == self.code)
        })
    }
}

/// `(start, signature, end)` in the normalized text.
type Hit = (usize, usize, usize);

fn next_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use crate::finding::Confidence;
    use crate::scan::scan;

    const GENERIC: &str =
        "System.Net.WebException: The remote name could not be resolved: 'mail.contoso.com'";

    #[test]
    fn prepare_compiles_every_signature_of_the_built_in_catalog() {
        let m = super::Matcher::builtin().unwrap();
        assert_eq!(m.prepare(), m.sigs.len());
        // Prepared or not, a text gets the same matches.
        let text = format!("GetUserAvailability failed. {GENERIC}");
        assert_eq!(
            m.find_all(&text),
            super::Matcher::builtin().unwrap().find_all(&text)
        );
    }

    #[test]
    fn the_budgets_read_at_build_time_are_those_of_the_parsed_regexes() {
        let m = super::Matcher::builtin().unwrap();
        let mut bounded = 0;
        for s in &m.sigs {
            let read = *s
                .budget
                .get()
                .expect("every built-in budget is read at build time");
            let hir = &s.parsed().expect("a built-in signature parses").re.hirs()[0];
            assert_eq!(
                read,
                super::literal::budget(hir),
                "{} {}",
                s.code,
                s.signature
            );
            bounded += usize::from(read.is_some());
        }
        // Not a column of `None`s: most signatures have windows.
        assert!(bounded * 2 > m.sigs.len(), "{bounded} of {}", m.sigs.len());
    }

    #[test]
    fn a_marker_counts_within_the_window_only() {
        let near = format!("GetUserAvailability failed. {GENERIC}");
        assert_eq!(scan(&near)[0].confidence, Confidence::High);
        let far = format!("GetUserAvailability failed. {} {GENERIC}", "x".repeat(3000));
        assert_eq!(scan(&far)[0].confidence, Confidence::Low);
        let after = format!("{GENERIC} at https://mail.contoso.com/EWS/Exchange.asmx");
        assert_eq!(scan(&after)[0].confidence, Confidence::High);
    }

    #[test]
    fn windows_that_follow_each_other_share_their_markers() {
        // One marker above eight generic lines: found by the first line's window, it serves
        // the later lines too, whose windows start where the previous one ended.
        let mut text = String::from("GetUserAvailability failed.\n");
        for _ in 0..8 {
            text.push_str(GENERIC);
            text.push('\n');
        }
        let found = scan(&text);
        assert_eq!(found.len(), 8);
        assert!(found
            .iter()
            .all(|f| f.code == crate::code::Code::FB025 && f.confidence == Confidence::High));
    }
}
