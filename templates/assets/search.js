/*
 * search.js: the site search page (站内搜索). Reads the query from ?q=, asks the site's own Pagefind
 * index (pagefind/pagefind.js, built with the site by sitegen.site.search) and lists each result with its
 * title, column and date. Pagefind picks the index of the page's language (<html lang>), so a Chinese
 * page finds Chinese pages and an English page English ones.
 *
 * Every request goes to the site itself; no markup is taken from the index as HTML (the excerpt's
 * <mark> highlights are rebuilt as elements), so the Content-Security-Policy needs no exception for it.
 * The texts come from the form's data-* attributes, in the page's language.
 */
(function () {
  "use strict";

  var MAX_RESULTS = 50; // results shown (each loads one small fragment of the index)

  var form = document.getElementById("search-form");
  if (!form) {
    return;
  }
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var sitemap = document.getElementById("search-sitemap");
  var query = (new URLSearchParams(window.location.search).get("q") || "").trim();

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  // Pagefind's excerpt is HTML-escaped text with <mark> around the words found: keep exactly that.
  function excerpt(html) {
    var paragraph = element("p", "search-excerpt");
    var parsed = new DOMParser().parseFromString(html, "text/html").body; // inert: nothing runs or loads
    Array.prototype.forEach.call(parsed.childNodes, function (node) {
      if (node.nodeType === 1 && node.nodeName === "MARK") {
        paragraph.appendChild(element("mark", "", node.textContent));
      } else {
        paragraph.appendChild(document.createTextNode(node.textContent));
      }
    });
    return paragraph;
  }

  function result(data) {
    var item = element("li", "search-result");
    var heading = element("h2", "search-title");
    var link = element("a", "", (data.meta && data.meta.title) || data.url);
    link.href = data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var meta = element("p", "meta search-meta");
    if (data.meta && data.meta.column) {
      meta.appendChild(element("span", "search-column", form.dataset.column + data.meta.column));
    }
    if (data.meta && data.meta.date) {
      var when = element("span", "search-date", form.dataset.published);
      when.appendChild(element("time", "", data.meta.date));
      meta.appendChild(when);
    }
    item.appendChild(meta);
    if (data.excerpt) {
      item.appendChild(excerpt(data.excerpt));
    }
    return item;
  }

  function show(found, total) {
    list.textContent = "";
    found.forEach(function (data) {
      list.appendChild(result(data));
    });
    list.hidden = found.length === 0;
    sitemap.hidden = found.length > 0;
    status.textContent = fill(total ? form.dataset.found : form.dataset.none, { n: total, q: query });
    form.setAttribute("data-searched", "true");
  }

  function failed(error) {
    status.textContent = form.dataset.failed;
    sitemap.hidden = false;
    form.setAttribute("data-searched", "failed");
    if (window.console) {
      window.console.error("site search:", error);
    }
  }

  input.value = query;
  if (!query) {
    return;
  }
  status.textContent = form.dataset.loading;
  import(new URL(form.dataset.pagefind, window.location.href).href)
    .then(function (pagefind) {
      return pagefind.search(query);
    })
    .then(function (search) {
      var first = search.results.slice(0, MAX_RESULTS);
      return Promise.all(first.map(function (r) { return r.data(); })).then(function (found) {
        show(found, search.results.length);
      });
    })
    .catch(failed);
})();
