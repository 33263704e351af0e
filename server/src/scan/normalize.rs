//! A matching view of the text: line breaks (with the next line's indentation), `<br>` tags and
//! common XML/HTML entities are removed or decoded, so that a message wrapped by a console or
//! embedded in an EWS response reads as one run. A blank line becomes `BREAK`, which no pattern
//! crosses: paragraphs are separate events. Offsets map back to the original text.
//!
//! Real logs carry the same messages in other clothes, undone here too: stack frames between
//! the parts of an exception (`   at System.Net...`, `--- End of inner exception stack trace ---`)
//! are dropped with their lines; JSON string escapes (`\r\n`, `\"`, `\u0027`, `\/`) and a CSV
//! field's doubled quotes (`""`) are decoded.

/// Stands for one or more blank lines; patterns never match it.
pub const BREAK: char = '\0';

/// A stretch of the normalized text and where it came from.
#[derive(Debug, Clone, Copy)]
struct Seg {
    norm: usize,
    orig: usize,
    /// One decoded character standing for an entity of `orig..next.orig`.
    decoded: bool,
}

#[derive(Debug)]
pub struct Normalized {
    pub text: String,
    segs: Vec<Seg>,
    /// Normalized offsets where a line break was removed, in order.
    joins: Vec<usize>,
    /// Stack frames removed: where in the view, and their original bytes (frames can name the
    /// free/busy code they ran in, context for a generic message).
    pub frames: Vec<(usize, std::ops::Range<usize>)>,
    orig_len: usize,
}

const ENTITIES: &[(&str, char)] = &[
    ("&quot;", '"'),
    ("&apos;", '\''),
    ("&#39;", '\''),
    ("&#34;", '"'),
    ("&lt;", '<'),
    ("&gt;", '>'),
    ("&amp;", '&'),
    ("&nbsp;", ' '),
];

/// JSON string escapes that stand for one character.
const ESCAPES: &[(&str, char)] = &[
    ("\\\"", '"'),
    ("\\\\", '\\'),
    ("\\/", '/'),
    ("\\t", ' '),
    ("\\u0027", '\''),
    ("\\u0022", '"'),
    ("\\u003c", '<'),
    ("\\u003e", '>'),
    ("\\u0026", '&'),
];

/// What one special sequence of the source becomes.
enum Step {
    /// Not special after all: copy it.
    Keep,
    /// Removed up to `.0` (a line break, a `<br>`): a join when `.1`.
    Drop(usize, bool),
    /// A line break and the stack-frame lines after it, removed up to `.0`: a join.
    Frames(usize),
    /// Replaced by one character, up to `.0`.
    Char(usize, char),
}

impl Normalized {
    pub fn new(src: &str) -> Normalized {
        let bytes = src.as_bytes();
        let mut text = String::with_capacity(src.len());
        let mut segs = vec![Seg {
            norm: 0,
            orig: 0,
            decoded: false,
        }];
        let mut joins = Vec::new();
        let mut frames = Vec::new();
        let mut copied_from = 0;
        let mut i = 0;
        // Two searches, each remembered until passed: linear however the bytes mix.
        let mut markup = memchr::memchr3(b'\n', b'<', b'&', bytes);
        let mut quoting = memchr::memchr2(b'\\', b'"', bytes);
        loop {
            if markup.is_some_and(|p| p < i) {
                markup = memchr::memchr3(b'\n', b'<', b'&', &bytes[i..]).map(|o| i + o);
            }
            if quoting.is_some_and(|p| p < i) {
                quoting = memchr::memchr2(b'\\', b'"', &bytes[i..]).map(|o| i + o);
            }
            let Some(at) = markup.into_iter().chain(quoting).min() else {
                break;
            };
            let step = match bytes[at] {
                b'\n' => line_break(bytes, at),
                b'<' => br_tag_len(&bytes[at..]).map_or(Step::Keep, |n| Step::Drop(at + n, false)),
                b'&' => decode(bytes, at, ENTITIES),
                b'\\' => match json_line_break(&bytes[at..]) {
                    Some(n) => Step::Drop(skip_indent(bytes, at + n), true),
                    None => decode(bytes, at, ESCAPES),
                },
                b'"' if bytes.get(at + 1) == Some(&b'"') => Step::Char(at + 2, '"'),
                _ => Step::Keep,
            };
            let (skip_to, decoded, join) = match step {
                Step::Keep => {
                    i = at + 1;
                    continue;
                }
                Step::Drop(to, join) => (to, None, join),
                Step::Frames(to) => {
                    frames.push((text.len(), at..to));
                    (to, None, true)
                }
                Step::Char(to, c) => (to, Some(c), false),
            };
            // A CR before the LF goes with it.
            let keep_to = if bytes[at] == b'\n' && at > copied_from && bytes[at - 1] == b'\r' {
                at - 1
            } else {
                at
            };
            text.push_str(&src[copied_from..keep_to]);
            if let Some(c) = decoded {
                segs.push(Seg {
                    norm: text.len(),
                    orig: at,
                    decoded: true,
                });
                text.push(c);
            } else if join {
                joins.push(text.len());
            }
            segs.push(Seg {
                norm: text.len(),
                orig: skip_to,
                decoded: false,
            });
            copied_from = skip_to;
            i = skip_to;
        }
        text.push_str(&src[copied_from..]);
        Normalized {
            text,
            segs,
            joins,
            frames,
            orig_len: src.len(),
        }
    }

    fn seg_index(&self, norm: usize) -> usize {
        self.segs
            .partition_point(|s| s.norm <= norm)
            .saturating_sub(1)
    }

    /// Original offset of the character that starts at normalized offset `norm`.
    pub fn start(&self, norm: usize) -> usize {
        let s = self.segs[self.seg_index(norm)];
        if s.decoded {
            s.orig
        } else {
            s.orig + (norm - s.norm)
        }
    }

    /// Original offset just past the character that ends at normalized offset `norm`.
    pub fn end(&self, norm: usize) -> usize {
        if norm == 0 {
            return 0;
        }
        let i = self.seg_index(norm - 1);
        let s = self.segs[i];
        if s.decoded {
            self.segs.get(i + 1).map_or(self.orig_len, |n| n.orig)
        } else {
            s.orig + (norm - s.norm)
        }
    }

    /// How many removed line breaks lie in `from..to` (normalized offsets).
    pub fn joins_between(&self, from: usize, to: usize) -> usize {
        let a = self.joins.partition_point(|&j| j < from);
        let b = self.joins.partition_point(|&j| j <= to);
        b.saturating_sub(a)
    }

    /// The first removed line break strictly inside `from..to` (normalized offsets).
    pub fn join_within(&self, from: usize, to: usize) -> Option<usize> {
        let i = self.joins.partition_point(|&j| j <= from);
        self.joins.get(i).copied().filter(|&j| j < to)
    }
}

/// Cuts `src` into pieces of about `size` bytes (or more) at paragraph breaks, just after the
/// blank lines (and the next line's indentation) that the view turns into `BREAK`. Normalizing
/// each piece alone gives the view of the whole, piece by piece: no step of `Normalized::new`
/// reaches across blank lines, and a piece ends with the `BREAK` the whole has there.
pub fn pieces(src: &str, size: usize) -> Vec<std::ops::Range<usize>> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut from = size.max(1);
    while from < bytes.len() {
        let Some(nl) = memchr::memchr(b'\n', &bytes[from..]).map(|o| from + o) else {
            break;
        };
        match skip_blank_lines(bytes, nl) {
            Some(cut) if cut < bytes.len() => {
                out.push(start..cut);
                start = cut;
                from = cut + size.max(1);
            }
            Some(_) => break,
            None => from = nl + 1,
        }
    }
    out.push(start..bytes.len());
    out
}

/// The line break at `at`: a paragraph break before blank lines; else a join that also drops
/// the next line's indentation and any stack-frame lines that follow.
fn line_break(bytes: &[u8], at: usize) -> Step {
    let mut nl = at;
    loop {
        if let Some(end) = skip_blank_lines(bytes, nl) {
            return if nl == at {
                Step::Char(end, BREAK)
            } else {
                // Frames end the paragraph: drop them, keep the break after them.
                Step::Frames(nl)
            };
        }
        let j = skip_indent(bytes, nl + 1);
        if !is_frame(&bytes[j..]) {
            return if nl == at {
                Step::Drop(j, true)
            } else {
                Step::Frames(j)
            };
        }
        match memchr::memchr(b'\n', &bytes[j..]) {
            Some(o) => nl = j + o,
            None => return Step::Frames(bytes.len()),
        }
    }
}

/// Whether a line starts with a stack frame (`at Namespace.Type.Method(`, Swedish `vid`/`på`,
/// German `bei`) or an `--- End of ... stack trace ---` marker. Looks at a bounded prefix.
fn is_frame(line: &[u8]) -> bool {
    const WORDS: &[&str] = &["at ", "vid ", "p\u{e5} ", "bei "];
    const MAX: usize = 512;
    if line.starts_with(b"--- ") {
        let end =
            memchr::memchr(b'\n', &line[..line.len().min(MAX)]).unwrap_or(line.len().min(MAX));
        return line[..end].trim_ascii_end().ends_with(b"---");
    }
    let Some(w) = WORDS.iter().find(|w| starts_with_ci(line, w)) else {
        return false;
    };
    let rest = &line[w.len()..line.len().min(MAX)];
    let name = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || b"_.`<>$[],".contains(b)))
        .unwrap_or(rest.len());
    rest[..name].contains(&b'.') && rest.get(name) == Some(&b'(')
}

/// Length of a JSON-escaped line break (`\r\n`, `\n`) at the start of `b`.
fn json_line_break(b: &[u8]) -> Option<usize> {
    if b.starts_with(b"\\r\\n") {
        Some(4)
    } else if b.starts_with(b"\\n") {
        Some(2)
    } else {
        None
    }
}

/// One of `table`'s sequences at `at`, as its character.
fn decode(bytes: &[u8], at: usize, table: &[(&str, char)]) -> Step {
    table
        .iter()
        .find(|(e, _)| starts_with_ci(&bytes[at..], e))
        .map_or(Step::Keep, |(e, c)| Step::Char(at + e.len(), *c))
}

/// When the line break at `at` starts one or more blank lines, where the next text line starts.
fn skip_blank_lines(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    let mut blank = false;
    loop {
        let j = skip_indent(bytes, i);
        match bytes.get(j) {
            Some(b'\n') => {
                blank = true;
                i = j + 1;
            }
            Some(b'\r') if bytes.get(j + 1) == Some(&b'\n') => {
                blank = true;
                i = j + 2;
            }
            _ => return blank.then_some(j),
        }
    }
}

fn skip_indent(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// Length of `<br>`, `<br/>` or `<br />` at the start of `b`.
fn br_tag_len(b: &[u8]) -> Option<usize> {
    if !starts_with_ci(b, "<br") {
        return None;
    }
    let mut i = 3;
    while i < b.len() && matches!(b[i], b' ' | b'/') {
        i += 1;
    }
    (b.get(i) == Some(&b'>')).then_some(i + 1)
}

fn starts_with_ci(b: &[u8], pat: &str) -> bool {
    // Patterns are ASCII but for `på`: compare bytes, ASCII case folded.
    b.len() >= pat.len() && b[..pat.len()].eq_ignore_ascii_case(pat.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_wrapped_lines_and_maps_back() {
        let src = "Proxy web req\r\n   uest failed";
        let n = Normalized::new(src);
        assert_eq!(n.text, "Proxy web request failed");
        let at = n.text.find("uest").unwrap();
        assert_eq!(&src[n.start(at)..n.end(at + 4)], "uest");
        assert_eq!(n.end(n.text.len()), src.len());
    }

    #[test]
    fn decodes_entities_and_drops_br() {
        let src = "reason=&quot;The token&quot;<br/>x &amp; y";
        let n = Normalized::new(src);
        assert_eq!(n.text, "reason=\"The token\"x & y");
        let q = n.text.find('"').unwrap();
        assert_eq!(&src[n.start(q)..n.end(q + 1)], "&quot;");
        let last = n.text.rfind('"').unwrap();
        assert_eq!(
            &src[n.start(0)..n.end(last + 1)],
            "reason=&quot;The token&quot;"
        );
    }

    #[test]
    fn blank_lines_become_one_break_and_joins_are_kept() {
        let src = "a\n  b\n\n \r\nc";
        let n = Normalized::new(src);
        assert_eq!(n.text, "ab\0c");
        assert_eq!(n.join_within(0, 2), Some(1));
        assert_eq!(n.join_within(1, 2), None);
        assert_eq!(&src[n.start(3)..], "c");
    }

    /// Every character of the view maps back to the same character of the source.
    fn maps_exactly(src: &str, n: &Normalized) {
        for (at, c) in n.text.char_indices() {
            if c == BREAK {
                continue;
            }
            let orig = &src[n.start(at)..n.end(at + c.len_utf8())];
            let plain = orig == c.to_string();
            assert!(plain || orig.len() > 1, "{c:?} at {at} maps to {orig:?}");
        }
    }

    #[test]
    fn drops_stack_frames_between_parts() {
        let src = "Proxy web request failed.\r\n   at Microsoft.Exchange.InfoWorker.Common.Availability.ProxyWebRequest.EndInvoke(IAsyncResult asyncResult)\r\n   vid System.Net.HttpWebRequest.GetResponse()\n   --- End of inner exception stack trace ---\nInner exception: x\nat the end (not a frame)";
        let n = Normalized::new(src);
        assert_eq!(
            n.text,
            "Proxy web request failed.Inner exception: xat the end (not a frame)"
        );
        maps_exactly(src, &n);
        let x = n.text.find(": x").unwrap() + 2;
        assert_eq!(&src[n.start(x)..n.end(x + 1)], "x");
        assert_eq!(n.joins_between(0, x), 1);
    }

    #[test]
    fn decodes_json_escapes_and_doubled_quotes() {
        let src = r#"{"m":"reason=\"The token\";\r\n   at https:\/\/x \u0027h\u0027"} "a ""quoted"" word""#;
        let n = Normalized::new(src);
        assert_eq!(
            n.text,
            r#"{"m":"reason="The token";at https://x 'h'"} "a "quoted" word""#
        );
        maps_exactly(src, &n);
        let q = n.text.find("'h'").unwrap();
        assert_eq!(&src[n.start(q)..n.end(q + 3)], r"\u0027h\u0027");
        assert_eq!(n.end(n.text.len()), src.len());
    }

    #[test]
    fn leaves_other_markup_alone() {
        let n = Normalized::new("<MessageText>a &x b</MessageText>");
        assert_eq!(n.text, "<MessageText>a &x b</MessageText>");
    }
}
