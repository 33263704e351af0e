//! PowerShell analysis on a long generated script: full parse + rules per 1,000 lines, and an
//! incremental re-analysis after a one-line edit, each as a ratio to tree-sitter's bare parse of
//! the same text measured in the same run.

#[path = "common/mod.rs"]
mod common;
use common::best_of;
use freebusy_lsp::analysis::analyse;
use freebusy_lsp::document::DocKind;
use freebusy_lsp::script::parse;
use std::time::Duration;
use tree_sitter::{InputEdit, Point};

const BLOCK: &str = r#"# Rotate the OAuth certificate and refresh the federation metadata
$date = Get-Date
$thumb = "0123456789ABCDEF0123456789ABCDEF01234567"
New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true -SubjectName "CN=Microsoft Exchange Server Auth Certificate" -DomainName contoso.com -Services SMTP
Set-AuthConfig -NewCertificateThumbprint $thumb -NewCertificateEffectiveDate $date
Set-AuthConfig -PublishCertificate
Set-AuthConfig -ClearPreviousCertificate
Get-FederationTrust | Set-FederationTrust -RefreshMetadata
Get-FederationTrust | Set-FederationTrust -RefreshMetadata
Set-WebServicesVirtualDirectory -Identity "EX01\EWS (Default Web Site)" -OAuthAuthentication:$false
Set-WebServicesVirtualDirectory -Identity "EX01\EWS (Default Web Site)" -OAuthAuthentication:$true
Set-IntraOrganizationConnector -Identity "HybridIOC" -TargetAddressDomains @{add="contoso.com"}
Set-MailboxFolderPermission -Identity jon@contoso.com:\Calendar -User Default -AccessRights AvailabilityOnly
foreach ($m in Get-Mailbox -ResultSize 100) {
    Get-MailboxCalendarConfiguration -Identity $m.Identity | Format-List Identity, WorkingHours*
}
iisreset /noforce
"#;

fn main() {
    let lines_wanted: usize = std::env::var("FREEBUSY_BENCH_LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let block_lines = BLOCK.lines().count();
    let text = BLOCK.repeat(lines_wanted / block_lines + 1);
    let lines = text.lines().count();
    let per_k = |d: Duration| d.as_secs_f64() * 1e3 / (lines as f64 / 1000.0);

    let parse_only = best_of(5, || {
        parse(&text, None).unwrap();
    });
    let mut findings = 0;
    let full = best_of(5, || {
        findings = analyse(DocKind::PowerShell, &text, None, &Default::default())
            .0
            .len()
    });

    // One keystroke in the middle: insert a character, tell the tree, re-analyse.
    let (_, tree) = analyse(DocKind::PowerShell, &text, None, &Default::default());
    let at = text.len() / 2;
    let at = text[at..].find('\n').map_or(at, |i| at + i + 1);
    let mut edited = text.clone();
    edited.insert(at, '#');
    let row = text[..at].matches('\n').count();
    let incremental = best_of(5, || {
        let mut t = tree.clone().unwrap();
        t.edit(&InputEdit {
            start_byte: at,
            old_end_byte: at,
            new_end_byte: at + 1,
            start_position: Point { row, column: 0 },
            old_end_position: Point { row, column: 0 },
            new_end_position: Point { row, column: 1 },
        });
        analyse(DocKind::PowerShell, &edited, Some(&t), &Default::default());
    });
    println!(
        "input: {lines} lines ({:.1} MiB), {findings} findings",
        text.len() as f64 / (1 << 20) as f64
    );
    println!(
        "tree-sitter parse only (baseline): {:>8.2} ms per 1,000 lines",
        per_k(parse_only)
    );
    println!(
        "full analysis (parse, rules, scan): {:>8.2} ms per 1,000 lines  ratio {:.2}",
        per_k(full),
        full.as_secs_f64() / parse_only.as_secs_f64()
    );
    println!(
        "after a one-line edit (incremental): {:>8.2} ms per 1,000 lines  ratio {:.2}",
        per_k(incremental),
        incremental.as_secs_f64() / parse_only.as_secs_f64()
    );
}
