//! The report page: one HTML file with its CSS, SVG chart and script inline, nothing fetched.
use super::time::format as when;
use super::{Occurrence, Report};
use crate::code::Code;
use crate::finding::Finding;
use crate::knowledge::catalog;
use crate::render;
use std::collections::BTreeMap;
use std::fmt::Write;

const STYLE: &str = "
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1em 2em;color:#1b1f24}
h1{font-size:1.6em}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d0d7de;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right}pre{background:#f6f8fa;padding:.8em;overflow:auto;white-space:pre-wrap}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4em 1.2em}.legend li{cursor:pointer}
.legend li.off{opacity:.35}.sw{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em}
.series.off{display:none}svg text{font-size:11px;fill:#57606a}.muted{color:#57606a}
ul.cols{columns:3;padding-left:1.2em}";

/// Sets `data-errors` and `data-series` on <body> once the page is drawn: what a headless
/// browser reads back. Clicking a legend entry hides or shows its series.
const SCRIPT: &str = "
(function(){var errors=0;window.addEventListener('error',function(){errors++;document.body.dataset.errors=errors;});
document.addEventListener('DOMContentLoaded',function(){
var series=document.querySelectorAll('#timeline .series');
document.querySelectorAll('.legend li').forEach(function(li){li.addEventListener('click',function(){
li.classList.toggle('off');var s=document.querySelector('#timeline .series[data-code=\"'+li.dataset.code+'\"]');
if(s){s.classList.toggle('off');}});});
document.body.dataset.series=series.length;document.body.dataset.errors=errors;});})();";

const COLORS: &[&str] = &[
    "#0969da", "#cf222e", "#1a7f37", "#8250df", "#bf8700", "#0598bc", "#e16f24", "#6e7781",
    "#bf3989", "#116329",
];

pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn title(code: Code, locale: &str) -> String {
    catalog()
        .get(code)
        .and_then(|e| e.title.get(locale).or_else(|| e.title.get("en")))
        .cloned()
        .unwrap_or_default()
}

fn seen(occ: &[&Occurrence]) -> (String, String) {
    let times = occ.iter().filter_map(|o| o.time);
    match (times.clone().min(), times.max()) {
        (Some(a), Some(b)) => (when(a), when(b)),
        _ => ("—".into(), "—".into()),
    }
}

pub fn page(report: &Report, locale: &str) -> String {
    let groups = report.by_code();
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{locale}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\
         <title>freebusy-lsp report</title><style>{STYLE}</style><script>{SCRIPT}</script></head><body>\
         <h1>Free/busy report</h1><p class=\"muted\">{} files read, {} findings of {} kinds. Written by freebusy-lsp {} on this machine; nothing in this page is fetched from anywhere.</p>",
        report.sources.len(),
        report.occurrences.len(),
        groups.len(),
        env!("CARGO_PKG_VERSION"),
    );
    timeline(&mut h, &groups);
    summary(&mut h, &groups, locale);
    affected(&mut h, &groups);
    for (code, occ) in &groups {
        section(&mut h, report, *code, occ, locale);
    }
    plan(&mut h, report, locale);
    if !report.problems.is_empty() {
        h.push_str("<h2>Not read</h2><ul>");
        for p in &report.problems {
            let _ = write!(h, "<li>{}</li>", esc(p));
        }
        h.push_str("</ul>");
    }
    h.push_str("</body></html>\n");
    h
}

fn summary(h: &mut String, groups: &BTreeMap<Code, Vec<&Occurrence>>, locale: &str) {
    h.push_str("<h2>Findings by code</h2><table id=\"summary\"><tr><th>Code</th><th>What</th><th>Count</th><th>First seen</th><th>Last seen</th></tr>");
    for (code, occ) in groups {
        let (first, last) = seen(occ);
        let _ = write!(
            h,
            "<tr data-code=\"{code}\"><td><a href=\"#{code}\">{code}</a></td><td>{}</td><td class=\"n\">{}</td><td>{first}</td><td>{last}</td></tr>",
            esc(&title(*code, locale)),
            occ.len()
        );
    }
    h.push_str("</table>");
}

/// Failures per code over time: one polyline per code over equal time buckets.
fn timeline(h: &mut String, groups: &BTreeMap<Code, Vec<&Occurrence>>) {
    const W: f64 = 960.0;
    const HT: f64 = 280.0;
    const PAD: f64 = 40.0;
    const BUCKETS: i64 = 48;
    let times: Vec<i64> = groups.values().flatten().filter_map(|o| o.time).collect();
    h.push_str("<h2>Timeline</h2>");
    let (Some(&t0), Some(&t1)) = (times.iter().min(), times.iter().max()) else {
        h.push_str("<p class=\"muted\">No finding had a timestamp on its line.</p>");
        return;
    };
    let width = ((t1 - t0) / BUCKETS + 1).max(1);
    let mut counts: BTreeMap<Code, Vec<u32>> = BTreeMap::new();
    for (code, occ) in groups {
        let mut c = vec![0u32; BUCKETS as usize + 1];
        for t in occ.iter().filter_map(|o| o.time) {
            c[((t - t0) / width) as usize] += 1;
        }
        if c.iter().any(|&n| n > 0) {
            counts.insert(*code, c);
        }
    }
    let top = counts.values().flatten().copied().max().unwrap_or(1).max(1) as f64;
    let x = |i: usize| PAD + (W - 2.0 * PAD) * i as f64 / BUCKETS as f64;
    let y = |n: u32| HT - PAD - (HT - 2.0 * PAD) * f64::from(n) / top;
    let _ = write!(
        h,
        "<svg id=\"timeline\" viewBox=\"0 0 {W} {HT}\" width=\"100%\" role=\"img\" aria-label=\"failures per code over time\">\
         <line x1=\"{PAD}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"#8c959f\"/><line x1=\"{PAD}\" y1=\"{PAD}\" x2=\"{PAD}\" y2=\"{b}\" stroke=\"#8c959f\"/>\
         <text x=\"{PAD}\" y=\"{lb}\">{}</text><text x=\"{r}\" y=\"{lb}\" text-anchor=\"end\">{}</text>\
         <text x=\"{tx}\" y=\"{PAD}\" text-anchor=\"end\">{top}</text><text x=\"{tx}\" y=\"{b}\" text-anchor=\"end\">0</text>",
        when(t0),
        when(t0 + width * (BUCKETS + 1)),
        b = HT - PAD,
        r = W - PAD,
        lb = HT - PAD + 16.0,
        tx = PAD - 4.0,
    );
    let mut legend = String::from("<ul class=\"legend\">");
    for (i, (code, c)) in counts.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let points: Vec<String> = c
            .iter()
            .enumerate()
            .map(|(i, &n)| format!("{:.1},{:.1}", x(i), y(n)))
            .collect();
        let _ = write!(
            h,
            "<polyline class=\"series\" data-code=\"{code}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{}\"><title>{code}</title></polyline>",
            points.join(" ")
        );
        let _ = write!(
            legend,
            "<li data-code=\"{code}\"><span class=\"sw\" style=\"background:{color}\"></span>{code}</li>"
        );
    }
    let _ = write!(
        h,
        "</svg>{legend}</ul><p class=\"muted\">One bucket is {width} s.</p>"
    );
}

fn list(h: &mut String, what: &str, items: &std::collections::BTreeSet<String>) {
    let _ = write!(h, "<h3>{what} ({})</h3>", items.len());
    if items.is_empty() {
        h.push_str("<p class=\"muted\">None captured.</p>");
        return;
    }
    h.push_str("<ul class=\"cols\">");
    for i in items.iter().take(200) {
        let _ = write!(h, "<li>{}</li>", esc(i));
    }
    h.push_str("</ul>");
}

fn affected(h: &mut String, groups: &BTreeMap<Code, Vec<&Occurrence>>) {
    let all: Vec<&Occurrence> = groups.values().flatten().copied().collect();
    let a = Report::affected(&all);
    h.push_str("<h2 id=\"affected\">Affected</h2>");
    list(h, "Mailboxes", &a.mailboxes);
    list(h, "Domains", &a.domains);
    list(h, "Endpoints", &a.endpoints);
}

fn section(h: &mut String, report: &Report, code: Code, occ: &[&Occurrence], locale: &str) {
    let (first, last) = seen(occ);
    let _ = write!(
        h,
        "<section id=\"{code}\"><h2>{code} {}</h2><p>{} times, first {first}, last {last}.</p><p class=\"muted\">Where: ",
        esc(&title(code, locale)),
        occ.len()
    );
    let places: Vec<String> = occ
        .iter()
        .take(10)
        .map(|o| format!("{}:{}", report.sources[o.source], o.line))
        .collect();
    h.push_str(&esc(&places.join(", ")));
    if occ.len() > 10 {
        let _ = write!(h, " and {} more", occ.len() - 10);
    }
    h.push_str("</p>");
    if let Some(entry) = catalog().get(code) {
        let captures = occ
            .first()
            .map(|o| o.finding.captures.clone())
            .unwrap_or_default();
        let _ = write!(
            h,
            "<pre class=\"card\">{}</pre>",
            esc(&render::card(entry, locale, &captures))
        );
    }
    h.push_str("</section>");
}

/// One plan for every finding of every file: each finding stands on its own line of a listing
/// of places, so the plan's line numbers read as the places listed under it.
fn plan(h: &mut String, report: &Report, locale: &str) {
    let mut listing = String::new();
    let mut findings: Vec<Finding> = Vec::new();
    for o in &report.occurrences {
        let start = listing.len();
        let _ = writeln!(listing, "{}:{}", report.sources[o.source], o.line);
        findings.push(Finding {
            range: start..start,
            ..o.finding.clone()
        });
    }
    let script = render::remediation_plan("this report", &listing, &findings, locale);
    h.push_str("<h2 id=\"plan\">Remediation plan</h2><pre class=\"plan\">");
    h.push_str(&esc(&script));
    h.push_str("</pre><h3>Places (the plan's line numbers)</h3><pre class=\"places\">");
    const SHOWN: usize = 5000;
    for (i, line) in listing.lines().enumerate().take(SHOWN) {
        let _ = writeln!(h, "{:>5}  {}", i + 1, esc(line));
    }
    if report.occurrences.len() > SHOWN {
        let _ = writeln!(h, "… and {} more", report.occurrences.len() - SHOWN);
    }
    h.push_str("</pre>");
}
