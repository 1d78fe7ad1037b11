// DealerDesk: the little behaviour htmx does not cover.
// Search-as-you-type keyboard navigation, closing the dropdown, auto-submitting selects.
(function () {
  "use strict";

  function suggestions(box) {
    return Array.from(box.querySelectorAll("[data-dd-suggestion]"));
  }

  function activate(box, index) {
    const items = suggestions(box);
    items.forEach((item, i) => item.classList.toggle("is-active", i === index));
    if (items[index]) items[index].scrollIntoView({ block: "nearest" });
    box.dataset.active = String(index);
  }

  document.addEventListener("keydown", function (event) {
    const input = event.target.closest && event.target.closest("[data-dd-search-input]");
    if (!input) return;
    const box = document.getElementById(input.getAttribute("hx-target").slice(1));
    const items = suggestions(box);
    const current = Number(box.dataset.active ?? -1);
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      activate(box, Math.min(current + 1, items.length - 1));
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault();
      activate(box, Math.max(current - 1, 0));
    } else if (event.key === "Enter" && current >= 0 && items[current]) {
      event.preventDefault();
      items[current].click();
    } else if (event.key === "Escape") {
      box.innerHTML = "";
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.matches(".dd-search-results")) event.target.dataset.active = "-1";
  });

  document.addEventListener("click", function (event) {
    document.querySelectorAll(".dd-search-results").forEach(function (box) {
      if (!box.parentElement.contains(event.target)) box.innerHTML = "";
    });
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-dd-autosubmit]")) event.target.form.requestSubmit();
  });
})();
