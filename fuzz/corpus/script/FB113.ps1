# After toggling WSSecurity on the virtual directories, restart IIS.
Set-WebServicesVirtualDirectory -Identity "EX01\EWS (Default Web Site)" -WSSecurityAuthentication $true
iisreset
^^^^^^^^ FB113
IISReset.exe /restart
^^^^^^^^^^^^^^^^^^^^^ FB113

# Already safe: nothing to flag.
iisreset /noforce
iisreset.exe /NOFORCE
# An iisreset mentioned in a comment is not a command.
Write-Host "Run iisreset later"
