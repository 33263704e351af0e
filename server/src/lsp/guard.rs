//! A panic in a handler must not end the server: it is caught, logged, and answered as an error.
use std::panic::{catch_unwind, AssertUnwindSafe};
use tower_lsp_server::jsonrpc;

/// Runs `f`; a panic becomes an `InternalError` naming `what`.
pub fn guard<T>(what: &str, f: impl FnOnce() -> T) -> jsonrpc::Result<T> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        eprintln!("freebusy-lsp: internal error in {what}: {msg}");
        let mut e = jsonrpc::Error::internal_error();
        e.message = format!("freebusy-lsp hit a bug in {what}: {msg}").into();
        e
    })
}

/// Panics print one line to stderr (the client's log), not a backtrace on the protocol stream.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("freebusy-lsp: panic: {info}");
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let err = guard("hover", || -> u32 { panic!("boom") }).unwrap_err();
        assert_eq!(err.code, jsonrpc::ErrorCode::InternalError);
        assert!(err.message.contains("hover") && err.message.contains("boom"));
        assert_eq!(guard("hover", || 7).unwrap(), 7);
    }
}
