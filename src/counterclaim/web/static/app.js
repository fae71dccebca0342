/* counterclaim: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  // colour swatches in legends (no inline style attributes: the CSP forbids them)
  document.querySelectorAll(".swatch[data-colour]").forEach(function (el) {
    var c = el.getAttribute("data-colour");
    if (/^#[0-9a-fA-F]{3,8}$/.test(c)) { el.style.backgroundColor = c; }
  });
  // article page: a highlighted sentence takes you to its claims; a claim row back to its sentence
  document.querySelectorAll("mark.claim").forEach(function (m) {
    function go() {
      var ids = (m.getAttribute("data-claims") || "").split(" ");
      var row = ids.length ? document.getElementById("c-" + ids[0]) : null;
      if (row) {
        document.querySelectorAll("tr.current").forEach(function (r) { r.classList.remove("current"); });
        ids.forEach(function (id) {
          var r = document.getElementById("c-" + id);
          if (r) { r.classList.add("current"); }
        });
      }
    }
    m.addEventListener("click", go);
    m.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { go(); } });
  });
  function markHash() {
    var h = window.location.hash;
    if (!h || h.indexOf("#c-") !== 0) { return; }
    var row = document.getElementById(h.slice(1));
    if (!row) { return; }
    var start = row.getAttribute("data-span-start");
    var mark = start ? document.getElementById("span-" + start) : null;
    if (mark) { mark.classList.add("current"); mark.scrollIntoView({block: "center"}); }
    row.classList.add("current");
  }
  window.addEventListener("hashchange", markHash);
  markHash();
  // filter forms: drop empty fields so URLs stay short and shareable
  document.querySelectorAll("form.filters").forEach(function (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && el.value === "") { el.disabled = true; }
      });
    });
  });
}());
