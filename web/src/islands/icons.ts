// Lucide icons (lucide-static), inlined as SVG markup by esbuild's text loader (build.mjs strips
// their comments and whitespace).
// Only the icons an island imports end up in its bundle.

export { default as captions } from "lucide-static/icons/captions.svg";
export { default as check } from "lucide-static/icons/check.svg";
export { default as circleAlert } from "lucide-static/icons/circle-alert.svg";
export { default as cloudUpload } from "lucide-static/icons/cloud-upload.svg";
export { default as maximize } from "lucide-static/icons/maximize.svg";
export { default as minimize } from "lucide-static/icons/minimize.svg";
export { default as pause } from "lucide-static/icons/pause.svg";
export { default as play } from "lucide-static/icons/play.svg";
export { default as rotateCcw } from "lucide-static/icons/rotate-ccw.svg";
export { default as settings } from "lucide-static/icons/settings.svg";
export { default as volume1 } from "lucide-static/icons/volume-1.svg";
export { default as volume2 } from "lucide-static/icons/volume-2.svg";
export { default as volumeX } from "lucide-static/icons/volume-x.svg";
export { default as x } from "lucide-static/icons/x.svg";

/** An icon's markup, hidden from screen readers (the button around it carries the label). */
export function icon(svg: string): string {
  return svg.replace("<svg", '<svg aria-hidden="true" focusable="false"');
}
