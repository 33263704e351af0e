//! Parses a large JSON body without a second copy of its largest string (a document's text).
//!
//! serde_json decodes an escaped string into a scratch buffer and then copies it into the
//! value: for a 50 MB `didOpen` that is the body, the scratch and the string at once. Here the
//! longest string is found (its closing quote is the first `"` after an even run of
//! backslashes, so the search jumps from quote to quote) and decoded in place, at the start of
//! the body's own buffer, checking its escapes as it goes; the buffer then becomes the `String`.
//! The rest of the message, with a one-character stand-in for the string, is parsed as usual
//! and the string put back. A key, the stand-in spelled elsewhere or a raw control character
//! leaves the body as it was, for the plain parse to judge; a bad escape or bad UTF-8 found while
//! decoding is an error, as serde_json would have it. So the result is always what
//! `serde_json::from_slice` gives (the same value, or an error).
use serde_json::Value;

/// Bodies smaller than this are parsed plainly.
const BIG: usize = 1 << 20;
/// The stand-in: a string holding one NUL, which JSON can only spell `"\u0000"`.
const STAND_IN: &[u8] = b"\"\\u0000\"";

/// The body as a JSON value.
pub fn parse(body: Vec<u8>) -> serde_json::Result<Value> {
    if body.len() < BIG {
        return serde_json::from_slice(&body);
    }
    match split(&body) {
        Some(at) => parse_split(body, at),
        None => serde_json::from_slice(&body),
    }
}

/// The longest string value's contents (between its quotes), when it can be taken out.
fn split(body: &[u8]) -> Option<(usize, usize)> {
    let (start, end) = longest_string(body)?;
    let next = body[end + 1..].iter().find(|b| !b.is_ascii_whitespace());
    let rest_names_nul = |part: &[u8]| memchr::memmem::find(part, br"\u0000").is_some();
    if end - start < BIG / 2
        || next == Some(&b':')
        || rest_names_nul(&body[..start])
        || rest_names_nul(&body[end..])
        || has_control(&body[start..end])
    {
        return None;
    }
    Some((start, end))
}

/// `body` with the string at `start..end` decoded in place and put back into the parsed rest.
fn parse_split(mut body: Vec<u8>, (start, end): (usize, usize)) -> serde_json::Result<Value> {
    let mut rest = Vec::with_capacity(body.len() - (end - start) + STAND_IN.len());
    rest.extend_from_slice(&body[..start - 1]);
    rest.extend_from_slice(STAND_IN);
    rest.extend_from_slice(&body[end + 1..]);
    let len = decode_in_place(&mut body, start, end)
        .ok_or_else(|| serde::de::Error::custom("invalid escape in a string"))?;
    body.truncate(len);
    if body.capacity() > len + len / 8 {
        body.shrink_to_fit();
    }
    let text = String::from_utf8(body).map_err(serde::de::Error::custom)?;
    let mut value: Value = serde_json::from_slice(&rest)?;
    drop(rest);
    let mut text = Some(text);
    put_back(&mut value, &mut text);
    Ok(value)
}

/// Replaces the one stand-in string of `v` with `text`.
fn put_back(v: &mut Value, text: &mut Option<String>) {
    match v {
        Value::String(s) if s == "\0" => {
            if let Some(t) = text.take() {
                *s = t;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| put_back(v, text)),
        Value::Object(map) => map.values_mut().for_each(|v| put_back(v, text)),
        _ => {}
    }
}

/// The contents (between the quotes) of the longest string token, lexing as JSON does: outside
/// a string every `"` opens one; inside, `\` escapes the next byte and `"` closes it.
fn longest_string(b: &[u8]) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    let mut i = 0;
    while let Some(o) = memchr::memchr(b'"', &b[i..]) {
        let start = i + o + 1;
        let end = string_end(b, start)?;
        if best.is_none_or(|(s, e)| end - start > e - s) {
            best = Some((start, end));
        }
        i = end + 1;
    }
    best
}

/// The closing quote of the string whose contents start at `start`: the first `"` after an even
/// number of backslashes (each pair is one escaped backslash; an odd one escapes the quote).
fn string_end(b: &[u8], start: usize) -> Option<usize> {
    let mut j = start;
    loop {
        let q = j + memchr::memchr(b'"', &b[j..])?;
        let escapes = b[start..q]
            .iter()
            .rev()
            .take_while(|&&c| c == b'\\')
            .count();
        if escapes % 2 == 0 {
            return Some(q);
        }
        j = q + 1;
    }
}

/// Whether the string contents hold a raw control character (JSON allows none). In blocks
/// without an early exit, so that the comparison is vectorized.
fn has_control(s: &[u8]) -> bool {
    let control = |c: &[u8]| c.iter().fold(false, |any, &b| any | (b < 0x20));
    s.chunks(4096).any(control)
}

/// The character of a `\uXXXX` escape (a surrogate pair: two of them) at `at`, and its length.
fn unicode(s: &[u8], at: usize) -> Option<(char, usize)> {
    let hex = |at: usize| {
        // Four hex digits: `from_str_radix` alone would take a sign.
        let h = s
            .get(at + 2..at + 6)
            .filter(|h| h.iter().all(u8::is_ascii_hexdigit))?;
        u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
    };
    let hi = hex(at)?;
    match hi {
        0xD800..=0xDBFF => {
            if s.get(at + 6..at + 8) != Some(br"\u") {
                return None;
            }
            let lo = hex(at + 6).filter(|lo| (0xDC00..=0xDFFF).contains(lo))?;
            let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
            Some((char::from_u32(c)?, 12))
        }
        0xDC00..=0xDFFF => None,
        _ => Some((char::from_u32(hi)?, 6)),
    }
}

/// Decodes the string contents at `start..end` of `b` to the start of `b`; returns the decoded
/// length, or `None` at an escape JSON does not have. Writing never overtakes reading: an
/// escape is never shorter than its text.
fn decode_in_place(b: &mut [u8], start: usize, end: usize) -> Option<usize> {
    let b = &mut b[..end];
    let (mut r, mut w) = (start, 0);
    loop {
        let run = memchr::memchr(b'\\', &b[r..]).unwrap_or(end - r);
        b.copy_within(r..r + run, w);
        (r, w) = (r + run, w + run);
        if r >= end {
            return Some(w);
        }
        let byte = match b[r + 1] {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'n' => b'\n',
            b't' => b'\t',
            b'r' => b'\r',
            b'b' => 8,
            b'f' => 12,
            b'u' => {
                let (c, n) = unicode(b, r)?;
                let mut utf8 = [0; 4];
                let e = c.encode_utf8(&mut utf8).as_bytes();
                b[w..w + e.len()].copy_from_slice(e);
                (r, w) = (r + n, w + e.len());
                continue;
            }
            _ => return None,
        };
        b[w] = byte;
        (r, w) = (r + 2, w + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts with every kind of escape, long enough to take the in-place path.
    fn texts() -> Vec<String> {
        let line = "Proxy web request failed. \"quoted\" back\\slash tab\t cr\r é ∑ 😀 \u{1} /\n";
        vec![
            line.repeat(BIG / line.len() + 1),
            "x".repeat(BIG),
            format!("{}\u{7f}\u{ffff}", "ab\n".repeat(BIG / 3)),
        ]
    }

    #[test]
    fn the_same_value_as_serde_json() {
        for text in texts() {
            let msg = serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": "file:///a b.log", "version": 1, "text": text,
                "languageId": "log"}, "other": ["short", "strings", {"k": "v"}]}});
            let body = serde_json::to_vec(&msg).unwrap();
            assert!(split(&body).is_some());
            assert_eq!(parse(body).unwrap(), msg);
        }
    }

    #[test]
    fn escapes_serde_json_writes_differently_decode_alike() {
        let text = format!(r#"{}\u00e9\ud83d\ude00\/\b\f\u0041"#, "a\\n".repeat(BIG));
        let body = format!(r#"{{"t":"{text}","n":[1,2.5,null,true]}}"#).into_bytes();
        let want: Value = serde_json::from_slice(&body).unwrap();
        assert!(split(&body).is_some());
        assert_eq!(parse(body).unwrap(), want);
    }

    #[test]
    fn anything_unusual_is_left_to_serde_json() {
        let long = "y".repeat(BIG);
        for body in [
            format!(r#"{{"t":"{long}\q"}}"#),
            format!(r#"{{"t":"{long}\ud800"}}"#),
            format!("{{\"t\":\"{long}\u{1}\"}}"),
            format!(r#"{{"{long}":1}}"#),
            format!(r#"{{"t":"{long}","u":"\u0000"}}"#),
            format!(r#"{{"t":"{long}"#),
            format!(r#"{{"t":"{long}",}}"#),
            format!(r#"{{"t":"{long}\u+0FF"}}"#),
            format!(r#"{{"t":"{long}\u12"}}"#),
            format!(r#"{{"t":"{long}\\\"}}"#),
        ] {
            let want = serde_json::from_slice::<Value>(body.as_bytes()).map_err(|e| e.is_data());
            let got = parse(body.clone().into_bytes()).map_err(|e| e.is_data());
            assert_eq!(got.is_ok(), want.is_ok(), "{}", &body[body.len() - 20..]);
            if let Ok(v) = got {
                assert_eq!(Ok(v), want);
            }
        }
    }

    /// Random escapes, good and bad, around a long run: the result is serde_json's.
    #[test]
    fn random_escapes_give_what_serde_json_gives() {
        let pieces = [
            "a",
            r"\n",
            r"\\",
            r#"\""#,
            r"\/",
            r"\u00e9",
            r"\ud83d\ude00",
            r"\ud800",
            r"\udc00",
            r"\q",
            r"\u+0FF",
            r"\u00G1",
            "é",
            "\"",
            "\u{1}",
            r"\",
            r#"\\\""#,
            r"\\\\",
            "}",
            ":",
        ];
        let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1D_u64);
        let long = "y".repeat(BIG);
        let (mut ok, mut err) = (0, 0);
        for _ in 0..60 {
            let mut piece = || {
                let k = next(4);
                (0..k)
                    .map(|_| pieces[next(pieces.len())])
                    .collect::<String>()
            };
            let (a, b, c) = (piece(), piece(), piece());
            let body = format!(r#"{{"n":"{a}","t":"{b}{long}{c}","m":[1]}}"#).into_bytes();
            let want = serde_json::from_slice::<Value>(&body);
            let got = parse(body.clone());
            let shown = String::from_utf8_lossy(&body).replace(&long, "...");
            match (got, want) {
                (Ok(g), Ok(w)) => {
                    assert_eq!(g, w, "{shown}");
                    ok += 1;
                }
                (Err(_), Err(_)) => err += 1,
                (g, w) => panic!("{shown}: {:?} but serde_json {:?}", g.is_ok(), w.is_ok()),
            }
        }
        assert!(ok > 5 && err > 5, "{ok} read, {err} refused");
    }
}
