//! Open documents: text in a rope, the version the client gave, the findings of the last
//! analysis with the version they belong to, and the PowerShell tree for incremental parsing.
//! Guarded by a plain mutex that is never held across an `.await`, so edits apply in the order
//! they arrive.
use super::position::{to_offsets, Encoding};
use super::types::{TextDocumentContentChangeEvent, Uri};
use crate::document::{self, DocKind};
use crate::finding::Finding;
use ropey::Rope;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use tree_sitter::{InputEdit, Point, Tree};

pub struct Document {
    pub rope: Rope,
    pub version: i32,
    pub kind: DocKind,
    /// Findings of `version`, once analysed.
    pub findings: Option<(i32, Arc<Vec<Finding>>)>,
    /// The last syntax tree, with every edit since applied: the next parse is incremental.
    pub tree: Option<Tree>,
}

/// What an analysis needs, taken under the lock and used outside it.
pub struct Snapshot {
    pub uri: Uri,
    pub version: i32,
    pub text: String,
    pub kind: DocKind,
    pub tree: Option<Tree>,
}

#[derive(Default)]
pub struct Documents {
    docs: Mutex<HashMap<Uri, Document>>,
}

impl Documents {
    fn lock(&self) -> MutexGuard<'_, HashMap<Uri, Document>> {
        // A panic elsewhere while holding the lock leaves the data usable: take it back.
        self.docs.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn open(&self, uri: Uri, version: i32, text: &str) -> Snapshot {
        let doc = Document {
            rope: Rope::from_str(text),
            version,
            kind: document::kind(uri.as_str(), text),
            findings: None,
            tree: None,
        };
        let snap = snapshot(&uri, &doc);
        self.lock().insert(uri, doc);
        snap
    }

    /// Applies edits in order; an edit's range is clamped into the text. `None` when not open.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        enc: Encoding,
    ) -> Option<Snapshot> {
        let mut docs = self.lock();
        let doc = docs.get_mut(uri)?;
        for change in changes {
            match change.range {
                Some(range) => edit(doc, to_offsets(&doc.rope, range, enc), &change.text),
                None => {
                    doc.rope = Rope::from_str(&change.text);
                    doc.tree = None;
                }
            }
        }
        doc.version = version;
        doc.findings = None;
        Some(snapshot(uri, doc))
    }

    pub fn close(&self, uri: &Uri) {
        self.lock().remove(uri);
    }

    /// Stores an analysis if the document is still at `version`; tells whether it was.
    pub fn store(
        &self,
        uri: &Uri,
        version: i32,
        findings: Arc<Vec<Finding>>,
        tree: Option<Tree>,
    ) -> bool {
        match self.lock().get_mut(uri) {
            Some(doc) if doc.version == version => {
                doc.findings = Some((version, findings));
                doc.tree = tree;
                true
            }
            _ => false,
        }
    }

    /// Runs `f` on the document, if open.
    pub fn with<T>(&self, uri: &Uri, f: impl FnOnce(&Document) -> T) -> Option<T> {
        self.lock().get(uri).map(f)
    }

    /// Every open document.
    pub fn uris(&self) -> Vec<Uri> {
        self.lock().keys().cloned().collect()
    }

    /// The text and version to analyse, if open.
    pub fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        self.with(uri, |d| snapshot(uri, d))
    }
}

/// Replaces `bytes` with `text` in the rope, and tells the tree what moved.
fn edit(doc: &mut Document, bytes: std::ops::Range<usize>, text: &str) {
    let start_position = point(&doc.rope, bytes.start);
    let old_end_position = point(&doc.rope, bytes.end);
    let (a, b) = (
        doc.rope.byte_to_char(bytes.start),
        doc.rope.byte_to_char(bytes.end),
    );
    doc.rope.remove(a..b);
    doc.rope.insert(a, text);
    let new_end_byte = bytes.start + text.len();
    if let Some(tree) = &mut doc.tree {
        tree.edit(&InputEdit {
            start_byte: bytes.start,
            old_end_byte: bytes.end,
            new_end_byte,
            start_position,
            old_end_position,
            new_end_position: point(&doc.rope, new_end_byte),
        });
    }
}

fn snapshot(uri: &Uri, d: &Document) -> Snapshot {
    Snapshot {
        uri: uri.clone(),
        version: d.version,
        text: d.rope.to_string(),
        kind: d.kind,
        tree: d.tree.clone(),
    }
}

/// A byte offset as tree-sitter's row and byte column.
fn point(rope: &Rope, offset: usize) -> Point {
    let offset = offset.min(rope.len_bytes());
    let row = rope.byte_to_line(offset);
    Point {
        row,
        column: offset - rope.line_to_byte(row),
    }
}
