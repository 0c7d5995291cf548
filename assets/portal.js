// The tip choice on the payment page, enhanced. The server computes every
// total exactly (decimal money) and puts it on each radio; this script only
// shows the one that matches the chosen tip and keeps ?tip= in the address,
// so a reload shows the same choice. Without JavaScript the "Update total"
// button submits the same ?tip= to the server.
(function () {
  "use strict";
  function show(radio) {
    var set = function (id, text) {
      var el = document.getElementById(id);
      if (el) { el.textContent = text; }
    };
    set("tip-amount", radio.dataset.tip);
    set("total", radio.dataset.total);
    set("pay-total", radio.dataset.total);
    var url = new URL(window.location.href);
    if (radio.value === "0") { url.searchParams.delete("tip"); } else { url.searchParams.set("tip", radio.value); }
    window.history.replaceState(null, "", url);
  }
  document.querySelectorAll('input[name="tip"]').forEach(function (radio) {
    radio.addEventListener("change", function () { show(radio); });
  });
}());
