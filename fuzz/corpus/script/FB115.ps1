# Refresh the Microsoft Federation Gateway metadata (the procedure runs it twice).
Get-FederationTrust | Set-FederationTrust -RefreshMetadata
                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ FB115
Test-FederationTrustCertificate
# Set-FederationTrust -RefreshMetadata
Get-FederationTrust | FL
