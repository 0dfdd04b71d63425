/* sitegen: text size, high contrast, senior mode (长者模式) and print, remembered across pages.
   Loaded in <head> (not deferred) so the saved preferences apply before the page paints. */
(function () {
  "use strict";
  var root = document.documentElement;
  var store = {
    get: function (key) { try { return window.localStorage.getItem(key); } catch (e) { return null; } },
    set: function (key, value) { try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ } }
  };
  var SIZES = ["small", "medium", "large"];

  function applySize(size) {
    SIZES.forEach(function (s) { root.classList.remove("size-" + s); });
    if (SIZES.indexOf(size) >= 0) { root.classList.add("size-" + size); }
  }
  function applyContrast(on) { root.classList.toggle("contrast", on); }
  // Senior mode is the checkbox #senior, which works without this script (site.css); here it is remembered.
  function applySenior(on) { root.classList.toggle("senior", on); }

  root.classList.add("js");
  applySize(store.get("sitegen-size") || "medium");
  applyContrast(store.get("sitegen-contrast") === "on");
  applySenior(store.get("sitegen-senior") === "on");

  function syncButtons() {
    var size = store.get("sitegen-size") || "medium";
    document.querySelectorAll("[data-size]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-size") === size));
    });
    document.querySelectorAll("[data-contrast]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(root.classList.contains("contrast")));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-size]").forEach(function (button) {
      button.addEventListener("click", function () {
        var size = button.getAttribute("data-size");
        store.set("sitegen-size", size);
        applySize(size);
        syncButtons();
      });
    });
    document.querySelectorAll("[data-contrast]").forEach(function (button) {
      button.addEventListener("click", function () {
        var on = !root.classList.contains("contrast");
        store.set("sitegen-contrast", on ? "on" : "off");
        applyContrast(on);
        syncButtons();
      });
    });
    document.querySelectorAll("[data-senior]").forEach(function (box) {
      box.checked = root.classList.contains("senior");
      box.addEventListener("change", function () {
        store.set("sitegen-senior", box.checked ? "on" : "off");
        applySenior(box.checked);
      });
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    // Column filters: choosing a unit or a group opens its sub-column (the links do the same without JS).
    document.querySelectorAll("select[data-navigate]").forEach(function (select) {
      select.addEventListener("change", function () { if (select.value) { window.location.href = select.value; } });
    });
    syncButtons();
  });
})();
