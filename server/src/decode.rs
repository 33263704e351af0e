//! Bytes from disk to text: UTF-8 (with or without BOM) and UTF-16 (Windows PowerShell 5.1 writes
//! `>` redirections as UTF-16LE), anything else decoded lossily. Never fails.

/// How the bytes were read, for a note to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// Not valid text; invalid sequences became U+FFFD.
    Lossy,
}

pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return (utf16(rest, u16::from_le_bytes), Encoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return (utf16(rest, u16::from_be_bytes), Encoding::Utf16Be);
    }
    // UTF-16 without a BOM: ASCII text leaves every other byte zero.
    let sample = &bytes[..bytes.len().min(4096)];
    if sample.len() >= 4 {
        let zeros = |parity: usize| {
            sample
                .iter()
                .skip(parity)
                .step_by(2)
                .filter(|&&b| b == 0)
                .count()
        };
        let half = sample.len() / 2;
        if zeros(1) * 10 > half * 9 && zeros(0) == 0 {
            return (utf16(bytes, u16::from_le_bytes), Encoding::Utf16Le);
        }
        if zeros(0) * 10 > half * 9 && zeros(1) == 0 {
            return (utf16(bytes, u16::from_be_bytes), Encoding::Utf16Be);
        }
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> (String, Encoding) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), Encoding::Utf8),
        Err(_) => (String::from_utf8_lossy(bytes).into_owned(), Encoding::Lossy),
    }
}

fn utf16(bytes: &[u8], read: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|c| read([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utf16_with_and_without_bom() {
        let text = "Proxy web request failed å";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let with_bom = [vec![0xFF, 0xFE], le.clone()].concat();
        assert_eq!(decode(&with_bom), (text.to_string(), Encoding::Utf16Le));
        assert_eq!(decode(&le), (text.to_string(), Encoding::Utf16Le));
    }

    #[test]
    fn binary_is_decoded_lossily() {
        let (text, enc) = decode(&[0x50, 0xFF, 0x00, 0x41]);
        assert_eq!(enc, Encoding::Lossy);
        assert!(text.contains('\u{FFFD}'));
    }
}
