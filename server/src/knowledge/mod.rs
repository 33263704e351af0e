//! The catalog: every data file under `server/knowledge/`, parsed and checked.
//!
//! Data is embedded at build time. Loading never panics: a file that does not parse or validate
//! is reported (the catalog test fails on any report) and left out, so a user's server still runs.

pub mod pattern;
pub mod placeholder;
pub mod schema;
mod validate;

pub use schema::{
    Cmdlet, Endpoint, Entry, Example, Fix, Kind, Localized, Param, Passwords, Retired, RetiredFix,
    RetiredModule, Severity, Shell, Signature, Step, TimeZones, WrongProperty,
};

use crate::code::Code;
use std::collections::HashMap;
use std::sync::OnceLock;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/knowledge_files.rs"));
}

/// All entries, in code order, with problems found while loading.
#[derive(Debug)]
pub struct Catalog {
    entries: Vec<Entry>,
    by_code: HashMap<Code, usize>,
    cmdlets: Vec<Cmdlet>,
    /// Codes in the order a remediation script takes them (`plan.toml`).
    plan_order: Vec<Code>,
    time_zones: TimeZones,
    /// Cmdlets of the retired modules (`retired/`), and the modules (`retired-modules.toml`).
    retired: Vec<Retired>,
    retired_modules: Vec<RetiredModule>,
    /// Password parameters (`passwords.toml`).
    passwords: Passwords,
    /// The free/busy endpoint parameters and their paths (`tables/endpoints.toml`).
    endpoints: Vec<Endpoint>,
    /// Properties the article shows on the wrong object (`tables/properties.toml`).
    wrong_properties: Vec<WrongProperty>,
    /// The fixed words of the output, by locale then key (`ui.toml`).
    ui: schema::Ui,
    /// Patterns of free/busy context (`context.toml`) that make a generic signature specific.
    context: Vec<String>,
    /// One line per problem, naming the file. Empty for good data.
    pub problems: Vec<String>,
}

impl Catalog {
    /// Parses and validates `(file name, TOML text)` pairs.
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Catalog {
        Catalog::read(files.into_iter().map(|(n, t)| (n, false, t)))
    }

    /// The built-in catalog: the same files, converted to JSON at build time (`build.rs`), which
    /// reads several times faster than TOML; a file that did not parse there stays TOML, so its
    /// problem is reported as for any other catalog.
    fn embedded() -> Catalog {
        Catalog::read(embedded::JSON.iter().copied())
    }

    /// Parses and validates `(file name, is JSON, text)`.
    fn read<'a>(files: impl IntoIterator<Item = (&'a str, bool, &'a str)>) -> Catalog {
        let mut problems = Vec::new();
        let mut parsed = Vec::new();
        let mut cmdlets = Vec::new();
        let mut plan_order = Vec::new();
        let mut time_zones = None;
        let mut retired = Vec::new();
        let mut modules = schema::RetiredModules::default();
        let mut passwords = Passwords::default();
        let mut endpoints = Vec::new();
        let mut wrong_properties = Vec::new();
        let mut ui = None;
        let mut context = Vec::new();
        for (name, json, text) in files {
            let format = Format(json);
            let result = if name == "captures.toml" || name == "tables/redact.toml" {
                // Compiled into `enum Key` by build.rs; read by `redact::keep`.
                Ok(())
            } else if name == UI {
                format.parse::<schema::Ui>(text).map(|u| ui = Some(u))
            } else if name == "plan.toml" {
                format
                    .parse::<schema::Plan>(text)
                    .map(|p| plan_order = p.order)
            } else if name == TIME_ZONES {
                format
                    .parse::<TimeZones>(text)
                    .map(|t| time_zones = Some(t))
            } else if name == "retired-modules.toml" {
                format.parse(text).map(|m| modules = m)
            } else if name == "passwords.toml" {
                format.parse(text).map(|p| passwords = p)
            } else if name.starts_with("retired/") {
                format
                    .parse::<Retired>(text)
                    .map(|r| retired.push((name.to_string(), r)))
            } else if name == ENDPOINTS {
                format
                    .parse::<schema::Endpoints>(text)
                    .map(|e| endpoints = e.list)
            } else if name == WRONG_PROPERTIES {
                format
                    .parse::<schema::WrongProperties>(text)
                    .map(|p| wrong_properties = p.list)
            } else if name == "context.toml" {
                format
                    .parse::<schema::ContextFile>(text)
                    .map(|c| context = validate::check_context(c, &mut problems))
            } else if name.starts_with("cmdlets/") {
                format
                    .parse::<Cmdlet>(text)
                    .map(|c| cmdlets.push((name.to_string(), c)))
            } else {
                format
                    .parse::<Entry>(text)
                    .map(|e| parsed.push((name.to_string(), e)))
            };
            if let Err(e) = result {
                problems.push(format!("{name}: {e}"));
            }
        }
        let entries = validate::check(parsed, &mut problems);
        let cmdlets = validate::check_cmdlets(cmdlets, &entries, &mut problems);
        if let Some(zones) = &time_zones {
            validate::check_time_zones(TIME_ZONES, zones, &mut problems);
        }
        validate::check_modules(&modules.modules, &mut problems);
        validate::check_passwords(&passwords, &mut problems);
        let retired = validate::check_retired(retired, &cmdlets, &modules.modules, &mut problems);
        validate::check_endpoints(&endpoints, &mut problems);
        validate::check_wrong_properties(&wrong_properties, &cmdlets, &mut problems);
        if let Some(ui) = &ui {
            validate::check_ui(ui, &entries, &mut problems);
        }
        for code in &plan_order {
            if !entries.iter().any(|e| e.code == *code) {
                problems.push(format!("plan.toml: unknown code {code}"));
            }
        }
        let by_code = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.code, i))
            .collect();
        Catalog {
            entries,
            by_code,
            cmdlets,
            plan_order,
            time_zones: time_zones.unwrap_or_default(),
            retired,
            retired_modules: modules.modules,
            passwords,
            endpoints,
            wrong_properties,
            ui: ui.unwrap_or_default(),
            context,
            problems,
        }
    }

    /// The free/busy context markers (patterns), in file order.
    pub fn context_markers(&self) -> &[String] {
        &self.context
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn get(&self, code: Code) -> Option<&Entry> {
        self.by_code.get(&code).map(|&i| &self.entries[i])
    }

    /// Where `code` stands in a remediation script (unlisted codes after every listed one).
    pub fn plan_rank(&self, code: Code) -> usize {
        self.plan_order
            .iter()
            .position(|c| *c == code)
            .unwrap_or(usize::MAX)
    }

    pub fn cmdlets(&self) -> &[Cmdlet] {
        &self.cmdlets
    }

    /// The cmdlet called `name` (or by an alias of it), case-insensitively.
    pub fn cmdlet(&self, name: &str) -> Option<&Cmdlet> {
        self.cmdlets
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
            .or_else(|| {
                self.cmdlets
                    .iter()
                    .find(|c| c.aliases.iter().any(|a| a.eq_ignore_ascii_case(name)))
            })
    }

    /// The time zone table (`tables/time-zones.toml`).
    pub fn time_zones(&self) -> &TimeZones {
        &self.time_zones
    }

    /// Every cmdlet of a retired module this catalog knows a successor for.
    pub fn retired(&self) -> &[Retired] {
        &self.retired
    }

    /// The retired cmdlet called `name`, case-insensitively.
    pub fn retired_cmdlet(&self, name: &str) -> Option<&Retired> {
        self.retired
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(name))
    }

    /// The retired modules, in the order their prefixes are tried.
    pub fn retired_modules(&self) -> &[RetiredModule] {
        &self.retired_modules
    }

    /// The retired module a cmdlet name belongs to, by its noun prefix (`Get-MsolUser`).
    pub fn retired_module_of(&self, cmdlet: &str) -> Option<&RetiredModule> {
        self.retired_modules.iter().find(|m| m.owns(cmdlet))
    }

    /// The parameters that take a password.
    pub fn passwords(&self) -> &Passwords {
        &self.passwords
    }

    /// The free/busy endpoint parameters and the paths their URLs may end in.
    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    /// Properties the article shows on the wrong object, and where the value really is.
    pub fn wrong_properties(&self) -> &[WrongProperty] {
        &self.wrong_properties
    }

    /// The fixed text `key` of `ui.toml` in `locale`.
    pub fn ui(&self, locale: &str, key: &str) -> Option<&str> {
        self.ui.get(locale)?.get(key).map(String::as_str)
    }

    /// Looks an entry up by code (`FB012`) or id (`oauth-missing-signing-cert`).
    pub fn find(&self, key: &str) -> Option<&Entry> {
        let by_code = Code::parse(key).and_then(|c| self.get(c));
        by_code.or_else(|| {
            self.entries
                .iter()
                .find(|e| e.id.eq_ignore_ascii_case(key.trim()))
        })
    }
}

/// How a data file's text is written: TOML, or (`true`) the JSON build.rs made of it.
#[derive(Clone, Copy)]
struct Format(bool);

impl Format {
    fn parse<T: serde::de::DeserializeOwned>(self, text: &str) -> Result<T, String> {
        if self.0 {
            serde_json::from_str(text).map_err(|e| e.to_string())
        } else {
            toml::from_str(text).map_err(|e| e.message().to_string())
        }
    }
}

/// The data file holding the fixed words of the output.
pub const UI: &str = "ui.toml";

/// The data file holding the time zone table.
pub const TIME_ZONES: &str = "tables/time-zones.toml";

/// The data file holding the free/busy endpoint table.
pub const ENDPOINTS: &str = "tables/endpoints.toml";

/// The data file holding the properties the article shows on the wrong object.
pub const WRONG_PROPERTIES: &str = "tables/properties.toml";

/// The catalog built into this binary.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let catalog = Catalog::embedded();
        for problem in &catalog.problems {
            eprintln!("freebusy-lsp: knowledge data: {problem}");
        }
        catalog
    })
}

/// The fixed text `key` of `ui.toml` in `locale`, from that file alone: the CLI's summary line
/// needs no catalog (the catalog checks the same file).
pub fn ui(locale: &str, key: &str) -> Option<&'static str> {
    static UI_TABLE: OnceLock<schema::Ui> = OnceLock::new();
    let table = UI_TABLE.get_or_init(|| {
        let file = embedded::JSON.iter().find(|(name, ..)| *name == UI);
        file.and_then(|&(_, json, t)| Format(json).parse(t).ok())
            .unwrap_or_default()
    });
    table.get(locale)?.get(key).map(String::as_str)
}

/// The tree-sitter queries under `queries/powershell/`: `(file name, source)`.
pub fn embedded_queries() -> &'static [(&'static str, &'static str)] {
    embedded::QUERIES
}

/// Every signature of the built-in catalog as `(code, index in its entry, pattern, generic)`,
/// read at build time: the scanner starts without parsing the catalog.
pub fn embedded_signatures() -> &'static [(&'static str, usize, &'static str, bool)] {
    embedded::SIGNATURES
}

/// The context markers of the built-in catalog (`context.toml`), read at build time.
pub fn embedded_markers() -> &'static [&'static str] {
    embedded::MARKERS
}

/// Data files that hold no entry or cmdlet.
pub const SETTINGS_FILES: &[&str] = &["plan.toml", "context.toml"];

/// The names of the embedded data files (for tests and `--version`).
pub fn embedded_files() -> impl Iterator<Item = &'static str> {
    embedded::FILES.iter().map(|(name, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_made_at_build_time_reads_as_the_toml_does() {
        let from_toml = Catalog::from_files(embedded::FILES.iter().copied());
        // All but `by_code`, a HashMap (its order differs from run to run).
        let fields = |c: &Catalog| {
            format!(
                "{:?}",
                (
                    &c.entries,
                    &c.cmdlets,
                    &c.plan_order,
                    &c.time_zones,
                    (&c.retired, &c.retired_modules, &c.passwords),
                    (&c.endpoints, &c.wrong_properties, &c.ui, &c.context),
                    &c.problems,
                )
            )
        };
        assert!(fields(catalog()) == fields(&from_toml));
        assert_eq!(embedded::JSON.len(), embedded::FILES.len());
        assert!(embedded::JSON.iter().all(|(_, json, _)| *json));
        // A file that does not parse is reported from either form.
        let bad = Catalog::read([("errors/x.toml", false, "code = ")]);
        assert!(
            bad.problems[0].starts_with("errors/x.toml: "),
            "{:?}",
            bad.problems
        );
    }
}
