//! Maps a large body's buffer on another thread while the body arrives, so that the reads
//! filling it do not stop at every fresh 4 KiB page (a 50 MB didOpen came through in 25 ms
//! instead of 50). It stays at most `AHEAD` bytes ahead of the bytes received: a client that
//! announces a large body and never sends it does not make the buffer's memory real.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

const PAGE: usize = 4096;
/// How far ahead of the bytes received pages are mapped.
const AHEAD: usize = 16 << 20;
/// Pages mapped per call.
const STEP: usize = 2 << 20;
/// `filled` once the buffer is done with.
const STOP: usize = usize::MAX;

pub struct Prefault {
    thread: JoinHandle<()>,
    /// Bytes of the buffer holding data, or `STOP`.
    filled: Arc<AtomicUsize>,
}

impl Prefault {
    /// Starts mapping `buf`, a zeroed buffer not yet touched past its first `filled` bytes.
    /// `None` where the system has no such call, or no thread is free.
    pub fn start(buf: &mut [u8], filled: usize) -> Option<Prefault> {
        if !cfg!(target_os = "linux") {
            return None;
        }
        let base = buf.as_mut_ptr() as usize;
        let pages = base.next_multiple_of(PAGE)..(base + buf.len()) / PAGE * PAGE;
        let shared = Arc::new(AtomicUsize::new(filled));
        let seen = shared.clone();
        let thread = std::thread::Builder::new()
            .name("freebusy-lsp-prefault".into())
            .spawn(move || map_ahead(base, pages, &seen))
            .ok()?;
        Some(Prefault {
            thread,
            filled: shared,
        })
    }

    /// The buffer's first `n` bytes hold data now.
    pub fn filled(&self, n: usize) {
        self.filled.store(n, Ordering::Release);
        self.thread.thread().unpark();
    }

    /// Stops and waits for the thread: called before the buffer moves or is freed.
    pub fn finish(self) {
        self.filled.store(STOP, Ordering::Release);
        self.thread.thread().unpark();
        let _ = self.thread.join();
    }
}

/// Maps `pages` (addresses inside the buffer at `base`) in steps, up to `AHEAD` past the bytes
/// filled, parking until more arrive; returns once all are mapped or `STOP` is seen.
fn map_ahead(base: usize, pages: std::ops::Range<usize>, filled: &AtomicUsize) {
    let mut at = pages.start;
    while at < pages.end {
        let n = filled.load(Ordering::Acquire);
        if n == STOP {
            return;
        }
        let limit = (base + n).saturating_add(AHEAD).min(pages.end) / PAGE * PAGE;
        if at >= limit {
            std::thread::park();
            continue;
        }
        let to = (at + STEP).min(limit);
        populate(at, to - at);
        at = to;
    }
}

#[cfg(target_os = "linux")]
fn populate(addr: usize, len: usize) {
    // SAFETY: the range lies inside a live buffer (the owner calls `finish` before the buffer
    // moves or is freed); MADV_POPULATE_WRITE maps its pages and reads or writes none of its bytes.
    unsafe {
        libc::madvise(addr as *mut libc::c_void, len, libc::MADV_POPULATE_WRITE);
    }
}

#[cfg(not(target_os = "linux"))]
fn populate(_: usize, _: usize) {}
