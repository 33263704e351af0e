//! What every benchmark shares.
use std::time::{Duration, Instant};

/// The fastest of `runs` runs: the least disturbed by the other work on a shared machine.
pub fn best_of(runs: usize, mut f: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}
