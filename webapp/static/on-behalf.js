/* The «nhập hộ» page (coordinator/on_behalf.html, webapp/on_behalf.py): no server draft — the
   report's working draft is the unit's — so the browser buffer (fill-buffer.js, loaded first)
   alone keeps what the coordinator types, until a save of theirs is stored. */
(function () {
  "use strict";

  var form = document.getElementById("fill-form");
  if (!form || !window.DecuongFillBuffer || !window.JSON) return;
  var buffer = window.DecuongFillBuffer.attach(form);
  var note = document.getElementById("buffer-note");
  if (note) note.hidden = false;  // true only with this script running

  form.addEventListener("submit", function (event) { buffer.posting(event); });
  window.addEventListener("pagehide", buffer.flush);
  // After fill.js has set up its tables (both run at DOMContentLoaded, fill.js first).
  document.addEventListener("DOMContentLoaded", function () {
    buffer.restore({ keep: true, discard: true,
                     after: "Chúng mới được giữ trong trình duyệt này: hãy kiểm tra rồi bấm " +
                            "«Lưu nháp (nhập hộ)» hoặc «Nộp báo cáo thay đơn vị».",
                     older: "Báo cáo của đơn vị đã được lưu thêm sau khi bạn nhập, nên lần " +
                            "lưu này sẽ bị từ chối, không ghi đè: hãy xem báo cáo của đơn vị, " +
                            "rồi bấm «Bỏ các mục đã khôi phục» và nhập lại những gì vẫn cần." });
  });
})();
