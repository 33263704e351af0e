//! Open documents: text in a rope, the version the client gave, and the findings of the last
//! analysis with the version they belong to. Guarded by a plain mutex that is never held across
//! an `.await`, so edits apply in the order they arrive.
use super::position::{to_offsets, Encoding};
use super::types::{TextDocumentContentChangeEvent, Uri};
use crate::document::{self, DocKind};
use crate::scan::Finding;
use ropey::Rope;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

pub struct Document {
    pub rope: Rope,
    pub version: i32,
    pub kind: DocKind,
    /// Findings of `version`, once analysed.
    pub findings: Option<(i32, Arc<Vec<Finding>>)>,
}

/// What an analysis needs, taken under the lock and used outside it.
pub struct Snapshot {
    pub uri: Uri,
    pub version: i32,
    pub text: String,
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
        let kind = document::kind(uri.as_str(), text);
        let doc = Document {
            rope: Rope::from_str(text),
            version,
            kind,
            findings: None,
        };
        self.lock().insert(uri.clone(), doc);
        Snapshot {
            uri,
            version,
            text: text.to_string(),
        }
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
                Some(range) => {
                    let bytes = to_offsets(&doc.rope, range, enc);
                    let (a, b) = (
                        doc.rope.byte_to_char(bytes.start),
                        doc.rope.byte_to_char(bytes.end),
                    );
                    doc.rope.remove(a..b);
                    doc.rope.insert(a, &change.text);
                }
                None => doc.rope = Rope::from_str(&change.text),
            }
        }
        doc.version = version;
        doc.findings = None;
        Some(Snapshot {
            uri: uri.clone(),
            version,
            text: doc.rope.to_string(),
        })
    }

    pub fn close(&self, uri: &Uri) {
        self.lock().remove(uri);
    }

    /// Stores findings if the document is still at `version`; tells whether it was.
    pub fn store(&self, uri: &Uri, version: i32, findings: Arc<Vec<Finding>>) -> bool {
        match self.lock().get_mut(uri) {
            Some(doc) if doc.version == version => {
                doc.findings = Some((version, findings));
                true
            }
            _ => false,
        }
    }

    /// Runs `f` on the document, if open.
    pub fn with<T>(&self, uri: &Uri, f: impl FnOnce(&Document) -> T) -> Option<T> {
        self.lock().get(uri).map(f)
    }

    /// The text and version to analyse, if open.
    pub fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        self.with(uri, |d| Snapshot {
            uri: uri.clone(),
            version: d.version,
            text: d.rope.to_string(),
        })
    }
}
