//! Pasted `Get-*` / `Test-*` output (Format-List and Format-Table): wrong values the article
//! warns about. Findings FB301..FB306, and FB034/FB035 for the dedicated hybrid application. Which object a record shows is read from its properties
//! (property names are never localized), so the command line above it is optional.
mod checks;
mod records;

use crate::finding::Finding;
pub use records::{prompt, Record};

/// Findings about cmdlet output in `text` (empty when it holds none this module knows); `errors`
/// are the scanner's findings in the same text (their domains are what a domain list must hold).
pub fn analyse(text: &str, errors: &[Finding]) -> Vec<Finding> {
    check(&records(text), errors)
}

/// The Format-List and Format-Table records of `text` (the part of `analyse` that does not
/// need the errors, so that it can run beside the scanner).
pub fn records(text: &str) -> Vec<Record> {
    records_until(text, &|| false).unwrap_or_default()
}

/// `records`, giving up (`None`) once `stop()` says the result is no longer wanted (asked every
/// few hundred paragraphs).
pub fn records_until(text: &str, stop: &dyn Fn() -> bool) -> Option<Vec<Record>> {
    records::parse_kept(text, named, checked, stop)
}

/// Whether a field of this name can make `checked` keep its record.
fn named(name: &str) -> bool {
    NAMES
        .iter()
        .chain(checks::STATUS)
        .any(|n| n.eq_ignore_ascii_case(name))
}

/// Whether `check_one` looks at a record at all (a superset of its conditions): the others
/// need not be kept while the scanner runs.
fn checked(r: &Record) -> bool {
    NAMES.iter().any(|n| r.has(n)) || checks::failed_status(r).is_some()
}

/// The fields one of which `check_one` needs, beside a failed status (`checks::STATUS`).
const NAMES: &[&str] = &[
    "ApplicationIdentifier",
    "ApplicationUri",
    "IssuerIdentifier",
    "AuthMetadataUrl",
    "SectionName",
    "AccessRights",
    "TargetSharingEpr",
    "FreeBusyAccessEnabled",
    "DomainNames",
    "DiscoveryEndpoint",
    "TargetAddressDomains",
    "TargetAutodiscoverEpr",
    "CurrentCertificateThumbprint",
    "ServiceName",
];

/// `analyse`'s findings from `records(text)`.
pub fn check(records: &[Record], errors: &[Finding]) -> Vec<Finding> {
    if records.is_empty() {
        return Vec::new();
    }
    let domains = failing_domains(errors);
    let mut out = Vec::new();
    for r in records {
        check_one(r, errors, &domains, &mut out);
    }
    out
}

fn check_one(r: &Record, errors: &[Finding], domains: &[String], out: &mut Vec<Finding>) {
    if r.has("ApplicationIdentifier") || r.has("ApplicationUri") {
        checks::federation_trust(r, out);
    }
    if r.has("IssuerIdentifier") || r.has("AuthMetadataUrl") {
        checks::auth_server(r, out);
    }
    if r.has("ApplicationIdentifier") && r.has("Name") {
        checks::hybrid_app_auth_server(r, out);
    }
    if r.has("SectionName") && r.has("Parameters") {
        checks::hybrid_app_override(r, out);
    }
    if r.has("AccessRights") && r.has("User") {
        checks::folder_permission(r, out);
    }
    let relationship = [
        "TargetSharingEpr",
        "FreeBusyAccessEnabled",
        "DomainNames",
        "DiscoveryEndpoint",
        "TargetAddressDomains",
        "TargetAutodiscoverEpr",
    ];
    if relationship.iter().any(|n| r.has(n)) {
        checks::relationship(r, domains, out);
    }
    let auth_config = r
        .command
        .as_deref()
        .is_some_and(|c| c.to_ascii_lowercase().contains("get-authconfig"));
    if r.has("CurrentCertificateThumbprint")
        || (r.has("ServiceName") && (r.has("Realm") || auth_config))
    {
        checks::auth_config(r, out);
    }
    checks::test_result(r, errors, out);
}

/// Domains of the addresses in the errors this document shows (what a domain list must hold;
/// an incremental update re-checks the records when they change).
pub(crate) fn failing_domains(errors: &[Finding]) -> Vec<String> {
    let mut out: Vec<String> = errors
        .iter()
        .filter_map(|f| {
            f.captures
                .get(&crate::capture::Key::Domain)
                .map(|d| d.to_ascii_lowercase())
        })
        .filter(|d| !d.ends_with(".onmicrosoft.com"))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::analyse;

    /// `NAMES` and `checked` repeat what `check_one` reads: a condition added there and not
    /// here would drop its records before they are checked. Every fixture must give the same
    /// findings from all its records as from the kept ones.
    #[test]
    fn the_records_kept_are_all_that_the_checks_read() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
        let mut texts = 0;
        for dir in ["output", "scan/errors", "logs"] {
            let Ok(files) = std::fs::read_dir(format!("{root}/{dir}")) else {
                continue;
            };
            for file in files.flatten() {
                let Ok(text) = std::fs::read_to_string(file.path()) else {
                    continue;
                };
                let errors = crate::scan::scan(&text);
                let all = super::records::parse_kept(&text, |_| true, |_| true, &|| false);
                let all = super::check(&all.unwrap(), &errors);
                assert_eq!(all, analyse(&text, &errors), "{}", file.path().display());
                texts += 1;
            }
        }
        assert!(texts > 10, "fixtures not found under {root}");
    }

    fn codes(text: &str) -> Vec<String> {
        analyse(text, &crate::scan::scan(text))
            .into_iter()
            .map(|f| f.code.to_string())
            .collect()
    }

    #[test]
    fn healthy_output_with_wraps_and_optional_fields_is_silent() {
        // An empty TargetSharingEpr (Autodiscover is used) and a URL wrapped mid-word.
        let rel = "PS C:\\> Get-OrganizationRelationship | FL\n\nDomainNames           : {contoso.com, contoso.ro}\nFreeBusyAccessEnabled : True\nFreeBusyAccessLevel   : LimitedDetails\nTargetSharingEpr      :\nTargetAutodiscoverEpr : https://autodiscover.contoso.com/autodiscover/autodiscover.svc/WSSecu\n                        rity\nEnabled               : True\n";
        assert!(codes(rel).is_empty(), "{:?}", codes(rel));
        // Entra ID's authorization server has an issuer of its own.
        let evo = "Name                 : EvoSts - 5e0c4a3b-7d1f-4f7e-9a51-2b8e3c6d1f20\nIssuerIdentifier     : https://sts.windows.net/5e0c4a3b-7d1f-4f7e-9a51-2b8e3c6d1f20/\nTokenIssuingEndpoint : https://login.windows.net/5e0c4a3b-7d1f-4f7e-9a51-2b8e3c6d1f20/oauth2/token\nAuthMetadataUrl      : https://login.windows.net/contoso.onmicrosoft.com/federationmetadata/2007-06/federa\n                       tionmetadata.xml\nEnabled              : True\n";
        assert!(codes(evo).is_empty(), "{:?}", codes(evo));
    }

    #[test]
    fn domain_lists_compare_whole_names_unless_cut_short() {
        let err = "Configuration information for forest/domain contoso.ro could not be found in Active Directory.\n";
        let full = format!("TargetAddressDomains : {{contoso.com, contoso.rom}}\nEnabled              : True\n{err}");
        assert_eq!(codes(&full), ["FB304"]);
        let cut = format!("TargetAddressDomains : {{contoso.com, fabrikam.com, tailspintoys.com, wingtiptoys.com...}}\nEnabled              : True\n{err}");
        assert!(codes(&cut).is_empty(), "{:?}", codes(&cut));
    }

    #[test]
    fn empty_autodiscover_endpoint_needs_no_sharing_endpoint() {
        let without = "DiscoveryEndpoint : \nTargetSharingEpr  :\nEnabled           : True\n";
        assert_eq!(codes(without), ["FB304"]);
        let with = "TargetAutodiscoverEpr :\nTargetSharingEpr      : https://mail.contoso.com/EWS/Exchange.asmx\nEnabled               : True\n";
        assert!(codes(with).is_empty(), "{:?}", codes(with));
    }

    #[test]
    fn a_failed_test_names_what_its_text_proves() {
        let note = |text: &str| {
            analyse(text, &crate::scan::scan(text))
                .into_iter()
                .find(|f| f.code == crate::code::Code::FB306)
                .map(|f| (f.note.unwrap(), f.severity))
        };
        let proven = "PS C:\\> Test-OAuthConnectivity -Service EWS | FL\n\nDetail     : reason=\"The token has an invalid signature.\"\nResultType : Error\n";
        let (n, sev) = note(proven).unwrap();
        assert!(
            n.starts_with("Test-OAuthConnectivity failed with FB021"),
            "{n}"
        );
        assert_eq!(sev, None);
        let generic = "Detail     : System.Net.WebException: The remote server returned an error: (401) Unauthorized.\nResultType : Error\n";
        let (n, sev) = note(generic).unwrap();
        assert!(n.contains("generic text (FB090)"), "{n}");
        assert_eq!(sev, Some(crate::knowledge::Severity::Warning));
    }

    #[test]
    fn fixes_get_the_mailbox_and_the_missing_domain() {
        let perm = "PS C:\\> Get-MailboxFolderPermission -Identity \"anna@contoso.com:\\Calendar\"\n\nFolderName User    AccessRights\n---------- ----    ------------\nCalendar   Default {None}\n";
        let f = analyse(perm, &crate::scan::scan(perm));
        assert_eq!(
            f[0].captures[&crate::capture::Key::Address],
            "anna@contoso.com"
        );
        let rel = "TargetAddressDomains : {contoso.com}\nEnabled              : True\nConfiguration information for forest/domain contoso.ro could not be found in Active Directory.\n";
        let f = analyse(rel, &crate::scan::scan(rel));
        assert_eq!(f[0].captures[&crate::capture::Key::Domain], "contoso.ro");
    }
}
