/* Checks while typing on the fill page, from the one engine.

   When the user leaves a field (change or focusout, debounced), the whole form is posted to
   the form's data-check-url (POST …/check, CSRF token in the X-CSRFToken header; evidence
   files are never sent). The server runs the same validation as on submit, without the
   "required" checks, and answers with its own messages; each is shown at EVERY item it
   concerns (a rule "đúng hạn ≤ đã giải quyết" at both counts), the fields it names get
   aria-invalid="true" (errors) and aria-describedby pointing at the message list, and all of
   it is cleared once the value is fixed. The server's computed figures replace the preview,
   and the list at the top of a page shown after a refused submit loses the entries fixed since.
   Without JavaScript, or when the request fails, nothing changes: saving and submitting
   check everything again on the server, which stays the authority.

   Event for other scripts (e.g. the section menu):
     form.addEventListener("decuong:issues", function (event) { … })
     event.detail = {
       errors: 2, warnings: 1,                 // issues of the whole form (each counted once)
       items: {"hs_dung_han": {errors: 1, warnings: 0}, …}  // per item key, every item an
     }                                         // issue concerns; items without issues absent
   dispatched on the <form id="fill-form"> (bubbles) after every answer. "Required" items are
   not in it: they are only asked for on submit (their messages come with the page then).
*/
(function () {
  "use strict";

  var DELAY_MS = 300;
  var LIST_CLASS = "live-issues";

  function describedBy(el) {
    return (el.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
  }

  function setDescribedBy(el, ids) {
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
  }

  // The elements that stand for a field: its input, or the radio group of a yes/no item.
  function controls(form, name) {
    var found = form.elements.namedItem(name);
    if (!found) return [];
    if (found.length !== undefined && !found.tagName) {  // RadioNodeList
      var group = found[0] && found[0].closest("[role=radiogroup]");
      return group ? [group] : Array.prototype.slice.call(found);
    }
    if (found.type === "radio") {
      var one = found.closest("[role=radiogroup]");
      return one ? [one] : [found];
    }
    return [found];
  }

  function Checker(form) {
    this.form = form;
    this.url = form.getAttribute("data-check-url");
    this.timer = null;
    this.sequence = 0;
    this.controller = null;
    this.lastBody = null;
    this.marked = [];       // [{el, invalid, describedby}] as they were before this script
    this.lists = [];        // the message lists it added
    this.serverCleared = false;
    this.status = document.createElement("p");
    this.status.className = "sr-only";
    this.status.setAttribute("aria-live", "polite");
    this.status.id = "live-check-status";
    form.appendChild(this.status);
  }

  Checker.prototype.schedule = function () {
    var self = this;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.timer = null; self.run(); }, DELAY_MS);
  };

  Checker.prototype.body = function () {
    var params = new URLSearchParams();
    new FormData(this.form).forEach(function (value, name) {
      if (typeof value !== "string" || name === "action") return;  // files stay on the page
      params.append(name, value);
    });
    return params.toString();
  };

  Checker.prototype.run = function () {
    var body = this.body();
    if (body === this.lastBody) return;
    var self = this, mine = ++this.sequence;
    if (this.controller) this.controller.abort();
    this.controller = window.AbortController ? new AbortController() : null;
    var token = this.form.querySelector('input[name="csrf_token"]');
    fetch(this.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
        "X-CSRFToken": token ? token.value : "",
        "Accept": "application/json"
      },
      signal: this.controller ? this.controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) throw new Error("check " + response.status);
      return response.json();
    }).then(function (answer) {
      if (mine !== self.sequence) return;  // a newer check is on its way
      self.lastBody = body;
      self.show(answer);
    }).catch(function () { /* offline or expired: the server checks again on save */ });
  };

  // The messages the page came with (after a refused submit) are the engine's too; the live
  // answer replaces all but "required", which only a submit asks for.
  Checker.prototype.clearServerIssues = function () {
    if (this.serverCleared) return;
    this.serverCleared = true;
    var form = this.form;
    form.querySelectorAll("ul.issues:not(." + LIST_CLASS + ")").forEach(function (list) {
      list.querySelectorAll("li[data-code]").forEach(function (li) {
        if (li.getAttribute("data-code") !== "required") li.remove();
      });
      var item = list.closest(".item");
      var errorLeft = list.querySelector("li.issue-error");
      if (!list.querySelector("li")) {
        form.querySelectorAll('[aria-describedby~="' + list.id + '"]').forEach(function (el) {
          setDescribedBy(el, describedBy(el).filter(function (id) { return id !== list.id; }));
        });
        list.remove();
      }
      if (item && !errorLeft) {
        item.classList.remove("has-error");
        item.querySelectorAll(':scope > .input-row [aria-invalid="true"], ' +
                              ':scope > .table-wrap [aria-invalid="true"]').forEach(function (el) {
          el.removeAttribute("aria-invalid");
        });
      }
    });
  };

  Checker.prototype.reset = function () {
    this.marked.forEach(function (m) {
      if (m.invalid === null) m.el.removeAttribute("aria-invalid");
      else m.el.setAttribute("aria-invalid", m.invalid);
      if (m.describedby === null) m.el.removeAttribute("aria-describedby");
      else m.el.setAttribute("aria-describedby", m.describedby);
    });
    this.marked = [];
    this.lists.forEach(function (list) {
      var item = list.closest(".item");
      if (item) item.classList.remove("live-error", "live-warning");
      list.remove();
    });
    this.lists = [];
  };

  Checker.prototype.mark = function (el, listId, isError) {
    if (!this.marked.some(function (m) { return m.el === el; })) {
      this.marked.push({ el: el, invalid: el.getAttribute("aria-invalid"),
                         describedby: el.getAttribute("aria-describedby") });
    }
    if (isError) el.setAttribute("aria-invalid", "true");
    var ids = describedBy(el);
    if (ids.indexOf(listId) < 0) setDescribedBy(el, ids.concat([listId]));
  };

  Checker.prototype.listFor = function (key) {
    var item = document.getElementById("item-" + key);
    if (!item) return null;
    var id = "live-issues-" + key;
    var list = document.getElementById(id);
    if (list) return list;
    list = document.createElement("ul");
    list.className = "issues " + LIST_CLASS;
    list.id = id;
    // Right under the item's own input (not under its children, which have their own).
    var anchor = item.querySelector(":scope > .input-row, :scope > .table-wrap, :scope > .value");
    var after = anchor;
    while (after && after.nextElementSibling &&
           after.nextElementSibling.matches("ul.issues, [data-add-row], input[type=hidden]")) {
      after = after.nextElementSibling;
    }
    if (after) after.insertAdjacentElement("afterend", list);
    else item.appendChild(list);
    this.lists.push(list);
    return list;
  };

  Checker.prototype.show = function (answer) {
    var self = this, form = this.form;
    this.clearServerIssues();
    this.reset();
    (answer.issues || []).forEach(function (issue) {
      var isError = issue.severity === "error";
      issue.keys.forEach(function (key) {
        var list = self.listFor(key);
        if (!list) return;
        var li = document.createElement("li");
        li.className = "issue issue-" + issue.severity;
        li.setAttribute("data-code", issue.code);
        if (issue.rule) li.setAttribute("data-rule", issue.rule);
        var strong = document.createElement("strong");
        strong.textContent = isError ? "Lỗi:" : "Cảnh báo:";
        li.appendChild(strong);
        li.appendChild(document.createTextNode(" " + issue.message));
        list.appendChild(li);
        var item = list.closest(".item");
        if (item) item.classList.add(isError ? "live-error" : "live-warning");
        var names = issue.fields.filter(function (name) {
          return name === key || name.indexOf(key + "-") === 0;
        });
        names.forEach(function (name) {
          controls(form, name).forEach(function (el) { self.mark(el, list.id, isError); });
        });
      });
    });
    var values = answer.values || {};
    Object.keys(values).forEach(function (key) {  // the server's figures, not the preview's
      var el = form.elements.namedItem(key);
      if (el && el.readOnly) el.value = values[key];
    });
    this.updateSummary(answer);
    this.announce(answer);
    form.dispatchEvent(new CustomEvent("decuong:issues", {
      bubbles: true,
      detail: { errors: answer.errors || 0, warnings: answer.warnings || 0,
                items: answer.items || {} }
    }));
  };

  // The list at the top of a page shown after a refused submit: an entry the engine no longer
  // reports is gone (fixed); "required" entries stay until the next submit.
  Checker.prototype.updateSummary = function (answer) {
    var summary = document.getElementById("tom-tat");
    if (!summary) return;
    var current = {};
    (answer.issues || []).forEach(function (issue) { current[issue.message] = true; });
    summary.querySelectorAll("li[data-code]").forEach(function (li) {
      if (li.getAttribute("data-code") !== "required" && !current[li.textContent.trim()]) {
        li.remove();
      }
    });
    var errors = summary.querySelectorAll("li.issue-error").length;
    var warnings = summary.querySelectorAll("li.issue-warning").length;
    var counts = summary.querySelector("[data-summary-counts]");
    if (counts) {
      var text = errors ? errors + " lỗi phải sửa" : "";
      if (warnings) {
        text += (errors ? ", " : "") + warnings + " cảnh báo (vẫn nộp được)";
      }
      counts.textContent = text + ":";
    }
    summary.hidden = !errors && !warnings;
  };

  Checker.prototype.announce = function (answer) {
    var text = "";
    if (answer.errors || answer.warnings) {
      text = "Kiểm tra: " + (answer.errors || 0) + " lỗi, " + (answer.warnings || 0) +
             " cảnh báo cần xem lại.";
    }
    if (this.status.textContent !== text) this.status.textContent = text;
  };

  // Set up as soon as this deferred script runs (the page is parsed by then), before the
  // DOMContentLoaded handlers: fill-autosave.js restores typed values in one of them.
  function setup() {
    var form = document.getElementById("fill-form");
    if (!form || !form.getAttribute("data-check-url") || !window.fetch) return;
    var checker = new Checker(form);
    var leave = function (event) {
      var el = event.target;
      if (!el || !el.name || el.type === "file" || el.type === "submit") return;
      checker.schedule();
    };
    form.addEventListener("change", leave);
    form.addEventListener("focusout", leave);
    // Values put back by a script (fill-autosave.js restoring what was typed before, then
    // announcing it with an "input" event on the form itself) are checked as if just left.
    form.addEventListener("input", function (event) {
      if (event.target === form) checker.schedule();
    });
    form.decuongChecks = checker;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
