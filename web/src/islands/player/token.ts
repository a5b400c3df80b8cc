// Short-lived playback tokens. Every HLS URL carries one as a path segment,
// `/media/{id}/hls/{token}/…`; tokens live about 15 minutes. This keeps a fresh one (asking
// data-token-url before the old one runs out, and at once after a 403) and rewrites URLs
// that still carry an old token.

/** The token endpoint's answer. */
interface TokenAnswer {
  src: string;
  base?: string;
  expires_in?: number;
}

const DEFAULT_LIFETIME_S = 900;
const RETRY_AFTER_FAILURE_MS = 30_000;
const FETCH_TIMEOUT_MS = 10_000;
/** A refresh asked for (after a 403) this soon after the last one is not repeated. */
const FRESH_ENOUGH_MS = 5_000;

const absolute = (url: string) => new URL(url, location.href).href;
const dirname = (url: string) => url.slice(0, url.lastIndexOf("/") + 1);

/** The current playback token, kept fresh. */
export class PlaybackToken {
  /** Absolute URL of the master playlist with the current token. */
  src: string;
  /** Absolute URL prefix `…/hls/{token}/` of the current token. */
  base: string;
  /** True once the server refused a new token (401, 403, 404): the viewer may no longer watch. */
  denied = false;
  private old: string[] = [];
  private timer = 0;
  private inflight: Promise<boolean> | null = null;
  private refreshedAt = 0;
  private dueAt = 0;
  private stopped = false;

  constructor(
    src: string,
    private readonly tokenUrl: string,
  ) {
    this.src = absolute(src);
    this.base = dirname(this.src);
    this.schedule(DEFAULT_LIFETIME_S);
  }

  /** `url` with an old token's prefix replaced by the current one (absolute); else unchanged. */
  rewrite(url: string): string {
    if (this.old.length === 0) return url;
    const abs = absolute(url);
    for (const prefix of this.old) {
      if (abs.startsWith(prefix)) return this.base + abs.slice(prefix.length);
    }
    return url;
  }

  /** Resolves when no refresh is under way (loads wait for it, so they use the new token). */
  settled(): Promise<unknown> {
    return this.inflight ?? Promise.resolve();
  }

  /** Refreshes now if the scheduled time has passed (timers sleep in background tabs). */
  refreshIfDue(): void {
    if (!this.stopped && !this.denied && Date.now() >= this.dueAt) void this.refresh();
  }

  /** Asks for a new token now; resolves true when the URLs carry one. */
  refresh(): Promise<boolean> {
    if (this.denied || this.stopped || !this.tokenUrl) return Promise.resolve(false);
    this.inflight ??= this.fetchToken().finally(() => (this.inflight = null));
    return this.inflight;
  }

  /**
   * A load was refused (403). When it carried the current token, a new one is fetched; when it
   * carried an old one, the retry is rewritten anyway. Without the URL, a token fetched moments
   * ago is taken as good. Resolves true when a retry may succeed.
   */
  refused(url?: string | null): Promise<boolean> {
    if (this.inflight) return this.inflight;
    if (url) {
      if (!absolute(url).startsWith(this.base)) return Promise.resolve(!this.denied);
    } else if (Date.now() - this.refreshedAt < FRESH_ENOUGH_MS) {
      return Promise.resolve(!this.denied);
    }
    return this.refresh();
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.timer);
  }

  private async fetchToken(): Promise<boolean> {
    const abort = new AbortController();
    const timeout = window.setTimeout(() => abort.abort(), FETCH_TIMEOUT_MS);
    try {
      const res = await fetch(this.tokenUrl, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
        signal: abort.signal,
      });
      if (res.status === 401 || res.status === 403 || res.status === 404) {
        // Signed out, no longer entitled, or the media is gone: stop asking.
        this.denied = true;
        window.clearTimeout(this.timer);
        return false;
      }
      if (!res.ok) throw new Error(`token answered ${res.status}`);
      const answer = (await res.json()) as TokenAnswer;
      if (typeof answer.src !== "string" || !answer.src) throw new Error("token answer has no src");
      const src = absolute(answer.src);
      const base = answer.base ? absolute(answer.base) : dirname(src);
      if (base !== this.base) {
        this.old = [this.base, ...this.old.filter((p) => p !== base)].slice(0, 8);
        this.base = base;
      }
      this.src = src;
      this.refreshedAt = Date.now();
      this.schedule(Number(answer.expires_in) > 0 ? Number(answer.expires_in) : DEFAULT_LIFETIME_S);
      return true;
    } catch {
      if (!this.stopped) {
        window.clearTimeout(this.timer);
        this.dueAt = Date.now() + RETRY_AFTER_FAILURE_MS;
        this.timer = window.setTimeout(() => void this.refresh(), RETRY_AFTER_FAILURE_MS);
      }
      return false;
    } finally {
      window.clearTimeout(timeout);
    }
  }

  /** Next refresh at two thirds of the lifetime (10 minutes of 15). */
  private schedule(lifetimeS: number): void {
    if (this.stopped) return;
    window.clearTimeout(this.timer);
    const ms = Math.max(30, lifetimeS * (2 / 3)) * 1000;
    this.dueAt = Date.now() + ms;
    this.timer = window.setTimeout(() => void this.refresh(), ms);
  }
}
