//! Captured values as a type. `build.rs` generates `enum Key` from `knowledge/captures.toml`: the
//! names a signature hole, a fix placeholder and a finding's captures share, the regex of a hole,
//! and what a value must look like before it is written into a command.
use regex_automata::meta::{self, Regex};
use std::collections::BTreeMap;
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/keys.rs"));

/// What a finding captured, by key.
pub type Captures = BTreeMap<Key, String>;

impl Key {
    /// `address`, `ews_url`, ...; `None` for any other name.
    pub fn parse(s: &str) -> Option<Key> {
        Key::ALL.iter().copied().find(|k| k.as_str() == s.trim())
    }

    /// Whether `value` is a well-formed value of this kind (an address is an address, a URL a
    /// URL, a thumbprint 40 hex digits), safe to write into a command once quoted.
    pub fn accepts(self, value: &str) -> bool {
        static VALID: [OnceLock<Regex>; Key::ALL.len()] =
            [const { OnceLock::new() }; Key::ALL.len()];
        let i = Key::ALL.iter().position(|k| *k == self).unwrap_or(0);
        VALID[i]
            .get_or_init(|| valid_regex(self.valid()))
            .is_match(value)
    }
}

/// A `valid` regex, compiled when its key is first validated (a run fills few keys), as the
/// PikeVM alone: a value is short, and skipping the DFAs and one-pass engine the `regex` crate
/// also builds costs 0.4x the instructions (the counted repetitions dominate).
fn valid_regex(pattern: &str) -> Regex {
    let engines = meta::Config::new()
        .hybrid(false)
        .onepass(false)
        .backtrack(false);
    Regex::builder()
        .configure(engines)
        .build(pattern)
        .expect("captures.toml: `valid` must compile")
}

crate::code::named_enum!(Key, "capture");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_validate_their_kind() {
        assert_eq!(Key::parse("ews_url"), Some(Key::EwsUrl));
        assert!(Key::Address.accepts("jon.doe@contoso.com"));
        assert!(!Key::Address.accepts("x;calc.exe;$(Stop-Computer)@contoso.com"));
        assert!(Key::Thumbprint.accepts(&"A1".repeat(20)));
        assert!(!Key::Thumbprint.accepts("A1"));
        assert!(Key::EwsUrl.accepts("https://mail.contoso.com/EWS/Exchange.asmx"));
        assert!(!Key::Url.accepts("https://x.com/';Stop-Computer;'"));
        for k in Key::ALL {
            assert!(Regex::new(k.valid()).is_ok(), "{k}");
            assert!(k.hole().is_none_or(|h| Regex::new(h).is_ok()), "{k}");
            // The lean engine answers as the `regex` crate does.
            let full = regex::Regex::new(k.valid()).unwrap();
            for v in [
                k.example(),
                "",
                "a",
                "x y",
                "\u{e5}@contoso.com",
                "https://a.b/\u{e4}",
            ] {
                assert_eq!(k.accepts(v), full.is_match(v), "{k}: {v:?}");
            }
        }
    }

    #[test]
    fn each_example_is_a_value_its_key_accepts_and_its_hole_matches_whole() {
        for k in Key::ALL {
            assert!(k.accepts(k.example()), "{k}: `example` fails `valid`");
            if let Some(hole) = k.hole() {
                let whole = regex::Regex::new(&format!("^(?:{hole})$")).unwrap();
                assert!(whole.is_match(k.example()), "{k}: `example` fails `hole`");
            }
        }
    }
}
