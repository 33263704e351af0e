; Virtual directories and IIS.
; Each pattern captures a `command` node under the code of the rule that examines it; the rule's
; Rust (server/src/script/rules/virtual_directories.rs) reads its parameters and their order.

; FB113: every iisreset; the rule keeps those without /noforce.
((command
   command_name: (command_name) @name) @FB113
 (#match? @name "^(?i)iisreset(\\.exe)?$"))
