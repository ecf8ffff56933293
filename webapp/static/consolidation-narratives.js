/* A narrative item's answers in place: the consolidated page shows the first few answers and a
   link to the item's own page (which works without this file); with it, the link and the
   pager's links fetch that page (loaded by the consolidated page only) and put its list where the preview was. */
(function () {
  "use strict";

  function load(block, href) {
    block.setAttribute("aria-busy", "true");
    fetch(href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.querySelector("#loi-van");
        if (!fresh) throw new Error("no list");
        var heading = block.querySelector(".narr-head");
        while (block.firstChild) block.removeChild(block.firstChild);
        if (heading) block.appendChild(heading);
        while (fresh.firstChild) block.appendChild(document.adoptNode(fresh.firstChild));
        block.removeAttribute("aria-busy");
        var list = block.querySelector("ol");
        if (list) { list.setAttribute("tabindex", "-1"); list.focus(); }
      })
      .catch(function () {
        window.location.href = href;  // the page itself still works
      });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-narratives-load], .narr .pager a");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey ||
        event.ctrlKey || event.shiftKey) return;
    var block = link.closest(".narr");
    if (!block) return;
    event.preventDefault();
    load(block, link.getAttribute("href"));
  });
})();
