//! The single alternation regex over every signature, and the raw matches it yields.
//!
//! One multi-pattern regex (leftmost-first, so the first pattern that matches at a position
//! wins, most literal text first) runs on the lazy DFA alone and says which signature matched.
//! A signature with value holes then runs its own anchored regex on that short span to capture
//! them.
//!
//! Free/busy context markers (`context.toml`) are common (an EWS URL on every line of an IIS
//! log), so they are not in that regex: a second one looks for them only in the windows around
//! generic matches, each byte at most once or twice whatever the number of matches, and in
//! the stack frames the normalizer removed.
use super::context::{self, Span};
use super::normalize::Normalized;
use crate::capture::Key;
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
    pub captures: Vec<(Key, String)>,
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
    holes: Vec<(Key, usize)>,
    trailing_hole: bool,
    generic: bool,
}

pub struct Matcher {
    /// Pattern `i` is `sigs[i]`.
    any: Option<meta::Regex>,
    /// The context markers.
    markers: Option<meta::Regex>,
    /// In priority order: most literal text first, as in `any`.
    sigs: Vec<Sig>,
}

const LIMIT: usize = 64 << 20;
/// How far back a marker search overlaps the previous window, so that a marker cut by the
/// previous window's end is found whole.
const OVERLAP: usize = 256;

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
                markers: None,
                sigs: Vec::new(),
            });
        }
        // Leftmost-first: at one position the first pattern wins, so put the most literal first.
        compiled.sort_by(|a, b| {
            b.2.literal_len
                .cmp(&a.2.literal_len)
                .then((a.0, a.1).cmp(&(b.0, b.1)))
        });
        let patterns: Vec<String> = compiled.iter().map(|(_, _, c)| c.plain.clone()).collect();
        let any = build_many(&patterns)?;
        let mut markers = Vec::new();
        for m in catalog.context_markers() {
            let c = pattern::compile(m, "m").map_err(|e| format!("context: {e}"))?;
            markers.push(c.plain);
        }
        let markers = (!markers.is_empty())
            .then(|| build_many(&markers))
            .transpose()?;
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
                        (c.holes[k], group)
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
            markers,
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
        // Normalized spans: of each raw match (same order as `out`), and of free/busy context.
        let mut spans = Vec::new();
        let mut context = Vec::new();
        let mut input = Input::new(hay);
        let mut pos = 0;
        let mut steps = 0u32;
        while pos < hay.len() {
            steps = steps.wrapping_add(1);
            if steps.is_multiple_of(64) && stop() {
                return None;
            }
            input.set_start(pos);
            let Some(m) = any.search(&input) else {
                break;
            };
            pos = next_boundary(&norm.text, m.start() + 1);
            let sig = &self.sigs[m.pattern().as_usize()];
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
        if let Some(markers) = &self.markers {
            if out.iter().any(|r| r.generic) {
                markers_near(markers, text, &norm, &out, &spans, &mut context);
            }
        }
        context.sort_by_key(|s| s.start);
        for (raw, span) in out.iter_mut().zip(&spans) {
            if raw.generic {
                raw.context = context::near(&norm, &context, *span);
            }
        }
        Some(out)
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
            captures.push((*name, String::from_utf8_lossy(&hay[a..b]).into_owned()));
        }
        Some((end, captures))
    }
}

/// Context markers in the windows around generic matches (in order, so each window starts
/// where the last one ended, less `OVERLAP`), and in removed stack frames.
fn markers_near(
    markers: &meta::Regex,
    text: &str,
    norm: &Normalized,
    raws: &[Raw],
    spans: &[Span],
    context: &mut Vec<Span>,
) {
    let hay = norm.text.as_bytes();
    let mut searched: usize = 0;
    let generic = raws.iter().zip(spans).filter(|(r, _)| r.generic);
    for (_, span) in generic {
        let from = span.start.saturating_sub(context::BYTES);
        let to = (span.end + context::BYTES).min(hay.len());
        let from = from.max(searched.saturating_sub(OVERLAP));
        if from < to {
            let window = Input::new(hay).range(from..to);
            context.extend(
                markers
                    .find_iter(window)
                    .map(|m| Span::new(m.start(), m.end())),
            );
            searched = searched.max(to);
        }
    }
    // Frames removed between the parts of a message still tell where it ran.
    for (at, range) in &norm.frames {
        if markers.is_match(&text.as_bytes()[range.clone()]) {
            context.push(Span::new(*at, *at));
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
    use crate::finding::Confidence;
    use crate::scan::scan;

    const GENERIC: &str =
        "System.Net.WebException: The remote name could not be resolved: 'mail.contoso.com'";

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
