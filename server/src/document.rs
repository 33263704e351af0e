//! What a document is, from its name and its content (never from an editor's language id):
//! a PowerShell script gets fixes inserted in place; anything else (a log, pasted output, notes)
//! gets a remediation script beside it.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    PowerShell,
    Text,
}

const SCRIPT_EXTENSIONS: &[&str] = &["ps1", "psm1", "psd1"];

/// Decides from the path (or URI) and, when the name says nothing, the first lines of content.
pub fn kind(path: &str, text: &str) -> DocKind {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    if let Some((_, ext)) = name.rsplit_once('.') {
        let ext = ext.to_ascii_lowercase();
        if SCRIPT_EXTENSIONS.contains(&ext.as_str()) {
            return DocKind::PowerShell;
        }
        if matches!(ext.as_str(), "log" | "txt" | "md" | "csv" | "xml" | "json") {
            return DocKind::Text;
        }
    }
    if looks_like_powershell(text) {
        DocKind::PowerShell
    } else {
        DocKind::Text
    }
}

/// Most non-blank lines of the first 50 are PowerShell statements or comments.
fn looks_like_powershell(text: &str) -> bool {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(50)
        .collect();
    if lines.is_empty() {
        return false;
    }
    let script = lines.iter().filter(|l| is_statement(l)).count();
    script * 10 >= lines.len() * 8
}

fn is_statement(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    if line.starts_with('#')
        || line.starts_with('$')
        || line.starts_with('}')
        || line.starts_with('{')
    {
        return true;
    }
    if [
        "function ",
        "param",
        "if ",
        "foreach",
        "try",
        "catch",
        "import-module",
    ]
    .iter()
    .any(|k| lower.starts_with(k))
    {
        return true;
    }
    // Verb-Noun cmdlet at the start of the line.
    let word = line.split_whitespace().next().unwrap_or("");
    match word.split_once('-') {
        Some((verb, noun)) => {
            verb.len() >= 2
                && verb.chars().all(|c| c.is_ascii_alphabetic())
                && verb.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && !noun.is_empty()
                && noun.chars().all(|c| c.is_ascii_alphanumeric())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_then_content() {
        assert_eq!(kind("file:///x/fix.PS1", ""), DocKind::PowerShell);
        assert_eq!(kind("/x/trace.log", "Get-AuthConfig"), DocKind::Text);
        assert_eq!(
            kind("untitled:1", "Get-AuthConfig | FL\n$x = 1\n# note"),
            DocKind::PowerShell
        );
        assert_eq!(
            kind("untitled:1", "2024-01-01 Proxy web request failed."),
            DocKind::Text
        );
    }
}
