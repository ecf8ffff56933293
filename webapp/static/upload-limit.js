// Stops a form whose chosen files are larger than the server accepts in one request
// (data-max-upload-bytes on <body>, the server's upload cap) before anything is sent. The server
// would refuse it anyway — past the cap plus a small margin, waitress or nginx cut the
// connection, and the browser shows a network error instead of the page — and the form, with
// everything typed in it, would be gone. Here nothing leaves the page and the message says what
// to do.
(function () {
  "use strict";
  var limit = Number(document.body.getAttribute("data-max-upload-bytes") || 0);
  if (!limit) {
    return;
  }

  function megabytes(bytes) {  // Vietnamese style: 25,3
    return String(Math.round(bytes / 104857.6) / 10).replace(".", ",");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) {
      return;
    }
    var total = 0;
    form.querySelectorAll('input[type="file"]').forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) {
        total += file.size;
      });
    });
    var previous = form.querySelector(".upload-limit-error");
    if (previous) {
      previous.remove();
    }
    if (total <= limit) {
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    var message = document.createElement("p");
    message.className = "flash flash-error upload-limit-error";
    message.setAttribute("role", "alert");
    message.textContent = "Các tệp đã chọn có tổng dung lượng " + megabytes(total) +
      " MB, vượt quá giới hạn " + megabytes(limit) + " MB mỗi lần gửi, nên chưa có gì được " +
      "gửi đi; nội dung đã nhập vẫn còn trên trang. Hãy bỏ bớt tệp hoặc giảm dung lượng tệp " +
      "(ví dụ quét tài liệu ở độ phân giải thấp hơn) rồi gửi lại.";
    form.insertBefore(message, form.firstChild);
    message.scrollIntoView({block: "center"});
  }, true);
}());
