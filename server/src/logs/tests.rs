//! Unit tests of the log analysis (fixtures under tests/fixtures/logs cover whole documents).
use super::*;
use crate::code::Code;
use crate::finding::Confidence;
use crate::knowledge::Severity;

fn run(text: &str) -> Vec<Finding> {
    let mut f = analyse(text, &Options::default());
    f.sort_by_key(|f| (f.range.start, f.code));
    f
}

fn codes(text: &str) -> Vec<String> {
    run(text).into_iter().map(|f| f.code.to_string()).collect()
}

fn note(text: &str, code: &str) -> String {
    run(text)
        .into_iter()
        .find(|f| f.code.as_str() == code)
        .and_then(|f| f.note)
        .unwrap_or_else(|| panic!("no {code} in {text}"))
}

const IIS: &str = "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\n";
const AD_UA: &str = "ASAutoDiscover/CrossForest/EmailDomain//15.20.7452.000";
const EWS_UA: &str = "ASProxy/CrossForest/EmailDomain//15.20.7452.000";

fn iis_row(stem: &str, ua: &str, status: u16, ms: u32) -> String {
    format!(
        "2024-05-04 08:12:40 10.0.0.21 POST {stem} - 443 - 52.98.10.4 {ua} - {status} 0 0 {ms}\n"
    )
}

const CSV: &str = "DateTime,RequestId,UrlHost,UrlStem,ProtocolAction,AnchorMailbox,UserAgent,ClientIpAddress,HttpStatus,ErrorCode,TargetServer,TotalRequestTime,GenericErrors\n";

fn csv_row(ua: &str, status: u16, ms: u32) -> String {
    format!("2024-05-05T09:14:02.311Z,1a2b,mail.contoso.com,/EWS/Exchange.asmx/WSSecurity,GetUserAvailability,SMTP:jon.doe@contoso.com,{ua},52.98.12.34,{status},,exch02.contoso.local,{ms},\n")
}

#[test]
fn iis_failures_and_slow_requests() {
    let text = format!(
        "{IIS}{}{}{}{}",
        iis_row("/autodiscover/autodiscover.svc/WSSecurity", AD_UA, 503, 2),
        iis_row("/EWS/Exchange.asmx/WSSecurity", EWS_UA, 401, 0),
        iis_row("/EWS/Exchange.asmx/WSSecurity", EWS_UA, 200, 31000),
        iis_row("/owa/", "Mozilla/5.0+(Windows+NT+10.0)", 500, 90000),
    );
    assert_eq!(codes(&text), ["FB200", "FB201", "FB202", "FB203"]);
    let summary = note(&text, "FB200");
    assert!(summary.contains("4 rows"), "{summary}");
    assert!(summary.contains("3 free/busy requests"), "{summary}");
    assert!(summary.contains("2 failed (401 ×1, 503 ×1)"), "{summary}");
    assert!(summary.contains("1 slower than 30 s"), "{summary}");
    let f = run(&text);
    assert_eq!(f[0].severity, Some(Severity::Information));
    assert_eq!(f[0].confidence, Confidence::High);
    assert_eq!(&text[f[0].range.clone()], IIS.trim_end());
    assert_eq!(&text[f[1].range.clone()], text.lines().nth(1).unwrap());
    assert_eq!(f[1].captures[&crate::capture::Key::Status], "503");
    assert_eq!(f[1].captures[&crate::capture::Key::Ip], "52.98.10.4");
}

#[test]
fn w3c_columns_are_found_by_name_and_user_agent_pluses_are_spaces() {
    let text = "#Fields: time date cs-host sc-status time-taken cs(User-Agent) cs-uri-stem s-computername\n\
                08:00:00 2024-05-04 mail.contoso.com 503 12 ASProxy/CrossForest/EmailDomain+(x) /EWS/Exchange.asmx EXCH01\n";
    let f = run(text);
    assert_eq!(f[1].code, Code::FB202);
    let c = &f[1].captures;
    assert_eq!(
        c[&crate::capture::Key::UserAgent],
        "ASProxy/CrossForest/EmailDomain (x)"
    );
    assert_eq!(
        c[&crate::capture::Key::EwsUrl],
        "https://mail.contoso.com/EWS/Exchange.asmx"
    );
    assert_eq!(c[&crate::capture::Key::Host], "mail.contoso.com");
    assert_eq!(c[&crate::capture::Key::Server], "EXCH01");
}

#[test]
fn status_notes_point_at_the_right_entry() {
    for (status, want) in [
        (401, "FB007"),
        (404, "FB003"),
        (503, "FB031"),
        (504, "FB032"),
        (500, "response body"),
        (418, "HTTP 418"),
    ] {
        let text = format!(
            "{IIS}{}",
            iis_row("/autodiscover/autodiscover.svc", AD_UA, status, 5)
        );
        let n = note(&text, "FB201");
        assert!(n.contains(want), "{status}: {n}");
    }
    let text = format!("{IIS}{}", iis_row("/EWS/Exchange.asmx", EWS_UA, 404, 5));
    assert!(note(&text, "FB202").contains("FB003"));
}

#[test]
fn the_slow_limit_comes_from_the_options() {
    let text = format!(
        "{IIS}{}",
        iis_row("/EWS/Exchange.asmx", EWS_UA, 200, 12_000)
    );
    assert_eq!(codes(&text), ["FB200"]);
    let opts = Options {
        slow_request_seconds: 10.0,
    };
    let found: Vec<String> = analyse(&text, &opts)
        .into_iter()
        .map(|f| f.code.to_string())
        .collect();
    assert!(found.contains(&"FB203".to_string()), "{found:?}");
}

#[test]
fn csv_with_quoted_commas_short_and_long_rows() {
    let text = format!(
        "{CSV}{}2024-05-05T09:15:00.000Z,1a2c,mail.contoso.com\n{}{}",
        csv_row("\"ASProxy/CrossForest/EmailDomain//15.20, test\"", 503, 10),
        csv_row(EWS_UA, 200, 10).replace('\n', ",extra,\"x,y\"\n"),
        csv_row(EWS_UA, 504, 61_000),
    );
    assert_eq!(codes(&text), ["FB200", "FB202", "FB202", "FB203"]);
    let f = run(&text);
    let c = &f[1].captures;
    assert_eq!(
        c[&crate::capture::Key::UserAgent],
        "ASProxy/CrossForest/EmailDomain//15.20, test"
    );
    assert_eq!(c[&crate::capture::Key::Address], "jon.doe@contoso.com");
    assert_eq!(c[&crate::capture::Key::Domain], "contoso.com");
    assert_eq!(c[&crate::capture::Key::Server], "exch02");
    assert_eq!(
        c[&crate::capture::Key::EwsUrl],
        "https://mail.contoso.com/EWS/Exchange.asmx/WSSecurity"
    );
    assert!(note(&text, "FB200").contains("4 rows"));
}

#[test]
fn lines_without_a_comma_are_not_rows_of_a_csv_log() {
    // IIS rows pasted after an HttpProxy excerpt, without their header, and an application line:
    // they start with a date and a time too, but are not rows of the CSV log.
    let text = format!(
        "{CSV}{}{}{}2024-05-05T09:16:00.000Z INFO availability request done\n{}",
        csv_row(EWS_UA, 200, 10),
        iis_row("/EWS/Exchange.asmx/WSSecurity", EWS_UA, 401, 0),
        iis_row("/EWS/Exchange.asmx/WSSecurity", EWS_UA, 200, 31000),
        csv_row(EWS_UA, 503, 10),
    );
    let summary = note(&text, "FB200");
    assert!(summary.contains(": 2 rows"), "{summary}");
    assert!(summary.contains("1 failed (503 ×1)"), "{summary}");
}

#[test]
fn fields_directive_csv_crlf_and_bom() {
    let text = format!(
        "\u{feff}#Software: Microsoft Exchange Server\r\n#Fields: {CSV}{}",
        csv_row(AD_UA, 401, 3)
    )
    .replace('\n', "\r\n")
    .replace("\r\r", "\r");
    let f = run(&text);
    assert_eq!(
        f.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(),
        ["FB200", "FB201"]
    );
    assert!(text[f[0].range.clone()].starts_with("#Fields: DateTime"));
    assert!(!text[f[1].range.clone()].ends_with('\r'));
}

#[test]
fn healthy_log_gets_only_its_summary() {
    let text = format!(
        "{CSV}{}{}",
        csv_row(EWS_UA, 200, 150),
        csv_row(AD_UA, 200, 90)
    );
    assert_eq!(codes(&text), ["FB200"]);
    let n = note(&text, "FB200");
    assert!(
        n.contains("2 free/busy requests") && n.contains("0 failed"),
        "{n}"
    );
}

#[test]
fn logs_pasted_one_after_another_and_inside_notes() {
    let text = format!(
        "Notes before.\nHttpStatus 503 is what we saw.\n\n{IIS}{}\nThe log above is from EXCH01; then EXCH02:\n{CSV}{}More notes, 2024-05-05 no log here.\n",
        iis_row("/EWS/Exchange.asmx", EWS_UA, 503, 3),
        csv_row(EWS_UA, 401, 3),
    );
    assert_eq!(codes(&text), ["FB200", "FB202", "FB200", "FB202"]);
    assert!(note(&text, "FB200").contains("1 row"));
}

#[test]
fn a_header_of_another_log_ends_ours() {
    let text = format!(
        "{IIS}#Fields: date-time,client-ip,event-id\n{}",
        iis_row("/EWS/Exchange.asmx", EWS_UA, 503, 3)
    );
    assert_eq!(codes(&text), ["FB200"]);
}

#[test]
fn no_user_agent_column_is_said() {
    let text = "#Fields: date time cs-uri-stem sc-status time-taken\n2024-05-04 08:00:00 /EWS/Exchange.asmx 503 3\n";
    assert_eq!(codes(text), ["FB200"]);
    assert!(note(text, "FB200").contains("no user agent column"));
}

#[test]
fn capture_answered_by_httpapi() {
    let text = "POST https://mail.contoso.com/EWS/Exchange.asmx HTTP/1.1\r\n\
                User-Agent: ASProxy/CrossForest/EmailDomain//15.20.7452.000\r\n\r\n\
                <GetUserAvailabilityRequest/>\r\n\r\n\
                HTTP/1.1 503 Service Unavailable\r\n\
                Server: Microsoft-HTTPAPI/2.0\r\n\
                x-ms-diagnostics: 2000001;reason=\"test\"\r\n\r\n";
    assert_eq!(codes(text), ["FB200", "FB202", "FB204"]);
    let f = run(text);
    assert_eq!(
        &text[f[1].range.clone()],
        "HTTP/1.1 503 Service Unavailable"
    );
    assert_eq!(&text[f[2].range.clone()], "Server: Microsoft-HTTPAPI/2.0");
    assert_eq!(
        f[2].captures[&crate::capture::Key::EwsUrl],
        "https://mail.contoso.com/EWS/Exchange.asmx"
    );
    assert!(f[1].note.as_ref().unwrap().contains("x-ms-diagnostics"));
}

#[test]
fn capture_of_iis_or_of_another_url_is_not_httpapi() {
    let iis = "GET https://mail.contoso.com/EWS/Exchange.asmx HTTP/1.1\n\nHTTP/1.1 401 Unauthorized\nServer: Microsoft-IIS/10.0\n";
    assert_eq!(codes(iis), ["FB200"]);
    let other = "GET https://www.contoso.com/ HTTP/1.1\n\nHTTP/1.1 503 Service Unavailable\nServer: Microsoft-HTTPAPI/2.0\n";
    assert_eq!(codes(other), ["FB200"]);
}

#[test]
fn curl_verbose_output() {
    let text = "> GET /autodiscover/autodiscover.svc HTTP/1.1\n> Host: autodiscover.contoso.com:443\n>\n< HTTP/1.1 404 Not Found\n< Server: Microsoft-HTTPAPI/2.0\n<\n";
    let f = run(text);
    assert_eq!(
        f.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(),
        ["FB200", "FB204"]
    );
    assert_eq!(
        f[1].captures[&crate::capture::Key::AutodiscoverUrl],
        "https://autodiscover.contoso.com/autodiscover/autodiscover.svc"
    );
}

#[test]
fn a_status_line_quoted_in_notes_is_not_a_capture() {
    assert!(
        run("HTTP/1.1 401 Unauthorized\nWWW-Authenticate: Negotiate\n\nThe proxy said so.\n")
            .is_empty()
    );
    assert!(run(
        "<FreeBusyResponse><ResponseCode>ErrorNoFreeBusyAccess</ResponseCode></FreeBusyResponse>\n"
    )
    .is_empty());
}

#[test]
fn soap_answers_are_counted() {
    let text = "POST /EWS/Exchange.asmx HTTP/1.1\nHost: mail.contoso.com\n\nHTTP/1.1 200 OK\nServer: Microsoft-IIS/10.0\n\n\
                <m:ResponseCode>NoError</m:ResponseCode><ResponseCode>ErrorNoFreeBusyAccess</ResponseCode><ResponseCode>NoError</ResponseCode>\n";
    let n = note(text, "FB200");
    assert!(
        n.contains("3 availability answers (ErrorNoFreeBusyAccess ×1, NoError ×2)"),
        "{n}"
    );
}

#[test]
fn no_panic_on_junk() {
    let mut seed: u64 = 7;
    let pieces = [
        "#Fields: ",
        "DateTime,RequestId,HttpStatus,UserAgent",
        "date time sc-status cs-uri-stem cs(User-Agent)",
        "2024-05-04",
        " 08:00:00",
        "T08:00",
        ",",
        "\"",
        "\"\"",
        " ",
        "\n",
        "\r\n",
        "\u{feff}",
        "é",
        "💥",
        "\0",
        "HTTP/1.1 503",
        "POST https://x/EWS/ HTTP/1.1",
        "Server: Microsoft-HTTPAPI/2.0",
        "ResponseCode>",
        "<",
        "</",
        ASPROXY,
        "503",
        "99999999999999999999",
        "-",
        ":",
        "> ",
        "< ",
    ];
    for _ in 0..3000 {
        let mut s = String::new();
        for _ in 0..40 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            s.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        for f in run(&s) {
            assert!(f.range.start <= f.range.end && f.range.end <= s.len());
            assert!(s.is_char_boundary(f.range.start) && s.is_char_boundary(f.range.end));
        }
    }
    run("");
    run("\u{feff}");
    run("#Fields:");
    run("DateTime,RequestId,");
    run("DateTime,RequestId,HttpStatus,UserAgent");
    run("\u{feff}\u{feff}\r\r\n\n\u{0}");
}

const ASPROXY: &str = "ASProxy/CrossForest/EmailDomain";

#[test]
fn huge_lines_cost_one_pass() {
    let long = ",".repeat(2_000_000);
    let text = format!(
        "{CSV}2024-05-05T09:14:02.311Z{long}\n{IIS}2024-05-04 08:00:00{}\n",
        " x".repeat(1_000_000)
    );
    assert_eq!(codes(&text), ["FB200", "FB200"]);
    let soap = format!(
        "POST /EWS/Exchange.asmx HTTP/1.1\n\nHTTP/1.1 200 OK\nServer: x\n\n{}\n",
        "<ResponseCode>".repeat(200_000)
    );
    run(&soap);
    let ua = format!(
        "{IIS}{}",
        iis_row("/EWS/Exchange.asmx", &"cRoss".repeat(400_000), 503, 1)
    );
    assert_eq!(codes(&ua), ["FB200"]);
}

#[test]
fn find_ci_works() {
    assert_eq!(
        find_ci(
            "abcASPROXY/crossforest/emaildomain",
            "/CrossForest/EmailDomain"
        ),
        Some(10)
    );
    assert_eq!(find_ci("ab", "abc"), None);
    assert_eq!(find_ci("xxAbC", "abc"), Some(2));
    assert_eq!(find_ci("", "a"), None);
    assert_eq!(find_ci("é/ews/", "/EWS/"), Some(2));
}

#[test]
fn curl_include_with_the_url_on_the_command_line() {
    let text = "$ curl -i https://mail.contoso.com/EWS/Exchange.asmx\n\
                HTTP/1.1 503 Service Unavailable\nServer: Microsoft-HTTPAPI/2.0\n\n";
    let f = run(text);
    assert_eq!(
        f.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(),
        ["FB200", "FB204"]
    );
    assert_eq!(
        f[1].captures[&crate::capture::Key::EwsUrl],
        "https://mail.contoso.com/EWS/Exchange.asmx"
    );
    assert!(f[1].note.as_ref().unwrap().contains("503"));
    // Another URL, or IIS answering, is not FB204; a command with no answer is no request.
    let other = "PS C:\\> curl.exe -i https://www.contoso.com/\nHTTP/1.1 503 Service Unavailable\nServer: Microsoft-HTTPAPI/2.0\n";
    assert_eq!(codes(other), ["FB200"]);
    let iis = "curl -i https://mail.contoso.com/EWS/Exchange.asmx\nHTTP/1.1 401 Unauthorized\nServer: Microsoft-IIS/10.0\n";
    assert_eq!(codes(iis), ["FB200"]);
    assert!(run(
        "Try: curl -i https://mail.contoso.com/EWS/Exchange.asmx\nthen read the headers.\n"
    )
    .is_empty());
}

#[test]
fn invoke_webrequest_objects() {
    // PowerShell 7: StatusCode first, then RawContent with the status line and headers.
    let ps7 = "PS> Invoke-WebRequest -Uri https://mail.contoso.com/EWS/Exchange.asmx -SkipHttpErrorCheck\n\n\
               StatusCode        : 503\nStatusDescription : Service Unavailable\n\
               RawContent        : HTTP/1.1 503 Service Unavailable\n                    Server: Microsoft-HTTPAPI/2.0\n\n\
               Headers           : {[Server, System.String[]]}\n";
    assert_eq!(codes(ps7), ["FB200", "FB204"]);
    // Windows PowerShell 5.1: the Headers dictionary, or an HttpWebResponse (Server before
    // StatusCode, the status by name).
    let headers = "PS> iwr 'https://autodiscover.contoso.com/autodiscover/autodiscover.svc' -UseBasicParsing\n\
                   StatusCode : 404\nHeaders    : {[Content-Length, 315], [Server, Microsoft-HTTPAPI/2.0]}\n";
    let f = run(headers);
    assert_eq!(
        f.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(),
        ["FB200", "FB204"]
    );
    assert!(f[1].note.as_ref().unwrap().contains("404"));
    let response = "PS> try { Invoke-WebRequest -Uri https://mail.contoso.com/EWS/Exchange.asmx } catch { $_.Exception.Response | fl }\n\
                    Server      : Microsoft-HTTPAPI/2.0\nStatusCode  : ServiceUnavailable\n";
    // The finding goes on the Server line, above the status.
    let f = run(response);
    assert_eq!(
        f.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(),
        ["FB204", "FB200"]
    );
    assert!(f[0].note.as_ref().unwrap().contains("503"));
    let iis = "PS> Invoke-WebRequest -Uri https://mail.contoso.com/EWS/Exchange.asmx\nStatusCode : 200\nHeaders : {[Server, Microsoft-IIS/10.0]}\n";
    assert_eq!(codes(iis), ["FB200"]);
}
