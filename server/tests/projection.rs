//! The matcher searches ASCII ranges with each regex's ASCII projection (`scan/ascii.rs`) and
//! the rest with the regex as written: on ASCII texts made of every signature's fragments the
//! two find the same matches and captures, and texts with Swedish letters, curly quotes or a
//! Kelvin sign are still found as the Unicode regexes find them.
use freebusy_lsp::knowledge;
use freebusy_lsp::scan::Matcher;

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// An ASCII value for the hole `name`: well formed, a placeholder or a near miss.
fn value(rng: &mut Rng, name: &str) -> String {
    let good = match name {
        "*" => ["", " x: y ", "\n  at Foo.Bar()\n"][rng.below(3)],
        "address" => "user1@contoso.com",
        "url" => "https://mail.contoso.com/EWS/Exchange.asmx",
        "thumbprint" => "0123456789abcdef0123456789ABCDEF01234567",
        _ => "mail.contoso.com",
    };
    match rng.below(6) {
        0 => "<smtp address>".into(),
        1 => "@".into(),
        _ => good.into(),
    }
}

/// Between fragments: spacing, line breaks, paragraph breaks, joins of nested exceptions,
/// markers, the letters with non-ASCII case variants (`k`, `s`), and bytes a window counts.
fn noise(rng: &mut Rng) -> String {
    let options = [
        " ",
        "\n",
        "\n\n",
        ".,; ",
        " ---> ",
        ", inner exception: ",
        "System.Net.WebException: ",
        " GetUserAvailability ",
        " https://mail.contoso.com/EWS/Exchange.asmx ",
        "\n   at System.Net.HttpWebRequest.GetResponse()\n",
        "K s k S",
        "{}<>@'\"",
        "&amp; <br>",
        "::::::::",
        "Exception: ",
    ];
    options[rng.below(options.len())].to_string()
}

/// `pattern` (the signature language) written out in ASCII: holes filled, letters outside
/// ASCII replaced (a near miss) or dropped, case flipped here and there, maybe cut.
fn render(rng: &mut Rng, pattern: &str) -> String {
    let chars: Vec<char> = pattern.trim().chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let (true, Some(close)) = (c == '{', chars[i..].iter().position(|&x| x == '}')) {
            let name: String = chars[i + 1..i + close].iter().collect();
            out.push_str(&value(rng, &name));
            i += close + 1;
            continue;
        }
        match c {
            c if !c.is_ascii() => {
                if rng.below(2) == 0 {
                    out.push('a');
                }
            }
            c if rng.below(6) == 0 => out.push(c.to_ascii_uppercase()),
            ' ' if rng.below(8) == 0 => out.push_str("\n "),
            c => out.push(c),
        }
        i += 1;
    }
    if rng.below(4) == 0 {
        let cut = rng.below(out.len() + 1);
        out.truncate(cut);
    }
    out
}

/// The catalog's examples with letters outside ASCII (each one found), then examples with
/// curly quotes and a Kelvin sign in place of straight quotes and a `K`.
fn non_ascii_texts() -> (Vec<String>, Vec<String>) {
    let catalog = knowledge::catalog();
    let examples = || (catalog.entries().iter()).flat_map(|e| e.examples.iter().map(|x| &x.text));
    let swedish = examples().filter(|t| !t.is_ascii()).cloned().collect();
    let quoted = (examples().filter(|t| t.contains('\'') || t.contains('K')))
        .map(|t| t.replace('\'', "\u{2019}").replacen('K', "\u{212a}", 1))
        .collect();
    (swedish, quoted)
}

#[test]
fn ascii_texts_match_as_with_the_unicode_regexes() {
    let projected = Matcher::builtin().unwrap();
    let unicode = Matcher::builtin().unwrap().unicode_only();
    let signatures: Vec<&str> = (knowledge::embedded_signatures().iter())
        .map(|s| s.2)
        .collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut matches = 0;
    // Sparse texts go through the windows, dense ones (many candidates) through the one
    // alternation; `find_all_in_one_pass` takes the one alternation whatever the text.
    for (texts, pieces) in [(120, 3), (12, 400)] {
        for _ in 0..texts {
            let mut text = String::new();
            for _ in 0..1 + rng.below(pieces) {
                let signature = signatures[rng.below(signatures.len())];
                text.push_str(&render(&mut rng, signature));
                for _ in 0..rng.below(3) {
                    text.push_str(&noise(&mut rng));
                }
            }
            assert!(text.is_ascii());
            let got = projected.find_all(&text);
            assert_eq!(got, unicode.find_all(&text), "{text:?}");
            assert_eq!(
                projected.find_all_in_one_pass(&text),
                unicode.find_all_in_one_pass(&text),
                "{text:?}"
            );
            matches += got.len();
        }
    }
    assert!(matches > 1000, "{matches}");
}

#[test]
fn non_ascii_texts_are_found_as_the_unicode_regexes_find_them() {
    let projected = Matcher::builtin().unwrap();
    let unicode = Matcher::builtin().unwrap().unicode_only();
    let (swedish, quoted) = non_ascii_texts();
    assert!(
        swedish.len() > 20 && quoted.len() > 10,
        "{} {}",
        swedish.len(),
        quoted.len()
    );
    for text in &swedish {
        let got = projected.find_all(text);
        assert!(!got.is_empty(), "{text}");
        assert_eq!(got, unicode.find_all(text), "{text}");
    }
    let mut found = 0;
    for text in &quoted {
        let got = projected.find_all(text);
        assert_eq!(got, unicode.find_all(text), "{text}");
        found += usize::from(!got.is_empty());
    }
    assert!(found * 2 > quoted.len(), "{found}");
    let texts: Vec<&String> = swedish.iter().chain(&quoted).collect();
    // Together, with ASCII logs between them: the one alternation over a non-ASCII text.
    let mut all = String::new();
    for (i, text) in texts.iter().enumerate() {
        all.push_str(text);
        all.push_str(if i % 2 == 0 {
            "\n"
        } else {
            " GetUserAvailability ok\n"
        });
    }
    let got = projected.find_all_in_one_pass(&all);
    assert!(got.len() >= swedish.len());
    assert_eq!(got, unicode.find_all_in_one_pass(&all));
    assert_eq!(projected.find_all(&all), got);
}
