//! `workspace/diagnostic`: the logs and scripts of the open folders, for clients that pull
//! diagnostics. The same walk as `check FOLDER` (`.gitignore`, `.ignore`, `.freebusyignore`,
//! hidden files skipped), plain files only (archives are for the CLI), each at most
//! `FILE_LIMIT`, at most `MAX_FILES` of them; open documents are left to `textDocument/diagnostic`.
use super::types::Uri;
use crate::folder::{self, Checked};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The largest file the server reads for workspace diagnostics.
pub const FILE_LIMIT: u64 = 16 * 1024 * 1024;
/// The most files one workspace pull reads.
pub const MAX_FILES: usize = 2000;

/// The folder of a `file:` URI on this machine.
pub fn folder(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str().trim_end_matches('/');
    let path = super::paths::local_path(&format!("{s}/x").parse().ok()?)?;
    path.parent().map(Path::to_path_buf)
}

/// `file:///dir/a%20b.log` for a local path.
pub fn file_uri(path: &Path) -> Option<Uri> {
    let mut s = String::from("file://");
    for seg in path.to_str()?.split('/').filter(|s| !s.is_empty()) {
        s.push('/');
        for b in seg.bytes() {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                s.push(b as char);
            } else {
                s.push_str(&format!("%{b:02X}"));
            }
        }
    }
    s.parse().ok()
}

/// Every file under `roots` not in `open`, analysed in parallel, with its URI.
pub fn check(roots: &[PathBuf], open: &HashSet<PathBuf>) -> Vec<(Uri, Checked)> {
    let paths: Vec<PathBuf> = folder::paths(roots, &[])
        .unwrap_or_default()
        .into_iter()
        .filter(|p| {
            let name = p.to_string_lossy().to_ascii_lowercase();
            let archive = name.ends_with(".gz") || name.ends_with(".zip");
            !archive && !open.contains(p)
        })
        .filter(|p| std::fs::metadata(p).is_ok_and(|m| m.len() <= FILE_LIMIT))
        .take(MAX_FILES)
        .collect();
    let mut out = Vec::new();
    folder::check_each(&paths, FILE_LIMIT, |c| {
        if let Ok(c) = c {
            if let Some(uri) = file_uri(Path::new(&c.source.name)) {
                out.push((uri, c));
            }
        }
    });
    out
}
