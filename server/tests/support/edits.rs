//! Random edits for the incremental tests: a deterministic generator, mixed logs like
//! `bench/gen.py`'s, and the pieces of text an edit inserts.
use freebusy_lsp::knowledge::catalog;
use std::path::Path;

/// xorshift64*: small, deterministic, no dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<'a>(&mut self, xs: &'a [String]) -> &'a str {
        &xs[self.below(xs.len())]
    }
}

const W3C_HEAD: &str = "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2024-05-03 07:00:00\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken\n";
const CSV_HEAD: &str = "DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method,ProxyAction,TargetServer,TotalRequestTime\n";

/// One line of a mixed log, as `bench/gen.py` writes them (rows failing now and then).
pub fn log_line(rng: &mut Rng, n: usize, errors: &[String]) -> String {
    let ms = 1 + rng.below(40_000);
    let status = [200, 200, 200, 401, 503][rng.below(5)];
    match rng.below(6) {
        0 => format!("2024-05-03 07:{:02}:{:02} 10.0.0.5 POST /EWS/Exchange.asmx - 443 CONTOSO\\svc 10.0.1.{} ASProxy/CrossForest/EmailDomain//15.02 {status} 0 0 {ms}\n", n % 60, n % 57, n % 250),
        1 => format!("2024-05-03T07:02:{:02}.{:03}Z,{n:08x}-1111,15,2,1544,4,,Ews,mail.contoso.com,/EWS/Exchange.asmx,,Negotiate,true,CONTOSO\\svc,,,ASAutoDiscover/CrossForest/EmailDomain//15.02.1544.004,10.0.1.7,EXCH01,{status},200,,POST,Proxy,exch02.contoso.com,{ms}\n", n % 60, ms % 1000),
        2 => format!("2024-05-03T07:02:19.{:03}Z INFO  GetUserAvailability completed in {ms} ms\n", ms % 1000),
        3 => format!("RunspaceId : 5f1c{n:08x}\nIdentity   : Contoso to Office 365\nEnabled    : True\n\n"),
        4 => format!("2024-05-03T07:02:19.001Z ERROR {}\n", errors[rng.below(errors.len())]),
        _ => "\n".to_string(),
    }
}

/// A mixed log of about `size` bytes: both headers, rows, records, errors.
pub fn generated(rng: &mut Rng, size: usize, errors: &[String]) -> String {
    let mut s = String::new();
    let mut n = 0;
    while s.len() < size {
        match rng.below(60) {
            0 => s.push_str(W3C_HEAD),
            1 => s.push_str(CSV_HEAD),
            _ => s.push_str(&log_line(rng, n, errors)),
        }
        n += 1;
    }
    s
}

/// One CSV log of about `size` bytes (as the benchmark's: one header, then rows and records).
pub fn one_log(rng: &mut Rng, size: usize, errors: &[String]) -> String {
    let mut s = CSV_HEAD.to_string();
    let mut n = 0;
    while s.len() < size {
        s.push_str(&log_line(rng, n, errors));
        n += 1;
    }
    s
}

/// Text an edit inserts.
pub fn pieces(errors: &[String]) -> Vec<String> {
    let mut p: Vec<String> = [
        "x",
        "\n",
        "\r\n",
        "\n\n",
        " ",
        "é",
        "日本語",
        "\u{feff}",
        "🙂",
        ",",
        ":",
        "#",
        "\t",
        W3C_HEAD,
        CSV_HEAD,
        "#Fields: date time cs-uri-stem sc-status\n",
        "PS C:\\> Get-OrganizationRelationship | FL\n",
        "[PS] C:\\Windows\\system32>Get-AuthConfig\n",
        "TargetAddressDomains : {contoso.com}\nEnabled              : True\n",
        "DomainNames : {fabrikam.com}\nFreeBusyAccessEnabled : False\n",
        "ResultType : Error\nDetail : The token has an invalid signature.\n",
        "# freebusy-lsp: disable FB090\n",
        "# freebusy-lsp: disable-next-line\n",
        "HTTP/1.1 503 Service Unavailable\nServer: Microsoft-HTTPAPI/2.0\n\n",
        "POST /EWS/Exchange.asmx HTTP/1.1\nHost: mail.contoso.com\n",
        "Name    Enabled\n----    -------\nO365    False\n",
    ]
    .map(String::from)
    .to_vec();
    p.extend(errors.iter().map(|e| format!("{e}\n")));
    p
}

/// The catalog's example texts of error entries (single messages, some over several lines).
pub fn error_texts() -> Vec<String> {
    catalog()
        .entries()
        .iter()
        .flat_map(|e| &e.examples)
        .filter(|x| x.lang != "powershell" && x.text.len() < 2000)
        .map(|x| x.text.trim_end().to_string())
        .collect()
}

pub fn fixtures(dir: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// A random edit of `text` at character boundaries: `range` replaced by the returned text.
pub fn random_edit(
    rng: &mut Rng,
    text: &str,
    pieces: &[String],
) -> (std::ops::Range<usize>, String) {
    let at = floor(text, rng.below(text.len() + 1));
    let del = match rng.below(10) {
        0..=3 => 0,
        4..=7 => rng.below(40),
        8 => rng.below(400),
        _ => rng.below(6000),
    };
    let end = floor(text, (at + del).min(text.len()));
    let insert = match rng.below(10) {
        0..=2 => String::new(),
        _ => (0..1 + rng.below(3)).map(|_| rng.pick(pieces)).collect(),
    };
    (
        at..end,
        if at == end && insert.is_empty() {
            "x".into()
        } else {
            insert
        },
    )
}

pub fn floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
