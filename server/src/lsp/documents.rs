//! Open documents: text in a rope, the version the client gave, the findings of the last
//! analysis with the generation they belong to, and the PowerShell tree for incremental parsing.
//! A document is kept as the client opened it until its first diagnostics are out, and its rope
//! built then (`settle`), or first by whatever needs it earlier (an edit, a request): the
//! first diagnostics of a large document do not wait for a rope.
//! Guarded by a plain mutex that is never held across an `.await`, so edits apply in the order
//! they arrive.
//!
//! Analyses are scheduled here: at most one runs per document, and a newer text (or closing the
//! document) stops it; the next run takes the newest text, so edits never pile up analyses.
//! A text document keeps its last analysis and the edits since (coalesced into one change):
//! the next run re-reads only the window they touch (`incremental`), straight from the rope.
use super::position::{to_offsets, Encoding};
use super::types::{TextDocumentContentChangeEvent, Uri};
use crate::document::{self, DocKind};
use crate::finding::Finding;
use crate::incremental::{Analysed, Change};
use ropey::Rope;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use tokio::sync::watch;
use tree_sitter::{InputEdit, Point, Tree};

pub struct Document {
    /// Empty (and not read) while `opened` holds the text: see `rope`.
    rope: Rope,
    pub version: i32,
    pub kind: DocKind,
    /// Bumped by every open, edit and settings change: what a result belongs to, whatever
    /// version numbers the client sends (they may repeat).
    pub generation: u64,
    /// Findings of a generation, once analysed.
    pub findings: Option<(u64, Arc<Vec<Finding>>)>,
    /// The last syntax tree, with every edit since applied: the next parse is incremental.
    pub tree: Option<Tree>,
    /// The last stored analysis, and the edits made since (`None`: none).
    base: Option<Arc<Analysed>>,
    pending: Option<Change>,
    /// The text as the client opened (or wholly replaced) it, until its rope is built.
    opened: Option<Arc<Opened>>,
    /// Some analysis of this document was stored (the first one reports progress).
    analysed: bool,
    /// The stop flag of the analysis running for this document, if one runs.
    running: Option<Arc<AtomicBool>>,
    /// The generation of the last stored findings, for requests waiting on them.
    results: Arc<watch::Sender<u64>>,
}

impl Document {
    /// The text's rope, built now if the document is still held as opened.
    pub fn rope(&mut self) -> &mut Rope {
        if let Some(o) = self.opened.take() {
            // Waits for `settle` if it is building this rope, rather than build a second.
            self.rope = o.rope.get_or_init(|| rope_of(&o.text)).clone();
        }
        &mut self.rope
    }

    /// The text's length in bytes.
    pub fn len(&self) -> usize {
        self.opened
            .as_ref()
            .map_or(self.rope.len_bytes(), |o| o.text.len())
    }

    /// The text as the client opened it, while its rope is not built.
    pub fn opened(&self) -> Option<Arc<Opened>> {
        self.opened.clone()
    }

    /// The text as the client opened it, while the rope is not built; else the rope.
    pub fn view(&self) -> View {
        match &self.opened {
            Some(o) => View::Opened(o.text.clone()),
            None => View::Rope(self.rope.clone()),
        }
    }

    fn current(&self) -> Option<Arc<Vec<Finding>>> {
        match &self.findings {
            Some((g, f)) if *g == self.generation => Some(f.clone()),
            _ => None,
        }
    }

    /// A newer text (of generation `g`): the running analysis stops and its worker takes the
    /// new text next; with none running, the caller starts one (`Some`).
    fn supersede(&mut self, g: u64) -> Option<Worker> {
        if self.generation != 0 && self.pending.is_none() {
            self.pending = Some(Change::new(0..0, 0)); // read again (settings changed)
        }
        self.generation = g;
        self.findings = None;
        match &self.running {
            Some(stop) => {
                stop.store(true, Ordering::SeqCst);
                None
            }
            None => self.claim(),
        }
    }

    /// Makes the caller the document's one worker, if it has none.
    fn claim(&mut self) -> Option<Worker> {
        if self.running.is_some() {
            return None;
        }
        let stop = Arc::new(AtomicBool::new(false));
        self.running = Some(stop.clone());
        Some(Worker(stop))
    }
}

/// The right to analyse one document: at most one exists per document at a time.
pub struct Worker(Arc<AtomicBool>);

/// What an analysis needs, taken under the lock and used outside it.
pub struct Snapshot {
    pub uri: Uri,
    pub version: i32,
    pub generation: u64,
    pub input: Input,
    /// The text's length in bytes.
    pub len: usize,
    pub kind: DocKind,
    pub tree: Option<Tree>,
    /// Set when the result is no longer wanted.
    pub stop: Arc<AtomicBool>,
    /// No analysis of this document was stored yet.
    pub first: bool,
    /// Requests waiting on the result (none left: a pull analysis may stop).
    pub results: Arc<watch::Sender<u64>>,
}

/// A text as opened, and its rope once built (by `settle`, or by whoever needs it first).
pub struct Opened {
    text: Arc<String>,
    rope: OnceLock<Rope>,
}

impl Opened {
    fn new(text: String) -> Option<Arc<Opened>> {
        Some(Arc::new(Opened {
            text: Arc::new(text),
            rope: OnceLock::new(),
        }))
    }
}

/// A document's text as it is held: see `Document::view`.
pub enum View {
    Opened(Arc<String>),
    Rope(Rope),
}

/// The text to analyse: whole, or as a change of the last analysis (the new text in a rope).
pub enum Input {
    Whole(Arc<String>),
    Update {
        base: Arc<Analysed>,
        change: Change,
        rope: Rope,
    },
}

/// What an analysis stores: the findings, a script's tree, and what the next update starts
/// from (`None`: the next analysis reads the whole text).
pub struct Outcome {
    pub findings: Arc<Vec<Finding>>,
    pub tree: Option<Tree>,
    pub base: Option<Arc<Analysed>>,
}

/// A request's view of a document's findings.
pub enum Findings {
    Ready(Rope, Arc<Vec<Finding>>),
    /// Wait until `results` reaches `generation`; with a `start`, no analysis runs: start one.
    Wait {
        results: watch::Receiver<u64>,
        generation: u64,
        start: Option<Worker>,
    },
}

#[derive(Default)]
pub struct Documents {
    docs: Mutex<HashMap<Uri, Document>>,
    /// The last generation given out (unique across documents, and across close and reopen).
    generations: AtomicU64,
    /// After `shutdown`: no analysis starts.
    stopped: AtomicBool,
}

impl Documents {
    fn lock(&self) -> MutexGuard<'_, HashMap<Uri, Document>> {
        // A panic elsewhere while holding the lock leaves the data usable: take it back.
        self.docs.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn next_generation(&self) -> u64 {
        self.generations.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Opens (or reopens) a document; `Some`: start an analysis for it.
    pub fn open(&self, uri: Uri, version: i32, text: String) -> Option<Worker> {
        let g = self.next_generation();
        let mut docs = self.lock();
        let doc = docs.entry(uri.clone()).or_insert_with(|| Document {
            rope: Rope::new(),
            version,
            kind: DocKind::Text,
            generation: 0,
            findings: None,
            tree: None,
            base: None,
            pending: None,
            opened: None,
            analysed: false,
            running: None,
            results: Arc::new(watch::channel(0).0),
        });
        doc.rope = Rope::new();
        doc.version = version;
        doc.kind = document::kind(uri.as_str(), &text);
        doc.tree = None;
        doc.base = None;
        doc.pending = None;
        doc.opened = Opened::new(text);
        doc.supersede(g)
    }

    /// Applies edits in order; an edit's range is clamped into the text. `Some`: start an
    /// analysis for it.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        enc: Encoding,
    ) -> Option<Worker> {
        let g = self.next_generation();
        let mut docs = self.lock();
        let doc = docs.get_mut(uri)?;
        for change in changes {
            match change.range {
                Some(range) => {
                    let bytes = to_offsets(doc.rope(), range, enc);
                    let c = Change::new(bytes.clone(), change.text.len());
                    doc.pending = Some(doc.pending.map_or(c, |p| p.then(c)));
                    edit(doc, bytes, &change.text);
                }
                None => {
                    doc.rope = Rope::new();
                    doc.opened = Opened::new(change.text);
                    doc.tree = None;
                    doc.base = None;
                    doc.pending = None;
                }
            }
        }
        doc.version = version;
        doc.supersede(g)
    }

    /// Settings changed: findings are computed again. `Some`: start an analysis.
    pub fn invalidate(&self, uri: &Uri) -> Option<Worker> {
        let g = self.next_generation();
        self.lock().get_mut(uri)?.supersede(g)
    }

    pub fn close(&self, uri: &Uri) {
        if let Some(doc) = self.lock().remove(uri) {
            if let Some(stop) = doc.running {
                stop.store(true, Ordering::SeqCst);
            }
        }
    }

    /// Stops every analysis, and starts no more (`shutdown`).
    pub fn stop_all(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        for doc in self.lock().values() {
            doc.running
                .iter()
                .for_each(|s| s.store(true, Ordering::SeqCst));
        }
    }

    /// The next analysis to run for `uri`: its newest text, unless its findings are current,
    /// it is closed, or (`pull`: analyses only for requests) no request waits any more. Marks
    /// the document as analysed until the next call; `None` ends the run.
    pub fn begin(&self, uri: &Uri, pull: bool, worker: &mut Worker) -> Option<Snapshot> {
        let mut docs = self.lock();
        let doc = docs.get_mut(uri)?;
        if !doc
            .running
            .as_ref()
            .is_some_and(|r| Arc::ptr_eq(r, &worker.0))
        {
            return None; // closed and reopened: the new document has its own worker
        }
        let idle = self.stopped.load(Ordering::SeqCst)
            || doc.current().is_some()
            || (pull && doc.results.receiver_count() == 0);
        if idle {
            doc.running = None;
            return None;
        }
        let stop = Arc::new(AtomicBool::new(false));
        doc.running = Some(stop.clone());
        worker.0 = stop.clone();
        Some(snapshot(uri, doc, stop))
    }

    /// Stores an analysis if the document is still at its generation; tells whether it was.
    pub fn store(&self, snap: &Snapshot, outcome: Outcome) -> bool {
        match self.lock().get_mut(&snap.uri) {
            Some(doc) if doc.generation == snap.generation => {
                doc.findings = Some((snap.generation, outcome.findings));
                doc.analysed = true;
                doc.tree = outcome.tree;
                doc.base = outcome.base;
                doc.pending = None;
                doc.results.send_replace(snap.generation);
                true
            }
            _ => false,
        }
    }

    /// The current findings, or what to wait on for them.
    pub fn findings(&self, uri: &Uri) -> Option<Findings> {
        let mut docs = self.lock();
        let doc = docs.get_mut(uri)?;
        Some(match doc.current() {
            Some(f) => Findings::Ready(doc.rope().clone(), f),
            None => Findings::Wait {
                results: doc.results.subscribe(),
                generation: doc.generation,
                start: doc.claim(),
            },
        })
    }

    /// Runs `f` on the document, if open.
    pub fn with<T>(&self, uri: &Uri, f: impl FnOnce(&mut Document) -> T) -> Option<T> {
        self.lock().get_mut(uri).map(f)
    }

    /// Builds the rope of a document's text as `opened`, outside the lock, and puts it in
    /// place unless an edit or a request took it first. Called once its diagnostics are out:
    /// on one thread, so that the diagnostics still being written and read keep a core.
    pub fn settle(&self, uri: &Uri, opened: Arc<Opened>) {
        let rope = opened.rope.get_or_init(|| Rope::from_str(&opened.text));
        if let Some(doc) = self.lock().get_mut(uri) {
            if doc.opened.as_ref().is_some_and(|o| Arc::ptr_eq(o, &opened)) {
                doc.opened = None;
                doc.rope = rope.clone();
            }
        }
    }

    /// Every open document.
    pub fn uris(&self) -> Vec<Uri> {
        self.lock().keys().cloned().collect()
    }
}

/// Replaces `bytes` with `text` in the rope, and tells the tree what moved.
fn edit(doc: &mut Document, bytes: std::ops::Range<usize>, text: &str) {
    doc.rope();
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

fn snapshot(uri: &Uri, d: &mut Document, stop: Arc<AtomicBool>) -> Snapshot {
    let input = match (&d.base, d.pending, &d.opened) {
        (_, _, Some(o)) => Input::Whole(o.text.clone()),
        (Some(base), Some(change), None) if d.kind == DocKind::Text => Input::Update {
            base: base.clone(),
            change,
            rope: d.rope.clone(),
        },
        _ => Input::Whole(Arc::new(d.rope.to_string())),
    };
    Snapshot {
        uri: uri.clone(),
        version: d.version,
        generation: d.generation,
        input,
        len: d.len(),
        kind: d.kind,
        tree: d.tree.clone(),
        stop,
        first: !d.analysed,
        results: d.results.clone(),
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

/// Bytes of text from which a rope is built in two halves side by side (small in debug builds,
/// so that tests meet it).
const ROPE_PART: usize = if cfg!(debug_assertions) { 64 } else { 1 << 20 };

/// The rope of `text`: a large text's halves (cut after a `\n`, never inside a `\r\n` or a
/// character) built on rayon's threads and appended, since the analysis waits for it.
fn rope_of(text: &str) -> Rope {
    let mid = text.len() / 2;
    let cut = match memchr::memchr(b'\n', &text.as_bytes()[mid..]) {
        // Both halves hold text (a lone `\n` at the end leaves the right one empty).
        Some(i) if text.len() >= 2 * ROPE_PART && mid + i + 1 < text.len() => mid + i + 1,
        _ => return Rope::from_str(text),
    };
    let (mut a, b) = rayon::join(|| rope_of(&text[..cut]), || rope_of(&text[cut..]));
    a.append(b);
    a
}

#[cfg(test)]
mod rope_tests {
    use super::*;
    use crate::lsp::types::{Position, Range};
    use std::str::FromStr;

    fn text_of(docs: &Documents, uri: &Uri) -> String {
        match docs.with(uri, |d| d.view()).expect("open") {
            View::Opened(t) => t.to_string(),
            View::Rope(r) => r.to_string(),
        }
    }

    #[test]
    fn an_opened_text_gets_its_rope_once_and_an_edit_is_never_undone() {
        let docs = Documents::default();
        let uri = Uri::from_str("file:///tmp/a.log").expect("uri");
        let text = "one\r\ntwo\nthr\u{e9}e\n".repeat(50);
        docs.open(uri.clone(), 1, text.clone());
        assert!(matches!(
            docs.with(&uri, |d| d.view()),
            Some(View::Opened(_))
        ));
        // The rope is built once: settling after a request built it leaves the same rope.
        let opened = docs
            .with(&uri, |d| d.opened())
            .flatten()
            .expect("held as opened");
        let first = docs.with(&uri, |d| d.rope().clone()).expect("rope");
        assert_eq!(first, Rope::from_str(&text));
        docs.settle(&uri, opened.clone());
        assert!(matches!(docs.with(&uri, |d| d.view()), Some(View::Rope(_))));
        // An edit before the rope was settled stays: a late `settle` puts nothing back.
        docs.open(uri.clone(), 2, text.clone());
        let opened = docs
            .with(&uri, |d| d.opened())
            .flatten()
            .expect("held as opened");
        let start = Position::new(0, 0);
        let change = TextDocumentContentChangeEvent {
            range: Some(Range::new(start, start)),
            range_length: None,
            text: "x".into(),
        };
        docs.change(&uri, 3, vec![change], Encoding::Utf16);
        docs.settle(&uri, opened);
        assert_eq!(text_of(&docs, &uri), format!("x{text}"));
        assert_eq!(docs.with(&uri, |d| d.len()), Some(text.len() + 1));
    }

    #[test]
    fn a_rope_built_in_parts_is_the_rope_of_the_text() {
        let mut text = String::new();
        for i in 0..400 {
            text.push_str(
                [
                    "a\r\n",
                    "\u{e9}t\u{e9}\n",
                    "\r",
                    "x\u{2028}y",
                    "\n\n",
                    "long line ",
                ][i % 6],
            );
        }
        let one_line = "x".repeat(300) + "\n";
        for len in [0, 1, 127, 128, 129, 500, text.len(), usize::MAX] {
            let mut end = len.min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let t = if len == usize::MAX {
                one_line.as_str()
            } else {
                &text[..end]
            };
            let (parts, whole) = (rope_of(t), Rope::from_str(t));
            assert_eq!(parts, whole);
            assert_eq!(parts.len_lines(), whole.len_lines());
            assert_eq!(parts.len_chars(), whole.len_chars());
            for l in 0..whole.len_lines() {
                assert_eq!(parts.line_to_byte(l), whole.line_to_byte(l));
            }
        }
    }
}
