//! Captured values as a type. `build.rs` generates `enum Key` from `knowledge/captures.toml`: the
//! names a signature hole, a fix placeholder and a finding's captures share, the regex of a hole,
//! and what a value must look like before it is written into a command.
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

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
        static VALID: LazyLock<Vec<Regex>> = LazyLock::new(|| {
            Key::ALL
                .iter()
                .map(|k| Regex::new(k.valid()).expect("captures.toml: `valid` must compile"))
                .collect()
        });
        let i = Key::ALL.iter().position(|k| *k == self).unwrap_or(0);
        VALID[i].is_match(value)
    }
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
        }
    }

    #[test]
    fn each_example_is_a_value_its_key_accepts_and_its_hole_matches_whole() {
        for k in Key::ALL {
            assert!(k.accepts(k.example()), "{k}: `example` fails `valid`");
            if let Some(hole) = k.hole() {
                let whole = Regex::new(&format!("^(?:{hole})$")).unwrap();
                assert!(whole.is_match(k.example()), "{k}: `example` fails `hole`");
            }
        }
    }
}
