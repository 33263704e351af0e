//! Redaction of every fixture: every finding is still found (same codes, as many), and no
//! address, domain, IP address, GUID or thumbprint of the input survives unless the keep list
//! holds it. The identities are found here with patterns of this test's own, not the redactor's.
mod support;

use freebusy_lsp::analysis::analyse_file;
use freebusy_lsp::redact::{keep, redact};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use support::fixture::{self, parse};

fn codes(path: &str, text: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for f in analyse_file(path, text) {
        *out.entry(f.code.as_str().to_string()).or_insert(0) += 1;
    }
    out
}

/// What the input holds that identifies someone, by this test's patterns.
fn identities(text: &str) -> BTreeSet<String> {
    let tlds = "com|net|org|local|lan|corp|se|io|uk|de|nl|fr|info|biz|eu";
    let patterns = [
        r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+".to_string(),
        format!(r"\b[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:{tlds})\b"),
        format!(r"\b[A-Z0-9][A-Z0-9\-]*(?:\.[A-Z0-9\-]+)*\.(?:{})\b", tlds.to_uppercase()),
        r"\b\d{1,3}(?:\.\d{1,3}){3}\b".to_string(),
        r"\b[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}\b".to_string(),
        r"\b[0-9A-Fa-f]{40}\b".to_string(),
        r"\b[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){7}\b|\b[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5}::[0-9A-Fa-f:]*".to_string(),
    ];
    let mut out = BTreeSet::new();
    for p in patterns {
        let re = Regex::new(&p).unwrap();
        // A dotted quad inside a longer dotted name (`MSAL.NetCore.4.61.3.0.MsalServiceException`)
        // is a version, not an address.
        out.extend(
            re.find_iter(text)
                .filter(|m| !text[..m.start()].ends_with('.'))
                .map(|m| m.as_str().to_string()),
        );
    }
    out.into_iter().filter(|v| !kept(v)).collect()
}

/// Kept on purpose: Microsoft's hosts, well-known ids, addresses that name no one.
fn kept(v: &str) -> bool {
    if let Ok(ip) = v.parse::<IpAddr>() {
        return match ip {
            IpAddr::V4(a) => {
                let o = a.octets();
                a.is_loopback()
                    || a.is_unspecified()
                    || o[0] == 255
                    || [[192, 0, 2], [198, 51, 100], [203, 0, 113]].contains(&[o[0], o[1], o[2]])
            }
            IpAddr::V6(a) => {
                a.is_loopback() || a.is_unspecified() || a.segments()[..2] == [0x2001, 0xdb8]
            }
        };
    }
    if v.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return true; // an octet over 255: a version number (8.0.535.0), not an address
    }
    if v.contains(':') {
        return true; // not an IPv6 address after all (a time, a MAC address)
    }
    let k = keep();
    let tenant_suffix = k
        .tenant_suffix(&format!("x.{v}"))
        .is_some_and(|s| s.eq_ignore_ascii_case(v));
    k.app_id(v) || (!v.contains('@') && (k.service_host(v) || tenant_suffix))
}

/// `value` appears in `text` as a whole token (not inside a longer name).
fn survives(text: &str, value: &str) -> bool {
    let re = Regex::new(&format!(
        r"(?i)(?:^|[^A-Za-z0-9\-_]){}(?:$|[^A-Za-z0-9\-_])",
        regex::escape(value)
    ))
    .unwrap();
    re.is_match(text)
}

#[test]
fn every_fixture_keeps_its_findings_and_leaks_nothing() {
    let mut files: Vec<_> = ["scan", "script", "logs", "output", "fixes"]
        .iter()
        .flat_map(|d| fixture::files(&fixture::root().join(d)))
        .collect();
    files.sort();
    assert!(files.len() > 50, "fixtures not found");
    let (mut failures, mut replaced) = (Vec::new(), 0);
    for path in &files {
        let name = path.to_string_lossy().to_string();
        let text = parse(&std::fs::read_to_string(path).unwrap()).text;
        let redacted = redact(&text);
        replaced += redacted.map.len();
        let (before, after) = (codes(&name, &text), codes(&name, &redacted.text));
        if before != after {
            failures.push(format!("{name}: findings {before:?} became {after:?}"));
        }
        for v in identities(&text) {
            if survives(&redacted.text, &v) {
                failures.push(format!("{name}: {v} survived"));
            }
        }
        // The same input gives the same output.
        assert_eq!(redact(&text), redacted, "{name}");
    }
    assert!(replaced > 100, "only {replaced} identities replaced");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn pseudonyms_are_consistent_and_meaning_is_kept() {
    let text = "From jon.doe@contoso.com via mail.contoso.com (10.1.2.3) to JON.DOE@CONTOSO.COM; \
                tenant contoso.onmicrosoft.com 3f1c2b4a-1111-2222-3333-444455556666 app \
                00000002-0000-0ff1-ce00-000000000000 at https://outlook.office365.com/EWS/Exchange.asmx \
                and 10.1.2.3 again, CONTOSO\\jdoe on EXCH01, cert 0123456789ABCDEF0123456789ABCDEF01234567, \
                CN=mail.contoso.com, SID S-1-5-21-1111111111-2222222222-3333333333-1104, fe80::1c2b:3a4d:5e6f:7081 \
                path C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging error AADSTS50013 \
                HTTP 401 Get-OrganizationRelationship System.Net.WebException";
    let r = redact(text).text;
    for gone in [
        "contoso",
        "CONTOSO",
        "10.1.2.3",
        "3f1c2b4a",
        "EXCH01",
        "jdoe",
        "0123456789ABCDEF",
        "1111111111",
        "fe80::",
    ] {
        assert!(!r.contains(gone), "{gone} in {r}");
    }
    for stays in [
        "00000002-0000-0ff1-ce00-000000000000",
        "https://outlook.office365.com/EWS/Exchange.asmx",
        ".onmicrosoft.com",
        "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging",
        "AADSTS50013",
        "HTTP 401",
        "Get-OrganizationRelationship",
        "System.Net.WebException",
        "mail.example.com",
        "-1104",
    ] {
        assert!(r.contains(stays), "{stays} lost in {r}");
    }
    // One address in two cases, one IP twice: one pseudonym each.
    assert_eq!(
        r.to_lowercase().matches("user1@example.com").count(),
        2,
        "{r}"
    );
    assert_eq!(r.matches("192.0.2.1").count(), 2, "{r}");
    assert!(r.contains("2001:db8::"), "{r}");
}
