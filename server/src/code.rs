//! Codes as a type. `build.rs` generates `enum Code` from the data files, one variant per entry,
//! so a code without a card cannot be written. Strings exist only at the edges: data files, the
//! CLI, the LSP, suppression comments; they come in through `Code::parse`.
use crate::knowledge::{Kind, Severity};

include!(concat!(env!("OUT_DIR"), "/codes.rs"));

impl Code {
    /// `FB012` (any case, surrounding blanks ignored); `None` for anything else.
    pub fn parse(s: &str) -> Option<Code> {
        let s = s.trim();
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
    }
}

/// `FB003, FB007`: codes for people to read.
pub fn list(codes: &[Code]) -> String {
    codes
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `Display`, `Serialize` and `Deserialize` through `as_str` and `parse`: a generated enum is
/// written as its name at every edge (data files, JSON, messages).
macro_rules! named_enum {
    ($t:ty, $what:literal) => {
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$t, D::Error> {
                let s = String::deserialize(d)?;
                <$t>::parse(&s).ok_or_else(|| {
                    serde::de::Error::custom(format!(concat!("unknown ", $what, " {}"), s))
                })
            }
        }
    };
}
pub(crate) use named_enum;

named_enum!(Code, "code");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_carry_their_data() {
        assert_eq!(Code::parse(" fb012 "), Some(Code::FB012));
        assert_eq!(Code::parse("FB999"), None);
        assert_eq!(Code::FB113.kind(), Kind::Script);
        assert_eq!(Code::FB090.default_severity(), Severity::Information);
        for c in Code::ALL {
            assert_eq!(Code::parse(c.as_str()), Some(*c));
        }
    }
}
