; Commands checked against their cmdlet's parameter sets (knowledge/cmdlets/*.toml).
; The rule's Rust (server/src/script/rules/cmdlet_parameters.rs) binds each command whose name
; has data (names and aliases) as PowerShell would, and leaves every other command alone.

; FB121: every command; the rule keeps those with a cmdlet schema.
((command
   command_name: (command_name)) @FB121)
