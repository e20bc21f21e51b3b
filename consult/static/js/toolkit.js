/* Toolkit section page: live discussion through Socket.IO. The page works without this file.

   Each live event is one change (a comment created, edited, hidden, shown, deleted, resolved
   or reopened) with the rendered node of that comment. The page patches that one node in
   place: what is being typed, where the focus is and what is on screen stay as they are.
   Events are numbered per section; only a gap in the numbers (after a lost connection, or a
   change the page cannot place) makes it fetch the whole thread again. */
(function () {
  "use strict";
  var root = document.getElementById("discussion");
  if (!root || typeof window.io !== "function") { return; }
  var settings = JSON.parse(root.dataset.liveSettings);
  var strings = settings.strings;
  var sectionId = Number(root.dataset.section);
  var threadBox = document.getElementById("thread");
  var status = document.getElementById("live-status");
  var commentForm = document.getElementById("comment-form");
  var replyForm = document.getElementById("reply-form");
  var replyHome = replyForm.parentNode;
  var replyNext = replyForm.nextSibling;
  var csrf = replyForm.elements.csrf_token.value;
  var lastSeq = renderedSeq();
  var loading = false;
  var loadAgain = false;
  var held = [];           /* events that arrive while the thread is being fetched */
  var nodeWanted = {};     /* comment id -> seq of the event whose node is being fetched */
  var clock = timeFormat();
  /* keepInView() holds the view steady itself; the browser's own scroll anchoring would add to it */
  document.scrollingElement.style.overflowAnchor = "none";

  function renderedSeq() {
    var list = document.getElementById("thread-items");
    return list ? Number(list.dataset.seq || 0) : 0;
  }

  function say(text) { status.textContent = text; }

  function timeFormat() {
    var options = { year: "numeric", month: "short", day: "numeric", hour: "numeric",
                    minute: "2-digit", timeZone: settings.zone };
    try { return new Intl.DateTimeFormat(settings.locale, options); } catch (error) {
      delete options.timeZone;
      return new Intl.DateTimeFormat(undefined, options);
    }
  }

  function article(id) { return document.getElementById("comment-" + id); }

  function parse(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content.querySelector("article");
  }

  /* A live node is the same for every member: give it this reader's words, time and actions. */
  function fitForReader(node) {
    node.querySelectorAll("span[data-t]").forEach(function (span) {
      var text = strings[span.dataset.t] || "";
      if (span.hasAttribute("data-reason")) {
        text = text.replace("%(reason)s", span.getAttribute("data-reason"));
      }
      span.replaceWith(document.createTextNode(text));
    });
    node.querySelectorAll("time[data-local]").forEach(function (time) {
      time.textContent = clock.format(new Date(time.getAttribute("datetime")));
      time.removeAttribute("data-local");
    });
    var mine = Number(node.dataset.author) === settings.user;
    node.querySelectorAll("[data-for]").forEach(function (element) {
      var keep = element.dataset.for === "author" ? mine : settings.secretariat;
      if (keep) { element.removeAttribute("data-for"); } else { element.remove(); }
    });
    node.querySelectorAll("input[data-csrf]").forEach(function (input) {
      input.value = csrf;
      input.removeAttribute("data-csrf");
    });
    return node;
  }

  function setPlace(node, depth, path) {
    node.dataset.depth = depth;
    node.dataset.path = path;
    node.className = node.className.replace(/\bdepth-\d+\b/, "depth-" + Math.min(depth, settings.maxDepth));
    var deep = node.querySelector(".in-reply-wrap");
    if (deep) { deep.hidden = depth <= settings.maxDepth; }
  }

  function isInside(node, ancestor) {
    return node.dataset.path.indexOf(ancestor.dataset.path + "/") === 0;
  }

  /* The last node of a comment's replies in reading order (the comment itself without any). */
  function subtreeEnd(node) {
    var last = node;
    var next = node.nextElementSibling;
    while (next && next.dataset.path && isInside(next, node)) {
      last = next;
      next = next.nextElementSibling;
    }
    return last;
  }

  function hasReplies(node) {
    var next = node.nextElementSibling;
    return Boolean(next && next.dataset.path && isInside(next, node));
  }

  /* Run a change to the thread without moving what the reader looks at: the reply being
     written, else the first comment on screen, stays at the same height in the window. */
  function keepInView(change) {
    var anchor = null;
    if (!replyForm.hidden && threadBox.contains(replyForm)) {
      anchor = replyForm;
    } else {
      var nodes = threadBox.querySelectorAll("article");
      for (var i = 0; i < nodes.length; i += 1) {
        if (nodes[i].getBoundingClientRect().bottom > 0) { anchor = nodes[i]; break; }
      }
    }
    var id = anchor && anchor.id;
    var before = anchor ? anchor.getBoundingClientRect().top : 0;
    change();
    var after = id && document.getElementById(id);
    if (after) {
      var moved = after.getBoundingClientRect().top - before;
      if (moved) { window.scrollBy(0, moved); }
    }
  }

  /* Replace a node's content by the new one's, leaving the reply form (and its text, its
     focus) where it is. */
  function patch(old, fresh) {
    setPlace(fresh, Number(old.dataset.depth), old.dataset.path);
    var focused = document.activeElement;
    var refocus = focused && old.contains(focused) && !replyForm.contains(focused)
      ? (focused.getAttribute("href") || focused.closest("form") && focused.closest("form").getAttribute("action"))
      : null;
    Array.prototype.slice.call(old.attributes).forEach(function (attribute) {
      if (!fresh.hasAttribute(attribute.name)) { old.removeAttribute(attribute.name); }
    });
    Array.prototype.slice.call(fresh.attributes).forEach(function (attribute) {
      old.setAttribute(attribute.name, attribute.value);
    });
    Array.prototype.slice.call(old.childNodes).forEach(function (child) {
      if (child !== replyForm) { old.removeChild(child); }
    });
    var before = replyForm.parentNode === old ? replyForm : null;
    while (fresh.firstChild) { old.insertBefore(fresh.firstChild, before); }
    if (refocus !== null) {
      var same = Array.prototype.find.call(old.querySelectorAll("a, button"), function (element) {
        var form = element.closest("form");
        return element.getAttribute("href") === refocus || (form && form.getAttribute("action") === refocus);
      });
      (same || old.querySelector(".permalink")).focus();
    }
  }

  /* A deleted comment leaves the thread once no reply hangs from it (as on the server). */
  function prune(node) {
    while (node && node.classList.contains("state-deleted") && !hasReplies(node) && replyForm.parentNode !== node) {
      var parentId = node.dataset.parent;
      node.remove();
      node = parentId ? article(parentId) : null;
    }
  }

  function insert(node, info, message) {
    var list = document.getElementById("thread-items");
    var parent = info.parent_id ? article(info.parent_id) : null;
    if (!list || (info.parent_id && !parent)) { return false; }
    if (parent) {
      setPlace(node, Number(parent.dataset.depth) + 1, parent.dataset.path + "/" + info.id);
    } else {
      setPlace(node, 0, String(info.id));
    }
    keepInView(function () {
      if (message) { say(message); }  /* inside: a longer message must not move the thread */
      var empty = list.querySelector(".empty");
      if (empty) { empty.remove(); }
      if (parent) {
        var end = subtreeEnd(parent);
        list.insertBefore(node, end.nextSibling);
      } else {
        list.appendChild(node);
      }
    });
    node.classList.add("is-new");
    return true;
  }

  /* The Secretariat reads a hidden comment's text: the event does not carry it, so ask for
     this one node. */
  function fetchNode(info, seq) {
    nodeWanted[info.id] = seq;
    fetch(settings.nodeUrl + "/" + info.id + "/node", {
      credentials: "same-origin", headers: { Accept: "text/html" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    }).then(function (html) {
      var old = article(info.id);
      if (nodeWanted[info.id] !== seq || !old) { return; }
      keepInView(function () { patch(old, parse(html)); });
    }).catch(function () { say(root.dataset.textFailed); });
  }

  /* Apply one event; false when the page cannot place it (then the thread is fetched). */
  function apply(event) {
    var info = event.comment;
    var node = info && event.html ? parse(event.html) : null;
    if (!node) { return false; }
    fitForReader(node);
    var old = article(info.id);
    delete nodeWanted[info.id];
    if (event.kind === "created") {
      if (old) { return true; }
      var message = info.author_id === settings.user ? "" :
        root.dataset.textNew.replace("{name}", info.author || root.dataset.textSomeone);
      return insert(node, info, message);
    }
    if (!old) { return info.state === "deleted"; }  /* already gone from this page */
    if (info.state === "hidden" && settings.secretariat) {
      fetchNode(info, event.seq);
      return true;
    }
    keepInView(function () {
      patch(old, node);
      prune(old);
    });
    return true;
  }

  function handle(event) {
    if (!event || event.section_id !== sectionId) { return; }
    if (loading) { held.push(event); return; }
    if (event.seq <= lastSeq) { return; }
    if (event.seq !== lastSeq + 1 || !apply(event)) { refresh(); return; }
    lastSeq = event.seq;
  }

  /* Fetch the whole thread: only after a gap. The reply being written is carried over. */
  function refresh() {
    if (loading) { loadAgain = true; return; }
    loading = true;
    fetch(root.dataset.threadUrl, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var host = replyForm.parentNode.dataset ? replyForm.parentNode.dataset.comment : null;
        var body = replyForm.elements.body;
        var focused = document.activeElement === body;
        var start = body.selectionStart;
        var end = body.selectionEnd;
        keepInView(function () {
          replyHome.insertBefore(replyForm, replyNext);
          threadBox.innerHTML = html;
          var again = host ? article(host) : null;
          if (again) { again.appendChild(replyForm); }
        });
        if (focused) {
          body.focus();
          body.setSelectionRange(start, end);
        }
        lastSeq = renderedSeq();
      })
      .catch(function () { say(root.dataset.textFailed); })
      .finally(function () {
        loading = false;
        var waiting = held;
        held = [];
        if (loadAgain) { loadAgain = false; refresh(); return; }
        waiting.forEach(handle);
      });
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
      if (answer.seq > lastSeq && !loading) { refresh(); }
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

  function parkReplyForm() {
    replyForm.hidden = true;
    replyForm.elements.parent_id.value = "";
    replyHome.insertBefore(replyForm, replyNext);
  }

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
      /* The comment arrives as a live event; without the socket, fetch the thread. */
      if (root.dataset.live !== "joined" && answer.seq > lastSeq) { refresh(); }
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
    var node = link.closest("article");
    replyForm.elements.parent_id.value = link.dataset.reply;
    node.appendChild(replyForm);
    replyForm.hidden = false;
    replyForm.elements.body.focus();
  });
  replyForm.querySelector("[data-cancel-reply]").addEventListener("click", function () {
    replyForm.reset();
    parkReplyForm();
  });
}());
