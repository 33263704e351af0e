//! freebusy-lsp: recognizes Exchange hybrid free/busy errors in any text and explains them.
//!
//! The core (`knowledge`, `scan`, `render`, `document`) speaks in byte offsets and plain structs;
//! only `lsp` knows the protocol. See ARCHITECTURE.md.

pub mod analysis;
pub mod capture;
pub mod cli;
pub mod code;
pub mod complete;
pub mod decode;
pub mod document;
pub mod endpoints;
pub mod files;
pub mod finding;
pub mod folder;
pub mod incremental;
pub mod knowledge;
pub mod lines;
pub mod locale;
pub mod logs;
pub mod lsp;
pub mod options;
pub mod output;
pub mod redact;
pub mod render;
pub mod report;
pub mod scan;
pub mod script;
pub mod sink;
pub mod site;
pub mod suppress;
pub mod terminal;
#[cfg(test)]
mod testing;
pub mod text;
pub mod well_known;
