//! The cards' Markdown as HTML: every text escaped, raw HTML shown as text, and every catalog
//! code in running text a link to its page.
use crate::code::Code;
use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};
use regex::Regex;
use std::sync::OnceLock;

/// `md` as HTML; a code `FBnnn` outside code and links links to `FBnnn.html` beside the page.
pub fn to_html(md: &str) -> String {
    // Inside a link a code is already linked; a heading names the page's own code.
    let mut in_link = 0usize;
    let mut events = Vec::new();
    for event in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            // Card text is ours, but nothing in it is markup: show tags as written.
            Event::Html(s) | Event::InlineHtml(s) => events.push(Event::Text(s)),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                in_link += 1;
                let dest_url = if safe_url(&dest_url) {
                    dest_url
                } else {
                    CowStr::Borrowed("#")
                };
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Heading { .. }) => {
                in_link += 1;
                events.push(event);
            }
            Event::End(TagEnd::Heading(level)) => {
                in_link = in_link.saturating_sub(1);
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::End(TagEnd::Link) => {
                in_link = in_link.saturating_sub(1);
                events.push(Event::End(TagEnd::Link));
            }
            Event::Text(s) if in_link == 0 => linkify(&s, &mut events),
            other => events.push(other),
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

fn safe_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://") || url.starts_with('#')
}

/// Splits `text` at catalog codes, each a link; the rest stays text (escaped on output).
fn linkify<'a>(text: &str, events: &mut Vec<Event<'a>>) {
    static CODE: OnceLock<Regex> = OnceLock::new();
    let re = CODE.get_or_init(|| Regex::new(r"\bFB\d{3}\b").expect("valid regex"));
    let mut last = 0;
    for m in re.find_iter(text) {
        let Some(code) = Code::parse(m.as_str()) else {
            continue;
        };
        if m.start() > last {
            events.push(Event::Text(text[last..m.start()].to_string().into()));
        }
        events.push(Event::Html(
            format!("<a class=\"code\" href=\"{code}.html\">{code}</a>").into(),
        ));
        last = m.end();
    }
    if last < text.len() {
        events.push(Event::Text(text[last..].to_string().into()));
    }
}

/// `s` safe inside HTML text and double-quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_the_text_is_escaped_and_codes_are_links() {
        let html = to_html("See FB012 and <script>alert(1)</script> `FB021`");
        assert!(html.contains("<a class=\"code\" href=\"FB012.html\">FB012</a>"));
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>"));
        assert!(html.contains("<code>FB021</code>"), "{html}");
    }

    #[test]
    fn unknown_codes_and_unsafe_links_stay_inert() {
        let html = to_html("FB999 [x](javascript:alert(1))");
        assert!(!html.contains("FB999.html"));
        assert!(!html.contains("javascript:"), "{html}");
    }
}
