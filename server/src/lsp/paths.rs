//! Document URIs to local paths, for the one file we ask a client to create: the remediation
//! script beside a log. A URI we cannot place on this machine exactly as written (another scheme,
//! a remote host, an encoded `/` or `\`, a `..` segment, a query) gives `None`, and the caller
//! appends to the document instead.
use super::types::Uri;
use std::path::{Path, PathBuf};

/// A file beside a document: where it is on disk and the URI to give the client.
#[derive(Debug, Clone, PartialEq)]
pub struct Sibling {
    pub path: PathBuf,
    pub uri: Uri,
}

/// `<dir>/<stem><suffix>` beside the document `uri` (`trace.log` + `.remediation.ps1` ->
/// `trace.remediation.ps1`): the same directory, whatever the URI tried to say.
pub fn sibling(uri: &Uri, suffix: &str) -> Option<Sibling> {
    let (path, last) = segments(uri)?;
    let stem = Path::new(&last).file_stem()?.to_str()?;
    let name = format!("{stem}{suffix}");
    if !plain_segment(&name) {
        return None;
    }
    // Keep the document's own spelling of the directory (clients compare URIs as strings).
    let raw = uri.as_str();
    let dir = &raw[..raw.rfind('/')? + 1];
    let uri = format!("{dir}{}", encode(&name)).parse().ok()?;
    Some(Sibling {
        path: path.with_file_name(&name),
        uri,
    })
}

/// The local path of a plain `file:` URI (see `segments`).
pub fn local_path(uri: &Uri) -> Option<PathBuf> {
    segments(uri).map(|(path, _)| path)
}

/// The decoded path and its last segment, or `None` for anything but a plain local file URI.
fn segments(uri: &Uri) -> Option<(PathBuf, String)> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file")
        || uri.query().is_some()
        || uri.fragment().is_some()
    {
        return None;
    }
    if let Some(auth) = uri.authority() {
        let host = auth.host();
        let local = host.is_empty() || host.eq_ignore_ascii_case("localhost");
        if !local || auth.has_userinfo() || auth.has_port() {
            return None;
        }
    }
    let mut decoded = Vec::new();
    for seg in uri.path().segments_if_absolute()? {
        let seg = seg.decode().to_string().ok()?.into_owned();
        if !seg.is_empty() && !plain_segment(&seg) {
            return None;
        }
        decoded.push(seg);
    }
    let last = decoded.last().filter(|s| !s.is_empty())?.clone();
    Some((to_path(&decoded)?, last))
}

/// A file or directory name that stays one: no separator, NUL, `.` or `..`.
fn plain_segment(seg: &str) -> bool {
    let special = seg == "." || seg == "..";
    let separator = seg.contains(['/', '\\', '\0']);
    !(special || separator)
}

#[cfg(not(windows))]
fn to_path(segments: &[String]) -> Option<PathBuf> {
    Some(PathBuf::from(format!("/{}", segments.join("/"))))
}

#[cfg(windows)]
fn to_path(segments: &[String]) -> Option<PathBuf> {
    // `file:///C:/dir/x.log`: the first segment is the drive; a colon anywhere else would name
    // an alternate data stream.
    let drive = segments.first()?;
    let b = drive.as_bytes();
    let is_drive = b.len() == 2 && b[0].is_ascii_alphabetic() && b[1] == b':';
    if !is_drive || segments.len() < 2 || segments[1..].iter().any(|s| s.contains(':')) {
        return None;
    }
    Some(PathBuf::from(format!(
        "{drive}\\{}",
        segments[1..].join("\\")
    )))
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
/// The `file:` URI of `code`'s page in a reference site built under `dir` (`docs -o DIR`), when
/// the page is there; `None` sends the reader to the article instead.
pub fn local_page(dir: &Path, locale: &str, code: &str) -> Option<String> {
    let page = dir.join(locale).join(format!("{code}.html"));
    let page = std::fs::canonicalize(&page).ok().filter(|p| p.is_file())?;
    let mut uri = String::from("file://");
    for part in page.components() {
        match part {
            std::path::Component::Normal(s) => {
                uri.push('/');
                uri.push_str(&encode(s.to_str()?));
            }
            std::path::Component::RootDir => {}
            // A Windows drive (`C:`) stays as written.
            std::path::Component::Prefix(p) => {
                uri.push('/');
                uri.push_str(p.as_os_str().to_str()?.trim_start_matches(r"\\?\"));
            }
            _ => return None,
        }
    }
    Some(uri)
}

fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(all(test, not(windows)))]
mod tests {
    use super::*;

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    fn script(s: &str) -> Option<(String, String)> {
        sibling(&uri(s), ".remediation.ps1")
            .map(|s| (s.path.display().to_string(), s.uri.as_str().to_string()))
    }

    #[test]
    fn a_plain_file_uri_gets_its_script_beside_it() {
        let want = |p: &str, u: &str| Some((p.to_string(), u.to_string()));
        assert_eq!(
            script("file:///tmp/x/trace.log"),
            want(
                "/tmp/x/trace.remediation.ps1",
                "file:///tmp/x/trace.remediation.ps1"
            )
        );
        assert_eq!(
            script("file://localhost/tmp/my%20dir/f%C3%A4lt.log"),
            want(
                "/tmp/my dir/fält.remediation.ps1",
                "file://localhost/tmp/my%20dir/f%C3%A4lt.remediation.ps1"
            )
        );
        assert_eq!(
            script("file:///tmp/a%20b.c.txt"),
            want(
                "/tmp/a b.c.remediation.ps1",
                "file:///tmp/a%20b.c.remediation.ps1"
            )
        );
        assert_eq!(
            sibling(&uri("file:///tmp/x/trace.log"), ".remediation-2.ps1").map(|s| s.path),
            Some(PathBuf::from("/tmp/x/trace.remediation-2.ps1"))
        );
    }

    #[test]
    fn a_uri_that_would_leave_the_directory_is_refused() {
        for refused in [
            "file:///dir/a%2F..%2F..%2Fetc%2Fpasswd.log",
            "file:///dir/a%5C..%5Cpasswd.log",
            "file:///dir/%2E%2E/passwd.log",
            "file:///dir/../etc/passwd.log",
            "file:///dir/./x.log",
            "file:///dir/a%00b.log",
            "file:///dir/",
            "file:///",
            "file://server/share/x.log",
            "file://user@localhost/x.log",
            "file://localhost:8080/x.log",
            "file:///dir/x.log?y=1",
            "file:///dir/x.log#frag",
            "file:///dir/%FF.log",
            "untitled:x",
            "untitled:/x.log",
            "https://example.com/x.log",
            "vscode-notebook-cell:/dir/x.log",
        ] {
            assert_eq!(script(refused), None, "{refused}");
        }
    }
}
