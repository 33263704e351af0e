//! Folder check throughput (walk, read, decode, analyse every file, in parallel) against ripgrep
//! searching the same signatures in the same folder during the same run: `rg -c -i -f`.
//! ripgrep only counts matching lines; we also resolve, extract captures and read the logs'
//! structure, so the ratio is a floor for what a user waits, not a like-for-like race.
//!
//! `cargo bench --bench folder` (env `FREEBUSY_BENCH_MB`, default 32, spread over 64 files; one
//! in eight gzip-compressed, which ripgrep skips unless given `-z`: both are timed on the plain
//! files only, then ours with the archives too).

#[path = "common/mod.rs"]
mod common;
use common::best_of;
use freebusy_lsp::folder;
use freebusy_lsp::knowledge::{catalog, pattern};
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

const FILES: usize = 64;

/// One deterministic log of about `bytes`: ordinary lines, an article error every ~2,000 lines.
fn log(bytes: usize, seed: u64, examples: &[String]) -> String {
    let ordinary = [
        "2024-05-03T07:02:19.220Z,6f1c2a,15.2.1258.12,Autodiscover,https://mail.contoso.com/autodiscover/autodiscover.svc,200,0,ASAutoDiscover/CrossForest/EmailDomain//15.20.7452.0",
        "2024-05-03 07:02:19 10.0.0.5 POST /EWS/Exchange.asmx - 443 - 40.107.0.1 ASProxy/CrossForest 200 0 0 312",
        "DEBUG Proxying request to https://outlook.office365.com/EWS/Exchange.asmx for adele@contoso.com",
        "INFO  Availability query completed in 312 ms; 0 errors, cache hit ratio 0.82",
    ];
    let mut s = seed | 1;
    let mut out = String::with_capacity(bytes + 1024);
    while out.len() < bytes {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let r = (s >> 33) as usize;
        if r.is_multiple_of(2000) {
            out.push_str(&examples[r / 2000 % examples.len()]);
        } else {
            out.push_str(ordinary[r % ordinary.len()]);
        }
        out.push('\n');
    }
    out
}

fn main() {
    let mb: usize = std::env::var("FREEBUSY_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32);
    let examples: Vec<String> = catalog()
        .entries()
        .iter()
        .flat_map(|e| e.examples.iter().map(|x| x.text.replace('\n', " ")))
        .collect();
    let dir = std::env::temp_dir().join("freebusy-bench-folder");
    let _ = std::fs::remove_dir_all(&dir);
    let (plain, packed) = (dir.join("plain"), dir.join("packed"));
    std::fs::create_dir_all(&plain).unwrap();
    std::fs::create_dir_all(&packed).unwrap();
    let per = (mb << 20) / FILES;
    for i in 0..FILES {
        let text = log(per, i as u64 + 7, &examples);
        std::fs::write(plain.join(format!("u_ex{i:04}.log")), &text).unwrap();
        if i % 8 == 0 {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(text.as_bytes()).unwrap();
            std::fs::write(
                packed.join(format!("u_ex{i:04}.log.gz")),
                gz.finish().unwrap(),
            )
            .unwrap();
        }
    }
    let patterns = dir.join("signatures.txt");
    let mut f = std::fs::File::create(&patterns).unwrap();
    for e in catalog().entries() {
        for s in &e.signatures {
            writeln!(f, "{}", pattern::compile(&s.text, "h").unwrap().plain).unwrap();
        }
    }
    drop(f);

    let size = (per * FILES) as f64 / (1 << 20) as f64;
    let run = |roots: &[PathBuf]| {
        let paths = folder::paths(roots, &[]).unwrap();
        let mut n = 0;
        folder::check_each(&paths, u64::MAX, |c| n += c.map_or(0, |c| c.findings.len()));
        n
    };
    run(std::slice::from_ref(&plain)); // warm up: compile the signatures, fill the page cache
    let mut findings = 0;
    let ours = best_of(3, || findings = run(std::slice::from_ref(&plain)));
    let ours_mbs = size / ours.as_secs_f64();
    println!(
        "input: {size:.1} MiB in {FILES} files, {findings} findings, {} threads",
        rayon::current_num_threads()
    );
    println!(
        "freebusy-lsp folder check: {:>8.1} ms  {ours_mbs:>7.1} MiB/s",
        ours.as_secs_f64() * 1e3
    );
    let with_gz = best_of(3, || {
        run(&[plain.clone(), packed.clone()]);
    });
    println!(
        "  with {} .gz archives too: {:>8.1} ms",
        FILES / 8,
        with_gz.as_secs_f64() * 1e3
    );

    let rg = || {
        Command::new("rg")
            .args(["-c", "-i", "-f"])
            .arg(&patterns)
            .arg(&plain)
            .output()
    };
    match rg() {
        Ok(out) if out.status.code().is_some_and(|c| c <= 1) => {
            let base = best_of(3, || {
                rg().unwrap();
            });
            let base_mbs = size / base.as_secs_f64();
            println!(
                "rg -c -i -f (baseline):    {:>8.1} ms  {base_mbs:>7.1} MiB/s",
                base.as_secs_f64() * 1e3
            );
            println!(
                "ratio freebusy-lsp / ripgrep throughput: {:.2}",
                ours_mbs / base_mbs
            );
        }
        Ok(out) => println!("ripgrep failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => println!("ripgrep not installed (apt-get install ripgrep): no baseline"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
