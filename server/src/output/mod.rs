//! Pasted `Get-*` / `Test-*` output (Format-List and Format-Table): wrong values the article
//! warns about. Findings FB301..FB306. Which object a record shows is read from its properties
//! (property names are never localized), so the command line above it is optional.
mod checks;
mod records;

use crate::finding::Finding;
use records::Record;

/// Findings about cmdlet output in `text` (empty when it holds none this module knows).
pub fn analyse(text: &str) -> Vec<Finding> {
    let records = records::parse(text);
    if records.is_empty() {
        return Vec::new();
    }
    let domains = failing_domains(text);
    let mut out = Vec::new();
    for r in &records {
        check(text, r, &domains, &mut out);
    }
    out
}

fn check(text: &str, r: &Record, domains: &[String], out: &mut Vec<Finding>) {
    if r.has("ApplicationIdentifier") || r.has("ApplicationUri") {
        checks::federation_trust(r, out);
    }
    if r.has("IssuerIdentifier") || r.has("AuthMetadataUrl") {
        checks::auth_server(r, out);
    }
    if r.has("AccessRights") && r.has("User") {
        checks::folder_permission(r, out);
    }
    let relationship = ["TargetSharingEpr", "FreeBusyAccessEnabled", "DomainNames", "DiscoveryEndpoint", "TargetAddressDomains", "TargetAutodiscoverEpr"];
    if relationship.iter().any(|n| r.has(n)) {
        checks::relationship(r, domains, out);
    }
    if r.has("CurrentCertificateThumbprint") || (r.has("ServiceName") && r.has("Realm")) {
        checks::auth_config(r, out);
    }
    checks::test_result(text, r, out);
}

/// Domains of the addresses in the errors this document shows (what a domain list must hold).
fn failing_domains(text: &str) -> Vec<String> {
    let mut out: Vec<String> = crate::scan::scan(text)
        .into_iter()
        .filter_map(|f| f.captures.get("domain").map(|d| d.to_ascii_lowercase()))
        .filter(|d| !d.ends_with(".onmicrosoft.com"))
        .collect();
    out.sort();
    out.dedup();
    out
}
