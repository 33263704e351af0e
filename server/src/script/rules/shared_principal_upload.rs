//! FB120: a key uploaded to Exchange Online's shared first-party service principal
//! (`00000002-0000-0ff1-ce00-000000000000`). Since October 31, 2025 Exchange Online refuses EWS
//! calls that authenticate through it, so an upload there no longer makes hybrid free/busy work:
//! the Auth certificate belongs on the dedicated Exchange hybrid application. Graph and AzureAD
//! address a service principal by its object id, found from the application id elsewhere in the
//! script, so a script naming the shared principal's id is what ties the upload to it.
use crate::code::Code;
use crate::finding::Finding;
use crate::script::model::{Command, Script};
use crate::well_known::EXCHANGE_ONLINE_APP_ID;

pub fn check(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    if !script
        .text
        .to_ascii_lowercase()
        .contains(EXCHANGE_ONLINE_APP_ID)
    {
        return;
    }
    for cmd in commands {
        // `Update-MgServicePrincipal` changes many things; only its key list is an upload.
        let graph = cmd.name.to_ascii_lowercase().starts_with("update-mg");
        if graph && cmd.param("KeyCredentials").is_none() {
            continue;
        }
        let mut f = Finding::new(Code::FB120, cmd.name_range.clone());
        f.note = Some(format!(
            "Adds a key to the shared principal `{EXCHANGE_ONLINE_APP_ID}`: Exchange Online has refused EWS calls through it since October 31, 2025. Put the Auth certificate on the dedicated Exchange hybrid application (`ConfigureExchangeHybridApplication.ps1 -UpdateCertificate`, or the Hybrid Configuration Wizard)."
        ));
        out.push(f);
    }
}
