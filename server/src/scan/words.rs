//! Every occurrence of the matcher's literal words in a long text (overlapping, ASCII case
//! ignored): what `aho_corasick`'s DFA finds, walked two places of the text at a time.
//!
//! A DFA step is one table load that depends on the previous one, so a single walk waits on
//! memory at every byte. The text is cut in two, each half walked from the start state (the
//! second from `longest - 1` bytes before the cut, reporting only matches that end after it),
//! both in the same loop: the two chains of loads overlap. The table is the crate's DFA,
//! renumbered so that one comparison tells a match state.
use aho_corasick::automaton::Automaton;
use aho_corasick::{dfa, Anchored, MatchKind};
use std::collections::HashMap;

pub struct WordSearch {
    /// The byte classes: bytes every state treats alike (0: bytes in no word).
    class: [u8; 256],
    /// `stride` entries per state; a state is the index of its row's first entry.
    trans: Vec<u32>,
    stride: usize,
    start: u32,
    /// States from here on are match states.
    first_match: u32,
    /// For each match state (in order from `first_match`): its words and their lengths.
    matches: Vec<Vec<(u32, u32)>>,
    /// The longest word's length.
    longest: usize,
}

impl WordSearch {
    pub fn new(words: &[String]) -> Option<WordSearch> {
        let d = dfa::Builder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(words)
            .ok()?;
        let start = d.start_state(Anchored::No).ok()?;
        let next = |s, b| d.next_state(Anchored::No, s, b);
        // Classes: a byte in no word (each state goes where the start state goes on it: back to
        // the start), and each byte of the words with its other case.
        let mut class = [0u8; 256];
        let in_words = |b: u8| {
            words
                .iter()
                .any(|w| w.bytes().any(|x| x.eq_ignore_ascii_case(&b)))
        };
        let mut first = vec![(0..=255u8).find(|&b| !in_words(b))?];
        for b in words.iter().flat_map(|w| w.bytes()) {
            let b = b.to_ascii_lowercase();
            if class[usize::from(b)] == 0 {
                class[usize::from(b)] = u8::try_from(first.len()).ok()?;
                class[usize::from(b.to_ascii_uppercase())] = class[usize::from(b)];
                first.push(b);
            }
        }
        // Every state reachable from the start, in the order first reached, and where each
        // class leads from each (`edges[state * classes + class]`).
        let (mut states, mut index) = (vec![start], HashMap::from([(start, 0usize)]));
        let mut edges = Vec::new();
        let mut i = 0;
        while let Some(&s) = states.get(i) {
            for &b in &first {
                let n = next(s, b);
                edges.push(*index.entry(n).or_insert_with(|| {
                    states.push(n);
                    states.len() - 1
                }));
            }
            i += 1;
        }
        let stride = first.len().next_power_of_two();
        // Rows: the states without a match first, then those with one.
        let (plain, matching): (Vec<usize>, Vec<usize>) =
            (0..states.len()).partition(|&k| !d.is_match(states[k]));
        let order: Vec<usize> = plain.iter().chain(&matching).copied().collect();
        let mut row = vec![0usize; states.len()];
        for (r, &k) in order.iter().enumerate() {
            row[k] = r;
        }
        let id = |k: usize| u32::try_from(row[k] * stride).ok();
        let mut trans = vec![0u32; states.len() * stride];
        for (k, to) in edges.chunks(first.len()).enumerate() {
            for (c, &n) in to.iter().enumerate() {
                trans[row[k] * stride + c] = id(n)?;
            }
        }
        let matches = (matching.iter())
            .map(|&k| {
                let s = states[k];
                let words = (0..d.match_len(s)).map(|m| d.match_pattern(s, m));
                words
                    .map(|p| (p.as_u32(), d.pattern_len(p) as u32))
                    .collect()
            })
            .collect();
        Some(WordSearch {
            class,
            trans,
            stride,
            start: id(0)?,
            first_match: u32::try_from(plain.len() * stride).ok()?,
            matches,
            longest: d.max_pattern_len(),
        })
    }

    fn step(&self, s: u32, b: u8) -> u32 {
        self.trans[s as usize + usize::from(self.class[usize::from(b)])]
    }

    /// Calls `found(word, start, end)` for every occurrence in `hay`, in no particular order,
    /// until it returns false.
    pub fn each(&self, hay: &[u8], found: &mut impl FnMut(usize, usize, usize) -> bool) {
        let half = hay.len() / 2;
        let back = self.longest.saturating_sub(1);
        if half <= back {
            self.walk(self.start, hay, 0, found);
            return;
        }
        let (a, b) = (&hay[..half], &hay[half - back..]);
        let (mut sa, mut sb) = (self.start, self.start);
        for i in 0..a.len() {
            sa = self.step(sa, a[i]);
            sb = self.step(sb, b[i]);
            if sa >= self.first_match && !self.report(sa, i + 1, found) {
                return;
            }
            // The second walk's first `back` bytes belong to the first half.
            if sb >= self.first_match && i >= back && !self.report(sb, half - back + i + 1, found) {
                return;
            }
        }
        // The rest of the second half (it is `back` bytes and at most one byte longer).
        self.walk(sb, &b[a.len()..], half - back + a.len(), found);
    }

    /// A walk from state `s` over `bytes`, which start at `at` of the text.
    fn walk(
        &self,
        mut s: u32,
        bytes: &[u8],
        at: usize,
        found: &mut impl FnMut(usize, usize, usize) -> bool,
    ) {
        for (i, &b) in bytes.iter().enumerate() {
            s = self.step(s, b);
            if s >= self.first_match && !self.report(s, at + i + 1, found) {
                return;
            }
        }
    }

    fn report(
        &self,
        s: u32,
        end: usize,
        found: &mut impl FnMut(usize, usize, usize) -> bool,
    ) -> bool {
        let words = &self.matches[(s - self.first_match) as usize / self.stride];
        (words.iter()).all(|&(w, len)| found(w as usize, end - len as usize, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;

    /// What the crate's own overlapping search finds, sorted.
    fn reference(words: &[String], hay: &[u8]) -> Vec<(usize, usize, usize)> {
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(words)
            .unwrap();
        let mut v: Vec<_> = (ac.find_overlapping_iter(hay))
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect();
        v.sort_unstable();
        v
    }

    fn each(search: &WordSearch, hay: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut v = Vec::new();
        search.each(hay, &mut |w, s, e| {
            v.push((w, s, e));
            true
        });
        v.sort_unstable();
        v
    }

    #[test]
    fn finds_every_occurrence_the_crate_finds_wherever_the_text_is_cut() {
        // Words inside words, sharing prefixes and suffixes, one as long as the cut's overlap.
        let words: Vec<String> = [
            "error",
            "err",
            "rror",
            "organization",
            "organi",
            "free/bu",
            "(401)",
        ]
        .iter()
        .map(|w| w.to_string())
        .collect();
        let search = WordSearch::new(&words).unwrap();
        let parts = [
            "ERROR ",
            "organization",
            "Free/Busy",
            "(401)",
            "x",
            "\n",
            "orga",
            "é",
        ];
        let mut seed = 0x9e37_79b9_u64;
        for len in 0..400 {
            let mut text = String::new();
            while text.len() < len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(parts[(seed % parts.len() as u64) as usize]);
            }
            let hay = text.as_bytes();
            assert_eq!(each(&search, hay), reference(&words, hay), "{text:?}");
        }
    }

    #[test]
    fn stops_when_told() {
        let words = vec!["ab".to_string()];
        let search = WordSearch::new(&words).unwrap();
        let mut n = 0;
        search.each("ab ".repeat(100).as_bytes(), &mut |_, _, _| {
            n += 1;
            n < 3
        });
        assert_eq!(n, 3);
    }
}
