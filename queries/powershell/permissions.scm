; Calendar permissions and working hours.
; Each pattern captures a `command` node under the code of the rule that examines it; the rule's
; Rust (server/src/script/rules/calendar_default_access.rs, working_hours.rs) reads the parameters,
; resolves variables and splatted hashtables, and decides.

; FB105: every command that sets or adds a folder permission. The Rust keeps those on a calendar
; folder (`:\Calendar`, `:\Kalender`) that give `Default` the right `None`, and any whose
; -AccessRights value is not an access right at all.
((command
   command_name: (command_name) @name) @FB105
 (#match? @name "^(?i)(set|add)-mailboxfolderpermission$"))

; FB106: every Set-MailboxCalendarConfiguration. The Rust compares -WorkingHoursStartTime with
; -WorkingHoursEndTime, and checks -WorkingHoursTimeZone is present and a Windows time zone id
; (knowledge/tables/time-zones.toml).
((command
   command_name: (command_name) @name) @FB106
 (#match? @name "^(?i)set-mailboxcalendarconfiguration$"))
