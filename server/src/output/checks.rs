//! What is wrong in a record, by the kind of object it shows. Each check reports on the field at
//! fault, with a note saying what the value should be.
use super::records::{Field, Record};
use crate::finding::Finding;
use crate::knowledge::Severity;
use crate::scan;

const EXO_SERVICE_NAME: &str = "00000002-0000-0ff1-ce00-000000000000";
const MICROSOFT_ISSUER: &str = "00000001-0000-0000-c000-000000000000";

fn finding(code: &str, field: &Field, note: String) -> Finding {
    let mut f = Finding::new(code, field.range.clone());
    f.note = Some(note);
    f
}

fn empty(v: &str) -> bool {
    matches!(v.trim(), "" | "{}" | "$null")
}

/// FB301: a federation trust still on the old application (`292841` / `outlook.live.com`).
pub fn federation_trust(r: &Record, out: &mut Vec<Finding>) {
    if let Some(f) = r.get("ApplicationIdentifier").filter(|f| f.value == "292841") {
        out.push(finding("FB301", f, "ApplicationIdentifier is 292841; an up-to-date trust has 260563".into()));
    }
    if let Some(f) = r.get("ApplicationUri").filter(|f| f.value.eq_ignore_ascii_case("outlook.live.com")) {
        out.push(finding("FB301", f, "ApplicationUri is outlook.live.com; an up-to-date trust has outlook.com".into()));
    }
}

/// FB302: the Microsoft authorization server (ACS / evoSTS) disabled, with the wrong issuer, or
/// without metadata.
pub fn auth_server(r: &Record, out: &mut Vec<Finding>) {
    let text = |n: &str| r.get(n).map_or(String::new(), |f| f.value.to_ascii_lowercase());
    let microsoft = ["accesscontrol.windows.net", "login.windows.net", "login.microsoftonline.com"]
        .iter()
        .any(|h| text("TokenIssuingEndpoint").contains(h) || text("AuthMetadataUrl").contains(h))
        || ["windowsazureacs", "evosts"].iter().any(|n| text("Name").starts_with(n));
    if !microsoft {
        return;
    }
    if let Some(f) = r.get("Enabled").filter(|f| f.value.eq_ignore_ascii_case("false")) {
        out.push(finding("FB302", f, "the Microsoft authorization server is disabled".into()));
    }
    if let Some(f) = r.get("IssuerIdentifier").filter(|f| !f.value.eq_ignore_ascii_case(MICROSOFT_ISSUER)) {
        out.push(finding("FB302", f, format!("IssuerIdentifier should be {MICROSOFT_ISSUER}")));
    }
    if let Some(f) = r.get("AuthMetadataUrl").filter(|f| empty(&f.value)) {
        out.push(finding("FB302", f, "AuthMetadataUrl is empty: the server cannot refresh its signing keys".into()));
    }
}

/// FB303: `Default` with `{None}` on a calendar.
pub fn folder_permission(r: &Record, out: &mut Vec<Finding>) {
    let user = r.get("User").map_or("", |f| f.value.as_str());
    let Some(rights) = r.get("AccessRights") else { return };
    let default = user.eq_ignore_ascii_case("Default") || user.eq_ignore_ascii_case("Standard");
    if default && rights.value.trim_matches(['{', '}']).trim().eq_ignore_ascii_case("None") {
        out.push(finding("FB303", rights, "Default has no access: others get no free/busy (FB009)".into()));
    }
}

/// FB304: an organization relationship or intra-organization connector that cannot serve
/// free/busy: disabled, no access, endpoints empty or of the wrong shape, or a domain missing.
pub fn relationship(r: &Record, domains: &[String], out: &mut Vec<Finding>) {
    for (name, bad) in [("Enabled", "false"), ("FreeBusyAccessEnabled", "false"), ("FreeBusyAccessLevel", "none")] {
        if let Some(f) = r.get(name).filter(|f| f.value.eq_ignore_ascii_case(bad)) {
            out.push(finding("FB304", f, format!("{name} is {}: free/busy is not shared", f.value)));
        }
    }
    let endpoints = [
        ("TargetSharingEpr", "/ews/exchange.asmx"),
        ("TargetAutodiscoverEpr", "/autodiscover/autodiscover.svc"),
        ("DiscoveryEndpoint", "/autodiscover/autodiscover.svc"),
    ];
    for (name, path) in endpoints {
        let Some(f) = r.get(name) else { continue };
        let v = f.value.to_ascii_lowercase();
        let v = v.trim_end_matches('/').trim_end_matches("/wssecurity");
        let note = if empty(&f.value) {
            Some(format!("{name} is empty"))
        } else if !v.starts_with("https://") || !v.ends_with(path) {
            Some(format!("{name} should be an https URL ending in {path}"))
        } else {
            None
        };
        if let Some(note) = note {
            out.push(finding("FB304", f, note));
        }
    }
    let list = r.get("DomainNames").or_else(|| r.get("TargetAddressDomains"));
    if let Some(f) = list {
        let have = f.value.to_ascii_lowercase();
        if let Some(d) = domains.iter().find(|d| !have.contains(d.as_str())) {
            out.push(finding("FB304", f, format!("{} does not list {d}, a domain this document shows failing", f.name)));
        }
    }
}

/// FB305: AuthConfig without a current certificate, or pointing at another service.
pub fn auth_config(r: &Record, out: &mut Vec<Finding>) {
    if let Some(f) = r.get("CurrentCertificateThumbprint").filter(|f| empty(&f.value)) {
        out.push(finding("FB305", f, "no current OAuth certificate (FB012)".into()));
    }
    if let Some(f) = r.get("ServiceName").filter(|f| !empty(&f.value) && !f.value.eq_ignore_ascii_case(EXO_SERVICE_NAME)) {
        out.push(finding("FB305", f, format!("ServiceName should be {EXO_SERVICE_NAME}")));
    }
}

/// FB306: a failed `Test-*` result; the error text beside it says which entry it proves.
pub fn test_result(text: &str, r: &Record, out: &mut Vec<Finding>) {
    let status = ["ResultType", "Status", "Result", "Type"]
        .iter()
        .filter_map(|n| r.get(n))
        .find(|f| matches!(f.value.to_ascii_lowercase().as_str(), "error" | "failure" | "failed"));
    let Some(status) = status else { return };
    let body = &text[r.range.clone()];
    let proven: Vec<String> = scan::scan(body).into_iter().map(|f| f.code).collect();
    let mut f = finding("FB306", status, String::new());
    let test = r.command.as_deref().and_then(|c| c.split_whitespace().next()).unwrap_or("the test");
    f.note = Some(match proven.first() {
        Some(code) => format!("{test} failed with {code}: see that card"),
        None => format!("{test} failed with a text that is not in the catalog: read the Detail or Message beside it"),
    });
    if proven.is_empty() {
        f.severity = Some(Severity::Warning);
    }
    out.push(f);
}
