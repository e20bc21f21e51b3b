/* Toolkit section page: live discussion through Socket.IO. The page works without this file:
   it only refreshes the thread when an event arrives and posts the forms without a reload. */
(function () {
  "use strict";
  var root = document.getElementById("discussion");
  if (!root || typeof window.io !== "function") { return; }
  var sectionId = Number(root.dataset.section);
  var threadUrl = root.dataset.threadUrl;
  var threadBox = document.getElementById("thread");
  var status = document.getElementById("live-status");
  var commentForm = document.getElementById("comment-form");
  var replyForm = document.getElementById("reply-form");
  var replyHome = replyForm.parentNode;
  var replyNext = replyForm.nextSibling;
  var lastSeq = renderedSeq();
  var loading = false;
  var loadAgain = false;
  var waiting = false;
  var fresh = [];

  function renderedSeq() {
    var items = document.getElementById("thread-items");
    return items ? Number(items.dataset.seq || 0) : 0;
  }

  function say(text) { status.textContent = text; }

  function writingReply() {
    return !replyForm.hidden && replyForm.elements.body.value.trim() !== "";
  }

  function parkReplyForm() {
    replyForm.hidden = true;
    replyForm.elements.parent_id.value = "";
    replyHome.insertBefore(replyForm, replyNext);
  }

  function refresh() {
    if (writingReply()) {
      waiting = true;
      say(root.dataset.textWaiting);
      return;
    }
    if (loading) { loadAgain = true; return; }
    loading = true;
    fetch(threadUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        parkReplyForm();
        threadBox.innerHTML = html;
        lastSeq = Math.max(lastSeq, renderedSeq());
        fresh.forEach(function (id) {
          var item = document.getElementById("comment-" + id);
          if (item) { item.classList.add("is-new"); }
        });
        fresh = [];
        waiting = false;
      })
      .catch(function () { say(root.dataset.textFailed); })
      .finally(function () {
        loading = false;
        if (loadAgain) { loadAgain = false; refresh(); }
      });
  }

  function handle(event) {
    if (!event || event.section_id !== sectionId || event.seq <= lastSeq) { return; }
    lastSeq = event.seq;
    var comment = event.comment;
    if (event.kind === "created" && comment) {
      fresh.push(comment.id);
      say(root.dataset.textNew.replace("{name}", comment.author || root.dataset.textSomeone));
    }
    refresh();
  }

  var socket = window.io("/toolkit");
  var REJOIN_MS = 60000;

  function join(first) {
    socket.emit("join", { section: sectionId, last: lastSeq }, function (answer) {
      if (!answer || !answer.ok) {
        say(root.dataset.textOff);
        if (!first) { socket.disconnect(); }
        return;
      }
      if (first) { root.dataset.live = "joined"; say(""); }
      (answer.events || []).forEach(handle);
    });
  }

  socket.on("connect", function () { join(true); });
  // Joining again now and then brings what a process without the message queue posted
  // (a reply by e-mail), and stops a member who has lost access from hearing the room.
  window.setInterval(function () { if (socket.connected) { join(false); } }, REJOIN_MS);
  socket.on("disconnect", function () {
    root.dataset.live = "lost";
    say(root.dataset.textLost);
  });
  socket.on("comment", handle);

  function postWithoutReload(form, event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (answer) {
      form.reset();
      if (form === replyForm) { parkReplyForm(); }
      fresh.push(answer.comment);
      refresh();
    }).catch(function () {
      form.submit();  /* let the server show the errors next to the fields */
    }).finally(function () { button.disabled = false; });
  }

  commentForm.addEventListener("submit", function (event) { postWithoutReload(commentForm, event); });
  replyForm.addEventListener("submit", function (event) { postWithoutReload(replyForm, event); });

  threadBox.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-reply]");
    if (!link) { return; }
    event.preventDefault();
    var article = link.closest("article");
    replyForm.elements.parent_id.value = link.dataset.reply;
    article.appendChild(replyForm);
    replyForm.hidden = false;
    replyForm.elements.body.focus();
  });
  replyForm.querySelector("[data-cancel-reply]").addEventListener("click", function () {
    replyForm.reset();
    parkReplyForm();
    if (waiting) { refresh(); }
  });
}());
