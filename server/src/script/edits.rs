//! The one edit kit every script rule's fix goes through: insert statements, remove statements or
//! parameters, replace values, extend a hashtable list. Every edit keeps the document's line
//! ending (the break of the line it touches, else the document's first, else `\n`) and the
//! indentation of the statement it stands beside, so a fix never writes LF into a CRLF script.
use crate::finding::Edit;
use std::ops::Range;

/// The nearest char boundary at or before `at`, within the text.
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Where the line holding `at` starts.
pub fn line_start(text: &str, at: usize) -> usize {
    let at = boundary(text, at);
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Where the line holding `at` ends: before its `\r\n` or `\n`, or the end of the text.
pub fn line_end(text: &str, at: usize) -> usize {
    let at = boundary(text, at);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if end > at && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// The line break to write near `at`: the one ending that line, else the document's first one,
/// else `\n`.
pub fn line_break(text: &str, at: usize) -> &'static str {
    let end = line_end(text, at);
    let crlf = match &text[end..] {
        "" => text
            .find('\n')
            .is_some_and(|i| i > 0 && &text[i - 1..i] == "\r"),
        rest => rest.starts_with("\r\n"),
    };
    if crlf {
        "\r\n"
    } else {
        "\n"
    }
}

/// The blanks that start the line holding `at`.
pub fn indent(text: &str, at: usize) -> &str {
    let start = line_start(text, at);
    let line = &text[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// Whether `at` is the first thing on its line (only blanks before it).
fn first_on_line(text: &str, at: usize) -> bool {
    let at = boundary(text, at);
    text[line_start(text, at)..at].trim().is_empty()
}

/// Replaces `range` with `text`.
pub fn replace(range: Range<usize>, text: impl Into<String>) -> Edit {
    Edit {
        range,
        text: text.into(),
    }
}

/// Adds `lines` as statements after `statement`: on lines of their own below the line where it
/// ends, indented like its first line; or after `; ` when more code follows it on that line.
pub fn insert_after(text: &str, statement: Range<usize>, lines: &[String]) -> Edit {
    let end = boundary(text, statement.end);
    let eol = line_end(text, end);
    let rest = text[end..eol].trim_start();
    if !rest.is_empty() && !rest.starts_with('#') {
        return replace(end..end, format!("; {}", lines.join("; ")));
    }
    let brk = line_break(text, end);
    let pad = indent(text, statement.start);
    let body: String = lines.iter().map(|l| format!("{brk}{pad}{l}")).collect();
    replace(eol..eol, body)
}

/// Adds `lines` as statements before `statement`: on lines of their own above it when it starts
/// its line, else before it with `; `.
pub fn insert_before(text: &str, statement: Range<usize>, lines: &[String]) -> Edit {
    let at = boundary(text, statement.start);
    if !first_on_line(text, at) {
        return replace(at..at, format!("{}; ", lines.join("; ")));
    }
    let brk = line_break(text, at);
    let pad = indent(text, at);
    let body: String = lines.iter().map(|l| format!("{l}{brk}{pad}")).collect();
    replace(at..at, body)
}

/// Replaces `statement` with `lines`: one per line at its indentation when it starts its line,
/// else joined with `; `.
pub fn replace_statement(text: &str, statement: Range<usize>, lines: &[String]) -> Edit {
    let sep = if first_on_line(text, statement.start) {
        format!(
            "{}{}",
            line_break(text, statement.start),
            indent(text, statement.start)
        )
    } else {
        "; ".to_string()
    };
    replace(statement, lines.join(&sep))
}

/// The whole lines `statement` fills alone, with their line break, when nothing else (but blanks
/// or a comment-free end) shares them.
pub fn own_lines(text: &str, statement: Range<usize>) -> Option<Range<usize>> {
    let start = line_start(text, statement.start);
    let end = line_end(text, statement.end);
    let alone = text.get(start..statement.start)?.trim().is_empty()
        && text.get(statement.end..end)?.trim().is_empty();
    let rest = text.get(end..)?;
    let brk = if rest.starts_with("\r\n") {
        2
    } else {
        usize::from(rest.starts_with('\n'))
    };
    (alone && brk > 0).then_some(start..end + brk)
}

/// Moves `statement` after `target`: its own lines removed, the same text inserted after `target`.
/// `None` when the statement shares its lines with other code.
pub fn move_after(text: &str, statement: Range<usize>, target: Range<usize>) -> Option<Vec<Edit>> {
    let lines = own_lines(text, statement.clone())?;
    let moved = text.get(statement)?.to_string();
    Some(vec![
        replace(lines, ""),
        insert_after(text, target, &[moved]),
    ])
}

/// Removes a parameter (from its `-Name` to the end of its value) with the blanks before it; on
/// a continued line (`` ` `` at the end of the line before), the continuation too.
pub fn remove_param(text: &str, param: Range<usize>) -> Edit {
    let bytes = text.as_bytes();
    let back = |mut i: usize, set: &[u8]| {
        while i > 0 && set.contains(&bytes[i - 1]) {
            i -= 1;
        }
        i
    };
    let start = back(boundary(text, param.start), b" \t");
    let mut brk = start;
    if brk > 0 && bytes[brk - 1] == b'\n' {
        brk -= 1;
        if brk > 0 && bytes[brk - 1] == b'\r' {
            brk -= 1;
        }
    }
    if brk < start && brk > 0 && bytes[brk - 1] == b'`' {
        return replace(back(brk - 1, b" \t")..param.end, "");
    }
    replace(start..param.end, "")
}

/// Adds ` -Name value` at the end of a command.
pub fn add_param(command: &Range<usize>, name: &str, value: &str) -> Edit {
    let end = command.end;
    replace(end..end, format!(" -{name} {value}"))
}

/// A PowerShell string literal for `s`: single-quoted, `'` (and its typographic twins, which
/// PowerShell also takes as quotes) doubled. Nothing in it is expanded or run.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// `word` written where `written` stood, in the same quotes (`"x"`, `'x'`); a bare word stays
/// bare unless it needs quotes (a space) or `quote_bare` (inside a hashtable, where it would not
/// parse).
pub fn same_quotes(written: &str, word: &str, quote_bare: bool) -> String {
    match written.chars().next() {
        Some(q @ ('"' | '\'')) => format!("{q}{word}{q}"),
        _ if quote_bare || word.contains(char::is_whitespace) => format!("\"{word}\""),
        _ => word.to_string(),
    }
}

/// `@{add=...}` for a multi-valued property: adds `items` (written as they are) to the list.
pub fn add_to_list(items: &[String]) -> String {
    format!("@{{add={}}}", items.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::apply_edits;

    fn apply(text: &str, edit: Edit) -> String {
        apply_edits(text, vec![edit])
    }

    #[test]
    fn insert_after_keeps_crlf_and_indentation() {
        let text = "if ($x) {\r\n    Set-A -B 1\r\n}\r\n";
        let at = text.find("Set-A").unwrap();
        let stmt = at..at + "Set-A -B 1".len();
        let lines = ["Set-C".to_string(), "Set-D".to_string()];
        assert_eq!(
            apply(text, insert_after(text, stmt, &lines)),
            "if ($x) {\r\n    Set-A -B 1\r\n    Set-C\r\n    Set-D\r\n}\r\n"
        );
    }

    #[test]
    fn insert_after_last_line_without_break_uses_the_documents_break() {
        let text = "Get-X\r\nSet-A";
        let stmt = 7..12;
        assert_eq!(
            apply(text, insert_after(text, stmt, &["Set-B".into()])),
            "Get-X\r\nSet-A\r\nSet-B"
        );
        assert_eq!(
            apply("Set-A", insert_after("Set-A", 0..5, &["Set-B".into()])),
            "Set-A\nSet-B"
        );
    }

    #[test]
    fn insert_after_joins_with_semicolon_when_code_follows() {
        let text = "Set-A; Get-B\n";
        assert_eq!(
            apply(text, insert_after(text, 0..5, &["Set-C".into()])),
            "Set-A; Set-C; Get-B\n"
        );
        let commented = "Set-A # note\n";
        assert_eq!(
            apply(commented, insert_after(commented, 0..5, &["Set-C".into()])),
            "Set-A # note\nSet-C\n"
        );
    }

    #[test]
    fn insert_before_and_replace_statement_follow_the_line() {
        let text = "  Set-A\r\n";
        assert_eq!(
            apply(text, insert_before(text, 2..7, &["Set-P".into()])),
            "  Set-P\r\n  Set-A\r\n"
        );
        let lines = ["One".to_string(), "Two".to_string()];
        assert_eq!(
            apply(text, replace_statement(text, 2..7, &lines)),
            "  One\r\n  Two\r\n"
        );
        let shared = "Get-X; Set-A\n";
        assert_eq!(
            apply(shared, replace_statement(shared, 7..12, &lines)),
            "Get-X; One; Two\n"
        );
    }

    #[test]
    fn move_after_moves_whole_lines_only() {
        let text = "Set-A\r\nSet-B\r\nSet-C\r\n";
        let edits = move_after(text, 0..5, 14..19).unwrap();
        assert_eq!(apply_edits(text, edits), "Set-B\r\nSet-C\r\nSet-A\r\n");
        assert!(move_after("Get-X; Set-A\n", 7..12, 0..5).is_none());
    }

    #[test]
    fn remove_param_takes_blanks_and_continuations() {
        let text = "Set-A -B 1 -C 2\n";
        let c = text.find("-C").unwrap();
        assert_eq!(apply(text, remove_param(text, c..c + 4)), "Set-A -B 1\n");
        let cont = "Set-A -B 1 `\r\n    -C 2\r\n";
        let c = cont.find("-C").unwrap();
        assert_eq!(apply(cont, remove_param(cont, c..c + 4)), "Set-A -B 1\r\n");
    }

    #[test]
    fn quoting_doubles_every_quote_kind() {
        assert_eq!(quote("a'b"), "'a''b'");
        assert_eq!(quote("x;$(Stop-Computer)"), "'x;$(Stop-Computer)'");
        assert_eq!(quote("a\u{2019}b"), "'a\u{2019}\u{2019}b'");
        assert_eq!(same_quotes("'x'", "y z", false), "'y z'");
        assert_eq!(same_quotes("x", "y z", false), "\"y z\"");
        assert_eq!(same_quotes("x", "y", true), "\"y\"");
        assert_eq!(same_quotes("x", "y", false), "y");
    }

    #[test]
    fn positions_out_of_range_or_inside_a_char_are_clamped() {
        let text = "Sät-A";
        let e = insert_after(text, 0..2, &["X".into()]);
        assert!(text.is_char_boundary(e.range.start));
        let e = insert_after(text, 0..99, &["X".into()]);
        assert_eq!(e.range, text.len()..text.len());
    }
}
