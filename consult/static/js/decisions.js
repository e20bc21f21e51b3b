/* Decisions on a section page and a proposal's page: live updates of proposals and amendments.
   The pages work without this file; it only fetches their live part again when the section's
   room says something changed (and once after a reconnect, for whatever was missed). */
(function () {
  "use strict";
  var box = document.querySelector("[data-refresh-url][data-section]");
  if (!box || typeof window.io !== "function") { return; }
  var part = box.querySelector("[data-live-part]");
  var status = box.querySelector(".live-status");
  var sectionId = Number(box.dataset.section);
  var filterKey = box.dataset.filterKey || null;
  var filterValue = filterKey ? Number(box.dataset.filterValue) : null;
  var loading = false;
  var again = false;
  var joinedOnce = false;

  function refresh() {
    if (loading) { again = true; return; }
    loading = true;
    fetch(box.dataset.refreshUrl, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        part.innerHTML = html;
        if (status) { status.textContent = box.dataset.textUpdated || ""; }
      })
      .catch(function () { /* the page stays as it was; the next event tries again */ })
      .then(function () {
        loading = false;
        if (again) { again = false; refresh(); }
      });
  }

  var socket = window.io("/decisions");
  socket.on("disconnect", function () { box.dataset.live = "lost"; });
  socket.on("connect", function () {
    socket.emit("join", { section: sectionId }, function (answer) {
      if (!answer || !answer.ok) { return; }
      if (joinedOnce) { refresh(); }
      joinedOnce = true;
      box.dataset.live = "joined";
    });
  });
  /* "Propose an amendment": the passage selected in the section's text goes into the form. */
  var amend = document.querySelector("[data-amend-link]");
  var text = document.querySelector(".section-body");
  if (amend && text) {
    amend.addEventListener("click", function () {
      var selection = window.getSelection ? String(window.getSelection()) : "";
      if (selection.trim() && text.contains(window.getSelection().anchorNode)) {
        amend.href = amend.dataset.amendLink + "?passage=" + encodeURIComponent(selection.trim());
      }
    });
  }

  socket.on("decision", function (event) {
    if (!event || event.section_id !== sectionId) { return; }
    if (filterKey && event[filterKey] !== filterValue) { return; }
    refresh();
  });
}());
