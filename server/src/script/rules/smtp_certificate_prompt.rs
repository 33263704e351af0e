//! FB101: `New-ExchangeCertificate` for SMTP. Creating a certificate for SMTP asks whether to
//! replace the default SMTP certificate, and the article's answer is No: a warning says so. With
//! `-Force` or `-Confirm:$false` the question is answered Yes without being shown, an error whose
//! fix removes them (the prompt, and so the warning, stays). A certificate named for another
//! purpose (a transport certificate) is meant to replace the SMTP one and is left alone.
use crate::code::Code;
use crate::finding::{Finding, Suggestion};
use crate::knowledge::Severity;
use crate::script::edits;
use crate::script::model::{Command, Param, Script};

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    for cmd in commands {
        let Some(services) = cmd.param("Services") else {
            continue;
        };
        if !names_smtp(script, services) || names_another_certificate(script, cmd) {
            continue;
        }
        out.push(match silent_answers(script, cmd).as_slice() {
            [] => prompt_warning(services),
            silent => answered_yes(script, silent),
        });
    }
}

/// Whether the `-Services` value lists SMTP (`SMTP`, `IIS,SMTP`, `@("SMTP")`, through a variable).
fn names_smtp(script: &Script, services: &Param) -> bool {
    let Some(value) = &services.value else {
        return false;
    };
    let value = script.resolve(value);
    let text = value.as_str().unwrap_or(&value.text);
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '$' || c == '_'))
        .any(|w| w.eq_ignore_ascii_case("smtp"))
}

/// A certificate named, and not as the auth certificate (`-FriendlyName $env:COMPUTERNAME`, the
/// internal transport certificate recreated): replacing the default SMTP certificate is then what
/// the command is for. Names not written, or naming the auth certificate (directly or by a
/// variable's name), leave the question open.
fn names_another_certificate(script: &Script, cmd: &Command) -> bool {
    let names: Vec<String> = ["SubjectName", "FriendlyName"]
        .iter()
        .filter_map(|p| cmd.value(p))
        .map(|v| script.literal(v).unwrap_or(&v.text).to_lowercase())
        .collect();
    !names.is_empty() && names.iter().all(|n| !n.contains("auth"))
}

/// `-Force` (not `:$false`) and `-Confirm:$false`, in source order.
fn silent_answers<'c>(script: &Script, cmd: &'c Command) -> Vec<&'c Param> {
    let force = cmd
        .param("Force")
        .filter(|p| script.switch(p) == Some(true));
    let confirm = cmd
        .param("Confirm")
        .filter(|p| script.switch(p) == Some(false));
    let mut silent: Vec<&Param> = force.into_iter().chain(confirm).collect();
    silent.sort_by_key(|p| p.range.start);
    silent
}

fn prompt_warning(services: &Param) -> Finding {
    let mut f = Finding::new(Code::FB101, services.full_range());
    f.severity = Some(Severity::Warning);
    f.note = Some(
        "Creating it for SMTP asks whether to overwrite the default SMTP certificate: answer No."
            .into(),
    );
    f
}

fn answered_yes(script: &Script, silent: &[&Param]) -> Finding {
    let written: Vec<&str> = silent
        .iter()
        .map(|p| script.text.get(p.full_range()).unwrap_or(""))
        .collect();
    let mut f = Finding::new(Code::FB101, silent[0].full_range());
    f.severity = Some(Severity::Error);
    f.note = Some(format!(
        "`{}` answers Yes to overwriting the default SMTP certificate without asking.",
        written.join("` and `")
    ));
    // A value spread from a hashtable has no parameter token to remove here.
    if silent.iter().all(|p| !p.splatted()) {
        f.suggestions.push(Suggestion {
            title: format!("Remove {}", written.join(" and ")),
            edits: silent
                .iter()
                .map(|p| edits::remove_param(script.text, p.full_range()))
                .collect(),
        });
    }
    f
}

#[cfg(test)]
mod tests {
    //! The fix leaves the rule's warning in place (the prompt stays), so the shared fix fixtures,
    //! which expect a fix to silence its rule, cannot hold it: it is checked here.
    use crate::code::Code;
    use crate::finding::Finding;
    use crate::knowledge::Severity;

    fn fb101(text: &str) -> Vec<Finding> {
        let (found, _) = crate::script::analyse(text, None);
        found
            .into_iter()
            .filter(|f| f.code == Code::FB101)
            .collect()
    }

    fn fixed(text: &str) -> String {
        crate::script::rules::fixed(text, Code::FB101)
    }

    #[test]
    fn fix_removes_silent_answers_and_leaves_a_warning() {
        let text = "\
New-ExchangeCertificate -Services SMTP -Force -DomainName contoso.com
New-ExchangeCertificate -Services IIS,SMTP -Fo -Conf:$false
New-ExchangeCertificate -SubjectName \"CN=Microsoft Exchange Server Auth Certificate\" `
    -Services SMTP `
    -Confirm:$false `
    -FriendlyName \"Auth\"
New-ExchangeCertificate -Services SMTP `
    -Force
";
        let expected = "\
New-ExchangeCertificate -Services SMTP -DomainName contoso.com
New-ExchangeCertificate -Services IIS,SMTP
New-ExchangeCertificate -SubjectName \"CN=Microsoft Exchange Server Auth Certificate\" `
    -Services SMTP `
    -FriendlyName \"Auth\"
New-ExchangeCertificate -Services SMTP
";
        let before = fb101(text);
        assert_eq!(before.len(), 4);
        assert!(before.iter().all(|f| f.severity == Some(Severity::Error)));
        let after = fixed(text);
        assert_eq!(after, expected);
        assert_eq!(
            fixed(&text.replace('\n', "\r\n")),
            expected.replace('\n', "\r\n")
        );
        let left = fb101(&after);
        assert_eq!(left.len(), 4);
        assert!(left.iter().all(|f| f.severity == Some(Severity::Warning)));
        assert!(left.iter().all(|f| f.suggestions.is_empty()));
    }

    #[test]
    fn half_typed_lines_do_not_panic() {
        crate::script::rules::analyse_each(&[
            "New-ExchangeCertificate -Services",
            "New-ExchangeCertificate -Services SMTP -Confirm:",
            "New-ExchangeCertificate -Force:",
            "$p = @{ Services = }\nNew-ExchangeCertificate @p",
        ]);
    }
}
