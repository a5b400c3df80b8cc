// The quiz countdown island (bundle quiz.js) for [data-quiz-timer] inside the quiz form.
//
//   data-seconds        seconds left when the server rendered the page (the server's clock,
//                       so the browser's own clock does not matter)
//   data-expired-text   what the clock says once time is up
//
// It is only a display: the server keeps the deadline and refuses a late submit. At zero it
// sends the form so what the student answered arrives within the grace period.

import { autoMount, type Island } from "./shared";

function clock(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

function mount(el: HTMLElement): Island {
  const face = el.querySelector<HTMLElement>("[data-quiz-clock]");
  const form = el.closest("form");
  const end = performance.now() + Number(el.dataset.seconds || "0") * 1000;
  let sent = false;
  const tick = () => {
    const left = (end - performance.now()) / 1000;
    if (face) face.textContent = clock(left);
    el.classList.toggle("border-amber-300", left <= 60 && left > 0);
    el.classList.toggle("bg-amber-50", left <= 60 && left > 0);
    if (left <= 0 && !sent) {
      sent = true;
      window.clearInterval(timer);
      if (face) face.textContent = el.dataset.expiredText || "0:00";
      el.classList.add("border-red-300", "bg-red-50");
      // Skips the confirmation: time is up, the answers go as they are.
      if (form) HTMLFormElement.prototype.submit.call(form);
    }
  };
  const timer = window.setInterval(tick, 250);
  tick();
  return { destroy: () => window.clearInterval(timer) };
}

autoMount("[data-quiz-timer]", mount);
