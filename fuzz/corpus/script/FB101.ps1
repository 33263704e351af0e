# Create the new OAuth certificate (missing signing certificate), unattended: flagged as errors.
New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true -SubjectName "CN=Microsoft Exchange Server Auth Certificate" -FriendlyName "Microsoft Exchange Server Auth Certificate" -DomainName contoso.com -Services SMTP -Force
                                                                                                                                                                                                                                 ^^^^^^ FB101
new-exchangecertificate -Servi "IIS,SMTP" -Confirm:$false -FriendlyName "Microsoft Exchange Server Auth Certificate"
                                          ^^^^^^^^^^^^^^^ FB101
# Abbreviated, both at once: one finding, one fix removing both.
New-ExchangeCertificate -Services SMTP -Fo -Conf:$false -DomainName contoso.com
                                       ^^^ FB101
# The services through a variable.
$services = "IIS", "SMTP"
New-ExchangeCertificate -Services $services -Force:$true
                                            ^^^^^^^^^^^^ FB101
# Continued lines: the continuation goes with the removed switch.
New-ExchangeCertificate -SubjectName "CN=Microsoft Exchange Server Auth Certificate" `
    -Services SMTP `
    -Force `
    ^^^^^^ FB101
    -FriendlyName "Microsoft Exchange Server Auth Certificate"
New-ExchangeCertificate -SubjectName "CN=Microsoft Exchange Server Auth Certificate" -Services SMTP `
    -Confirm:$false
    ^^^^^^^^^^^^^^^ FB101

# Interactive: a warning, the prompt to overwrite the default SMTP certificate must be answered No.
New-ExchangeCertificate -KeySize 2048 -PrivateKeyExportable $true -SubjectName "CN=Microsoft Exchange Server Auth Certificate" -FriendlyName "Microsoft Exchange Server Auth Certificate" -DomainName contoso.com -Services SMTP
                                                                                                                                                                                                                  ^^^^^^^^^^^^^^ FB101
NEW-EXCHANGECERTIFICATE -services:smtp -DomainName contoso.com
                        ^^^^^^^^^^^^^^ FB101
New-ExchangeCertificate -Services @("IIS", "SMTP") -Force:$false
                        ^^^^^^^^^^^^^^^^^^^^^^^^^^ FB101
New-ExchangeCertificate -Services SMTP -Confirm
                        ^^^^^^^^^^^^^^ FB101
$svc = "IMAP, POP, SMTP"
New-ExchangeCertificate -Services $svc -Confirm:$true
                        ^^^^^^^^^^^^^^ FB101
# Splatted -Force: an error, but the hashtable holds it, so no edit is offered.
$cert = @{ Services = "SMTP"; Force = $true; FriendlyName = "Microsoft Exchange Server Auth Certificate" }
                                      ^^^^^ FB101
New-ExchangeCertificate @cert

# Safe: no SMTP among the services, so no prompt about the SMTP certificate.
New-ExchangeCertificate -Services IIS -Force
New-ExchangeCertificate -Services "IMAP,POP" -Confirm:$false
# Services not known here.
New-ExchangeCertificate -Services $fromParameter -Force
# Not a command.
Write-Host "New-ExchangeCertificate -Services SMTP -Force"
