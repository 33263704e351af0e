//! The pseudonyms: one per original (any case), numbered in order of first appearance, never a
//! name that the input already holds (so a pseudonym cannot be mistaken for another original).
use super::keep::keep;
use super::shape;
use super::{Kind, Replacement};
use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};

pub struct Names {
    /// The input, lowercased: a pseudonym found in it is not used.
    input: String,
    seen: HashMap<(Kind, String), String>,
    counters: HashMap<Kind, usize>,
    map: Vec<Replacement>,
}

/// IPv4 documentation ranges (RFC 5737), in the order pseudonyms use them.
const TEST_NETS: [[u8; 3]; 3] = [[192, 0, 2], [198, 51, 100], [203, 0, 113]];

fn upper_like(original: &str, pseudonym: String) -> String {
    let has_upper = original.chars().any(|c| c.is_ascii_uppercase());
    let has_lower = original.chars().any(|c| c.is_ascii_lowercase());
    if has_upper && !has_lower {
        pseudonym.to_ascii_uppercase()
    } else {
        pseudonym
    }
}

impl Names {
    pub fn new(text: &str) -> Names {
        Names {
            input: text.to_ascii_lowercase(),
            seen: HashMap::new(),
            counters: HashMap::new(),
            map: Vec::new(),
        }
    }

    pub fn into_map(self) -> Vec<Replacement> {
        self.map
    }

    /// The pseudonym of `original` of this kind, made by `make(n)` on first sight.
    fn name(&mut self, kind: Kind, original: &str, make: impl Fn(usize) -> String) -> String {
        let key = (kind, original.to_ascii_lowercase());
        if let Some(p) = self.seen.get(&key) {
            return p.clone();
        }
        let counter = self.counters.entry(kind).or_insert(0);
        let pseudonym = loop {
            *counter += 1;
            let candidate = make(*counter);
            // Bounded: past a million tries, take it (only a pathological input gets there).
            if !self.input.contains(&candidate.to_ascii_lowercase()) || *counter > 1_000_000 {
                break candidate;
            }
        };
        self.seen.insert(key, pseudonym.clone());
        self.map.push(Replacement {
            kind,
            original: original.to_string(),
            pseudonym: pseudonym.clone(),
        });
        pseudonym
    }

    pub fn user(&mut self, user: &str) -> String {
        self.name(Kind::User, user, |n| format!("user{n}"))
    }

    pub fn account(&mut self, domain: &str) -> String {
        let p = self.name(Kind::Account, domain, |n| format!("DOMAIN{n}"));
        upper_like(domain, p)
    }

    pub fn label(&mut self, label: &str) -> String {
        let p = self.name(Kind::Server, label, |n| format!("host{n}"));
        upper_like(label, p)
    }

    pub fn subject(&mut self, value: &str) -> String {
        self.name(Kind::Subject, value, |n| format!("Subject {n}"))
    }

    /// A single label is a server; a dotted name a host.
    pub fn label_or_host(&mut self, value: &str) -> String {
        if value.contains('.') {
            self.host(value)
        } else {
            self.label(value)
        }
    }

    /// A word after `Server:` or in capitals with digits: is it a machine's name?
    pub fn could_be_server(&self, word: &str) -> bool {
        let k = keep();
        shape::is_single_label(word)
            && !k.not_server(word)
            && !k.directory_name(word)
            && !k.windows_domain(word)
            && !k.service_label(word)
    }

    pub fn guid(&mut self, guid: &str) -> String {
        if keep().app_id(guid) {
            return guid.to_string();
        }
        let p = self.name(Kind::Guid, guid, |n| {
            format!("00000000-0000-0000-0000-{n:012}")
        });
        upper_like(guid, p)
    }

    pub fn thumbprint(&mut self, hex: &str) -> String {
        self.name(Kind::Thumbprint, hex, |n| format!("{n:0>40X}"))
    }

    pub fn sid(&mut self, sid: &str) -> String {
        self.name(Kind::Sid, sid, |n| {
            format!("S-1-5-21-1000000000-1000000000-{}", 1_000_000_000 + n)
        })
    }

    /// `None` for what is no address, or one that says nothing about anyone (loopback, masks,
    /// documentation ranges).
    pub fn ipv4(&mut self, dotted: &str) -> Option<String> {
        let ip: Ipv4Addr = dotted.parse().ok()?;
        let o = ip.octets();
        let documentation = TEST_NETS.iter().any(|net| o[..3] == net[..]);
        if ip.is_loopback() || ip.is_unspecified() || o[0] == 255 || documentation {
            return None;
        }
        Some(self.name(Kind::Ipv4, dotted, |n| {
            // 254 hosts in each of the three ranges; past 762 the numbers come round again.
            let i = (n - 1) % (254 * 3);
            let net = TEST_NETS[i / 254];
            format!("{}.{}.{}.{}", net[0], net[1], net[2], i % 254 + 1)
        }))
    }

    pub fn ipv6(&mut self, text: &str) -> Option<String> {
        let ip: Ipv6Addr = text.parse().ok()?;
        let documentation = ip.segments()[..2] == [0x2001, 0x0db8];
        if ip.is_loopback() || ip.is_unspecified() || documentation {
            return None;
        }
        Some(self.name(Kind::Ipv6, text, |n| format!("2001:db8::{n:x}")))
    }

    /// `DC=contoso,DC=com` as the domain it spells.
    pub fn dc(&mut self, dn: &str) -> String {
        let labels: Vec<&str> = dn
            .split(',')
            .filter_map(|part| part.trim().get(3..))
            .collect();
        let joined = labels.join(".");
        let mapped = if labels.len() > 1 && shape::is_host(&joined) {
            self.host(&joined)
        } else {
            labels
                .iter()
                .map(|l| self.label(l))
                .collect::<Vec<_>>()
                .join(".")
        };
        mapped
            .split('.')
            .map(|l| format!("DC={l}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// A host name: a service host stays; a tenant's label before `onmicrosoft.com` is replaced,
    /// the suffix kept; else the registrable domain becomes a reserved name and each label in
    /// front a server's pseudonym (or stays, when it says what the host is for).
    pub fn host(&mut self, host: &str) -> String {
        let k = keep();
        if k.service_host(host) {
            return host.to_string();
        }
        let (bare, dot) = match host.strip_suffix('.') {
            Some(b) => (b, "."),
            None => (host, ""),
        };
        let labels: Vec<&str> = bare.split('.').collect();
        let (front, tail) = match k.tenant_suffix(bare) {
            Some(suffix) => {
                let n = labels.len() - suffix.split('.').count();
                let tenant = self.name(Kind::Tenant, labels[n - 1], |i| format!("tenant{i}"));
                let tail = format!("{tenant}.{}", labels[n..].join("."));
                (&labels[..n - 1], tail)
            }
            None => {
                let n = labels.len() - registrable_len(&labels);
                let domain = labels[n..].join(".");
                let tail = self.name(Kind::Domain, &domain, |i| match i {
                    1 => "example.com".into(),
                    2 => "example.net".into(),
                    3 => "example.org".into(),
                    _ => format!("domain{i}.example"),
                });
                (&labels[..n], tail)
            }
        };
        let mut parts: Vec<String> = front
            .iter()
            .map(|l| {
                if k.service_label(l) {
                    l.to_string()
                } else {
                    self.name(Kind::Server, l, |i| format!("host{i}"))
                }
            })
            .collect();
        parts.push(tail);
        upper_like(bare, parts.join(".")) + dot
    }
}

/// How many labels at the end make the registrable domain: 3 for `contoso.co.uk`, else 2.
fn registrable_len(labels: &[&str]) -> usize {
    let n = labels.len();
    let second = labels
        .get(n.wrapping_sub(2))
        .map(|s| s.to_ascii_lowercase());
    let public_second = matches!(
        second.as_deref(),
        Some("co" | "com" | "org" | "net" | "gov" | "ac" | "edu" | "ltd" | "plc")
    );
    if n >= 3 && labels[n - 1].len() == 2 && public_second {
        3
    } else {
        2.min(n)
    }
}
