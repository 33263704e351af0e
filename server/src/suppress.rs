//! Suppression comments, honoured in every kind of document:
//! `# freebusy-lsp: disable-next-line FB105[, FB106]` and `# freebusy-lsp: disable FB109` (file).
use crate::code::Code;
use crate::finding::Finding;
use crate::lines::LineIndex;

pub const MARK: &str = "freebusy-lsp:";

/// Drops the findings a suppression comment covers.
pub fn apply(text: &str, findings: &mut Vec<Finding>) {
    if !text.contains(MARK) {
        return;
    }
    let mut file_wide: Vec<Option<Vec<Code>>> = Vec::new();
    let mut next_line: Vec<(usize, Option<Vec<Code>>)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find(MARK) else { continue };
        if !line[..at].trim_end().ends_with('#') {
            continue;
        }
        let rest = line[at + MARK.len()..].trim();
        if let Some(codes) = rest.strip_prefix("disable-next-line") {
            next_line.push((i + 1, codes_in(codes)));
        } else if let Some(codes) = rest.strip_prefix("disable") {
            file_wide.push(codes_in(codes));
        }
    }
    let lines = LineIndex::new(text);
    findings.retain(|f| {
        let line = lines.line(f.range.start);
        let hit = |codes: &Option<Vec<Code>>| codes.as_ref().is_none_or(|c| c.contains(&f.code));
        !file_wide.iter().any(hit) && !next_line.iter().any(|(l, codes)| *l == line && hit(codes))
    });
}

/// Codes listed after the directive (unknown ones cover nothing); `None`, none written: every code.
fn codes_in(s: &str) -> Option<Vec<Code>> {
    let words: Vec<&str> = s
        .split([',', ' ', '\t'])
        .filter(|w| !w.is_empty())
        .collect();
    (!words.is_empty()).then(|| words.into_iter().filter_map(Code::parse).collect())
}

/// The comment line that suppresses `code` on `line`, indented like it (insert it above).
pub fn comment_line(line: &str, code: Code) -> String {
    let indent: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    format!("{indent}# {MARK} disable-next-line {code}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_line_and_file_wide() {
        let text = "# freebusy-lsp: disable-next-line FB113\niisreset\niisreset\n# freebusy-lsp: disable FB109\n";
        let second = text.find("iisreset\n# f").unwrap();
        let mut f = vec![
            Finding::new(Code::FB113, 40..48),
            Finding::new(Code::FB113, second..second + 8),
            Finding::new(Code::FB109, 0..1),
        ];
        apply(text, &mut f);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].range.start, second);
        let comment = comment_line("    iisreset", Code::FB113);
        assert_eq!(comment, "    # freebusy-lsp: disable-next-line FB113\n");
    }
}
