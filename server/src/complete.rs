//! Completion and hover for the cmdlets the article uses, from the text around the cursor (not
//! the tree: while a line is being typed it rarely parses).
use crate::knowledge::{catalog, Cmdlet};
use crate::locale::text as ui;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Cmdlet,
    Parameter,
    Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    /// One line: where it runs, or which cmdlet the parameter belongs to.
    pub detail: String,
    /// Markdown.
    pub doc: String,
    /// The text the item replaces (the word being typed).
    pub replace: Range<usize>,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_' || c == '.' || c == ':'
}

/// The statement text before `offset` on its line: after the last `|`, `;`, `(` or `{`.
fn segment(text: &str, offset: usize) -> &str {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let cut = before.rfind(['|', ';', '(', '{']).map_or(0, |i| i + 1);
    // After an inline block comment (`<# note #> Cmd -Pa`), the statement starts again.
    let cut = before.rfind("#>").map_or(cut, |i| cut.max(i + 2));
    &before[cut..]
}

/// Completion items at `offset` (a byte offset on a char boundary), documented in `locale`.
pub fn complete(text: &str, offset: usize, locale: &str) -> Vec<Item> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return Vec::new();
    }
    let seg = segment(text, offset);
    let typed_len = seg
        .chars()
        .rev()
        .take_while(|c| is_word(*c))
        .map(char::len_utf8)
        .sum::<usize>();
    let typed = &seg[seg.len() - typed_len..];
    let replace = offset - typed_len..offset;
    let words: Vec<&str> = seg[..seg.len() - typed_len].split_whitespace().collect();
    let Some(first) = words.first() else {
        return cmdlets(typed, replace, locale);
    };
    let Some(cmdlet) = catalog().cmdlet(first) else {
        return Vec::new();
    };
    if let Some(name) = typed.strip_prefix('-') {
        return parameters(cmdlet, name, &words[1..], replace, locale);
    }
    match words.last() {
        Some(prev) if prev.starts_with('-') && words.len() > 1 => {
            values(cmdlet, &prev[1..], typed, replace, locale)
        }
        _ => Vec::new(),
    }
}

fn starts_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn cmdlets(typed: &str, replace: Range<usize>, locale: &str) -> Vec<Item> {
    catalog()
        .cmdlets()
        .iter()
        .filter(|c| starts_ci(&c.name, typed))
        .map(|c| Item {
            label: c.name.clone(),
            kind: ItemKind::Cmdlet,
            detail: c.shell.label_in(locale),
            doc: crate::render::cmdlet_card(c, locale),
            replace: replace.clone(),
        })
        .collect()
}

fn parameters(
    c: &Cmdlet,
    typed: &str,
    used: &[&str],
    replace: Range<usize>,
    locale: &str,
) -> Vec<Item> {
    let switch = format!(" ({})", ui(locale, "cmdlet.switch"));
    let used: Vec<String> = used
        .iter()
        .filter_map(|w| w.strip_prefix('-'))
        .map(|w| w.trim_end_matches(':').to_ascii_lowercase())
        .collect();
    c.params
        .iter()
        .filter(|p| !p.hidden && starts_ci(&p.name, typed))
        .filter(|p| !used.contains(&p.name.to_ascii_lowercase()))
        .map(|p| Item {
            label: format!("-{}", p.name),
            kind: ItemKind::Parameter,
            detail: format!(
                "{}{}",
                c.name,
                if p.value_type() == crate::knowledge::schema::ValueType::Switch {
                    switch.as_str()
                } else {
                    ""
                }
            ),
            doc: p.text.get(locale).cloned().unwrap_or_default(),
            replace: replace.clone(),
        })
        .collect()
}

fn values(c: &Cmdlet, param: &str, typed: &str, replace: Range<usize>, locale: &str) -> Vec<Item> {
    let Some(p) = c.param(param.trim_end_matches(':')) else {
        return Vec::new();
    };
    p.values
        .iter()
        .filter(|v| starts_ci(v, typed))
        .map(|v| Item {
            label: v.clone(),
            kind: ItemKind::Value,
            detail: format!("{} -{}", c.name, p.name),
            doc: p.text.get(locale).cloned().unwrap_or_default(),
            replace: replace.clone(),
        })
        .collect()
}

/// The card for the cmdlet or parameter under `offset` in `locale`, and the word's range.
pub fn hover(text: &str, offset: usize, locale: &str) -> Option<(String, Range<usize>)> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let start = offset
        - text[..offset]
            .chars()
            .rev()
            .take_while(|c| is_word(*c))
            .map(char::len_utf8)
            .sum::<usize>();
    let end = offset
        + text[offset..]
            .chars()
            .take_while(|c| is_word(*c))
            .map(char::len_utf8)
            .sum::<usize>();
    let word = text[start..end].trim_end_matches(':');
    if let Some(c) = catalog().cmdlet(word) {
        return Some((crate::render::cmdlet_card(c, locale), start..end));
    }
    let name = word.strip_prefix('-')?;
    let seg = segment(text, start);
    let cmdlet = catalog().cmdlet(seg.split_whitespace().next()?)?;
    let p = cmdlet.param(name)?;
    let mut card = format!(
        "**-{}** ({}){}\n\n",
        p.name,
        cmdlet.name,
        if p.value_type() == crate::knowledge::schema::ValueType::Switch {
            format!(", {}", ui(locale, "cmdlet.switch"))
        } else {
            String::new()
        }
    );
    card.push_str(p.text.get(locale).map_or("", String::as_str));
    if !p.values.is_empty() {
        card.push_str(&format!(
            "\n\n{} {}",
            ui(locale, "cmdlet.values"),
            p.values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(" · ")
        ));
    }
    Some((card, start..end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<String> {
        complete(text, text.len(), "en")
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    /// Plumbing parameters (`hidden = true`) bind but are never offered.
    #[test]
    fn hidden_parameters_are_not_offered() {
        let labels = labels("Get-MgUser -Pro");
        assert!(labels.contains(&"-Property".to_string()), "{labels:?}");
        assert!(
            !labels.iter().any(|l| l.starts_with("-Proxy")),
            "{labels:?}"
        );
    }

    #[test]
    fn hidden_parameters_bind_and_hover_but_are_not_offered() {
        let labels = labels("New-ExchangeCertificate -");
        assert!(labels.contains(&"-Services".to_string()));
        assert!(labels.contains(&"-IncludeAutoDiscover".to_string()));
        for hidden in ["-Instance", "-WhatIf", "-Confirm", "-DomainController"] {
            assert!(!labels.iter().any(|l| l == hidden), "{hidden} offered");
        }
        let typed = "New-ExchangeCertificate -Inst";
        assert!(complete(typed, typed.len(), "en").is_empty());
        let (card, _) = hover(typed, typed.len() - 1, "en").unwrap();
        assert!(card.starts_with("**-Instance**"));
        let cmdlet = catalog().cmdlet("New-ExchangeCertificate").unwrap();
        let card = crate::render::cmdlet_card(cmdlet, "en");
        assert!(card.contains("`-Services`") && !card.contains("`-Instance`"));
    }
}
