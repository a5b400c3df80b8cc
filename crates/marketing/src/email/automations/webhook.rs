//! The outgoing webhook step: POST JSON to the creator's URL, guarded against SSRF. The host
//! is resolved once, every address must be public (no loopback, private, link-local, shared or
//! unspecified range), and the request goes to that resolved address, so a DNS answer cannot
//! change between the check and the call. No redirects are followed.

use std::{
    net::{IpAddr, SocketAddr},
    time::Duration,
};

use kernel::AppState;

use super::actions::AllowPrivateWebhooks;

/// Whether an address is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || (o[0] == 198 && (o[1] == 18 || o[1] == 19)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Posts `body` to `url`; the response's status code, or why it was not made.
pub async fn post(state: &AppState, url: &str, body: &serde_json::Value) -> Result<u16, String> {
    let parsed = reqwest::Url::parse(url.trim()).map_err(|_| "not a valid URL".to_string())?;
    if !["http", "https"].contains(&parsed.scheme()) {
        return Err("only http and https URLs".into());
    }
    let host = parsed.host_str().ok_or("no host")?.to_string();
    let port = parsed.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.trim_matches(['[', ']']), port))
        .await
        .map_err(|_| "host not found".to_string())?
        .collect();
    let allow_private = state.extensions.get::<AllowPrivateWebhooks>().is_some();
    let Some(addr) = addrs.first().copied() else { return Err("host not found".into()) };
    if !allow_private && addrs.iter().any(|a| !is_public(a.ip())) {
        return Err("the address is not public".into());
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .resolve(&host, addr)
        .build()
        .map_err(|e| e.to_string())?;
    let res = client
        .post(parsed)
        .header("content-type", "application/json")
        .header("user-agent", "Lyceum-Automations/1")
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| if e.is_timeout() { "timed out".to_string() } else { "could not connect".to_string() })?;
    Ok(res.status().as_u16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_refused() {
        for ip in ["127.0.0.1", "10.1.2.3", "192.168.1.1", "169.254.169.254", "::1", "fd00::1", "100.64.0.1", "0.0.0.0"]
        {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        assert!(is_public("93.184.216.34".parse().unwrap()));
    }
}
