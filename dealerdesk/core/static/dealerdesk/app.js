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
    } else if (event.key === "Enter" && items.length && (current >= 0 || input.hasAttribute("data-dd-quick-add-input"))) {
      // In quick add, Enter takes the highlighted product, or the first one found.
      event.preventDefault();
      items[Math.max(current, 0)].click();
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
    // A "tick all" box ticks every checkbox named in its data-dd-tick-all.
    if (event.target.matches("[data-dd-tick-all]")) {
      const name = event.target.dataset.ddTickAll;
      document.querySelectorAll(`input[type=checkbox][name="${name}"]`).forEach(function (box) {
        box.checked = event.target.checked;
      });
    }
  });

  // Quick add: picking a suggestion fills the product and moves on to the quantity.
  document.addEventListener("click", function (event) {
    const option = event.target.closest("[data-pick-product]");
    if (!option) return;
    const form = option.closest("[data-dd-quick-add]");
    form.querySelector("[data-dd-product]").value = option.dataset.pickProduct;
    form.querySelector("[data-dd-quick-add-input]").value = option.dataset.code;
    const quantity = form.querySelector("[data-dd-quick-add-quantity]");
    const pack = option.dataset.pack || "1";
    if (!quantity.value || quantity.value === "1") quantity.value = pack;
    option.closest(".dd-search-results").innerHTML = "";
    quantity.focus();
    quantity.select();
  });

  document.addEventListener("input", function (event) {
    // Typing again in quick add forgets the product picked before.
    if (event.target.matches("[data-dd-quick-add-input]")) {
      event.target.form.querySelector("[data-dd-product]").value = "";
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    const form = event.detail.elt;
    if (form.matches && form.matches("[data-dd-quick-add]") && event.detail.successful) {
      form.querySelector("[data-dd-product]").value = "";
      form.querySelector("[data-dd-quick-add-quantity]").value = "1";
      const input = form.querySelector("[data-dd-quick-add-input]");
      input.value = "";
      input.focus();
    }
  });

  // Checkout: show the warehouse for pickup, the address for delivery.
  function syncDelivery(form) {
    const chosen = form.querySelector("input[name=delivery_method]:checked");
    const kind = chosen ? chosen.dataset.kind : "";
    form.querySelectorAll("[data-show-for]").forEach(function (block) {
      block.hidden = block.dataset.showFor !== kind;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.name === "delivery_method") syncDelivery(event.target.form);
  });
  document.addEventListener("DOMContentLoaded", function () {
    const checkout = document.getElementById("checkout-form");
    if (checkout) syncDelivery(checkout);
  });

  // A form that must be sent once (placing an order): a second click does nothing.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches("[data-dd-once]")) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button").forEach(function (button) { button.classList.add("disabled"); });
  });
})();
