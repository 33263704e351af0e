//! Counts kept while a log is read, and the FB200 summary written when it ends.
use super::request::Flow;
use crate::code::Code;
use crate::finding::Finding;
use crate::knowledge::Severity;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::ops::Range;

#[derive(Debug, Default)]
pub(crate) struct Stats<'a> {
    /// Rows read (for a capture: requests).
    pub rows: usize,
    /// Timestamps of the first and last rows (`date`, `time`; CSV logs leave `time` empty).
    pub first: Option<(&'a str, &'a str)>,
    pub last: Option<(&'a str, &'a str)>,
    pub autodiscover: usize,
    pub ews: usize,
    pub availability: usize,
    /// Free/busy requests that failed, by status.
    pub failed: BTreeMap<u16, usize>,
    pub slow: usize,
    /// Requests to EWS or Autodiscover answered by HTTP.sys (Microsoft-HTTPAPI/2.0), by status.
    pub httpapi: BTreeMap<u16, usize>,
    /// `ResponseCode` values of availability answers in SOAP bodies.
    pub answers: BTreeMap<String, usize>,
    /// The log has no user agent column: cross-forest requests cannot be told apart.
    pub no_user_agent: bool,
    /// A capture: `rows` are requests, and a capture need not hold Exchange Online's requests.
    pub capture: bool,
}

impl<'a> Stats<'a> {
    pub fn stamp(&mut self, date: &'a str, time: &'a str) {
        if self.first.is_none() {
            self.first = Some((date, time));
        }
        self.last = Some((date, time));
    }

    /// Adds the counts of rows read after these (a log read in parts).
    pub fn merge(&mut self, later: &Stats<'a>) {
        self.rows += later.rows;
        self.first = self.first.or(later.first);
        self.last = later.last.or(self.last);
        self.autodiscover += later.autodiscover;
        self.ews += later.ews;
        self.availability += later.availability;
        self.slow += later.slow;
        for (k, n) in &later.failed {
            *self.failed.entry(*k).or_default() += n;
        }
        for (k, n) in &later.httpapi {
            *self.httpapi.entry(*k).or_default() += n;
        }
        for (k, n) in &later.answers {
            *self.answers.entry(k.clone()).or_default() += n;
        }
        self.no_user_agent |= later.no_user_agent;
        self.capture |= later.capture;
    }

    /// The counts without the borrowed timestamps, and those timestamps owned (to keep the
    /// counts of a part of a log after its text is gone).
    pub fn detach(self) -> (Stats<'static>, [Option<(String, String)>; 2]) {
        let own = |s: Option<(&str, &str)>| s.map(|(d, t)| (d.to_string(), t.to_string()));
        let stamps = [own(self.first), own(self.last)];
        let counts = Stats {
            rows: self.rows,
            first: None,
            last: None,
            autodiscover: self.autodiscover,
            ews: self.ews,
            availability: self.availability,
            failed: self.failed,
            slow: self.slow,
            httpapi: self.httpapi,
            answers: self.answers,
            no_user_agent: self.no_user_agent,
            capture: self.capture,
        };
        (counts, stamps)
    }

    /// Counts a free/busy request.
    pub fn record(&mut self, flow: Flow, status: Option<u16>, slow: bool) {
        match flow {
            Flow::Autodiscover => self.autodiscover += 1,
            Flow::Ews => self.ews += 1,
            Flow::Availability => self.availability += 1,
        }
        if let Some(s) = status.filter(|&s| s >= 400) {
            *self.failed.entry(s).or_default() += 1;
        }
        if slow {
            self.slow += 1;
        }
    }

    /// The FB200 finding on `header`, `kind` naming the log (`IIS log`, `HttpProxy log`, ...).
    pub fn finding(&self, kind: &str, header: Range<usize>, slow_seconds: f64) -> Finding {
        let mut f = Finding::new(Code::FB200, header);
        f.severity = Some(Severity::Information);
        f.note = Some(self.note(kind, slow_seconds));
        f
    }

    pub fn note(&self, kind: &str, slow_seconds: f64) -> String {
        let (one, many) = if self.capture {
            ("request", "requests")
        } else {
            ("row", "rows")
        };
        let mut s = if self.capture && self.rows == 0 {
            // Only responses were captured: counting "0 requests" reads as nothing found.
            format!("{kind}: responses only, no request captured")
        } else {
            format!("{kind}: {} {}", self.rows, plural(self.rows, one, many))
        };
        if let (Some(first), Some(last)) = (self.first, self.last) {
            let _ = write!(s, ", {} to {} (UTC)", stamp(first), stamp(last));
        }
        let total = self.autodiscover + self.ews + self.availability;
        if total == 0 {
            if self.no_user_agent {
                s.push_str("; no user agent column, so cross-forest free/busy requests cannot be told apart");
            } else if self.capture && self.rows > 0 {
                s.push_str(", none of them a free/busy request");
            } else if self.capture {
            } else {
                s.push_str(
                    "; no free/busy request (no ASAutoDiscover/CrossForest/EmailDomain or \
                     ASProxy/CrossForest/EmailDomain user agent, no GetUserAvailability): if Exchange \
                     Online's lookups should be here, they did not reach this server in this period",
                );
            }
        } else {
            let mut parts = Vec::new();
            if self.autodiscover > 0 {
                parts.push(format!("{} cross-forest Autodiscover", self.autodiscover));
            }
            if self.ews > 0 {
                parts.push(format!("{} cross-forest EWS", self.ews));
            }
            if self.availability > 0 {
                parts.push(format!("{} other GetUserAvailability", self.availability));
            }
            let failed: usize = self.failed.values().sum();
            let _ = write!(
                s,
                "; {total} free/busy {} ({}), {failed} failed{}, {} slower than {slow_seconds} s",
                plural(total, "request", "requests"),
                parts.join(", "),
                by_status(&self.failed),
                self.slow,
            );
        }
        let httpapi: usize = self.httpapi.values().sum();
        if httpapi > 0 {
            let _ = write!(
                s,
                "; {httpapi} EWS/Autodiscover {} answered by HTTP.sys (Microsoft-HTTPAPI/2.0), not IIS{}",
                plural(httpapi, "request", "requests"),
                by_status(&self.httpapi)
            );
        }
        if !self.answers.is_empty() {
            let total: usize = self.answers.values().sum();
            let list: Vec<String> = self
                .answers
                .iter()
                .map(|(code, n)| format!("{code} ×{n}"))
                .collect();
            let _ = write!(
                s,
                "; {total} availability {} ({})",
                plural(total, "answer", "answers"),
                list.join(", ")
            );
        }
        s.push('.');
        s
    }
}

fn stamp((date, time): (&str, &str)) -> String {
    if time.is_empty() {
        date.to_string()
    } else {
        format!("{date} {time}")
    }
}

fn by_status(counts: &BTreeMap<u16, usize>) -> String {
    if counts.is_empty() {
        return String::new();
    }
    let list: Vec<String> = counts.iter().map(|(s, n)| format!("{s} ×{n}")).collect();
    format!(" ({})", list.join(", "))
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}
