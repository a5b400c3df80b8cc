// Plays the HLS stream: hls.js where Media Source Extensions exist, the browser's own HLS
// otherwise (Safari on iOS). Both survive token expiry: hls.js rewrites each request to the
// current token and retries a refused load once; native playback reloads the new playlist at
// the same position after an error.

import Hls, { type ErrorData, type LoaderResponse, type LoadPolicy, type RetryConfig } from "hls.js";

import type { PlaybackToken } from "./token";

/** One rendition of the ladder. */
export interface Level {
  index: number;
  height: number;
  bitrate: number;
}

export interface EngineEvents {
  /** The list of levels is known (empty for native playback). */
  onLevels(levels: Level[]): void;
  /** The level now playing changed. */
  onLevelSwitched(height: number | null): void;
  /** Playback cannot go on. */
  onFatal(): void;
}

export interface Engine {
  /** Manual level index, or -1 for automatic. */
  setLevel(index: number): void;
  autoLevel(): boolean;
  /** Loads more than the first fragment from now on (after the first play). */
  bufferFully(): void;
  destroy(): void;
}

/** How far ahead hls.js buffers before the viewer has pressed play (one fragment or so). */
const PREVIEW_BUFFER_S = 4;
const NATIVE_RECOVERY_GAP_MS = 60_000;

/** Chooses hls.js or native HLS; null when the browser can play neither. */
export function createEngine(
  media: HTMLMediaElement,
  token: PlaybackToken,
  startAt: number,
  events: EngineEvents,
): Engine | null {
  if (Hls.isSupported()) return hlsEngine(media, token, startAt, events);
  if (media.canPlayType("application/vnd.apple.mpegurl")) return nativeEngine(media, token, startAt, events);
  return null;
}

function hlsEngine(media: HTMLMediaElement, token: PlaybackToken, startAt: number, events: EngineEvents): Engine {
  // A 403 means the token ran out: the ERROR handler below asks for a new one, and the load is
  // retried (twice at most in a row), waiting in xhrSetup for the new token.
  const shouldRetry = (
    _config: RetryConfig | null | undefined,
    retryCount: number,
    _timeout: boolean,
    response: LoaderResponse | undefined,
    retry: boolean,
  ): boolean => (response?.code === 403 ? retryCount < 2 && !token.denied : retry);
  const withRefresh = (policy: LoadPolicy): LoadPolicy => ({
    default: {
      ...policy.default,
      errorRetry: {
        ...(policy.default.errorRetry ?? { maxNumRetry: 1, retryDelayMs: 1000, maxRetryDelayMs: 8000 }),
        shouldRetry,
      },
    },
  });
  const defaults = Hls.DefaultConfig;
  const hls = new Hls({
    // CSP has no worker-src/blob:, so no transmuxing worker (it would be made from a blob: URL).
    enableWorker: false,
    startPosition: startAt > 0 ? startAt : -1,
    capLevelToPlayerSize: true,
    // Until the first play, about one fragment (hls.js's size-based target is capped by the max).
    maxBufferLength: PREVIEW_BUFFER_S,
    maxMaxBufferLength: PREVIEW_BUFFER_S,
    manifestLoadPolicy: withRefresh(defaults.manifestLoadPolicy),
    playlistLoadPolicy: withRefresh(defaults.playlistLoadPolicy),
    fragLoadPolicy: withRefresh(defaults.fragLoadPolicy),
    keyLoadPolicy: withRefresh(defaults.keyLoadPolicy),
    async xhrSetup(xhr: XMLHttpRequest, url: string) {
      await token.settled();
      xhr.open("GET", token.rewrite(url), true);
    },
  });

  let recoveredNetwork = 0;
  let recoveredMedia = 0;
  const levels = (): Level[] =>
    hls.levels.map((l, index) => ({ index, height: l.height || 0, bitrate: l.bitrate || 0 }));

  hls.on(Hls.Events.MANIFEST_PARSED, () => events.onLevels(levels()));
  hls.on(Hls.Events.LEVEL_SWITCHED, (_e, data) => events.onLevelSwitched(hls.levels[data.level]?.height || null));
  hls.on(Hls.Events.FRAG_BUFFERED, () => {
    recoveredNetwork = 0;
    recoveredMedia = 0;
  });
  hls.on(Hls.Events.ERROR, (_e, data: ErrorData) => {
    if (data.response?.code === 403) {
      // Which token was refused: the URL the request went to (after xhrSetup's rewrite).
      const details = data.networkDetails as { responseURL?: string; url?: string } | undefined;
      void token.refused(details?.responseURL || details?.url || null).then((usable) => {
        if (!usable && token.denied) events.onFatal(); // no new token for this viewer
      });
    }
    if (!data.fatal) return;
    if (data.type === Hls.ErrorTypes.NETWORK_ERROR && recoveredNetwork < 1 && !token.denied) {
      // One more go, once any new token is there: the manifest from the start, else where it stopped.
      recoveredNetwork++;
      void token.settled().then(() => {
        if (token.denied) return events.onFatal();
        if (data.details === Hls.ErrorDetails.MANIFEST_LOAD_ERROR || !hls.levels.length) hls.loadSource(token.src);
        else hls.startLoad(media.currentTime);
      });
      return;
    }
    if (data.type === Hls.ErrorTypes.MEDIA_ERROR && recoveredMedia < 2) {
      if (recoveredMedia++ === 1) hls.swapAudioCodec();
      hls.recoverMediaError();
      return;
    }
    events.onFatal();
  });

  hls.loadSource(token.src);
  hls.attachMedia(media);

  return {
    setLevel(index) {
      hls.nextLevel = index;
    },
    autoLevel: () => hls.autoLevelEnabled,
    bufferFully() {
      hls.config.maxBufferLength = defaults.maxBufferLength;
      hls.config.maxMaxBufferLength = defaults.maxMaxBufferLength;
    },
    destroy: () => hls.destroy(),
  };
}

function nativeEngine(media: HTMLMediaElement, token: PlaybackToken, startAt: number, events: EngineEvents): Engine {
  let lastRecovery = 0;
  let resumeAt = startAt;

  const onMetadata = () => {
    if (resumeAt > 0) media.currentTime = resumeAt;
    resumeAt = 0;
    events.onLevelSwitched(media instanceof HTMLVideoElement ? media.videoHeight || null : null);
  };
  const onResize = () => {
    if (media instanceof HTMLVideoElement) events.onLevelSwitched(media.videoHeight || null);
  };
  const onError = () => {
    const code = media.error?.code;
    const recoverable = code === MediaError.MEDIA_ERR_NETWORK || code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED;
    if (!recoverable || token.denied || Date.now() - lastRecovery < NATIVE_RECOVERY_GAP_MS) return events.onFatal();
    // Probably an expired token: load the playlist with a new one where we were.
    lastRecovery = Date.now();
    const position = media.currentTime;
    const wasPlaying = !media.paused;
    void token.refresh().then((fresh) => {
      if (!fresh) return events.onFatal();
      resumeAt = position;
      media.src = token.src;
      if (wasPlaying) void media.play().catch(() => {});
    });
  };
  media.addEventListener("loadedmetadata", onMetadata);
  media.addEventListener("resize", onResize);
  media.addEventListener("error", onError);
  media.src = token.src;
  events.onLevels([]);

  return {
    setLevel() {},
    autoLevel: () => true,
    bufferFully() {},
    destroy() {
      media.removeEventListener("loadedmetadata", onMetadata);
      media.removeEventListener("resize", onResize);
      media.removeEventListener("error", onError);
      media.removeAttribute("src");
      media.load();
    },
  };
}
