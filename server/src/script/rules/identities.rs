//! Users, UPNs, passwords and the retired modules: FB107, FB108, FB109, FB110, FB118.
use crate::finding::Finding;
use crate::script::model::{Command, Script};

/// FB107: `-ImmutableId <value>` with no later reset to `$null`.
pub fn immutable_id_left_set(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {}

/// FB108: a UPN changed to a temporary `*.onmicrosoft.com` name and never changed back.
pub fn temporary_upn_left(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {}

/// FB109: retired MSOnline / AzureAD cmdlets.
pub fn retired_modules(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {}

/// FB110: password expiry switched off.
pub fn password_never_expires(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {}

/// FB118: a password as a literal.
pub fn literal_password(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {}
