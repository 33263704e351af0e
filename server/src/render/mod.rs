//! Text for people: the hover/explain card (Markdown) and the remediation script a fix inserts.
//! Shared by the CLI and the LSP layer; knows nothing of either.

mod card;
mod script;

pub use card::card;
pub use script::{fill, script_for_fix, Filled};
