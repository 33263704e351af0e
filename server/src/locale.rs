//! Which language people read, and the fixed words of the output in it (`knowledge/ui.toml`).
use crate::knowledge;

/// The locales the knowledge is written in; the first is the fallback.
pub const LOCALES: &[&str] = &["en", "sv"];

/// The locale a language tag asks for (`sv`, `sv-SE`, `sv_SE.UTF-8` -> `sv`), when one we have.
pub fn known(tag: &str) -> Option<&'static str> {
    let lang = tag
        .trim()
        .split(['-', '_', '.', '@'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    LOCALES.iter().copied().find(|l| *l == lang)
}

/// The locale a language tag asks for, English for anything else.
pub fn of(tag: &str) -> &'static str {
    known(tag).unwrap_or(LOCALES[0])
}

/// The locale of the POSIX environment: the first set of `LC_ALL`, `LC_MESSAGES`, `LANG`
/// decides (`sv_SE.UTF-8` -> `sv`; `C`, `POSIX` and the rest -> `en`).
pub fn from_env(var: impl Fn(&str) -> Option<String>) -> &'static str {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| var(name))
        .find(|v| !v.trim().is_empty())
        .map_or(LOCALES[0], |v| of(&v))
}

/// The fixed text `key` in `locale` (English when the locale lacks it, the key when both do:
/// the catalog test makes sure neither happens).
pub fn text(locale: &str, key: &str) -> String {
    knowledge::ui(locale, key)
        .or_else(|| knowledge::ui(LOCALES[0], key))
        .unwrap_or(key)
        .to_string()
}

/// `text`, with each `{name}` replaced by its value.
pub fn fmt(locale: &str, key: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(text(locale, key), |s, (name, value)| {
        s.replace(&format!("{{{name}}}"), value)
    })
}

/// The keys the code asks `ui.toml` for: the catalog test checks every locale has each.
pub const KEYS: &[&str] = &[
    "kind.error",
    "kind.triage",
    "kind.script",
    "kind.log",
    "kind.output",
    "card.could-be",
    "card.why-it-matters",
    "card.why-it-happens",
    "card.example",
    "card.tells-apart",
    "card.confirm",
    "card.fix",
    "card.related",
    "card.article",
    "shell.exchange-online",
    "shell.on-premises",
    "shell.entra",
    "shell.entra-connect",
    "shell.windows",
    "shell.client",
    "shell.network",
    "script.run-in",
    "plan.header",
    "plan.item",
    "plan.item-more",
    "plan.check",
    "plan.fix",
    "plan.verify",
    "plan.nothing",
    "cmdlet.runs-in",
    "cmdlet.key-parameters",
    "cmdlet.switch",
    "cmdlet.values",
    "action.suppress",
    "action.documentation",
    "action.below",
    "action.sibling",
    "action.end",
    "site.title",
    "site.intro",
    "site.home",
    "site.language",
    "site.search",
    "site.search-hint",
    "site.no-match",
    "site.all-codes",
    "site.signatures",
    "site.examples",
    "site.cli",
    "diagnostic.could-be",
    "cli.could-be",
    "cli.quick-fix",
    "cli.fix-in",
    "cli.explain",
    "cli.check-in",
    "cli.summary-none",
    "cli.summary-finding",
    "cli.summary-error",
    "cli.summary-warning",
    "cli.summary-info",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_environment() {
        assert_eq!(of("sv-SE"), "sv");
        assert_eq!(of("SV"), "sv");
        assert_eq!(of("sv_SE.UTF-8"), "sv");
        assert_eq!(of("fr-FR"), "en");
        assert_eq!(of(""), "en");
        assert_eq!(known("svx"), None);
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(from_env(env(&[("LANG", "sv_SE.UTF-8")])), "sv");
        assert_eq!(
            from_env(env(&[("LC_ALL", "C"), ("LANG", "sv_SE.UTF-8")])),
            "en"
        );
        assert_eq!(
            from_env(env(&[("LC_ALL", ""), ("LC_MESSAGES", "sv_FI")])),
            "sv"
        );
        assert_eq!(from_env(env(&[])), "en");
    }

    #[test]
    fn placeholders_are_filled() {
        let s = fmt(
            "sv",
            "plan.item",
            &[("n", "1"), ("code", "FB012"), ("title", "T"), ("line", "4")],
        );
        assert_eq!(s, "1. FB012 T (rad 4)");
    }
}
