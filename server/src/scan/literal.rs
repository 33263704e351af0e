//! What the matcher's prefilter knows of a signature: the literal word that every match holds
//! (`pick`), and how far from that word a match can reach (`budget`, `walk_left`/`walk_right`).
//!
//! A pattern's unbounded runs (`\s*`, `[\s.,;]*`, an exception type's name) match only *free*
//! bytes: ASCII spaces, `.,;`, letters, digits, `_`, `` ` `` and non-ASCII bytes (Unicode
//! spaces). Every other byte of a match is matched by a bounded part of the pattern, so a match
//! holds at most `budget` of those *counted* bytes: counting them is how far a window reaches.
use regex_syntax::hir::{Class, Hir, HirKind};
use std::cell::Cell;

/// Shorter literal words are not worth a prefilter: the signature is searched everywhere.
const MIN_LITERAL: usize = 3;

/// Words every log is full of: a literal made mostly of one of them would make every line a
/// candidate, so a word scores by the letters it has beyond the commonest word it contains.
const COMMON: &[&str] = &[
    "exception",
    "error",
    "failed",
    "request",
    "remote",
    "connect",
    "mailbox",
    "the",
    "http",
    "availability",
    "proxy",
    "microsoft",
    "exchange",
    "web",
    "ew",
    "autodi",
    "info",
    "warning",
    "for",
    "with",
];

/// The literal word to look for among a pattern's `words` (`pattern::words`: every match holds
/// each): the rarest-looking, if any is long enough.
pub fn pick(words: Vec<String>) -> Option<String> {
    let score = |w: &String| {
        let common = COMMON
            .iter()
            .filter(|c| w.contains(*c))
            .map(|c| c.len())
            .max()
            .unwrap_or(0);
        (w.len() - common, w.len())
    };
    let best = words.into_iter().filter(|w| w.len() >= MIN_LITERAL);
    best.max_by_key(score)
}

/// Bytes an unbounded run of a signature may match (see the module's comment).
pub fn free(b: u8) -> bool {
    !counted_byte(b)
}

/// `!free(b)`, in comparisons only: a block's count compiles to vector code.
const fn counted_byte(b: u8) -> bool {
    let letter = (b | 0x20).wrapping_sub(b'a') < 26;
    let digit = b.wrapping_sub(b'0') < 10;
    let space = b.wrapping_sub(b'\t') < 5 || b == b' ';
    let mark = b == b'.' || b == b',' || b == b';' || b == b'_' || b == b'`';
    !(letter || digit || space || mark || b >= 0x80)
}

/// The most counted bytes a match of `hir` (a pattern's regex, as the matcher parses it)
/// holds; `None` when an unbounded run may match a counted byte or the pattern looks around.
pub fn budget(hir: &Hir) -> Option<usize> {
    counted(hir)
}

fn counted(h: &Hir) -> Option<usize> {
    match h.kind() {
        HirKind::Empty => Some(0),
        HirKind::Literal(l) => Some(l.0.iter().filter(|&&b| counted_byte(b)).count()),
        // A character is one ASCII byte, counted or free, or bytes from 0x80 on, all free. An
        // empty class has no maximum: no budget, as before.
        HirKind::Class(c) => c.maximum_len().map(|_| usize::from(!all_free(h))),
        HirKind::Look(_) => None,
        HirKind::Repetition(r) => match r.max {
            Some(max) => counted(&r.sub)?.checked_mul(max as usize),
            None => all_free(&r.sub).then_some(0),
        },
        HirKind::Capture(c) => counted(&c.sub),
        HirKind::Concat(v) => v.iter().try_fold(0usize, |n, h| n.checked_add(counted(h)?)),
        HirKind::Alternation(v) => v.iter().try_fold(0usize, |n, h| Some(n.max(counted(h)?))),
    }
}

/// Whether every byte `h` can match is free.
fn all_free(h: &Hir) -> bool {
    match h.kind() {
        HirKind::Empty => true,
        HirKind::Literal(l) => l.0.iter().all(|&b| free(b)),
        HirKind::Class(Class::Bytes(c)) => c.iter().all(|r| (r.start()..=r.end()).all(free)),
        HirKind::Class(Class::Unicode(c)) => c.iter().all(|r| {
            // Characters from U+0080 on are made of non-ASCII bytes only.
            let ascii_end = u32::from(r.end()).min(0x7f);
            (u32::from(r.start())..=ascii_end).all(|b| free(b as u8))
        }),
        HirKind::Look(_) => false,
        HirKind::Repetition(r) => all_free(&r.sub),
        HirKind::Capture(c) => all_free(&c.sub),
        HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().all(all_free),
    }
}

/// Bytes per block of `Counted`.
const BLOCK: usize = 64;
/// A block whose counted bytes are not counted yet.
const UNKNOWN: u8 = u8::MAX;

/// A text's counted bytes, block by block, each block counted when a walk first crosses it: a
/// walk over thousands of bytes (a budget of a few hundred counted bytes) steps over whole
/// blocks and looks at most two blocks' bytes one by one, and the windows of many hits and many
/// signatures count each block once (only where some window reaches, not the whole text).
pub struct Counted<'t> {
    text: &'t str,
    /// Counted bytes of each whole block, or `UNKNOWN`.
    blocks: Vec<Cell<u8>>,
}

impl<'t> Counted<'t> {
    pub fn new(text: &'t str) -> Counted<'t> {
        let blocks = vec![Cell::new(UNKNOWN); text.len() / BLOCK];
        Counted { text, blocks }
    }

    fn counted(&self, at: usize) -> usize {
        usize::from(counted_byte(self.text.as_bytes()[at]))
    }

    /// Counted bytes of whole block `k`.
    fn block(&self, k: usize) -> usize {
        let cell = &self.blocks[k];
        if cell.get() == UNKNOWN {
            let bytes = &self.text.as_bytes()[k * BLOCK..(k + 1) * BLOCK];
            cell.set(bytes.iter().fold(0u8, |n, &b| n + counted_byte(b) as u8));
        }
        usize::from(cell.get())
    }

    /// The start of a window around a hit at `from`: back over at most `budget` counted bytes,
    /// not before `floor`, on a character boundary.
    pub fn walk_left(&self, from: usize, floor: usize, budget: usize) -> usize {
        let (mut x, mut left) = (from.min(self.text.len()), budget);
        while x > floor {
            // Whole blocks at once, while they fit in what is left.
            if x % BLOCK == 0 && x - BLOCK >= floor {
                let c = self.block(x / BLOCK - 1);
                if c <= left {
                    left -= c;
                    x -= BLOCK;
                    continue;
                }
            }
            let c = self.counted(x - 1);
            if c > left {
                break;
            }
            left -= c;
            x -= 1;
        }
        while x > 0 && !self.text.is_char_boundary(x) {
            x -= 1;
        }
        x
    }

    /// The end of a window around a hit ending at `from`: forward over at most `budget` counted
    /// bytes, on a character boundary.
    pub fn walk_right(&self, from: usize, budget: usize) -> usize {
        let len = self.text.len();
        let (mut x, mut left) = (from.min(len), budget);
        while x < len {
            if x % BLOCK == 0 && x / BLOCK < self.blocks.len() {
                let c = self.block(x / BLOCK);
                if c <= left {
                    left -= c;
                    x += BLOCK;
                    continue;
                }
            }
            let c = self.counted(x);
            if c > left {
                break;
            }
            left -= c;
            x += 1;
        }
        while x < len && !self.text.is_char_boundary(x) {
            x += 1;
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rarest_looking_long_word_is_picked() {
        let pick = |p: &str| pick(crate::knowledge::pattern::words(p));
        assert_eq!(
            pick("OAuthTokenRequestFailedException: Missing").as_deref(),
            Some("tfailedexception:")
        );
        assert_eq!(
            pick("The remote name could not be resolved").as_deref(),
            Some("olved")
        );
        assert_eq!(pick("a {address} b"), None);
    }

    #[test]
    fn the_budget_ignores_free_runs_and_bounds_holes() {
        let budget = |p: &str| budget(&crate::knowledge::pattern::parse_regex(p).unwrap());
        assert_eq!(budget(r"abc\s*def[\s.,;]*gh"), Some(0));
        assert_eq!(budget(r"a:b-c\s*d/"), Some(3));
        assert_eq!(budget(r"a(?-u:[^\x00]){0,200}?b"), Some(200));
        // Letters, digits and characters beyond ASCII hold no counted byte: only `-` counts.
        assert_eq!(budget(r"[A-Za-z0-9.\-]{1,253}"), Some(253));
        assert_eq!(budget(r"[^\s:]{1,64}"), Some(64));
        assert_eq!(budget(r"[\w.]{1,64}é"), Some(0));
        assert_eq!(budget(r"a[A-Za-z0-9_.`]*:"), Some(1));
        assert_eq!(budget(r"a[^x]*b"), None);
        assert_eq!(budget(r"^ab"), None);
    }

    #[test]
    fn literal_letters_have_no_case_variant_outside_ascii() {
        // Why `k` and `s` end a word: the regex matches them as U+212A and U+017F.
        let re = regex::Regex::new(r"(?i)^[a-jl-rt-z0-9]$").unwrap();
        let outside = (0x80u32..0x3_0000).filter_map(char::from_u32);
        assert!(outside.clone().all(|c| !re.is_match(&c.to_string())));
        let k = regex::Regex::new(r"(?i)^k$").unwrap();
        assert!(outside.clone().any(|c| k.is_match(&c.to_string())));
    }

    #[test]
    fn free_bytes_are_those_of_the_modules_comment() {
        for b in 0..=255u8 {
            let free_ = b.is_ascii_alphanumeric()
                || matches!(b, b'\t'..=b'\r' | b' ' | b'.' | b',' | b';' | b'_' | b'`')
                || b >= 0x80;
            assert_eq!(free(b), free_, "{b:#x}");
        }
    }

    #[test]
    fn walks_count_only_counted_bytes() {
        let text = "a:b: c...d:é:";
        let counted = Counted::new(text);
        assert_eq!(counted.walk_right(0, 2), 10);
        assert_eq!(counted.walk_left(text.len(), 0, 1), 11);
        assert_eq!(counted.walk_left(4, 2, 5), 2);
    }

    /// A walk byte by byte, as the block walks must end.
    fn step(text: &str, from: usize, floor: usize, budget: usize, right: bool) -> usize {
        let hay = text.as_bytes();
        let (mut x, mut count) = (from, 0);
        loop {
            let next = if right {
                (x < hay.len()).then_some(x)
            } else {
                (x > floor).then(|| x - 1)
            };
            let Some(b) = next.map(|i| hay[i]) else { break };
            let c = usize::from(!free(b));
            if count + c > budget {
                break;
            }
            count += c;
            x = if right { x + 1 } else { x - 1 };
        }
        while !text.is_char_boundary(x) {
            x = if right { x + 1 } else { x - 1 };
        }
        x
    }

    #[test]
    fn block_walks_end_where_byte_walks_do() {
        let mut below = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        let parts = ["a", " ", ":", "//", "é", "\u{212a}", "xyz.", "-", "\n"];
        for _ in 0..300 {
            let text: String = (0..below(600)).map(|_| parts[below(parts.len())]).collect();
            let at: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for _ in 0..20 {
                let from = at[below(at.len())];
                let floor = at[below(at.len())].min(from);
                let budget = below(120);
                let counted = Counted::new(&text);
                assert_eq!(
                    counted.walk_right(from, budget),
                    step(&text, from, 0, budget, true)
                );
                let want = step(&text, from, floor, budget, false);
                assert_eq!(
                    counted.walk_left(from, floor, budget),
                    want,
                    "{text:?} {from} {floor} {budget}"
                );
            }
        }
    }
}
