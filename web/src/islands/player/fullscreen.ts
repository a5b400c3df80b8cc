// Full screen for the whole player (so our controls and captions come along); on iPhone,
// where only a video element can go full screen, the video itself with the system's controls.

type FullscreenDoc = Document & { webkitFullscreenElement?: Element | null; webkitExitFullscreen?: () => void };
type FullscreenEl = HTMLElement & { webkitRequestFullscreen?: () => void };
type IosVideo = HTMLMediaElement & { webkitEnterFullscreen?: () => void };

export function canFullscreen(root: HTMLElement, media: HTMLMediaElement): boolean {
  return (
    document.fullscreenEnabled ||
    !!(root as FullscreenEl).webkitRequestFullscreen ||
    !!(media as IosVideo).webkitEnterFullscreen
  );
}

export function isFullscreen(root: HTMLElement): boolean {
  return (document.fullscreenElement ?? (document as FullscreenDoc).webkitFullscreenElement ?? null) === root;
}

export function toggleFullscreen(root: HTMLElement, media: HTMLMediaElement): void {
  if (isFullscreen(root)) {
    if (document.exitFullscreen) void document.exitFullscreen().catch(() => {});
    else (document as FullscreenDoc).webkitExitFullscreen?.();
  } else if (root.requestFullscreen && document.fullscreenEnabled) {
    void root.requestFullscreen().catch(() => {});
  } else if ((root as FullscreenEl).webkitRequestFullscreen) {
    (root as FullscreenEl).webkitRequestFullscreen!();
  } else {
    (media as IosVideo).webkitEnterFullscreen?.();
  }
}

/** Calls `fn` on every full-screen change; returns a function that stops listening. */
export function onFullscreenChange(fn: () => void): () => void {
  document.addEventListener("fullscreenchange", fn);
  document.addEventListener("webkitfullscreenchange", fn);
  return () => {
    document.removeEventListener("fullscreenchange", fn);
    document.removeEventListener("webkitfullscreenchange", fn);
  };
}
