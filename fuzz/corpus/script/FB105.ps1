# Default must see availability on room calendars.
Set-MailboxFolderPermission -Identity "room1@contoso.com:\Calendar" -User Default -AccessRights None
                                                                                  ^^^^^^^^^^^^^^^^^^ FB105
Set-MailboxFolderPermission room2:\kalender -user default -Access none
                                                          ^^^^^^^^^^^^ FB105
Add-MailboxFolderPermission -Identity 'room3@contoso.com:\Calendar' -User 'Default' -AccessRights:'None'
                                                                                    ^^^^^^^^^^^^^^^^^^^^ FB105
$rights = "None"
Set-MailboxFolderPermission -Identity "room4@contoso.com:\Calendar" -User Default -AccessRights $rights
                                                                                  ^^^^^^^^^^^^^^^^^^^^^ FB105
$perm = @{ Identity = "room5@contoso.com:\CALENDAR"; User = "Default"; AccessRights = "None" }
                                                                                      ^^^^^^ FB105
Set-MailboxFolderPermission @perm
Get-MailboxFolderPermission -Identity room6:\Calendar -User Default | Set-MailboxFolderPermission -AccessRights None
                                                                                                  ^^^^^^^^^^^^^^^^^^ FB105
# Still a calendar, though the mailbox is a placeholder (FB117 flags that).
Add-MailboxFolderPermission -Identity <mailbox ID>:\Calendar -User Default -AccessRights None
                                      ^^^^^^^^^^^^ FB117
                                                                           ^^^^^^^^^^^^^^^^^^ FB105
# Values that are no access right at all.
Set-MailboxFolderPermission -Identity "room7@contoso.com:\Calendar" -User Default -AccessRights FreeBusyTimeOnly
                                                                                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ FB105
Set-MailboxFolderPermission -Identity "room8@contoso.com:\Calendar" -User Default -AccessRights Reviwer
                                                                                  ^^^^^^^^^^^^^^^^^^^^^ FB105
Set-MailboxFolderPermission -Identity "john@contoso.com:\Inbox" -User anna -AccessRights Reveiwer
                                                                           ^^^^^^^^^^^^^^^^^^^^^^ FB105

# Already safe: nothing to flag.
Set-MailboxFolderPermission -Identity "room1@contoso.com:\Calendar" -User Default -AccessRights AvailabilityOnly
Set-MailboxFolderPermission -Identity "room1@contoso.com:\Calendar" -User Default -AccessRights limiteddetails
Set-MailboxFolderPermission -Identity "room1@contoso.com:\Calendar" -User Anonymous -AccessRights None
Set-MailboxFolderPermission -Identity "john@contoso.com:\Inbox" -User Default -AccessRights None
Add-MailboxFolderPermission -Identity john:\Calendar -User anna -AccessRights ReadItems,CreateItems,FolderVisible
Set-MailboxFolderPermission -Identity $folder -User Default -AccessRights $unknown
Get-MailboxFolderPermission -Identity "room1@contoso.com:\Calendar" -User Default
# The article's own line leaves its values to fill in (FB117's business, not this rule's).
Set-MailboxFolderPermission -Identity "room1@contoso.com:\Calendar" -AccessRights "<access rights value>"
                                                                                   ^^^^^^^^^^^^^^^^^^^^^ FB117
Set-MailboxFolderPermission -Identity "room1@contoso.com:\Calendar" -User Default -AccessRights
