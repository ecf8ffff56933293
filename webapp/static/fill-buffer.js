/* The browser buffer of a fill form (data-buffer-key: page, round, unit, account): every change
   is kept in localStorage at once, so a closed tab, a dropped connection or an ended session
   loses nothing. The unit's page pairs it with fill-autosave.js; the «nhập hộ» page has no
   server draft, so the buffer alone keeps the typing until a save is stored (on-behalf.js). A plain POST marks the buffer `posted`; it is dropped once a revision newer than its
   token is stored (data-buffer-stored, or the page's token; data-buffer-done on the page a
   stored «nhập hộ» lands on). See webapp/on_behalf.py. */
(function () {
  "use strict";

  function asMap(pairs) {
    var map = {};
    pairs.forEach(function (p) { map[p[0]] = p[1]; });
    return map;
  }

  function read(key) {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function forget(key) {
    try { localStorage.removeItem(key); } catch (e) { /* nothing was kept */ }
  }

  // A posted buffer whose form is now stored (a revision after its token): nothing left to keep.
  function stored(saved, upTo) {
    return !!(saved && saved.posted && saved.token && upTo > saved.token[0]);
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function when(ms) {
    var d = new Date(ms);
    return pad(d.getHours()) + ":" + pad(d.getMinutes()) + " " + pad(d.getDate()) + "/" +
      pad(d.getMonth() + 1) + "/" + d.getFullYear();
  }

  /* The buffer of `form`, which follows every edit; `edited(how)` is told of each after it is
     kept ("input" while typing, "change" on leaving a field, "rows" for a table's new row). */
  function attach(form, edited) {
    var key = form.getAttribute("data-buffer-key");
    var baseInput = form.querySelector('[data-token="base"]');
    var versionInput = form.querySelector('[data-token="version"]');
    var changed = {};  // field names to keep (see fill-autosave.js for when they are acknowledged)
    var timer = null;

    function tracked(name) {
      return name && name !== "csrf_token" && name !== "action" && name !== "base_revision" &&
        name !== "draft_version" && name.indexOf("evidence-") !== 0 &&
        name.indexOf("conflict-") !== 0;
    }

    function fields() {
      var out = [];
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!tracked(el.name) || el.disabled || el.readOnly) return;
        if (el.type === "file" || el.type === "submit" || el.type === "button") return;
        if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
        out.push([el.name, el.value]);
      });
      return out;
    }

    function ensureRows(table, rows) {  // as the user would: fill.js's "+ Thêm dòng"
      var button = form.querySelector('[data-add-row="' + table + '"]');
      var count = form.querySelector('[data-rows-for="' + table + '"]');
      for (var guard = 0; button && count && guard < 500 &&
           parseInt(count.value, 10) < rows; guard++) {
        button.click();
      }
    }

    function ensureRow(name) {
      var m = /^([A-Za-z_]\w*)-(\d+)-/.exec(name);
      if (m && !form.elements.namedItem(name)) ensureRows(m[1], parseInt(m[2], 10) + 1);
    }

    function setField(name, value) {
      ensureRow(name);
      var el = form.elements.namedItem(name);
      if (!el) return;
      if (el.type === "checkbox") {
        el.checked = value !== undefined;
        el.dispatchEvent(new Event("change", { bubbles: true }));
      } else if (el.type === "hidden" && /-rows$/.test(name)) {
        if (value !== undefined) ensureRows(name.slice(0, -5), parseInt(value, 10));
      } else {
        el.value = value === undefined ? "" : value;  // a RadioNodeList checks the matching radio
      }
    }

    function token() { return [parseInt(baseInput.value, 10), parseInt(versionInput.value, 10)]; }
    function setToken(t) { baseInput.value = String(t[0]); versionInput.value = String(t[1]); }

    function write(posted) {
      var names = Object.keys(changed);
      try {
        if (!names.length && !posted) { localStorage.removeItem(key); return; }
        localStorage.setItem(key, JSON.stringify({
          fields: fields(), changed: names, token: token(), at: Date.now(), posted: !!posted }));
      } catch (e) { /* private mode or full: nothing more this page can do */ }
    }

    function soon() {
      clearTimeout(timer);
      timer = setTimeout(function () { timer = null; write(false); }, 200);
    }

    function flush() {  // the page goes away with a write pending
      if (timer === null) return;
      clearTimeout(timer);
      timer = null;
      write(false);
    }

    function notice(count, at, after, discard) {
      var p = document.createElement("p");
      p.className = "autosave-restored";
      p.id = "autosave-restored";
      p.setAttribute("role", "status");
      p.textContent = "Đã khôi phục " + count + " mục bạn nhập nhưng chưa lưu lúc " + when(at) +
        ". " + after;
      if (discard) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "secondary";
        button.id = "buffer-discard";
        button.textContent = "Bỏ các mục đã khôi phục";
        button.addEventListener("click", discard);
        p.appendChild(document.createTextNode(" "));
        p.appendChild(button);
      }
      form.parentNode.insertBefore(p, form);
    }

    function discard() {  // the restored items are thrown away: the stored version, by GET
      clearTimeout(timer);
      timer = null;
      forget(key);
      window.location.assign(window.location.pathname);
    }

    /* Put the buffer's changed fields back; returns how many items it changed on the page.
       `keep`: the buffer stays whole even where the page already shows its values (a page
       re-shown after a refused POST holds them, but only the buffer outlives the tab). */
    function restore(opts) {
      var saved = read(key);
      if (!saved || !saved.changed || !saved.changed.length) return 0;
      var mark = form.getAttribute("data-buffer-stored");
      if (stored(saved, mark !== null ? parseInt(mark, 10) : token()[0])) {
        forget(key);
        return 0;
      }
      var values = asMap(saved.fields || []), now = asMap(fields()), items = {};
      saved.changed.forEach(function (name) {
        if (!tracked(name)) return;
        if (values[name] === now[name]) { if (opts.keep) changed[name] = 1; return; }
        setField(name, values[name]);
        changed[name] = 1;
        if (!/-rows$/.test(name)) items[name.split("-")[0]] = 1;
      });
      var count = Object.keys(items).length;
      if (!count) {  // the page holds it all already
        if (opts.keep) write(false); else forget(key);
        return 0;
      }
      var older = saved.token && String(saved.token) !== String(token());
      if (saved.token) setToken(saved.token);  // a newer version elsewhere: the save says so
      form.dispatchEvent(new Event("input"));  // computed previews (fill.js)
      notice(count, saved.at, opts.after + (older && opts.older ? " " + opts.older : ""),
             opts.discard && discard);
      if (opts.keep) write(false);
      return count;
    }

    /* A plain POST carries everything: keep the buffer, marked posted, until it is answered
       (the page it lands on removes it once stored). Another script stopping the submit (the
       pre-submit summary) leaves the page as it was. */
    function posting(event, onStopped) {
      clearTimeout(timer);
      timer = null;
      write(true);
      setTimeout(function () {
        if (event.defaultPrevented) { write(false); if (onStopped) onStopped(); }
      }, 0);
    }

    function onEdit(event) {
      var el = event.target;
      if (!el || !tracked(el.name) || el.readOnly) return;
      changed[el.name] = 1;
      soon();
      if (edited) edited(event.type);
    }

    form.addEventListener("input", onEdit);
    form.addEventListener("change", onEdit);
    form.addEventListener("click", function (event) {
      var add = event.target.closest && event.target.closest("[data-add-row]");
      if (!add) return;
      setTimeout(function () {
        changed[add.getAttribute("data-add-row") + "-rows"] = 1;
        soon();
        if (edited) edited("rows");
      }, 0);
    });

    return { changed: changed, tracked: tracked, fields: fields, asMap: asMap,
             setField: setField, token: token, setToken: setToken, write: write, soon: soon,
             flush: flush, restore: restore, posting: posting };
  }

  window.DecuongFillBuffer = { attach: attach };

  // The page a stored «nhập hộ» lands on: its buffer is done with.
  Array.prototype.forEach.call(document.querySelectorAll("[data-buffer-done]"), function (el) {
    var key = el.getAttribute("data-buffer-done");
    if (stored(read(key), parseInt(el.getAttribute("data-buffer-stored"), 10))) forget(key);
  });
})();
