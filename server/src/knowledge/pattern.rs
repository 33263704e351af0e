//! The signature pattern language (see `knowledge/README.md`) compiled to a regex fragment.
//!
//! Patterns stay readable in the data (they are the error's own words) while the regex absorbs
//! what varies in real logs: spacing, wrapping, punctuation around `inner exception`, hyphens
//! (`e-mail`), quote styles and filled-in placeholders.
use crate::capture::Key;

/// An unfilled article placeholder (`<smtp address>`) stands where a value would.
const PLACEHOLDER: &str = r"<[^<>]{0,60}>";
/// After a `:`, the type of a nested exception may stand before its message, with an HRESULT
/// or error number: `inner exception: System.Net.WebException: The request failed ...`,
/// `SqlException (0x80131904): ...`. ASCII classes keep the automaton small.
const EXCEPTION_TYPE: &str = r"(?:\s*(?-u:[A-Za-z_][A-Za-z0-9_.`]*(?:Exception|Fault))(?:\s*\((?-u:[0-9A-Fa-fx]){1,10}\))?\s*:)?";
/// The words that join an exception to its inner one, in Exchange's and .NET's own forms.
const INNER: &[&str] = &["inner exception:", "inre undantag:"];
const INNER_RE: &str = r"(?:inner\s*exception\s*:|inre\s*undantag\s*:|-{1,3}>)";
const QUOTES: &str = "\"'“”‘’«»„";

/// A compiled pattern: the regex source (no outer group) and the hole names in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    pub regex: String,
    /// The same without capture groups, for the one alternation of all signatures.
    pub plain: String,
    pub holes: Vec<Key>,
    /// Count of literal characters: more literal text means a more specific signature.
    pub literal_len: usize,
    /// The pattern ends with a value hole, which must stop at the end of its line.
    pub trailing_hole: bool,
}

/// Parses a compiled pattern's regex as the scanner searches with it: bytes (as
/// `regex::bytes` takes them), case-insensitive, Unicode on. `build.rs` parses with it too, for
/// each signature's budget.
pub fn parse_regex(regex: &str) -> Result<regex_syntax::hir::Hir, String> {
    let parser = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .case_insensitive(true)
        .build()
        .parse(regex);
    parser.map_err(|e| e.to_string())
}

/// Compiles `pattern`; `group_prefix` makes hole group names unique within the big regex.
pub fn compile(pattern: &str, group_prefix: &str) -> Result<Compiled, String> {
    let mut out = String::new();
    let mut plain = String::new();
    let mut holes = Vec::new();
    let mut literal_len = 0;
    let mut trailing_hole = false;
    let chars: Vec<char> = pattern.trim().chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // `inner exception:` also reads .NET's `--->` nesting.
        if let Some(word) = INNER.iter().find(|w| starts_with_ci(&chars[i..], w)) {
            let n = word.chars().count();
            out.push_str(INNER_RE);
            out.push_str(EXCEPTION_TYPE);
            plain.push_str(INNER_RE);
            plain.push_str(EXCEPTION_TYPE);
            literal_len += word.chars().filter(|c| c.is_alphanumeric()).count();
            trailing_hole = false;
            i += n;
            continue;
        }
        if c == '{' {
            let end = chars[i..]
                .iter()
                .position(|&x| x == '}')
                .ok_or_else(|| format!("unclosed '{{' in pattern {pattern:?}"))?;
            let name: String = chars[i + 1..i + end].iter().collect();
            out.push_str(&hole(&name, Some((group_prefix, holes.len())))?);
            plain.push_str(&hole(&name, None)?);
            trailing_hole = name != "*";
            if let Some(key) = Key::parse(&name).filter(|_| trailing_hole) {
                holes.push(key);
            }
            i += end + 1;
            continue;
        }
        if c.is_whitespace() || matches!(c, '.' | ',' | ';') {
            // A run of spaces and list punctuation: any such run, or none.
            let start = i;
            while i < chars.len()
                && (chars[i].is_whitespace() || matches!(chars[i], '.' | ',' | ';'))
            {
                i += 1;
            }
            let run = &chars[start..i];
            let re = if run.iter().all(|c| c.is_whitespace()) {
                r"\s*"
            } else {
                r"[\s.,;]*"
            };
            out.push_str(re);
            plain.push_str(re);
            continue;
        }
        // Optional marks (spacing, punctuation, quotes) after a hole leave it trailing.
        let re = if c == '-' {
            r"\s*-?\s*".to_string()
        } else if QUOTES.contains(c) {
            r#"["'“”‘’«»„]?"#.to_string()
        } else {
            literal_len += 1;
            trailing_hole = false;
            regex_syntax::escape(&c.to_string())
        };
        out.push_str(&re);
        plain.push_str(&re);
        if c == ':' && chars.get(i + 1).is_some_and(|n| n.is_whitespace()) {
            out.push_str(EXCEPTION_TYPE);
            plain.push_str(EXCEPTION_TYPE);
        }
        i += 1;
    }
    if literal_len < 4 {
        return Err(format!(
            "pattern {pattern:?} has too little literal text to identify anything"
        ));
    }
    Ok(Compiled {
        regex: out,
        plain,
        holes,
        literal_len,
        trailing_hole,
    })
}

/// `compile(pattern).literal_len` without compiling: the matcher orders signatures by it.
pub fn literal_len(pattern: &str) -> usize {
    let chars: Vec<char> = pattern.trim().chars().collect();
    let (mut n, mut i) = (0, 0);
    while i < chars.len() {
        let c = chars[i];
        if let Some(w) = INNER.iter().find(|w| starts_with_ci(&chars[i..], w)) {
            n += w.chars().filter(|c| c.is_alphanumeric()).count();
            i += w.chars().count();
            continue;
        }
        if c == '{' {
            match chars[i..].iter().position(|&x| x == '}') {
                Some(end) => i += end + 1,
                None => return n,
            }
            continue;
        }
        let mark = c.is_whitespace() || matches!(c, '.' | ',' | ';' | '-') || QUOTES.contains(c);
        n += usize::from(!mark);
        i += 1;
    }
    n
}

/// The words of literal text every match of `pattern` holds as written, up to ASCII case: runs
/// of ASCII letters, digits and symbols between spaces, list punctuation, hyphens, quotes, holes
/// and the words `inner exception:` (which `--->` may replace). `k` and `s` end a word too: a
/// case-insensitive regex also matches them as the Kelvin sign and the long s.
pub fn words(pattern: &str) -> Vec<String> {
    let chars: Vec<char> = pattern.trim().chars().collect();
    let (mut out, mut cur) = (Vec::new(), String::new());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let skip = if let Some(w) = INNER.iter().find(|w| starts_with_ci(&chars[i..], w)) {
            w.chars().count()
        } else if c == '{' {
            chars[i..]
                .iter()
                .position(|&x| x == '}')
                .map_or(1, |e| e + 1)
        } else {
            0
        };
        let literal = skip == 0
            && c.is_ascii_graphic()
            && !matches!(
                c,
                '.' | ',' | ';' | '-' | '"' | '\'' | 'k' | 'K' | 's' | 'S'
            );
        if literal {
            cur.push(c.to_ascii_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        i += skip.max(1);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn starts_with_ci(chars: &[char], word: &str) -> bool {
    let mut it = chars.iter();
    word.chars().all(|w| {
        it.next().is_some_and(|&c| {
            // Two ASCII letters compare in ASCII (the same answer, without Unicode's tables):
            // the scanner's start calls this at every character of every signature.
            if c.is_ascii() && w.is_ascii() {
                c.eq_ignore_ascii_case(&w)
            } else {
                c.to_lowercase().eq(w.to_lowercase())
            }
        })
    })
}

/// The regex for `{name}`; a named group `<prefix>_<index>` when `group` is given.
fn hole(name: &str, group: Option<(&str, usize)>) -> Result<String, String> {
    if name == "*" {
        // Bytes, not characters: a 200-step repetition of a UTF-8 automaton would bloat the
        // regex; literal text on both sides keeps matches on character boundaries.
        // `\x00` is the normalizer's paragraph break: nothing crosses it.
        return Ok(r"(?-u:[^\x00]){0,200}?".to_string());
    }
    let body = Key::parse(name)
        .and_then(Key::hole)
        .ok_or_else(|| format!("unknown hole {{{name}}}"))?;
    Ok(match group {
        Some((prefix, index)) => format!("(?P<{prefix}_{index}>{body}|{PLACEHOLDER})"),
        None => format!("(?:{body}|{PLACEHOLDER})"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        let c = compile(pattern, "h").unwrap();
        regex::bytes::Regex::new(&format!("(?i){}", c.regex))
            .unwrap()
            .is_match(text.as_bytes())
    }

    #[test]
    fn punctuation_runs_are_interchangeable() {
        for text in [
            "Proxy web request failed. , inner exception: x",
            "Proxy web request failed., inner exception: x",
            "Proxy web request failed, inner exception: x",
            "proxy web request failed. ,inner exception: x",
        ] {
            assert!(
                matches("Proxy web request failed. , inner exception:", text),
                "{text}"
            );
        }
    }

    #[test]
    fn exception_types_and_arrows_join_parts() {
        let p = "Proxy web request failed . , inner exception: The request failed with HTTP status 401: Unauthorized";
        for text in [
            "Proxy web request failed., inner exception: System.Net.WebException: The request failed with HTTP status 401: Unauthorized.",
            "Proxy web request failed. ---> System.Net.WebException: The request failed with HTTP status 401: Unauthorized.",
            "Proxy web request failed. , inner exception: The request failed with HTTP status 401: Unauthorized",
        ] {
            assert!(matches(p, text), "{text}");
        }
        assert!(matches(
            "error: 0 - An existing connection",
            "error: SqlException (0x80131904): 0 - An existing connection"
        ));
        assert!(!matches(
            p,
            "Proxy web request failed. Something else: The request failed with HTTP status 401"
        ));
    }

    #[test]
    fn hyphen_and_case_vary() {
        for text in ["e-mail address", "email address", "E-Mail Address"] {
            assert!(matches("e-mail address", text), "{text}");
        }
    }

    #[test]
    fn holes_capture_values_or_placeholders() {
        let c = compile("address {address} with", "h").unwrap();
        let re = regex::bytes::Regex::new(&format!("(?i){}", c.regex)).unwrap();
        let caps = re.captures(b"address jon@contoso.com with").unwrap();
        assert_eq!(&caps["h_0"], b"jon@contoso.com");
        assert!(re.is_match(b"address <smtp address> with"));
        assert_eq!(c.holes, vec![Key::Address]);
    }

    #[test]
    fn knows_when_a_value_ends_the_pattern() {
        assert!(compile("originated: {server}.", "h").unwrap().trailing_hole);
        assert!(compile("resolved: '{host}'", "h").unwrap().trailing_hole);
        assert!(
            !compile("address {address} with", "h")
                .unwrap()
                .trailing_hole
        );
    }

    #[test]
    fn literal_len_is_compiles() {
        let catalog = crate::knowledge::catalog();
        let patterns = (catalog.entries().iter())
            .flat_map(|e| e.signatures.iter().map(|s| s.text.as_str()))
            .chain(catalog.context_markers().iter().map(String::as_str));
        for p in patterns {
            assert_eq!(literal_len(p), compile(p, "h").unwrap().literal_len, "{p}");
        }
    }

    #[test]
    fn words_are_what_every_match_holds() {
        assert_eq!(
            words("OAuthTokenRequestFailedException: Missing"),
            ["oauthto", "enreque", "tfailedexception:", "mi", "ing"]
        );
        assert_eq!(words("address {address} with"), ["addre", "with"]);
        assert_eq!(words("Det går inte"), ["det", "g", "r", "inte"]);
        assert_eq!(
            words("failed, inner exception: The e-mail"),
            ["failed", "the", "e", "mail"]
        );
    }

    #[test]
    fn rejects_unknown_holes_and_empty_patterns() {
        assert!(compile("abc {nope} def", "h").is_err());
        assert!(compile(" . ", "h").is_err());
    }
}
