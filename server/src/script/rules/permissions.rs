//! Calendar permissions and working hours: FB105, FB106.
use crate::code::Code;
use crate::finding::{Edit, Finding, Suggestion};
use crate::knowledge::Severity;
use crate::script::model::{Command, Param, Script, Value, ValueKind};

/// The values `-AccessRights` accepts: roles, then the individual rights.
const ACCESS_RIGHTS: &[&str] = &[
    "None",
    "Owner",
    "PublishingEditor",
    "Editor",
    "PublishingAuthor",
    "Author",
    "NonEditingAuthor",
    "Reviewer",
    "Contributor",
    "AvailabilityOnly",
    "LimitedDetails",
    "CreateItems",
    "CreateSubfolders",
    "DeleteAllItems",
    "DeleteOwnedItems",
    "EditAllItems",
    "EditOwnedItems",
    "FolderContact",
    "FolderOwner",
    "FolderVisible",
    "ReadItems",
];

/// The two roles that share free/busy with `Default` without opening the calendar's items.
const SHARING_ROLES: [&str; 2] = ["AvailabilityOnly", "LimitedDetails"];

/// Calendar folder names as they end an `-Identity` (English and the localized `Kalender`).
const CALENDAR_SUFFIXES: &[&str] = &[":\\calendar", ":\\kalender"];

/// FB105: `Default` given `-AccessRights None` on a calendar, or a value that is no access right.
pub fn calendar_default_access(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        let Some(param) = cmd.param("AccessRights") else {
            continue;
        };
        let Some(value) = &param.value else {
            continue;
        };
        let Some(rights) = access_rights(script, value) else {
            continue;
        };
        let calendar = folder(script, cmd).map(|f| is_calendar(&f));
        if let Some(bad) = rights.iter().find(|r| !is_valid_right(r)) {
            out.push(invalid_right(param, value, bad, rights.len(), calendar));
        } else if calendar == Some(true)
            && rights.len() == 1
            && rights[0].eq_ignore_ascii_case("None")
            && user_is_default(script, cmd)
        {
            out.push(default_none(param, value));
        }
    }
}

/// The rights a value names, when they are all literal (`None`, `ReadItems,CreateItems`).
/// `None` for variables without a literal, expressions, and `<...>` placeholders (FB117's).
fn access_rights(script: &Script, value: &Value) -> Option<Vec<String>> {
    let value = script.resolve(value);
    let list = match &value.kind {
        ValueKind::Str(s) => s.as_str(),
        ValueKind::Array => value
            .text
            .trim()
            .trim_start_matches("@(")
            .trim_end_matches(')'),
        _ => return None,
    };
    let items: Vec<String> = list
        .split(',')
        .map(|s| s.trim().trim_matches(['"', '\'']).trim().to_string())
        .collect();
    let literal = |s: &String| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    };
    items.iter().all(literal).then_some(items)
}

fn is_valid_right(right: &str) -> bool {
    ACCESS_RIGHTS.iter().any(|r| r.eq_ignore_ascii_case(right))
}

/// The folder the command changes: `-Identity` (or the first positional), else the identity of
/// a `Get-MailboxFolderPermission` piped into it.
fn folder(script: &Script, cmd: &Command) -> Option<String> {
    identity(script, cmd).or_else(|| {
        let prev = script.previous_stage(cmd)?;
        prev.is("Get-MailboxFolderPermission")
            .then(|| identity(script, prev))
            .flatten()
    })
}

/// The literal identity of a folder command. A `<mailbox ID>:\Calendar` placeholder is split
/// into several words by the parser; they are joined again so the folder name still shows.
fn identity(script: &Script, cmd: &Command) -> Option<String> {
    let value = match cmd.param("Identity") {
        Some(p) => p.value.as_ref()?,
        None => cmd.positionals.first()?,
    };
    if value.text.contains('<') && !value.text.contains('>') {
        let end = cmd
            .positionals
            .iter()
            .filter(|v| v.range.start > value.range.start)
            .take_while(|v| {
                !cmd.params
                    .iter()
                    .any(|p| (value.range.end..v.range.start).contains(&p.range.start))
            })
            .find(|v| v.text.contains('>'))
            .map_or(value.range.end, |v| v.range.end);
        return script.text.get(value.range.start..end).map(str::to_string);
    }
    script.resolve(value).as_str().map(str::to_string)
}

fn is_calendar(folder: &str) -> bool {
    let folder = folder.trim().to_lowercase();
    CALENDAR_SUFFIXES.iter().any(|s| folder.ends_with(s))
}

/// `-User Default`, written or carried by a piped `Get-MailboxFolderPermission -User Default`.
fn user_is_default(script: &Script, cmd: &Command) -> bool {
    let default = |c: &Command| {
        c.param("User")
            .and_then(|p| p.value.as_ref())
            .and_then(|v| script.resolve(v).as_str())
            .is_some_and(|u| u.trim().eq_ignore_ascii_case("Default"))
    };
    if cmd.param("User").is_some() {
        return default(cmd);
    }
    script
        .previous_stage(cmd)
        .is_some_and(|p| p.is("Get-MailboxFolderPermission") && default(p))
}

fn default_none(param: &Param, value: &Value) -> Finding {
    let mut f = Finding::new(Code::FB105, param.full_range());
    f.note = Some(
        "Default with None hides even free/busy times from everyone, including other organizations."
            .into(),
    );
    f.suggestions = SHARING_ROLES
        .iter()
        .map(|role| replace_value(param, value, role))
        .collect();
    f
}

/// `calendar`: whether the folder is a calendar (`None` when the identity is not literal).
fn invalid_right(
    param: &Param,
    value: &Value,
    bad: &str,
    count: usize,
    calendar: Option<bool>,
) -> Finding {
    let mut f = Finding::new(Code::FB105, param.full_range());
    f.severity = Some(Severity::Error);
    f.note = Some(format!(
        "`{bad}` is not a folder access right: the cmdlet refuses the whole command."
    ));
    if count == 1 {
        let mut choices: Vec<&str> = Vec::new();
        if calendar != Some(false) {
            choices.extend(SHARING_ROLES);
        }
        if let Some(near) = nearest(bad, ACCESS_RIGHTS, 3) {
            if !choices.contains(&near) {
                choices.push(near);
            }
        }
        f.suggestions = choices
            .into_iter()
            .map(|c| replace_value(param, value, c))
            .collect();
    }
    f
}

/// A suggestion that writes `word` in place of `value`, keeping its quotes (and quoting it inside
/// a splatted hashtable, where a bare word would not parse).
fn replace_value(param: &Param, value: &Value, word: &str) -> Suggestion {
    Suggestion {
        title: format!("Use {word}"),
        edits: vec![Edit {
            range: value.range.clone(),
            text: quoted_like(param, value, word),
        }],
    }
}

fn quoted_like(param: &Param, value: &Value, word: &str) -> String {
    match value.text.chars().next() {
        Some(q @ ('"' | '\'')) => format!("{q}{word}{q}"),
        _ if param.range == value.range || word.contains(' ') => format!("\"{word}\""),
        _ => word.to_string(),
    }
}

/// The candidate closest to `word` (case-insensitive edit distance), if within `max` edits.
fn nearest<'c>(word: &str, candidates: &[&'c str], max: usize) -> Option<&'c str> {
    let word = word.to_lowercase();
    candidates
        .iter()
        .map(|c| (distance(&word, &c.to_lowercase()), *c))
        .filter(|(d, _)| *d <= max)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The Windows time zone ids (`tzutil /l`, `Get-TimeZone -ListAvailable`), which is what
/// `-WorkingHoursTimeZone` takes.
const WINDOWS_TIME_ZONES: &[&str] = &[
    "Afghanistan Standard Time",
    "Alaskan Standard Time",
    "Aleutian Standard Time",
    "Altai Standard Time",
    "Arab Standard Time",
    "Arabian Standard Time",
    "Arabic Standard Time",
    "Argentina Standard Time",
    "Astrakhan Standard Time",
    "Atlantic Standard Time",
    "AUS Central Standard Time",
    "Aus Central W. Standard Time",
    "AUS Eastern Standard Time",
    "Azerbaijan Standard Time",
    "Azores Standard Time",
    "Bahia Standard Time",
    "Bangladesh Standard Time",
    "Belarus Standard Time",
    "Bougainville Standard Time",
    "Canada Central Standard Time",
    "Cape Verde Standard Time",
    "Caucasus Standard Time",
    "Cen. Australia Standard Time",
    "Central America Standard Time",
    "Central Asia Standard Time",
    "Central Brazilian Standard Time",
    "Central Europe Standard Time",
    "Central European Standard Time",
    "Central Pacific Standard Time",
    "Central Standard Time",
    "Central Standard Time (Mexico)",
    "Chatham Islands Standard Time",
    "China Standard Time",
    "Cuba Standard Time",
    "Dateline Standard Time",
    "E. Africa Standard Time",
    "E. Australia Standard Time",
    "E. Europe Standard Time",
    "E. South America Standard Time",
    "Easter Island Standard Time",
    "Eastern Standard Time",
    "Eastern Standard Time (Mexico)",
    "Egypt Standard Time",
    "Ekaterinburg Standard Time",
    "Fiji Standard Time",
    "FLE Standard Time",
    "Georgian Standard Time",
    "GMT Standard Time",
    "Greenland Standard Time",
    "Greenwich Standard Time",
    "GTB Standard Time",
    "Haiti Standard Time",
    "Hawaiian Standard Time",
    "India Standard Time",
    "Iran Standard Time",
    "Israel Standard Time",
    "Jordan Standard Time",
    "Kaliningrad Standard Time",
    "Kamchatka Standard Time",
    "Korea Standard Time",
    "Libya Standard Time",
    "Line Islands Standard Time",
    "Lord Howe Standard Time",
    "Magadan Standard Time",
    "Magallanes Standard Time",
    "Marquesas Standard Time",
    "Mauritius Standard Time",
    "Mid-Atlantic Standard Time",
    "Middle East Standard Time",
    "Montevideo Standard Time",
    "Morocco Standard Time",
    "Mountain Standard Time",
    "Mountain Standard Time (Mexico)",
    "Myanmar Standard Time",
    "N. Central Asia Standard Time",
    "Namibia Standard Time",
    "Nepal Standard Time",
    "New Zealand Standard Time",
    "Newfoundland Standard Time",
    "Norfolk Standard Time",
    "North Asia East Standard Time",
    "North Asia Standard Time",
    "North Korea Standard Time",
    "Omsk Standard Time",
    "Pacific SA Standard Time",
    "Pacific Standard Time",
    "Pacific Standard Time (Mexico)",
    "Pakistan Standard Time",
    "Paraguay Standard Time",
    "Qyzylorda Standard Time",
    "Romance Standard Time",
    "Russia Time Zone 10",
    "Russia Time Zone 11",
    "Russia Time Zone 3",
    "Russian Standard Time",
    "SA Eastern Standard Time",
    "SA Pacific Standard Time",
    "SA Western Standard Time",
    "Saint Pierre Standard Time",
    "Sakhalin Standard Time",
    "Samoa Standard Time",
    "Sao Tome Standard Time",
    "Saratov Standard Time",
    "SE Asia Standard Time",
    "Singapore Standard Time",
    "South Africa Standard Time",
    "South Sudan Standard Time",
    "Sri Lanka Standard Time",
    "Sudan Standard Time",
    "Syria Standard Time",
    "Taipei Standard Time",
    "Tasmania Standard Time",
    "Tocantins Standard Time",
    "Tokyo Standard Time",
    "Tomsk Standard Time",
    "Tonga Standard Time",
    "Transbaikal Standard Time",
    "Turkey Standard Time",
    "Turks And Caicos Standard Time",
    "Ulaanbaatar Standard Time",
    "US Eastern Standard Time",
    "US Mountain Standard Time",
    "UTC",
    "UTC+12",
    "UTC+13",
    "UTC-02",
    "UTC-08",
    "UTC-09",
    "UTC-11",
    "Venezuela Standard Time",
    "Vladivostok Standard Time",
    "Volgograd Standard Time",
    "W. Australia Standard Time",
    "W. Central Africa Standard Time",
    "W. Europe Standard Time",
    "W. Mongolia Standard Time",
    "West Asia Standard Time",
    "West Bank Standard Time",
    "West Pacific Standard Time",
    "Yakutsk Standard Time",
    "Yukon Standard Time",
];

/// Common IANA names written where a Windows id belongs, with the Windows id (CLDR mapping).
const IANA_TO_WINDOWS: &[(&str, &str)] = &[
    ("Europe/Stockholm", "W. Europe Standard Time"),
    ("Europe/Berlin", "W. Europe Standard Time"),
    ("Europe/Oslo", "W. Europe Standard Time"),
    ("Europe/Copenhagen", "Romance Standard Time"),
    ("Europe/Amsterdam", "W. Europe Standard Time"),
    ("Europe/Vienna", "W. Europe Standard Time"),
    ("Europe/Zurich", "W. Europe Standard Time"),
    ("Europe/Rome", "W. Europe Standard Time"),
    ("Europe/Paris", "Romance Standard Time"),
    ("Europe/Brussels", "Romance Standard Time"),
    ("Europe/Madrid", "Romance Standard Time"),
    ("Europe/London", "GMT Standard Time"),
    ("Europe/Dublin", "GMT Standard Time"),
    ("Europe/Lisbon", "GMT Standard Time"),
    ("Europe/Helsinki", "FLE Standard Time"),
    ("Europe/Kiev", "FLE Standard Time"),
    ("Europe/Kyiv", "FLE Standard Time"),
    ("Europe/Riga", "FLE Standard Time"),
    ("Europe/Tallinn", "FLE Standard Time"),
    ("Europe/Vilnius", "FLE Standard Time"),
    ("Europe/Warsaw", "Central European Standard Time"),
    ("Europe/Prague", "Central Europe Standard Time"),
    ("Europe/Budapest", "Central Europe Standard Time"),
    ("Europe/Athens", "GTB Standard Time"),
    ("Europe/Bucharest", "GTB Standard Time"),
    ("Europe/Istanbul", "Turkey Standard Time"),
    ("Europe/Moscow", "Russian Standard Time"),
    ("America/New_York", "Eastern Standard Time"),
    ("America/Chicago", "Central Standard Time"),
    ("America/Denver", "Mountain Standard Time"),
    ("America/Phoenix", "US Mountain Standard Time"),
    ("America/Los_Angeles", "Pacific Standard Time"),
    ("America/Anchorage", "Alaskan Standard Time"),
    ("America/Toronto", "Eastern Standard Time"),
    ("America/Sao_Paulo", "E. South America Standard Time"),
    ("Pacific/Honolulu", "Hawaiian Standard Time"),
    ("Pacific/Auckland", "New Zealand Standard Time"),
    ("Asia/Tokyo", "Tokyo Standard Time"),
    ("Asia/Shanghai", "China Standard Time"),
    ("Asia/Kolkata", "India Standard Time"),
    ("Asia/Calcutta", "India Standard Time"),
    ("Asia/Singapore", "Singapore Standard Time"),
    ("Asia/Dubai", "Arabian Standard Time"),
    ("Australia/Sydney", "AUS Eastern Standard Time"),
    ("Australia/Melbourne", "AUS Eastern Standard Time"),
    ("Australia/Perth", "W. Australia Standard Time"),
    ("Africa/Johannesburg", "South Africa Standard Time"),
    ("Etc/UTC", "UTC"),
];

/// FB106: working hours that end before they start, that have no time zone, or whose time zone
/// is not a Windows time zone id.
pub fn working_hours(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        let start = cmd.param("WorkingHoursStartTime");
        let end = cmd.param("WorkingHoursEndTime");
        if let (Some(s), Some(e)) = (start, end) {
            reversed_hours(script, cmd, s, e, out);
        }
        match cmd.param("WorkingHoursTimeZone") {
            Some(tz) => unknown_time_zone(script, tz, out),
            None if start.or(end).is_some_and(|p| p.value.is_some()) => {
                missing_time_zone(script, cmd, commands, out)
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
    let text = script.resolve(p.value.as_ref()?).as_str()?;
    Some((text, time_of_day(text)?))
}

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
                Edit {
                    range: sv.range.clone(),
                    text: ev.text.clone(),
                },
                Edit {
                    range: ev.range.clone(),
                    text: sv.text.clone(),
                },
            ],
        });
    }
    out.push(f);
}

fn is_time_zone(name: &str) -> bool {
    WINDOWS_TIME_ZONES
        .iter()
        .any(|z| z.eq_ignore_ascii_case(name.trim()))
}

fn unknown_time_zone(script: &Script, tz: &Param, out: &mut Vec<Finding>) {
    let Some(value) = &tz.value else {
        return;
    };
    let name = match &script.resolve(value).kind {
        ValueKind::Str(s) => s.trim(),
        ValueKind::Null => "",
        _ => return,
    };
    if is_time_zone(name) || name.starts_with('<') || name.contains('$') {
        return;
    }
    let mut f = Finding::new(Code::FB106, tz.full_range());
    f.severity = Some(Severity::Error);
    f.note = Some(if name.is_empty() {
        "The time zone is empty: working hours need a Windows time zone id.".into()
    } else {
        format!("`{name}` is not a Windows time zone id (as `Get-TimeZone -ListAvailable` lists).")
    });
    if let Some(zone) = windows_zone_for(name) {
        f.suggestions.push(Suggestion {
            title: format!("Use \"{zone}\""),
            edits: vec![Edit {
                range: value.range.clone(),
                text: quoted_like(tz, value, zone),
            }],
        });
    }
    out.push(f);
}

/// The Windows id meant by a wrong name: an IANA name, a daylight or short form, a typo.
fn windows_zone_for(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return None;
    }
    if let Some((_, z)) = IANA_TO_WINDOWS
        .iter()
        .find(|(iana, _)| iana.eq_ignore_ascii_case(name))
    {
        return Some(z);
    }
    let lower = name.to_lowercase();
    let standard = lower
        .replace("daylight", "standard")
        .replace("summer", "standard");
    let long = match standard.strip_suffix(" time") {
        Some(stem) if !stem.ends_with(" standard") => format!("{stem} standard time"),
        _ => standard,
    };
    nearest(&long, WINDOWS_TIME_ZONES, 3)
}

fn missing_time_zone(script: &Script, cmd: &Command, all: &[&Command], out: &mut Vec<Finding>) {
    let key = identity(script, cmd).map(|s| s.to_lowercase());
    let zone_of = |c: &Command| c.param("WorkingHoursTimeZone")?.value.clone();
    let same_mailbox = |c: &Command| identity(script, c).map(|s| s.to_lowercase()) == key;
    if all.iter().any(|c| zone_of(c).is_some() && same_mailbox(c)) {
        return; // Another command of the script gives this mailbox its time zone.
    }
    let mut zones: Vec<String> = all
        .iter()
        .filter_map(|c| {
            let tz = zone_of(c)?;
            let name = script.resolve(&tz).as_str()?.trim().to_string();
            is_time_zone(&name).then_some(name)
        })
        .collect();
    zones.sort_by_key(|z| z.to_lowercase());
    zones.dedup_by_key(|z| z.to_lowercase());
    // Only when the script uses one time zone throughout is it safe to assume this one.
    let elsewhere = (zones.len() == 1).then(|| zones.remove(0));
    let mut f = Finding::new(Code::FB106, cmd.name_range.clone());
    f.severity = Some(Severity::Warning);
    f.note = Some(
        "Working hours are set without -WorkingHoursTimeZone: a mailbox without a time zone breaks room list lookups."
            .into(),
    );
    if let Some(zone) = elsewhere {
        f.suggestions.push(Suggestion {
            title: format!("Add -WorkingHoursTimeZone \"{zone}\" (the only one this script uses)"),
            edits: vec![Edit {
                range: cmd.range.end..cmd.range.end,
                text: format!(" -WorkingHoursTimeZone \"{zone}\""),
            }],
        });
    }
    out.push(f);
}
