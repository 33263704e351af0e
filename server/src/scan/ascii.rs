//! The ASCII projection of a regex: exact on ASCII text, and several times cheaper to compile.
//!
//! On a haystack of ASCII bytes only, a regex matches exactly what its projection matches:
//! every class cut to ASCII (`(?i)k` is `[Kk\u{212A}]`, `\s` holds U+00A0), every literal with
//! a non-ASCII byte and every class left empty never matching, the structure (repetitions,
//! alternation order, capture groups) unchanged; word boundaries read ASCII neighbours alike.
//! Unicode classes compile to UTF-8 automata many times larger: most texts (logs) are ASCII,
//! so a regex is parsed once and compiled as a `Dual`: the projection for ASCII ranges, the
//! Unicode regex, compiled on first need, for the others.
use regex_automata::meta;
use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
    Look, Repetition,
};
use std::ops::Range;
use std::sync::OnceLock;

/// The regex size a compile may reach (the one alternation of every signature needs ~40 MiB).
const LIMIT: usize = 64 << 20;

/// `h` as it matches on ASCII text (see the module's comment).
pub fn project(h: &Hir) -> Hir {
    match h.kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(l) if l.0.is_ascii() => Hir::literal(l.0.clone()),
        HirKind::Literal(_) => Hir::fail(),
        HirKind::Class(c) => Hir::class(Class::Bytes(ascii_class(c))),
        HirKind::Look(look) => Hir::look(ascii_look(*look)),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(project(&r.sub)),
            ..r.clone()
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            sub: Box::new(project(&c.sub)),
            ..c.clone()
        }),
        HirKind::Concat(v) => Hir::concat(v.iter().map(project).collect()),
        HirKind::Alternation(v) => Hir::alternation(v.iter().map(project).collect()),
    }
}

/// The ASCII bytes of a class (empty: the class never matches).
fn ascii_class(c: &Class) -> ClassBytes {
    match c {
        Class::Bytes(b) => {
            let mut b = b.clone();
            b.intersect(&ClassBytes::new([ClassBytesRange::new(0, 0x7f)]));
            b
        }
        Class::Unicode(u) => {
            let mut u = u.clone();
            u.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7f')]));
            let ranges = u
                .iter()
                .map(|r| ClassBytesRange::new(r.start() as u8, r.end() as u8));
            ClassBytes::new(ranges)
        }
    }
}

/// A Unicode word boundary between ASCII characters is the ASCII one (`\w` holds the same
/// ASCII characters), which a DFA runs without giving up.
fn ascii_look(look: Look) -> Look {
    match look {
        Look::WordUnicode => Look::WordAscii,
        Look::WordUnicodeNegate => Look::WordAsciiNegate,
        Look::WordStartUnicode => Look::WordStartAscii,
        Look::WordEndUnicode => Look::WordEndAscii,
        Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
        Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
        other => other,
    }
}

/// `h` without its capture groups (for an alternation that only says which pattern matched).
pub fn strip_captures(h: &Hir) -> Hir {
    match h.kind() {
        HirKind::Capture(c) => strip_captures(&c.sub),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(strip_captures(&r.sub)),
            ..r.clone()
        }),
        HirKind::Concat(v) => Hir::concat(v.iter().map(strip_captures).collect()),
        HirKind::Alternation(v) => Hir::alternation(v.iter().map(strip_captures).collect()),
        _ => h.clone(),
    }
}

/// The group index of each named capture group of `h`.
pub fn group(h: &Hir, name: &str) -> Option<usize> {
    match h.kind() {
        HirKind::Capture(c) if c.name.as_deref() == Some(name) => Some(c.index as usize),
        HirKind::Capture(c) => group(&c.sub, name),
        HirKind::Repetition(r) => group(&r.sub, name),
        HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().find_map(|h| group(h, name)),
        _ => None,
    }
}

/// Patterns (one ID each) compiled twice, each on first need: as they are, and projected.
pub struct Dual {
    hirs: Vec<Hir>,
    ascii: OnceLock<Option<meta::Regex>>,
    unicode: OnceLock<Option<meta::Regex>>,
}

impl Dual {
    pub fn new(hirs: Vec<Hir>) -> Dual {
        Dual {
            hirs,
            ascii: OnceLock::new(),
            unicode: OnceLock::new(),
        }
    }

    pub fn hirs(&self) -> &[Hir] {
        &self.hirs
    }

    /// The regex as written (`None`: it does not compile).
    pub fn unicode(&self) -> Option<&meta::Regex> {
        self.unicode.get_or_init(|| build(&self.hirs)).as_ref()
    }

    fn ascii(&self) -> Option<&meta::Regex> {
        let projected = || build(&self.hirs.iter().map(project).collect::<Vec<_>>());
        self.ascii.get_or_init(projected).as_ref()
    }

    /// The regex to search `range` of `hay` with: the projection when the range and the byte
    /// either side of it (which look-arounds read) are ASCII.
    pub fn for_range(&self, hay: &[u8], range: Range<usize>) -> Option<&meta::Regex> {
        let wide = range.start.saturating_sub(1)..(range.end + 1).min(hay.len());
        self.for_slice(hay.get(wide).unwrap_or(hay))
    }

    /// The regex to search all of `hay` with.
    pub fn for_slice(&self, hay: &[u8]) -> Option<&meta::Regex> {
        if hay.is_ascii() {
            if let Some(re) = self.ascii() {
                return Some(re);
            }
        }
        self.unicode()
    }
}

fn build(hirs: &[Hir]) -> Option<meta::Regex> {
    meta::Regex::builder()
        .configure(
            meta::Config::new()
                .utf8_empty(false)
                .nfa_size_limit(Some(LIMIT))
                .hybrid_cache_capacity(LIMIT)
                // Literal extraction costs twice the rest of a compile, and a search runs in
                // windows around a literal already found (or over dense text) where the lazy
                // DFA alone costs less overall (check 1 MB: 0.91x the instructions).
                .auto_prefilter(false),
        )
        .build_many_from_hir(hirs)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::pattern::parse_regex;

    fn finds(re: &meta::Regex, hay: &str) -> Vec<(usize, usize)> {
        re.find_iter(hay.as_bytes())
            .map(|m| (m.start(), m.end()))
            .collect()
    }

    #[test]
    fn the_projection_drops_only_what_ascii_text_cannot_hold() {
        let dual = Dual::new(vec![parse_regex(r"k\s*(?:“|x)[^<>]{0,3}é?:").unwrap()]);
        let ascii = dual.ascii().unwrap();
        for hay in ["K x<:", "k\t\nxab:", "kx:", "K x:: k"] {
            assert_eq!(
                finds(ascii, hay),
                finds(dual.unicode().unwrap(), hay),
                "{hay}"
            );
        }
        // Kelvin sign, no-break space, curly quote: Unicode only.
        let hay = "\u{212a}\u{a0}“é:";
        assert_eq!(finds(dual.unicode().unwrap(), hay).len(), 1);
        assert!(finds(ascii, hay).is_empty());
        assert!(std::ptr::eq(
            dual.for_slice(hay.as_bytes()).unwrap(),
            dual.unicode().unwrap()
        ));
    }

    #[test]
    fn a_range_next_to_a_non_ascii_byte_is_not_ascii() {
        let dual = Dual::new(vec![parse_regex(r"\bab").unwrap()]);
        let hay = "éab ab".as_bytes();
        // `é` is a word character: no boundary before the first `ab`.
        let first = dual.for_range(hay, 2..4).unwrap();
        assert!(std::ptr::eq(first, dual.unicode().unwrap()));
        let input = regex_automata::Input::new(hay).range(2..4);
        assert!(first.search(&input).is_none());
        let second = dual.for_range(hay, 5..7).unwrap();
        assert!(std::ptr::eq(second, dual.ascii().unwrap()));
    }

    #[test]
    fn captures_keep_their_groups() {
        let hir = parse_regex(r"a(?P<h_0>[é0-9]+)(b)?").unwrap();
        assert_eq!(group(&hir, "h_0"), Some(1));
        let projected = build(&[project(&hir)]).unwrap();
        assert_eq!(
            projected
                .group_info()
                .to_index(regex_automata::PatternID::ZERO, "h_0"),
            Some(1)
        );
        assert_eq!(group(&strip_captures(&hir), "h_0"), None);
    }
}
