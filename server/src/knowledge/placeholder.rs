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

/// Where a placeholder stands in PowerShell text: bare, or inside a quoted string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quotes {
    Bare,
    Single,
    Double,
}

impl Quotes {
    /// The state after reading `text` from this one (backtick escapes; `''` and `""` inside a
    /// string are escaped quotes, which two toggles reproduce).
    pub fn after(self, text: &str) -> Quotes {
        let mut state = self;
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            state = match (state, c) {
                (Quotes::Bare | Quotes::Double, '`') => {
                    chars.next();
                    state
                }
                (Quotes::Bare, '\'' | '\u{2018}' | '\u{2019}') => Quotes::Single,
                (Quotes::Bare, '"' | '\u{201C}' | '\u{201D}') => Quotes::Double,
                (Quotes::Single, '\'' | '\u{2018}' | '\u{2019}') => Quotes::Bare,
                (Quotes::Double, '"' | '\u{201C}' | '\u{201D}') => Quotes::Bare,
                _ => state,
            };
        }
        state
    }
}

/// Placeholders standing bare but glued to other text (`{{address|<x>}}:\Calendar`): a quoted
/// value there would not be one argument. The data quotes the whole argument instead.
pub fn glued(run: &str) -> Vec<&str> {
    let segments = parse(run);
    let mut quotes = Quotes::Bare;
    let mut out = Vec::new();
    for (i, seg) in segments.iter().enumerate() {
        match seg {
            Segment::Text(t) => quotes = quotes.after(t),
            Segment::Value { name, default } if !name.is_empty() && quotes == Quotes::Bare => {
                let before = match i.checked_sub(1).map(|j| &segments[j]) {
                    Some(Segment::Text(t)) => t.chars().last(),
                    _ => None,
                };
                let after = match segments.get(i + 1) {
                    Some(Segment::Text(t)) => t.chars().next(),
                    _ => None,
                };
                let open = before.is_none_or(|c| c.is_whitespace() || "(,={".contains(c));
                let close = after.is_none_or(|c| c.is_whitespace() || "),;}".contains(c));
                if !(open && close) {
                    out.push(*default);
                }
            }
            Segment::Value { .. } => {}
        }
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
