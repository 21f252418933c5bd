/* The compare page's behaviour. It reads its data from the JSON element and builds
   what it shows with textContent only: article text never becomes markup. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("provenance-data").textContent);
  var sources = document.getElementById("sources");
  var panel = document.getElementById("panel");
  var MARKS = ["hl", "hl-quote", "hl-item"];

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }
  function clear() {
    each(".hl, .hl-quote, .hl-item", function (el) {
      MARKS.forEach(function (mark) { el.classList.remove(mark); });
    });
  }
  function factEl(id) { return document.getElementById("f-" + id); }
  function visible(el, box) {
    var r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
    return r.top >= b.top && r.bottom <= b.bottom;
  }
  function reveal(el, box) {
    if (el && !visible(el, box)) { el.scrollIntoView({ block: "center", inline: "nearest" }); }
  }

  /* A brief line (or one of its citations): light up its source spans. */
  function showItem(item, facts, scroll) {
    clear();
    item.classList.add("hl-item");
    var quote = item.getAttribute("data-quote");
    var first = null;
    facts.forEach(function (id) {
      var el = factEl(id);
      if (!el) { return; }
      el.classList.add(id === quote ? "hl-quote" : "hl");
      if (!first || id === quote) { first = el; }
    });
    if (scroll) { reveal(first, sources); }
  }
  function itemFacts(item) {
    return (item.getAttribute("data-facts") || "").split(" ").filter(Boolean);
  }

  each(".item", function (item) {
    item.addEventListener("mouseenter", function () { showItem(item, itemFacts(item), true); });
    item.addEventListener("focus", function () { showItem(item, itemFacts(item), true); });
    item.addEventListener("click", function (event) {
      var cite = event.target.closest(".cite");
      if (cite) {
        event.preventDefault();
        showItem(item, cite.getAttribute("data-facts").split(" "), true);
      } else {
        showItem(item, itemFacts(item), true);
      }
    });
  });

  /* A source sentence: say where each audience used it, or why it left it out. */
  function line(parent, text) {
    var p = document.createElement("p");
    p.textContent = text;
    parent.appendChild(p);
    return p;
  }
  function goTo(itemId) {
    var item = document.getElementById(itemId);
    if (!item) { return; }
    showItem(item, itemFacts(item), false);
    reveal(item, item.closest(".column"));
  }
  function useButton(use) {
    var button = document.createElement("button");
    button.type = "button";
    var role = use[3] === "quoted" ? "quoted" : use[3] === "conflict" ? "a conflicting figure" : "reported too";
    button.textContent = use[2] + " (" + role + ")";
    button.addEventListener("click", function () { goTo(use[1]); });
    return button;
  }
  function openPanel() {
    panel.textContent = "";
    panel.hidden = false;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "close";
    close.textContent = "×";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", function () { panel.hidden = true; clear(); });
    panel.appendChild(close);
  }
  function explainFact(el) {
    var id = el.getAttribute("data-fact");
    var uses = data.uses[id] || [];
    var left = data.left[id] || {};
    clear();
    el.classList.add("hl-quote");
    openPanel();
    var by = el.getAttribute("data-by");
    line(panel, el.getAttribute("data-place") + (by ? " · used by " + by : " · used by no audience"));
    var list = document.createElement("ul");
    Object.keys(data.audiences).forEach(function (audience) {
      var li = document.createElement("li");
      li.setAttribute("data-audience", audience);
      li.appendChild(document.createTextNode(data.audiences[audience] + ": "));
      var mine = uses.filter(function (use) { return use[0] === audience; });
      mine.forEach(function (use) {
        li.appendChild(useButton(use));
        li.appendChild(document.createTextNode(" "));
        var item = document.getElementById(use[1]);
        if (item) { item.classList.add("hl-item"); reveal(item, item.closest(".column")); }
      });
      if (!mine.length) { li.appendChild(document.createTextNode("left out: " + (left[audience] || "not used"))); }
      list.appendChild(li);
    });
    panel.appendChild(list);
  }
  function explainFurniture(el) {
    clear();
    openPanel();
    line(panel, "Removed by the cleaner: " + el.getAttribute("data-note"));
  }

  sources.addEventListener("click", function (event) {
    var fact = event.target.closest(".fact");
    var furniture = event.target.closest(".furniture");
    if (fact) { explainFact(fact); } else if (furniture) { explainFurniture(furniture); }
  });
  sources.addEventListener("keydown", function (event) {
    var fact = event.target.closest(".fact");
    if (fact && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); explainFact(fact); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { panel.hidden = true; clear(); }
  });
})();
