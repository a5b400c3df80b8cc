// The view beacon of published pages (marketing/_beacon.html): reports one view of this page
// to POST /t/pv on the same site — the page and variant from the hidden
// `[data-lyceum-page]` marker, the address's query string (its UTM parameters) and the
// referring site's host. No cookie is read or written; the server counts the view under a
// key that changes every day.

const marker = document.querySelector<HTMLElement>("[data-lyceum-page]");

function referrerHost(): string {
  try {
    const host = document.referrer ? new URL(document.referrer).host : "";
    return host === location.host ? "" : host;
  } catch {
    return "";
  }
}

function send(): void {
  if (!marker) return;
  const body = JSON.stringify({
    p: marker.dataset.lyceumPage ?? "",
    v: marker.dataset.variant ?? "",
    s: location.search,
    r: referrerHost(),
  });
  const blob = new Blob([body], { type: "text/plain" });
  if (!navigator.sendBeacon?.("/t/pv", blob)) {
    void fetch("/t/pv", { method: "POST", body, keepalive: true, credentials: "omit" }).catch(() => undefined);
  }
}

// A page prerendered for a later visit is counted only once someone actually sees it.
if ((document as Document & { prerendering?: boolean }).prerendering) {
  document.addEventListener("prerenderingchange", send, { once: true });
} else {
  send();
}

// Buy buttons carry the visit's campaign into checkout, so a sale is credited to the UTM source
// the visitor arrived with (the page itself is cached for everyone and cannot write it).
const campaign = new URLSearchParams(location.search);
const utm = [...campaign.entries()].filter(([k, v]) => k.startsWith("utm_") && k.length <= 20 && v.length <= 200);
if (utm.length) {
  for (const a of document.querySelectorAll<HTMLAnchorElement>('a[href^="/checkout/"]')) {
    const url = new URL(a.href, location.href);
    for (const [k, v] of utm) if (!url.searchParams.has(k)) url.searchParams.set(k, v);
    a.href = url.pathname + url.search;
  }
}
