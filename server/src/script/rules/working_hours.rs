//! FB106 working-hours: `Set-MailboxCalendarConfiguration` with working hours that end before they
//! start, set without `-WorkingHoursTimeZone`, or with a time zone that is no Windows time zone id
//! (an IANA name, a daylight form, a typo). Room list lookups fail on such a mailbox. The ids and
//! the IANA names mapped to them are data (`knowledge/tables/time-zones.toml`).
use crate::code::Code;
use crate::finding::{Finding, Suggestion};
use crate::knowledge::{Severity, TimeZones};
use crate::script::edits;
use crate::script::model::{Command, Param, Script, Value, ValueKind};

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    let zones = script.catalog.time_zones();
    for cmd in commands {
        let start = cmd.param("WorkingHoursStartTime");
        let end = cmd.param("WorkingHoursEndTime");
        if let (Some(s), Some(e)) = (start, end) {
            reversed_hours(script, cmd, s, e, out);
        }
        match cmd.param("WorkingHoursTimeZone") {
            Some(tz) => unknown_time_zone(script, zones, tz, out),
            None if start.or(end).is_some_and(|p| p.value.is_some()) => {
                missing_time_zone(script, zones, cmd, commands, out)
            }
            None => {}
        }
    }
}

/// Seconds since midnight of `08:00`, `8:00:00`, `17:30`.
fn time_of_day(text: &str) -> Option<u32> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.is_empty() || p.len() > 2) {
        return None;
    }
    let mut n = [0u32; 3];
    for (slot, p) in n.iter_mut().zip(&parts) {
        *slot = p.parse().ok()?;
    }
    (n[0] < 24 && n[1] < 60 && n[2] < 60).then_some(n[0] * 3600 + n[1] * 60 + n[2])
}

fn literal_time<'s>(script: &'s Script, p: &'s Param) -> Option<(&'s str, u32)> {
    let text = script.literal(p.value.as_ref()?)?;
    Some((text, time_of_day(text)?))
}

/// Start later than end. The fix swaps the two values when both are written in the same place
/// (both on the command line, or both in the splatted hashtable).
fn reversed_hours(script: &Script, cmd: &Command, s: &Param, e: &Param, out: &mut Vec<Finding>) {
    let (Some((start, a)), Some((end, b))) = (literal_time(script, s), literal_time(script, e))
    else {
        return;
    };
    if a <= b {
        return;
    }
    let inline = |p: &Param| cmd.range.contains(&p.range.start);
    let same_place = inline(s) == inline(e);
    let range = if same_place {
        let (x, y) = (s.full_range(), e.full_range());
        x.start.min(y.start)..x.end.max(y.end)
    } else {
        s.full_range()
    };
    let mut f = Finding::new(Code::FB106, range);
    f.severity = Some(Severity::Error);
    f.note = Some(format!(
        "The working day starts at {start} but ends at {end}: room list lookups fail on this mailbox."
    ));
    if let (true, Some(sv), Some(ev)) = (same_place, &s.value, &e.value) {
        f.suggestions.push(Suggestion {
            title: "Swap start and end times".into(),
            edits: vec![
                edits::replace(sv.range.clone(), ev.text.clone()),
                edits::replace(ev.range.clone(), sv.text.clone()),
            ],
        });
    }
    out.push(f);
}

fn unknown_time_zone(script: &Script, zones: &TimeZones, tz: &Param, out: &mut Vec<Finding>) {
    let Some(value) = &tz.value else {
        return;
    };
    let name = match &script.resolve(value).kind {
        ValueKind::Str(s) => s.trim(),
        ValueKind::Null => "",
        _ => return,
    };
    if zones.windows_id(name).is_some() || name.starts_with('<') || name.contains('$') {
        return;
    }
    let mut f = Finding::new(Code::FB106, tz.full_range());
    f.severity = Some(Severity::Error);
    f.note = Some(if name.is_empty() {
        "The time zone is empty: working hours need a Windows time zone id.".into()
    } else {
        format!("`{name}` is not a Windows time zone id (as `Get-TimeZone -ListAvailable` lists).")
    });
    if let Some(zone) = meant_zone(zones, name) {
        f.suggestions.push(Suggestion {
            title: format!("Use \"{zone}\""),
            edits: vec![edits::replace(
                value.range.clone(),
                edits::same_quotes(&value.text, zone, tz.splatted()),
            )],
        });
    }
    out.push(f);
}

/// The Windows id meant by a wrong name: an IANA name, a daylight or short form, a typo.
fn meant_zone<'z>(zones: &'z TimeZones, name: &str) -> Option<&'z str> {
    if name.is_empty() {
        return None;
    }
    if let Some(zone) = zones.from_iana(name) {
        return Some(zone);
    }
    let lower = name.to_lowercase();
    let standard = lower
        .replace("daylight", "standard")
        .replace("summer", "standard");
    let long = match standard.strip_suffix(" time") {
        Some(stem) if !stem.ends_with(" standard") => format!("{stem} standard time"),
        _ => standard,
    };
    crate::text::nearest(&long, zones.windows.iter().map(String::as_str), 3)
}

/// Working hours without a time zone. When another command of the script gives the same mailbox
/// its zone, nothing is wrong; when the script uses one zone throughout, the fix adds that one.
fn missing_time_zone(
    script: &Script,
    zones: &TimeZones,
    cmd: &Command,
    all: &[&Command],
    out: &mut Vec<Finding>,
) {
    if all
        .iter()
        .any(|c| zone_of(c).is_some() && script.same_target(cmd, c))
    {
        return;
    }
    let mut used: Vec<&str> = all
        .iter()
        .filter_map(|c| zones.windows_id(script.literal(zone_of(c)?)?))
        .collect();
    used.sort_unstable();
    used.dedup();
    let mut f = Finding::new(Code::FB106, cmd.name_range.clone());
    f.severity = Some(Severity::Warning);
    f.note = Some(
        "Working hours are set without -WorkingHoursTimeZone: a mailbox without a time zone breaks room list lookups."
            .into(),
    );
    // Only when the script uses one time zone throughout is it safe to assume this one.
    if let [zone] = used.as_slice() {
        f.suggestions.push(Suggestion {
            title: format!("Add -WorkingHoursTimeZone \"{zone}\" (the only one this script uses)"),
            edits: vec![edits::add_param(
                &cmd.range,
                "WorkingHoursTimeZone",
                &format!("\"{zone}\""),
            )],
        });
    }
    out.push(f);
}

fn zone_of(cmd: &Command) -> Option<&Value> {
    cmd.value("WorkingHoursTimeZone")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day_are_read_as_exchange_takes_them() {
        assert_eq!(time_of_day("08:00"), Some(8 * 3600));
        assert_eq!(time_of_day(" 8:00:30 "), Some(8 * 3600 + 30));
        assert_eq!(time_of_day("24:00"), None);
        assert_eq!(time_of_day("8"), None);
        assert_eq!(time_of_day("08:000"), None);
    }

    #[test]
    fn the_meant_zone_comes_from_iana_daylight_or_typo() {
        let zones = crate::knowledge::catalog().time_zones();
        assert_eq!(
            meant_zone(zones, "Europe/Stockholm"),
            Some("W. Europe Standard Time")
        );
        assert_eq!(
            meant_zone(zones, "Pacific Daylight Time"),
            Some("Pacific Standard Time")
        );
        assert_eq!(
            meant_zone(zones, "Central European Time"),
            Some("Central European Standard Time")
        );
        assert_eq!(meant_zone(zones, "Mars/Olympus_Mons"), None);
        assert_eq!(meant_zone(zones, ""), None);
    }
}
