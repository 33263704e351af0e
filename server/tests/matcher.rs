//! The prefilter matcher (a literal word per signature, each signature's regex only in the
//! windows around its word) finds exactly what one leftmost-first alternation of every signature
//! finds, restarted one character after each match start, on generated texts: dense and sparse,
//! matches stretched to their windows' edges, generic signatures with and without context.
use freebusy_lsp::capture::Key;
use freebusy_lsp::code::Code;
use freebusy_lsp::knowledge::{self, pattern};
use freebusy_lsp::scan::normalize::Normalized;
use freebusy_lsp::scan::Matcher;
use regex::bytes::{Regex, RegexBuilder};
use regex_automata::{meta, util::syntax, Input};

/// Today's matcher written out plainly: one alternation of every signature (most literal text
/// first), from every start; captures from each signature's anchored regex on the match.
struct Reference {
    any: meta::Regex,
    sigs: Vec<RefSig>,
}

/// Entry, signature, anchored regex with its hole groups, trailing hole.
type RefSig = (usize, usize, Regex, Vec<(Key, usize)>, bool);

impl Reference {
    fn new() -> Reference {
        let catalog = knowledge::catalog();
        let mut compiled = Vec::new();
        for (ei, entry) in catalog.entries().iter().enumerate() {
            for (si, sig) in entry.signatures.iter().enumerate() {
                compiled.push((ei, si, pattern::compile(&sig.text, "h").unwrap()));
            }
        }
        compiled.sort_by(|a, b| {
            (b.2.literal_len.cmp(&a.2.literal_len)).then((a.0, a.1).cmp(&(b.0, b.1)))
        });
        let plain: Vec<String> = compiled.iter().map(|c| c.2.plain.clone()).collect();
        let any = meta::Regex::builder()
            .syntax(syntax::Config::new().utf8(false).case_insensitive(true))
            .configure(
                meta::Config::new()
                    .utf8_empty(false)
                    .nfa_size_limit(Some(64 << 20)),
            )
            .build_many(&plain)
            .unwrap();
        let sigs = compiled
            .into_iter()
            .map(|(e, s, c)| {
                let re = RegexBuilder::new(&format!("^(?i:{})", c.regex))
                    .size_limit(64 << 20)
                    .build()
                    .unwrap();
                let holes = (0..c.holes.len())
                    .map(|k| {
                        let name = format!("h_{k}");
                        let g = re.capture_names().position(|n| n == Some(&name)).unwrap();
                        (c.holes[k], g)
                    })
                    .collect();
                (e, s, re, holes, c.trailing_hole)
            })
            .collect();
        Reference { any, sigs }
    }

    /// Entry, signature, range and captures of every match.
    #[allow(clippy::type_complexity)]
    fn find(&self, text: &str) -> Vec<(usize, usize, usize, usize, Vec<(Key, String)>)> {
        let norm = Normalized::new(text);
        let hay = norm.text.as_bytes();
        let (mut out, mut pos) = (Vec::new(), 0);
        while pos < hay.len() {
            let Some(m) = self.any.search(&Input::new(hay).range(pos..)) else {
                break;
            };
            pos = m.start() + 1;
            while pos < hay.len() && !norm.text.is_char_boundary(pos) {
                pos += 1;
            }
            let (entry, sig, re, holes, trailing) = &self.sigs[m.pattern().as_usize()];
            let Some(caps) = re.captures(&hay[m.start()..m.end()]) else {
                continue;
            };
            let mut end = m.start() + caps.get(0).unwrap().end();
            let mut captures = Vec::new();
            for (k, g) in holes {
                let Some(c) = caps.get(*g) else { continue };
                let (mut a, mut b) = (m.start() + c.start(), m.start() + c.end());
                if *trailing && *k == holes.last().unwrap().0 {
                    if let Some(j) = norm.join_within(a, b) {
                        b = j;
                        end = end.min(j);
                    }
                }
                a = a.min(b);
                captures.push((*k, String::from_utf8_lossy(&hay[a..b]).into_owned()));
            }
            let (start, end) = (norm.start(m.start()), norm.end(end));
            out.push((*entry, *sig, start, end, captures));
        }
        out
    }
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// What stands between and inside messages: spacing, entities, line breaks, markers, stack
/// frames, log lines, Kelvin signs, and long runs of free (`\s*`-able) or counted bytes that
/// stretch a match, or a window, to its edge.
fn noise(rng: &mut Rng) -> String {
    let long = 1 + rng.below(900);
    match rng.below(22) {
        0 => " ".into(),
        1 => "\n".into(),
        2 => "\n\n".into(),
        3 => ".,; ".into(),
        4 => "&amp; <br>".into(),
        5 => "é\u{a0}".into(),
        6 => "\u{212a}k".into(),
        7 => " ---> ".into(),
        8 => ", inner exception: ".into(),
        9 => " GetUserAvailability ".into(),
        10 => " https://mail.contoso.com/EWS/Exchange.asmx ".into(),
        11 => "\n   at System.Net.HttpWebRequest.GetResponse()\n".into(),
        12 => "2024-05-03T07:02:19.001Z INFO GetUserAvailability completed in 12 ms\n".into(),
        13 => {
            "2024-05-03 07:00:01 10.0.0.5 POST /EWS/Exchange.asmx - 443 CONTOSO\\svc 200 0 0 15\n"
                .into()
        }
        14 => " ".repeat(long),
        15 => "a".repeat(long),
        16 => ":".repeat(long),
        17 => "x/".repeat(long),
        18 => format!("{}\n", "word ".repeat(long)),
        19 => "System.Net.WebException: ".into(),
        20 => "{}<>@".into(),
        _ => "Exception: ".into(),
    }
}

/// A text matching `pattern` (the signature language), its holes filled with the longest
/// values they take (the most counted bytes: a match as wide as its windows must be) or short
/// ones, its spaces stretched or not.
fn render(rng: &mut Rng, pattern: &str) -> String {
    let chars: Vec<char> = pattern.trim().chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let close = chars[i..].iter().position(|&x| x == '}');
        if let (true, Some(close)) = (c == '{', close) {
            let end = i + close;
            let name: String = chars[i + 1..end].iter().collect();
            let long = rng.below(2) == 0;
            out.push_str(&match (name.as_str(), long) {
                ("*", true) => ":".repeat(200),
                ("*", false) => String::new(),
                ("url", true) => format!("https://{}", "/".repeat(292)),
                ("address", true) => format!("{}@a{}", ":".repeat(64), "-".repeat(252)),
                ("host" | "server" | "domain", true) => format!("a{}", "-".repeat(252)),
                ("thumbprint", _) => "0123456789abcdef0123456789ABCDEF01234567".into(),
                (_, true) => format!("<{}>", ":".repeat(60)),
                (_, false) => "<value>".into(),
            });
            i = end + 1;
            continue;
        }
        if c.is_whitespace() && rng.below(8) == 0 {
            out.push_str(&" \n".repeat(rng.below(400)));
        }
        out.push(if rng.below(5) == 0 {
            c.to_ascii_uppercase()
        } else {
            c
        });
        i += 1;
    }
    out
}

fn generate(rng: &mut Rng, examples: &[&str], pieces: usize, filler: usize) -> String {
    let mut text = String::new();
    for _ in 0..pieces {
        let ex = examples[rng.below(examples.len())];
        let chars: Vec<char> = ex.chars().collect();
        let piece: String = match rng.below(5) {
            // A signature's own text, stretched.
            4 => render(rng, ex),
            // A cut of it, by characters.
            0 => {
                let a = rng.below(chars.len() / 3 + 1);
                let b = chars.len() - rng.below(chars.len() / 3 + 1);
                chars[a..b.max(a)].iter().collect()
            }
            // Its spaces stretched or replaced.
            1 => {
                let n = noise(rng);
                ex.replacen(' ', &n, 1 + rng.below(3))
            }
            _ => ex.to_string(),
        };
        text.push_str(&piece);
        for _ in 0..rng.below(4) + filler {
            text.push_str(&noise(rng));
        }
    }
    text
}

#[test]
fn the_prefilter_finds_what_one_alternation_finds() {
    let catalog = knowledge::catalog();
    let reference = Reference::new();
    let builtin = Matcher::builtin().unwrap();
    let examples: Vec<&str> = (catalog.entries().iter())
        .flat_map(|e| e.examples.iter().map(|x| x.text.as_str()))
        .filter(|t| !t.is_empty())
        .collect();
    // Signatures are rendered (`render`), examples taken as they are or cut.
    let signatures: Vec<&str> = (catalog.entries().iter())
        .flat_map(|e| e.signatures.iter().map(|s| s.text.as_str()))
        .collect();
    let examples: Vec<&str> = examples.into_iter().chain(signatures).collect();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    // Dense (messages back to back), then sparse (messages far apart in noise).
    for (texts, pieces, filler) in [(80, 12, 0), (30, 4, 40), (6, 30, 8)] {
        for _ in 0..texts {
            let n = 1 + rng.below(pieces);
            let text = generate(&mut rng, &examples, n, filler);
            let got = builtin.find_all(&text);
            let want = reference.find(&text);
            let plain: Vec<_> = (got.iter())
                .map(|s| (s.entry, s.signature, s.start, s.end, s.captures.clone()))
                .collect();
            assert_eq!(plain, want, "{text:?}");
            assert_eq!(got, builtin.find_all_in_one_pass(&text), "{text:?}");
        }
    }
}

#[test]
fn generic_signatures_take_context_as_one_alternation_does() {
    let generic =
        "System.Net.WebException: The remote name could not be resolved: 'mail.contoso.com'";
    let m = Matcher::builtin().unwrap();
    for text in [
        generic.to_string(),
        format!("GetUserAvailability failed. {generic}"),
        format!("GetUserAvailability failed.\n\n{generic}"),
        format!(
            "{generic}\n{}at https://x/EWS/Exchange.asmx",
            "line\n".repeat(9)
        ),
        format!(
            "{generic}\n{}at https://x/EWS/Exchange.asmx",
            "line\n".repeat(12)
        ),
        format!("GetUserAvailability {} {generic}", "x".repeat(2100)),
    ] {
        let got = m.find_all(&text);
        assert!(!got.is_empty() && got.iter().all(|s| s.generic), "{text}");
        assert_eq!(got, m.find_all_in_one_pass(&text), "{text}");
    }
    let alone = m.find_all(generic);
    let near = m.find_all(&format!("GetUserAvailability failed. {generic}"));
    assert!(!alone[0].context && near[0].context);
}

#[test]
fn the_signatures_read_at_build_time_are_the_catalogs() {
    let catalog = knowledge::catalog();
    let mut from_catalog = Vec::new();
    for e in catalog.entries() {
        for (i, s) in e.signatures.iter().enumerate() {
            from_catalog.push((e.code, i, s.text.as_str(), s.generic));
        }
    }
    let built: Vec<_> = (knowledge::embedded_signatures().iter())
        .map(|&(c, i, t, g, _)| (Code::parse(c).unwrap(), i, t, g))
        .collect();
    let mut sorted = built.clone();
    sorted.sort_by_key(|s| (s.0, s.1));
    assert_eq!(sorted, from_catalog);
    assert_eq!(knowledge::embedded_markers(), catalog.context_markers());
    // And the matcher of the catalog finds what the built-in one finds.
    let text = (catalog.entries().iter())
        .flat_map(|e| e.examples.iter().map(|x| x.text.clone()))
        .collect::<Vec<_>>()
        .join("\n");
    let new = Matcher::new(catalog).unwrap();
    assert_eq!(
        new.find_all(&text),
        Matcher::builtin().unwrap().find_all(&text)
    );
}
