/* Registration form: a part asked only when an earlier answer says so is hidden until it
   does. Without this script every part shows, with a note saying when it applies; the
   server ignores the answers of parts whose condition does not hold. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-questions]");
  if (!form) { return; }
  form.classList.add("js-conditions");

  function values(name) {
    var found = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) { found.push(input.value); }
      } else if (input.value) {
        found.push(input.value);
      }
    });
    return found;
  }

  function update() {
    form.querySelectorAll("[data-shown-if]").forEach(function (part) {
      var source = document.getElementById("block-" + part.dataset.shownIf);
      var sourceHidden = source && source.closest("[hidden]") !== null;
      part.hidden = sourceHidden || values(part.dataset.shownIf).indexOf(part.dataset.shownValue) < 0;
    });
  }

  form.addEventListener("change", update);
  update();
}());
