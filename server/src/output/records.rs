//! Pasted cmdlet output as records of named fields: Format-List blocks (`Name : value`, values
//! wrapped onto indented lines) and Format-Table blocks (a header, a dashes line, rows).
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    /// Trimmed; wrapped lines joined with a space.
    pub value: String,
    /// The whole `Name : value` text (first line) or the table cell.
    pub range: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Record {
    pub fields: Vec<Field>,
    pub range: Range<usize>,
    /// The command of the `PS ...> Command` line before the block, as typed, if any.
    pub command: Option<String>,
}

impl Record {
    pub fn get(&self, name: &str) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

/// The lines of `text` from `at` to the next blank line (included, or the text's end), with
/// their byte offsets and without line ends, into `out`; returns where the next window starts.
/// No block crosses a blank line, so windows are read one at a time.
fn window<'t>(text: &'t str, mut at: usize, out: &mut Vec<(usize, &'t str)>) -> usize {
    out.clear();
    let bytes = text.as_bytes();
    while at < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
        let line = text[at..end].trim_end_matches(['\n', '\r']);
        out.push((at, line));
        at = end;
        if line.trim().is_empty() {
            break;
        }
    }
    at
}

/// `Name : value` with a property-like name (no spaces); the value may be empty.
fn fl_line(line: &str) -> Option<(&str, &str, usize)> {
    // The name starts the line with a letter.
    if !line.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let colon = memchr::memchr(b':', line.as_bytes())?;
    let name = line[..colon].trim_end();
    let namelike = name.len() <= 60
        && name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c == b'-');
    // `C:\path`, `https://`, timestamps: not properties.
    let rest = &line[colon + 1..];
    let not_path = !rest.starts_with('\\') && !rest.starts_with("//") && name.len() > 1;
    (namelike && not_path).then(|| (name, rest.trim(), colon))
}

/// The command of a prompt line: `PS C:\> Get-X`, or the Exchange Management Shell's
/// `[PS] C:\Windows\system32>Get-X` (no space after `>`).
pub fn prompt(line: &str) -> Option<String> {
    let t = line.trim_start();
    if !(t.starts_with("PS ") || t.starts_with("PS>") || t.starts_with("[PS]")) {
        return None;
    }
    let at = t.find('>')?;
    Some(t[at..].trim_start_matches('>').trim().to_string())
}

/// Every record in `text`, in order.
#[cfg(test)]
fn parse(text: &str) -> Vec<Record> {
    parse_kept(text, |_| true, |_| true, &|| false).unwrap()
}

/// The records of `text` that `keep` wants (judged paragraph by paragraph, so that the others
/// are never all held at once); `None` once `stop()` says so (asked every 256 paragraphs).
/// `keep` wants no record without a field whose name `named` passes: those are not even built.
pub fn parse_kept(
    text: &str,
    named: impl Fn(&str) -> bool,
    keep: impl Fn(&Record) -> bool,
    stop: &dyn Fn() -> bool,
) -> Option<Vec<Record>> {
    let mut out = Vec::new();
    let mut command = None;
    let mut lines = Vec::new();
    let mut at = 0;
    let mut n = 0u32;
    while at < text.len() {
        n = n.wrapping_add(1);
        if n.is_multiple_of(256) && stop() {
            return None;
        }
        let next = window(text, at, &mut lines);
        let before = out.len();
        let mut i = 0;
        while i < lines.len() {
            let (_, line) = lines[i];
            if let Some(c) = prompt(line) {
                command = Some(c);
                i += 1;
                continue;
            }
            if let Some(n) = table(&lines, i, next, (&command, &named), &mut out) {
                i = n;
                continue;
            }
            if fl_line(line).is_some() {
                i = list(&lines, i, next, (&command, &named), &mut out);
                continue;
            }
            i += 1;
        }
        if out[before..].iter().any(|r| !keep(r)) {
            let new: Vec<Record> = out.drain(before..).filter(|r| keep(r)).collect();
            out.extend(new);
        }
        at = next;
    }
    Some(out)
}

/// The command above a block, and which field names make a record worth building.
type Context<'c> = (&'c Option<String>, &'c dyn Fn(&str) -> bool);

/// A Format-List block from line `i`; returns the line after it.
fn list(
    lines: &[(usize, &str)],
    mut i: usize,
    len: usize,
    (command, named): Context,
    out: &mut Vec<Record>,
) -> usize {
    // The block's extent first, and whether it makes a record worth building.
    let (mut to, mut count, mut wanted) = (i, 0, false);
    while to < lines.len() {
        let line = lines[to].1;
        if line.trim().is_empty() || prompt(line).is_some() {
            break;
        }
        if let Some((name, _, _)) = fl_line(line) {
            count += 1;
            wanted |= named(name);
        } else if !line.starts_with(char::is_whitespace) {
            break;
        }
        to += 1;
    }
    if !wanted || !(count >= 2 || (count == 1 && command.is_some())) {
        return to;
    }
    let start = lines[i].0;
    let mut fields: Vec<Field> = Vec::new();
    while i < to {
        let (at, line) = lines[i];
        if line.trim().is_empty() || prompt(line).is_some() {
            break;
        }
        if let Some((name, value, _)) = fl_line(line) {
            fields.push(Field {
                name: name.to_string(),
                value: value.to_string(),
                range: at..at + line.trim_end().len(),
            });
        } else if line.starts_with(char::is_whitespace) {
            // A wrapped value goes on, indented.
            if let Some(last) = fields.last_mut() {
                if !last.value.is_empty() {
                    last.value.push(' ');
                }
                last.value.push_str(line.trim());
            }
        } else {
            break;
        }
        i += 1;
    }
    let end = lines.get(i).map_or(len, |l| l.0);
    // One `Name : value` line is output only right under a command (`Get-AuthConfig | FL
    // ServiceName`); elsewhere it is as likely prose.
    if fields.len() >= 2 || (fields.len() == 1 && command.is_some()) {
        out.push(Record {
            fields,
            range: start..end,
            command: command.clone(),
        });
    }
    i
}

/// A Format-Table block whose header is line `i` (the next line is dashes); returns the line
/// after it, or `None` when line `i` does not start a table.
fn table(
    lines: &[(usize, &str)],
    i: usize,
    len: usize,
    (command, named): Context,
    out: &mut Vec<Record>,
) -> Option<usize> {
    let (_, header) = *lines.get(i)?;
    let (_, dashes) = *lines.get(i + 1)?;
    let cols = columns(dashes)?;
    if header.trim().is_empty() || cols.len() < 2 {
        return None;
    }
    // A cell runs from its column's start to the next column's start (the last to the line end).
    let cell = |line: &str, k: usize| -> Option<(usize, usize)> {
        let a = floor(line, cols[k].0.min(line.len()));
        let b = match cols.get(k + 1) {
            Some(next) => floor(line, next.0.min(line.len())),
            None => line.len(),
        };
        Some((a, b.max(a)))
    };
    let names: Vec<String> = (0..cols.len())
        .map(|k| {
            cell(header, k)
                .map(|(a, b)| header[a..b].trim().to_string())
                .unwrap_or_default()
        })
        .collect();
    let mut n = i + 2;
    let mut rows: Vec<Record> = Vec::new();
    let row =
        |n: usize| n < lines.len() && !lines[n].1.trim().is_empty() && prompt(lines[n].1).is_none();
    if !names.iter().any(|name| named(name)) {
        while row(n) {
            n += 1;
        }
        return Some(n);
    }
    while row(n) {
        let (at, line) = lines[n];
        let end = lines.get(n + 1).map_or(len, |l| l.0);
        let cells: Vec<(usize, usize)> = (0..names.len()).filter_map(|k| cell(line, k)).collect();
        // `Format-Table -Wrap`: a row whose first cell is blank goes on with the row above.
        let first_blank = cells
            .first()
            .is_none_or(|&(a, b)| line[a..b].trim().is_empty());
        if let (true, Some(row)) = (first_blank, rows.last_mut()) {
            for (field, &(a, b)) in row.fields.iter_mut().zip(&cells) {
                let more = line[a..b].trim();
                if !more.is_empty() {
                    if !field.value.is_empty() {
                        field.value.push(' ');
                    }
                    field.value.push_str(more);
                }
            }
            row.range.end = end;
            n += 1;
            continue;
        }
        let fields = names
            .iter()
            .zip(&cells)
            .map(|(name, &(a, b))| {
                // The cell's value, without the padding up to the next column.
                let raw = &line[a..b];
                let a = a + (raw.len() - raw.trim_start().len());
                let b = (a + raw.trim().len()).max(a);
                Field {
                    name: name.clone(),
                    value: line[a..b].to_string(),
                    range: at + a..at + b,
                }
            })
            .collect();
        rows.push(Record {
            fields,
            range: at..end,
            command: command.clone(),
        });
        n += 1;
    }
    out.extend(rows);
    Some(n)
}

/// Column spans of a `----  ---- --` line.
fn columns(line: &str) -> Option<Vec<(usize, usize)>> {
    if !matches!(line.as_bytes().first(), Some(b'-' | b' '))
        || !line.contains('-')
        || !line.chars().all(|c| c == '-' || c == ' ')
    {
        return None;
    }
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line.char_indices() {
        match (c, start) {
            ('-', None) => start = Some(i),
            (' ', Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, line.len()));
    }
    Some(out)
}

fn floor(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_wrap_and_tables_align() {
        let text = "PS C:\\> Get-FederationTrust | FL\nName                  : Microsoft Federation Gateway\nApplicationIdentifier : 292841\nApplicationUri        : outlook.live.com\nTokenIssuerUri        : urn:federation:MicrosoftOnline\n                        and more\n\nFolderName User      AccessRights\n---------- ----      ------------\nCalendar   Default   {None}\nCalendar   Anonymous {None}\n";
        let r = parse(text);
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].get("ApplicationIdentifier").unwrap().value, "292841");
        assert_eq!(
            r[0].get("TokenIssuerUri").unwrap().value,
            "urn:federation:MicrosoftOnline and more"
        );
        assert_eq!(r[0].command.as_deref(), Some("Get-FederationTrust | FL"));
        assert_eq!(r[1].get("User").unwrap().value, "Default");
        assert_eq!(r[1].get("AccessRights").unwrap().value, "{None}");
        assert_eq!(
            &text[r[2].get("AccessRights").unwrap().range.clone()],
            "{None}"
        );
    }

    #[test]
    fn prompts_single_fields_and_wrapped_rows() {
        let text = "[PS] C:\\Windows\\system32>Get-AuthConfig | FL ServiceName\n\nServiceName : 00000003-0000-0ff1-ce00-000000000000\n\nnote: unrelated\n";
        let r = parse(text);
        assert_eq!(r.len(), 2);
        assert_eq!(
            r[0].command.as_deref(),
            Some("Get-AuthConfig | FL ServiceName")
        );
        assert_eq!(
            r[0].get("ServiceName").unwrap().value,
            "00000003-0000-0ff1-ce00-000000000000"
        );
        // Without a command above, a lone `Name : value` line is prose.
        assert!(parse("note: unrelated\n").is_empty());

        let text = "Id              Type    Message\n--              ----    -------\nServiceEndpoint Error   Failed to communicate with\n                        https://login.microsoftonline.com/extSTS.srf.\nTokenRequest    Success Ok\n";
        let r = parse(text);
        assert_eq!(r.len(), 2);
        assert_eq!(
            r[0].get("Message").unwrap().value,
            "Failed to communicate with https://login.microsoftonline.com/extSTS.srf."
        );
        assert!(text[r[0].range.clone()].contains("extSTS"));
        assert_eq!(&text[r[0].get("Type").unwrap().range.clone()], "Error");
        assert_eq!(r[1].get("Id").unwrap().value, "TokenRequest");
    }

    #[test]
    fn ordinary_text_is_not_output() {
        assert!(
            parse("2024-05-03T07:02:19Z ERROR something\nnote: see C:\\logs\nhttps://x\n")
                .is_empty()
        );
    }
}
