//! Identifiers Microsoft fixed once and for all, used by more than one check.

/// Exchange Online's first-party application ID: the only right `Set-AuthConfig -ServiceName`
/// in hybrid, and the `ServiceName` an AuthConfig must show.
pub const EXCHANGE_ONLINE_APP_ID: &str = "00000002-0000-0ff1-ce00-000000000000";
