//! A card's Markdown for a terminal: headings underlined, emphasis and code marks dropped (bold
//! on a terminal that is one), lists and code blocks indented, paragraphs wrapped to the width,
//! links as `text (address)`. The same plain text serves PowerShell comments.
use super::wrap;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// `md` as plain text `width` wide (80 when `None`); `bold`: ANSI bold for strong text.
pub fn render(md: &str, width: Option<usize>, bold: bool) -> String {
    let width = width.unwrap_or(80);
    let mut r = Render {
        out: String::new(),
        para: String::new(),
        lists: Vec::new(),
        link: None,
        heading: None,
        code_block: false,
        hang: 0,
        bold,
        width,
    };
    for event in Parser::new(md) {
        r.event(event);
    }
    r.flush();
    let mut out = r.out.trim_end().to_string();
    out.push('\n');
    out
}

struct Render {
    out: String,
    /// The paragraph, list item or heading being collected (wrapped when it ends).
    para: String,
    /// Nested lists: the next number of an ordered one, `None` for bullets.
    lists: Vec<Option<u64>>,
    link: Option<String>,
    heading: Option<HeadingLevel>,
    code_block: bool,
    /// The width of the current list item's mark, for its continuation lines.
    hang: usize,
    bold: bool,
    width: usize,
}

impl Render {
    fn indent(&self) -> usize {
        self.lists.len() * 3
    }

    fn event(&mut self, event: Event) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.flush();
                self.heading = Some(level);
            }
            Event::End(TagEnd::Heading(_)) => {
                let text = std::mem::take(&mut self.para);
                let level = self.heading.take();
                let under = match level {
                    Some(HeadingLevel::H1 | HeadingLevel::H2 | HeadingLevel::H3) => '=',
                    _ => '-',
                };
                let line: String = under
                    .to_string()
                    .repeat(text.chars().count().min(self.width));
                self.out.push_str(&format!("{}\n{line}\n\n", text.trim()));
            }
            Event::Start(Tag::List(start)) => {
                self.flush();
                self.lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                self.flush();
                let mark = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_string(),
                };
                self.hang = mark.len();
                self.para.push_str(&mark);
            }
            Event::End(TagEnd::Item) => self.flush(),
            Event::End(TagEnd::Paragraph) => {
                self.flush();
                if self.lists.is_empty() {
                    self.out.push('\n');
                }
            }
            Event::Start(Tag::CodeBlock(_)) => {
                self.flush();
                self.code_block = true;
            }
            Event::Text(t) if self.in_code_block() => {
                let pad = " ".repeat(self.indent() + 4);
                for l in t.lines() {
                    self.out.push_str(&format!("{pad}{l}\n"));
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                self.code_block = false;
                self.out.push('\n');
            }
            Event::Start(Tag::Strong) if self.bold => self.para.push_str("\x1b[1m"),
            Event::End(TagEnd::Strong) if self.bold => self.para.push_str("\x1b[0m"),
            Event::Start(Tag::Link { dest_url, .. }) => self.link = Some(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = self.link.take() {
                    self.para.push_str(&format!(" ({url})"));
                }
            }
            Event::Text(t) | Event::Code(t) => self.para.push_str(&t),
            Event::SoftBreak => self.para.push(' '),
            Event::HardBreak => self.para.push('\n'),
            Event::Html(t) | Event::InlineHtml(t) => self.para.push_str(&t),
            _ => {}
        }
    }

    fn in_code_block(&self) -> bool {
        self.code_block
    }

    /// Writes the collected text wrapped, list items with a hanging indent.
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.para);
        if text.trim().is_empty() {
            return;
        }
        let depth = self.lists.len().saturating_sub(1) * 3;
        let hang = if self.lists.is_empty() { 0 } else { self.hang };
        let body = wrap(text.trim(), Some(self.width.saturating_sub(depth)), hang);
        for l in body.lines() {
            self.out.push_str(&format!("{}{l}\n", " ".repeat(depth)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_reads_as_plain_text() {
        let md = "### FB012 · Title\n\n*error · `id`*\n\nA **bold** word and\na [link](https://x.example/).\n\n1. *Shell*: do it\n   ```powershell\n   Get-AuthConfig\n   ```\n";
        let out = render(md, Some(80), false);
        assert!(out.starts_with("FB012 · Title\n============="), "{out}");
        assert!(out.contains("error · id\n"), "{out}");
        assert!(
            out.contains("A bold word and a link (https://x.example/)."),
            "{out}"
        );
        assert!(
            out.contains("1. Shell: do it\n       Get-AuthConfig\n"),
            "{out}"
        );
        assert!(!out.contains('`') && !out.contains("**"), "{out}");
    }
}
