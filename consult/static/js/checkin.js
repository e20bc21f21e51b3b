/* Check-in at the door, offline-first.
 *
 * The event's confirmed participants (with their badge tokens) and the check-ins not yet sent
 * are kept in localStorage, so scanning and searching go on without a connection; the queue is
 * sent whenever the phone is online (at once, on the "online" event and every 15 seconds). The
 * server records each arrival once, so sending a check-in twice is harmless. A service worker
 * keeps the page and its scripts, so that reloading it offline still works.
 */
(function () {
  "use strict";
  var root = document.getElementById("checkin");
  if (!root) return;
  var data = root.dataset;
  var key = "consult.checkin." + data.event + ".";
  var statusLine = document.getElementById("checkin-status");
  var message = document.getElementById("checkin-message");
  var results = document.getElementById("checkin-results");
  var input = document.getElementById("checkin-q");
  var video = document.getElementById("checkin-video");
  var scanButton = document.getElementById("checkin-scan");
  var stopButton = document.getElementById("checkin-stop");
  var roster = load("roster", null);
  var queue = load("queue", []);
  var sending = false;
  var stream = null;

  function load(name, fallback) {
    try {
      var value = JSON.parse(localStorage.getItem(key + name));
      return value === null ? fallback : value;
    } catch (e) {
      return fallback;
    }
  }
  function save(name, value) {
    localStorage.setItem(key + name, JSON.stringify(value));
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? values[name] : all;
    });
  }
  function clock(iso) {
    return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: data.timezone
    }).format(new Date(iso));
  }
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function say(text, kind) {
    message.textContent = text;
    message.className = "checkin-message " + (kind || "");
  }

  function showStatus() {
    if (!roster) {
      statusLine.textContent = data.tNotLoaded;
      return;
    }
    var done = roster.filter(function (p) { return p.checked_in_at; }).length;
    var count = fill(data.tCount, {n: done, total: roster.length});
    var waiting = queue.length ? fill(data.tWaiting, {n: queue.length}) : data.tSent;
    statusLine.textContent = waiting + " " + count;
    statusLine.classList.toggle("offline", queue.length > 0);
  }

  function render() {
    results.textContent = "";
    var words = fold(input.value.trim());
    if (!roster || !words) return;
    var found = roster.filter(function (p) {
      return fold(p.name + " " + p.organisation).indexOf(words) !== -1;
    }).slice(0, 20);
    if (!found.length) {
      var none = document.createElement("li");
      none.textContent = data.tNone;
      results.appendChild(none);
    }
    found.forEach(function (person) {
      var item = document.createElement("li");
      var who = document.createElement("span");
      who.className = "who";
      who.textContent = person.name;
      who.setAttribute("dir", "auto");
      var org = document.createElement("span");
      org.className = "org";
      org.textContent = [person.organisation, person.country].filter(Boolean).join(" · ");
      who.appendChild(org);
      item.appendChild(who);
      if (person.checked_in_at) {
        var done = document.createElement("span");
        done.className = "done";
        done.textContent = fill(data.tAt, {time: clock(person.checked_in_at)});
        item.appendChild(done);
      } else {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = data.tCheckIn;
        button.setAttribute("aria-label", data.tCheckIn + ": " + person.name);
        button.addEventListener("click", function () { arrive(person); });
        item.appendChild(button);
      }
      results.appendChild(item);
    });
  }

  /* Record an arrival on the phone at once, then send it. */
  function arrive(person) {
    if (person.checked_in_at) {
      say(fill(data.tAlready, {name: person.name, time: clock(person.checked_in_at)}), "warn");
      return;
    }
    person.checked_in_at = new Date().toISOString();
    queue.push({registration: person.id, at: person.checked_in_at});
    save("roster", roster);
    save("queue", queue);
    say(fill(data.tCheckedIn, {name: person.name}), "ok");
    render();
    showStatus();
    send();
  }

  function scanned(token) {
    var person = roster && roster.find(function (p) { return p.token === token; });
    if (person) {
      arrive(person);
    } else if (navigator.onLine) {
      post([{token: token, at: new Date().toISOString()}]).then(function (answer) {
        var outcome = answer.results[0];
        say(outcome.message, outcome.result === "checked-in" ? "ok" : "warn");
        refresh();
      }).catch(function () { say(data.tUnknown, "warn"); });
    } else {
      say(data.tUnknown, "warn");
    }
  }

  function post(scans) {
    return fetch(data.syncUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "X-CSRFToken": data.csrf},
      body: JSON.stringify({scans: scans})
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  /* Send the queue; the entries sent leave it only once the server has answered. */
  function send() {
    if (sending || !queue.length) return;
    sending = true;
    var batch = queue.slice();
    var again = false;
    post(batch).then(function (answer) {
      again = true;
      queue = queue.slice(batch.length);
      save("queue", queue);
      answer.results.forEach(function (outcome) {
        var person = roster.find(function (p) { return p.id === outcome.registration; });
        if (person && outcome.checked_in_at) person.checked_in_at = outcome.checked_in_at;
      });
      save("roster", roster);
    }).catch(function () { /* offline or refused: kept for the next try */ })
      .then(function () {
        sending = false;
        showStatus();
        render();
        if (again && queue.length) send();
      });
  }

  /* The list from the server, with the check-ins still queued here laid over it. */
  function refresh() {
    return fetch(data.rosterUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (answer) {
        if (answer.csrf) data.csrf = answer.csrf;
        var mine = {};
        queue.forEach(function (scan) { if (scan.registration) mine[scan.registration] = scan.at; });
        roster = answer.participants.map(function (p) {
          if (!p.checked_in_at && mine[p.id]) p.checked_in_at = mine[p.id];
          return p;
        });
        save("roster", roster);
      })
      .catch(function () { /* offline: the list kept on the phone serves */ })
      .then(function () {
        showStatus();
        render();
      });
  }

  function stopCamera() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    stopButton.hidden = true;
    scanButton.hidden = false;
  }

  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say(data.tNoCamera, "warn");
      return;
    }
    var detector = "BarcodeDetector" in window ? new window.BarcodeDetector({formats: ["qr_code"]}) : null;
    var canvas = document.createElement("canvas");
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false})
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        stopButton.hidden = false;
        scanButton.hidden = true;
        return video.play();
      })
      .then(function () {
        function look() {
          if (!stream) return;
          var found = detector
            ? detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; })
            : Promise.resolve(readFrame());
          found.then(function (text) {
            if (text) {
              stopCamera();
              scanned(text);
            } else {
              setTimeout(look, 200);
            }
          }).catch(function () { setTimeout(look, 200); });
        }
        function readFrame() {
          if (!window.jsQR || !video.videoWidth) return null;
          canvas.width = video.videoWidth;
          canvas.height = video.videoHeight;
          var context = canvas.getContext("2d");
          context.drawImage(video, 0, 0);
          var image = context.getImageData(0, 0, canvas.width, canvas.height);
          var code = window.jsQR(image.data, image.width, image.height);
          return code ? code.data : null;
        }
        look();
      })
      .catch(function () {
        stopCamera();
        say(data.tNoCamera, "warn");
      });
  }

  document.getElementById("checkin-search").addEventListener("submit", function (event) {
    event.preventDefault();
    render();
  });
  input.addEventListener("input", render);
  scanButton.addEventListener("click", startCamera);
  stopButton.addEventListener("click", stopCamera);
  window.addEventListener("online", function () { refresh().then(send); });
  window.addEventListener("offline", showStatus);
  setInterval(function () { if (queue.length) refresh().then(send); }, 15000);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(data.workerUrl).catch(function () { /* not kept offline */ });
  }
  showStatus();
  render();
  refresh().then(send);
})();
