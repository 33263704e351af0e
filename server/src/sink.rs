//! The CLI's stdout: remembers the first write error, so that a full disk is an error (exit 2 and
//! a message) and a closed pipe (`| head`) ends quietly, while the commands write as they go.
use std::io::{self, ErrorKind, Write};

pub struct Sink<W: Write> {
    inner: W,
    failed: Option<io::Error>,
}

impl<W: Write> Sink<W> {
    pub fn new(inner: W) -> Self {
        Sink {
            inner,
            failed: None,
        }
    }

    /// Flushes, then gives the first error any write met.
    pub fn finish(mut self) -> Option<io::Error> {
        let _ = self.flush();
        self.failed
    }

    fn note<T>(&mut self, r: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &r {
            if e.kind() != ErrorKind::Interrupted && self.failed.is_none() {
                self.failed = Some(io::Error::new(e.kind(), e.to_string()));
            }
        }
        r
    }

    /// After the first failure nothing more is written (a full disk stays full).
    fn refuse(&self) -> io::Result<()> {
        match &self.failed {
            Some(e) => Err(io::Error::new(e.kind(), "an earlier write failed")),
            None => Ok(()),
        }
    }
}

impl<W: Write> Write for Sink<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.refuse()?;
        let r = self.inner.write(buf);
        self.note(r)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.refuse()?;
        let r = self.inner.flush();
        self.note(r)
    }
}

/// The exit status after the output went to `error`: a broken pipe keeps `status` (the reader
/// left; nothing to say), any other failure is a message and status 2.
pub fn status_after(error: Option<io::Error>, status: i32, err: &mut dyn Write) -> i32 {
    match error {
        None => status,
        Some(e) if e.kind() == ErrorKind::BrokenPipe => status,
        Some(e) => {
            let _ = writeln!(err, "freebusy-lsp: cannot write the output: {e}");
            crate::cli::TROUBLE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Full;
    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from_raw_os_error(28))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_first_error_is_kept_and_nothing_more_is_written() {
        let mut s = Sink::new(Full);
        assert!(writeln!(s, "a").is_err());
        assert!(writeln!(s, "b").is_err());
        let e = s.finish().unwrap();
        assert_eq!(e.raw_os_error(), None);
        assert!(e.to_string().contains("No space left"), "{e}");
        let mut msg = Vec::new();
        assert_eq!(status_after(Some(e), 0, &mut msg), 2);
        assert!(String::from_utf8(msg)
            .unwrap()
            .starts_with("freebusy-lsp: cannot write the output: "));
        let pipe = io::Error::from(ErrorKind::BrokenPipe);
        let mut msg = Vec::new();
        assert_eq!(status_after(Some(pipe), 1, &mut msg), 1);
        assert!(msg.is_empty());
    }
}
