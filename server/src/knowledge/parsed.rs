//! The data files as parsed, before they become a `Catalog`: checked (any data given as files),
//! or trusted (the built-in data, which the catalog test checks the same way).
use super::schema::{self, Cmdlet, Entry, Passwords, Retired, TimeZones};
use super::{validate, Catalog, Format, CMDLETS, ENDPOINTS, TIME_ZONES, UI, WRONG_PROPERTIES};
use crate::code::Code;
use std::sync::OnceLock;

/// Every file's data by kind, with the files that did not parse.
#[derive(Default)]
pub(super) struct Parsed {
    entries: Vec<(String, Entry)>,
    cmdlets: Vec<(String, Cmdlet)>,
    plan_order: Vec<Code>,
    time_zones: Option<TimeZones>,
    retired: Vec<(String, Retired)>,
    modules: schema::RetiredModules,
    passwords: Passwords,
    endpoints: Vec<schema::Endpoint>,
    wrong_properties: Vec<schema::WrongProperty>,
    ui: Option<schema::Ui>,
    context: Option<schema::ContextFile>,
    pub(super) problems: Vec<String>,
}

impl Parsed {
    /// Reads one file into its place, by its name.
    pub(super) fn add(&mut self, name: &str, format: Format, text: &str) -> Result<(), String> {
        let owned = || name.to_string();
        match name {
            // Compiled into `enum Key` by build.rs; read by `redact::keep`.
            "captures.toml" | "tables/redact.toml" => {}
            UI => self.ui = Some(format.parse(text)?),
            "plan.toml" => self.plan_order = format.parse::<schema::Plan>(text)?.order,
            TIME_ZONES => self.time_zones = Some(format.parse(text)?),
            "retired-modules.toml" => self.modules = format.parse(text)?,
            "passwords.toml" => self.passwords = format.parse(text)?,
            ENDPOINTS => self.endpoints = format.parse::<schema::Endpoints>(text)?.list,
            WRONG_PROPERTIES => {
                self.wrong_properties = format.parse::<schema::WrongProperties>(text)?.list
            }
            "context.toml" => self.context = Some(format.parse(text)?),
            _ if name.starts_with("retired/") => self.retired.push((owned(), format.parse(text)?)),
            _ if name.starts_with(CMDLETS) => self.cmdlets.push((owned(), format.parse(text)?)),
            _ => self.entries.push((owned(), format.parse(text)?)),
        }
        Ok(())
    }

    /// Validates everything: each problem is reported, and what it spoils left out.
    pub(super) fn checked(mut self) -> Catalog {
        let problems = &mut self.problems;
        let context = self
            .context
            .take()
            .map(|c| validate::check_context(c, problems));
        let entries = validate::check(std::mem::take(&mut self.entries), problems);
        let cmdlets =
            validate::check_cmdlets(std::mem::take(&mut self.cmdlets), &entries, problems);
        if let Some(zones) = &self.time_zones {
            validate::check_time_zones(TIME_ZONES, zones, problems);
        }
        let modules = &self.modules.modules;
        validate::check_modules(modules, problems);
        validate::check_passwords(&self.passwords, problems);
        let retired = std::mem::take(&mut self.retired);
        let retired = validate::check_retired(retired, &cmdlets, modules, problems);
        validate::check_endpoints(&self.endpoints, problems);
        validate::check_wrong_properties(&self.wrong_properties, &cmdlets, problems);
        if let Some(ui) = &self.ui {
            validate::check_ui(ui, &entries, problems);
        }
        for code in &self.plan_order {
            if !entries.iter().any(|e| e.code == *code) {
                problems.push(format!("plan.toml: unknown code {code}"));
            }
        }
        let cmdlets = OnceLock::from(cmdlets);
        self.build(entries, cmdlets, retired, context.unwrap_or_default())
    }

    /// Takes the data as it is, in the order `checked` gives it (entries by code, retired
    /// cmdlets by name): for data the catalog test has checked. The cmdlets are left to be read
    /// on first use.
    pub(super) fn trusted(mut self) -> Catalog {
        let mut entries: Vec<Entry> = std::mem::take(&mut self.entries)
            .into_iter()
            .map(|(_, e)| e)
            .collect();
        entries.sort_by_key(|e| e.code);
        let mut retired: Vec<Retired> = std::mem::take(&mut self.retired)
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        retired.sort_by(|a, b| a.name.cmp(&b.name));
        let context = self
            .context
            .take()
            .map(|c| c.markers.into_iter().map(|m| m.text).collect());
        self.build(
            entries,
            OnceLock::new(),
            retired,
            context.unwrap_or_default(),
        )
    }

    /// The cmdlets as they are, by name (as `checked` orders them).
    pub(super) fn trusted_cmdlets(self) -> Vec<Cmdlet> {
        let mut cmdlets: Vec<Cmdlet> = self.cmdlets.into_iter().map(|(_, c)| c).collect();
        cmdlets.sort_by(|a, b| a.name.cmp(&b.name));
        cmdlets
    }

    fn build(
        self,
        entries: Vec<Entry>,
        cmdlets: OnceLock<Vec<Cmdlet>>,
        retired: Vec<Retired>,
        context: Vec<String>,
    ) -> Catalog {
        let by_code = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.code, i))
            .collect();
        Catalog {
            entries,
            by_code,
            cmdlets,
            plan_order: self.plan_order,
            time_zones: self.time_zones.unwrap_or_default(),
            retired,
            retired_modules: self.modules.modules,
            passwords: self.passwords,
            endpoints: self.endpoints,
            wrong_properties: self.wrong_properties,
            ui: self.ui.unwrap_or_default(),
            context,
            problems: self.problems,
        }
    }
}
