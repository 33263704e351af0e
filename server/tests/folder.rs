//! `check FOLDER`: recursive, `.gitignore` and `--exclude` honoured, UTF-16 files and `.gz`/`.zip`
//! archives read, every finding reported with the file (or archive member) it is in.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const ERROR: &str = "The remote server returned an error: (401) Unauthorized.\n";

fn folder() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("freebusy-folder-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["logs/ews", "ignored", "old", ".hidden"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let write = |p: &str, b: &[u8]| std::fs::write(dir.join(p), b).unwrap();
    write("logs/plain.log", ERROR.as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(ERROR.encode_utf16().flat_map(u16::to_le_bytes));
    write("logs/ews/utf16.log", &utf16);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(ERROR.as_bytes()).unwrap();
    write("logs/ews/rotated.log.gz", &gz.finish().unwrap());
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "HttpProxy/Ews/one.log",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(ERROR.as_bytes()).unwrap();
    write("logs/archive.zip", &zip.finish().unwrap().into_inner());
    write("ignored/skip.log", ERROR.as_bytes());
    write("old/skip.log", ERROR.as_bytes());
    write(".hidden/skip.log", ERROR.as_bytes());
    write("picture.png", ERROR.as_bytes());
    write(".gitignore", b"ignored/\n");
    dir
}

fn check(dir: &Path, extra: &[&str]) -> (Option<i32>, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_freebusy-lsp"))
        .args(["check", "--format", "json", "--fail-on", "any"])
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_default();
    (out.status.code(), json)
}

#[test]
fn a_folder_is_walked_with_its_excludes_and_archives() {
    let dir = folder();
    let (code, json) = check(&dir, &["--exclude", "old/**"]);
    assert_eq!(code, Some(1));
    let mut paths: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let p = f["path"].as_str().unwrap();
            p.strip_prefix(dir.to_str().unwrap())
                .unwrap_or(p)
                .to_string()
        })
        .collect();
    paths.sort();
    paths.dedup();
    assert_eq!(
        paths,
        [
            "/logs/archive.zip!HttpProxy/Ews/one.log",
            "/logs/ews/rotated.log.gz",
            "/logs/ews/utf16.log",
            "/logs/plain.log",
        ],
        "{json:#}"
    );
    // Without the exclude, old/ is read too; .gitignore still keeps ignored/ out.
    let (_, json) = check(&dir, &[]);
    let all: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(all.iter().any(|p| p.ends_with("old/skip.log")));
    assert!(!all
        .iter()
        .any(|p| p.contains("ignored") || p.contains(".hidden") || p.ends_with(".png")));
    std::fs::remove_dir_all(&dir).unwrap();
}
