//! Pasted `Get-*` / `Test-*` output (Format-List and Format-Table): wrong values the article
//! warns about. Findings FB301..FB306.
use crate::finding::Finding;

/// Findings about cmdlet output in `text` (empty when it holds none this module knows).
pub fn analyse(_text: &str) -> Vec<Finding> {
    Vec::new()
}
