//! What the user can tune, in a leaf module: the analyses read it, nothing here reads them.

/// What the user can tune.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// A free/busy request slower than this is a finding (FB203).
    pub slow_request_seconds: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            slow_request_seconds: 30.0,
        }
    }
}
