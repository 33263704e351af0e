//! Embeds every data file under `knowledge/` and every query under `../queries/powershell/` into
//! the binary, so that adding an entry is adding a file: no list to keep in Rust.
use std::{env, fs, path::Path};

fn collect(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    let Ok(read) = fs::read_dir(dir) else { return };
    for entry in read.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// Writes `name: &[(relative path, contents)]` for every `*.ext` below `root`.
fn embed(name: &str, root: &Path, ext: &str, code: &mut String) {
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(root, ext, &mut files);
    files.sort();
    code.push_str(&format!("pub static {name}: &[(&str, &str)] = &[\n"));
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
}

fn main() {
    let manifest = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).to_path_buf();
    let mut code = String::new();
    embed("FILES", &manifest.join("knowledge"), "toml", &mut code);
    embed(
        "QUERIES",
        &manifest.join("../queries/powershell"),
        "scm",
        &mut code,
    );
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("knowledge_files.rs");
    fs::write(out, code).unwrap();
}
