; Virtual directories and IIS.
; Each pattern captures a `command` node under the code of the rule that examines it; the rule's
; Rust (server/src/script/rules/vdir_auth_left_off.rs, iisreset_without_noforce.rs) reads its
; parameters and their order.

; FB103: every Set-WebServicesVirtualDirectory / Set-AutodiscoverVirtualDirectory; the rule keeps
; those that switch OAuth or WSSecurity authentication off and checks the later commands for the
; matching switch back on.
((command
   command_name: (command_name) @name) @FB103
 (#match? @name "^(?i)set-(webservices|autodiscover)virtualdirectory$"))

; FB113: every iisreset; the rule keeps those without /noforce.
((command
   command_name: (command_name) @name) @FB113
 (#match? @name "^(?i)iisreset(\\.exe)?$"))
