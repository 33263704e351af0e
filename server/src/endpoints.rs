//! The shape of a free/busy endpoint URL (`-TargetSharingEpr`, `-TargetAutodiscoverEpr`,
//! `-DiscoveryEndpoint`): https, and one of the paths `knowledge/tables/endpoints.toml` gives its name.
//! One judgement for scripts (FB111) and pasted output (FB304).
use crate::knowledge::Endpoint;

/// What is wrong with a URL, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Written `http://`.
    pub http: bool,
    /// Written `https://`.
    pub https: bool,
    /// Ends in one of the endpoint's paths.
    pub path_ok: bool,
}

impl Shape {
    pub fn ok(self) -> bool {
        self.https && self.path_ok
    }
}

/// Judges `url` (surrounding blanks ignored, any case) as a value of `endpoint`.
pub fn shape(endpoint: &Endpoint, url: &str) -> Shape {
    let lower = url.trim().to_ascii_lowercase();
    Shape {
        http: lower.starts_with("http://"),
        https: lower.starts_with("https://"),
        path_ok: endpoint
            .paths
            .iter()
            .any(|p| lower.ends_with(&p.to_ascii_lowercase())),
    }
}

/// What the URL must be, for a note: "an https URL ending in `/a` or `/b`".
pub fn expected(endpoint: &Endpoint) -> String {
    let paths: Vec<String> = endpoint.paths.iter().map(|p| format!("`{p}`")).collect();
    format!("an https URL ending in {}", paths.join(" or "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::catalog;

    fn endpoint(name: &str) -> &'static Endpoint {
        catalog()
            .endpoints()
            .iter()
            .find(|e| e.name == name)
            .unwrap()
    }

    #[test]
    fn scheme_and_path_are_judged_apart() {
        let ews = endpoint("TargetSharingEpr");
        assert!(shape(ews, " HTTPS://mail.contoso.com/EWS/Exchange.asmx ").ok());
        let http = shape(ews, "http://mail.contoso.com/ews/exchange.asmx");
        assert!(http.http && http.path_ok && !http.ok());
        assert!(shape(ews, "https://mail.contoso.com/EWS/Exchange.asmx/WSSecurity").ok());
        let path = shape(ews, "https://mail.contoso.com/owa");
        assert!(!path.http && path.https && !path.path_ok);
        let bare = shape(ews, "mail.contoso.com/ews/exchange.asmx");
        assert!(!bare.http && !bare.https && !bare.ok());
        let ad = endpoint("DiscoveryEndpoint");
        assert!(shape(
            ad,
            "https://a.contoso.com/autodiscover/autodiscover.svc/WSSecurity"
        )
        .ok());
        assert!(!shape(ad, "https://a.contoso.com/autodiscover/autodiscover.xml").ok());
        assert!(expected(ad).contains("`/autodiscover/autodiscover.svc/WSSecurity`"));
    }
}
