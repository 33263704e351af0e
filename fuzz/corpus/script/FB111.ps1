# Plain http: an error, fixed by switching to https.
Set-OrganizationRelationship "O365 to On-premises*" -TargetSharingEpr http://mail.contoso.com/EWS/Exchange.asmx
                                                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ FB111
Set-IntraOrganizationConnector -Identity "HybridIOC - 1234" -DiscoveryEndpoint "HTTP://autodiscover.contoso.com/autodiscover/autodiscover.svc"
                                                            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ FB111
# Through a variable, abbreviated parameter.
$autodiscover = 'http://autodiscover.contoso.com/Autodiscover/Autodiscover.svc/WSSecurity'
set-organizationrelationship "O365 to On-premises*" -TargetAutodiscover $autodiscover
                                                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ FB111
# Colon form, on a new relationship.
New-OrganizationRelationship -Name "Fabrikam" -DomainNames fabrikam.com -TargetSharingEpr:"http://mail.fabrikam.com/ews/exchange.asmx"
                                                                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ FB111
# Splatted.
$relationship = @{ Identity = "O365 to On-premises*"; TargetSharingEpr = "http://mail.contoso.com/ews/exchange.asmx" }
                                                                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ FB111
Set-OrganizationRelationship @relationship

# The right shapes, in any case, and values not known: nothing to flag.
Set-OrganizationRelationship "O365 to On-premises*" -TargetSharingEpr https://mail.contoso.com/EWS/Exchange.asmx
Set-IntraOrganizationConnector "HybridIOC*" -DiscoveryEndpoint https://autodiscover.contoso.com/autodiscover/autodiscover.svc
Set-OrganizationRelationship "O365 to On-premises*" -TargetAutodiscoverEpr "HTTPS://AUTODISCOVER.CONTOSO.COM/AUTODISCOVER/AUTODISCOVER.SVC/WSSECURITY"
Set-IntraOrganizationConnector "HybridIOC*" -TargetSharingEpr https://3f2504e0-4f89-11d3-9a0c-0305e82c3301.hybrid.contoso.com/ews/exchange.asmx
Set-OrganizationRelationship "O365 to On-premises*" -TargetSharingEpr $null
Set-OrganizationRelationship "O365 to On-premises*" -TargetSharingEpr $ewsUrl
Get-OrganizationRelationship | FL TargetSharingEpr,TargetAutodiscoverEpr
# Set-OrganizationRelationship "O365 to On-premises*" -TargetSharingEpr http://mail.contoso.com/ews/exchange.asmx
