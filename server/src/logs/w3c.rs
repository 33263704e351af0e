//! W3C logs: IIS (`%SystemDrive%\inetpub\logs\LogFiles\W3SVC1`) and HTTP.sys's HTTPERR
//! (`%SystemRoot%\System32\LogFiles\HTTPERR`). A `#Fields:` directive names the space-separated
//! columns; `cs(User-Agent)` writes spaces as `+`; `time-taken` is in milliseconds; `date time`
//! are UTC.
use super::request::{self, classify, emit, Flow, Request, Verdict};
use super::summary::Stats;
use super::{
    contains_ci, looks_like_date, looks_like_time, parse_millis, parse_status, starts_with_ci, Line,
};
use crate::code::Code;
use crate::finding::Finding;
use crate::options::Options;
use std::ops::Range;

/// Column positions, by the names IIS and HTTP.sys use.
#[derive(Debug, Default)]
struct Columns {
    date: Option<usize>,
    time: Option<usize>,
    stem: Option<usize>,
    /// HTTPERR's `cs-uri` (path or absolute URL, with query).
    uri: Option<usize>,
    query: Option<usize>,
    status: Option<usize>,
    user_agent: Option<usize>,
    taken: Option<usize>,
    host: Option<usize>,
    computer: Option<usize>,
    client_ip: Option<usize>,
    user: Option<usize>,
    /// HTTPERR's `s-reason` (`AppOffline`, `QueueFull`, ...).
    reason: Option<usize>,
    queue: Option<usize>,
}

pub(crate) struct Log<'a> {
    header: Range<usize>,
    cols: Columns,
    width: usize,
    httperr: bool,
    stats: Stats<'a>,
    fields: Vec<&'a str>,
}

impl<'a> Log<'a> {
    /// A W3C log when `line` is a `#Fields:` directive naming a URL and a status column.
    pub fn open(line: Line<'a>) -> Option<Log<'a>> {
        let t = line.text.trim();
        if !starts_with_ci(t, "#Fields:") {
            return None;
        }
        let names = &t["#Fields:".len()..];
        if names.contains(',') {
            return None;
        }
        let mut cols = Columns::default();
        let mut width = 0;
        for (i, name) in names.split_whitespace().enumerate() {
            width = i + 1;
            let slot = match name.to_ascii_lowercase().as_str() {
                "date" => &mut cols.date,
                "time" => &mut cols.time,
                "cs-uri-stem" => &mut cols.stem,
                "cs-uri" => &mut cols.uri,
                "cs-uri-query" => &mut cols.query,
                "sc-status" => &mut cols.status,
                "cs(user-agent)" => &mut cols.user_agent,
                "time-taken" => &mut cols.taken,
                "cs-host" => &mut cols.host,
                "s-computername" => &mut cols.computer,
                "c-ip" => &mut cols.client_ip,
                "cs-username" => &mut cols.user,
                "s-reason" => &mut cols.reason,
                "s-queuename" => &mut cols.queue,
                _ => continue,
            };
            slot.get_or_insert(i);
        }
        if cols.status.is_none() || (cols.stem.is_none() && cols.uri.is_none()) {
            return None;
        }
        let httperr = cols.reason.is_some();
        let stats = Stats {
            no_user_agent: cols.user_agent.is_none() && !httperr,
            ..Stats::default()
        };
        Some(Log {
            header: line.range(),
            cols,
            width,
            httperr,
            stats,
            fields: Vec::new(),
        })
    }

    /// Takes `line` when it is a row of this log (a blank line too); false leaves it to others.
    pub fn row(&mut self, line: Line<'a>, opts: &Options, out: &mut Vec<Finding>) -> bool {
        let t = line.text.trim();
        if t.is_empty() {
            return true;
        }
        if t.starts_with('#') {
            return false;
        }
        self.fields.clear();
        // One more than the header names: enough to see a row is too long, and a huge line
        // costs no more than its first few fields.
        self.fields
            .extend(t.split_whitespace().take(self.width + 1));
        let c = &self.cols;
        let get = |i: Option<usize>| -> Option<&'a str> {
            self.fields.get(i?).copied().filter(|v| *v != "-")
        };
        let date = get(c.date);
        let time = get(c.time);
        let ok = match (c.date, c.time) {
            (None, None) => self.fields.len() == self.width,
            _ => {
                c.date.is_none_or(|_| date.is_some_and(looks_like_date))
                    && c.time.is_none_or(|_| time.is_some_and(looks_like_time))
            }
        };
        if !ok {
            return false;
        }
        self.stats.rows += 1;
        self.stats.stamp(date.unwrap_or(""), time.unwrap_or(""));
        let status = get(c.status).and_then(parse_status);
        if self.httperr {
            self.httperr_row(line, status, out);
            return true;
        }
        let path = get(c.stem);
        let gua = path.is_some_and(request::is_ews_path)
            && get(c.query).is_some_and(|q| contains_ci(q, "GetUserAvailability"));
        let Some(flow) = classify(get(c.user_agent), gua) else {
            return true;
        };
        let millis = get(c.taken).and_then(parse_millis);
        let verdict = Verdict::new(flow, status, millis, opts);
        self.stats.record(flow, status, verdict.slow);
        if verdict.any() {
            let req = self.request(line, status, millis);
            emit(flow, verdict, &req, opts, out);
        }
        true
    }

    fn request(&self, line: Line<'a>, status: Option<u16>, millis: Option<f64>) -> Request {
        let c = &self.cols;
        let get = |i: Option<usize>| self.fields.get(i?).copied().filter(|v| *v != "-");
        let owned = |i: Option<usize>| get(i).map(str::to_string);
        Request {
            range: line.range(),
            status,
            millis,
            user_agent: get(c.user_agent).map(|ua| ua.replace('+', " ")),
            host: owned(c.host),
            path: owned(c.stem),
            server: owned(c.computer),
            ip: owned(c.client_ip),
            address: get(c.user).filter(|u| u.contains('@')).map(str::to_string),
            details: Vec::new(),
        }
    }

    /// HTTP.sys answered a request for EWS or Autodiscover itself (503 AppOffline, QueueFull...):
    /// IIS and Exchange never saw it (FB204).
    fn httperr_row(&mut self, line: Line<'a>, status: Option<u16>, out: &mut Vec<Finding>) {
        let c = &self.cols;
        let get = |i: Option<usize>| self.fields.get(i?).copied().filter(|v| *v != "-");
        let Some(status) = status.filter(|&s| s >= 500) else {
            return;
        };
        let uri = get(c.uri).or(get(c.stem)).unwrap_or("");
        let ews = request::is_ews_path(uri);
        if !ews && !request::is_autodiscover_path(uri) {
            return;
        }
        *self.stats.httpapi.entry(status).or_default() += 1;
        let reason = get(c.reason).unwrap_or("no reason given");
        let pool = get(c.queue).map_or(String::new(), |q| format!(" (queue {q})"));
        let req = Request {
            range: line.range(),
            status: Some(status),
            path: Some(uri.to_string()),
            ip: get(c.client_ip).map(str::to_string),
            ..Request::default()
        };
        let flow = if ews { Flow::Ews } else { Flow::Autodiscover };
        let mut f = Finding::new(Code::FB204, req.range.clone());
        f.note = Some(format!(
            "HTTP.sys (Microsoft-HTTPAPI/2.0) answered {uri} with {status} {reason}{pool} before \
             IIS: the request never reached Exchange. AppOffline or Disabled: the application pool \
             (MSExchangeServicesAppPool, MSExchangeAutodiscoverAppPool) is stopped; QueueFull: it \
             cannot keep up. Read FB031."
        ));
        f.captures = req.captures(flow);
        out.push(f);
    }

    /// The counts so far (`logs::rows` reads a log in parts).
    pub fn stats(&mut self) -> &mut Stats<'a> {
        &mut self.stats
    }

    pub fn finish(self, opts: &Options, out: &mut Vec<Finding>) {
        let kind = if self.httperr {
            "HTTPERR log (W3C)"
        } else {
            "IIS log (W3C)"
        };
        out.push(
            self.stats
                .finding(kind, self.header, opts.slow_request_seconds),
        );
    }
}
