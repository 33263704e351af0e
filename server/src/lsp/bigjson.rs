//! Parses a large JSON body without a second copy of its largest string (a document's text).
//!
//! serde_json decodes an escaped string into a scratch buffer and then copies it into the
//! value: for a 50 MB `didOpen` that is the body, the scratch and the string at once. Here the
//! longest string is checked (escapes, control characters, UTF-8) and decoded in place, at the
//! start of the body's own buffer, which then becomes the `String`; the rest of the message,
//! with a one-character stand-in for the string, is parsed as usual and the string put back.
//! Anything unusual (a bad escape, a key, the stand-in spelled elsewhere) leaves the body as it
//! was, for the plain parse to judge: the result is always what `serde_json::from_slice` gives.
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
        || !valid(&body[start..end])
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
    let len = decode_in_place(&mut body, start, end);
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
        let mut j = start;
        let end = loop {
            let k = j + memchr::memchr2(b'"', b'\\', &b[j..])?;
            if b[k] == b'"' {
                break k;
            }
            j = k + 2;
            if j > b.len() {
                return None;
            }
        };
        if best.is_none_or(|(s, e)| end - start > e - s) {
            best = Some((start, end));
        }
        i = end + 1;
    }
    best
}

/// Whether serde_json reads these string contents: UTF-8, no raw control character, known
/// escapes, `\u` surrogates in pairs.
fn valid(s: &[u8]) -> bool {
    // In blocks without an early exit, so that the comparison is vectorized.
    let control = |c: &[u8]| c.iter().fold(false, |any, &b| any | (b < 0x20));
    if std::str::from_utf8(s).is_err() || s.chunks(4096).any(control) {
        return false;
    }
    let mut i = 0;
    while let Some(o) = memchr::memchr(b'\\', &s[i..]) {
        let at = i + o;
        match s.get(at + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i = at + 2,
            Some(b'u') => match unicode(s, at) {
                Some((_, n)) => i = at + n,
                None => return false,
            },
            _ => return false,
        }
    }
    true
}

/// The character of a `\uXXXX` escape (a surrogate pair: two of them) at `at`, and its length.
fn unicode(s: &[u8], at: usize) -> Option<(char, usize)> {
    let hex = |at: usize| {
        let h = s.get(at + 2..at + 6)?;
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

/// Decodes the (valid) string contents at `start..end` of `b` to the start of `b`; returns the
/// decoded length. Writing never overtakes reading: an escape is never shorter than its text.
fn decode_in_place(b: &mut [u8], start: usize, end: usize) -> usize {
    let (mut r, mut w) = (start, 0);
    while r < end {
        let run = memchr::memchr(b'\\', &b[r..end]).unwrap_or(end - r);
        b.copy_within(r..r + run, w);
        (r, w) = (r + run, w + run);
        if r >= end {
            break;
        }
        let (c, n) = match b[r + 1] {
            b'b' => ('\u{8}', 2),
            b'f' => ('\u{c}', 2),
            b'n' => ('\n', 2),
            b'r' => ('\r', 2),
            b't' => ('\t', 2),
            b'u' => unicode(b, r).unwrap_or(('\u{fffd}', 6)),
            other => (other as char, 2),
        };
        let mut utf8 = [0; 4];
        let e = c.encode_utf8(&mut utf8).as_bytes();
        b[w..w + e.len()].copy_from_slice(e);
        (r, w) = (r + n, w + e.len());
    }
    w
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
        ] {
            let want = serde_json::from_slice::<Value>(body.as_bytes()).map_err(|e| e.is_data());
            let got = parse(body.clone().into_bytes()).map_err(|e| e.is_data());
            assert_eq!(got.is_ok(), want.is_ok(), "{}", &body[body.len() - 20..]);
            if let Ok(v) = got {
                assert_eq!(Ok(v), want);
            }
        }
    }
}
