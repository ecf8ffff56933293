/* Progressive enhancement for the fill page: live computed items, add/remove table rows,
   copy the reminder list. Everything works without this file; the server recomputes and
   validates on every save, so what is shown here is only a preview. */
(function () {
  "use strict";

  // --- the tiny evaluator (same semantics as forms/expr/evaluate.py: empty → no data) -----
  function isNum(v) { return typeof v === "number" && isFinite(v); }
  function ev(node, values) {
    switch (node[0]) {
      case "num": case "str": case "bool": return node[1];
      case "name": return values[node[1]] === undefined ? null : values[node[1]];
      case "col": return null;  // a whole column: only a column function reads it
      case "unary": {
        var v = ev(node[2], values);
        if (node[1] === "not") return typeof v === "boolean" ? !v : null;
        return isNum(v) ? (node[1] === "-" ? -v : v) : null;
      }
      case "bin": {
        var a = ev(node[2], values), b = ev(node[3], values);
        if (!isNum(a) || !isNum(b)) return null;
        if (node[1] === "+") return a + b;
        if (node[1] === "-") return a - b;
        if (node[1] === "*") return a * b;
        return b === 0 ? null : a / b;
      }
      case "cmp": {
        var x = ev(node[2], values), y = ev(node[3], values);
        if (x === null || y === null) return null;
        switch (node[1]) {
          case "=": return x === y; case "!=": return x !== y;
          case "<": return x < y; case "<=": return x <= y;
          case ">": return x > y; case ">=": return x >= y;
        }
        return null;
      }
      case "logic": {
        var p = ev(node[2], values), q = ev(node[3], values);
        var decisive = node[1] === "or";
        if (p === decisive || q === decisive) return decisive;
        if (typeof p !== "boolean" || typeof q !== "boolean") return null;
        return !decisive;
      }
      case "call": {
        var name = node[1], args = node[2];
        if (args.length === 1 && (args[0][0] === "col" ||
            (name === "count" && args[0][0] === "name"))) return columnCall(name, args[0], values);
        if (name === "count" || name === "avg" ||
            args.some(function (a) { return a[0] === "col"; })) return null;
        if (name === "if") {
          var c = ev(args[0], values);
          if (typeof c !== "boolean") return null;
          return ev(args[c ? 1 : 2], values);
        }
        var vals = args.map(function (n) { return ev(n, values); });
        if (name === "sum" || name === "min" || name === "max") {
          var present = vals.filter(function (v) { return v !== null; });
          if (!present.length || !present.every(isNum)) return null;
          if (name === "min") return Math.min.apply(null, present);
          if (name === "max") return Math.max.apply(null, present);
          return present.reduce(function (s, v) { return s + v; }, 0);
        }
        if (!vals.every(isNum)) return null;
        if (name === "abs") return Math.abs(vals[0]);
        if (name === "round") {
          var d = vals.length > 1 ? vals[1] : 0, f = Math.pow(10, d);
          return Math.sign(vals[0]) * Math.round(Math.abs(vals[0]) * f) / f;
        }
        return null;
      }
    }
    return null;
  }

  // Column functions (as forms/expr/columns.py): empty cells skipped; count never no data;
  // sum/min/max/avg of no value are no data.
  function isBlank(v) { return v === null || v === undefined || String(v).trim() === ""; }
  function columnCall(name, arg, values) {
    var rows = values[arg[1]];
    if (arg[0] === "name") {
      if (rows === null || rows === undefined) return 0;
      if (!Array.isArray(rows)) return null;
      return rows.filter(function (row) {
        return Object.keys(row).some(function (k) { return !isBlank(row[k]); });
      }).length;
    }
    var present = (Array.isArray(rows) ? rows : []).map(function (row) { return row[arg[2]]; })
      .filter(function (v) { return !isBlank(v); });
    if (name === "count") return present.length;
    if (!present.length || !present.every(isNum)) return null;
    if (name === "min") return Math.min.apply(null, present);
    if (name === "max") return Math.max.apply(null, present);
    var total = present.reduce(function (s, v) { return s + v; }, 0);
    if (name === "sum") return total;
    return name === "avg" ? total / present.length : null;
  }

  // A table's rows as the engine reads them: not marked for deletion, not blank in every typed
  // column; computed columns worked out in each row and written into their read-only cells.
  function readTable(form, key, table, numbers, numeric) {
    var count = form.querySelector('[data-rows-for="' + key + '"]');
    var n = count ? parseInt(count.value, 10) || 0 : 0;
    var rows = [];
    for (var i = 0; i < n; i++) {
      var prefix = key + "-" + i + "-";
      var del = form.elements.namedItem(prefix + "_delete");
      if (del && del.checked) continue;
      var row = {}, filled = false;
      Object.keys(table.columns).forEach(function (col) {
        if (table.computedKeys[col]) return;
        var el = form.elements.namedItem(prefix + col);
        var text = el && "value" in el ? el.value : "";
        var kind = table.columns[col];
        row[col] = numeric[kind] ? numbers.readNumber(text, kind, (table.specs || {})[col])
                                 : (isBlank(text) ? null : text);
        if (!isBlank(text)) filled = true;
      });
      table.computed.forEach(function (c) {
        var v = ev(c.expr, row);
        row[c.key] = isNum(v) ? numbers.roundHalfEven(v, c.decimals) : null;  // round_computed
        var el = form.elements.namedItem(prefix + c.key);
        if (el) el.value = filled ? numbers.formatFigure(row[c.key], c.decimals) : "";
      });
      if (filled) rows.push(row);
    }
    return rows;
  }

  function setupFormulas(form) {
    var spec;
    try { spec = JSON.parse(form.dataset.formulas || "{}"); } catch (e) { return; }
    // Vietnamese numbers (1.234,5) are read and written by numbers.js, the mirror of the
    // server's number kinds: a figure the server refuses ("1,234" for a count) is no data.
    var numbers = (window.decuong || {}).numbers;
    var tables = spec.tables || {};
    if (!numbers || (!(spec.computed || []).length && !Object.keys(tables).length)) return;
    var numeric = {};
    numbers.KINDS.forEach(function (kind) { numeric[kind] = true; });
    var specs = spec.specs || {};
    Object.keys(tables).forEach(function (key) {
      tables[key].computedKeys = {};
      tables[key].computed.forEach(function (c) { tables[key].computedKeys[c.key] = true; });
    });
    function recompute() {
      var values = {};
      Object.keys(tables).forEach(function (key) {
        values[key] = readTable(form, key, tables[key], numbers, numeric);
      });
      Object.keys(spec.kinds).forEach(function (key) {
        if (tables[key]) return;
        var el = form.elements.namedItem(key);
        if (!el || !("value" in el)) return;
        var kind = spec.kinds[key];
        values[key] = numeric[kind] ? numbers.readNumber(el.value, kind, specs[key])
                                    : (el.value || null);
      });
      (spec.computed || []).forEach(function (c) {
        var v = ev(c.expr, values);
        // As the engine (round_computed): a computed figure is rounded once, to the decimals
        // it is shown with, before later formulas read it.
        values[c.key] = isNum(v) ? numbers.roundHalfEven(v, c.decimals) : null;
        var el = form.elements.namedItem(c.key);
        if (el) {
          el.value = numbers.formatFigure(values[c.key], c.decimals);
        }
      });
    }
    form.addEventListener("input", recompute);
    recompute();
  }

  // --- tables: add a row in place, dim a row marked for deletion ------------------------------
  function setupTables(form) {
    form.querySelectorAll("[data-add-row]").forEach(function (button) {
      var key = button.getAttribute("data-add-row");
      button.addEventListener("click", function (event) {
        var table = form.querySelector('table[data-table="' + key + '"] tbody');
        var count = form.querySelector('[data-rows-for="' + key + '"]');
        if (!table || !count || !table.rows.length) return;
        event.preventDefault();
        var index = parseInt(count.value, 10);
        var last = table.rows[table.rows.length - 1];
        var row = last.cloneNode(true);
        var from = key + "-" + last.getAttribute("data-row") + "-";
        var to = key + "-" + index + "-";
        row.setAttribute("data-row", String(index));
        row.classList.remove("deleted");
        row.querySelectorAll("[name],[id],[for]").forEach(function (el) {
          ["name", "id", "for"].forEach(function (attr) {
            var v = el.getAttribute(attr);
            if (v && v.indexOf(from) === 0) el.setAttribute(attr, to + v.slice(from.length));
          });
          if (el.type === "checkbox") el.checked = false;
          else if (el.tagName === "SELECT") el.selectedIndex = 0;
          else if ("value" in el && el.type !== "hidden") el.value = "";
        });
        row.querySelectorAll(".sr-only").forEach(function (el) {
          el.textContent = el.textContent.replace(/\d+/, String(index + 1));
        });
        row.cells[0].textContent = String(index + 1);
        table.appendChild(row);
        count.value = String(index + 1);
        var first = row.querySelector("input:not([type=checkbox]),select,textarea");
        if (first) first.focus();
      });
    });
    form.addEventListener("change", function (event) {
      var el = event.target;
      if (el.type === "checkbox" && /-_delete$/.test(el.name)) {
        el.closest("tr").classList.toggle("deleted", el.checked);
      }
    });
  }

  function setupCopy() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.value).then(function () {
          button.textContent = "Đã sao chép";
        });
      });
    });
  }

  // The evaluator, for the differential test against the engine (tests/webapp/…tables…).
  window.decuong = window.decuong || {};
  window.decuong.expr = { evaluate: ev };

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("fill-form");
    if (form) { setupFormulas(form); setupTables(form); }
    setupCopy();
  });
})();
