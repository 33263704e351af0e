//! Reading a file someone named: regular files only, up to a size limit, and never blocking on a
//! FIFO or reading a device without end. The CLI and the server both read through here.
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;

/// The most the CLI reads from one file or stdin.
pub const CLI_LIMIT: u64 = 256 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// A directory, FIFO, socket or device (named as in `kind`).
    NotRegular(&'static str),
    TooLarge(u64),
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            ReadError::NotRegular(kind) => {
                write!(
                    f,
                    "it is {kind}, not a regular file; only regular files are read"
                )
            }
            ReadError::TooLarge(limit) => write!(f, "it is larger than the {} limit", size(*limit)),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// The bytes of the regular file at `path` (links followed), at most `limit` of them.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    // Look before opening: opening some devices has effects of its own.
    check_type(&std::fs::metadata(path)?)?;
    let file = open_nonblocking(path)?;
    // Again on what was opened, in case the name changed in between.
    let meta = file.metadata()?;
    check_type(&meta)?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge(limit));
    }
    read_limited(file, limit)
}

/// All of `reader` up to `limit` bytes; more is an error, not a silent cut.
pub fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut buf = Vec::new();
    reader.take(limit.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(buf)
}

fn check_type(meta: &std::fs::Metadata) -> Result<(), ReadError> {
    if meta.is_file() {
        Ok(())
    } else {
        Err(ReadError::NotRegular(kind(&meta.file_type())))
    }
}

#[cfg(unix)]
fn kind(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn kind(t: &std::fs::FileType) -> &'static str {
    if t.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

/// Opens for reading without waiting for a writer, should the name turn out to be a FIFO.
#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().read(true).open(path)
}

/// `256 MiB`, `64 KiB`, `100 bytes`.
fn size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    UNITS
        .iter()
        .find(|(unit, _)| bytes >= *unit && bytes.is_multiple_of(*unit))
        .map_or(format!("{bytes} bytes"), |(unit, name)| {
            format!("{} {name}", bytes / unit)
        })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::process::Command;

    fn dir(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("freebusy-files-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn regular_files_are_read_up_to_the_limit() {
        let d = dir("regular");
        let f = d.join("a.log");
        std::fs::write(&f, b"0123456789").unwrap();
        assert_eq!(read_regular(&f, 10).unwrap(), b"0123456789");
        let err = read_regular(&f, 9).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge(9)), "{err}");
        // A link to a regular file is followed.
        let link = d.join("link.log");
        std::os::unix::fs::symlink(&f, &link).unwrap();
        assert_eq!(read_regular(&link, 100).unwrap(), b"0123456789");
    }

    #[test]
    fn special_files_are_refused_without_blocking() {
        let d = dir("special");
        let fifo = d.join("pipe");
        assert!(Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let zero = d.join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        for (path, kind) in [
            (&fifo, "a FIFO (named pipe)"),
            (&zero, "a character device"),
            (&d, "a directory"),
        ] {
            match read_regular(path, 1 << 20) {
                Err(ReadError::NotRegular(k)) => assert_eq!(k, kind),
                other => panic!("{}: {other:?}", path.display()),
            }
        }
    }

    #[test]
    fn a_stream_longer_than_the_limit_is_an_error() {
        let zeros = std::io::repeat(0);
        assert!(matches!(
            read_limited(zeros, 1000),
            Err(ReadError::TooLarge(1000))
        ));
        assert_eq!(read_limited(&b"abc"[..], 3).unwrap(), b"abc");
        assert_eq!(
            ReadError::TooLarge(CLI_LIMIT).to_string(),
            "it is larger than the 256 MiB limit"
        );
    }
}
