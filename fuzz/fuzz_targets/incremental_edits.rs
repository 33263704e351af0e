//! Incremental re-analysis against the full analysis: the input is a text, a 0xFF byte, then
//! edits; after each edit (or a burst, coalesced) the updated findings must equal a full
//! analysis of the new text, finding for finding.
//!
//! An edit is 4 bytes and its text: where (2 bytes, scaled to the text), how much to delete
//! (its top bits pick short or long), what to insert (0..=191: that many bytes of the input as
//! text; above: a piece of log text, possibly repeated so that windows are exercised), and
//! whether it ends a burst. Texts stay under 64 KiB (more costs time, not cases).
#![no_main]
use freebusy_lsp::analysis::{analyse, Options};
use freebusy_lsp::document::DocKind;
use freebusy_lsp::incremental::{self, Change};
use libfuzzer_sys::fuzz_target;

const PIECES: &[&str] = &[
    "\n",
    "\r\n",
    "\n\n",
    "é日🙂\u{feff}",
    "#Fields: date time s-ip cs-method cs-uri-stem sc-status cs(User-Agent) time-taken\n",
    "DateTime,RequestId,UrlStem,UserAgent,HttpStatus,TotalRequestTime\n",
    "2024-05-03 07:00:01 10.0.0.5 POST /EWS/Exchange.asmx 503 ASProxy/CrossForest/EmailDomain 40000\n",
    "2024-05-03T07:02:19.001Z,1,/EWS/Exchange.asmx,ASAutoDiscover/CrossForest/EmailDomain,401,35000\n",
    "PS C:\\> Get-OrganizationRelationship | FL\n",
    "TargetAddressDomains : {contoso.com}\nEnabled : True\n",
    "ResultType : Error\nDetail : The token has an invalid signature.\n",
    "# freebusy-lsp: disable FB090\n",
    "HTTP/1.1 503 Service Unavailable\nServer: Microsoft-HTTPAPI/2.0\n\n",
    "Proxy web request failed. , inner exception: System.Net.WebException: Unable to connect to the remote server\n",
    "Configuration information for forest/domain contoso.ro could not be found in Active Directory.\n",
    "Microsoft.Exchange.Security.OAuth.OAuthTokenRequestFailedException: Missing signing certificate.\n",
];

fn floor(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `state` updated by `change` into `text`, asserted equal to a full analysis of `text`.
fn checked(
    state: &incremental::Analysed,
    change: Change,
    text: &str,
    opts: &Options,
) -> incremental::Analysed {
    let rope = ropey::Rope::from_str(text);
    let next = incremental::update(state, change, &rope, opts, &|| false).unwrap();
    let full = analyse(DocKind::Text, text, None, opts).0;
    assert_eq!(**next.findings(), full, "incremental differs from full");
    next
}

fuzz_target!(
    init: {
        analyse(DocKind::Text, "", None, &Options::default());
    },
    |data: &[u8]| {
        let split = data.iter().position(|&b| b == 0xFF).unwrap_or(data.len());
        let mut text = String::from_utf8_lossy(&data[..split]).into_owned();
        let mut ops = data.get(split + 1..).unwrap_or_default();
        let opts = Options::default();
        let mut state = incremental::full(DocKind::Text, &text, None, &opts, &|| false).unwrap();
        let mut change: Option<Change> = None;
        while let [hi, lo, del, what, rest @ ..] = ops {
            let at = floor(&text, (usize::from(*hi) << 8 | usize::from(*lo)) * (text.len() + 1) / 65536);
            let del = match del >> 6 {
                0..=2 => usize::from(del & 63),
                _ => usize::from(del & 63) * 512,
            };
            let end = floor(&text, at + del);
            let (insert, rest) = if *what < 192 {
                let n = usize::from(*what).min(rest.len());
                (String::from_utf8_lossy(&rest[..n]).into_owned(), &rest[n..])
            } else {
                let piece = PIECES[usize::from(what - 192) % PIECES.len()];
                let times = if what & 1 == 1 { 1 + text.len() % 64 } else { 1 };
                (piece.repeat(times), rest)
            };
            ops = rest;
            if text.len() + insert.len() > 1 << 16 {
                continue; // a bigger text costs time, not cases
            }
            let c = Change::new(at..end, insert.len());
            text.replace_range(at..end, &insert);
            change = Some(change.map_or(c, |old| old.then(c)));
            if lo & 1 == 0 {
                state = checked(&state, change.take().unwrap(), &text, &opts);
            }
        }
        if let Some(c) = change {
            checked(&state, c, &text, &opts);
        }
    }
);
