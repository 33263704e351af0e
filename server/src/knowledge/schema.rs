//! The shape of one data file. Plain serde structs; checks live in `validate.rs`.
use serde::Deserialize;
use std::collections::BTreeMap;

/// Text keyed by locale (`en`, `sv`, ...). `en` is required; others fall back to it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Localized<T>(pub BTreeMap<String, T>);

impl<T> Localized<T> {
    /// The text in `locale`, else English, else any.
    pub fn get(&self, locale: &str) -> Option<&T> {
        self.0
            .get(locale)
            .or_else(|| self.0.get("en"))
            .or_else(|| self.0.values().next())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A section of the source article: error text recognized by signatures (FB0xx).
    Error,
    /// A generic string several errors print (FB09x).
    Triage,
    /// A risky pattern in a PowerShell script, found by a rule (FB1xx).
    Script,
    /// A failed or slow free/busy request in an IIS, HttpProxy or EWS log or capture (FB2xx).
    Log,
    /// A wrong value in pasted `Get-*` / `Test-*` output (FB3xx).
    Output,
}

impl Entry {
    /// The fix route that fits what a finding captured: the first whose `when` matches, else
    /// the first without a `when`, else the first.
    pub fn fix_for(&self, captures: &crate::capture::Captures) -> usize {
        let fits = |f: &Fix| {
            !f.when.is_empty()
                && f.when.iter().all(|(k, vals)| {
                    captures
                        .get(k)
                        .is_some_and(|v| vals.iter().any(|x| x.eq_ignore_ascii_case(v)))
                })
        };
        self.fixes
            .iter()
            .position(fits)
            .or_else(|| self.fixes.iter().position(|f| f.when.is_empty()))
            .unwrap_or(0)
    }
}

impl Kind {
    /// Found by text signatures (the scanner), in English and Swedish.
    pub fn by_signature(self) -> bool {
        matches!(self, Kind::Error | Kind::Triage)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Information,
}

/// Where a command runs. Rendered as a label on cards and in inserted scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shell {
    ExchangeOnline,
    OnPremises,
    Entra,
    EntraConnect,
    Windows,
    Client,
    Network,
}

impl Shell {
    /// The label in English.
    pub fn label(self) -> String {
        self.label_in("en")
    }

    /// The label in `locale` (`ui.toml`, `shell.<where>`).
    pub fn label_in(self, locale: &str) -> String {
        let key = match self {
            Shell::ExchangeOnline => "shell.exchange-online",
            Shell::OnPremises => "shell.on-premises",
            Shell::Entra => "shell.entra",
            Shell::EntraConnect => "shell.entra-connect",
            Shell::Windows => "shell.windows",
            Shell::Client => "shell.client",
            Shell::Network => "shell.network",
        };
        crate::locale::text(locale, key)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub lang: String,
    pub text: String,
    /// A .NET, Windows or Entra text that other products print too: this entry's error only
    /// with free/busy context nearby (`context.toml`), else a low-confidence information.
    #[serde(default)]
    pub generic: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub lang: String,
    pub text: String,
}

/// One command (or manual action) with its explanation: `where`, optional `run`, and the text
/// by locale beside them (read in `unflatten.rs`).
#[derive(Debug, Clone)]
pub struct Step {
    pub shell: Shell,
    pub run: Option<String>,
    pub text: Localized<String>,
}

/// One remediation route: a title and its steps in order: `step`s, optional `when`, and the
/// title by locale beside them (read in `unflatten.rs`).
#[derive(Debug, Clone)]
pub struct Fix {
    pub steps: Vec<Step>,
    /// The route fits a finding whose captured values are among these (`status = ["503"]`).
    pub when: BTreeMap<crate::capture::Key, Vec<String>>,
    pub title: Localized<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub code: crate::code::Code,
    pub id: String,
    pub kind: Kind,
    pub severity: Severity,
    pub direction: String,
    pub doc: String,
    #[serde(default)]
    pub related: Vec<crate::code::Code>,
    #[serde(default)]
    pub absorbs: Vec<crate::code::Code>,
    #[serde(default)]
    pub candidates: Vec<crate::code::Code>,
    #[serde(default)]
    pub lids: Vec<u32>,
    pub title: Localized<String>,
    #[serde(default, rename = "signature")]
    pub signatures: Vec<Signature>,
    #[serde(default, rename = "example")]
    pub examples: Vec<Example>,
    /// Script entries: scripts that must produce no finding at all (the safe form of what the
    /// rule flags).
    #[serde(default, rename = "valid")]
    pub valid: Vec<Example>,
    pub meaning: Localized<String>,
    pub causes: Localized<Vec<String>>,
    #[serde(default)]
    pub confirm: Vec<Step>,
    #[serde(default, rename = "fix")]
    pub fixes: Vec<Fix>,
}

/// A parameter of a cmdlet, for hover, completion and matching abbreviated names.
#[derive(Debug, Clone, Deserialize)]
pub struct Param {
    pub name: String,
    /// Takes no value (`-Force`); `-Name:$false` still binds one.
    #[serde(default)]
    pub switch: bool,
    /// The values it accepts, when they are a fixed set.
    #[serde(default)]
    pub values: Vec<String>,
    /// Known for binding abbreviations and for hover, but neither offered in completion nor
    /// listed on the cmdlet's card (common, deprecated or beside the point here).
    #[serde(default)]
    pub hidden: bool,
    /// A multi-valued property: a plain value replaces the whole list, `@{Add=...}` edits it.
    #[serde(default)]
    pub domain_list: bool,
    /// The parameter sets it belongs to; empty means every set of the cmdlet.
    #[serde(default)]
    pub sets: Vec<String>,
    /// Where it must be given: `true` in every set it belongs to, or a list of set names.
    #[serde(default)]
    pub mandatory: Mandatory,
    /// What its value is; a string unless said (`switch = true` is the same as `type = "switch"`).
    #[serde(default, rename = "type")]
    pub kind: Option<ValueType>,
    /// Its slot among the positional arguments (only the order counts).
    #[serde(default)]
    pub position: Option<u32>,
    /// Other names it binds by (`-Select` for `-Property`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Takes its value from the pipeline (`Get-X | Set-X` gives `-Identity`).
    #[serde(default)]
    pub pipeline: bool,
    /// The shells that know it, when fewer than the cmdlet's (`-ShowMailboxVirtualDirectories`
    /// exists only on-premises).
    #[serde(default)]
    pub available: Vec<Shell>,
    #[serde(flatten)]
    pub text: Localized<String>,
}

impl Param {
    /// Whether it belongs to parameter set `set`.
    pub fn in_set(&self, set: &str) -> bool {
        self.sets.is_empty() || self.sets.iter().any(|s| s.eq_ignore_ascii_case(set))
    }

    /// Whether it must be given in parameter set `set`.
    pub fn mandatory_in(&self, set: &str) -> bool {
        self.in_set(set)
            && match &self.mandatory {
                Mandatory::All(all) => *all,
                Mandatory::Sets(sets) => sets.iter().any(|s| s.eq_ignore_ascii_case(set)),
            }
    }

    /// What its value is: a switch, a declared type, else a string.
    pub fn value_type(&self) -> ValueType {
        if self.switch {
            ValueType::Switch
        } else {
            self.kind.unwrap_or(ValueType::String)
        }
    }
}

/// `mandatory = true` (in every set of the parameter) or `mandatory = ["Identity"]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Mandatory {
    All(bool),
    Sets(Vec<String>),
}

impl Default for Mandatory {
    fn default() -> Self {
        Mandatory::All(false)
    }
}

/// The kind of value a parameter takes, as far as binding and the enumeration check care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueType {
    String,
    Int,
    Bool,
    Switch,
    Hashtable,
    Array,
    SecureString,
    DateTime,
    Guid,
    ScriptBlock,
    Credential,
    /// Any object: a literal converts to it (`-InputObject` of `Where-Object`, `-Property`).
    Object,
    /// An object of one class (a service, a certificate, a session): a literal string does not
    /// convert to it, so a positional string goes to another slot.
    Instance,
}

/// A cmdlet the article uses: what it does in a free/busy investigation and where it runs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cmdlet {
    pub name: String,
    #[serde(rename = "where")]
    pub shell: Shell,
    #[serde(default)]
    pub related: Vec<crate::code::Code>,
    pub summary: Localized<String>,
    /// The shells it exists in, when more than `where` (Exchange cmdlets in both Exchange Online
    /// and the Exchange Management Shell); empty means `where` only.
    #[serde(default)]
    pub available: Vec<Shell>,
    /// The parameter set PowerShell picks when several fit.
    #[serde(default)]
    pub default_set: Option<String>,
    /// Other names it is called by (`fl` for `Format-List`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The parameters listed are not the whole reference (a module without published help): a
    /// name missing from the list is not known to be wrong.
    #[serde(default)]
    pub partial: bool,
    #[serde(default, rename = "param")]
    pub params: Vec<Param>,
}

impl Cmdlet {
    /// Whether it exists in `shell`. The Exchange server's own prompt loads the Exchange
    /// Management Shell, and any PowerShell has the Windows cmdlets.
    pub fn exists_in(&self, shell: Shell) -> bool {
        let listed = |s: Shell| {
            if self.available.is_empty() {
                self.shell == s
            } else {
                self.available.contains(&s)
            }
        };
        listed(shell)
            || (shell == Shell::Windows && listed(Shell::OnPremises))
            || self.shell == Shell::Windows
    }

    /// Its parameter sets, in the order the data first names them (in `default_set`, `sets`,
    /// `mandatory`); none: one unnamed set.
    pub fn sets(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let mandatory = self.params.iter().flat_map(|p| match &p.mandatory {
            Mandatory::Sets(sets) => sets.as_slice(),
            Mandatory::All(_) => &[],
        });
        let named = self
            .default_set
            .iter()
            .chain(self.params.iter().flat_map(|p| &p.sets))
            .chain(mandatory);
        for s in named {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(s)) {
                out.push(s);
            }
        }
        out
    }

    /// The parameter `written` names: exact, or an unambiguous prefix, case-insensitively (as
    /// PowerShell binds `-TargetSharing` to `-TargetSharingEpr`).
    pub fn param(&self, written: &str) -> Option<&Param> {
        let w = written.to_ascii_lowercase();
        if let Some(p) = self.params.iter().find(|p| p.name.eq_ignore_ascii_case(&w)) {
            return Some(p);
        }
        let mut hits = self
            .params
            .iter()
            .filter(|p| p.name.to_ascii_lowercase().starts_with(&w));
        match (hits.next(), hits.next()) {
            (Some(p), None) => Some(p),
            _ => None,
        }
    }
}

/// `ui.toml`: by locale, the fixed words of the output by key.
pub type Ui = BTreeMap<String, BTreeMap<String, String>>;

/// `context.toml`: texts that place a nearby generic signature in a free/busy exchange.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextFile {
    #[serde(rename = "marker")]
    pub markers: Vec<Marker>,
}

/// One context marker: a pattern (the signature language) and why it means free/busy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Marker {
    pub text: String,
    pub why: String,
}

/// `plan.toml`: the order of a remediation script.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub order: Vec<crate::code::Code>,
}

/// `tables/time-zones.toml`: the ids `-WorkingHoursTimeZone` takes (Windows time zone ids), and
/// IANA names people write instead, with the Windows id each maps to.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeZones {
    pub windows: Vec<String>,
    #[serde(default)]
    pub iana: BTreeMap<String, String>,
}

impl TimeZones {
    /// The Windows id `name` is, as the table spells it (case-insensitive, blanks trimmed).
    pub fn windows_id(&self, name: &str) -> Option<&str> {
        let name = name.trim();
        self.windows
            .iter()
            .find(|z| z.eq_ignore_ascii_case(name))
            .map(String::as_str)
    }

    /// The Windows id an IANA name (`Europe/Stockholm`) maps to.
    pub fn from_iana(&self, name: &str) -> Option<&str> {
        let name = name.trim();
        self.iana
            .iter()
            .find(|(iana, _)| iana.eq_ignore_ascii_case(name))
            .map(|(_, z)| z.as_str())
    }
}
/// A cmdlet of a retired module (`retired/<Cmdlet>.toml`) and what replaces it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retired {
    pub name: String,
    /// The Microsoft Graph PowerShell cmdlet that replaces it.
    pub successor: String,
    /// What to use instead when the successor's name alone does not say it; completes the
    /// sentence "... in Microsoft Graph PowerShell: <note>."
    #[serde(default)]
    pub note: Localized<String>,
    /// When a call maps one to one onto the successor.
    #[serde(default)]
    pub fix: Option<RetiredFix>,
}

/// How a call of a retired cmdlet becomes a call of its successor.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetiredFix {
    /// `[retired parameter, successor parameter]`: every parameter that carries over. A call
    /// with any other parameter, or a positional argument, gets no fix.
    #[serde(default)]
    pub params: Vec<(String, String)>,
    /// `[successor parameter, value]` the successor needs that the retired cmdlet did not take.
    #[serde(default)]
    pub add: Vec<(String, String)>,
}

/// A retired module (`retired-modules.toml`): how its cmdlets are named and what replaces it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetiredModule {
    pub name: String,
    /// The noun prefix of its cmdlets (`Msol` in `Get-MsolUser`).
    pub prefix: String,
    /// What `Install-Module` takes instead.
    pub install: String,
    /// What `Import-Module` takes instead.
    pub import: String,
}

impl RetiredModule {
    /// Whether `cmdlet` is one of this module's, by its noun's prefix (`Get-MsolUser`).
    pub fn owns(&self, cmdlet: &str) -> bool {
        cmdlet.split_once('-').is_some_and(|(_, noun)| {
            noun.to_ascii_lowercase()
                .starts_with(&self.prefix.to_ascii_lowercase())
        })
    }
}

/// `retired-modules.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetiredModules {
    #[serde(rename = "module")]
    pub modules: Vec<RetiredModule>,
}

/// `passwords.toml`: the parameters that take a password.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Passwords {
    /// Parameter names (and hashtable keys) that hold a password.
    pub names: Vec<String>,
    /// By cmdlet: its password parameters that take a SecureString.
    #[serde(default)]
    pub secure: BTreeMap<String, Vec<String>>,
}

/// `tables/endpoints.toml`: the free/busy endpoint parameters (and output properties of the same name)
/// and the paths their URLs may end in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoints {
    #[serde(rename = "endpoint")]
    pub list: Vec<Endpoint>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// The parameter or property name (`TargetSharingEpr`).
    pub name: String,
    /// The paths an https URL may end in, case-insensitively (`/ews/exchange.asmx`).
    pub paths: Vec<String>,
}

/// `tables/properties.toml`: property names the article shows on the wrong object.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrongProperties {
    #[serde(rename = "property")]
    pub list: Vec<WrongProperty>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrongProperty {
    /// The cmdlet whose objects lack the property (`Get-IntraOrganizationConnector`).
    pub cmdlet: String,
    /// The property asked for, which those objects do not have.
    pub name: String,
    /// The property that holds the value on those objects.
    pub right: String,
}
