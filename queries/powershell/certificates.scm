; Certificates and the OAuth configuration.
; Each pattern captures a `command` node under the code of the rule that examines it; the rule's
; Rust (server/src/script/rules/smtp_certificate_prompt.rs, auth_config_rotation.rs,
; auth_service_name.rs) reads its parameters, values and order.

; FB101: every New-ExchangeCertificate; the rule keeps those whose -Services names SMTP (the
; prompt to overwrite the default SMTP certificate) and looks for -Force / -Confirm:$false.
((command
   command_name: (command_name) @name) @FB101
 (#match? @name "^(?i)new-exchangecertificate$"))

; FB102: every Set-AuthConfig; the rule keeps those that stage a new certificate
; (-NewCertificateThumbprint) or clear the previous one (-ClearPreviousCertificate) and checks
; the script's other Set-AuthConfig commands for -PublishCertificate, and its order.
((command
   command_name: (command_name) @name) @FB102
 (#match? @name "^(?i)set-authconfig$"))

; FB112: every Set-AuthConfig; the rule keeps those whose -ServiceName is not Exchange Online's.
((command
   command_name: (command_name) @name) @FB112
 (#match? @name "^(?i)set-authconfig$"))
