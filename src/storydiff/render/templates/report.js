(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("storydiff-data").textContent);
  var byId = {};
  data.facts.forEach(function (f) { byId[f.id] = f; });
  var panel = document.getElementById("fact-panel");
  var labels = { shared: "reported by all", partial: "reported by some", unique: "reported by one outlet only" };

  function clear() {
    document.querySelectorAll(".active").forEach(function (el) { el.classList.remove("active"); });
  }
  function item(list, mention, prefix) {
    var li = document.createElement("li");
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = (prefix || "") + data.labels[mention.article] + ":";
    var text = document.createElement("span");
    text.textContent = mention.text;
    var score = document.createElement("span");
    score.className = "score";
    score.textContent = "(" + mention.score.toFixed(2) + ")";
    li.appendChild(who); li.appendChild(text); li.appendChild(score);
    list.appendChild(li);
  }
  function show(id) {
    var fact = byId[id];
    if (!fact) { return; }
    clear();
    document.querySelectorAll('[data-fact="' + id + '"]').forEach(function (el) { el.classList.add("active"); });
    document.querySelectorAll(".column").forEach(function (column) {
      var first = column.querySelector('mark[data-fact="' + id + '"]');
      if (first) { column.scrollTop = first.offsetTop - column.offsetTop - 60; }
    });
    document.getElementById("fact-title").textContent = fact.id + ": " + labels[fact.status] +
      (fact.score === null ? "" : " (link score " + fact.score.toFixed(2) + ")");
    var list = document.getElementById("fact-mentions");
    list.textContent = "";
    fact.mentions.forEach(function (m) { item(list, m); });
    var possible = document.getElementById("fact-possible");
    possible.textContent = "";
    if (fact.swaps.length) {
      var swaps = document.createElement("p");
      swaps.textContent = "Word swaps: " + fact.swaps.map(function (w) {
        return w[0] + " “" + w[1] + "” / " + w[2] + " “" + w[3] + "”";
      }).join("; ");
      possible.appendChild(swaps);
    }
    if (fact.sources.length) {
      var rests = document.createElement("p");
      rests.textContent = "Rests on: " + fact.sources.join(", ") + (fact.unnamed_only ? " (unnamed sources only)" : "");
      possible.appendChild(rests);
    }
    if (fact.possible.length) {
      var note = document.createElement("p");
      note.textContent = "Possible counterparts, below the threshold (check before relying on them):";
      possible.appendChild(note);
      var plist = document.createElement("ul");
      fact.possible.forEach(function (m) { item(plist, m, "? "); });
      possible.appendChild(plist);
    }
    panel.hidden = false;
  }
  function activate(event) {
    var target = event.target.closest("[data-fact]");
    if (!target) { return; }
    if (event.type === "keydown" && event.key !== "Enter" && event.key !== " ") { return; }
    event.preventDefault();
    show(target.getAttribute("data-fact"));
  }
  document.addEventListener("click", activate);
  document.addEventListener("keydown", activate);
  document.getElementById("fact-close").addEventListener("click", function () { panel.hidden = true; clear(); });
})();
