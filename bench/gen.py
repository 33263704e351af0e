"""Generated mixed Exchange logs: HttpProxy CSV, IIS W3C, EWS/application lines and pasted
cmdlet output, with a catalog error every ~400 lines. Deterministic for a given size."""
import random

ERRORS = [
    "Autodiscover failed for e-mail address alice@contoso.com with error System.Web.Services.Protocols.SoapHeaderException: An error occurred when verifying security for the message.",
    "Proxy web request failed. , inner exception: System.Net.WebException: Unable to connect to the remote server",
    "Microsoft.Exchange.Security.OAuth.OAuthTokenRequestFailedException: Missing signing certificate.",
    "The user specified by the user-context in the token is ambiguous.",
    "Unable to read data from the transport connection: An existing connection was forcibly closed by the remote host.",
    "Configuration information for forest/domain contoso.com could not be found in Active Directory.",
    "The caller does not have access to free/busy data. NoFreeBusyAccessException",
    "An error occurred when processing the security tokens in the message.",
    "The cross-organization request for mailbox bob@fabrikam.com is not allowed because the requester is from a different organization.",
    "The entered and stored passwords do not match.",
]
W3C_HEAD = "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2024-05-03 07:00:00\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status time-taken\n"
CSV_HEAD = "DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method,ProxyAction,TargetServer,TargetServerVersion,RoutingType,RoutingHint,BackEndCookie,ServerLocatorHost,ServerLocatorLatency,RequestBytes,ResponseBytes,TargetOutstandingRequests,AuthModulePerfContext,HttpPipelineLatency,CalculateTargetBackEndLatency,GlsLatencyBreakup,TotalGlsLatency,AccountForestLatencyBreakup,TotalAccountForestLatency,ResourceForestLatencyBreakup,TotalResourceForestLatency,ADLatency,SharedCacheLatencyBreakup,TotalSharedCacheLatency,ActivityContextLifeTime,ModuleToHandlerSwitchingLatency,ClientReqStreamLatency,BackendReqInitLatency,BackendReqStreamLatency,BackendProcessingLatency,BackendRespInitLatency,BackendRespStreamLatency,ClientRespStreamLatency,KerberosAuthHeaderLatency,HandlerCompletionLatency,RequestHandlerLatency,HandlerToModuleSwitchingLatency,ProxyTime,CoreLatency,RoutingLatency,HttpProxyOverhead,TotalRequestTime,RouteRefresherLatency,UrlQuery,BackEndGenericInfo,GenericInfo,GenericErrors,EdgeTraceId,DatabaseGuid,UserADObjectGuid,PartitionEndpointLookupLatency,RoutingStatus\n"


def line(rng, n):
    k = rng.randrange(4)
    ms = rng.randrange(1, 900)
    if k == 0:
        return f"2024-05-03 07:{n % 60:02d}:{n % 57:02d} 10.0.0.5 POST /EWS/Exchange.asmx - 443 CONTOSO\\svc 10.0.1.{n % 250} Mozilla/4.0+(compatible) 200 0 0 {ms}\n"
    if k == 1:
        return f"2024-05-03T07:02:{n % 60:02d}.{ms:03d}Z,{n:08x}-1111-2222-3333-444455556666,15,2,1544,4,,Ews,mail.contoso.com,/EWS/Exchange.asmx,,Negotiate,true,CONTOSO\\svc,,,ASAutoDiscover/CrossForest/EmailDomain//15.02.1544.004,10.0.1.7,EXCH01,200,200,,POST,Proxy,exch02.contoso.com,Version 15.2,DatabaseGuid,,,,0,{ms},{ms},,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n"
    if k == 2:
        return f"2024-05-03T07:02:19.{ms:03d}Z INFO  GetUserAvailability completed in {ms} ms for {n % 9 + 1} mailboxes\n"
    return f"RunspaceId : 5f1c{n:08x}\nIdentity   : Contoso to Office 365\nEnabled    : True\n\n"


def generate(size, seed=11):
    rng = random.Random(seed)
    parts = [W3C_HEAD, CSV_HEAD]
    total = sum(map(len, parts))
    n = 0
    while total < size:
        if n % 400 == 399:
            s = f"2024-05-03T07:02:19.001Z ERROR {ERRORS[(n // 400) % len(ERRORS)]}\n"
        else:
            s = line(rng, n)
        parts.append(s)
        total += len(s)
        n += 1
    return "".join(parts)


if __name__ == "__main__":
    import sys
    sys.stdout.write(generate(int(sys.argv[1])))
