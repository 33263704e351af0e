//! `{{name|<default>}}` placeholders in a step's `run` text.

/// A piece of a command: literal text, or a value to fill in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    /// `name` is a capture name (`address`, `ews_url`, ...) or empty; `default` is shown when unfilled.
    Value {
        name: &'a str,
        default: &'a str,
    },
}

/// Capture names a placeholder may use (what the scanner can extract).
pub const CAPTURE_NAMES: &[&str] = &[
    "address",
    "domain",
    "host",
    "url",
    "ews_url",
    "autodiscover_url",
    "server",
    "thumbprint",
    "ip",
    "status",
    "user_agent",
];

/// Splits `run` into segments. An unclosed `{{` is kept as text.
pub fn parse(run: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = run;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}") else {
            break;
        };
        if open > 0 {
            out.push(Segment::Text(&rest[..open]));
        }
        let inner = &rest[open + 2..open + close];
        let (name, default) = inner.split_once('|').unwrap_or(("", inner));
        out.push(Segment::Value {
            name: name.trim(),
            default,
        });
        rest = &rest[open + close + 2..];
    }
    if !rest.is_empty() {
        out.push(Segment::Text(rest));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_values_and_text() {
        let s = parse("Get-Mailbox {{address|<mailbox ID>}} | FL {{<x>}}");
        assert_eq!(
            s,
            vec![
                Segment::Text("Get-Mailbox "),
                Segment::Value {
                    name: "address",
                    default: "<mailbox ID>"
                },
                Segment::Text(" | FL "),
                Segment::Value {
                    name: "",
                    default: "<x>"
                },
            ]
        );
    }
}
