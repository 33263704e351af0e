//! `freebusy-lsp docs -o DIR`: the reference site, checked as files. Every relative `href` and
//! `src` resolves to a file of the site, nothing loads from the network, every code has a page in
//! every locale, and the card's text is escaped. (tests/docs/ opens the pages in Chromium.)
use freebusy_lsp::knowledge::catalog;
use freebusy_lsp::locale::LOCALES;
use regex::Regex;
use std::path::{Path, PathBuf};
use std::process::Command;

fn build_site(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("freebusy-site-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(env!("CARGO_BIN_EXE_freebusy-lsp"))
        .args(["docs", "-o", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            files.extend(html_files(&path));
        } else if path.extension().is_some_and(|x| x == "html") {
            files.push(path);
        }
    }
    files
}

#[test]
fn every_relative_link_resolves_and_nothing_loads_from_the_network() {
    let site = build_site("links");
    let attr = Regex::new(r#"<(\w+)[^>]*?\s(href|src)="([^"]*)""#).unwrap();
    let mut broken = Vec::new();
    let files = html_files(&site);
    let mut links = 0;
    for file in &files {
        let html = std::fs::read_to_string(file).unwrap();
        for c in attr.captures_iter(&html) {
            let (tag, url) = (&c[1], &c[3]);
            if url.starts_with("https://") || url.starts_with("http://") {
                // Only a link a reader follows may point outside; never a script, style or font.
                if tag != "a" {
                    broken.push(format!("{}: <{tag}> loads {url}", file.display()));
                }
                continue;
            }
            let target = url.split(['#', '?']).next().unwrap();
            if target.is_empty() {
                continue;
            }
            links += 1;
            if !file.parent().unwrap().join(target).is_file() {
                broken.push(format!("{}: {url}", file.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(
        links > files.len() * 3,
        "{links} links in {} pages",
        files.len()
    );
    let _ = std::fs::remove_dir_all(&site);
}

/// Text as it must appear in HTML: `&`, `<`, `>` and quotes escaped.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn every_code_has_a_page_in_every_locale_with_its_card_and_signatures() {
    let site = build_site("pages");
    for entry in catalog().entries() {
        for locale in LOCALES {
            let page = site.join(locale).join(format!("{}.html", entry.code));
            let html = std::fs::read_to_string(&page)
                .unwrap_or_else(|e| panic!("{}: {e}", page.display()));
            assert!(html.contains(&format!("<html lang=\"{locale}\">")));
            let title = entry.title.get(locale).unwrap();
            assert!(html.contains(&esc(title)), "{}: no title", page.display());
            for sig in entry.signatures.iter().filter(|s| s.lang == *locale) {
                assert!(
                    html.contains(&esc(&sig.text)),
                    "{}: no signature",
                    page.display()
                );
            }
            assert!(
                html.contains(&entry.doc.replace('&', "&amp;")),
                "{}: no doc link",
                page.display()
            );
            let index = std::fs::read_to_string(site.join(locale).join("index.html")).unwrap();
            assert!(index.contains(&format!("href=\"{}.html\"", entry.code)));
        }
    }
    let _ = std::fs::remove_dir_all(&site);
}

#[test]
fn search_data_carries_every_code_and_its_signature_texts() {
    let site = build_site("search");
    let js = std::fs::read_to_string(site.join("search-data.js")).unwrap();
    let json = js
        .strip_prefix("window.FREEBUSY_CODES = ")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .unwrap();
    let data: serde_json::Value = serde_json::from_str(json).unwrap();
    let items = data.as_array().unwrap();
    assert_eq!(items.len(), catalog().entries().len());
    for (item, entry) in items.iter().zip(catalog().entries()) {
        assert_eq!(item["code"], entry.code.as_str());
        assert_eq!(
            item["signatures"].as_array().unwrap().len(),
            entry.signatures.len()
        );
    }
    let _ = std::fs::remove_dir_all(&site);
}

#[test]
fn docs_without_a_folder_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_freebusy-lsp"))
        .arg("docs")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("docs -o DIR"));
}
