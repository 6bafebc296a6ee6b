// Counts only the seconds the lesson is on screen, so the recorded study time is closer to the truth.
// Without JavaScript the server falls back to the time between showing the page and "I have read this".
(function () {
  var field = document.querySelector("input[name=visible_seconds]");
  if (!field) return;
  var seconds = 0;
  field.value = "0";
  setInterval(function () {
    if (document.visibilityState === "visible") field.value = String(++seconds);
  }, 1000);
})();
