//! Bytes from disk to text: UTF-8 (with or without BOM) and UTF-16 (Windows PowerShell 5.1 writes
//! `>` redirections as UTF-16LE), anything else decoded lossily. Never fails; when the encoding
//! was a guess or the bytes contradicted their byte order mark, `Encoding::note` says what was done.

/// How the bytes were read, for a note to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// UTF-16 after its byte order mark.
    Utf16Le,
    Utf16Be,
    /// UTF-16 without a byte order mark, recognized by its zero bytes.
    Utf16LeGuessed,
    Utf16BeGuessed,
    /// A UTF-16 byte order mark followed by UTF-8 text: the mark was dropped.
    Utf8AfterUtf16Mark,
    /// Not valid text; invalid sequences became U+FFFD.
    Lossy,
}

impl Encoding {
    /// What to tell the user, when the reading was not the obvious one.
    pub fn note(self) -> Option<&'static str> {
        match self {
            Encoding::Utf8 | Encoding::Utf16Le | Encoding::Utf16Be => None,
            Encoding::Utf16LeGuessed => {
                Some("no byte order mark; read as UTF-16LE (its zero bytes say so)")
            }
            Encoding::Utf16BeGuessed => {
                Some("no byte order mark; read as UTF-16BE (its zero bytes say so)")
            }
            Encoding::Utf8AfterUtf16Mark => Some(
                "starts with a UTF-16 byte order mark but the rest is UTF-8: read as UTF-8 without the mark",
            ),
            Encoding::Lossy => Some("not valid UTF-8 or UTF-16; read as UTF-8 with invalid bytes replaced"),
        }
    }
}

/// How much of the file decides how to read it.
const SAMPLE: usize = 64 * 1024;

#[derive(Clone, Copy)]
enum Order {
    Le,
    Be,
}

pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    for (mark, order, enc) in [
        ([0xFF, 0xFE], Order::Le, Encoding::Utf16Le),
        ([0xFE, 0xFF], Order::Be, Encoding::Utf16Be),
    ] {
        if let Some(rest) = bytes.strip_prefix(&mark) {
            return with_mark(bytes, rest, order, enc);
        }
    }
    // Valid UTF-8 without a zero byte is never UTF-16 with any ASCII in it.
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    if memchr::memchr(0, sample).is_some() {
        if let Some(found) = without_mark(bytes, sample) {
            return found;
        }
    }
    utf8(bytes)
}

/// After a UTF-16 mark: UTF-16 if it reads as text, unless the rest is UTF-8 that the UTF-16
/// reading would turn into other characters (no zero byte: not one ASCII character as UTF-16).
fn with_mark(bytes: &[u8], rest: &[u8], order: Order, enc: Encoding) -> (String, Encoding) {
    let sample = even(&rest[..rest.len().min(SAMPLE)]);
    let (ascii, _) = high_zeros(sample, order);
    let as_utf8 = std::str::from_utf8(rest).is_ok();
    if plausible(sample, order) && (ascii > 0 || !as_utf8 || rest.is_empty()) {
        return (utf16(rest, order), enc);
    }
    if as_utf8 {
        return (
            String::from_utf8_lossy(rest).into_owned(),
            Encoding::Utf8AfterUtf16Mark,
        );
    }
    (String::from_utf8_lossy(bytes).into_owned(), Encoding::Lossy)
}

/// UTF-16 without a mark: the byte order whose high bytes are mostly the zeros, if the text then
/// reads as text.
fn without_mark(bytes: &[u8], sample: &[u8]) -> Option<(String, Encoding)> {
    let sample = even(sample);
    let units = sample.len() / 2;
    let (le_high, le_low) = high_zeros(sample, Order::Le);
    let (order, high, low, enc) = if le_high >= le_low {
        (Order::Le, le_high, le_low, Encoding::Utf16LeGuessed)
    } else {
        (Order::Be, le_low, le_high, Encoding::Utf16BeGuessed)
    };
    // At least a tenth of the characters ASCII, and more of them than `U+xx00` characters;
    // fewer than four characters say nothing.
    let pattern = units >= 4 && high * 10 >= units && high > low;
    (pattern && plausible(sample, order)).then(|| (utf16(bytes, order), enc))
}

fn even(b: &[u8]) -> &[u8] {
    &b[..b.len() & !1]
}

/// Zero high bytes (ASCII and Latin-1 characters) and zero low bytes (`U+xx00`) in `order`.
fn high_zeros(sample: &[u8], order: Order) -> (usize, usize) {
    let (mut high, mut low) = (0, 0);
    for pair in sample.chunks_exact(2) {
        let (lo, hi) = match order {
            Order::Le => (pair[0], pair[1]),
            Order::Be => (pair[1], pair[0]),
        };
        high += usize::from(hi == 0);
        low += usize::from(lo == 0);
    }
    (high, low)
}

/// Reads as text: at most 1 in 100 characters an unpaired surrogate, a control character other
/// than tab, line breaks and form feed, or a noncharacter. U+0000 does not count either way
/// (logs written to preallocated files end in zero padding).
fn plausible(sample: &[u8], order: Order) -> bool {
    let (mut chars, mut bad) = (0usize, 0usize);
    for r in char::decode_utf16(units(sample, order)) {
        if r == Ok('\0') {
            continue;
        }
        chars += 1;
        let odd = match r {
            Err(_) => true,
            Ok(c) => {
                (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'))
                    || matches!(c, '\u{FFFE}' | '\u{FFFF}')
            }
        };
        bad += usize::from(odd);
    }
    bad * 100 <= chars
}

fn units(bytes: &[u8], order: Order) -> impl Iterator<Item = u16> + '_ {
    bytes.chunks_exact(2).map(move |c| match order {
        Order::Le => u16::from_le_bytes([c[0], c[1]]),
        Order::Be => u16::from_be_bytes([c[0], c[1]]),
    })
}

fn utf8(bytes: &[u8]) -> (String, Encoding) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), Encoding::Utf8),
        Err(_) => (String::from_utf8_lossy(bytes).into_owned(), Encoding::Lossy),
    }
}

/// UTF-16 to text; an unpaired surrogate or a lone last byte becomes U+FFFD.
fn utf16(bytes: &[u8], order: Order) -> String {
    let mut text: String = char::decode_utf16(units(bytes, order))
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    if bytes.len() % 2 == 1 {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn be(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_be_bytes).collect()
    }

    #[test]
    fn reads_utf16_with_and_without_bom() {
        let text = "Proxy web request failed å";
        let with_bom = [vec![0xFF, 0xFE], le(text)].concat();
        assert_eq!(decode(&with_bom), (text.to_string(), Encoding::Utf16Le));
        assert_eq!(
            decode(&le(text)),
            (text.to_string(), Encoding::Utf16LeGuessed)
        );
        assert_eq!(
            decode(&be(text)),
            (text.to_string(), Encoding::Utf16BeGuessed)
        );
        let with_bom = [vec![0xFE, 0xFF], be(text)].concat();
        assert_eq!(decode(&with_bom), (text.to_string(), Encoding::Utf16Be));
        assert_eq!(decode(&with_bom).1.note(), None);
    }

    #[test]
    fn utf16_without_bom_holding_xx00_characters_is_still_utf16() {
        // `Ā` (U+0100) and `䀀` (U+4000) put a zero in the low byte too.
        for text in [
            "Proxy web request failed for Ā\r\n",
            "ĀĀĀ Failed to get ASURL. Error 8004010F. 䀀\r\n",
            "名前 Ā: The remote server returned an error: (401) Unauthorized.\n",
        ] {
            assert_eq!(
                decode(&le(text)),
                (text.into(), Encoding::Utf16LeGuessed),
                "{text}"
            );
            assert_eq!(
                decode(&be(text)),
                (text.into(), Encoding::Utf16BeGuessed),
                "{text}"
            );
        }
    }

    #[test]
    fn utf8_after_a_utf16_mark_is_read_as_utf8_with_a_note() {
        let text = "Failed to get ASURL. Error 8004010F. å\n";
        let bytes = [&[0xFF, 0xFE][..], text.as_bytes()].concat();
        let (got, enc) = decode(&bytes);
        assert_eq!(got, text);
        assert_eq!(enc, Encoding::Utf8AfterUtf16Mark);
        assert!(enc.note().unwrap().contains("read as UTF-8"));
    }

    #[test]
    fn zero_padding_after_utf16_or_utf8_changes_nothing() {
        let text = "Failed to get ASURL. Error 8004010F.\r\n";
        let padded = [le(text), vec![0; 5000]].concat();
        let (got, enc) = decode(&padded);
        assert_eq!(enc, Encoding::Utf16LeGuessed);
        assert!(got.starts_with(text));
        let padded = [text.as_bytes(), &[0; 5000]].concat();
        let (got, enc) = decode(&padded);
        assert_eq!(enc, Encoding::Utf8);
        assert!(got.starts_with(text));
    }

    #[test]
    fn utf8_with_zero_bytes_that_do_not_read_as_utf16_stays_utf8() {
        // As UTF-16 these would be control characters.
        let bytes: Vec<u8> = (1u8..20).flat_map(|b| [b, 0]).collect();
        assert_eq!(decode(&bytes).1, Encoding::Utf8);
        // A NUL in ordinary UTF-8 text.
        let text = "Error 8004010F\0 in the middle of a long enough line of text";
        assert_eq!(decode(text.as_bytes()), (text.into(), Encoding::Utf8));
    }

    #[test]
    fn garbage_after_a_mark_is_not_utf16() {
        // Unpaired surrogates all the way.
        let bytes: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain([0x00, 0xDC].into_iter().cycle().take(200))
            .collect();
        assert_eq!(decode(&bytes).1, Encoding::Lossy);
    }

    #[test]
    fn binary_is_decoded_lossily() {
        let (text, enc) = decode(&[0x50, 0xFF, 0x00, 0x41]);
        assert_eq!(enc, Encoding::Lossy);
        assert!(text.contains('\u{FFFD}'));
        let blob: Vec<u8> = (0u8..=255).cycle().take(100_000).collect();
        assert_eq!(decode(&blob).1, Encoding::Lossy);
        assert_eq!(decode(&[]), (String::new(), Encoding::Utf8));
        assert_eq!(decode(&[0xFF, 0xFE]), (String::new(), Encoding::Utf16Le));
    }
}
