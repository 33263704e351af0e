//! Exchange's CSV logs: HttpProxy (`%ExchangeInstallPath%\Logging\HttpProxy\Autodiscover`,
//! `...\Ews`) and the EWS protocol log (`%ExchangeInstallPath%\Logging\Ews`). The header row
//! (alone or after `#Fields:`) starts `DateTime,RequestId,` and names `HttpStatus` and
//! `UserAgent`; quoted fields may hold commas (`""` is a quote); `TotalRequestTime` is in ms.
use super::request::{self, classify, emit, Request, Verdict};
use super::summary::Stats;
use super::{
    contains_ci, looks_like_date, looks_like_time, parse_millis, parse_status, starts_with_ci, Line,
};
use crate::finding::Finding;
use crate::options::Options;
use std::borrow::Cow;
use std::ops::Range;

#[derive(Debug, Default)]
struct Columns {
    status: Option<usize>,
    user_agent: Option<usize>,
    millis: Option<usize>,
    stem: Option<usize>,
    host: Option<usize>,
    query: Option<usize>,
    /// `ProtocolAction` (HttpProxy) or `SoapAction` (EWS log).
    action: Option<usize>,
    target: Option<usize>,
    server_host: Option<usize>,
    client_ip: Option<usize>,
    anchor: Option<usize>,
    error_code: Option<usize>,
    generic_errors: Option<usize>,
}

pub(crate) struct Log<'a> {
    header: Range<usize>,
    kind: &'static str,
    cols: Columns,
    /// Fields a row is split into: up to the last column read (and no more than the header's
    /// width and one).
    width: usize,
    stats: Stats<'a>,
    fields: Vec<(usize, usize)>,
}

impl<'a> Log<'a> {
    /// A CSV log when `line` is a `DateTime,RequestId,...` header naming `HttpStatus` and
    /// `UserAgent`.
    pub fn open(line: Line<'a>) -> Option<Log<'a>> {
        let mut t = line.text.trim();
        if starts_with_ci(t, "#Fields:") {
            t = t["#Fields:".len()..].trim_start();
        }
        if !starts_with_ci(t, "DateTime,RequestId,") {
            return None;
        }
        let mut cols = Columns::default();
        let mut width = 0;
        for (i, name) in t.split(',').enumerate() {
            let slot = match name.trim().to_ascii_lowercase().as_str() {
                "httpstatus" => &mut cols.status,
                "useragent" => &mut cols.user_agent,
                "totalrequesttime" | "time-taken" | "timetaken" => &mut cols.millis,
                "urlstem" => &mut cols.stem,
                "urlhost" => &mut cols.host,
                "urlquery" => &mut cols.query,
                "protocolaction" | "soapaction" => &mut cols.action,
                "targetserver" => &mut cols.target,
                "serverhostname" => &mut cols.server_host,
                "clientipaddress" => &mut cols.client_ip,
                "anchormailbox" => &mut cols.anchor,
                "errorcode" => &mut cols.error_code,
                "genericerrors" => &mut cols.generic_errors,
                _ => continue,
            };
            width = width.max(*slot.get_or_insert(i) + 1);
        }
        if cols.status.is_none() || cols.user_agent.is_none() {
            return None;
        }
        let kind = if cols.stem.is_some() || cols.target.is_some() {
            "Exchange HttpProxy log"
        } else if contains_ci(t, ",SoapAction,") {
            "Exchange EWS log"
        } else {
            "Exchange log (CSV)"
        };
        Some(Log {
            header: line.range(),
            kind,
            cols,
            width,
            stats: Stats::default(),
            fields: Vec::new(),
        })
    }

    /// Takes `line` when it is a row of this log (a blank line too); false leaves it to others.
    pub fn row(&mut self, line: Line<'a>, opts: &Options, out: &mut Vec<Finding>) -> bool {
        let t = line.text.trim();
        if t.is_empty() {
            return true;
        }
        // A row starts with its DateTime: `2024-05-03T07:02:19.220Z`.
        let b = t.as_bytes();
        if !(looks_like_date(t)
            && b.len() > 11
            && matches!(b[10], b'T' | b' ')
            && looks_like_time(&t[11..]))
        {
            return false;
        }
        split(t, self.width, &mut self.fields);
        if self.fields.len() < 2 {
            // No comma: an IIS row or an application line pasted after this log, not its row.
            return false;
        }
        let c = &self.cols;
        let fields = &self.fields;
        let raw = |i: Option<usize>| -> Option<&'a str> {
            let (s, e) = *fields.get(i?)?;
            Some(&t[s..e])
        };
        self.stats.rows += 1;
        self.stats.stamp(raw(Some(0)).unwrap_or(""), "");
        let status = raw(c.status).and_then(parse_status);
        let gua = raw(c.action).is_some_and(|a| contains_ci(a, "GetUserAvailability"))
            || (raw(c.stem).is_some_and(request::is_ews_path)
                && raw(c.query).is_some_and(|q| contains_ci(q, "GetUserAvailability")));
        let Some(flow) = classify(raw(c.user_agent), gua) else {
            return true;
        };
        let millis = raw(c.millis).and_then(parse_millis);
        let verdict = Verdict::new(flow, status, millis, opts);
        self.stats.record(flow, status, verdict.slow);
        if verdict.any() {
            let req = self.request(line, t, status, millis);
            emit(flow, verdict, &req, opts, out);
        }
        true
    }

    fn request(
        &self,
        line: Line<'a>,
        t: &'a str,
        status: Option<u16>,
        millis: Option<f64>,
    ) -> Request {
        let c = &self.cols;
        let get = |i: Option<usize>| -> Option<String> {
            let (s, e) = *self.fields.get(i?)?;
            let v = unquote(&t[s..e]);
            let v = v.trim();
            (!v.is_empty()).then(|| v.to_string())
        };
        let mut details = Vec::new();
        for (name, col) in [
            ("ErrorCode", c.error_code),
            ("GenericErrors", c.generic_errors),
        ] {
            if let Some(v) = get(col) {
                details.push((name, v));
            }
        }
        let address = get(c.anchor).and_then(|a| {
            let addr = a.rsplit([':', '~']).next().unwrap_or(&a);
            addr.contains('@').then(|| addr.to_string())
        });
        Request {
            range: line.range(),
            status,
            millis,
            user_agent: get(c.user_agent),
            host: get(c.host),
            path: get(c.stem),
            server: get(c.target).or_else(|| get(c.server_host)),
            ip: get(c.client_ip),
            address,
            details,
        }
    }

    /// The counts so far (`logs::rows` reads a log in parts).
    pub fn stats(&mut self) -> &mut Stats<'a> {
        &mut self.stats
    }

    pub fn finish(self, opts: &Options, out: &mut Vec<Finding>) {
        out.push(
            self.stats
                .finding(self.kind, self.header, opts.slow_request_seconds),
        );
    }
}

/// The byte spans of the first `max` fields of `line` (quotes included). A field that starts
/// with `"` runs to its closing quote (`""` is an escaped quote; unclosed, to the line's end)
/// and on to the next comma. One pass over the commas and quotes (over the commas alone in a
/// row without quotes, the common case).
fn split(line: &str, max: usize, out: &mut Vec<(usize, usize)>) {
    out.clear();
    if max == 0 {
        return;
    }
    let b = line.as_bytes();
    let mut start = 0;
    if memchr::memchr(b'"', b).is_none() {
        for k in flagged(b, |w| eq(w, b',')) {
            out.push((start, k));
            if out.len() == max {
                return;
            }
            start = k + 1;
        }
        out.push((start, b.len()));
        return;
    }
    let mut quoted = b.first() == Some(&b'"');
    // The quote at this offset needs no look: it opened the field, or was escaped.
    let mut skip = quoted.then_some(0);
    for k in commas_and_quotes(b) {
        if skip == Some(k) {
            continue;
        }
        if b[k] == b'"' {
            if quoted {
                if b.get(k + 1) == Some(&b'"') {
                    skip = Some(k + 1);
                } else {
                    quoted = false;
                }
            }
            continue;
        }
        if quoted {
            continue;
        }
        out.push((start, k));
        if out.len() == max {
            return;
        }
        start = k + 1;
        quoted = b.get(start) == Some(&b'"');
        skip = quoted.then_some(start);
    }
    out.push((start, b.len()));
}

/// The offsets of the commas and quotes in `b`, in order.
fn commas_and_quotes(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    flagged(b, |w| eq(w, b',') | eq(w, b'"'))
}

/// The offsets of the bytes of `b` that `flags` flags (the top bit of each byte of a word read
/// little-endian), in order. A row holds a comma every few bytes, too dense for `memchr` (whose
/// every call costs more than the bytes between): eight bytes at a time.
fn flagged<'b>(b: &'b [u8], flags: impl Fn(u64) -> u64 + 'b) -> impl Iterator<Item = usize> + 'b {
    let (mut at, mut mask) = (0, 0u64);
    std::iter::from_fn(move || {
        while mask == 0 {
            let w = match b.get(at..at + 8) {
                Some(w) => u64::from_le_bytes(w.try_into().ok()?),
                None if at < b.len() => {
                    let mut w = [0u8; 8];
                    w[..b.len() - at].copy_from_slice(&b[at..]);
                    u64::from_le_bytes(w)
                }
                None => return None,
            };
            mask = flags(w);
            at += 8;
        }
        let k = at - 8 + (mask.trailing_zeros() / 8) as usize;
        mask &= mask - 1;
        Some(k)
    })
}

/// The top bit of each byte of `w` that equals `c` (exact: no carry crosses a byte).
#[inline]
fn eq(w: u64, c: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = w ^ (ONES * u64::from(c));
    !(((x & LOW) + LOW) | x | LOW)
}

/// A field's value: surrounding quotes removed, `""` read as `"`.
fn unquote(field: &str) -> Cow<'_, str> {
    let f = field.trim();
    match f.strip_prefix('"') {
        Some(inner) => {
            let inner = inner.strip_suffix('"').unwrap_or(inner);
            if inner.contains("\"\"") {
                Cow::Owned(inner.replace("\"\"", "\""))
            } else {
                Cow::Borrowed(inner)
            }
        }
        None => Cow::Borrowed(f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use memchr::memchr;

    fn fields(line: &str) -> Vec<String> {
        let mut spans = Vec::new();
        split(line, 100, &mut spans);
        spans
            .iter()
            .map(|&(s, e)| unquote(&line[s..e]).into_owned())
            .collect()
    }

    #[test]
    fn quoted_fields_keep_their_commas() {
        assert_eq!(
            fields(r#"a,"b,c",,"say ""hi""",d"#),
            ["a", "b,c", "", r#"say "hi""#, "d"]
        );
        assert_eq!(fields("a,"), ["a", ""]);
        assert_eq!(fields(r#"a,"unclosed, field"#), ["a", "unclosed, field"]);
        assert_eq!(fields(""), [""]);
    }

    /// The split as first written: a search for the closing quote, then for the comma.
    fn split_by_search(line: &str, max: usize, out: &mut Vec<(usize, usize)>) {
        out.clear();
        let b = line.as_bytes();
        let mut i = 0;
        while out.len() < max {
            let mut j = i;
            if b.get(i) == Some(&b'"') {
                // To the closing quote (`""` is an escaped quote), or the end of an unclosed field.
                j += 1;
                loop {
                    match memchr(b'"', &b[j..]) {
                        None => {
                            j = b.len();
                            break;
                        }
                        Some(k) => {
                            j += k + 1;
                            if b.get(j) == Some(&b'"') {
                                j += 1;
                            } else {
                                break;
                            }
                        }
                    }
                }
            }
            let end = memchr(b',', &b[j..]).map_or(b.len(), |k| j + k);
            out.push((i, end));
            if end >= b.len() {
                break;
            }
            i = end + 1;
        }
    }

    #[test]
    fn one_pass_splits_as_the_searches_did() {
        let parts = ["a", ",", "\"", "\"\"", "b c", ",\"", "\",", ""];
        let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1D_u64);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for _ in 0..50_000 {
            let line: String = (0..next(14)).map(|_| parts[next(parts.len())]).collect();
            let max = next(8);
            split(&line, max, &mut a);
            split_by_search(&line, max, &mut b);
            assert_eq!(a, b, "{line:?} max {max}");
        }
    }

    #[test]
    fn every_comma_and_quote_and_nothing_else() {
        // Every byte value, at every place in a word, beside its neighbours.
        let bytes: Vec<u8> = (0..=255u8)
            .chain((0..=255u8).rev())
            .chain(*b",\",")
            .collect();
        for skip in 0..9 {
            let b = &bytes[skip..];
            let want: Vec<usize> = (0..b.len()).filter(|&i| b",\"".contains(&b[i])).collect();
            assert_eq!(commas_and_quotes(b).collect::<Vec<_>>(), want);
        }
    }

    #[test]
    fn split_stops_at_max() {
        let mut spans = Vec::new();
        split("a,b,c,d", 2, &mut spans);
        assert_eq!(spans.len(), 2);
    }
}
