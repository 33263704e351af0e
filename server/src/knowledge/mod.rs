//! The catalog: every data file under `server/knowledge/`, parsed and checked.
//!
//! Data is embedded at build time. Loading never panics: a file that does not parse or validate
//! is reported and left out. The built-in data is validated by the catalog test
//! (`Catalog::embedded_problems`, which fails it on any report), not at every start; data given
//! as files (`Catalog::from_files`) is validated when it is read.

mod parsed;
pub mod pattern;
pub mod placeholder;
pub mod schema;
mod unflatten;
mod validate;

pub use schema::{
    Cmdlet, Endpoint, Entry, Example, Fix, Kind, Localized, Param, Passwords, Retired, RetiredFix,
    RetiredModule, Severity, Shell, Signature, Step, TimeZones, WrongProperty,
};

use crate::code::Code;
use parsed::Parsed;
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
    /// Set when read; the built-in ones (a third of the data, needed by script analysis and
    /// hover, not by a log) are parsed on first use.
    cmdlets: OnceLock<Vec<Cmdlet>>,
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
        Catalog::read(files.into_iter().map(|(n, t)| (n, false, t)), true)
    }

    /// The built-in catalog: the same files, converted to JSON at build time (`build.rs`), which
    /// reads several times faster than TOML; a file that did not parse there stays TOML, so its
    /// problem is reported as for any other catalog. Parsed, not validated: the catalog test
    /// validates exactly this data (`embedded_problems`), and a binary ships only tested data.
    fn embedded() -> Catalog {
        Catalog::read(embedded::JSON.iter().copied(), false)
    }

    /// The built-in catalog checked as `from_files` checks any data: its problems. The catalog
    /// test fails on any, so that `catalog()` can trust the same data without checking it.
    pub fn embedded_problems() -> Vec<String> {
        Catalog::read(embedded::JSON.iter().copied(), true).problems
    }

    /// Parses `(file name, is JSON, text)`, and validates what it read when `check` says so.
    fn read<'a>(files: impl IntoIterator<Item = (&'a str, bool, &'a str)>, check: bool) -> Catalog {
        let mut data = Parsed::default();
        for (name, json, text) in files {
            if !check && name.starts_with(CMDLETS) {
                continue; // read on first use (`embedded_cmdlets`)
            }
            if let Err(e) = data.add(name, Format(json), text) {
                data.problems.push(format!("{name}: {e}"));
            }
        }
        if check {
            data.checked()
        } else {
            data.trusted()
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
        self.cmdlets.get_or_init(embedded_cmdlets)
    }

    /// The cmdlet called `name` (or by an alias of it), case-insensitively.
    pub fn cmdlet(&self, name: &str) -> Option<&Cmdlet> {
        self.cmdlets()
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
            .or_else(|| {
                self.cmdlets()
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

/// The folder of the cmdlet files.
const CMDLETS: &str = "cmdlets/";

/// The built-in cmdlets, parsed and trusted as the rest of the built-in catalog (`embedded`).
fn embedded_cmdlets() -> Vec<Cmdlet> {
    let mut data = Parsed::default();
    for &(name, json, text) in embedded::JSON.iter().filter(|f| f.0.starts_with(CMDLETS)) {
        if let Err(e) = data.add(name, Format(json), text) {
            eprintln!("freebusy-lsp: knowledge data: {name}: {e}");
        }
    }
    data.trusted_cmdlets()
}

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

/// Every signature of the built-in catalog as `(code, index in its entry, pattern, generic,
/// budget)`, read at build time: the scanner starts without parsing the catalog. The budget is
/// `literal::budget` of the pattern's regex (`Some(None)`: unbounded; `None`: the pattern does
/// not compile).
pub fn embedded_signatures() -> &'static [EmbeddedSignature] {
    embedded::SIGNATURES
}

/// `(code, index in its entry, pattern, generic, budget)` (`embedded_signatures`).
pub type EmbeddedSignature = (
    &'static str,
    usize,
    &'static str,
    bool,
    Option<Option<usize>>,
);

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
                    c.cmdlets(),
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
        let bad = Catalog::read([("errors/x.toml", false, "code = ")], false);
        assert!(
            bad.problems[0].starts_with("errors/x.toml: "),
            "{:?}",
            bad.problems
        );
    }
}
