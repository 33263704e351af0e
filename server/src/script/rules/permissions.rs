//! Calendar permissions and working hours: FB105, FB106.
use crate::finding::Finding;
use crate::script::model::{Command, Script};

/// FB105: `Default` with `-AccessRights None` (or an invalid right) on a calendar folder.
pub fn calendar_default_access(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {}

/// FB106: working hours that cannot be valid.
pub fn working_hours(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {}
