// A bulk job's progress bar (templates/portal/job.html): while the job is queued or running, its
// state is polled from the card's data-job-state-url and shown; once it has ended the download
// link or the error appears with the button to start it again. Without JavaScript the page shows
// the state it was rendered with and a link to reload it.
(function () {
  "use strict";

  var INTERVAL_MS = 1000;
  var card = document.querySelector("[data-job-state-url]");
  if (!card) {
    return;
  }
  var url = card.getAttribute("data-job-state-url");
  var bar = card.querySelector("[data-job-progress]");
  var label = card.querySelector("[data-job-label]");
  var count = card.querySelector("[data-job-count]");
  var percent = card.querySelector("[data-job-percent]");
  var error = card.querySelector("[data-job-error]");
  var result = card.querySelector("[data-job-result]");
  var restart = card.querySelector("[data-job-restart]");

  function ended(status) {
    return status === "done" || status === "failed";
  }

  function show(state) {
    card.setAttribute("data-job-status", state.status);
    bar.max = Math.max(state.total, 1);
    bar.value = state.status === "done" ? bar.max : state.done;
    bar.textContent = state.percent + "%";
    label.textContent = state.status_label;
    count.textContent = state.done + " / " + state.total;
    percent.textContent = state.percent + "%";
    result.hidden = !state.result_url;
    error.hidden = state.status !== "failed";
    restart.hidden = !ended(state.status);
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (!ended(state.status)) {
          window.setTimeout(poll, INTERVAL_MS);
        }
      })
      .catch(function () {
        // A dropped connection or a restarting server: try again a little later.
        window.setTimeout(poll, INTERVAL_MS * 5);
      });
  }

  if (!ended(card.getAttribute("data-job-status"))) {
    window.setTimeout(poll, INTERVAL_MS);
  }
})();
