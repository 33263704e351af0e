//! FB119: `PsExec ... iexplore.exe`, the article's way to test outbound access from the System
//! account. Internet Explorer is retired and may not start at all, so the test proves nothing; the
//! fix runs the same PsExec with `powershell.exe -NoExit -Command "Invoke-WebRequest -Uri '<url>'
//! -UseBasicParsing"`, one statement per URL the line named (else the article's, as the card's fix
//! lists them), through the edit kit so that the document keeps its line endings.
use crate::code::Code;
use crate::finding::{Finding, Suggestion};
use crate::knowledge::Catalog;
use crate::script::edits;
use crate::script::model::{Command, Script, Value};

/// The query selects every PsExec; those that start Internet Explorer are flagged.
pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        let args = arguments(cmd);
        let Some(ie) = args.iter().find(|v| is_iexplore(script, v)) else {
            continue;
        };
        let mut f = Finding::new(Code::FB119, ie.range.clone());
        f.note = Some(
            "Internet Explorer is retired: test the URLs from the System account with Invoke-WebRequest instead."
                .into(),
        );
        f.suggestions
            .extend(web_request_fix(script, cmd, ie, &args));
        out.push(f);
    }
}

/// Parameter values and positionals in source order (PsExec's `-s` takes no value, but the
/// parser cannot know and binds the program to it).
fn arguments(cmd: &Command) -> Vec<&Value> {
    let mut args: Vec<&Value> = cmd.values().collect();
    args.sort_by_key(|v| v.range.start);
    args
}

fn is_iexplore(script: &Script, v: &Value) -> bool {
    let Some(s) = script.literal(v) else {
        return false;
    };
    let file = s.trim().rsplit(['\\', '/']).next().unwrap_or("");
    file.eq_ignore_ascii_case("iexplore") || file.eq_ignore_ascii_case("iexplore.exe")
}

/// Replaces the statement with one `PsExec ... powershell.exe -NoExit -Command
/// "Invoke-WebRequest -Uri '<url>' -UseBasicParsing"` per URL: those the line named, else the
/// card's. `-UseBasicParsing` because Windows PowerShell 5.1's default parser is Internet
/// Explorer's; `-NoExit` keeps the window open to read the answer in.
fn web_request_fix(
    script: &Script,
    cmd: &Command,
    ie: &Value,
    args: &[&Value],
) -> Option<Suggestion> {
    let range = if cmd.stage == 0 {
        cmd.statement.clone()
    } else {
        cmd.range.clone()
    };
    let mut urls: Vec<&str> = args
        .iter()
        .filter(|v| v.range.start > ie.range.start)
        .filter_map(|v| script.literal(v))
        .map(str::trim)
        .filter(|s| insertable_url(s))
        .collect();
    let title = if urls.is_empty() {
        urls = card_urls(script.catalog);
        "Test the article's URLs with Invoke-WebRequest as SYSTEM"
    } else {
        "Test the URL with Invoke-WebRequest as SYSTEM"
    };
    let head = script
        .text
        .get(range.start..ie.range.start)
        .unwrap_or("PsExec.exe -i -s ")
        .trim_end();
    let head = with_flags(head, cmd);
    let lines: Vec<String> = urls
        .iter()
        .map(|u| {
            format!(
                "{head} powershell.exe -NoExit -Command \"Invoke-WebRequest -Uri {} -UseBasicParsing\"",
                edits::quote(u)
            )
        })
        .collect();
    (!lines.is_empty()).then(|| Suggestion {
        title: title.into(),
        edits: vec![edits::replace_statement(script.text, range, &lines)],
    })
}

/// The Federation Gateway and OAuth URLs the card's fix tests (`-Uri '<url>'` in its commands):
/// the ones the article has a System-account browser open, written down once, in the card.
fn card_urls(catalog: &Catalog) -> Vec<&str> {
    let Some(card) = catalog.get(Code::FB119) else {
        return Vec::new();
    };
    card.fixes
        .iter()
        .flat_map(|f| &f.steps)
        .filter_map(|s| s.run.as_deref())
        .flat_map(|run| run.split("-Uri '").skip(1))
        .filter_map(|rest| rest.split('\'').next())
        .filter(|u| insertable_url(u))
        .collect()
}

/// An http(s) URL that can stand single-quoted inside the double-quoted `-Command` string as
/// written: printable ASCII without `"`, `$` or `` ` `` (which the outer string would end or
/// expand) and without blanks.
fn insertable_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && s.chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '$' | '`'))
}

/// The PsExec part of the line, with `-i` (a window to read the answer in) and `-s` (the
/// System account) added when missing.
fn with_flags(head: &str, cmd: &Command) -> String {
    let has = |flag: &str| cmd.params.iter().any(|p| p.name.eq_ignore_ascii_case(flag));
    let mut head = head.to_string();
    for flag in ["i", "s"] {
        if !has(flag) {
            head.push_str(" -");
            head.push_str(flag);
        }
    }
    head
}

#[cfg(test)]
mod tests {
    use crate::code::Code;

    fn fixed(text: &str) -> String {
        crate::script::rules::fixed(text, Code::FB119)
    }

    #[test]
    fn fix_on_a_crlf_script_writes_crlf() {
        let text = "# test\r\n    PsExec.exe -s iexplore.exe\r\nGet-Date\r\n";
        let after = fixed(text);
        assert_eq!(after.matches("Invoke-WebRequest").count(), 5);
        assert_eq!(after.matches('\n').count(), after.matches("\r\n").count());
        let lines: Vec<&str> = after.split("\r\n").collect();
        assert_eq!(lines.len(), 8);
        assert!(lines[1..6]
            .iter()
            .all(|l| l.starts_with("    PsExec.exe -s -i powershell.exe -NoExit")));
        assert_eq!(lines[6], "Get-Date");
    }

    #[test]
    fn the_cards_urls_are_the_default() {
        let urls = super::card_urls(crate::knowledge::catalog());
        assert_eq!(urls.len(), 5, "{urls:?}");
        assert!(urls.contains(&"https://login.microsoftonline.com/extSTS.srf"));
    }

    #[test]
    fn urls_that_would_break_the_command_are_not_written() {
        let text = "PsExec -i -s iexplore.exe 'https://a.example/?x=$env:COMPUTERNAME'\n";
        let after = fixed(text);
        assert!(!after.contains("$env"), "{after}");
        assert!(after.contains("'https://login.microsoftonline.com/extSTS.srf'"));
        let quoted = "PsExec -i -s iexplore.exe \"https://a.example/it's\"\n";
        assert!(fixed(quoted).contains("-Uri 'https://a.example/it''s' -UseBasicParsing"));
    }
}
