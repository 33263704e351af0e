; Service principal keys: FB120.
;
; FB120: the cmdlets that add a key (certificate) to a service principal; the rule keeps those
; aimed at Exchange Online's shared first-party principal 00000002-0000-0ff1-ce00-000000000000.
((command
   command_name: (command_name) @name) @FB120
 (#match? @name "^(?i)(new-msolserviceprincipalcredential|new-azureadserviceprincipalkeycredential|update-mg(beta)?serviceprincipal|add-mg(beta)?serviceprincipalkey)$"))
