// An exam's first paint (see grader/quiz/first_paint.py): answers are sent to the server
// as they are given; when the live page's turn comes, what is unsent goes first and the
// live page is loaded in this one's place, at the same scroll position.
(() => {
  "use strict";
  const main = document.querySelector("[data-grader-first-paint]");
  const config = main.dataset;
  const place = document.getElementById("grader-place");
  const questions = [...main.querySelectorAll(".snap-grader-question-widget")];
  const stored = new Map(); // question number -> the answer the server has, as JSON
  const waiting = new Map(); // question number -> the answer still to send
  const sending = new Map(); // question number -> its sending, while it runs
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  // Waits that grow, and differ between learners, so a server back from a restart is
  // not asked by everyone in the same second.
  const backoff = (tries) => Math.min(15000, 1000 * 2 ** tries) * (0.75 + Math.random() / 2);
  let lastInput = 0;

  const answerOf = (box) => {
    const area = box.querySelector("textarea");
    if (area) {
      return { text: area.value };
    }
    return { picked: [...box.querySelectorAll("input:checked")].map((field) => field.value) };
  };
  const say = (box, words) => {
    const status = box.querySelector(".grader-status");
    if (status && words) {
      status.textContent = words;
    }
  };
  questions.forEach((box, index) => stored.set(index + 1, JSON.stringify(answerOf(box))));

  // The submit button comes with the live page: say so beside it.
  main.querySelectorAll(".snap-grader-submit > button").forEach((button) => {
    const why = document.createElement("p");
    why.textContent = config.submitLater;
    button.after(why);
  });

  // "12 of 32 questions answered", as the live page counts: answers the server has.
  const count = () => {
    const done = [...stored.values()].filter((json) => {
      const answer = JSON.parse(json);
      return answer.text !== undefined ? answer.text.trim() !== "" : answer.picked.length > 0;
    }).length;
    const words = (questions.length === 1 ? config.answeredOne : config.answeredMany)
      .replace("{done}", String(done)).replace("{count}", String(questions.length));
    main.querySelectorAll(".grader-answered").forEach((shown) => {
      shown.querySelector("progress").value = done;
      shown.querySelector(".grader-answered-text").textContent = words;
    });
  };

  // Sends the latest answer of one question until the server has answered.
  const send = async (number) => {
    const box = questions[number - 1];
    while (waiting.has(number)) {
      const answer = waiting.get(number);
      waiting.delete(number);
      const body = JSON.stringify({ query: location.search, question: number, ...answer });
      say(box, config.saving);
      for (let tries = 0; ; tries += 1) {
        let reply = null;
        let result = {};
        try { // keepalive: a send under way when the live page loads still arrives
          reply = await fetch(config.answerUrl, {
            method: "POST", body, cache: "no-store", credentials: "same-origin",
            headers: { "Content-Type": "application/json" }, keepalive: true,
          });
          result = await reply.json();
        } catch (error) { /* no answer, or not the server's: try again */ }
        if (reply === null || reply.status >= 500 || reply.status === 429 || !result.status) {
          say(box, config.retrying);
          await sleep(backoff(tries));
          continue;
        }
        say(box, result.status);
        if (reply.ok) {
          stored.set(number, JSON.stringify(answer));
          count();
        }
        break;
      }
    }
  };

  const save = (box) => {
    const number = questions.indexOf(box) + 1;
    const answer = answerOf(box);
    if (!sending.has(number) && stored.get(number) === JSON.stringify(answer)) {
      return;
    }
    waiting.set(number, answer);
    if (!sending.has(number)) {
      sending.set(number, send(number).finally(() => sending.delete(number)));
    }
  };

  main.addEventListener("change", (event) => {
    const box = event.target.closest(".snap-grader-question-widget");
    if (box) {
      save(box);
    }
  });
  main.addEventListener("input", () => { lastInput = Date.now(); });

  const typing = () => document.activeElement instanceof HTMLTextAreaElement
    && Date.now() - lastInput < 1500;

  // The live page's turn: let a learner who types finish, send the rest, then load it.
  const handOver = async () => {
    const grace = Number(config.typingMs);
    const started = Date.now();
    while (typing() && Date.now() - started < grace) {
      await sleep(250);
    }
    questions.filter((box) => box.querySelector("textarea")).forEach(save);
    const sent = (async () => {
      while (sending.size) {
        await Promise.all([...sending.values()]);
      }
    })();
    await Promise.race([sent, sleep(Number(config.sendingMs))]);
    sessionStorage.setItem("grader-scroll", String(window.scrollY));
    location.reload();
  };

  const ask = async () => {
    try {
      const reply = await fetch(location.href, {
        headers: { [config.pollHeader]: "poll" }, cache: "no-store", credentials: "same-origin",
      });
      const turn = await reply.json();
      if (turn.ready) {
        await handOver();
        return;
      }
      if (turn.text && place.textContent !== turn.text) {
        place.textContent = turn.text;
      }
    } catch (error) { /* the server is busy or restarting: ask again */ }
    setTimeout(ask, Number(config.retryMs) * (0.9 + Math.random() / 5));
  };
  setTimeout(ask, Number(config.retryMs));
})();
