//! The DNS records a creator publishes for a custom domain, written the way registrars ask
//! for them: names relative to the zone (`@` for the zone itself), and no CNAME at a zone's
//! apex, which DNS forbids and most registrars refuse (A/AAAA or ALIAS/ANAME instead).

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Serialize;

/// Public suffixes of two labels, under which a registrable domain has three labels
/// (`sunriseyoga.co.uk`). A short list of the common ones rather than the full Public Suffix
/// List: a miss only makes us treat `x.co.zz` as a subdomain of `co.zz`, which the creator sees
/// in the zone we name, and the TXT check works either way.
const TWO_LABEL_SUFFIXES: &[&str] = &[
    "co.uk", "org.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au",
    "edu.au", "co.nz", "net.nz", "org.nz", "com.br", "net.br", "org.br", "com.mx", "org.mx", "com.ar", "com.co",
    "com.pe", "com.ve", "com.ec", "com.uy", "com.py", "com.bo", "com.gt", "com.sv", "com.hn", "com.ni", "com.pa",
    "com.do", "com.es", "org.es", "nom.es", "co.za", "co.in", "co.jp", "co.kr", "com.sg", "com.my", "com.ph", "com.tr",
    "com.cn", "com.hk", "com.tw",
];

/// Where a domain sits in its DNS zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Zone {
    /// The registrable domain whose DNS the creator edits (`sunriseyoga.co.uk`).
    pub zone: String,
    /// The domain's name relative to the zone: `@` for the zone itself, else `courses`.
    pub host: String,
}

impl Zone {
    /// Splits a validated host name into its zone and its relative name.
    pub fn of(domain: &str) -> Self {
        let labels: Vec<&str> = domain.split('.').collect();
        let last_two = labels.len().checked_sub(2).map(|i| labels[i..].join("."));
        let suffix = if last_two.is_some_and(|s| TWO_LABEL_SUFFIXES.contains(&s.as_str())) { 2 } else { 1 };
        let split = labels.len().saturating_sub(suffix + 1);
        let host = if split == 0 { "@".to_string() } else { labels[..split].join(".") };
        Self { zone: labels[split..].join("."), host }
    }

    /// Whether the domain is the zone itself, where a CNAME cannot go.
    pub fn is_apex(&self) -> bool {
        self.host == "@"
    }

    /// `prefix` under the domain, relative to the zone (`_lyceum.courses`, or `_lyceum` at the apex).
    pub fn relative(&self, prefix: &str) -> String {
        if self.is_apex() { prefix.to_string() } else { format!("{prefix}.{}", self.host) }
    }
}

/// One record to publish, as a registrar's form asks for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Record {
    /// `TXT`, `CNAME`, `A`, `AAAA` or `ALIAS`.
    pub kind: &'static str,
    /// Name relative to the zone.
    pub name: String,
    /// Value.
    pub value: String,
}

/// Where the platform answers, for the records that point a domain at it.
#[derive(Clone, Copy, Debug)]
pub struct Target<'a> {
    /// The school's host name on the platform, for CNAME and ALIAS records.
    pub host: &'a str,
    /// The platform's public IPv4 address (`LYCEUM_PUBLIC_IPV4`), for A records.
    pub ipv4: Option<Ipv4Addr>,
    /// The platform's public IPv6 address (`LYCEUM_PUBLIC_IPV6`), for AAAA records.
    pub ipv6: Option<Ipv6Addr>,
}

/// The records for `domain`: the TXT record that proves control, then the records that send
/// visitors to the platform. At an apex: A/AAAA when the addresses are configured, else an
/// ALIAS (or ANAME) to the school's platform host.
pub fn records(zone: &Zone, txt_value: &str, target: Target<'_>) -> Vec<Record> {
    let mut out = vec![Record { kind: "TXT", name: zone.relative("_lyceum"), value: txt_value.to_string() }];
    if !zone.is_apex() {
        out.push(Record { kind: "CNAME", name: zone.host.clone(), value: target.host.to_string() });
        return out;
    }
    if let Some(ip) = target.ipv4 {
        out.push(Record { kind: "A", name: "@".into(), value: ip.to_string() });
    }
    if let Some(ip) = target.ipv6 {
        out.push(Record { kind: "AAAA", name: "@".into(), value: ip.to_string() });
    }
    if target.ipv4.is_none() && target.ipv6.is_none() {
        out.push(Record { kind: "ALIAS", name: "@".into(), value: target.host.to_string() });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Record, Target, Zone, records};

    #[test]
    fn zones_know_common_two_label_suffixes() {
        let z = |d: &str| {
            let z = Zone::of(d);
            (z.zone, z.host)
        };
        assert_eq!(z("sunriseyoga.com"), ("sunriseyoga.com".into(), "@".into()));
        assert_eq!(z("courses.sunriseyoga.com"), ("sunriseyoga.com".into(), "courses".into()));
        assert_eq!(z("a.b.sunriseyoga.com"), ("sunriseyoga.com".into(), "a.b".into()));
        assert_eq!(z("sunriseyoga.co.uk"), ("sunriseyoga.co.uk".into(), "@".into()));
        assert_eq!(z("www.sunriseyoga.com.br"), ("sunriseyoga.com.br".into(), "www".into()));
        assert_eq!(z("co.uk"), ("co.uk".into(), "@".into()));
        assert_eq!(Zone::of("sunriseyoga.com").relative("_lyceum"), "_lyceum");
        assert_eq!(Zone::of("courses.sunriseyoga.com").relative("_lyceum"), "_lyceum.courses");
    }

    #[test]
    fn an_apex_gets_addresses_or_an_alias_never_a_cname() {
        let host = "acme.lyceum.app";
        let target =
            Target { host, ipv4: Some("203.0.113.7".parse().unwrap()), ipv6: Some("2001:db8::7".parse().unwrap()) };
        let kinds = |r: Vec<Record>| r.iter().map(|r| (r.kind, r.name.clone(), r.value.clone())).collect::<Vec<_>>();
        assert_eq!(
            kinds(records(&Zone::of("sunriseyoga.com"), "v", target)),
            vec![
                ("TXT", "_lyceum".into(), "v".into()),
                ("A", "@".into(), "203.0.113.7".into()),
                ("AAAA", "@".into(), "2001:db8::7".into())
            ]
        );
        let bare = Target { host, ipv4: None, ipv6: None };
        assert_eq!(records(&Zone::of("sunriseyoga.com"), "v", bare)[1].kind, "ALIAS");
        assert_eq!(
            kinds(records(&Zone::of("courses.sunriseyoga.com"), "v", target)),
            vec![("TXT", "_lyceum.courses".into(), "v".into()), ("CNAME", "courses".into(), host.into())]
        );
    }
}
