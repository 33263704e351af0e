//! Scan throughput on a generated log, as a ratio to ripgrep searching the same signatures in the
//! same file during the same run (the machines are shared: absolute numbers drift, ratios hold).
//!
//! `cargo bench --bench scan` (env `FREEBUSY_BENCH_MB`, default 50). ripgrep comes from
//! `apt-get install ripgrep`; without it only our own figures are printed.

#[path = "common/mod.rs"]
mod common;
use common::best_of;
use freebusy_lsp::knowledge::{catalog, pattern};
use freebusy_lsp::scan::scan;
use std::io::Write;
use std::process::Command;

/// A deterministic log: ordinary lines, with an article error about every 2,000 lines.
fn generate(bytes: usize) -> String {
    let examples: Vec<String> = catalog()
        .entries()
        .iter()
        .flat_map(|e| e.examples.iter().map(|x| x.text.replace('\n', " ")))
        .collect();
    let ordinary = [
        "INFO  GetUserAvailability started for 3 mailboxes, request id 6f1c2a",
        "2024-05-03T07:02:19.220Z,6f1c2a,15.2.1258.12,Autodiscover,https://mail.contoso.com/autodiscover/autodiscover.svc,200,0,ASAutoDiscover/CrossForest/EmailDomain//15.20.7452.0",
        "DEBUG Proxying request to https://outlook.office365.com/EWS/Exchange.asmx for adele@contoso.com",
        "INFO  Availability query completed in 312 ms; 0 errors, cache hit ratio 0.82",
        "WARN  Slow response from EXCH02 (1480 ms), continuing",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut out = String::with_capacity(bytes + 1024);
    let mut n = 0u64;
    while out.len() < bytes {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let r = (seed >> 33) as usize;
        out.push_str(&format!(
            "2024-05-03T07:{:02}:{:02}.{:03}Z ",
            (n / 60) % 60,
            n % 60,
            r % 1000
        ));
        if r.is_multiple_of(2000) {
            out.push_str(&examples[r / 2000 % examples.len()]);
        } else {
            out.push_str(ordinary[r % ordinary.len()]);
        }
        out.push('\n');
        n += 1;
    }
    out
}

fn main() {
    let mb: usize = std::env::var("FREEBUSY_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let text = generate(mb << 20);
    let size = text.len() as f64 / (1 << 20) as f64;
    let dir = std::env::temp_dir().join("freebusy-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("generated.log");
    std::fs::write(&log, &text).unwrap();
    let patterns = dir.join("signatures.txt");
    let mut f = std::fs::File::create(&patterns).unwrap();
    let mut count = 0;
    for e in catalog().entries() {
        for s in &e.signatures {
            writeln!(f, "{}", pattern::compile(&s.text, "h").unwrap().plain).unwrap();
            count += 1;
        }
    }
    drop(f);

    scan("warm up: compile the signatures");
    let mut findings = 0;
    let ours = best_of(3, || findings = scan(&text).len());
    let ours_mbs = size / ours.as_secs_f64();
    println!("input: {size:.1} MiB generated log, {count} signatures, {findings} findings");
    println!(
        "freebusy-lsp scan: {:>8.1} ms  {ours_mbs:>7.1} MiB/s",
        ours.as_secs_f64() * 1e3
    );

    let rg = |args: &[&str]| {
        Command::new("rg")
            .args(args)
            .arg("-f")
            .arg(&patterns)
            .arg(&log)
            .output()
    };
    match rg(&["-c", "-i"]) {
        Ok(out) if out.status.code().is_some_and(|c| c <= 1) => {
            let lines = String::from_utf8_lossy(&out.stdout).trim().to_string();
            let base = best_of(3, || {
                rg(&["-c", "-i"]).unwrap();
            });
            let base_mbs = size / base.as_secs_f64();
            println!("rg -c -i -f (baseline): {:>8.1} ms  {base_mbs:>7.1} MiB/s  ({lines} matching lines)", base.as_secs_f64() * 1e3);
            println!(
                "ratio freebusy-lsp / ripgrep throughput: {:.2}",
                ours_mbs / base_mbs
            );
        }
        Ok(out) => println!("ripgrep failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => println!("ripgrep not installed (apt-get install ripgrep): no baseline"),
    }
}
