//! FB111: a free/busy endpoint (`-TargetSharingEpr`, `-TargetAutodiscoverEpr`,
//! `-DiscoveryEndpoint`) given a URL of the wrong shape. Plain `http://` is an error (fixed by
//! switching to https); a wrong path is a warning: it answers with a redirect, a 404 or a page
//! instead of the web service. The shapes are data (`knowledge/tables/endpoints.toml`), judged by
//! `crate::endpoints`, as pasted output is (FB304).
use crate::code::Code;
use crate::endpoints;
use crate::finding::{Finding, Suggestion};
use crate::knowledge::{Endpoint, Severity};
use crate::script::edits;
use crate::script::model::{Command, Param, Script};

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    let catalog = script.catalog;
    for cmd in commands {
        for endpoint in catalog.endpoints() {
            let Some(param) = cmd.param(&endpoint.name) else {
                continue;
            };
            out.extend(wrong_shape(script, param, endpoint));
        }
    }
}

/// The finding for one endpoint parameter, if its literal URL has the wrong scheme or path.
fn wrong_shape(script: &Script, param: &Param, endpoint: &Endpoint) -> Option<Finding> {
    let value = script.resolve(param.value.as_ref()?);
    let url = value.as_str()?.trim();
    if url.is_empty() || url.contains('<') {
        return None;
    }
    let shape = endpoints::shape(endpoint, url);
    if shape.ok() {
        return None;
    }
    let name = &endpoint.name;
    let expected = endpoints::expected(endpoint);
    let mut f = Finding::new(Code::FB111, param.full_range());
    f.note = Some(match (shape.http, shape.path_ok) {
        (true, true) => format!("`-{name}` uses plain http; the endpoint must be https."),
        (true, false) => {
            format!("`-{name}` uses plain http and the wrong path: it must be {expected}.")
        }
        (false, _) => format!("`-{name}` must be {expected}."),
    });
    f.severity = Some(if shape.http {
        Severity::Error
    } else {
        Severity::Warning
    });
    let scheme = value.text.to_ascii_lowercase().find("http://");
    if let (true, Some(i)) = (shape.http, scheme) {
        let at = value.range.start + i;
        f.suggestions.push(Suggestion {
            title: "Use https".into(),
            edits: vec![edits::replace(at..at + "http://".len(), "https://")],
        });
    }
    Some(f)
}
