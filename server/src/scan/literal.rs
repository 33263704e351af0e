//! What the matcher's prefilter knows of a signature: the literal word that every match holds
//! (`pick`), and how far from that word a match can reach (`budget`, `walk_left`/`walk_right`).
//!
//! A pattern's unbounded runs (`\s*`, `[\s.,;]*`, an exception type's name) match only *free*
//! bytes: ASCII spaces, `.,;`, letters, digits, `_`, `` ` `` and non-ASCII bytes (Unicode
//! spaces). Every other byte of a match is matched by a bounded part of the pattern, so a match
//! holds at most `budget` of those *counted* bytes: counting them is how far a window reaches.
use regex_syntax::hir::{Class, Hir, HirKind};

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
    b.is_ascii_alphanumeric()
        || matches!(b, b'\t'..=b'\r' | b' ' | b'.' | b',' | b';' | b'_' | b'`')
        || b >= 0x80
}

/// The most counted bytes a match of `hir` (a pattern's regex, as the matcher parses it)
/// holds; `None` when an unbounded run may match a counted byte or the pattern looks around.
pub fn budget(hir: &Hir) -> Option<usize> {
    counted(hir)
}

fn counted(h: &Hir) -> Option<usize> {
    match h.kind() {
        HirKind::Empty => Some(0),
        HirKind::Literal(l) => Some(l.0.len()),
        HirKind::Class(c) => c.maximum_len(),
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

/// The start of a window around a hit at `from`: back over at most `budget` counted bytes,
/// not before `floor`, on a character boundary.
pub fn walk_left(text: &str, from: usize, floor: usize, budget: usize) -> usize {
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

/// The end of a window around a hit ending at `from`: forward over at most `budget` counted
/// bytes, on a character boundary.
pub fn walk_right(text: &str, from: usize, budget: usize) -> usize {
    let hay = text.as_bytes();
    let (mut x, mut count) = (from.min(hay.len()), 0usize);
    while x < hay.len() {
        let c = usize::from(!free(hay[x]));
        if count + c > budget {
            break;
        }
        count += c;
        x += 1;
    }
    while x < hay.len() && !text.is_char_boundary(x) {
        x += 1;
    }
    x
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
        let budget = |p: &str| budget(&super::super::ascii::parse(p).unwrap());
        assert_eq!(budget(r"abc\s*def[\s.,;]*gh"), Some(8));
        assert!(budget(r"a(?-u:[^\x00]){0,200}?b").unwrap() >= 202);
        assert_eq!(budget(r"a[A-Za-z0-9_.`]*:"), Some(2));
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
    fn walks_count_only_counted_bytes() {
        let text = "a:b: c...d:é:";
        assert_eq!(walk_right(text, 0, 2), 10);
        assert_eq!(walk_left(text, text.len(), 0, 1), 11);
        assert_eq!(walk_left(text, 4, 2, 5), 2);
    }
}
