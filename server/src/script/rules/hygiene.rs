//! Leftovers from copying the article: FB117, FB119.
use crate::finding::Finding;
use crate::script::model::{Command, Script};

/// FB117: a documentation placeholder left in an argument.
pub fn placeholder_left(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {}

/// FB119: `PsExec ... iexplore.exe`.
pub fn psexec_internet_explorer(_script: &Script, _commands: &[&Command], _out: &mut Vec<Finding>) {
}
