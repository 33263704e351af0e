; Leftovers from copying the article into a script.
; Each pattern captures a `command` node under the code of the rule that examines it; the rule's
; Rust (server/src/script/rules/placeholder_left.rs, psexec_internet_explorer.rs) reads the
; arguments and decides.

; FB117: every command, whatever its name: a documentation placeholder such as `<mailbox ID>`
; can be left in the arguments of any of them. The Rust scans each command's argument text
; (and the hashtables and variables it takes values from) for `<` + words + `>`, and skips
; comments, here-strings, markup and message cmdlets (Write-Host ...).
(command) @FB117

; FB119: PsExec, however it is called: `PsExec`, `psexec64.exe`, `.\PsExec.exe`, or
; `& "C:\Tools\PsExec.exe"` (a quoted path after the call operator is a `command_name_expr`,
; hence the wildcard node). The Rust keeps those that start Internet Explorer.
((command
   command_name: (_) @name) @FB119
 (#match? @name "(?i)(^|[\\\\/\"'])psexec(64)?(\\.exe)?[\"']?$"))
