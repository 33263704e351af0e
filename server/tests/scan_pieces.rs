//! The scanner matches a large text piece by piece (cut after blank lines, each piece normalized
//! alone, pieces shared among threads): the findings must be those of one pass over the whole,
//! on every fixture and on generated texts, with pieces forced down to one paragraph each.
mod support;

use freebusy_lsp::finding::Finding;
use freebusy_lsp::scan::scanner;
use support::fixture::{self, parse};

fn whole(text: &str) -> Vec<Finding> {
    scanner().scan_pieces(text, usize::MAX, &|| false).unwrap()
}

fn assert_pieces_agree(name: &str, text: &str) -> usize {
    let want = whole(text);
    for piece in [1, 7, 100, 4096] {
        let got = scanner().scan_pieces(text, piece, &|| false).unwrap();
        assert_eq!(got, want, "{name}: pieces of {piece} bytes");
    }
    assert_eq!(scanner().scan(text), want, "{name}: the default pieces");
    want.len()
}

/// The fixtures' texts, each alone.
fn fixtures() -> Vec<(String, String)> {
    fixture::analysis_files()
        .iter()
        .map(|p| {
            let text = parse(&std::fs::read_to_string(p).unwrap()).text;
            (p.display().to_string(), text)
        })
        .collect()
}

#[test]
fn every_fixture_alone_and_all_together() {
    let fixtures = fixtures();
    let mut found = 0;
    for (name, text) in &fixtures {
        found += assert_pieces_agree(name, text);
    }
    assert!(found > 100, "the fixtures hold findings ({found})");
    // Back to back, with the blank lines (LF, CRLF, indented) that cut pieces between them.
    let seps = ["\n\n", "\r\n\r\n", "\n   \n\t", "\n\n\n"];
    let all: String = fixtures
        .iter()
        .enumerate()
        .map(|(i, (_, t))| format!("{t}{}", seps[i % seps.len()]))
        .collect();
    assert_pieces_agree("all fixtures", &all);
}

/// Lines from the fixtures with paragraph breaks, stack frames, entities and escapes around
/// them, in a random order.
fn generated() -> impl Iterator<Item = String> {
    let fixtures = fixtures();
    let mut lines: Vec<String> = fixtures
        .iter()
        .flat_map(|(_, t)| t.lines().map(str::to_string))
        .filter(|l| !l.trim().is_empty())
        .collect();
    lines.extend(
        [
            "   at Microsoft.Exchange.InfoWorker.Common.Availability.ProxyWebRequest.EndInvoke(IAsyncResult r)",
            "   --- End of inner exception stack trace ---",
            "GetUserAvailability failed &quot;x&quot;<br/>",
            r#"{"m":"Proxy web request failed.\r\n   at https:\/\/mail.contoso.com\/EWS\/Exchange.asmx"}"#,
        ]
        .map(str::to_string),
    );
    let breaks = [
        "\n",
        "\r\n",
        "\n\n",
        "\r\n\r\n",
        "\n  \n",
        "\n\t\n\n   ",
        " ",
    ];
    let mut seed = 0x2545_F491_4F6C_DD1D_u64;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    (0..60).map(move |_| {
        let mut text = String::new();
        for _ in 0..200 {
            text.push_str(&lines[next(lines.len())]);
            text.push_str(breaks[next(breaks.len())]);
        }
        text
    })
}

#[test]
fn generated_texts() {
    let mut found = 0;
    for (i, text) in generated().enumerate() {
        found += assert_pieces_agree(&format!("generated text {i}"), &text);
    }
    assert!(found > 1000, "the texts hold findings ({found})");
}
