//! Picks the values a fix needs from the lines a finding spans: SMTP address and its domain,
//! URLs (EWS, Autodiscover) and their host, certificate thumbprints, IP addresses.
use crate::capture::{Captures, Key};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[A-Za-z0-9._%+\-]{1,64}@([A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63})*\.[A-Za-z]{2,24})",
    )
    .unwrap()
});
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)https?://([A-Za-z0-9.\-]{1,253})(?::\d{1,5})?(?:/[^\s"'<>()\]]*)?"#).unwrap()
});
static THUMBPRINT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b[0-9A-Fa-f]{40}\b").unwrap());
static IP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b").unwrap()
});

/// Compiles the regexes now rather than at the first finding (`scan::warm`).
pub fn warm() {
    for re in [&ADDRESS, &URL, &THUMBPRINT, &IP] {
        LazyLock::force(re);
    }
}

/// How far around a finding to look, at most, so a huge single-line log stays cheap.
const CONTEXT: usize = 2048;

/// Adds what is missing from `captures`, looking at the whole lines around `range`.
pub fn fill(text: &str, range: Range<usize>, captures: &mut Captures) {
    let lines = line_span(text, range);
    if let Some(m) = ADDRESS.captures(lines) {
        put(captures, Key::Address, &m[0]);
    }
    if let Some(addr) = captures.get(&Key::Address).cloned() {
        if let Some((_, domain)) = addr.rsplit_once('@') {
            put(captures, Key::Domain, domain);
        }
    }
    let mut put = |k: Key, v: &str| put(captures, k, v);
    for m in URL.captures_iter(lines) {
        let url = m[0].trim_end_matches(['.', ',', ';', ':']);
        let lower = url.to_ascii_lowercase();
        if lower.ends_with("/ews/exchange.asmx") {
            put(Key::EwsUrl, url);
        } else if lower.contains("/autodiscover/autodiscover.svc") {
            put(Key::AutodiscoverUrl, url);
        }
        put(Key::Url, url);
        put(Key::Host, &m[1]);
    }
    if let Some(m) = THUMBPRINT.find(lines) {
        put(Key::Thumbprint, m.as_str());
    }
    if let Some(m) = IP.find(lines) {
        put(Key::Ip, m.as_str());
    }
}

/// Keeps the first value captured under `key`.
fn put(captures: &mut Captures, key: Key, value: &str) {
    captures.entry(key).or_insert_with(|| value.to_string());
}

/// The whole lines that `range` touches, bounded by `CONTEXT` bytes each side.
fn line_span(text: &str, range: Range<usize>) -> &str {
    let bytes = text.as_bytes();
    let floor = range.start.saturating_sub(CONTEXT);
    let start = memchr::memrchr(b'\n', &bytes[floor..range.start]).map_or(floor, |i| floor + i + 1);
    let ceil = (range.end + CONTEXT).min(text.len());
    let end = memchr::memchr(b'\n', &bytes[range.end..ceil]).map_or(ceil, |i| range.end + i);
    let mut s = start;
    while !text.is_char_boundary(s) {
        s += 1;
    }
    let mut e = end;
    while !text.is_char_boundary(e) {
        e -= 1;
    }
    &text[s..e.max(s)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_values_from_the_line() {
        let text = "x\nfailed for jon@contoso.com at https://mail.contoso.com/EWS/Exchange.asmx key 0123456789abcdef0123456789ABCDEF01234567\ny";
        let mut c = Captures::new();
        fill(text, 12..20, &mut c);
        assert_eq!(c[&Key::Address], "jon@contoso.com");
        assert_eq!(c[&Key::Domain], "contoso.com");
        assert_eq!(
            c[&Key::EwsUrl],
            "https://mail.contoso.com/EWS/Exchange.asmx"
        );
        assert_eq!(c[&Key::Host], "mail.contoso.com");
        assert_eq!(
            c[&Key::Thumbprint],
            "0123456789abcdef0123456789ABCDEF01234567"
        );
    }
}
