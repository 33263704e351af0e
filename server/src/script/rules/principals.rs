//! Service principal keys: FB120.
use crate::finding::Finding;
use crate::script::model::{Command, Script};

/// Exchange Online's shared first-party principal, refused for EWS since October 31, 2025.
const SHARED_PRINCIPAL: &str = "00000002-0000-0ff1-ce00-000000000000";

/// FB120: a key uploaded to the shared principal. Graph and AzureAD address a service principal
/// by its object ID, found from the application ID elsewhere in the script, so the script naming
/// the shared principal's ID anywhere is what ties the upload to it.
pub fn shared_principal_upload(script: &Script, commands: &[&Command], out: &mut Vec<Finding>) {
    if !script.text.to_ascii_lowercase().contains(SHARED_PRINCIPAL) {
        return;
    }
    for cmd in commands {
        let graph = cmd.name.to_ascii_lowercase().starts_with("update-mg");
        // `Update-MgServicePrincipal` changes many things; only its key list is an upload.
        if graph && cmd.param("KeyCredentials").is_none() {
            continue;
        }
        let mut f = Finding::new("FB120", cmd.name_range.clone());
        f.note = Some(format!(
            "Adds a key to the shared principal `{SHARED_PRINCIPAL}`: Exchange Online has refused EWS calls through it since October 31, 2025. Put the Auth certificate on the dedicated Exchange hybrid application (`ConfigureExchangeHybridApplication.ps1 -UpdateCertificate`, or the Hybrid Configuration Wizard)."
        ));
        out.push(f);
    }
}
