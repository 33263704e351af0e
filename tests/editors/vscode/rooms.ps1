# Default must see free/busy on this room calendar.
Set-MailboxFolderPermission -Identity "room1@contoso.com:\Calendar" -User Default -AccessRights None
