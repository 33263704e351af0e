//! Organization relationships, intra-organization connectors, federation: FB104, FB111, FB114,
//! FB115, FB116.
use crate::finding::Finding;
use crate::script::model::{Command, Script};

/// FB104: `Set-IntraOrganizationConnector ... -Enabled $false`.
pub fn ioc_disabled(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {}

/// FB111: endpoint URLs of the wrong shape.
pub fn endpoint_urls(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {}

/// FB114: a property the object does not have (`Get-IntraOrganizationConnector | FL TargetAutodiscoverEpr`).
pub fn wrong_property(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {}

/// FB115: `Set-FederationTrust -RefreshMetadata` run once.
pub fn refresh_metadata_once(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {}

/// FB116: `-TargetAddressDomains` / `-DomainNames` given a plain value.
pub fn domains_replaced(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {}
