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
    Error,
    Triage,
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
    #[serde(rename = "signature")]
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
