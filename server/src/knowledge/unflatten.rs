//! `Step` and `Fix` read their locale texts (`en = ...`, `sv = ...`) from beside their other
//! fields. `#[serde(flatten)]` would do it by buffering every field and reading it twice; these
//! read each field once (the steps are half the catalog's text).
use super::schema::{Fix, Localized, Shell, Step};
use serde::de::{Deserialize, Deserializer, Error, MapAccess, Visitor};
use std::fmt;

/// Reads a table whose fields are `fields`, each handed to `known`, and locale texts.
fn read_table<'de, A: MapAccess<'de>>(
    mut map: A,
    mut known: impl FnMut(&str, &mut A) -> Result<bool, A::Error>,
) -> Result<Localized<String>, A::Error> {
    let mut text = Localized::default();
    while let Some(key) = map.next_key::<String>()? {
        if !known(&key, &mut map)? {
            let value = map.next_value::<String>()?;
            text.0.insert(key, value);
        }
    }
    Ok(text)
}

struct StepVisitor;

impl<'de> Visitor<'de> for StepVisitor {
    type Value = Step;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a step: `where`, optional `run`, and its text by locale")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Step, A::Error> {
        let mut shell: Option<Shell> = None;
        let mut run = None;
        let text = read_table(map, |key, map| {
            match key {
                "where" => shell = Some(map.next_value()?),
                "run" => run = map.next_value()?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        let shell = shell.ok_or_else(|| A::Error::missing_field("where"))?;
        Ok(Step { shell, run, text })
    }
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Step, D::Error> {
        d.deserialize_map(StepVisitor)
    }
}

struct FixVisitor;

impl<'de> Visitor<'de> for FixVisitor {
    type Value = Fix;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a fix: its `step`s, optional `when`, and its title by locale")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Fix, A::Error> {
        let mut steps = Vec::new();
        let mut when = Default::default();
        let title = read_table(map, |key, map| {
            match key {
                "step" => steps = map.next_value()?,
                "when" => when = map.next_value()?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(Fix { steps, when, title })
    }
}

impl<'de> Deserialize<'de> for Fix {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Fix, D::Error> {
        d.deserialize_map(FixVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_and_fixes_read_their_fields_and_texts_by_locale() {
        let fix: Fix = toml::from_str(
            "en = \"Renew\"\nsv = \"Förnya\"\nwhen = { status = [\"503\"] }\n\
             [[step]]\nwhere = \"on-premises\"\nrun = \"Get-AuthConfig\"\nen = \"Look\"\n",
        )
        .unwrap();
        assert_eq!(fix.title.get("sv").map(String::as_str), Some("Förnya"));
        assert_eq!(fix.when.len(), 1);
        assert_eq!(fix.steps[0].shell, Shell::OnPremises);
        assert_eq!(fix.steps[0].run.as_deref(), Some("Get-AuthConfig"));
        assert_eq!(fix.steps[0].text.0.len(), 1);
        let no_where = toml::from_str::<Step>("en = \"x\"\n").unwrap_err();
        assert!(no_where.message().contains("where"), "{no_where}");
        assert!(serde_json::from_str::<Step>(r#"{"where":"windows","en":1}"#).is_err());
        assert!(serde_json::from_str::<Step>(r#"{"where":"nowhere","en":"x"}"#).is_err());
    }
}
