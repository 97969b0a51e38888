/*
 * The head signs with EDS through NCALayer (API.md "The head's EDS signature").
 * Dependency-free, no inline code (CSP). Reads its settings and messages from
 * #eds-panel's data attributes:
 *   1. POST data-session-url        -> {id, data}: base64 of the bytes the PDF signature covers
 *   2. NCALayer over its WebSocket  -> kz.gov.pki.knca.basics / sign, CMS, detached, not digested
 *   3. POST data-sign-url {signing_session, cms} -> 200: go to data-next; 400/409: show why
 */
(function () {
  "use strict";

  var panel = document.getElementById("eds-panel");
  if (!panel) { return; }
  var button = document.getElementById("eds-sign");
  var status = document.getElementById("eds-status");
  var msg = function (name) { return panel.getAttribute("data-msg-" + name) || name; };

  function show(text, kind) {
    status.hidden = false;
    status.textContent = text;
    status.className = "eds-status" + (kind ? " " + kind : "");
  }

  function csrf() {
    var input = panel.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrf(),
        "Accept-Language": panel.getAttribute("data-locale") || "ru"
      },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { status: response.status, body: json };
      });
    });
  }

  function NCALayerError(kind, detail) {
    this.kind = kind;       // "not_running" | "cancelled" | "error"
    this.detail = detail || "";
  }

  /* One request over a fresh WebSocket: NCALayer answers each request with one message. */
  function ncalayerSign(base64Data) {
    return new Promise(function (resolve, reject) {
      var socket;
      var answered = false;
      try {
        socket = new WebSocket(panel.getAttribute("data-ncalayer-url") || "wss://127.0.0.1:13579");
      } catch (e) {
        reject(new NCALayerError("not_running"));
        return;
      }
      socket.onopen = function () {
        show(msg("choose"));
        socket.send(JSON.stringify({
          module: "kz.gov.pki.knca.basics",
          method: "sign",
          args: {
            allowedStorages: ["PKCS12", "AKKaztokenStore", "AKKZIDCardStore", "JKS"],
            format: "cms",
            data: base64Data,
            signingParams: { decode: true, encapsulate: false, digested: false, tsaProfile: {} },
            signerParams: { extKeyUsageOids: [], chain: [] },
            locale: panel.getAttribute("data-locale") || "ru"
          }
        }));
      };
      socket.onmessage = function (event) {
        var reply;
        try { reply = JSON.parse(event.data); } catch (e) { return; }
        // Older NCALayer builds greet with {"result": {"version": ...}}: not our answer.
        if (!reply || (reply.status === undefined && reply.code === undefined)) { return; }
        answered = true;
        socket.close();
        if (reply.status === true && reply.body && reply.body.result) {
          var result = reply.body.result;
          resolve(Array.isArray(result) ? result[0] : result);
        } else if (String(reply.message || "").toLowerCase().indexOf("cancel") !== -1 || String(reply.code) === "204") {
          reject(new NCALayerError("cancelled"));
        } else {
          reject(new NCALayerError("error", reply.message || reply.code || ""));
        }
      };
      socket.onerror = function () {
        if (!answered) { answered = true; reject(new NCALayerError("not_running")); }
      };
      socket.onclose = function () {
        if (!answered) { answered = true; reject(new NCALayerError("not_running")); }
      };
    });
  }

  function messagesOf(body) {
    var out = [];
    Object.keys(body || {}).forEach(function (key) {
      var value = body[key];
      if (Array.isArray(value)) { out = out.concat(value); }
      else if (typeof value === "string" && key === "detail") { out.push(value); }
    });
    return out.join(" ");
  }

  function sign() {
    button.disabled = true;
    show(msg("connecting"));
    var sessionId;
    post(panel.getAttribute("data-session-url"))
      .then(function (started) {
        if (started.status !== 201) { throw { refused: messagesOf(started.body) || msg("failed") }; }
        sessionId = started.body.id;
        return ncalayerSign(started.body.data);
      })
      .then(function (cms) {
        show(msg("sending"));
        return post(panel.getAttribute("data-sign-url"), { signing_session: sessionId, cms: cms });
      })
      .then(function (signed) {
        if (signed.status === 200) {
          show(msg("signed"), "ok");
          window.location.assign(panel.getAttribute("data-next"));
          return;
        }
        throw { refused: messagesOf(signed.body) || msg("failed") };
      })
      .catch(function (error) {
        button.disabled = false;
        if (error instanceof NCALayerError) {
          if (error.kind === "not_running") { show(msg("not-running"), "error"); }
          else if (error.kind === "cancelled") { show(msg("cancelled"), "error"); }
          else { show(msg("ncalayer-error") + " " + error.detail, "error"); }
        } else if (error && error.refused) {
          show(msg("refused") + " " + error.refused, "error");
        } else {
          show(msg("failed"), "error");
        }
      });
  }

  button.addEventListener("click", sign);
})();
