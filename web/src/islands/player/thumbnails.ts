// Seek-bar previews from a thumbnails WebVTT file: each cue names a tile of a sprite image,
// `sprite.jpg#xywh=x,y,w,h`, relative to the VTT file's URL.

/** One tile of the sprite, shown from `start` to `end` seconds. */
export interface ThumbCue {
  start: number;
  end: number;
  /** Absolute URL of the sprite image (without the fragment). */
  url: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** "01:02:03.500" or "02:03.500" → seconds; NaN when it is not a timestamp. */
export function parseTimestamp(text: string): number {
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?$/.exec(text.trim());
  if (!m) return NaN;
  const [, hh, mm, ss, ms] = m;
  return Number(hh || 0) * 3600 + Number(mm) * 60 + Number(ss) + Number((ms || "0").padEnd(3, "0")) / 1000;
}

/** Reads the cues of a thumbnails VTT; `base` is the URL the file came from. */
export function parseThumbnails(vtt: string, base: string): ThumbCue[] {
  const cues: ThumbCue[] = [];
  const lines = vtt.replace(/\r\n?/g, "\n").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const arrow = lines[i].indexOf("-->");
    if (arrow < 0) continue;
    const start = parseTimestamp(lines[i].slice(0, arrow));
    const end = parseTimestamp(
      lines[i]
        .slice(arrow + 3)
        .trim()
        .split(/\s+/)[0] ?? "",
    );
    const target = (lines[i + 1] ?? "").trim();
    const hash = target.indexOf("#xywh=");
    if (!Number.isFinite(start) || !Number.isFinite(end) || hash < 0) continue;
    const [x, y, w, h] = target
      .slice(hash + 6)
      .split(",")
      .map((n) => Number(n));
    if (![x, y, w, h].every((n) => Number.isFinite(n)) || w <= 0 || h <= 0) continue;
    let url: string;
    try {
      url = new URL(target.slice(0, hash), base).href;
    } catch {
      continue;
    }
    cues.push({ start, end, url, x, y, w, h });
  }
  return cues.sort((a, b) => a.start - b.start);
}

/** The cue showing at `time` (binary search). */
export function cueAt(cues: ThumbCue[], time: number): ThumbCue | null {
  let lo = 0;
  let hi = cues.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (time < cues[mid].start) hi = mid - 1;
    else if (time >= cues[mid].end) lo = mid + 1;
    else return cues[mid];
  }
  // Between cues (or past the last): the nearest earlier one.
  return cues[Math.min(Math.max(hi, 0), cues.length - 1)] ?? null;
}

/** Loads the VTT once, and each sprite image once (to know its natural size). */
export class Thumbnails {
  private cues: ThumbCue[] | null = null;
  private loading: Promise<void> | null = null;
  private sprites = new Map<string, { w: number; h: number } | null>();

  constructor(
    private readonly vttUrl: string,
    /** Rewrites a URL to the current playback token. */
    private readonly rewrite: (url: string) => string,
  ) {}

  /** Starts loading the VTT (once). */
  load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const url = this.rewrite(new URL(this.vttUrl, location.href).href);
        const res = await fetch(url, { credentials: "same-origin" });
        if (!res.ok) throw new Error(`thumbnails answered ${res.status}`);
        this.cues = parseThumbnails(await res.text(), url);
        const first = this.cues[0];
        if (first) this.sprite(first.url);
      } catch {
        this.cues = [];
        this.loading = null; // try again on the next hover
      }
    })();
    return this.loading;
  }

  private sprite(url: string): { w: number; h: number } | null {
    if (this.sprites.has(url)) return this.sprites.get(url) ?? null;
    this.sprites.set(url, null);
    const img = new Image();
    img.onload = () => this.sprites.set(url, { w: img.naturalWidth, h: img.naturalHeight });
    img.onerror = () => this.sprites.delete(url);
    img.src = this.rewrite(url);
    return null;
  }

  /** Paints the tile for `time` into `el`, `width` px wide; false when none is ready yet. */
  paint(el: HTMLElement, time: number, width: number): boolean {
    if (!this.cues) {
      void this.load();
      return false;
    }
    const cue = cueAt(this.cues, time);
    if (!cue) return false;
    const size = this.sprite(cue.url);
    if (!size) return false;
    const scale = width / cue.w;
    el.style.width = `${width}px`;
    el.style.height = `${Math.round(cue.h * scale)}px`;
    el.style.backgroundImage = `url("${this.rewrite(cue.url).replace(/["\\]/g, "\\$&")}")`;
    el.style.backgroundSize = `${size.w * scale}px ${size.h * scale}px`;
    el.style.backgroundPosition = `${-cue.x * scale}px ${-cue.y * scale}px`;
    return true;
  }
}
