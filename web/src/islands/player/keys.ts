// Keyboard shortcuts while the player or one of its controls has focus (the listener sits on
// the player, so keys typed anywhere else on the page are never taken).
//
//   Space, K  play/pause        J, L  −10/+10 s      ←, →  −5/+5 s      ↑, ↓  volume
//   M  mute   F  full screen    C  captions          <, >  speed        0–9   jump to 0–90 %

export interface KeyActions {
  togglePlay(): void;
  seekBy(seconds: number): void;
  seekToFraction(fraction: number): void;
  volumeBy(step: number): void;
  toggleMute(): void;
  toggleFullscreen(): void;
  toggleCaptions(): void;
  stepSpeed(direction: number): void;
}

/** Runs the shortcut for `e`; true when it was one (the event is then prevented). */
export function handleShortcut(e: KeyboardEvent, volumeInput: HTMLElement, a: KeyActions): boolean {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return false;
  const onButton = e.target instanceof HTMLButtonElement;
  const onVolume = e.target === volumeInput; // its arrows move the slider itself
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  switch (key) {
    case " ":
      if (onButton) return false; // the button's own action
      a.togglePlay();
      break;
    case "k":
      a.togglePlay();
      break;
    case "j":
    case "l":
      a.seekBy(key === "j" ? -10 : 10);
      break;
    case "ArrowLeft":
    case "ArrowRight":
      if (onVolume) return false;
      a.seekBy(key === "ArrowLeft" ? -5 : 5);
      break;
    case "ArrowUp":
    case "ArrowDown":
      if (onVolume) return false;
      a.volumeBy(key === "ArrowUp" ? 0.05 : -0.05);
      break;
    case "m":
      a.toggleMute();
      break;
    case "f":
      a.toggleFullscreen();
      break;
    case "c":
      a.toggleCaptions();
      break;
    case "<":
    case ">":
      a.stepSpeed(key === "<" ? -1 : 1);
      break;
    default:
      if (!/^[0-9]$/.test(key)) return false;
      a.seekToFraction(Number(key) / 10);
  }
  e.preventDefault();
  return true;
}
