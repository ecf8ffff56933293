/* Autosave for the fill page (issue 11; server side: webapp/autosave.py). Every change goes
   to the browser buffer at once (fill-buffer.js) and to …/autosave shortly after; a 409 shows
   the items that differ for the user to choose; any non-JSON answer counts as "not saved". */
(function () {
  "use strict";

  var form = document.getElementById("fill-form");
  if (!form || !form.getAttribute("data-autosave-url") || !window.fetch || !window.JSON ||
      !window.DecuongFillBuffer) return;
  var url = form.getAttribute("data-autosave-url");
  var buffer = window.DecuongFillBuffer.attach(form, function (how) {  // fill-buffer.js
    schedule(how === "change" ? LEAVE_DELAY : TYPING_DELAY);  // an edit, kept in the buffer
  });
  var status = document.getElementById("autosave-status");
  var panel = document.getElementById("xung-dot");
  var csrfInput = form.elements.namedItem("csrf_token");
  var TYPING_DELAY = 1500, LEAVE_DELAY = 300, MAX_RETRY = 60000;

  var changed = buffer.changed;  // field names changed since the server last acknowledged them
  var fields = buffer.fields, asMap = buffer.asMap, token = buffer.token;
  var timer = null, retryDelay = 0;
  var inflight = false, queued = null, stopped = false, leaving = false, lastOpts = {};
  var conflictOpen = !!(panel && panel.querySelector("fieldset"));

  function choices() {
    if (!panel) return [];
    return Array.prototype.map.call(panel.querySelectorAll("input[type=radio]:checked"),
      function (el) { return [el.name, el.value]; });
  }

  function itemOf(name) { return name.split("-")[0]; }

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
    if (json.token) buffer.setToken(json.token);
    if (answer.status === 200 && json.state === "saved") {
      retryDelay = 0;
      lastOpts = {};
      if (json.fields) applyFields(json.fields);
      var now = asMap(fields());
      Object.keys(changed).forEach(function (name) {
        if (now[name] === sent[name]) delete changed[name];
      });
      buffer.write(false);
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
    pairs.forEach(function (p) { buffer.setField(p[0], p[1]); });
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
    leaving = true;  // a plain POST carries everything; the buffer keeps it until answered
    buffer.posting(event, function () { leaving = false; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (leaving || (!Object.keys(changed).length && !inflight)) return;
    buffer.write(false);
    event.preventDefault();
    event.returnValue = "";
  });
  window.addEventListener("online", function () { if (Object.keys(changed).length) save({}); });

  // After fill.js has set up its tables (both run at DOMContentLoaded, fill.js first), so
  // that restoring a row added while offline adds it the same way.
  document.addEventListener("DOMContentLoaded", function () {
    if (conflictOpen) addResolveButton();
    if (buffer.restore({ after: "Những mục này đang được lưu lại." })) save({});
  });
})();
