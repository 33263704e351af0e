//! A well-formed value of each capture key: what the tests fill command templates with.
use freebusy_lsp::capture::Key;

pub fn sample(key: Key) -> &'static str {
    match key {
        Key::Address => "jon.doe@contoso.com",
        Key::Domain => "contoso.com",
        Key::Host => "mail.contoso.com",
        Key::Url => "https://mail.contoso.com/owa",
        Key::EwsUrl => "https://mail.contoso.com/EWS/Exchange.asmx",
        Key::AutodiscoverUrl => "https://autodiscover.contoso.com/autodiscover/autodiscover.svc",
        Key::Server => "EXCH01",
        Key::Thumbprint => "0123456789ABCDEF0123456789ABCDEF01234567",
        Key::Ip => "10.0.0.1",
        Key::Status => "401",
        Key::UserAgent => "ASProxy/CrossForest/EmailDomain",
        Key::FailedTest => "Test-OAuthConnectivity",
    }
}
