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
    pub fn fix_for(&self, captures: &BTreeMap<String, String>) -> usize {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
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
    pub fn label(self) -> &'static str {
        match self {
            Shell::ExchangeOnline => "Exchange Online PowerShell",
            Shell::OnPremises => "Exchange Management Shell (on-premises)",
            Shell::Entra => "Microsoft Graph / Entra PowerShell",
            Shell::EntraConnect => "the Microsoft Entra Connect server",
            Shell::Windows => "an elevated prompt on the Exchange server",
            Shell::Client => "a client machine (Outlook, browser, Remote Connectivity Analyzer)",
            Shell::Network => "the network (firewall, reverse proxy, load balancer, DNS)",
        }
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

/// One command (or manual action) with its explanation.
#[derive(Debug, Clone, Deserialize)]
pub struct Step {
    #[serde(rename = "where")]
    pub shell: Shell,
    #[serde(default)]
    pub run: Option<String>,
    #[serde(flatten)]
    pub text: Localized<String>,
}

/// One remediation route: a title and its steps in order.
#[derive(Debug, Clone, Deserialize)]
pub struct Fix {
    #[serde(default, rename = "step")]
    pub steps: Vec<Step>,
    /// The route fits a finding whose captured values are among these (`status = ["503"]`).
    #[serde(default)]
    pub when: BTreeMap<String, Vec<String>>,
    #[serde(flatten)]
    pub title: Localized<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub code: String,
    pub id: String,
    pub kind: Kind,
    pub severity: Severity,
    pub direction: String,
    pub doc: String,
    #[serde(default)]
    pub related: Vec<String>,
    #[serde(default)]
    pub absorbs: Vec<String>,
    #[serde(default)]
    pub candidates: Vec<String>,
    #[serde(default)]
    pub lids: Vec<u32>,
    pub title: Localized<String>,
    #[serde(default, rename = "signature")]
    pub signatures: Vec<Signature>,
    #[serde(default, rename = "example")]
    pub examples: Vec<Example>,
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
    #[serde(flatten)]
    pub text: Localized<String>,
}

/// A cmdlet the article uses: what it does in a free/busy investigation and where it runs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cmdlet {
    pub name: String,
    #[serde(rename = "where")]
    pub shell: Shell,
    #[serde(default)]
    pub related: Vec<String>,
    pub summary: Localized<String>,
    #[serde(default, rename = "param")]
    pub params: Vec<Param>,
}

impl Cmdlet {
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

/// `plan.toml`: the order of a remediation plan.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub order: Vec<String>,
}
