//! Log analysis throughput on a generated Exchange HttpProxy log, as a ratio to ripgrep counting
//! the cross-forest Autodiscover lines of the same file during the same run (the machines are
//! shared: absolute numbers drift, ratios hold).
//!
//! `cargo bench --bench logs` (env `FREEBUSY_BENCH_MB`, default 50). ripgrep comes from
//! `apt-get install ripgrep`; without it only our own figures are printed.

#[path = "common/mod.rs"]
mod common;
use common::best_of;
use freebusy_lsp::analysis::Options;
use freebusy_lsp::logs::analyse;
use std::process::Command;

/// The columns of an Exchange 2019 HttpProxy log.
const FIELDS: &str = "DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method,ProxyAction,TargetServer,TargetServerVersion,RoutingType,RoutingHint,BackEndCookie,ServerLocatorHost,ServerLocatorLatency,RequestBytes,ResponseBytes,TargetOutstandingRequests,AuthModulePerfContext,HttpPipelineLatency,CalculateTargetBackEndLatency,GlsLatencyBreakup,TotalGlsLatency,AccountForestLatencyBreakup,TotalAccountForestLatency,ResourceForestLatencyBreakup,TotalResourceForestLatency,ADLatency,SharedCacheLatencyBreakup,TotalSharedCacheLatency,ActivityContextLifeTime,ModuleToHandlerSwitchingLatency,ClientReqStreamLatency,BackendReqInitLatency,BackendReqStreamLatency,BackendProcessingLatency,BackendRespInitLatency,BackendRespStreamLatency,ClientRespStreamLatency,KerberosAuthHeaderLatency,HandlerCompletionLatency,RequestHandlerLatency,HandlerToModuleSwitchingLatency,ProxyTime,CoreLatency,RoutingLatency,HttpProxyOverhead,TotalRequestTime,UrlQuery,BackEndGenericInfo,GenericInfo,GenericErrors,EdgeTraceId,DatabaseGuid,UserADObjectGuid,PartitionEndpointLookupLatency,RoutingStatus";

const AD_UA: &str = "ASAutoDiscover/CrossForest/EmailDomain//15.20.7452.000";
const EWS_UA: &str = "ASProxy/CrossForest/EmailDomain//15.20.7452.000";

/// A deterministic log: mostly successful requests (cross-forest and ordinary clients), about 2%
/// cross-forest 401s, 1% 503s and 1% slow requests.
fn generate(bytes: usize) -> (String, usize) {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut out = String::with_capacity(bytes + 4096);
    out.push_str("#Software: Microsoft Exchange Server\n#Version: 15.02.1544.004\n#Log-type: HttpProxy Logs\n#Date: 2024-05-03T00:00:00.012Z\n#Fields: ");
    out.push_str(FIELDS);
    out.push('\n');
    let mut n = 0u64;
    let mut autodiscover = 0;
    while out.len() < bytes {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let r = (seed >> 33) as usize;
        let (host, stem, action, ua, client) = match r % 10 {
            0..=3 => (
                "autodiscover.contoso.com",
                "/autodiscover/autodiscover.svc/WSSecurity",
                "",
                AD_UA,
                "52.98.12.34",
            ),
            4..=6 => (
                "mail.contoso.com",
                "/EWS/Exchange.asmx/WSSecurity",
                "GetUserAvailability",
                EWS_UA,
                "52.98.12.35",
            ),
            7 => (
                "mail.contoso.com",
                "/owa/service.svc",
                "GetItem",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36",
                "10.0.4.17",
            ),
            8 => (
                "mail.contoso.com",
                "/mapi/emsmdb/",
                "Execute",
                "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17928; Pro)",
                "10.0.4.23",
            ),
            _ => (
                "mail.contoso.com",
                "/Microsoft-Server-ActiveSync/default.eas",
                "Sync",
                "Apple-iPhone15C2/2105.258",
                "10.0.7.9",
            ),
        };
        if ua == AD_UA {
            autodiscover += 1;
        }
        let cross_forest = ua == AD_UA || ua == EWS_UA;
        let pick = (r >> 8) % 100;
        let status = if cross_forest && pick < 2 {
            401
        } else if cross_forest && pick < 3 {
            503
        } else {
            200
        };
        let total = if pick == 99 {
            31_000 + r % 30_000
        } else {
            20 + r % 900
        };
        let error = if status == 503 { "ServerNotFound" } else { "" };
        let generic = if status == 503 {
            "\"BackEndStatus=503, MSExchangeServicesAppPool is stopped\""
        } else {
            ""
        };
        let user = (r >> 16) % 500;
        out.push_str(&format!(
            "2024-05-03T{:02}:{:02}:{:02}.{:03}Z,{:08x}-2d4b-4c55-9a0e-{:012x},15,2,1544,4,,{host},{stem},{action},WSSecurity,true,,,SMTP:user{user}@contoso.com,{ua},{client},EXCH01,{status},{status},{error},POST,Proxy,exch0{}.contoso.local,Version 15.2 (Build 1544.4),AnchorMailboxHeader-SMTP,Smtp~user{user}@contoso.com,,EXCH01.contoso.local,0,1534,2871,1,,0,0,,0,,0,,0,1,,0,{total},0,0,0,0,{},0,0,0,0,1,0,0,{total},2,0,1,{total},,,\"ActivityID=5f2e; Dbl:WLM.TS=0\",{generic},,,,0,\n",
            (n / 3600) % 24,
            (n / 60) % 60,
            n % 60,
            r % 1000,
            r as u32,
            n,
            2 + r % 3,
            total.saturating_sub(30),
        ));
        n += 1;
    }
    (out, autodiscover)
}

fn main() {
    let mb: usize = std::env::var("FREEBUSY_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let (text, autodiscover) = generate(mb << 20);
    let size = text.len() as f64 / (1 << 20) as f64;
    let dir = std::env::temp_dir().join("freebusy-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("httpproxy.log");
    std::fs::write(&log, &text).unwrap();

    let opts = Options::default();
    let mut findings = Vec::new();
    let ours = best_of(3, || findings = analyse(&text, &opts));
    let ours_mbs = size / ours.as_secs_f64();
    let count = |code: &str| findings.iter().filter(|f| f.code.as_str() == code).count();
    println!(
        "input: {size:.1} MiB generated HttpProxy log, {} lines, {autodiscover} cross-forest Autodiscover",
        text.lines().count()
    );
    println!(
        "findings: FB200 {}, FB201 {}, FB202 {}, FB203 {}",
        count("FB200"),
        count("FB201"),
        count("FB202"),
        count("FB203")
    );
    println!(
        "freebusy-lsp logs::analyse: {:>8.1} ms  {ours_mbs:>7.1} MiB/s",
        ours.as_secs_f64() * 1e3
    );

    let rg = || {
        Command::new("rg")
            .args(["-c", "ASAutoDiscover/CrossForest/EmailDomain"])
            .arg(&log)
            .output()
    };
    match rg() {
        Ok(out) if out.status.code().is_some_and(|c| c <= 1) => {
            let lines = String::from_utf8_lossy(&out.stdout).trim().to_string();
            let base = best_of(3, || {
                rg().unwrap();
            });
            let base_mbs = size / base.as_secs_f64();
            println!(
                "rg -c ASAutoDiscover/CrossForest/EmailDomain (baseline): {:>8.1} ms  {base_mbs:>7.1} MiB/s  ({lines} matching lines)",
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
}
