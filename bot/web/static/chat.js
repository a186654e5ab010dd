// The chat page works without this script: every form posts and the page reloads at the changed entry.
// With it, the same posts go by fetch and only the entries that changed are replaced, so the transcript
// (an aria-live log) announces just the new text and the page keeps its place.
(function () {
  "use strict";
  var log = document.getElementById("transcript");
  var status = document.getElementById("status");
  var input = document.getElementById("q");
  var busy = false;

  function controls(disabled) {
    var all = document.querySelectorAll("main button, .menu button, .lang button");
    for (var i = 0; i < all.length; i++) { all[i].disabled = disabled; }
    log.setAttribute("aria-busy", disabled ? "true" : "false");
  }

  function apply(reply) {
    if (reply.reload) { window.location.reload(); return; }
    var keep = {};
    reply.ids.forEach(function (id) { keep[id] = true; });
    Array.prototype.slice.call(log.children).forEach(function (el) {
      if (el.id && !keep[el.id]) { el.remove(); }
    });
    var template = document.createElement("template");
    template.innerHTML = reply.html;  // built by the server from escaped text
    Array.prototype.slice.call(template.content.children).forEach(function (el) {
      var old = document.getElementById(el.id);
      if (old) { old.replaceWith(el); } else { log.appendChild(el); }
    });
    if (reply.csrf) {
      var tokens = document.querySelectorAll("input[name=csrf]");
      for (var i = 0; i < tokens.length; i++) { tokens[i].value = reply.csrf; }
    }
    status.textContent = reply.toast || "";
  }

  function settle(reply, fromComposer) {
    var target = reply.focus ? document.getElementById(reply.focus) : null;
    if (target) { target.scrollIntoView({block: "nearest"}); }
    if (fromComposer || !target) { input.focus(); return; }
    var first = target.querySelector("button");
    (first || input).focus();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var action = form.getAttribute("action");
    if ((action !== "/send" && action !== "/press") || form.dataset.plain) { return; }
    event.preventDefault();
    if (busy) { return; }
    var body = new URLSearchParams(new FormData(form, event.submitter || null));
    var fromComposer = action === "/send";
    var sent = fromComposer ? input.value : "";
    if (fromComposer) { input.value = ""; }  // what is typed while this one is answered is kept
    function restore() { if (fromComposer && !input.value) { input.value = sent; } }
    busy = true;
    controls(true);
    fetch(action, {method: "POST", body: body, credentials: "same-origin",
                   headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (reply) {
        busy = false;
        controls(false);
        if (reply.ids) {
          apply(reply);
          settle(reply, fromComposer);
        } else {  // refused (too fast, expired): say why, and keep the text to send again
          restore();
          status.textContent = reply.toast || "";
        }
      })
      .catch(function () {  // no answer as JSON: the plain post still works
        busy = false;
        controls(false);
        restore();
        form.dataset.plain = "1";
        form.requestSubmit(event.submitter || null);
      });
  });
})();
