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
  var proposalId = box.dataset.proposal ? Number(box.dataset.proposal) : null;
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
  socket.on("connect", function () {
    socket.emit("join", { section: sectionId }, function (answer) {
      if (answer && answer.ok && joinedOnce) { refresh(); }
      joinedOnce = true;
    });
  });
  socket.on("decision", function (event) {
    if (!event || event.section_id !== sectionId) { return; }
    if (proposalId !== null && event.proposal_id !== proposalId) { return; }
    refresh();
  });
}());
