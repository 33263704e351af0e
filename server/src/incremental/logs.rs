//! The logs after an edit. A header line resets the log reader, so only the logs from the header
//! before the touched lines to the header after them are read again. A W3C or CSV log is also
//! kept in parts (about 64 KiB of rows each, with their findings and counts): an edit inside one
//! re-reads the parts it touches and sums the counts of all parts into the log's FB200 summary.
use super::marks::Marks;
use super::{rope, shifted, Change};
use crate::finding::Finding;
use crate::logs::{self, Line, Stats};
use crate::options::Options;
use ropey::Rope;
use std::ops::Range;

/// Bytes of rows per part (small in debug builds, so that tests and fuzzing meet many parts).
const PART: usize = if cfg!(debug_assertions) {
    512
} else {
    64 * 1024
};

#[derive(Default)]
pub struct Logs {
    /// Every log's findings, log after log, as `logs::analyse` gives them.
    pub findings: Vec<Finding>,
    /// Parts of W3C and CSV logs, in order.
    parts: Vec<Part>,
}

struct Part {
    /// Where its log's header line starts.
    head: usize,
    /// Whole lines of rows.
    range: Range<usize>,
    findings: Vec<Finding>,
    counts: Stats<'static>,
    /// The first and last timestamps.
    stamps: [Option<(String, String)>; 2],
}

impl Logs {
    /// The logs of the whole text (`None`: `stop` said so).
    pub fn full(text: &str, opts: &Options, stop: &dyn Fn() -> bool) -> Option<Logs> {
        Some(Logs {
            findings: logs::analyse_until(text, opts, stop)?,
            parts: Vec::new(),
        })
    }

    /// The logs after `ch`; `lines` the new text's touched lines, `old`/`new` the marks.
    pub fn update(
        &self,
        ch: Change,
        lines: Range<usize>,
        text: &Rope,
        old: &Marks,
        new: &Marks,
        opts: &Options,
    ) -> Logs {
        let heads = &new.heads;
        let i = heads.partition_point(|&h| h < lines.start);
        let from = i.checked_sub(1).map_or(0, |i| heads[i]);
        let next = heads.partition_point(|&h| h < lines.end);
        let to = heads.get(next).copied().unwrap_or(text.len_bytes());
        // One log from `from` to `to`, in the old text as in the new: its parts can be kept.
        let alone = i > 0
            && next == i
            && old.heads.partition_point(|&h| h <= from)
                == old.heads.partition_point(|&h| h < ch.map_old(to));
        let (p0, p1) = (
            self.parts.partition_point(|p| p.range.start < from),
            self.parts
                .partition_point(|p| p.range.start < ch.map_old(to)),
        );
        let mut parts: Vec<Part> = Vec::new();
        let read = if alone {
            self.read_log(
                &self.parts[p0..p1],
                ch,
                lines,
                from..to,
                text,
                opts,
                &mut parts,
            )
        } else {
            None
        };
        let found = read.unwrap_or_else(|| {
            parts.clear();
            logs::analyse(&rope::text(text, from..to), opts)
                .into_iter()
                .map(|f| shifted(f, 0, from))
                .collect()
        });
        // A log's findings start inside it: the logs before and after are blocks of their own.
        let old_f = &self.findings;
        let a = old_f.partition_point(|f| f.range.start < from);
        let b = old_f.partition_point(|f| f.range.start < ch.map_old(to));
        let mut findings = old_f[..a].to_vec();
        findings.extend(found);
        findings.extend(old_f[b..].iter().map(|f| moved(f, ch)));
        let mut all = Vec::with_capacity(self.parts.len() + parts.len());
        all.extend(self.parts[..p0].iter().map(Part::copy));
        all.extend(parts);
        all.extend(self.parts[p1..].iter().map(|p| p.moved(ch)));
        Logs {
            findings,
            parts: all,
        }
    }

    /// The log `log` (from its header line, one W3C or CSV log) in parts: the parts `kept` (the
    /// log's old parts) that the touched `lines` leave alone, the rest read again. Its findings;
    /// `None` when it is not such a log or a line of it ends it.
    #[allow(clippy::too_many_arguments)]
    fn read_log(
        &self,
        kept: &[Part],
        ch: Change,
        lines: Range<usize>,
        log: Range<usize>,
        text: &Rope,
        opts: &Options,
        parts: &mut Vec<Part>,
    ) -> Option<Vec<Finding>> {
        let header_end = rope::line_end(text, log.start);
        let header_text = rope::text(text, log.start..header_end);
        let header = header_line(&header_text, log.start);
        // The old parts the touched lines meet, and the range they and the lines cover.
        let (old_lines, rows) = (lines.start..ch.map_old(lines.end), header_end..log.end);
        let t0 = kept.partition_point(|p| p.range.end <= old_lines.start);
        let t1 = kept.partition_point(|p| p.range.start < old_lines.end);
        let (region, before, after) = if kept.is_empty() || t1 < t0 {
            (rows, &kept[..0], &kept[..0])
        } else {
            let start = kept
                .get(t0)
                .map_or(lines.start, |p| p.range.start.min(lines.start));
            let end = kept[..t1]
                .last()
                .map_or(old_lines.end, |p| p.range.end.max(old_lines.end));
            let end = (end + ch.new_end).saturating_sub(ch.old_end);
            (start..end, &kept[..t0], &kept[t1..])
        };
        parts.extend(before.iter().map(Part::copy));
        let mut at = region.start;
        while at < region.end {
            let end = rope::line_end(text, (at + PART).min(region.end)).min(region.end);
            let piece = rope::text(text, at..end);
            let (findings, stats) = logs::rows(header, &piece, at, opts)?;
            let (counts, stamps) = stats.detach();
            parts.push(Part {
                head: log.start,
                range: at..end,
                findings,
                counts,
                stamps,
            });
            at = end;
        }
        parts.extend(after.iter().map(|p| p.moved(ch)));
        let mut total = Stats::default();
        let mut found = Vec::new();
        for p in parts.iter() {
            let mut s = Stats::default();
            s.merge(&p.counts);
            s.first = p.stamps[0].as_ref().map(|(d, t)| (d.as_str(), t.as_str()));
            s.last = p.stamps[1].as_ref().map(|(d, t)| (d.as_str(), t.as_str()));
            total.merge(&s);
            found.extend(p.findings.iter().cloned());
        }
        found.extend(logs::summary(header, &total, opts));
        Some(found)
    }
}

impl Part {
    fn copy(&self) -> Part {
        self.moved(Change::new(0..0, 0))
    }

    /// This part after `ch` (a change before it).
    fn moved(&self, ch: Change) -> Part {
        let mv = |p: usize| {
            if p >= ch.old_end {
                p - ch.old_end + ch.new_end
            } else {
                p
            }
        };
        let mut counts = Stats::default();
        counts.merge(&self.counts);
        Part {
            head: mv(self.head),
            range: mv(self.range.start)..mv(self.range.end),
            findings: self.findings.iter().map(|f| moved(f, ch)).collect(),
            counts,
            stamps: self.stamps.clone(),
        }
    }
}

fn moved(f: &Finding, ch: Change) -> Finding {
    if f.range.start >= ch.old_end {
        shifted(f.clone(), ch.old_end, ch.new_end)
    } else {
        f.clone()
    }
}

/// A header line as the log reader sees it: no line end, no byte-order mark.
fn header_line(text: &str, start: usize) -> Line<'_> {
    let t = text.strip_suffix('\n').unwrap_or(text);
    let t = t.strip_suffix('\r').unwrap_or(t);
    let bare = t.trim_start_matches('\u{feff}');
    Line {
        start: start + (t.len() - bare.len()),
        text: bare,
    }
}
