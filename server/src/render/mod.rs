//! Text for people: the hover/explain card (Markdown) and the remediation script a fix inserts.
//! Shared by the CLI and the LSP layer; knows nothing of either.

mod card;
mod cmdlet;
mod plan;
mod script;

pub use card::card;
pub use cmdlet::cmdlet_card;
pub use plan::remediation_plan;
pub use script::{fill, script_for_fix, Filled};

use crate::finding::Finding;
use crate::knowledge::Entry;

/// A finding's one-line message: the entry's title, and what is specific to this occurrence.
pub fn message(entry: &Entry, f: &Finding, locale: &str) -> String {
    let title = entry.title.get(locale).map_or("", String::as_str);
    match &f.note {
        Some(note) => format!("{title}: {note}"),
        None => title.to_string(),
    }
}
