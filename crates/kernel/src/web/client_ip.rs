//! The caller's address, which rate limits are keyed by.
//!
//! Behind a proxy the socket peer is the proxy, and the caller is named in `X-Forwarded-For`.
//! Each proxy appends the address it received the request from, so only the entries written by
//! our own proxies can be believed: the client may have sent the header with any list it likes.
//! The caller is therefore the rightmost hop that is not one of our trusted proxies, and the
//! header counts at all only when the socket peer is a trusted proxy.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
pub use ipnet::IpNet;

/// The proxies trusted when `LYCEUM_TRUST_PROXY` is on and `LYCEUM_TRUSTED_PROXIES` is not set:
/// loopback and the private ranges, where a proxy on the same host or network lives.
pub const DEFAULT_TRUSTED_PROXIES: &str = "127.0.0.0/8, ::1/128, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7";

/// Parses a comma-separated list of networks (`10.0.0.0/8`) or single addresses (`10.0.0.7`).
pub fn parse_networks(list: &str) -> Result<Vec<IpNet>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{s:?} is not an address or a network such as 10.0.0.0/8"))
        })
        .collect()
}

/// The caller's address: the socket peer, or behind trusted proxies the rightmost
/// `X-Forwarded-For` hop that is not one of them. `trusted` is empty when no proxy is trusted.
/// IPv6 callers are named by their /64, which one household or phone usually holds whole.
pub fn client_ip(headers: &HeaderMap, peer: Option<SocketAddr>, trusted: &[IpNet]) -> String {
    let Some(peer) = peer.map(|p| p.ip().to_canonical()) else { return "unknown".into() };
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return key(peer);
    }
    // Several headers are one list, in order.
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut nearest = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else { break };
        nearest = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    key(nearest)
}

/// Whether the request reached us over https: always when the public scheme is https, and
/// otherwise only when a trusted proxy says so in `X-Forwarded-Proto` (a client talking to us
/// directly could write that header too). Decides the cookies' `Secure` flag.
pub fn is_https(public_scheme: &str, headers: &HeaderMap, peer: Option<SocketAddr>, trusted: &[IpNet]) -> bool {
    if public_scheme == "https" {
        return true;
    }
    let from_proxy = peer.is_some_and(|p| {
        let ip = p.ip().to_canonical();
        trusted.iter().any(|n| n.contains(&ip))
    });
    from_proxy && headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes() == b"https")
}

/// An address as proxies write it: bare, `1.2.3.4:port` or `[::1]:port`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>().ok().or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip())).map(|ip| ip.to_canonical())
}

fn key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// A keyed hash of a caller's address for one school: lets a school count clicks or sign-ups
/// per address without keeping the address. The same address hashes differently per school.
pub fn ip_hash(keys: &crate::secret::Keys, tenant: crate::ids::TenantId, ip: &str) -> String {
    keys.links().sign(&format!("ip hash|{tenant}|{ip}"))[..32].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(headers: &[&str], peer: &str, trusted: &str) -> String {
        let mut h = HeaderMap::new();
        for v in headers {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        let peer = SocketAddr::new(peer.parse().unwrap(), 40000);
        client_ip(&h, Some(peer), &parse_networks(trusted).unwrap())
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        assert_eq!(ip(&["6.6.6.6"], "127.0.0.1", ""), "127.0.0.1");
        assert_eq!(ip(&["6.6.6.6"], "203.0.113.9", DEFAULT_TRUSTED_PROXIES), "203.0.113.9", "peer is no proxy");
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_caller() {
        let t = DEFAULT_TRUSTED_PROXIES;
        assert_eq!(ip(&["198.51.100.7"], "127.0.0.1", t), "198.51.100.7");
        // A client that writes its own header cannot choose its address: the proxy appends the real one.
        assert_eq!(ip(&["6.6.6.6, 198.51.100.7"], "127.0.0.1", t), "198.51.100.7");
        assert_eq!(ip(&["6.6.6.6, 1.1.1.1, 198.51.100.7"], "127.0.0.1", t), "198.51.100.7");
        assert_eq!(ip(&["6.6.6.6", "198.51.100.7"], "127.0.0.1", t), "198.51.100.7", "headers join in order");
        // Two proxies of ours in a row are skipped.
        assert_eq!(ip(&["6.6.6.6, 198.51.100.7, 10.0.0.5"], "127.0.0.1", t), "198.51.100.7");
        // A spoofed private address left of the real one is still the client's writing.
        assert_eq!(ip(&["10.9.9.9, 198.51.100.7"], "127.0.0.1", t), "198.51.100.7");
        assert_eq!(ip(&["198.51.100.7:5555"], "127.0.0.1", t), "198.51.100.7");
        assert_eq!(ip(&["[2001:db8:1:2:3:4:5:6]:443"], "::1", t), "2001:db8:1:2::/64");
        assert_eq!(ip(&["::ffff:198.51.100.7"], "127.0.0.1", t), "198.51.100.7");
    }

    #[test]
    fn odd_chains_stop_at_what_can_be_believed() {
        let t = DEFAULT_TRUSTED_PROXIES;
        assert_eq!(ip(&[], "127.0.0.1", t), "127.0.0.1", "no header: the proxy itself");
        assert_eq!(ip(&["10.0.0.2, 10.0.0.3"], "127.0.0.1", t), "10.0.0.2", "all ours: the farthest");
        assert_eq!(ip(&["198.51.100.7, garbage"], "127.0.0.1", t), "127.0.0.1", "unreadable: the nearest known");
        assert_eq!(ip(&["198.51.100.7"], "10.1.2.3", "10.1.2.3"), "198.51.100.7", "a single address");
    }

    #[test]
    fn only_a_trusted_proxy_can_say_the_request_was_https() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-proto", "https".parse().unwrap());
        let peer = |ip: &str| Some(SocketAddr::new(ip.parse().unwrap(), 40000));
        let trusted = parse_networks(DEFAULT_TRUSTED_PROXIES).unwrap();
        assert!(is_https("http", &h, peer("127.0.0.1"), &trusted));
        assert!(!is_https("http", &h, peer("203.0.113.9"), &trusted), "a client's own header");
        assert!(!is_https("http", &h, peer("127.0.0.1"), &[]), "no proxy trusted");
        assert!(!is_https("http", &HeaderMap::new(), peer("127.0.0.1"), &trusted));
        assert!(is_https("https", &HeaderMap::new(), None, &[]));
    }

    #[test]
    fn bad_networks_are_named() {
        assert_eq!(parse_networks(" 10.0.0.0/8 , ::1 ").unwrap().len(), 2);
        let err = parse_networks("10.0.0.0/8, 300.1.1.1").unwrap_err();
        assert!(err.contains("\"300.1.1.1\""), "{err}");
        assert!(parse_networks("10.0.0.0/33").is_err());
    }
}
