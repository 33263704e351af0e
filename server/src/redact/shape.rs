//! What a token looks like: a host name (a known top-level domain, not a file or a .NET type),
//! a single label, a file name.

/// Generic top-level domains seen in logs (and private ones used in Active Directory).
const GENERIC: &[&str] = &[
    "com",
    "net",
    "org",
    "edu",
    "gov",
    "mil",
    "int",
    "info",
    "biz",
    "io",
    "local",
    "lan",
    "corp",
    "internal",
    "intranet",
    "intra",
    "home",
    "cloud",
    "online",
    "site",
    "app",
    "dev",
    "name",
    "pro",
    "mobi",
    "asia",
    "tel",
    "travel",
    "xyz",
    "top",
    "club",
    "shop",
    "tech",
    "priv",
    "example",
    "test",
    "invalid",
    "localhost",
    "onion",
    "arpa",
    "global",
    "group",
    "company",
    "services",
    "solutions",
    "systems",
    "email",
    "mail",
    "world",
    "eu",
    "ms",
];

/// Two-letter endings that are file extensions far more often than countries in these texts.
const FILE_LIKE: &[&str] = &[
    "md", "sh", "rs", "py", "pl", "ps", "cs", "js", "db", "gz", "ts", "rb", "go", "hs", "pm", "so",
    "ko", "vb", "fs", "mo", "po", "cc", "cp", "ai", "ml", "bz", "xz", "7z",
];

/// File extensions that make `Logs\ews.log` a path, not an account.
const FILE_EXTENSIONS: &[&str] = &[
    "log", "txt", "ps1", "psm1", "psd1", "xml", "json", "csv", "exe", "dll", "config", "ini",
    "cer", "crt", "pfx", "etl", "evtx", "zip", "gz", "htm", "html", "asmx", "svc", "aspx",
];

/// A DNS name with a plausible top-level domain, written like a host (not `System.Net`).
pub fn is_host(s: &str) -> bool {
    let s = s.strip_suffix('.').unwrap_or(s);
    let labels: Vec<&str> = s.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| !label_ok(l)) {
        return false;
    }
    let tld = labels[labels.len() - 1];
    let cased = tld == tld.to_ascii_lowercase() || tld == tld.to_ascii_uppercase();
    if !cased || !tld.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let tld = tld.to_ascii_lowercase();
    match tld.len() {
        2 => !FILE_LIKE.contains(&tld.as_str()),
        _ => GENERIC.contains(&tld.as_str()),
    }
}

fn label_ok(l: &str) -> bool {
    !l.is_empty()
        && l.len() <= 63
        && !l.starts_with('-')
        && !l.ends_with('-')
        && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// One label that could name a machine (`EXCH01`, `mbx-2`).
pub fn is_single_label(s: &str) -> bool {
    s.len() <= 15 && label_ok(s) && s.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// `ews.log`, `Set-Foo.ps1`: the name of a file.
pub fn has_file_extension(s: &str) -> bool {
    s.rsplit_once('.')
        .is_some_and(|(_, ext)| FILE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_told_from_files_and_types() {
        for h in [
            "mail.contoso.com",
            "EXCH01.CONTOSO.LOCAL",
            "contoso.se",
            "a-b.example.",
        ] {
            assert!(is_host(h), "{h}");
        }
        for n in [
            "System.Net",
            "Microsoft.Exchange.Data",
            "README.md",
            "Exchange.asmx",
            "v1.0",
            "x..com",
        ] {
            assert!(!is_host(n), "{n}");
        }
        assert!(has_file_extension("ews.LOG") && !has_file_extension("jon.doe"));
    }
}
