/* Autosave for the fill page (issue 11; server side: webapp/autosave.py). Every change goes
   to a localStorage buffer at once and to …/autosave shortly after; a 409 shows the items
   that differ for the user to choose; any non-JSON answer counts as "not saved". */
(function () {
  "use strict";

  var form = document.getElementById("fill-form");
  if (!form || !form.getAttribute("data-autosave-url") || !window.fetch || !window.JSON) return;
  var url = form.getAttribute("data-autosave-url");
  var bufferKey = form.getAttribute("data-buffer-key");
  var status = document.getElementById("autosave-status");
  var panel = document.getElementById("xung-dot");
  var baseInput = form.querySelector('[data-token="base"]');
  var versionInput = form.querySelector('[data-token="version"]');
  var csrfInput = form.elements.namedItem("csrf_token");
  var TYPING_DELAY = 1500, LEAVE_DELAY = 300, MAX_RETRY = 60000;

  var changed = {};        // field names changed since the server last acknowledged them
  var timer = null, bufferTimer = null, retryDelay = 0;
  var inflight = false, queued = null, stopped = false, leaving = false, lastOpts = {};
  var conflictOpen = !!(panel && panel.querySelector("fieldset"));

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

  function asMap(pairs) {
    var map = {};
    pairs.forEach(function (p) { map[p[0]] = p[1]; });
    return map;
  }

  function choices() {
    if (!panel) return [];
    return Array.prototype.map.call(panel.querySelectorAll("input[type=radio]:checked"),
      function (el) { return [el.name, el.value]; });
  }

  function itemOf(name) { return name.split("-")[0]; }

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

  function bufferWrite(posted) {
    var names = Object.keys(changed);
    try {
      if (!names.length && !posted) { localStorage.removeItem(bufferKey); return; }
      localStorage.setItem(bufferKey, JSON.stringify({
        fields: fields(), changed: names, token: token(), at: Date.now(), posted: !!posted }));
    } catch (e) { /* private mode or full: the server save still runs */ }
  }

  function bufferSoon() {
    clearTimeout(bufferTimer);
    bufferTimer = setTimeout(function () { bufferWrite(false); }, 200);
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function when(ms) {
    var d = new Date(ms);
    return pad(d.getHours()) + ":" + pad(d.getMinutes()) + " " + pad(d.getDate()) + "/" +
      pad(d.getMonth() + 1) + "/" + d.getFullYear();
  }

  function restore() {
    var saved;
    try { saved = JSON.parse(localStorage.getItem(bufferKey) || "null"); } catch (e) { saved = null; }
    if (!saved || !saved.changed || !saved.changed.length) return false;
    var page = token();
    if (saved.posted && saved.token && page[0] > saved.token[0]) {
      localStorage.removeItem(bufferKey);  // the form was posted and a revision now holds it
      return false;
    }
    var values = asMap(saved.fields || []), now = asMap(fields()), items = {};
    saved.changed.forEach(function (name) {
      if (!tracked(name) || values[name] === now[name]) return;
      setField(name, values[name]);
      changed[name] = 1;
      if (!/-rows$/.test(name)) items[itemOf(name)] = 1;
    });
    var count = Object.keys(items).length;
    if (!count) { localStorage.removeItem(bufferKey); return false; }
    if (saved.token) setToken(saved.token);  // a newer version elsewhere shows as a conflict
    form.dispatchEvent(new Event("input"));  // computed previews (fill.js)
    var notice = document.createElement("p");
    notice.className = "autosave-restored";
    notice.id = "autosave-restored";
    notice.setAttribute("role", "status");
    notice.textContent = "Đã khôi phục " + count + " mục bạn nhập nhưng chưa lưu lúc " +
      when(saved.at) + ". Những mục này đang được lưu lại.";
    form.parentNode.insertBefore(notice, form);
    return true;
  }

  function say(text, kind) {
    if (!status) return;
    status.textContent = text;
    status.setAttribute("data-state", kind || "");
  }

  function schedule(delay, opts) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(function () { save(opts || {}); }, delay);
  }

  function retry(reason, told) {
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : 2000, MAX_RETRY);
    say("Chưa lưu được — sẽ thử lại" + (reason ? " (" + reason + ")" : "") + ". " +
        (told || "Những gì bạn gõ vẫn được giữ trong trình duyệt này."), "error");
    schedule(retryDelay, lastOpts);  // a failed "Lưu nháp" is retried as one
  }

  function save(opts) {
    if (inflight) {
      queued = { commit: opts.commit || !!(queued && queued.commit),
                 choices: opts.choices || (queued && queued.choices) };
      return;
    }
    if (conflictOpen && !opts.choices) {
      say("Chưa lưu: có mục khác với bản đã lưu ở nơi khác — hãy chọn bản giữ lại ở khung " +
          "«Báo cáo đã được lưu ở nơi khác» phía trên.", "conflict");
      return;
    }
    if (!opts.commit && !opts.choices && !Object.keys(changed).length) return;
    clearTimeout(timer);
    lastOpts = opts;
    var sent = fields();
    var body = { fields: sent.concat(opts.choices || []), token: token(),
                 commit: !!opts.commit };
    inflight = true;
    say("Đang lưu…", "saving");
    fetch(url, {
      method: "POST", credentials: "same-origin", redirect: "manual", cache: "no-store",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRFToken": csrfInput ? csrfInput.value : "" },
      body: JSON.stringify(body)
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.type === "opaqueredirect" || response.redirected || response.status === 401) {
        return { expired: true };
      }
      if (type.indexOf("application/json") < 0) return { status: response.status };
      return response.json().then(function (json) {
        return { status: response.status, json: json };
      });
    }).then(function (answer) {
      handle(answer, asMap(sent));
    }, function () {
      retry("không kết nối được máy chủ");
    }).then(function () {
      inflight = false;
      if (queued) { var next = queued; queued = null; save(next); }
    });
  }

  function handle(answer, sent) {
    var json = answer.json;
    if (answer.status === 400 && json && !json.state && json.message) {
      retry(null, json.message);  // the CSRF check: this page belongs to a session now gone
      return;
    }
    if (answer.expired || (answer.status === 400 && !json)) {
      retry("phiên đăng nhập đã hết hạn: hãy đăng nhập lại ở một thẻ khác rồi tải lại trang này");
      return;
    }
    if (!json) { retry("máy chủ trả lời " + (answer.status || "không rõ")); return; }
    if (json.token) setToken(json.token);
    if (answer.status === 200 && json.state === "saved") {
      retryDelay = 0;
      lastOpts = {};
      if (json.fields) applyFields(json.fields);
      var now = asMap(fields());
      Object.keys(changed).forEach(function (name) {
        if (now[name] === sent[name]) delete changed[name];
      });
      bufferWrite(false);
      var time = (json.saved_at || "").split(" ")[1] || "";
      var kept = (json.problems || []).length;
      say((json.revision ? json.message + " Lúc " + time + "." : "Đã lưu lúc " + time + ".") +
          (kept && !json.revision ? " " + kept + " giá trị chưa đọc được được giữ nguyên như " +
           "đã gõ; hãy sửa trước khi nộp." : ""), "saved");
      if (Object.keys(changed).length) schedule(TYPING_DELAY);
      return;
    }
    if (answer.status === 409 && json.state === "conflict") { showConflict(json); return; }
    if (answer.status === 409 && json.state === "retry") { retry(); return; }
    if (json.state === "locked" || json.state === "refused") {
      stopped = json.state === "locked";
      say("Chưa lưu: " + json.message + " Những gì bạn gõ vẫn được giữ trong trình duyệt này.",
          "error");
      return;
    }
    retry(json.message);
  }

  function applyFields(pairs) {
    var tables = {};
    pairs.forEach(function (p) { if (/-rows$/.test(p[0])) tables[p[0].slice(0, -5)] = 1; });
    Array.prototype.forEach.call(form.elements, function (el) {
      var m = /^([A-Za-z_]\w*)-\d+-/.exec(el.name || "");
      if (!m || !tables[m[1]]) return;
      if (el.type === "checkbox") el.checked = false; else el.value = "";
    });
    pairs.forEach(function (p) { setField(p[0], p[1]); });
    form.dispatchEvent(new Event("input"));
  }

  function element(tag, text, attrs) {
    var el = document.createElement(tag);
    if (text) el.textContent = text;
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    return el;
  }

  function choice(key, value, label, shown, checked) {
    var wrap = element("label");
    var radio = element("input", "", { type: "radio", name: "conflict-" + key, value: value });
    radio.checked = checked;
    wrap.appendChild(radio);
    wrap.appendChild(document.createTextNode(" " + label + ": "));
    wrap.appendChild(element("strong", shown));
    return wrap;
  }

  function showConflict(json) {
    if (!panel) { retry(); return; }
    var mineItems = {};
    Object.keys(changed).forEach(function (name) { mineItems[itemOf(name)] = 1; });
    panel.textContent = "";
    panel.appendChild(element("h2", "Báo cáo đã được lưu ở nơi khác: " + json.items.length +
      " mục khác với bản của bạn", { id: "xung-dot-tieu-de" }));
    panel.appendChild(element("p", "Bản kia là " + json.theirs + ". Với mỗi mục, hãy chọn bản " +
      "giữ lại rồi bấm «Lưu theo lựa chọn». Các ô bên dưới đang giữ bản của bạn; chưa có gì " +
      "bị ghi đè."));
    json.items.forEach(function (item) {
      var box = element("fieldset", "", { "class": "conflict-item", "data-conflict": item.key });
      var legend = element("legend");
      legend.appendChild(element("a", "Mục «" + item.ref + "»", { href: "#item-" + item.key }));
      box.appendChild(legend);
      var mine = !!mineItems[item.key];
      box.appendChild(choice(item.key, "mine", "Giữ bản của tôi", item.mine, mine));
      box.appendChild(choice(item.key, "theirs", "Lấy bản kia", item.theirs, !mine));
      panel.appendChild(box);
    });
    addResolveButton();
    panel.hidden = false;
    conflictOpen = true;
    say("Chưa lưu: " + json.items.length + " mục khác với bản đã lưu ở nơi khác — hãy chọn " +
        "bản giữ lại ở khung phía trên rồi bấm «Lưu theo lựa chọn».", "conflict");
  }

  function addResolveButton() {
    if (!panel || panel.querySelector("[data-resolve]")) return;
    var button = element("button", "Lưu theo lựa chọn",
                         { type: "button", "class": "primary", "data-resolve": "1" });
    button.addEventListener("click", function () { resolve(false); });
    panel.appendChild(button);
  }

  function resolve(commit) {
    Array.prototype.forEach.call(panel.querySelectorAll("input[type=radio]:checked"),
      function (el) { if (el.value === "theirs") changed[el.name.slice(9)] = 1; });
    var picked = choices();  // they travel with this one save
    conflictOpen = false;
    panel.hidden = true;
    panel.textContent = "";
    save({ choices: picked, commit: commit });
  }

  function onEdit(event, delay) {
    var el = event.target;
    if (!el || !tracked(el.name) || el.readOnly) return;
    changed[el.name] = 1;
    bufferSoon();
    schedule(delay);
  }

  form.addEventListener("input", function (event) { onEdit(event, TYPING_DELAY); });
  form.addEventListener("change", function (event) { onEdit(event, LEAVE_DELAY); });
  form.addEventListener("click", function (event) {
    var add = event.target.closest && event.target.closest("[data-add-row]");
    if (!add) return;
    setTimeout(function () {
      changed[add.getAttribute("data-add-row") + "-rows"] = 1;
      bufferSoon();
      schedule(TYPING_DELAY);
    }, 0);
  });
  form.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key !== "Enter" || !el || el.tagName !== "INPUT") return;
    if (el.type === "submit" || el.type === "button" || el.type === "file") return;
    event.preventDefault();  // no reload: save where the user is
    save({});
  });
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var files = Array.prototype.some.call(form.querySelectorAll("input[type=file]"),
      function (el) { return el.files && el.files.length; });
    if (submitter && submitter.value === "draft" && !files) {
      event.preventDefault();
      if (conflictOpen) { resolve(true); } else { save({ commit: true }); }
      return;
    }
    leaving = true;  // a plain POST carries everything; keep the buffer until it is answered
    bufferWrite(true);
    setTimeout(function () {  // stopped by another script (the pre-submit summary): still here
      if (event.defaultPrevented) { leaving = false; bufferWrite(false); }
    }, 0);
  });
  window.addEventListener("beforeunload", function (event) {
    if (leaving || (!Object.keys(changed).length && !inflight)) return;
    bufferWrite(false);
    event.preventDefault();
    event.returnValue = "";
  });
  window.addEventListener("online", function () { if (Object.keys(changed).length) save({}); });

  // After fill.js has set up its tables (both run at DOMContentLoaded, fill.js first), so
  // that restoring a row added while offline adds it the same way.
  document.addEventListener("DOMContentLoaded", function () {
    if (conflictOpen) addResolveButton();
    if (restore()) save({});
  });
})();
