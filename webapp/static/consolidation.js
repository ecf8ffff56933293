/* Consolidated page enhancements: sortable columns and copy buttons.

   Everything works without this file: the table arrives in the outline's order, grouped by
   unit kind, and the narratives are plain text to select. Sorting reorders the unit rows
   inside each kind group (subtotal rows stay under their group, the total stays last); units
   with no data for a column go last in both directions. */
(function () {
  "use strict";

  function sortKey(row, col) {
    if (col === "name") {
      var head = row.querySelector("th");
      return head ? head.textContent.trim().toLocaleLowerCase("vi") : null;
    }
    var cell = row.children[Number(col) + 1];
    if (!cell || cell.classList.contains("not-reported")) return null;
    // Cells hold Vietnamese numbers (1.234,5) and a verdict mark; yes/no and choices as words.
    var text = cell.textContent.trim().split(" ")[0];
    if (text === "" || text === "–") return null;
    if (text === "Có" || text === "✓") return 1;
    if (text === "Không") return 0;
    var value = Number(text.replace(/\./g, "").replace(",", "."));
    return isNaN(value) ? null : value;
  }

  function compare(a, b, dir) {
    if (a === null && b === null) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    var order = typeof a === "string" ? a.localeCompare(b, "vi") : a - b;
    return dir === "ascending" ? order : -order;
  }

  function sortTable(table, th) {
    var col = th.getAttribute("data-col");
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    table.querySelectorAll("thead th[aria-sort]").forEach(function (other) {
      other.setAttribute("aria-sort", "none");
    });
    th.setAttribute("aria-sort", dir);
    table.querySelectorAll("tbody.grp").forEach(function (body) {
      var rows = Array.prototype.slice.call(body.querySelectorAll("tr.unit"));
      var keyed = rows.map(function (row, i) { return [sortKey(row, col), i, row]; });
      keyed.sort(function (x, y) { return compare(x[0], y[0], dir) || x[1] - y[1]; });
      var anchor = body.querySelector("tr.subtotal");
      keyed.forEach(function (entry) { body.insertBefore(entry[2], anchor); });
    });
  }

  function setupSorting() {
    document.querySelectorAll("table[data-sortable]").forEach(function (table) {
      table.querySelectorAll("thead th[data-col]").forEach(function (th) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "sort";
        while (th.firstChild) button.appendChild(th.firstChild);
        button.setAttribute("aria-label", "Sắp xếp theo: " + button.textContent.trim());
        th.appendChild(button);
        button.addEventListener("click", function () { sortTable(table, th); });
      });
    });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain http on an office network: the old way still works there.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  function narrativeText(block) {
    // The item's heading, then "- Unit: answer" per unit: ready to paste into the report.
    var lines = [block.querySelector("h3").textContent.trim()];
    block.querySelectorAll("li").forEach(function (li) {
      lines.push("- " + li.querySelector("strong").textContent + ": " +
                 li.querySelector(".txt").textContent);
    });
    return lines.join("\n");
  }

  function setupCopy() {
    document.querySelectorAll(".narr [data-copy]").forEach(function (button) {
      var block = button.closest(".narr");
      if (!block.querySelector("li")) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        copyText(narrativeText(block)).then(function () {
          button.textContent = "Đã sao chép";
        }, function () {
          button.textContent = "Không sao chép được — hãy bôi đen để chép";
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupSorting();
    setupCopy();
  });
})();
