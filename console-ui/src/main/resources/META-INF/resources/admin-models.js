// Admin model page: upload a new version with a progress bar, then follow its placement on the workers.
// The file goes to the console as application/octet-stream (the console streams it on to platform-api); the answer
// is the validated version (its signature) or a problem saying why the model was refused.
(function () {
  "use strict";

  var POLL_MS = 1000;
  var POLL_LIMIT = 120; // about two minutes

  function text(parent, tag, content, className) {
    var el = document.createElement(tag);
    el.textContent = content;
    if (className) el.className = className;
    parent.appendChild(el);
    return el;
  }

  function tensors(list) {
    if (!list || !list.length) return "—";
    // no shape at all is a rank the model leaves open ("any shape", as TensorShape says it), not a scalar ([])
    return list.map(function (t) {
      return t.name + " " + t.datatype + " " + (t.shape == null ? "any shape" : "[" + t.shape.join(", ") + "]");
    }).join(", ");
  }

  function showResult(result, ok, lines) {
    result.textContent = "";
    result.className = ok ? "notice" : "error";
    result.setAttribute("role", ok ? "status" : "alert");
    lines.forEach(function (line, i) { text(result, i === 0 ? "strong" : "div", line); });
  }

  // Retire forms inside a refreshed table are new elements: give them the confirmation console.js gives on load.
  function bindConfirms(root) {
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  }

  // Replaces the versions table every second until the new version is READY on every worker it is placed on
  // (or FAILED on one), for at most about two minutes.
  function follow(form, version, result) {
    var wrap = document.getElementById("versions-wrap");
    var tries = 0;
    var status = text(result, "div", "Placing it on the workers…", "placement-progress");
    function poll() {
      tries++;
      window.aiaas.fetch(form.getAttribute("data-versions-url"), { headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error("status " + response.status);
          return response.text();
        })
        .then(function (html) {
          wrap.innerHTML = html; // rendered and escaped by the console's template
          bindConfirms(wrap);
          var row = wrap.querySelector('tr[data-version="' + version + '"]');
          var states = row ? Array.prototype.slice.call(row.querySelectorAll(".placement-state")) : [];
          var failed = states.filter(function (s) { return s.textContent.trim().toUpperCase() === "FAILED"; });
          if (failed.length) {
            var reason = failed[0].parentNode.querySelector(".placement-reason");
            status.textContent = "A worker could not load version " + version + (reason ? ": " + reason.textContent : ".");
            result.className = "error";
            return;
          }
          if (states.length && states.every(function (s) { return s.textContent.trim().toUpperCase() === "READY"; })) {
            status.textContent = "Version " + version + " is READY on " + states.length + (states.length === 1 ? " worker." : " workers.");
            return;
          }
          if (tries >= POLL_LIMIT) {
            status.textContent = states.length ? "Still loading after two minutes; reload the page later to see its state."
              : "No worker has picked it up yet; check the workers page.";
            return;
          }
          setTimeout(poll, POLL_MS);
        })
        .catch(function () {
          if (tries < POLL_LIMIT) setTimeout(poll, POLL_MS);
        });
    }
    setTimeout(poll, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("upload-version");
    if (!form) return;
    var input = document.getElementById("version-file");
    var button = document.getElementById("upload-submit");
    var progress = document.getElementById("upload-progress");
    var result = document.getElementById("upload-result");

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var file = input.files && input.files[0];
      if (!file) {
        showResult(result, false, ["Choose an .onnx file first."]);
        input.focus();
        return;
      }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action"));
      window.aiaas.prepareXhr(xhr);
      xhr.setRequestHeader("Content-Type", "application/octet-stream");
      xhr.setRequestHeader("Accept", "application/json");
      progress.max = file.size || 1;
      progress.value = 0;
      button.disabled = true;
      showResult(result, true, ["Uploading " + file.name + "…"]);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          progress.max = e.total;
          progress.value = e.loaded;
        }
      });
      xhr.upload.addEventListener("load", function () {
        progress.value = progress.max;
        showResult(result, true, ["Uploaded; the platform is validating the model…"]);
      });
      xhr.addEventListener("load", function () {
        button.disabled = false;
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if (xhr.status === 201 && body) {
          var lines = ["Version " + body.version + " is " + body.status + "."];
          if (body.signature) {
            lines.push("Inputs: " + tensors(body.signature.inputs));
            lines.push("Outputs: " + tensors(body.signature.outputs));
          }
          if (body.warmup) lines.push("Warm-up: " + body.warmup.status + (body.warmup.reason ? " (" + body.warmup.reason + ")" : ""));
          showResult(result, true, lines);
          form.reset();
          follow(form, body.version, result);
          return;
        }
        if (xhr.status === 499 || xhr.status === 401) {
          showResult(result, false, ["Your session expired: sign in again, then upload the file again."]);
          return;
        }
        var reason = body && body.message ? body.message
          : xhr.status === 413 ? "The file is larger than the console accepts."
          : "The upload failed (HTTP " + xhr.status + ").";
        progress.value = 0;
        showResult(result, false, ["The model was not accepted.", reason]);
      });
      xhr.addEventListener("error", function () {
        button.disabled = false;
        progress.value = 0;
        showResult(result, false, ["The upload was interrupted (network error); try again."]);
      });
      xhr.send(file);
    });
  });
})();
