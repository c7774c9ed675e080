// aiaas console: the little JavaScript the pages need. Everything works without it except copy buttons,
// upload progress and live refresh; pages add their own small scripts on top of window.aiaas.
(function () {
  "use strict";

  // Times on pages are shown in the browser's time zone: tell the server through a cookie.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var current = document.cookie.split("; ").find(function (c) { return c.indexOf("tz=") === 0; });
    if (zone && (!current || decodeURIComponent(current.substring(3)) !== zone)) {
      document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
      if (!current && zone !== "UTC" && !sessionStorage.getItem("aiaas-tz-reloaded")) {
        sessionStorage.setItem("aiaas-tz-reloaded", "1");
        location.reload();
      }
    }
  } catch (e) { /* no Intl or no storage: times stay in UTC, as the footer says */ }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function sessionExpired() {
    if (document.getElementById("session-expired")) return;
    var banner = document.createElement("p");
    banner.id = "session-expired";
    banner.className = "error banner";
    banner.setAttribute("role", "alert");
    banner.innerHTML = 'Your session expired: <a href="/home">sign in again</a>.';
    document.body.insertBefore(banner, document.body.firstChild);
  }

  // fetch() to the console from a page script: marks the request as a script's (an expired session then answers
  // 499 instead of redirecting to the login page) and sends the CSRF token.
  function consoleFetch(url, options) {
    options = options || {};
    options.headers = Object.assign({ "X-Requested-With": "JavaScript", "X-CSRF-TOKEN": csrfToken() }, options.headers || {});
    options.credentials = "same-origin";
    return fetch(url, options).then(function (response) {
      if (response.status === 499 || response.status === 401) sessionExpired();
      return response;
    });
  }

  // The same for XMLHttpRequest (upload progress needs it).
  function prepareXhr(xhr) {
    xhr.setRequestHeader("X-Requested-With", "JavaScript");
    xhr.setRequestHeader("X-CSRF-TOKEN", csrfToken());
    xhr.addEventListener("load", function () {
      if (xhr.status === 499 || xhr.status === 401) sessionExpired();
    });
  }

  window.aiaas = { fetch: consoleFetch, prepareXhr: prepareXhr, sessionExpired: sessionExpired, csrfToken: csrfToken };

  document.addEventListener("DOMContentLoaded", function () {
    // <select data-navigate>: go to the chosen option's URL
    document.querySelectorAll("select[data-navigate]").forEach(function (select) {
      select.addEventListener("change", function () { location.href = select.value; });
    });
    // <button data-copy-target="id">: copy that element's text
    document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy-target"));
        if (!target) return;
        var text = target.value !== undefined ? target.value : target.textContent;
        var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 2000); };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text.trim()).then(done);
        } else {
          var range = document.createRange();
          range.selectNodeContents(target);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          document.execCommand("copy");
          done();
        }
      });
    });
    // <button data-print>: the browser's print dialog (which also saves as PDF)
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    // <form data-confirm="question">: ask before a destructive action
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  });
})();
