//! HTTP captures: Fiddler's raw view, `curl -v` (`> `/`< ` prefixes), pasted request/response
//! blocks. A request line (`POST https://.../EWS/Exchange.asmx HTTP/1.1`) or a status line
//! (`HTTP/1.1 503 Service Unavailable`) starts a message; `Name: value` lines up to a blank line
//! are its headers; the rest is its body (SOAP: `<ResponseCode>`, `GetUserAvailability`).
//!
//! A capture counts as a log (and gets its FB200 summary) once it shows a request line or a
//! response with a `Server:` header: a lone `HTTP/1.1 401 Unauthorized` quoted in notes is not one.
//!
//! A command line also starts a request when its URL is on it: `curl -i URL` (the status line and
//! headers follow) and `Invoke-WebRequest -Uri URL` (the response object follows as
//! `Name : value` fields: `StatusCode`, `RawContent` holding the status line and headers,
//! `Headers : {[Server, Microsoft-HTTPAPI/2.0], ...}`, or an `HttpWebResponse`'s `Server`).
use super::request::{self, classify, emit, Flow, Request, Verdict};
use super::summary::Stats;
use super::{contains_ci, find_ci, parse_status, starts_with_ci, Line};
use crate::code::Code;
use crate::finding::Finding;
use crate::options::Options;
use std::ops::Range;

const METHODS: &[&str] = &["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"];

enum Start<'a> {
    Request {
        target: &'a str,
    },
    Status {
        status: u16,
    },
    /// `curl ... URL`, `Invoke-WebRequest -Uri URL`: a request whose answer is printed below.
    Command {
        url: &'a str,
    },
}

/// Commands whose output is an HTTP answer (`curl` is also Windows PowerShell's alias of
/// `Invoke-WebRequest`).
const COMMANDS: &[&str] = &[
    "curl",
    "curl.exe",
    "invoke-webrequest",
    "iwr",
    "invoke-restmethod",
    "irm",
];

/// The URL of a `curl`/`Invoke-WebRequest` command line: the command among the first words
/// (after a prompt or `$r =`), then the first `http(s)://` argument.
fn command_url(t: &str) -> Option<&str> {
    let mut words = t.split_ascii_whitespace();
    let is_command = |w: &str| {
        let w = w.rsplit('>').next().unwrap_or(w);
        COMMANDS.iter().any(|c| w.eq_ignore_ascii_case(c))
    };
    if !words.by_ref().take(6).any(is_command) {
        return None;
    }
    words
        .map(|w| w.trim_matches(|c| c == '\'' || c == '"'))
        .find(|w| starts_with_ci(w, "https://") || starts_with_ci(w, "http://"))
}

/// `line` without a `curl -v` direction mark (`> `, `< `), trimmed.
fn unmark(line: &str) -> &str {
    let t = line.trim();
    match t.as_bytes() {
        [b'>' | b'<'] => "",
        [b'>' | b'<', b' ', ..] => t[2..].trim_start(),
        _ => t,
    }
}

fn start(t: &str) -> Option<Start<'_>> {
    // A status line starts `HTTP/`, a request line ends with it, a command names a URL: all
    // hold `http`, which most lines do not.
    if !contains_ci(t, "http") {
        return None;
    }
    if starts_with_ci(t, "HTTP/") {
        let mut parts = t.split_ascii_whitespace();
        let version = parts.next()?;
        if !version[5..].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let status = parse_status(parts.next()?)?;
        return Some(Start::Status { status });
    }
    if let Some(url) = command_url(t) {
        return Some(Start::Command { url });
    }
    let (method, rest) = t.split_once(' ')?;
    if !METHODS.contains(&method) {
        return None;
    }
    let (target, version) = rest.trim().rsplit_once(' ')?;
    let target = target.trim();
    let absolute = starts_with_ci(target, "http://") || starts_with_ci(target, "https://");
    if !starts_with_ci(version, "HTTP/")
        || target.contains(' ')
        || !(target.starts_with('/') || absolute)
    {
        return None;
    }
    Some(Start::Request { target })
}

/// Whether `line` starts an HTTP message.
pub(crate) fn starts(line: &str) -> bool {
    start(unmark(line)).is_some()
}

/// Whether the bytes before a tag name end in `<` or `<prefix:` (an opening tag, not `</`).
fn opening_tag(before: &[u8]) -> bool {
    let mut i = before.len();
    if before.last() == Some(&b':') {
        i -= 1;
        let stop = i.saturating_sub(16);
        while i > stop && before[i - 1].is_ascii_alphanumeric() {
            i -= 1;
        }
    }
    i > 0 && before[i - 1] == b'<'
}

#[derive(Default)]
struct Req<'a> {
    range: Range<usize>,
    target: &'a str,
    host: Option<&'a str>,
    user_agent: Option<&'a str>,
    get_user_availability: bool,
}

struct Resp<'a> {
    status: u16,
    range: Range<usize>,
    /// `Server:` value and the header line's range.
    server: Option<(&'a str, Range<usize>)>,
    diagnostics: Option<&'a str>,
    backend: Option<&'a str>,
}

#[derive(PartialEq, Eq)]
enum Part {
    Headers,
    Body,
}

pub(crate) struct Log<'a> {
    /// Where the summary goes: the first message of the capture once it is recognized.
    first: Option<Range<usize>>,
    stats: Stats<'a>,
    part: Part,
    req: Option<Req<'a>>,
    resp: Option<Resp<'a>>,
    /// The request came from a command line: its answer may be a PowerShell object.
    command: bool,
    /// An object's `Server` field seen before its `StatusCode`.
    pending_server: Option<(&'a str, Range<usize>)>,
}

impl<'a> Log<'a> {
    pub fn new() -> Log<'a> {
        Log {
            first: None,
            stats: Stats {
                capture: true,
                ..Stats::default()
            },
            part: Part::Body,
            req: None,
            resp: None,
            command: false,
            pending_server: None,
        }
    }

    pub fn line(&mut self, line: Line<'a>, opts: &Options, out: &mut Vec<Finding>) {
        let t = unmark(line.text);
        match start(t) {
            Some(Start::Request { target }) => {
                self.close(opts, out);
                let range = line.range_of(t);
                self.recognize(range.clone());
                self.req = Some(Req {
                    range,
                    target,
                    ..Req::default()
                });
                self.part = Part::Headers;
                return;
            }
            Some(Start::Status { status }) => {
                self.status(status, line.range_of(t), opts, out);
                return;
            }
            Some(Start::Command { url }) => {
                self.close(opts, out);
                self.req = Some(Req {
                    range: line.range_of(url),
                    target: url,
                    ..Req::default()
                });
                self.command = true;
                self.part = Part::Body;
                return;
            }
            None => {}
        }
        if self.command && self.part == Part::Body && self.field(line, t, opts, out) {
            return;
        }
        if self.part == Part::Headers {
            if t.is_empty() {
                self.part = Part::Body;
                return;
            }
            if let Some((name, value)) = header(t) {
                self.header(line, name, value);
                return;
            }
            self.part = Part::Body;
        }
        self.body(t);
    }

    /// A status line (`HTTP/1.1 503 ...`) at `range`: the answer to the open request.
    fn status(&mut self, status: u16, range: Range<usize>, opts: &Options, out: &mut Vec<Finding>) {
        if self.resp.is_some() || self.req.is_none() {
            self.close(opts, out);
        }
        self.resp = Some(Resp {
            status,
            range,
            server: self.pending_server.take(),
            diagnostics: None,
            backend: None,
        });
        if let Some(resp) = &self.resp {
            if resp.server.is_some() {
                let range = resp.range.clone();
                self.recognize(range);
            }
        }
        self.part = Part::Headers;
    }

    /// A field of a PowerShell response object after a command line; true when it was one.
    fn field(
        &mut self,
        line: Line<'a>,
        t: &'a str,
        opts: &Options,
        out: &mut Vec<Finding>,
    ) -> bool {
        let Some((name, value)) = object_field(t) else {
            return false;
        };
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        if is("RawContent") {
            // `RawContent : HTTP/1.1 503 Service Unavailable`, the headers indented below.
            let Some(Start::Status { status }) = start(value) else {
                return false;
            };
            match &self.resp {
                Some(r) if r.status == status => self.part = Part::Headers,
                _ => self.status(status, line.range_of(value), opts, out),
            }
        } else if is("StatusCode") {
            let Some(status) = parse_status(value).or_else(|| status_named(value)) else {
                return false;
            };
            if self.resp.is_none() {
                self.status(status, line.range(), opts, out);
                self.part = Part::Body;
            }
        } else if is("Server") {
            self.server(value, line.range());
        } else if is("Headers") {
            // `{[Server, Microsoft-HTTPAPI/2.0], [Date, ...]}` (Windows PowerShell).
            let Some(at) = find_ci(value, "[Server, ") else {
                return false;
            };
            let rest = &value[at + "[Server, ".len()..];
            let server = rest.split(']').next().unwrap_or(rest).trim();
            self.server(server, line.range());
        } else {
            return false;
        }
        true
    }

    /// The answering server, from an object field (`Server : ...`, `Headers : {[Server, ...]}`).
    fn server(&mut self, value: &'a str, range: Range<usize>) {
        match &mut self.resp {
            Some(resp) if resp.server.is_none() => {
                resp.server = Some((value, range));
                let range = resp.range.clone();
                self.recognize(range);
            }
            Some(_) => {}
            None => self.pending_server = Some((value, range)),
        }
    }

    fn header(&mut self, line: Line<'a>, name: &'a str, value: &'a str) {
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        if let Some(resp) = &mut self.resp {
            if is("Server") {
                resp.server = Some((value, line.range_of(line.text.trim())));
                let range = resp.range.clone();
                self.recognize(range);
            } else if is("x-ms-diagnostics") {
                resp.diagnostics = Some(value);
            } else if is("X-BEServer")
                || is("X-CalculatedBETarget")
                || (is("X-FEServer") && resp.backend.is_none())
            {
                resp.backend = Some(value);
            }
        } else if let Some(req) = &mut self.req {
            if is("Host") {
                req.host = Some(value);
            } else if is("User-Agent") {
                req.user_agent = Some(value);
            } else if is("SOAPAction") && contains_ci(value, "GetUserAvailability") {
                req.get_user_availability = true;
            }
        }
    }

    fn body(&mut self, t: &'a str) {
        if t.is_empty() {
            return;
        }
        if self.resp.is_none() {
            if let Some(req) = &mut self.req {
                req.get_user_availability |= contains_ci(t, "GetUserAvailability");
            }
            return;
        }
        // Availability answers: `<ResponseCode>NoError</ResponseCode>`, `<m:ResponseCode>...`.
        const TAG: &str = "ResponseCode>";
        let mut pos = 0;
        while let Some(at) = find_ci(&t[pos..], TAG) {
            let at = pos + at;
            pos = at + TAG.len();
            if !opening_tag(&t.as_bytes()[..at]) {
                continue;
            }
            let value = t[pos..].split('<').next().unwrap_or("").trim();
            if !value.is_empty()
                && value.len() <= 80
                && value.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                match self.stats.answers.get_mut(value) {
                    Some(n) => *n += 1,
                    None => {
                        self.stats.answers.insert(value.to_string(), 1);
                    }
                }
            }
        }
    }

    fn recognize(&mut self, range: Range<usize>) {
        if self.first.is_none() {
            self.first = Some(range);
        }
    }

    /// Ends the current exchange: its request judged against its response.
    fn close(&mut self, opts: &Options, out: &mut Vec<Finding>) {
        let (req, resp) = (self.req.take(), self.resp.take());
        let command = std::mem::take(&mut self.command);
        self.pending_server = None;
        let Some(req) = req else { return };
        // A command line with no answer below it is a command, not a request seen.
        if command && resp.is_none() {
            return;
        }
        self.stats.rows += 1;
        let target = req.target;
        let status = resp.as_ref().map(|r| r.status);
        let to_endpoint = request::is_ews_path(target) || request::is_autodiscover_path(target);
        let flow = classify(
            req.user_agent,
            req.get_user_availability && request::is_ews_path(target),
        );
        let build = |range: Range<usize>| {
            let mut details = Vec::new();
            if let Some(d) = resp.as_ref().and_then(|r| r.diagnostics) {
                details.push(("x-ms-diagnostics", d.to_string()));
            }
            Request {
                range,
                status,
                millis: None,
                user_agent: req.user_agent.map(str::to_string),
                host: req
                    .host
                    .map(|h| h.split(':').next().unwrap_or(h).to_string()),
                path: Some(target.to_string()),
                server: resp.as_ref().and_then(|r| r.backend).map(str::to_string),
                ip: None,
                address: None,
                details,
            }
        };
        if let Some(flow) = flow {
            let verdict = Verdict::new(flow, status, None, opts);
            self.stats.record(flow, status, false);
            if verdict.any() {
                let range = resp.as_ref().map_or(req.range.clone(), |r| r.range.clone());
                emit(flow, verdict, &build(range), opts, out);
            }
        }
        let Some(resp) = &resp else { return };
        let Some((server, range)) = &resp.server else {
            return;
        };
        if to_endpoint && contains_ci(server, "Microsoft-HTTPAPI") {
            *self.stats.httpapi.entry(resp.status).or_default() += 1;
            let r = build(range.clone());
            let flow = flow.unwrap_or(if request::is_autodiscover_path(target) {
                Flow::Autodiscover
            } else {
                Flow::Ews
            });
            let mut f = Finding::new(Code::FB204, r.range.clone());
            f.note = Some(format!(
                "{server} answered {} with {} {}: HTTP.sys or a Web Application Proxy answered, \
                 not Exchange's IIS (a stopped application pool, or a proxy in front whose back end \
                 is down). Read FB031.",
                r.url().unwrap_or_else(|| target.to_string()),
                resp.status,
                request::reason_phrase(resp.status),
            ));
            f.captures = r.captures(flow);
            out.push(f);
        }
    }

    pub fn finish(mut self, opts: &Options, out: &mut Vec<Finding>) {
        self.close(opts, out);
        if let Some(first) = self.first {
            out.push(
                self.stats
                    .finding("HTTP capture", first, opts.slow_request_seconds),
            );
        }
    }
}

/// `Name : value` of a PowerShell object in list view: a property name, spaces, a colon.
fn object_field(t: &str) -> Option<(&str, &str)> {
    let (name, value) = t.split_once(':')?;
    let name = name.trim_end();
    let ok =
        !name.is_empty() && name.len() <= 40 && name.bytes().all(|b| b.is_ascii_alphanumeric());
    ok.then(|| (name, value.trim()))
}

/// A `System.Net.HttpStatusCode` name as PowerShell prints it (`ServiceUnavailable`).
fn status_named(name: &str) -> Option<u16> {
    const NAMES: &[(&str, u16)] = &[
        ("OK", 200),
        ("MovedPermanently", 301),
        ("Found", 302),
        ("Redirect", 302),
        ("BadRequest", 400),
        ("Unauthorized", 401),
        ("Forbidden", 403),
        ("NotFound", 404),
        ("InternalServerError", 500),
        ("BadGateway", 502),
        ("ServiceUnavailable", 503),
        ("GatewayTimeout", 504),
    ];
    NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
        .map(|(_, s)| *s)
}

/// `Name: value` with a token for a name.
fn header(t: &str) -> Option<(&str, &str)> {
    let (name, value) = t.split_once(':')?;
    let token = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    token.then(|| (name, value.trim()))
}
