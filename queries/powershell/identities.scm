; Users, UPNs, passwords and the retired MSOnline / AzureAD modules.
; Each pattern captures a `command` node under the code of the rule that examines it; the rule's
; Rust (server/src/script/rules/<id>.rs: immutable_id_left_set, temporary_upn_left,
; retired_modules, password_never_expires, literal_password) reads its parameters, values and order.

; FB107: Set-RemoteMailbox (on-premises) and Set-Mailbox (Exchange Online); the rule keeps those
; giving -ImmutableId a value with no later -ImmutableId $null for the same identity.
((command
   command_name: (command_name) @name) @FB107
 (#match? @name "^(?i)set-(remote)?mailbox$"))

; FB108: the three ways the article (and Graph) rename a user; the rule keeps a rename to a
; *.onmicrosoft.com UPN that nothing later renames back.
((command
   command_name: (command_name) @name) @FB108
 (#match? @name "^(?i)(set-azureaduser|set-msoluserprincipalname|update-mguser)$"))

; FB109: any cmdlet of the MSOnline (*-Msol*) or AzureAD (*-AzureAD*) modules (the prefixes of
; server/knowledge/retired-modules.toml) ...
((command
   command_name: (command_name) @name) @FB109
 (#match? @name "^(?i)[a-z]+-(msol|azuread)[a-z0-9]*$"))

; ... and installing or importing a module: the rule keeps MSOnline, AzureAD, AzureADPreview.
((command
   command_name: (command_name) @name) @FB109
 (#match? @name "^(?i)(install|import)-module$"))

; FB110: the cmdlets that set a user's password expiry; the rule keeps -PasswordNeverExpires $true
; and -PasswordPolicies DisablePasswordExpiration.
((command
   command_name: (command_name) @name) @FB110
 (#match? @name "^(?i)((set|new)-(msoluser|azureaduser|mguser)|update-mguser)$"))

; FB118: ConvertTo-SecureString; the rule keeps -AsPlainText with a literal string.
((command
   command_name: (command_name) @name) @FB118
 (#match? @name "^(?i)convertto-securestring$"))

; FB118: any command written with a password parameter (-Password, -NewPassword, -OldPassword,
; -AccountPassword or an abbreviation with "passw" in it: server/knowledge/passwords.toml); the rule
; keeps literal values.
((command
   command_elements: (command_elements
     (command_parameter) @param)) @FB118
 (#match? @param "^(?i)-[a-z]*passw"))

; FB118: any command with a splatted hashtable (`Cmd @params`): its entries become parameters
; and may hold a password.
((command
   command_elements: (command_elements
     (array_literal_expression
       (unary_expression
         (variable) @splat)))) @FB118
 (#match? @splat "^@"))

; FB118: any command with a hashtable argument (`-PasswordProfile @{ Password = "..." }`,
; `-BodyParameter @{...}`); the rule looks for password entries at any depth.
((command
   command_elements: (command_elements
     (array_literal_expression
       (unary_expression
         (hash_literal_expression))))) @FB118)
