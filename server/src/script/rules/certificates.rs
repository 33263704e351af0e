//! Certificates and the OAuth configuration: FB101, FB102, FB112.
use crate::finding::Finding;
use crate::script::model::{Command, Script};

/// FB101: `New-ExchangeCertificate -Services ...SMTP...`.
pub fn smtp_certificate_prompt(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {}

/// FB102: `Set-AuthConfig` rotation steps missing or out of order.
pub fn auth_config_rotation(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {}

/// FB112: `Set-AuthConfig -ServiceName` other than Exchange Online's.
pub fn auth_service_name(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {}
