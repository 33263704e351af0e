//! One logged request, whatever the format: is it a free/busy request, did it fail, was it slow,
//! and the findings (FB201, FB202, FB203) with the values a fix needs.
use super::{clip, contains_ci, find_ci};
use crate::capture::{Captures, Key};
use crate::code::Code;
use crate::finding::Finding;
use crate::options::Options;
use std::ops::Range;

/// Which free/busy request a log line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Exchange Online's cross-forest Autodiscover lookup (`ASAutoDiscover/CrossForest/EmailDomain`).
    Autodiscover,
    /// Exchange Online's cross-forest EWS availability request (`ASProxy/CrossForest/EmailDomain`).
    Ews,
    /// Any other `GetUserAvailability` call to EWS.
    Availability,
}

const CROSS_FOREST: &str = "/CrossForest/EmailDomain";

/// The free/busy request `user_agent` names; else `Availability` when the caller saw
/// `GetUserAvailability` in the request's action or query.
pub(crate) fn classify(user_agent: Option<&str>, get_user_availability: bool) -> Option<Flow> {
    if let Some(ua) = user_agent {
        if let Some(at) = find_ci(ua, CROSS_FOREST) {
            let before = &ua[..at];
            if ends_with_ci(before, "ASAutoDiscover") {
                return Some(Flow::Autodiscover);
            }
            if ends_with_ci(before, "ASProxy") {
                return Some(Flow::Ews);
            }
        }
    }
    get_user_availability.then_some(Flow::Availability)
}

fn ends_with_ci(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.as_bytes()[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
}

pub(crate) fn is_ews_path(path: &str) -> bool {
    contains_ci(path, "/ews/")
}

pub(crate) fn is_autodiscover_path(path: &str) -> bool {
    contains_ci(path, "/autodiscover/")
}

/// What a format found out about one request that needs a finding. Built only then.
#[derive(Debug, Default)]
pub(crate) struct Request {
    /// The line (or the status line of a capture): where the findings go.
    pub range: Range<usize>,
    pub status: Option<u16>,
    pub millis: Option<f64>,
    pub user_agent: Option<String>,
    pub host: Option<String>,
    /// URL path (`/EWS/Exchange.asmx`) or absolute URL, as logged.
    pub path: Option<String>,
    /// The server that handled it (target back end, else the logging server).
    pub server: Option<String>,
    /// The client's address.
    pub ip: Option<String>,
    /// The mailbox the request was about.
    pub address: Option<String>,
    /// Error columns or headers worth quoting (`ErrorCode`, `x-ms-diagnostics`, ...).
    pub details: Vec<(&'static str, String)>,
}

impl Request {
    /// The request's URL without its query, when the host or an absolute URL is known.
    pub fn url(&self) -> Option<String> {
        let path = self.path.as_deref()?;
        let path = path.split('?').next().unwrap_or(path);
        let lower = path.get(..8).unwrap_or(path).to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            return Some(path.to_string());
        }
        let host = self.host.as_deref()?;
        let sep = if path.starts_with('/') { "" } else { "/" };
        Some(format!("https://{host}{sep}{path}"))
    }

    /// The values a fix can use, keyed as `{{name|...}}` placeholders name them, plus `status`
    /// and `user_agent`.
    pub fn captures(&self, flow: Flow) -> Captures {
        let mut c = Captures::new();
        let mut put = |k: Key, v: Option<&str>| {
            if let Some(v) = v.map(str::trim).filter(|v| !v.is_empty() && *v != "-") {
                c.insert(k, v.to_string());
            }
        };
        put(Key::Status, self.status.map(|s| s.to_string()).as_deref());
        put(Key::UserAgent, self.user_agent.as_deref());
        let url = self.url();
        let host = self
            .host
            .as_deref()
            .or_else(|| url.as_deref().and_then(host_of));
        put(Key::Host, host);
        put(Key::Url, url.as_deref());
        let path = self.path.as_deref().unwrap_or("");
        let autodiscover = flow == Flow::Autodiscover || is_autodiscover_path(path);
        let key = if autodiscover {
            Key::AutodiscoverUrl
        } else {
            Key::EwsUrl
        };
        put(key, url.as_deref());
        // `<ServerName>` in the fixes (`EXCH01\ews (Exchange Back End)`) is the short name.
        put(Key::Server, self.server.as_deref().map(short_name));
        put(Key::Ip, self.ip.as_deref());
        if let Some(addr) = self.address.as_deref().filter(|a| a.contains('@')) {
            put(Key::Address, Some(addr));
            put(Key::Domain, addr.rsplit_once('@').map(|(_, d)| d));
        }
        c
    }
}

/// `exch02` for `exch02.contoso.local`; an IP address stays whole.
fn short_name(server: &str) -> &str {
    let server = server.trim();
    if server.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return server;
    }
    server.split('.').next().unwrap_or(server)
}

/// The host of an absolute URL, without port or credentials.
pub(crate) fn host_of(url: &str) -> Option<&str> {
    let rest = &url[url.find("://")? + 3..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match authority.rfind(':') {
        Some(i) if !authority.ends_with(']') => &authority[..i],
        _ => authority,
    };
    (!host.is_empty()).then_some(host)
}

/// The findings `flow`, `status` and `millis` call for: the failure of a cross-forest request,
/// the slowness of any free/busy request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub failed: bool,
    pub slow: bool,
}

impl Verdict {
    pub fn new(flow: Flow, status: Option<u16>, millis: Option<f64>, opts: &Options) -> Verdict {
        Verdict {
            failed: flow != Flow::Availability && status.is_some_and(|s| s >= 400),
            slow: millis.is_some_and(|ms| ms > opts.slow_request_seconds * 1000.0),
        }
    }

    pub fn any(self) -> bool {
        self.failed || self.slow
    }
}

pub(crate) fn emit(
    flow: Flow,
    verdict: Verdict,
    req: &Request,
    opts: &Options,
    out: &mut Vec<Finding>,
) {
    let captures = req.captures(flow);
    if verdict.failed {
        let status = req.status.unwrap_or(0);
        let code = if flow == Flow::Autodiscover {
            Code::FB201
        } else {
            Code::FB202
        };
        let mut f = Finding::new(code, req.range.clone());
        f.note = Some(failure_note(flow, status, &req.details));
        f.captures = captures.clone();
        out.push(f);
    }
    if verdict.slow {
        let mut f = Finding::new(Code::FB203, req.range.clone());
        f.note = Some(slow_note(flow, req.millis.unwrap_or(0.0), req.status, opts));
        f.captures = captures;
        out.push(f);
    }
}

fn what(flow: Flow) -> &'static str {
    match flow {
        Flow::Autodiscover => {
            "Cross-forest Autodiscover request (ASAutoDiscover/CrossForest/EmailDomain)"
        }
        Flow::Ews => "Cross-forest EWS availability request (ASProxy/CrossForest/EmailDomain)",
        Flow::Availability => "GetUserAvailability request",
    }
}

pub(crate) fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        413 => "Request Entity Too Large",
        440 => "Login Timeout",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

fn status_text(status: u16) -> String {
    match reason_phrase(status) {
        "" => status.to_string(),
        r => format!("{status} {r}"),
    }
}

/// What `status` means for this request, and which entry to read.
fn failure_note(flow: Flow, status: u16, details: &[(&'static str, String)]) -> String {
    let meaning = match (status, flow) {
        (401, _) => "it did not get through authentication: a device in front of Exchange that \
            pre-authenticates (reverse proxy, Web Application Proxy, TMG) or the virtual directory's \
            authentication settings. Read FB007. A 401 followed by a success from the same client \
            can be a normal challenge."
            .to_string(),
        (404, Flow::Autodiscover) => "nothing at this URL serves Autodiscover: a wrong endpoint in \
            the hybrid settings, a broken Autodiscover virtual directory or a missing SVC handler \
            mapping. Read FB003."
            .to_string(),
        (404, _) => "nothing at this URL serves EWS: a wrong TargetSharingEpr or a broken EWS virtual \
            directory or handler mapping. The checks of FB003 apply."
            .to_string(),
        (500, _) => "Exchange failed while handling it; the reason is in the response body \
            (MessageText, ResponseCode) or the log's error columns: look at the response body."
            .to_string(),
        (503, _) => "a stopped application pool (MSExchangeServicesAppPool, \
            MSExchangeAutodiscoverAppPool), an inactive server component, or a device answering in \
            place of IIS. Read FB031."
            .to_string(),
        (504, _) => "a gateway timed out waiting for Exchange: often the Hybrid Agent or a reverse \
            proxy in front of Exchange. Read FB032."
            .to_string(),
        _ => format!(
            "the request failed with HTTP {status}; the response body or the server's logs tell why."
        ),
    };
    let mut note = format!("{} answered {}: {meaning}", what(flow), status_text(status));
    for (name, value) in details {
        note.push_str(&format!(" {name}: {}.", clip(value, 300)));
    }
    note
}

fn slow_note(flow: Flow, millis: f64, status: Option<u16>, opts: &Options) -> String {
    let status = status.map_or(String::new(), |s| format!(", status {s}"));
    format!(
        "{} took {:.1} s ({millis:.0} ms{status}), over the {} s limit: slow enough for the caller \
         to give up waiting (\"The request timed out\"). Read FB017.",
        what(flow),
        millis / 1000.0,
        opts.slow_request_seconds
    )
}
