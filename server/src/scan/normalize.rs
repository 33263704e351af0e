//! A matching view of the text: line breaks (with the next line's indentation), `<br>` tags and
//! common XML/HTML entities are removed or decoded, so that a message wrapped by a console or
//! embedded in an EWS response reads as one run. A blank line becomes `BREAK`, which no pattern
//! crosses: paragraphs are separate events. Offsets map back to the original text.

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
        let mut copied_from = 0;
        let mut i = 0;
        while let Some(off) = memchr::memchr3(b'\n', b'<', b'&', &bytes[i..]) {
            let at = i + off;
            let (skip_to, decoded) = match bytes[at] {
                b'\n' => match skip_blank_lines(bytes, at) {
                    Some(end) => (end, Some(BREAK)),
                    None => (skip_indent(bytes, at + 1), None),
                },
                b'<' => match br_tag_len(&bytes[at..]) {
                    Some(len) => (at + len, None),
                    None => {
                        i = at + 1;
                        continue;
                    }
                },
                _ => match ENTITIES
                    .iter()
                    .find(|(e, _)| starts_with_ci(&bytes[at..], e))
                {
                    Some((e, c)) => (at + e.len(), Some(*c)),
                    None => {
                        i = at + 1;
                        continue;
                    }
                },
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
            } else if bytes[at] == b'\n' {
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

    #[test]
    fn leaves_other_markup_alone() {
        let n = Normalized::new("<MessageText>a &x b</MessageText>");
        assert_eq!(n.text, "<MessageText>a &x b</MessageText>");
    }
}
