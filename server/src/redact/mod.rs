//! Redaction: the identities in a text (addresses, domains and hosts, IP addresses, GUIDs,
//! thumbprints, directory names, accounts, servers, SIDs) replaced by pseudonyms under reserved
//! names and documentation ranges. Pure: text in, text and the map of what was replaced out.
//! The same input always gives the same pseudonym, so a redacted log still reads as a story;
//! what carries meaning and identifies no one (Microsoft's service hosts, well-known application
//! ids, error codes, cmdlets) stays, from `knowledge/tables/redact.toml`.
mod keep;
mod names;
mod shape;

pub use keep::keep;
use names::Names;
use regex::{Captures, Regex};
use std::sync::LazyLock;

/// What kind of identity a pseudonym replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The mailbox part of an address or the user of `DOMAIN\user`.
    User,
    /// A registrable domain (`contoso.com`).
    Domain,
    /// A tenant's label in front of `onmicrosoft.com` and the like.
    Tenant,
    /// A host or server name (one label).
    Server,
    /// The NetBIOS domain of `DOMAIN\user`.
    Account,
    Ipv4,
    Ipv6,
    Guid,
    Thumbprint,
    Sid,
    /// The value of a `CN=` or `OU=` that is not a host.
    Subject,
}

/// One replacement: every occurrence of `original` (any case) became `pseudonym`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Replacement {
    pub kind: Kind,
    pub original: String,
    pub pseudonym: String,
}

/// The redacted text and what was replaced, in order of first appearance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redacted {
    pub text: String,
    pub map: Vec<Replacement>,
}

/// `text` with its identities replaced by consistent pseudonyms.
pub fn redact(text: &str) -> Redacted {
    let mut names = Names::new(text);
    let out = process(text, &mut names);
    Redacted {
        text: out,
        map: names.into_map(),
    }
}

/// One alternation, the most specific kinds first; each match is judged in `replace`.
static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<email>[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63})+)",
        r"|(?P<sid>\bS-1-5-21-\d{1,10}-\d{1,10}-\d{1,10})",
        r"|(?P<guid>\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b)",
        r"|(?P<thumb>\b[0-9A-Fa-f]{40}\b)",
        r"|(?P<ipv4>\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b)",
        r"|(?P<ipv6>[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})",
        r"|(?P<dn>(?i:\b(?:CN|OU)=))",
        r"|(?P<dc>(?i:\bDC=[A-Za-z0-9\-]{1,63}(?:\s{0,2},\s{0,2}DC=[A-Za-z0-9\-]{1,63}){0,8}))",
        r"|(?P<account>\b[A-Za-z][A-Za-z0-9\-]{0,14}\\[A-Za-z0-9._$\-]{1,64})",
        r"|(?P<host>\b[A-Za-z0-9][A-Za-z0-9\-]{0,62}(?:\.[A-Za-z0-9\-]{1,63})+\.?)",
        r"|(?P<ctx>(?i:(?:\b(?:server|servername|computer|computername|machinename|originatingserver)\s{0,2}[:=]|-(?:server|computername|domaincontroller|targetserver))\s{0,4})(?P<srv>[A-Za-z][A-Za-z0-9\-]{1,14}))",
        r"|(?P<netbios>\b[A-Z]{2}[A-Z0-9\-]{0,11}[0-9]{2}\b)",
    ))
    .expect("redaction pattern")
});

/// What to do with a match: write this text, or leave the first character and look again.
enum Verdict {
    Write(String),
    Skip,
    /// Leave the whole match as it is (a dotted name that is no host: no identity inside).
    KeepAll,
    /// Write this text in place of everything up to this offset (past the match).
    Until(String, usize),
}

fn process(text: &str, names: &mut Names) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some(m) = TOKEN.find_at(text, pos) {
        let Some(c) = TOKEN.captures_at(&text[..m.end()], m.start()) else {
            break;
        };
        out.push_str(&text[pos..m.start()]);
        let end = match replace(text, &c, names) {
            Verdict::Write(s) => {
                out.push_str(&s);
                m.end()
            }
            Verdict::KeepAll => {
                out.push_str(m.as_str());
                m.end()
            }
            Verdict::Until(s, end) => {
                out.push_str(&s);
                end
            }
            Verdict::Skip => {
                let step = m.as_str().chars().next().map_or(1, char::len_utf8);
                out.push_str(&text[m.start()..m.start() + step]);
                m.start() + step
            }
        };
        // Every alternative matches at least one character: the loop always moves on.
        pos = end;
    }
    out.push_str(&text[pos..]);
    out
}

fn before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

fn after(text: &str, at: usize) -> Option<char> {
    text[at..].chars().next()
}

fn replace(text: &str, c: &Captures, names: &mut Names) -> Verdict {
    let m = c.get(0).map_or(0..0, |m| m.range());
    let (prev, next) = (before(text, m.start), after(text, m.end));
    if let Some(e) = c.name("email") {
        return email(e.as_str(), names);
    }
    if let Some(s) = c.name("sid") {
        return Verdict::Write(names.sid(s.as_str()));
    }
    if let Some(g) = c.name("guid") {
        return Verdict::Write(names.guid(g.as_str()));
    }
    if let Some(t) = c.name("thumb") {
        return Verdict::Write(names.thumbprint(t.as_str()));
    }
    if let Some(ip) = c.name("ipv4") {
        let dotted = |ch: Option<char>| ch == Some('.');
        let digit_after = text[m.end..]
            .chars()
            .nth(1)
            .is_some_and(|d| d.is_ascii_digit());
        if dotted(prev) || (dotted(next) && digit_after) {
            return Verdict::Skip;
        }
        return names
            .ipv4(ip.as_str())
            .map_or(Verdict::Skip, Verdict::Write);
    }
    if let Some(ip) = c.name("ipv6") {
        let joined = |ch: Option<char>| {
            ch.is_some_and(|ch| ch.is_ascii_alphanumeric() || ch == ':' || ch == '.')
        };
        if ip.as_str().len() < 3 || joined(prev) || joined(next) {
            return Verdict::Skip;
        }
        return names
            .ipv6(ip.as_str())
            .map_or(Verdict::Skip, Verdict::Write);
    }
    if let Some(dn) = c.name("dn") {
        return directory_value(text, dn.as_str(), dn.end(), names);
    }
    if let Some(dc) = c.name("dc") {
        return Verdict::Write(names.dc(dc.as_str()));
    }
    if let Some(a) = c.name("account") {
        return account(a.as_str(), prev, next, names);
    }
    if let Some(h) = c.name("host") {
        if prev == Some('$') || next == Some('(') || !shape::is_host(h.as_str()) {
            return Verdict::KeepAll;
        }
        return Verdict::Write(names.host(h.as_str()));
    }
    if let (Some(whole), Some(s)) = (c.name("ctx"), c.name("srv")) {
        let word_goes_on =
            next.is_some_and(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_');
        if word_goes_on
            || matches!(next, Some('.' | '/' | '\\' | '@'))
            || !names.could_be_server(s.as_str())
        {
            return Verdict::Skip;
        }
        let lead = &whole.as_str()[..s.start() - whole.start()];
        return Verdict::Write(format!("{lead}{}", names.label(s.as_str())));
    }
    if let Some(n) = c.name("netbios") {
        if matches!(next, Some('.' | '\\' | '@')) || !names.could_be_server(n.as_str()) {
            return Verdict::Skip;
        }
        return Verdict::Write(names.label(n.as_str()));
    }
    Verdict::Skip
}

fn email(address: &str, names: &mut Names) -> Verdict {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Verdict::Skip;
    };
    if !shape::is_host(domain) {
        return Verdict::KeepAll;
    }
    let local = match keep().system_mailbox(local) {
        Some(n) => format!("{}{}", &local[..n], process(&local[n..], names)),
        None => names.user(local),
    };
    Verdict::Write(format!("{local}@{}", names.host(domain)))
}

/// `CN=`/`OU=` and its value up to the next separator: a directory name stays, a host is a host,
/// anything else with an identity in it is redacted inside, else replaced whole.
fn directory_value(text: &str, lead: &str, start: usize, names: &mut Names) -> Verdict {
    let rest = &text[start..];
    let len = rest
        .char_indices()
        .take(256)
        .find(|(_, ch)| {
            matches!(
                ch,
                ',' | ';' | '"' | '\'' | '<' | '>' | '\r' | '\n' | '+' | '/' | ')' | ']'
            )
        })
        .map_or_else(
            || {
                rest.char_indices()
                    .take(256)
                    .last()
                    .map_or(0, |(i, ch)| i + ch.len_utf8())
            },
            |(i, _)| i,
        );
    let value = rest[..len].trim_end();
    if value.is_empty() || keep().directory_name(value) {
        return Verdict::Skip;
    }
    let (wild, bare) = match value.strip_prefix("*.") {
        Some(b) => ("*.", b),
        None => ("", value),
    };
    let inner = process(bare, names);
    let new = if inner != bare {
        inner
    } else if shape::is_host(bare) || shape::is_single_label(bare) {
        names.label_or_host(bare)
    } else {
        names.subject(bare)
    };
    Verdict::Until(format!("{lead}{wild}{new}"), start + value.len())
}

fn account(whole: &str, prev: Option<char>, next: Option<char>, names: &mut Names) -> Verdict {
    let Some((domain, user)) = whole.split_once('\\') else {
        return Verdict::Skip;
    };
    let path_like = matches!(prev, Some('\\' | ':' | '/' | '.' | '%' | '$' | '~'))
        || matches!(next, Some('\\' | '/' | ':'))
        || shape::has_file_extension(user);
    if path_like {
        return Verdict::Skip;
    }
    if keep().windows_domain(domain) {
        return Verdict::KeepAll;
    }
    Verdict::Write(format!("{}\\{}", names.account(domain), names.user(user)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_answered_not_crashed() {
        let long_dots = "a.".repeat(50_000) + "com";
        let colons = ":".repeat(10_000) + "1:2:3:4:5:6:7:8:9";
        let ends = [
            "CN=",
            "x@",
            "DOMAIN\\",
            "S-1-5-21-1-2",
            "Server: ",
            "é@ö.com",
            "😀CN=ü,",
        ];
        for text in [long_dots.as_str(), colons.as_str(), "1.1.1.1.1.1.1.1.1.1"]
            .into_iter()
            .chain(ends)
        {
            let r = redact(text);
            assert!(r.text.len() >= text.len() / 2, "{text:.40}");
        }
        // Nothing to redact: the text comes back as it was.
        let plain = "Proxy web request failed. HTTP 503 Get-Mailbox -Identity $x";
        assert_eq!(redact(plain).text, plain);
    }
}
