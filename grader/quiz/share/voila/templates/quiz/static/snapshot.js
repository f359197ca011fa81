// Hands a quiz page's snapshot over to its live widgets (see grader/quiz/snapshot.py).
//
// The snapshot is the page written out as HTML, so a learner can answer before Voila's
// front end has started. Once the live widgets are drawn, every answer given in the
// snapshot is given again to the matching live field (the widgets then save it), focus
// and scroll position move along, and the snapshot is removed. The snapshot's option
// groups have the live ones' markup (grader/learner/option_group.js), so nothing moves.
(() => {
  "use strict";
  const snapshot = document.querySelector(".grader-snapshot");
  if (!snapshot) {
    return;
  }
  // Coming from the exam's first paint (grader/quiz/first_paint.js): where the learner was.
  const scrolled = sessionStorage.getItem("grader-scroll");
  if (scrolled !== null) {
    sessionStorage.removeItem("grader-scroll");
    window.scrollTo(0, Number(scrolled));
  }
  const FIELDS = "input, textarea";
  const POLL_MS = 50;
  const STALLED_MS = 20000;
  document.body.classList.add("grader-connecting");

  // An answer given now is kept in the snapshot's fields; say so where it was given.
  const markPending = (event) => {
    const question = event.target.closest(".snap-grader-question-widget");
    const status = question && question.querySelector(".grader-status");
    if (status) {
      status.textContent = snapshot.dataset.pending;
    }
  };
  snapshot.addEventListener("change", markPending);
  snapshot.addEventListener("input", markPending);

  // The field the learner is in. Voila moves the page's cells into its shell as it
  // starts, which takes the focus away: give it back unless the learner moved on.
  let current = null;
  document.addEventListener("focusin", (event) => {
    current = snapshot.contains(event.target) ? event.target : null;
  }, true);
  document.addEventListener("pointerdown", (event) => {
    if (!snapshot.contains(event.target)) {
      current = null;
    }
  }, true);
  snapshot.addEventListener("focusout", (event) => {
    if (event.relatedTarget === null) {
      setTimeout(() => {
        const lost = document.activeElement === null || document.activeElement === document.body;
        if (current === event.target && lost && event.target.isConnected) {
          event.target.focus({ preventScroll: true });
        }
      });
    }
  });

  const handOver = (mine, theirs) => {
    mine.forEach((field, index) => {
      const live = theirs[index];
      if (field.type === "radio") {
        if (field.checked && !field.defaultChecked && !live.checked) {
          live.click();
        }
      } else if (field.type === "checkbox") {
        if (field.checked !== field.defaultChecked && live.checked !== field.checked) {
          live.click();
        }
      } else if (field.value !== field.defaultValue && live.value !== field.value) {
        live.value = field.value;
        live.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  };

  // The field to keep in place on screen: the learner's, else the first in view.
  const anchorIndex = (mine) => {
    const focused = mine.indexOf(current);
    if (focused >= 0) {
      return focused;
    }
    return mine.findIndex((field) => field.getBoundingClientRect().top >= 0);
  };

  // Voila shows its cells once its theme is loaded; until then the snapshot stays.
  const voilaShowsCells = () => {
    const cells = document.getElementById("rendered_cells");
    return cells !== null && cells.style.display !== "none";
  };

  const takeOver = (live) => {
    const mine = Array.from(snapshot.querySelectorAll(FIELDS));
    const theirs = Array.from(live.querySelectorAll(FIELDS));
    if (theirs.length < mine.length || !voilaShowsCells()) {
      return false; // still being drawn
    }
    const same = theirs.length === mine.length;
    if (same) {
      handOver(mine, theirs);
    } else {
      console.warn("grader: the live page differs from its snapshot; answers not handed over");
    }
    const anchor = same ? anchorIndex(mine) : -1;
    const focused = anchor >= 0 && current === mine[anchor];
    const before = anchor >= 0 ? mine[anchor].getBoundingClientRect().top : 0;
    const selection = focused && mine[anchor].tagName === "TEXTAREA"
      ? [mine[anchor].selectionStart, mine[anchor].selectionEnd]
      : null;
    snapshot.remove();
    document.body.classList.remove("grader-connecting");
    document.body.classList.add("grader-live-ready");
    performance.mark("grader-live");
    if (anchor >= 0) {
      window.scrollBy(0, theirs[anchor].getBoundingClientRect().top - before);
      if (focused) {
        theirs[anchor].focus({ preventScroll: true });
        if (selection) {
          theirs[anchor].setSelectionRange(selection[0], selection[1]);
        }
      }
    }
    return true;
  };

  const started = Date.now();
  const timer = setInterval(() => {
    const live = document.querySelector(".grader-live");
    if (live && takeOver(live)) {
      clearInterval(timer);
    } else if (Date.now() - started > STALLED_MS) {
      const banner = snapshot.querySelector(".grader-snap-connecting");
      if (banner && !banner.classList.contains("grader-snap-stalled")) {
        banner.textContent = snapshot.dataset.stalled;
        banner.setAttribute("role", "alert");
        banner.classList.add("grader-snap-stalled");
      }
    }
  }, POLL_MS);
})();
