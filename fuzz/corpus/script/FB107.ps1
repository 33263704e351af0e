# Toggle the ImmutableId of a synced user whose passwords do not match.
Get-RemoteMailbox -Identity user1@contoso.com | FL UserPrincipalName,ImmutableId
Set-RemoteMailbox -Identity user1@contoso.com -ImmutableId user1@contoso.onmicrosoft.com
                                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ FB107
Import-Module ADSync
Start-ADSyncSyncCycle -PolicyType Delta
Get-Mailbox -Identity user1@contoso.com | FL UserPrincipalName,ImmutableId

# Positional identity, abbreviated parameter, value through a variable.
$upn = "user2@contoso.onmicrosoft.com"
set-remotemailbox user2@contoso.com -immutable $upn
                                    ^^^^^^^^^^^^^^^ FB107

# Splatted.
$toggle = @{ Identity = "user3@contoso.com"; ImmutableId = "user3@contoso.onmicrosoft.com" }
                                                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ FB107
Set-RemoteMailbox @toggle

# Reset, but for another object (alias instead of UPN): user4@contoso.com keeps its value.
Set-RemoteMailbox -Identity user4@contoso.com -ImmutableId:user4@contoso.onmicrosoft.com
                                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ FB107
Set-RemoteMailbox -Identity user4 -ImmutableId $null

# Exchange Online, no synchronization in the script.
Set-Mailbox -Identity cloud1@contoso.com -ImmutableId "cloud1@contoso.onmicrosoft.com"
                                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ FB107

# Safe: the full toggle (other casing and quoting for the same identity).
Set-RemoteMailbox -Identity user5@contoso.com -ImmutableId user5@contoso.onmicrosoft.com
Start-ADSyncSyncCycle -PolicyType Delta
Set-RemoteMailbox -Identity "USER5@contoso.com" -ImmutableId $null
Start-ADSyncSyncCycle -PolicyType Delta

# Safe: reset through the same variable.
$mbx = "user6@contoso.com"
Set-RemoteMailbox $mbx -ImmutableId user6@contoso.onmicrosoft.com
Set-RemoteMailbox -Identity user6@contoso.com -ImmutableId:$null

# Safe: clearing only, and other properties.
Set-Mailbox -Identity cloud2@contoso.com -ImmutableId $null
Set-RemoteMailbox -Identity user7@contoso.com -EmailAddresses @{add = "user7@contoso.mail.onmicrosoft.com"}
Write-Host "Set-RemoteMailbox -ImmutableId is toggled above"
