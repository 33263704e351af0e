; Organization relationships, intra-organization connectors, federation trust.
; Each pattern captures a `command` node under the code of the rule that examines it; the rule's
; Rust (server/src/script/rules/ioc_disabled.rs, endpoint_url_shape.rs, wrong_property.rs,
; refresh_metadata_once.rs, domains_replaced.rs) reads its parameters, values and pipeline.

; FB104: Set-IntraOrganizationConnector; the rule keeps those given `-Enabled $false`.
((command
   command_name: (command_name) @name) @FB104
 (#match? @name "^(?i)set-intraorganizationconnector$"))

; FB111: the cmdlets that take the free/busy endpoints (-TargetSharingEpr, -TargetAutodiscoverEpr,
; -DiscoveryEndpoint), New- and Set-; the rule checks the shape of each URL given.
((command
   command_name: (command_name) @name) @FB111
 (#match? @name "^(?i)(new|set)-(intraorganizationconnector|organizationrelationship)$"))

; FB114: the commands that name properties to show (Format-List, Format-Table, Select-Object and
; their aliases); the rule looks at the stage before it in the pipeline to know the object.
((command
   command_name: (command_name) @name) @FB114
 (#match? @name "^(?i)(format-list|fl|format-table|ft|select-object|select)$"))

; FB115: every Set-FederationTrust; the rule counts those that refresh the metadata.
((command
   command_name: (command_name) @name) @FB115
 (#match? @name "^(?i)set-federationtrust$"))

; FB116: the Set- cmdlets whose domain list a plain value replaces (New- sets a first list and is
; left alone); the rule checks -TargetAddressDomains / -DomainNames for an @{add=...} hashtable.
((command
   command_name: (command_name) @name) @FB116
 (#match? @name "^(?i)set-(intraorganizationconnector|organizationrelationship)$"))
