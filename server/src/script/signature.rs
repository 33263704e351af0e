//! Binds a command to its cmdlet's parameter sets as PowerShell does, from the data alone (the
//! module need not be loaded): names and unambiguous prefixes (aliases too), common parameters,
//! switches, positional arguments into the positional slots of each candidate set, mandatory
//! parameters, enumerated values. Says which set fits, or why none does.
use super::model::{Command, Value, ValueKind};
use crate::knowledge::schema::ValueType;
use crate::knowledge::{Cmdlet, Param};
use std::ops::Range;

/// Parameters every cmdlet has, with their aliases. `-WhatIf` and `-Confirm` are the cmdlet's
/// own (only cmdlets that change something have them), so the data lists them.
pub const COMMON: &[(&str, &[&str])] = &[
    ("Verbose", &["vb"]),
    ("Debug", &["db"]),
    ("ErrorAction", &["ea"]),
    ("WarningAction", &["wa"]),
    ("InformationAction", &["infa"]),
    ("ErrorVariable", &["ev"]),
    ("WarningVariable", &["wv"]),
    ("InformationVariable", &["iv"]),
    ("OutVariable", &["ov"]),
    ("OutBuffer", &["ob"]),
    ("PipelineVariable", &["pv"]),
];

/// Common parameters that take no value.
const COMMON_SWITCHES: &[&str] = &["Verbose", "Debug"];

/// The parameter a written name binds to.
#[derive(Debug, Clone, Copy)]
pub enum Target<'c> {
    Own(&'c Param),
    Common(&'static str),
}

impl Target<'_> {
    pub fn name(&self) -> &str {
        match self {
            Target::Own(p) => &p.name,
            Target::Common(n) => n,
        }
    }
}

/// Why a name binds to nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum NameError {
    Unknown,
    /// Several parameters start so: their names.
    Ambiguous(Vec<String>),
}

/// Resolves a written parameter name: an exact name or alias first, else the one parameter
/// whose name or alias starts with it.
pub fn resolve<'c>(cmdlet: &'c Cmdlet, written: &str) -> Result<Target<'c>, NameError> {
    if let Some((_, t)) = names(cmdlet).find(|(n, _)| n.eq_ignore_ascii_case(written)) {
        return Ok(t);
    }
    let starts = |n: &str| {
        n.get(..written.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(written))
    };
    let mut hits: Vec<Target> = Vec::new();
    for (n, t) in names(cmdlet) {
        if !written.is_empty() && starts(n) && !hits.iter().any(|h| h.name() == t.name()) {
            hits.push(t);
        }
    }
    match hits.as_slice() {
        [one] => Ok(*one),
        [] => Err(NameError::Unknown),
        many => Err(NameError::Ambiguous(
            many.iter().map(|t| t.name().to_string()).collect(),
        )),
    }
}

/// Every name a parameter binds by (its own and its aliases), common parameters last.
fn names(cmdlet: &Cmdlet) -> impl Iterator<Item = (&str, Target<'_>)> {
    let own = cmdlet.params.iter().flat_map(|p| {
        std::iter::once(p.name.as_str())
            .chain(p.aliases.iter().map(String::as_str))
            .map(move |n| (n, Target::Own(p)))
    });
    let common = COMMON.iter().flat_map(|(n, aliases)| {
        std::iter::once(*n)
            .chain(aliases.iter().copied())
            .map(move |a| (a, Target::Common(n)))
    });
    own.chain(common)
}

/// Whether the name binds to a parameter that takes no value unless written `-Name:value`.
pub fn is_switch(cmdlet: &Cmdlet, written: &str) -> Option<bool> {
    match resolve(cmdlet, written).ok()? {
        Target::Own(p) => Some(p.value_type() == ValueType::Switch),
        Target::Common(n) => Some(COMMON_SWITCHES.contains(&n)),
    }
}

/// What is wrong with a command, and where.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// No parameter has this name; the closest name, if any is near.
    Unknown {
        written: String,
        nearest: Option<String>,
    },
    /// Several parameters start with what is written.
    Ambiguous {
        written: String,
        candidates: Vec<String>,
    },
    /// The same parameter twice.
    Repeated { name: String },
    /// Parameters that share no parameter set.
    Exclusive { first: String, second: String },
    /// A value outside the parameter's enumeration; the closest allowed value, if near.
    NotAllowed {
        param: String,
        value: String,
        nearest: Option<String>,
    },
    /// A value of the wrong kind (`-Enabled true` for a Boolean).
    WrongType {
        param: String,
        value: String,
        want: ValueType,
    },
    /// A value written after a switch as a separate word (`-Force $false`).
    SwitchValue { param: String, value: String },
    /// A positional argument no positional slot takes.
    ExtraPositional { value: String },
    /// Several sets fit and none is the default.
    AmbiguousSet { sets: Vec<String> },
    /// The set fits but lacks mandatory parameters.
    Missing { set: String, params: Vec<String> },
}

impl Problem {
    /// One sentence for a person.
    pub fn message(&self, cmdlet: &str) -> String {
        match self {
            Problem::Unknown { written, nearest } => match nearest {
                Some(n) => format!("{cmdlet} has no parameter -{written}; did you mean -{n}?"),
                None => format!("{cmdlet} has no parameter -{written}."),
            },
            Problem::Ambiguous { written, candidates } => format!(
                "-{written} is ambiguous for {cmdlet}: it could be -{}.",
                candidates.join(", -")
            ),
            Problem::Repeated { name } => format!("-{name} is given more than once."),
            Problem::Exclusive { first, second } => format!(
                "-{first} and -{second} belong to different parameter sets of {cmdlet}: they cannot be used together."
            ),
            Problem::NotAllowed { param, value, nearest } => {
                let s = format!("`{value}` is not a value of -{param}");
                match nearest {
                    Some(n) => format!("{s}; did you mean `{n}`?"),
                    None => format!("{s}."),
                }
            }
            Problem::WrongType { param, value, want } => {
                format!("-{param} takes a {want:?} value, not `{value}`.")
            }
            Problem::SwitchValue { param, value } => format!(
                "-{param} is a switch: `{value}` after it is a separate argument; write -{param}:{value}."
            ),
            Problem::ExtraPositional { value } => {
                format!("no positional parameter of {cmdlet} takes `{value}`.")
            }
            Problem::AmbiguousSet { sets } => format!(
                "the parameters fit several parameter sets of {cmdlet} ({}).",
                sets.join(", ")
            ),
            Problem::Missing { set, params } => format!(
                "{cmdlet} ({set}) needs -{}.",
                params.join(", -")
            ),
        }
    }
}

/// A problem with the range it concerns (a parameter, a value, the command name).
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub problem: Problem,
    pub range: Range<usize>,
}

/// The outcome of binding one command.
#[derive(Debug, Clone, Default)]
pub struct Binding {
    /// The parameter set chosen (`None` when none fits or the cmdlet has one unnamed set and
    /// something is wrong).
    pub set: Option<String>,
    pub problems: Vec<Located>,
}

impl Binding {
    /// Bound to exactly one set without any problem.
    pub fn fits(&self) -> bool {
        self.set.is_some() && self.problems.is_empty()
    }
}

/// How much of the command is known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Context {
    /// Every parameter is visible (no splat that could not be resolved, no `@args`): only then
    /// can the set be chosen and mandatory parameters be missed.
    pub complete: bool,
}

/// Binds `cmd` to `cmdlet`'s parameter sets.
pub fn bind(cmd: &Command, cmdlet: &Cmdlet, ctx: Context) -> Binding {
    let mut out = Binding::default();
    let mut bound: Vec<(&Param, Range<usize>)> = Vec::new();
    let mut seen: Vec<(String, Range<usize>)> = Vec::new();
    for p in &cmd.params {
        match resolve(cmdlet, &p.name) {
            Ok(t) => {
                if let Some((_, first)) = seen.iter().find(|(s, _)| s == t.name()) {
                    // Shown where it is written on the command line, not inside a splat.
                    let range = if p.splatted() {
                        first.clone()
                    } else {
                        p.range.clone()
                    };
                    let problem = Problem::Repeated {
                        name: t.name().to_string(),
                    };
                    out.problems.push(Located { problem, range });
                }
                seen.push((t.name().to_string(), p.range.clone()));
                if let Target::Own(param) = t {
                    check_value(param, p.value.as_ref(), p.colon, &mut out.problems);
                    bound.push((param, p.range.clone()));
                }
            }
            Err(NameError::Unknown) if cmdlet.partial => {}
            Err(NameError::Unknown) => {
                let names = cmdlet
                    .params
                    .iter()
                    .map(|q| q.name.as_str())
                    .chain(COMMON.iter().map(|(n, _)| *n));
                let nearest = crate::text::nearest(&p.name, names, max_edits(&p.name));
                let problem = Problem::Unknown {
                    written: p.name.clone(),
                    nearest: nearest.map(str::to_string),
                };
                out.problems.push(Located {
                    problem,
                    range: p.range.clone(),
                });
            }
            Err(NameError::Ambiguous(candidates)) => {
                let problem = Problem::Ambiguous {
                    written: p.name.clone(),
                    candidates,
                };
                out.problems.push(Located {
                    problem,
                    range: p.range.clone(),
                });
            }
        }
    }
    switch_values(cmd, cmdlet, &mut out.problems);
    if !out.problems.is_empty() {
        return out;
    }
    choose_set(cmd, cmdlet, &bound, ctx, &mut out);
    out
}

/// Edits allowed for a "did you mean": a third of the word, at least one, at most three.
fn max_edits(word: &str) -> usize {
    (word.chars().count() / 3).clamp(1, 3)
}

/// `-Force $false`: the model left `$false` positional after a switch.
fn switch_values(cmd: &Command, cmdlet: &Cmdlet, out: &mut Vec<Located>) {
    for p in cmd.params.iter().filter(|p| p.value.is_none()) {
        if is_switch(cmdlet, &p.name) != Some(true) {
            continue;
        }
        let next = cmd
            .positionals
            .iter()
            .find(|v| v.range.start >= p.range.end);
        let Some(v) = next else { continue };
        let between = cmd
            .params
            .iter()
            .any(|q| q.range.start > p.range.start && q.range.start < v.range.start);
        if !between && matches!(v.kind, ValueKind::Bool(_) | ValueKind::Number(_)) {
            let problem = Problem::SwitchValue {
                param: p.name.clone(),
                value: v.text.clone(),
            };
            out.push(Located {
                problem,
                range: p.range.start..v.range.end,
            });
        }
    }
}

/// A placeholder, a variable or an expression: its value is not known here.
fn opaque(text: &str) -> bool {
    let t = text.trim();
    t.starts_with('<') || t.contains('$') || t.starts_with('(') || t.is_empty()
}

/// The value against the parameter's type and enumeration.
fn check_value(param: &Param, value: Option<&Value>, colon: bool, out: &mut Vec<Located>) {
    let Some(v) = value else { return };
    let want = param.value_type();
    let wrong = |out: &mut Vec<Located>| {
        let problem = Problem::WrongType {
            param: param.name.clone(),
            value: v.text.clone(),
            want,
        };
        out.push(Located {
            problem,
            range: v.range.clone(),
        });
    };
    if let ValueKind::Str(s) = &v.kind {
        let bad = match want {
            ValueType::Bool => true,
            ValueType::Switch => colon,
            ValueType::Int => !looks_numeric(s),
            _ => false,
        };
        if bad && !opaque(s) {
            wrong(out);
            return;
        }
    }
    if param.values.is_empty() || want == ValueType::Bool {
        return;
    }
    let items: Vec<(String, Range<usize>)> = match &v.kind {
        ValueKind::Str(_) | ValueKind::Array => v
            .items()
            .into_iter()
            .filter_map(|r| Some((v_text(v, &r)?.to_string(), r)))
            .collect(),
        _ => Vec::new(),
    };
    for (item, range) in items {
        if opaque(&item) || param.values.iter().any(|x| x.eq_ignore_ascii_case(&item)) {
            continue;
        }
        let nearest = crate::text::nearest(
            &item,
            param.values.iter().map(String::as_str),
            max_edits(&item),
        );
        let problem = Problem::NotAllowed {
            param: param.name.clone(),
            value: item,
            nearest: nearest.map(str::to_string),
        };
        out.push(Located { problem, range });
    }
}

/// The text of `range` (absolute) inside the value's text.
fn v_text<'v>(v: &'v Value, range: &Range<usize>) -> Option<&'v str> {
    let start = range.start.checked_sub(v.range.start)?;
    v.text.get(start..start + range.len())
}

/// `42`, `0x1F`, `1KB`, `-1`: what PowerShell converts to a number.
fn looks_numeric(s: &str) -> bool {
    let t = s.trim().trim_start_matches('-');
    let t = t.trim_end_matches(|c: char| c.is_ascii_alphabetic() && "kKmMgGtTpPbBlLdD".contains(c));
    !t.is_empty()
        && (t.chars().all(|c| c.is_ascii_digit() || c == '.')
            || t.strip_prefix("0x")
                .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit())))
        || s.eq_ignore_ascii_case("unlimited")
}

/// Narrows the sets by the named parameters, then by the positional arguments; picks one.
fn choose_set(
    cmd: &Command,
    cmdlet: &Cmdlet,
    bound: &[(&Param, Range<usize>)],
    ctx: Context,
    out: &mut Binding,
) {
    let names = cmdlet.sets();
    let mut sets: Vec<&str> = if names.is_empty() { vec![""] } else { names };
    for (i, (p, range)) in bound.iter().enumerate() {
        sets.retain(|s| s.is_empty() || p.in_set(s));
        if sets.is_empty() {
            let earlier = &bound[..i];
            let first = earlier
                .iter()
                .find(|(q, _)| !shares_set(q, p))
                .or(earlier.last())
                .map_or_else(|| p.name.clone(), |(q, _)| q.name.clone());
            let problem = Problem::Exclusive {
                first,
                second: p.name.clone(),
            };
            out.problems.push(Located {
                problem,
                range: range.clone(),
            });
            return;
        }
    }
    let positionals: Vec<&Value> = cmd
        .positionals
        .iter()
        .filter(|v| !matches!(v.kind, ValueKind::Splat(_)))
        .collect();
    let Some((fitting, by_position)) = fill_positions(cmdlet, sets, bound, &positionals) else {
        let extra = positionals.last().map_or(String::new(), |v| v.text.clone());
        let range = positionals
            .last()
            .map_or(cmd.name_range.clone(), |v| v.range.clone());
        out.problems.push(Located {
            problem: Problem::ExtraPositional { value: extra },
            range,
        });
        return;
    };
    if !ctx.complete {
        return;
    }
    let missing = |s: &str| missing_in(cmdlet, s, bound, &by_position, cmd.stage > 0);
    let complete: Vec<&str> = fitting
        .iter()
        .copied()
        .filter(|s| missing(s).is_empty())
        .collect();
    let default = cmdlet
        .default_set
        .as_deref()
        .and_then(|d| fitting.iter().copied().find(|s| s.eq_ignore_ascii_case(d)));
    let chosen = match (fitting.as_slice(), complete.as_slice(), default) {
        ([one], _, _) => Some(*one),
        (_, _, Some(d)) if complete.is_empty() || complete.contains(&d) => Some(d),
        (_, [one], _) => Some(*one),
        (_, _, Some(d)) => Some(d),
        _ => None,
    };
    let Some(set) = chosen else {
        let sets = fitting.iter().map(|s| s.to_string()).collect();
        out.problems.push(Located {
            problem: Problem::AmbiguousSet { sets },
            range: cmd.name_range.clone(),
        });
        return;
    };
    let params = missing(set);
    if !params.is_empty() {
        let set_name = if set.is_empty() {
            "its only parameter set"
        } else {
            set
        };
        let problem = Problem::Missing {
            set: set_name.to_string(),
            params,
        };
        out.problems.push(Located {
            problem,
            range: cmd.name_range.clone(),
        });
    }
    out.set = Some(if set.is_empty() {
        "(all)".to_string()
    } else {
        set.to_string()
    });
}

/// Whether two parameters have a set in common.
fn shares_set(a: &Param, b: &Param) -> bool {
    a.sets.is_empty() || b.sets.is_empty() || a.sets.iter().any(|s| b.in_set(s))
}

/// Positional arguments as PowerShell binds them: the first to the lowest position any remaining
/// set has free, the next to the next position, each to a parameter there whose type can take it
/// (a script block only where a script block, a list or any object goes; a literal never into an
/// instance of a class), narrowing the sets to those that have such a parameter. The sets left
/// and the parameters filled, or `None` when an argument finds no slot.
fn fill_positions<'c, 's>(
    cmdlet: &'c Cmdlet,
    mut sets: Vec<&'s str>,
    bound: &[(&Param, Range<usize>)],
    values: &[&Value],
) -> Option<(Vec<&'s str>, Vec<&'c Param>)> {
    let free = |p: &&Param| p.position.is_some() && !bound.iter().any(|(b, _)| b.name == p.name);
    let mut positions: Vec<u32> = cmdlet
        .params
        .iter()
        .filter(free)
        .filter_map(|p| p.position)
        .collect();
    positions.sort_unstable();
    positions.dedup();
    let mut filled: Vec<&Param> = Vec::new();
    let mut next = positions.into_iter();
    for v in values {
        let (at, fits) = loop {
            let at = next.next()?;
            let here: Vec<&Param> = cmdlet
                .params
                .iter()
                .filter(free)
                .filter(|p| {
                    p.position == Some(at) && sets.iter().any(|s| s.is_empty() || p.in_set(s))
                })
                .collect();
            if !here.is_empty() {
                break (
                    at,
                    here.into_iter().filter(|p| takes(p, v)).collect::<Vec<_>>(),
                );
            }
        };
        if fits.is_empty() {
            return None;
        }
        sets.retain(|s| s.is_empty() || fits.iter().any(|p| p.in_set(s)));
        filled.extend(fits.into_iter().filter(|p| p.position == Some(at)));
    }
    Some((sets, filled))
}

/// Whether a positional argument converts to the parameter's type.
fn takes(p: &Param, v: &Value) -> bool {
    let literal = matches!(v.kind, ValueKind::Str(_) | ValueKind::Number(_));
    let block = v.text.trim_start().starts_with('{');
    match p.value_type() {
        ValueType::Instance => !literal && !block,
        ValueType::ScriptBlock | ValueType::Object | ValueType::Array => true,
        ValueType::Switch => false,
        _ => !block,
    }
}

/// The mandatory parameters of `set` neither written nor filled by position or the pipeline.
fn missing_in(
    cmdlet: &Cmdlet,
    set: &str,
    bound: &[(&Param, Range<usize>)],
    by_position: &[&Param],
    piped: bool,
) -> Vec<String> {
    let mut missing: Vec<&Param> = cmdlet
        .params
        .iter()
        .filter(|p| p.mandatory_in(set))
        .filter(|p| !bound.iter().any(|(b, _)| b.name == p.name))
        .filter(|p| !by_position.iter().any(|b| b.name == p.name))
        .collect();
    // One mandatory parameter may come from the pipeline.
    if piped {
        if let Some(i) = missing.iter().position(|p| p.pipeline) {
            missing.remove(i);
        }
    }
    missing.into_iter().map(|p| p.name.clone()).collect()
}
