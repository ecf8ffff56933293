/* Moving through a long fill page (progressive enhancement of what the server renders):
   - the section menu unfolds on a wide screen and keeps "x/y" and the error counts live, by the
     server's definition (webapp/fillnav.py): a non-computed item is filled when one of its own
     inputs holds a non-blank value;
   - error counts follow the `decuong:issues` event of the live checks when that script is on
     the page (detail: per-field counts), else the server's figures stay;
   - a link of the error summary puts the focus in the field, not just the page at it;
   - "Nộp báo cáo" first lists the items still empty in a dialog ("Vẫn nộp" / "Quay lại sửa");
     the server asks the same on its own page when this file is not running. */
(function () {
  "use strict";
  var form = document.getElementById("fill-form");
  if (!form) return;
  var nav = document.querySelector("[data-fill-nav]");
  var BULLETS = ["-", "+", "–", "—", "*", "•"];
  var issueCounts = null; // item key -> error count, once the live checks have spoken

  if (nav && window.matchMedia && window.matchMedia("(min-width: 1000px)").matches) {
    nav.open = true;
  }

  // --- what counts as filled ---------------------------------------------------------------
  function ownControls(item) {
    var all = item.querySelectorAll("input, select, textarea");
    var out = [];
    for (var i = 0; i < all.length; i++) {
      var c = all[i];
      if (c.closest(".item") !== item) continue;
      if (c.type === "file" || c.type === "hidden" || c.type === "checkbox" || c.readOnly) continue;
      if (c.closest(".comment-box, .evidence")) continue;
      out.push(c);
    }
    return out;
  }

  function isFilled(item) {
    var controls = ownControls(item);
    for (var i = 0; i < controls.length; i++) {
      var c = controls[i];
      if (c.type === "radio") {
        if (c.checked && c.value !== "") return true;
      } else if (String(c.value || "").trim() !== "") {
        return true;
      }
    }
    return false;
  }

  function countedItems(root) {
    var list = [];
    if (root.matches(".item")) list.push(root);
    var inner = root.querySelectorAll(".item");
    for (var i = 0; i < inner.length; i++) list.push(inner[i]);
    return list.filter(function (el) { return !el.classList.contains("computed"); });
  }

  function keyOf(item) { return item.id.replace(/^item-/, ""); }

  // --- the menu --------------------------------------------------------------------------
  function refresh() {
    if (!nav) return;
    var filledAll = 0, totalAll = 0, errorsAll = 0;
    var entries = nav.querySelectorAll("[data-nav-target]");
    for (var i = 0; i < entries.length; i++) {
      var li = entries[i];
      var root = document.getElementById(li.getAttribute("data-nav-target"));
      if (!root) continue;
      var items = countedItems(root), filled = 0, errors = 0;
      for (var j = 0; j < items.length; j++) if (isFilled(items[j])) filled++;
      var all = root.matches(".item") ? [root] : [];
      all = all.concat(Array.prototype.slice.call(root.querySelectorAll(".item")));
      if (issueCounts) {
        for (var k = 0; k < all.length; k++) errors += issueCounts[keyOf(all[k])] || 0;
        setErrors(li, errors);
      } else {
        errors = Number(li.querySelector("[data-nav-error-count]").textContent) || 0;
      }
      li.querySelector("[data-nav-count]").textContent = filled + "/" + items.length;
      li.classList.toggle("nav-done", items.length > 0 && filled === items.length);
      filledAll += filled; totalAll += items.length; errorsAll += errors;
    }
    nav.querySelector("[data-nav-total]").textContent =
      "Đã nhập " + filledAll + "/" + totalAll + " mục";
    var whole = nav.querySelector("[data-nav-all-errors]");
    if (whole) setErrors(whole, errorsAll, true);
  }

  function setErrors(holder, n, isWhole) {
    var box = isWhole ? holder : holder.querySelector("[data-nav-errors]");
    box.querySelector("[data-nav-error-count]").textContent = String(n);
    box.hidden = n === 0;
  }

  // `decuong:issues` (fill-checks.js): detail.items = {key: {errors: n, warnings: n}}, every
  // item an issue concerns. Also read: {key: n} or {counts: {...}}, a value being a number, a
  // list of issues or {errors: n | [...]}. A table cell's name (key-row-column) counts for its
  // table.
  function readCounts(detail) {
    var source = (detail && (detail.items || detail.counts)) || detail || {};
    var out = {};
    Object.keys(source).forEach(function (name) {
      var v = source[name], n = 0;
      if (typeof v === "number") n = v;
      else if (Array.isArray(v)) n = v.filter(function (x) {
        return !x || !x.severity || x.severity === "error";
      }).length;
      else if (v && typeof v === "object") n = Array.isArray(v.errors) ? v.errors.length : Number(v.errors) || 0;
      var key = name.replace(/-\d+-[A-Za-z_]\w*$/, "");
      out[key] = (out[key] || 0) + n;
    });
    return out;
  }

  form.addEventListener("decuong:issues", function (event) {
    issueCounts = readCounts(event.detail);
    refresh();
  });
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);

  // --- error summary: land in the field ------------------------------------------------
  function focusTarget(el) {
    if (!el) return null;
    if (el.matches("input, select, textarea, button")) return el;
    var controls = el.matches(".item") ? ownControls(el) : [];
    if (controls.length) return controls[0];
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
    return el;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".summary a[href^='#'], [data-issue-summary] a[href^='#']");
    if (!link) return;
    var target = focusTarget(document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1))));
    if (!target) return;
    event.preventDefault();
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
    if (history.pushState) history.pushState(null, "", link.getAttribute("href"));
  });

  // --- before submit: what is still empty ---------------------------------------------
  function refOf(item) {
    var parts = [];
    var head = item.querySelector(".item-head");
    var own = head && head.querySelector(".num");
    for (var el = item.parentElement; el && el !== form; el = el.parentElement) {
      var num = null;
      if (el.matches("section.sec")) num = el.querySelector(":scope > .sec-title .num");
      else if (el.matches(".item")) num = el.querySelector(":scope > .item-head .num");
      if (num && BULLETS.indexOf(num.textContent.trim()) < 0 && num.textContent.trim()) {
        parts.unshift(num.textContent.trim());
      }
    }
    if (own && own.textContent.trim() && BULLETS.indexOf(own.textContent.trim()) < 0) {
      parts.push(own.textContent.trim());
    }
    var label = head ? head.querySelector(".item-label") : null;
    parts.push(label ? label.textContent.trim() : keyOf(item));
    return parts.join(" ");
  }

  function emptyItems() {
    return countedItems(form).filter(function (item) { return !isFilled(item); });
  }

  var dialog = null;
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function ask(empty, submitter) {
    if (dialog) dialog.remove();
    dialog = el("dialog", "presubmit-dialog");
    dialog.id = "presubmit-dialog";
    dialog.setAttribute("aria-labelledby", "presubmit-title");
    var title = el("h2", null, "Báo cáo còn " + empty.length + " mục để trống");
    title.id = "presubmit-title";
    dialog.appendChild(title);
    var total = countedItems(form).length;
    dialog.appendChild(el("p", null, "Đã nhập " + (total - empty.length) + "/" + total +
                                     " mục. Hãy xem lại trước khi nộp:"));
    var required = empty.filter(function (item) { return item.querySelector(".item-head .req"); });
    if (required.length) {
      dialog.appendChild(el("p", "flash flash-error", "Có " + required.length +
        " mục bắt buộc còn trống: báo cáo chỉ nộp được khi đã nhập các mục này."));
    }
    var list = el("ol");
    empty.forEach(function (item) {
      var li = el("li");
      var link = el("a", null, refOf(item));
      link.href = "#" + item.id;
      link.addEventListener("click", function (event) {
        event.preventDefault();
        dialog.close();
        var target = focusTarget(item);
        target.scrollIntoView({ block: "center" });
        target.focus({ preventScroll: true });
      });
      li.appendChild(link);
      if (item.querySelector(".item-head .req")) li.appendChild(el("strong", null, " (bắt buộc)"));
      list.appendChild(li);
    });
    dialog.appendChild(list);
    var actions = el("div", "actions");
    var back = el("button", "secondary", "Quay lại sửa");
    back.type = "button";
    back.id = "presubmit-back";
    var go = el("button", "primary", "Vẫn nộp");
    go.type = "button";
    go.id = "presubmit-confirm";
    actions.appendChild(back);
    actions.appendChild(go);
    dialog.appendChild(actions);
    back.addEventListener("click", function () {
      dialog.close();
      var target = focusTarget(empty[0]);
      target.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    });
    go.addEventListener("click", function () {
      var flag = form.querySelector("input[name=confirmed]") || el("input");
      flag.type = "hidden"; flag.name = "confirmed"; flag.value = "1";
      form.appendChild(flag);
      dialog.close();
      if (form.requestSubmit) form.requestSubmit(submitter); else submitter.click();
      flag.remove(); // one confirmation for this submission only (the data set is already built)
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    go.focus();
  }

  // Capture phase on the document: runs before any handler on the form (e.g. a save in place).
  document.addEventListener("submit", function (event) {
    if (event.target !== form) return;
    var submitter = event.submitter;
    if (!submitter || submitter.value !== "submit") return;
    if (form.querySelector("input[name=confirmed][value='1']")) return;
    var empty = emptyItems();
    if (!empty.length) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    ask(empty, submitter);
  }, true);

  refresh();
})();
