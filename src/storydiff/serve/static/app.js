// storydiff web app: a job page follows its job until it ends, then shows the result; the compare
// form can take more articles. Only textContent is ever set: nothing from the server becomes markup.
(function () {
  "use strict";
  var job = document.getElementById("job");
  if (job && (job.dataset.status === "queued" || job.dataset.status === "running")) {
    var list = document.getElementById("job-progress");
    var status = job.querySelector(".status");
    var poll = function () {
      fetch("/api/jobs/" + encodeURIComponent(job.dataset.job), { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { setTimeout(poll, 3000); return; }
          if (data.status === "done" || data.status === "failed") { window.location.reload(); return; }
          if (status) { status.textContent = "(" + data.status + ")"; }
          if (list) {
            list.textContent = "";
            data.progress.slice(-8).forEach(function (line) {
              var li = document.createElement("li");
              li.textContent = line;
              list.appendChild(li);
            });
          }
          setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 800);
  }
  var add = document.getElementById("add-text");
  var texts = document.getElementById("texts");
  if (add && texts) {
    add.hidden = false;
    add.addEventListener("click", function () {
      var boxes = texts.querySelectorAll("fieldset.text-box");
      var last = boxes[boxes.length - 1];
      var copy = last.cloneNode(true);
      var n = boxes.length + 1;
      copy.querySelector("legend").textContent = "Article " + n;
      copy.querySelector("input").name = "outlet" + n;
      copy.querySelector("input").value = "";
      copy.querySelector("textarea").name = "text" + n;
      copy.querySelector("textarea").value = "";
      texts.appendChild(copy);
    });
  }
})();
