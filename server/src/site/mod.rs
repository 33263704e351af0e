//! `freebusy-lsp docs -o DIR`: the reference site, static HTML generated from the catalog (one
//! page per code in every locale, an index with a search that also takes a pasted error text).
//! Nothing on the pages loads from the network.
mod markdown;
mod page;

use crate::knowledge::catalog;
use crate::locale::LOCALES;
use regex::Regex;
use std::io::Write;
use std::path::Path;

const STYLE: &str = include_str!("assets/style.css");
const SEARCH: &str = include_str!("assets/search.js");

pub const USAGE: &str = "freebusy-lsp docs -o DIR    write the reference site (static HTML) to DIR";

/// Runs `docs` with its arguments; returns the exit status.
pub fn docs(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let dir = match args {
        [flag, dir] if flag == "-o" || flag == "--out" => dir.clone(),
        [one] if one.starts_with("--out=") => one["--out=".len()..].to_string(),
        _ => {
            let _ = writeln!(err, "freebusy-lsp: usage: {USAGE}");
            return crate::cli::TROUBLE;
        }
    };
    match build(Path::new(&dir)) {
        Ok(pages) => {
            let _ = writeln!(out, "{pages} pages written to {dir}/index.html");
            crate::cli::CLEAN
        }
        Err(e) => {
            let _ = writeln!(err, "freebusy-lsp: cannot write the site to {dir}: {e}");
            crate::cli::TROUBLE
        }
    }
}

/// Writes the site under `dir`; returns the number of HTML pages.
pub fn build(dir: &Path) -> std::io::Result<usize> {
    let entries = catalog().entries();
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("style.css"), STYLE)?;
    std::fs::write(dir.join("search.js"), SEARCH)?;
    std::fs::write(dir.join("search-data.js"), search_data())?;
    std::fs::write(dir.join("index.html"), root())?;
    let mut pages = 1;
    for locale in LOCALES {
        let sub = dir.join(locale);
        std::fs::create_dir_all(&sub)?;
        std::fs::write(sub.join("index.html"), page::index(entries, locale))?;
        pages += 1;
        for e in entries {
            std::fs::write(
                sub.join(format!("{}.html", e.code)),
                page::code_page(e, locale),
            )?;
            pages += 1;
        }
    }
    Ok(pages)
}

/// `DIR/index.html`: the choice of language.
fn root() -> String {
    let links: String = LOCALES
        .iter()
        .map(|l| {
            format!(
                "<li><a hreflang=\"{l}\" href=\"{l}/index.html\">{}</a></li>\n",
                markdown::escape(&crate::locale::text(l, "site.title"))
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>freebusy-lsp</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n</head>\n\
         <body>\n<main>\n<h1>freebusy-lsp</h1>\n<ul>\n{links}</ul>\n</main>\n</body>\n</html>\n"
    )
}

/// `search-data.js`: per code its id, titles and the literal parts of its signatures (a
/// script, not JSON, so that pages opened from `file://` can load it).
fn search_data() -> String {
    let placeholder = Regex::new(r"\{[^}]*\}").expect("valid regex");
    let items: Vec<serde_json::Value> = catalog()
        .entries()
        .iter()
        .map(|e| {
            let sigs: Vec<Vec<&str>> = e
                .signatures
                .iter()
                .map(|s| {
                    placeholder
                        .split(&s.text)
                        .filter(|p| !p.trim().is_empty())
                        .collect()
                })
                .collect();
            serde_json::json!({
                "code": e.code,
                "id": e.id,
                "title": e.title.0,
                "signatures": sigs,
            })
        })
        .collect();
    // `</` cannot close a script here, but keep the data inert in any context.
    let json = serde_json::to_string(&items)
        .unwrap_or_else(|_| "[]".into())
        .replace("</", "<\\/");
    format!("window.FREEBUSY_CODES = {json};\n")
}
