//! Log timestamps: ISO 8601 (`2024-05-03T07:02:19.220Z`, HttpProxy's DateTime column) and W3C
//! (`2024-05-03 07:02:19`, IIS and HTTPERR `date time`), on a finding's line or just above it.
use crate::lines::LineIndex;
use regex::Regex;
use std::sync::LazyLock;

static STAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})").expect("timestamp")
});

/// Lines looked at above a finding for its time (a wrapped message, a capture's headers).
const ABOVE: usize = 3;

/// The time of the finding at `offset`, from its line or the nearest of the lines above it.
pub fn near(text: &str, lines: &LineIndex, offset: usize) -> Option<i64> {
    let mut start = lines.line_start(offset.min(text.len()));
    for _ in 0..=ABOVE {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        if let Some(t) = parse(&text[start..end]) {
            return Some(t);
        }
        if start == 0 {
            return None;
        }
        start = lines.line_start(start - 1);
    }
    None
}

/// Seconds since 1970-01-01 UTC of the first timestamp in `s`.
pub fn parse(s: &str) -> Option<i64> {
    let c = STAMP.captures(s)?;
    let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<i64>().ok());
    let (y, mo, d, h, mi, se) = (n(1)?, n(2)?, n(3)?, n(4)?, n(5)?, n(6)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    Some(days(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
fn days(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2024-05-03 07:02:19` (UTC) for seconds since 1970.
pub fn format(t: i64) -> String {
    let (day, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_of_every_log_kind_round_trip() {
        let iso = parse("2024-05-03T07:02:19.220Z,6f1c2a,15.2").unwrap();
        let w3c = parse("2024-05-03 07:02:19 10.0.0.1 POST /EWS/Exchange.asmx").unwrap();
        assert_eq!(iso, w3c);
        assert_eq!(parse("1970-01-01T00:00:00"), Some(0));
        assert_eq!(format(iso), "2024-05-03 07:02:19");
        assert_eq!(
            format(parse("2000-02-29 23:59:59").unwrap()),
            "2000-02-29 23:59:59"
        );
        assert_eq!(parse("2024-13-03T07:02:19"), None);
        let text = "2024-05-03 07:02:19 start\nerror here\n";
        let lines = LineIndex::new(text);
        assert_eq!(near(text, &lines, text.find("error").unwrap()), Some(w3c));
    }
}
