// The workbench's only script: add and remove list items in the case form, tick all cases on the
// reports page, and notice when the open case file changes on disk. Written for this project.
(function () {
  "use strict";

  // Lists in the case form: the page has one <template> per kind of list item, whose field names
  // start with __P__.__I__; adding an item fills in this list's name and its next index.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add]");
    if (!button) return;
    var list = button.closest("[data-list]");
    var template = document.getElementById(list.getAttribute("data-proto"));
    var next = parseInt(list.getAttribute("data-next"), 10) || 0;
    var html = template.innerHTML.split("__P__").join(list.getAttribute("data-name")).split("__I__").join(String(next));
    list.setAttribute("data-next", String(next + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var items = list.querySelector(":scope > .items");
    while (holder.firstChild) items.appendChild(holder.firstChild);
    var added = items.lastElementChild;
    var first = added && added.querySelector("input:not([type=hidden]):not([type=checkbox]), select, textarea");
    if (first) first.focus();
    var count = list.querySelector(":scope > legend .muted");
    if (count) count.textContent = "(" + items.children.length + ")";
  });

  // A removed item is greyed out; it is dropped when the form is saved.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name && /\._remove$/.test(box.name)) {
      box.closest("details.item").classList.toggle("removed", box.checked);
    }
    if (box.hasAttribute && box.hasAttribute("data-all")) {
      document.querySelectorAll(".case-picks input[type=checkbox]").forEach(function (c) { c.checked = box.checked; });
    }
  });

  // The case's HTML report is framed below the questions: grow the frame to the report's height.
  var frame = document.getElementById("report-frame");
  if (frame) {
    var fit = function () {
      try {
        var doc = frame.contentDocument;
        if (doc && doc.documentElement) frame.style.height = (doc.documentElement.scrollHeight + 24) + "px";
      } catch (e) { /* keep the fixed height */ }
    };
    frame.addEventListener("load", fit);
    window.addEventListener("resize", fit);
  }

  // The page was built from one version of the case file; ask the server now and then whether the
  // file is still at that version (another tab, an editor or git may have changed it).
  var holder = document.querySelector("[data-case][data-version]");
  var banner = document.getElementById("disk-changed");
  if (holder && banner && window.fetch) {
    var url = "/api/cases/" + encodeURIComponent(holder.getAttribute("data-case")) + "/version";
    var check = function () {
      fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
        return r.ok ? r.json() : null;
      }).then(function (info) {
        if (info && info.version !== holder.getAttribute("data-version")) banner.hidden = false;
      }).catch(function () {});
    };
    window.setInterval(check, 4000);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) check(); });
  }
})();
