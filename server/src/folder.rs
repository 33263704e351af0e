//! Folders and log archives for `check`, `report` and the server's workspace diagnostics: a walk
//! that honours `.gitignore`-style excludes (the `ignore` crate, as ripgrep does), text and
//! UTF-16 files, `.gz` and `.zip` archives read with a bound on what they decompress to, and the
//! files analysed in parallel.
use crate::analysis::analyse_file;
use crate::decode::{decode, Encoding};
use crate::files::{self, ReadError};
use crate::finding::Finding;
use rayon::prelude::*;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One text read from disk: a file, or a member of an archive (`logs.zip!ews/ews.log`).
#[derive(Debug)]
pub struct Source {
    pub name: String,
    pub text: String,
    pub encoding: Encoding,
}

/// A source with its findings, or why it could not be read.
#[derive(Debug)]
pub struct Checked {
    pub source: Source,
    pub findings: Vec<Finding>,
}

/// Names a folder walk takes: logs, text, scripts, CSV and archives; not binaries or images.
const TAKEN: &[&str] = &[
    "log", "txt", "ps1", "psm1", "csv", "out", "xml", "json", "md", "gz", "zip",
];

/// Files under `root` (or `root` itself), in a stable order, skipping what `.gitignore`,
/// `.ignore` and `.freebusyignore` files exclude, hidden files, and `exclude` globs.
pub fn walk(root: &Path, exclude: &[String]) -> Result<Vec<PathBuf>, String> {
    if !root.is_dir() {
        return Ok(vec![root.to_path_buf()]);
    }
    let mut overrides = ignore::overrides::OverrideBuilder::new(root);
    for glob in exclude {
        overrides
            .add(&format!("!{glob}"))
            .map_err(|e| format!("--exclude {glob}: {e}"))?;
    }
    let overrides = overrides.build().map_err(|e| e.to_string())?;
    let mut out: Vec<PathBuf> = ignore::WalkBuilder::new(root)
        .add_custom_ignore_filename(".freebusyignore")
        // Honour .gitignore without needing a git repository around it.
        .require_git(false)
        .overrides(overrides)
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(|e| e.into_path())
        .filter(|p| taken(p))
        .collect();
    out.sort();
    Ok(out)
}

fn taken(p: &Path) -> bool {
    let name = p
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().to_ascii_lowercase());
    !name.contains('.') || TAKEN.iter().any(|ext| name.ends_with(&format!(".{ext}")))
}

/// The texts in one file: the file itself, the decompressed `.gz`, or each text member of a
/// `.zip`. Nothing decompresses past `limit` bytes (a member that would is reported, not cut).
pub fn read(path: &Path, limit: u64) -> Result<Vec<Source>, String> {
    let name = path.to_string_lossy().to_string();
    let bytes = files::read_regular(path, limit).map_err(|e| format!("cannot read {name}: {e}"))?;
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".gz") {
        let inner = bounded(flate2::read::MultiGzDecoder::new(&bytes[..]), limit)
            .map_err(|e| format!("cannot read {name}: {e}"))?;
        return Ok(vec![source(name, &inner)]);
    }
    if lower.ends_with(".zip") {
        return zip_members(&name, &bytes, limit);
    }
    Ok(vec![source(name, &bytes)])
}

fn source(name: String, bytes: &[u8]) -> Source {
    let (text, encoding) = decode(bytes);
    Source {
        name,
        text,
        encoding,
    }
}

fn bounded(reader: impl Read, limit: u64) -> Result<Vec<u8>, String> {
    files::read_limited(reader, limit).map_err(|e| match e {
        ReadError::TooLarge(l) => format!("it decompresses to more than the {} MiB limit", l >> 20),
        e => e.to_string(),
    })
}

/// Every text member of a zip archive; the sum of what they decompress to stays under `limit`.
fn zip_members(name: &str, bytes: &[u8], limit: u64) -> Result<Vec<Source>, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    let mut out = Vec::new();
    let mut left = limit;
    for i in 0..archive.len() {
        let mut member = archive
            .by_index(i)
            .map_err(|e| format!("cannot read {name}: {e}"))?;
        let inner = member
            .name()
            .map_or_else(|_| format!("member {i}"), |n| n.to_string());
        if member.is_dir()
            || !taken(Path::new(&inner))
            || inner.to_ascii_lowercase().ends_with(".zip")
        {
            continue;
        }
        let data =
            bounded(&mut member, left).map_err(|e| format!("cannot read {name}!{inner}: {e}"))?;
        left -= data.len() as u64;
        out.push(source(format!("{name}!{inner}"), &data));
    }
    Ok(out)
}

/// Every file under `roots`, in walk order.
pub fn paths(roots: &[PathBuf], exclude: &[String]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for root in roots {
        out.extend(walk(root, exclude)?);
    }
    Ok(out)
}

/// Files read at once: enough to keep every core busy, few enough to bound memory.
const BATCH: usize = 32;

/// Reads and analyses `paths` in parallel, handing each result to `each` in walk order (a file
/// that could not be read as its message), batch by batch so that memory stays bounded.
pub fn check_each(paths: &[PathBuf], limit: u64, mut each: impl FnMut(Result<Checked, String>)) {
    for batch in paths.chunks(BATCH) {
        let results: Vec<Result<Vec<Checked>, String>> = batch
            .par_iter()
            .map(|p| read(p, limit).map(|sources| sources.into_iter().map(analysed).collect()))
            .collect();
        for r in results {
            match r {
                Ok(checked) => checked.into_iter().for_each(|c| each(Ok(c))),
                Err(e) => each(Err(e)),
            }
        }
    }
}

pub fn analysed(source: Source) -> Checked {
    let findings = analyse_file(&source.name, &source.text);
    Checked { source, findings }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn archives_are_read_and_bounded() {
        let dir = std::env::temp_dir().join(format!("freebusy-folder-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let gz = dir.join("a.log.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&vec![b'x'; 4096]).unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        assert_eq!(read(&gz, 1 << 20).unwrap()[0].text.len(), 4096);
        // Small on disk, large inside: refused past the limit.
        assert!(read(&gz, 1000)
            .unwrap_err()
            .contains("decompresses to more"));
        let z = dir.join("b.zip");
        let mut w = zip::ZipWriter::new(std::fs::File::create(&z).unwrap());
        let opts = zip::write::SimpleFileOptions::default();
        w.start_file("ews/one.log", opts).unwrap();
        w.write_all(b"hello").unwrap();
        w.start_file("picture.png", opts).unwrap();
        w.write_all(b"\x89PNG").unwrap();
        w.finish().unwrap();
        let members = read(&z, 1 << 20).unwrap();
        assert_eq!(members.len(), 1);
        assert!(members[0].name.ends_with("b.zip!ews/one.log"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
