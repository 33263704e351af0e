//! Base-protocol framing (`Content-Length: N\r\n\r\n` + N bytes), read so that no input stops it.
//!
//! A buffer parser: bytes go in with `push` or are read straight into its buffer with
//! `read_from`, frames and complaints come out of `next_event`. A bad header is reported and
//! skipped; the reader then resynchronizes on the next `Content-Length:` header. A length over
//! `MAX_BODY` is refused before anything is allocated. A body that turns out to hold the start of the next frame (the length was a lie) ends there:
//! `Content-Length: 12\r` with a raw CR or LF can never be inside a JSON text (raw control
//! characters are not allowed in its strings, and letters are not allowed outside them), so
//! cutting there never splits a well-formed message.
use super::prefault::Prefault;
use memchr::memchr2_iter;
use std::io::{self, Read};

/// The largest body accepted (256 MiB).
pub const MAX_BODY: usize = 256 << 20;
/// A body this large gets a buffer of its own size, handed on as the frame without a copy.
const LARGE: usize = 1 << 20;
/// Headers longer than this are garbage.
const MAX_HEADER: usize = 8 << 10;
const NAME: &[u8] = b"content-length:";
/// The longest value of a `Content-Length` header found by searching (spaces and digits).
const VALUE: usize = 40;
/// Bytes kept while skipping, so that a header split across reads is still found: more than
/// the name, the value and the line end.
const KEEP: usize = 64;

#[derive(Debug, PartialEq, Eq)]
pub enum Event {
    /// A complete body (not yet known to be JSON).
    Frame(Vec<u8>),
    /// Something that is not a frame was skipped; the text says what.
    Bad(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Header,
    /// Waiting for a body of this many bytes; `scanned` bytes of it were searched for a header.
    Body {
        len: usize,
        scanned: usize,
    },
    /// Discarding bytes up to the next header.
    Skip,
}

pub struct FrameReader {
    /// Bytes read are `buf[..end]`; the rest is zeroed room to read into.
    buf: Vec<u8>,
    end: usize,
    /// Bytes of `buf` before `pos` are consumed.
    pos: usize,
    state: State,
    limit: usize,
    /// Faulting in a large body's buffer while it arrives (`prefault`); joined before the
    /// buffer moves or leaves.
    prefault: Option<Prefault>,
}

impl Drop for FrameReader {
    fn drop(&mut self) {
        self.wait_prefault();
    }
}

impl Default for FrameReader {
    fn default() -> Self {
        FrameReader::with_limit(MAX_BODY)
    }
}

impl FrameReader {
    /// A reader refusing bodies over `limit` bytes.
    pub fn with_limit(limit: usize) -> Self {
        FrameReader {
            buf: Vec::new(),
            end: 0,
            pos: 0,
            state: State::Header,
            limit,
            prefault: None,
        }
    }

    pub fn push(&mut self, bytes: &[u8]) {
        self.room(bytes.len()).copy_from_slice(bytes);
        self.end += bytes.len();
    }

    /// Reads once from `input` straight into the buffer, at most `wanted(most)` bytes: a large
    /// body arrives in the buffer it leaves in, uncopied. `Ok(0)` is the end of the input.
    pub fn read_from(&mut self, input: &mut impl Read, most: usize) -> io::Result<usize> {
        let want = self.wanted(most);
        let n = input.read(self.room(want))?;
        self.end += n.min(want);
        if let Some(p) = &self.prefault {
            p.filled(self.end);
        }
        Ok(n.min(want))
    }

    /// `n` bytes of room after the data, first dropping what was consumed if that is most.
    fn room(&mut self, n: usize) -> &mut [u8] {
        if self.pos > 0 && self.pos * 2 >= self.end {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
        }
        if self.buf.len() < self.end + n {
            self.wait_prefault();
            self.buf.resize(self.end + n, 0);
        }
        &mut self.buf[self.end..self.end + n]
    }

    /// How many bytes to read next: the rest of a large body (so that its buffer, sized for it
    /// once, is never outgrown and reallocated), else `most`.
    pub fn wanted(&self, most: usize) -> usize {
        match self.state {
            State::Body { len, .. } if len >= LARGE => {
                (len + self.pos).saturating_sub(self.end).clamp(1, most)
            }
            _ => most,
        }
    }

    /// Bytes held that belong to no event yet.
    pub fn pending(&self) -> usize {
        self.end - self.pos
    }

    /// The next event, or `None` until more bytes come.
    pub fn next_event(&mut self) -> Option<Event> {
        loop {
            match self.state {
                State::Header => return self.header(),
                State::Body { len, scanned } => return self.body(len, scanned),
                State::Skip => {
                    if !self.skip() {
                        return None;
                    }
                }
            }
        }
    }

    fn rest(&self) -> &[u8] {
        &self.buf[self.pos..self.end]
    }

    fn header(&mut self) -> Option<Event> {
        // Stray line ends between frames are harmless.
        let blank = self
            .rest()
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        self.pos += blank;
        let rest = self.rest();
        let window = &rest[..rest.len().min(MAX_HEADER + 1)];
        let parsed = match header_end(window) {
            Some(end) => content_length(&rest[..end.0]).map(|len| (len, end.1)),
            None if rest.len() > MAX_HEADER => Err("header too long".into()),
            None => return None,
        };
        match parsed {
            Ok((len, end)) if len <= self.limit as u64 => {
                self.pos += end;
                if len as usize >= LARGE {
                    self.make_room(len as usize);
                }
                self.state = State::Body {
                    len: len as usize,
                    scanned: 0,
                };
                self.next_event()
            }
            // Resynchronize from the next byte: a good header may follow garbage on its line.
            Ok((len, _)) => {
                self.resync();
                Some(Event::Bad(format!(
                    "Content-Length {len} is over the limit of {} bytes",
                    self.limit
                )))
            }
            Err(e) => {
                self.resync();
                Some(Event::Bad(e))
            }
        }
    }

    fn resync(&mut self) {
        self.pos += 1;
        self.state = State::Skip;
    }

    fn body(&mut self, len: usize, scanned: usize) -> Option<Event> {
        let rest = self.rest();
        let have = rest.len().min(len);
        // Search what arrived since the last look (a little before it: a header may straddle).
        if let Some(at) = find_header(&rest[..have], scanned.saturating_sub(KEEP)) {
            self.wait_prefault();
            self.pos += at;
            self.state = State::Header;
            return Some(Event::Bad(format!(
                "Content-Length {len} but the next header came after {at} bytes"
            )));
        }
        if have < len {
            // A header right at the end may still be incomplete: look at it again next time.
            self.state = State::Body { len, scanned: have };
            return None;
        }
        let frame = if self.pos == 0 && len >= LARGE {
            self.wait_prefault();
            // The buffer was sized for this body: it leaves as the frame, uncopied.
            self.buf.truncate(self.end);
            let tail = self.buf.split_off(len);
            self.end = tail.len();
            std::mem::replace(&mut self.buf, tail)
        } else {
            let frame = rest[..len].to_vec();
            self.pos += len;
            frame
        };
        self.state = State::Header;
        Some(Event::Frame(frame))
    }

    /// Before a large body: a buffer of its size that starts at it. Allocated zeroed, which
    /// for a large size costs nothing until the reads touch it (fresh pages are zero).
    fn make_room(&mut self, len: usize) {
        let have = self.end - self.pos;
        let mut buf = vec![0; len.max(have)];
        buf[..have].copy_from_slice(self.rest());
        self.wait_prefault();
        self.prefault = Prefault::start(&mut buf, have);
        (self.buf, self.end, self.pos) = (buf, have, 0);
    }

    fn wait_prefault(&mut self) {
        if let Some(p) = self.prefault.take() {
            p.finish();
        }
    }

    /// Drops bytes up to the next header; tells whether one was found.
    fn skip(&mut self) -> bool {
        match find_header(self.rest(), 0) {
            Some(at) => {
                self.pos += at;
                self.state = State::Header;
                true
            }
            None => {
                self.pos += self.rest().len().saturating_sub(KEEP);
                false
            }
        }
    }
}

/// Where the header block ends: (length without the blank line, length with it).
fn header_end(rest: &[u8]) -> Option<(usize, usize)> {
    let mut line_start = 0;
    for nl in memchr::memchr_iter(b'\n', rest) {
        let line = &rest[line_start..nl];
        if line.is_empty() || line == b"\r" {
            return Some((line_start, nl + 1));
        }
        line_start = nl + 1;
    }
    None
}

/// The `Content-Length` of a header block. Other headers (`Content-Type`) are ignored: bodies
/// are read as UTF-8, which is the only encoding the protocol allows.
fn content_length(block: &[u8]) -> Result<u64, String> {
    let mut len = None;
    for line in block.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return Err(format!("not a header: {}", show(line)));
        };
        let (name, value) = (&line[..colon], line[colon + 1..].trim_ascii());
        if name.eq_ignore_ascii_case(b"content-length") {
            let n = std::str::from_utf8(value)
                .ok()
                .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                .map(|v| v.parse::<u64>().unwrap_or(u64::MAX));
            len = Some(n.ok_or_else(|| format!("bad Content-Length: {}", show(value)))?);
        }
    }
    len.ok_or_else(|| "no Content-Length header".into())
}

/// At most 40 characters of a bad header, for the log.
fn show(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(&bytes[..bytes.len().min(40)]);
    format!("{s:?}")
}

/// The first `Content-Length: <digits>` header line at or after `from`: one that cannot be part
/// of a JSON text (digits then a raw line end), so that it can be searched for inside a body.
/// Found from its line end: raw CR and LF are rare in a body (JSON escapes them in strings),
/// where a search for its first letter would stop at every `c` of a document's text.
fn find_header(hay: &[u8], from: usize) -> Option<usize> {
    let start = from.min(hay.len());
    memchr2_iter(b'\r', b'\n', &hay[start..])
        .map(|k| start + k)
        .find_map(|k| header_before(hay, k).filter(|&i| i >= start))
}

/// Where the `Content-Length:` header ending at the line end `k` starts: spaces and digits (at
/// most `VALUE` of them, at least one digit) between the name and `k`.
fn header_before(hay: &[u8], k: usize) -> Option<usize> {
    let value = hay[..k]
        .iter()
        .rev()
        .take(VALUE + 1)
        .take_while(|&&b| b == b' ' || b == b'\t' || b.is_ascii_digit())
        .count();
    let name_end = k - value;
    let digit = hay[name_end..k].iter().any(u8::is_ascii_digit);
    let i = name_end.checked_sub(NAME.len())?;
    (value <= VALUE && digit && hay[i..name_end].eq_ignore_ascii_case(NAME)).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn events(input: &[u8], chunk: usize) -> Vec<Event> {
        let mut r = FrameReader::default();
        let mut out = Vec::new();
        for c in input.chunks(chunk.max(1)) {
            r.push(c);
            while let Some(e) = r.next_event() {
                out.push(e);
            }
        }
        out
    }

    fn frames(events: &[Event]) -> Vec<String> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Frame(b) => Some(String::from_utf8_lossy(b).into_owned()),
                Event::Bad(_) => None,
            })
            .collect()
    }

    #[test]
    fn well_formed_frames_in_any_chunking() {
        let body = r#"{"a":"Content-Length: 5\r\n"}"#;
        let input = format!("{}{}\r\n{}", frame(body), frame("{}"), frame("[1]"));
        for chunk in [1, 2, 3, 7, 64, 4096] {
            let ev = events(input.as_bytes(), chunk);
            assert_eq!(frames(&ev), vec![body, "{}", "[1]"], "chunk {chunk}");
            assert_eq!(ev.len(), 3);
        }
    }

    #[test]
    fn bad_headers_are_reported_and_skipped() {
        let input = format!(
            "Content-Length: abc\r\n\r\n{{}}{}garbage{}Content-Type: x\r\n\r\n{}",
            frame("{\"x\":1}"),
            frame("{\"y\":2}"),
            frame("{\"z\":3}")
        );
        for chunk in [1, 5, 4096] {
            let ev = events(input.as_bytes(), chunk);
            assert_eq!(frames(&ev), vec!["{\"x\":1}", "{\"y\":2}", "{\"z\":3}"]);
            let bad = ev.iter().filter(|e| matches!(e, Event::Bad(_))).count();
            assert!(bad >= 1, "{ev:?}");
        }
    }

    #[test]
    fn a_huge_length_is_refused_without_waiting_for_it() {
        let input = format!("Content-Length: 1000000000000\r\n\r\n{{}}{}", frame("{}"));
        let ev = events(input.as_bytes(), 3);
        assert!(matches!(&ev[0], Event::Bad(m) if m.contains("over the limit")));
        assert_eq!(frames(&ev), vec!["{}"]);
        let overflow = format!(
            "Content-Length: 99999999999999999999999\r\n\r\n{}",
            frame("{}")
        );
        assert_eq!(frames(&events(overflow.as_bytes(), 4096)), vec!["{}"]);
    }

    #[test]
    fn a_length_longer_than_the_body_ends_at_the_next_header() {
        let input = format!(
            "Content-Length: 5000\r\n\r\n{{\"short\":1}}\n{}",
            frame("{}")
        );
        let ev = events(input.as_bytes(), 2);
        assert!(matches!(&ev[0], Event::Bad(_)));
        assert_eq!(frames(&ev), vec!["{}"]);
    }

    #[test]
    fn a_large_body_is_read_into_a_buffer_of_its_size() {
        let big = format!("{{\"text\":\"{}\"}}", "x".repeat(LARGE * 3 + 17));
        let input = format!("{}{}{}", frame("{}"), frame(&big), frame("[1]"));
        let mut r = FrameReader::default();
        let (mut at, mut out) = (0, Vec::new());
        while at < input.len() {
            let n = r.wanted(64 << 10).min(input.len() - at);
            r.push(&input.as_bytes()[at..at + n]);
            at += n;
            while let Some(Event::Frame(body)) = r.next_event() {
                out.push(body);
            }
        }
        assert_eq!(out.len(), 3);
        assert_eq!(out[1], big.as_bytes());
        // Sized once for the body: never outgrown (a doubling would leave twice the room).
        assert!(
            out[1].capacity() < big.len() + (64 << 10),
            "{}",
            out[1].capacity()
        );
        assert_eq!(out[2], b"[1]");
        // The same input in arbitrary chunks gives the same frames.
        assert_eq!(frames(&events(input.as_bytes(), 70_001))[1], big);
    }

    /// The search as first written: from each `C`/`c`, forwards.
    fn find_header_forwards(hay: &[u8], from: usize) -> Option<usize> {
        let start = from.min(hay.len());
        memchr2_iter(b'C', b'c', &hay[start..])
            .map(|i| start + i)
            .find(|&i| {
                let name = hay.get(i..i + NAME.len());
                let after = &hay[(i + NAME.len()).min(hay.len())..];
                let value = after
                    .iter()
                    .take(VALUE + 1)
                    .take_while(|&&b| b == b' ' || b == b'\t' || b.is_ascii_digit())
                    .count();
                name.is_some_and(|n| n.eq_ignore_ascii_case(NAME))
                    && value <= VALUE
                    && matches!(after.get(value), Some(b'\r' | b'\n'))
                    && after[..value].iter().any(u8::is_ascii_digit)
            })
    }

    #[test]
    fn the_header_search_finds_what_a_forward_search_finds() {
        let parts: [&[u8]; 10] = [
            b"Content-Length:",
            b"content-length: ",
            b"CONTENT-LENGTH:\t",
            b"12",
            b" ",
            b"\r\n",
            b"\n",
            b"x",
            b"c",
            &[b'7'; 41],
        ];
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15_u64);
        let mut found = 0;
        for _ in 0..50_000 {
            let mut hay = Vec::new();
            for _ in 0..next(12) {
                hay.extend_from_slice(parts[next(parts.len())]);
            }
            let from = next(hay.len() + 2);
            found += usize::from(find_header(&hay, from).is_some());
            assert_eq!(
                find_header(&hay, from),
                find_header_forwards(&hay, from),
                "{:?} from {from}",
                String::from_utf8_lossy(&hay)
            );
        }
        assert!(found > 200, "headers found in {found} of the inputs");
    }

    #[test]
    fn skipping_keeps_memory_bounded() {
        let mut r = FrameReader::default();
        r.push(b"Content-Length: 999999999999\r\n\r\n");
        assert!(matches!(r.next_event(), Some(Event::Bad(_))));
        for _ in 0..1000 {
            r.push(&[b'x'; 1000]);
            assert_eq!(r.next_event(), None);
        }
        assert!(r.pending() <= KEEP);
    }

    /// Hands out its bytes in reads of the given sizes, in turn.
    struct Trickle<'a> {
        data: &'a [u8],
        sizes: &'a [usize],
        k: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.sizes[self.k % self.sizes.len()]
                .min(buf.len())
                .min(self.data.len());
            self.k += 1;
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn reading_straight_in_gives_the_same_events() {
        let big = format!("{{\"text\":\"{}\"}}", "y".repeat(LARGE + 5));
        let input = format!(
            "{}Content-Length: x\r\n\r\n{}{}{}",
            frame("{}"),
            frame(&big),
            frame("[1]"),
            frame(&big)
        );
        let want = events(input.as_bytes(), input.len());
        for sizes in [&[1, 7, 300][..], &[4096], &[65536, 3], &[1 << 22]] {
            let mut input = Trickle {
                data: input.as_bytes(),
                sizes,
                k: 0,
            };
            let (mut r, mut got) = (FrameReader::default(), Vec::new());
            while r.read_from(&mut input, 1 << 20).unwrap() > 0 {
                got.extend(std::iter::from_fn(|| r.next_event()));
            }
            assert_eq!(got, want, "{sizes:?}");
            for e in &got {
                if let Event::Frame(body) = e {
                    // A large body was read into a buffer of its size: nothing to give back.
                    assert!(body.len() < LARGE || body.capacity() == body.len());
                }
            }
        }
    }
}
