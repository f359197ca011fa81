// The quiz pages' own behaviour (see ../index.html.j2), on the snapshot and the live page:
//
// - an element the page marks with ``data-grader-focus`` or a ``grader-focus-<n>`` class
//   (the exam's result, the submit confirmation, "being graded") takes the focus and scrolls into view once it is shown,
//   once per mark, so the learner sees what changed and focus never falls to the body;
// - an emoji (``.grader-emoji``, named by the server) that no font on this machine can
//   draw shows its name in brackets instead; a canvas tells whether it is drawn.
(() => {
  "use strict";
  const done = new Set();

  const shown = (element) => element.isConnected && element.getClientRects().length > 0;

  const markOf = (element) => element.dataset.graderFocus
    || Array.from(element.classList).find((name) => name.startsWith("grader-focus-"));

  const moveFocus = () => {
    document.querySelectorAll("[data-grader-focus], [class*='grader-focus-']").forEach((element) => {
      const mark = markOf(element);
      if (done.has(mark) || !shown(element) || element.closest(".grader-snapshot")) {
        return;
      }
      done.add(mark);
      element.focus({ preventScroll: true });
      element.scrollIntoView({ block: "start" });
    });
  };

  // A glyph as pixels; a character no font has is drawn as the same empty box.
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 36;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const pixels = (text, font) => {
    context.clearRect(0, 0, 36, 36);
    context.font = `28px ${font}`;
    context.textBaseline = "top";
    context.fillStyle = "#000";
    context.fillText(text, 2, 2);
    return context.getImageData(0, 0, 36, 36).data;
  };
  const drawn = new Map();
  const canDraw = (emoji, font) => {
    const first = String.fromCodePoint(emoji.codePointAt(0));
    const key = `${first} ${font}`;
    if (!drawn.has(key)) {
      const glyph = pixels(first, font);
      const missing = pixels("\u{10FFFD}", font);
      const blank = glyph.every((value) => value === 0);
      drawn.set(key, !blank && glyph.some((value, index) => value !== missing[index]));
    }
    return drawn.get(key);
  };

  const nameEmoji = () => {
    if (!context) {
      return;
    }
    document.querySelectorAll(".grader-emoji:not([data-grader-checked])").forEach((span) => {
      span.dataset.graderChecked = "";
      if (!canDraw(span.textContent, getComputedStyle(span).fontFamily)) {
        span.textContent = `[${span.getAttribute("aria-label")}]`;
        span.classList.add("grader-emoji-text");
      }
    });
  };

  let queued = false;
  const update = () => {
    queued = false;
    nameEmoji();
    moveFocus();
  };
  const observer = new MutationObserver(() => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(update);
    }
  });
  const start = () => {
    observer.observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ["style", "class"],
    });
    update();
  };
  if (document.body) {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
