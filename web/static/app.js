// Progressive enhancement of the chat page: streamed answers (SSE), the source side panel,
// the personal-data warning, copy and feedback. Without this file every feature still works
// through plain forms and links.
(function () {
  "use strict";
  // buttons that move the focus (no inline handlers: the CSP allows none)
  Array.prototype.forEach.call(document.querySelectorAll("[data-focus]"), function (button) {
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-focus"));
      if (target) target.focus();
    });
  });
  var form = document.getElementById("ask-form");
  var question = document.getElementById("question");
  var live = document.getElementById("live");
  var conversation = document.getElementById("conversation");
  var panel = document.getElementById("source-panel");
  var piiWarning = document.getElementById("pii-js-warning");
  var sendAnyway = document.getElementById("js-send-anyway");
  if (!form || !question) return;

  function el(id) { return document.getElementById(id); }

  function enhanceTurn(turn) {
    var copy = turn.querySelector(".app-copy");
    if (copy && navigator.clipboard !== undefined) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        var text = turn.querySelector(".app-copy-text").value;
        navigator.clipboard.writeText(text).then(function () { copy.textContent = "Copied"; },
          function () { copy.textContent = "Copy failed: select the answer instead"; });
      });
    }
    var fb = turn.querySelector(".app-feedback");
    if (fb) {
      fb.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var helpful = ev.submitter ? ev.submitter.value === "yes" : true;
        var reason = fb.querySelector("input[name=reason]").value;
        fetch("/api/feedback", {method: "POST", headers: {"Content-Type": "application/json"},
          body: JSON.stringify({turn_id: Number(turn.dataset.turn), helpful: helpful, reason: reason || null})})
          .then(function (r) {
            var p = document.createElement("p");
            p.className = "govuk-body app-feedback-thanks";
            p.setAttribute("role", "status");
            p.textContent = r.ok ? "Thank you for your feedback." : "Your feedback could not be saved.";
            fb.replaceWith(p);
          });
      });
    }
  }

  function openSource(turn, n) {
    var data = turn.querySelector(".app-citations");
    if (!data) return false;
    var cites = JSON.parse(data.textContent);
    var c = cites.find(function (x) { return x.n === n; });
    if (!c) return false;
    var kindLabel = {national: "National guidance", evidence: "Evaluation evidence", reference: "Reference"};
    var badge = el("panel-kind");
    badge.textContent = c.kind === "local" && c.authority ? c.authority : (kindLabel[c.kind] || c.kind);
    badge.className = "app-badge app-badge--" + c.kind;
    el("panel-doc").textContent = "[" + c.n + "] " + c.title;
    el("panel-section").textContent = c.section;
    el("panel-para").textContent = c.paragraph || "–";
    el("panel-date").textContent = (c.published || "–") + (c.review ? ", review due " + c.review : "");
    var passage = el("panel-passage");
    passage.textContent = "";
    passage.appendChild(document.createTextNode(c.text.slice(0, c.start)));
    var mark = document.createElement("mark");
    mark.textContent = c.text.slice(c.start, c.end);
    passage.appendChild(mark);
    passage.appendChild(document.createTextNode(c.text.slice(c.end)));
    el("panel-link").href = "/documents/" + encodeURIComponent(c.doc_id) + "#p-" + (c.chunk_id || "").replace(/[^A-Za-z0-9_-]/g, "-");
    panel.hidden = false;
    panel.focus();
    return true;
  }

  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a.app-cite") : null;
    if (!a) return;
    var turn = a.closest(".app-turn");
    if (turn && openSource(turn, Number(a.dataset.cite))) ev.preventDefault();
  });
  el("panel-close").addEventListener("click", function () { panel.hidden = true; question.focus(); });

  function ask(text) {
    live.hidden = false;
    live.setAttribute("aria-busy", "true");
    live.innerHTML = "";
    var h = document.createElement("h2");
    h.className = "govuk-heading-s app-question";
    h.textContent = text;
    var body = document.createElement("p");
    body.className = "govuk-body app-answer";
    live.appendChild(h);
    live.appendChild(body);
    function failed() {
      body.textContent = "Something went wrong. Try again, or reload the page.";
      live.setAttribute("aria-busy", "false");
    }
    function done(data) {
      fetch("/turns/" + data.turn_id).then(function (r) { return r.text(); }).then(function (html) {
        var wrap = document.createElement("div");
        wrap.innerHTML = html;
        var turn = wrap.firstElementChild;
        conversation.appendChild(turn);
        enhanceTurn(turn);
        live.innerHTML = "";
        live.hidden = true;
        live.setAttribute("aria-busy", "false");
        var status = document.createElement("p");
        status.className = "govuk-visually-hidden";
        status.textContent = "Answer received.";
        live.appendChild(status);
        turn.querySelector("h2").setAttribute("tabindex", "-1");
        turn.querySelector("h2").focus();
      });
    }
    function handle(block) {  // one server-sent event: "event: NAME" and "data: JSON" lines
      var name = "message", data = "";
      block.split("\n").forEach(function (line) {
        if (line.indexOf("event: ") === 0) name = line.slice(7);
        else if (line.indexOf("data: ") === 0) data += line.slice(6);
      });
      if (name === "delta") body.textContent += JSON.parse(data).text;
      else if (name === "done") done(JSON.parse(data));
    }
    // POSTed, so the question never appears in a URL (EventSource can only GET)
    fetch("/api/ask/stream", {method: "POST", headers: {"Content-Type": "application/json"},
                              body: JSON.stringify({question: text})})
      .then(function (r) {
        if (!r.ok || !r.body) throw new Error("status " + r.status);
        var reader = r.body.getReader(), decoder = new TextDecoder(), buffer = "";
        function pump() {
          return reader.read().then(function (chunk) {
            if (chunk.done) return;
            buffer += decoder.decode(chunk.value, {stream: true});
            var events = buffer.split("\n\n");
            buffer = events.pop();
            events.forEach(handle);
            return pump();
          });
        }
        return pump();
      })
      .catch(failed);
    question.value = "";
  }

  function submitQuestion(force) {
    var text = question.value.trim();
    if (!text) { question.focus(); return; }
    if (force) { piiWarning.hidden = true; sendAnyway.hidden = true; ask(text); return; }
    fetch("/api/pii", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({text: text})})
      .then(function (r) { return r.json(); })
      .then(function (res) {
        if (res.kinds && res.kinds.length) {
          el("pii-kinds").textContent = res.kinds.join(", ").toLowerCase().replace(/_/g, " ");
          piiWarning.hidden = false;
          sendAnyway.hidden = false;
        } else {
          ask(text);
        }
      });
  }

  form.addEventListener("submit", function (ev) {
    if (ev.submitter && ev.submitter.name === "send_anyway") return;  // server-side warning page: plain POST
    ev.preventDefault();
    submitQuestion(false);
  });
  if (sendAnyway) sendAnyway.addEventListener("click", function () { submitQuestion(true); });
  question.addEventListener("input", function () { piiWarning.hidden = true; if (sendAnyway) sendAnyway.hidden = true; });
  document.querySelectorAll(".app-starter").forEach(function (b) {
    b.addEventListener("click", function (ev) { ev.preventDefault(); question.value = b.dataset.question; submitQuestion(false); });
  });
  document.querySelectorAll(".app-turn").forEach(enhanceTurn);
  if (location.hash && location.hash.indexOf("#turn-") === 0) {
    var t = document.querySelector(location.hash + " h2");
    if (t) { t.setAttribute("tabindex", "-1"); t.focus(); }
  }
})();
