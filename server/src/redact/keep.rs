//! What redaction keeps, from `knowledge/tables/redact.toml`: Microsoft's service hosts and
//! application ids, Windows' own account domains, directory names, words that are not servers.
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::LazyLock;

const DATA: &str = include_str!("../../knowledge/tables/redact.toml");

#[derive(Deserialize, Default)]
struct Raw {
    service_hosts: Vec<String>,
    tenant_suffixes: Vec<String>,
    service_labels: Vec<String>,
    app_ids: Vec<String>,
    system_mailboxes: Vec<String>,
    windows_domains: Vec<String>,
    directory_names: Vec<String>,
    not_servers: Vec<String>,
}

/// The keep list, lowercased for lookups.
#[derive(Default)]
pub struct Keep {
    service_hosts: Vec<String>,
    /// Longest first, so `mail.onmicrosoft.com` wins over `onmicrosoft.com`.
    pub tenant_suffixes: Vec<String>,
    service_labels: HashSet<String>,
    app_ids: HashSet<String>,
    pub system_mailboxes: Vec<String>,
    windows_domains: HashSet<String>,
    directory_names: HashSet<String>,
    not_servers: HashSet<String>,
}

/// Parses the embedded list; a broken file keeps nothing (redacts more, never less).
pub fn parse(text: &str) -> Result<Keep, String> {
    let raw: Raw = toml::from_str(text).map_err(|e| e.message().to_string())?;
    let low = |v: Vec<String>| v.into_iter().map(|s| s.to_ascii_lowercase());
    let mut tenant_suffixes: Vec<String> = low(raw.tenant_suffixes).collect();
    tenant_suffixes.sort_by_key(|s| std::cmp::Reverse(s.len()));
    Ok(Keep {
        service_hosts: low(raw.service_hosts).collect(),
        tenant_suffixes,
        service_labels: low(raw.service_labels).collect(),
        app_ids: low(raw.app_ids).collect(),
        system_mailboxes: raw.system_mailboxes,
        windows_domains: low(raw.windows_domains).collect(),
        directory_names: low(raw.directory_names).collect(),
        not_servers: low(raw.not_servers).collect(),
    })
}

pub fn keep() -> &'static Keep {
    static KEEP: LazyLock<Keep> = LazyLock::new(|| {
        parse(DATA).unwrap_or_else(|e| {
            eprintln!("freebusy-lsp: knowledge data: tables/redact.toml: {e}");
            Keep::default()
        })
    });
    &KEEP
}

fn has_suffix(host: &str, suffix: &str) -> bool {
    host == suffix
        || host
            .strip_suffix(suffix)
            .is_some_and(|rest| rest.ends_with('.'))
}

impl Keep {
    /// A Microsoft service host or a reserved name: kept as written.
    pub fn service_host(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        let host = host.trim_end_matches('.');
        self.service_hosts.iter().any(|s| has_suffix(host, s))
    }

    /// The tenant suffix `host` ends in, if any (`contoso.mail.onmicrosoft.com` -> the suffix).
    pub fn tenant_suffix(&self, host: &str) -> Option<&str> {
        let host = host.to_ascii_lowercase();
        self.tenant_suffixes
            .iter()
            .find(|s| host.len() > s.len() && has_suffix(&host, s))
            .map(String::as_str)
    }

    pub fn service_label(&self, label: &str) -> bool {
        self.service_labels.contains(&label.to_ascii_lowercase())
    }

    pub fn app_id(&self, guid: &str) -> bool {
        self.app_ids.contains(&guid.to_ascii_lowercase())
    }

    pub fn windows_domain(&self, name: &str) -> bool {
        self.windows_domains.contains(&name.to_ascii_lowercase())
    }

    pub fn directory_name(&self, name: &str) -> bool {
        self.directory_names
            .contains(&name.trim().to_ascii_lowercase())
    }

    /// `SHA256`, `TLS12`, `KB5001779`: letters that name a thing, not a server.
    pub fn not_server(&self, word: &str) -> bool {
        let letters = word.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-');
        self.not_servers.contains(&letters.to_ascii_lowercase())
    }

    /// The system mailbox prefix `local` starts with, if any.
    pub fn system_mailbox(&self, local: &str) -> Option<usize> {
        self.system_mailboxes
            .iter()
            .find(|p| local.len() >= p.len() && local[..p.len()].eq_ignore_ascii_case(p))
            .map(String::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_list_parses_and_answers() {
        let k = parse(DATA).expect("tables/redact.toml");
        assert!(k.service_host("outlook.office365.com"));
        assert!(k.service_host("LOGIN.microsoftonline.com."));
        assert!(!k.service_host("notmicrosoft.com"));
        assert_eq!(
            k.tenant_suffix("contoso.mail.onmicrosoft.com"),
            Some("mail.onmicrosoft.com")
        );
        assert_eq!(k.tenant_suffix("onmicrosoft.com"), None);
        assert!(k.app_id("00000002-0000-0FF1-CE00-000000000000"));
        assert!(k.not_server("SHA256") && k.not_server("KB5001779") && !k.not_server("EXCH01"));
        assert!(k.windows_domain("NT AUTHORITY"));
    }
}
