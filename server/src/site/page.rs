//! The pages: the index with its search, and one page per code.
use super::markdown::{escape, to_html};
use crate::knowledge::{Entry, Kind};
use crate::locale::{text as ui, LOCALES};
use crate::render;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The frame every page shares: title, local stylesheet, language switch.
fn frame(locale: &str, title: &str, file: &str, body: &str, script: bool) -> String {
    let mut switch = String::new();
    for l in LOCALES {
        if *l == locale {
            let _ = write!(switch, "<strong lang=\"{l}\">{l}</strong> ");
        } else {
            let _ = write!(
                switch,
                "<a lang=\"{l}\" hreflang=\"{l}\" href=\"../{l}/{file}\">{l}</a> "
            );
        }
    }
    let scripts = if script {
        "<script src=\"../search-data.js\"></script>\n<script src=\"../search.js\"></script>\n"
    } else {
        ""
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{locale}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<link rel=\"stylesheet\" href=\"../style.css\">\n</head>\n<body>\n\
         <header><a href=\"index.html\">{home}</a> <nav class=\"lang\" aria-label=\"{lang}\">{switch}</nav></header>\n\
         <main>\n{body}</main>\n{scripts}</body>\n</html>\n",
        title = escape(title),
        home = escape(&ui(locale, "site.home")),
        lang = escape(&ui(locale, "site.language")),
    )
}

/// `DIR/<locale>/index.html`: the search box and every code.
pub fn index(entries: &[Entry], locale: &str) -> String {
    let mut body = String::new();
    let _ = writeln!(body, "<h1>{}</h1>", escape(&ui(locale, "site.title")));
    let _ = writeln!(body, "<p>{}</p>", escape(&ui(locale, "site.intro")));
    let _ = writeln!(
        body,
        "<label for=\"q\">{}</label>\n<textarea id=\"q\" rows=\"3\" placeholder=\"{}\"></textarea>\n\
         <p id=\"status\" role=\"status\" data-none=\"{}\"></p>\n<ol id=\"results\"></ol>",
        escape(&ui(locale, "site.search")),
        escape(&ui(locale, "site.search-hint")),
        escape(&ui(locale, "site.no-match")),
    );
    let _ = writeln!(
        body,
        "<h2>{}</h2>\n<table id=\"codes\">",
        escape(&ui(locale, "site.all-codes"))
    );
    for e in entries {
        let title = e.title.get(locale).map_or("", String::as_str);
        let _ = writeln!(
            body,
            "<tr id=\"{code}\"><td><a href=\"{code}.html\">{code}</a></td><td><code>{id}</code></td><td>{title}</td></tr>",
            code = e.code,
            id = escape(&e.id),
            title = escape(title),
        );
    }
    body.push_str("</table>\n");
    frame(locale, &ui(locale, "site.title"), "index.html", &body, true)
}

/// `DIR/<locale>/<code>.html`: the card, then the texts that identify the entry.
pub fn code_page(entry: &Entry, locale: &str) -> String {
    let card = render::card(entry, locale, &BTreeMap::new());
    // The card's heading is the page's.
    let card = card.replacen("### ", "# ", 1);
    let mut body = format!("<article class=\"card\">\n{}</article>\n", to_html(&card));
    let sigs: Vec<_> = entry
        .signatures
        .iter()
        .filter(|s| s.lang == locale)
        .collect();
    if !sigs.is_empty() {
        let _ = writeln!(body, "<h2>{}</h2>", escape(&ui(locale, "site.signatures")));
        for s in sigs {
            let _ = writeln!(
                body,
                "<pre class=\"signature\"><code>{}</code></pre>",
                escape(&s.text)
            );
        }
    }
    // A script card already shows its first example; the others show every example.
    let skip = usize::from(entry.kind == Kind::Script);
    let examples: Vec<_> = entry
        .examples
        .iter()
        .filter(|x| x.lang == locale || entry.kind != Kind::Error && entry.kind != Kind::Triage)
        .skip(skip)
        .collect();
    if !examples.is_empty() {
        let _ = writeln!(body, "<h2>{}</h2>", escape(&ui(locale, "site.examples")));
        for x in examples {
            let _ = writeln!(
                body,
                "<pre class=\"example\"><code>{}</code></pre>",
                escape(x.text.trim())
            );
        }
    }
    let _ = writeln!(
        body,
        "<p class=\"cli\">{} <code>freebusy-lsp explain {}</code></p>",
        escape(&ui(locale, "site.cli")),
        entry.code
    );
    let title = entry.title.get(locale).map_or("", String::as_str);
    let file = format!("{}.html", entry.code);
    frame(
        locale,
        &format!("{} · {title}", entry.code),
        &file,
        &body,
        false,
    )
}
