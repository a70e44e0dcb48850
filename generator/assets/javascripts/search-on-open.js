/* Holds back the search index until a reader opens search.
 *
 * The theme (mkdocs-material 9.8) requests search/search_index.json with an XMLHttpRequest as
 * soon as its bundle runs, and hands it to its search worker; on a phone that is the
 * biggest download of a first visit, for a reader who may never search. The request is
 * opened as usual, and sent only when the reader opens search (the header's search toggle,
 * its keyboard shortcut, or focus in the search field), or at once when the address asks for
 * highlighted search terms (?h=). This script is loaded just before the theme's bundle
 * (docs/overrides/main.html, block scripts), so the theme's own code and files stay as shipped;
 * on a theme upgrade, tests/browser/test_browser_weight.py checks that it still works. */
(function () {
  "use strict";
  var Request = window.XMLHttpRequest;
  if (!Request || !Request.prototype) return;
  var open = Request.prototype.open;
  var send = Request.prototype.send;
  var held = [];
  var released = /[?&]h=/.test(location.search);
  function release() {
    if (released) return;
    released = true;
    held.splice(0).forEach(function (item) { send.apply(item.request, item.args); });
  }
  Request.prototype.open = function (method, url) {
    this.__scSearchIndex = /(^|\/)search\/search_index\.json($|[?#])/.test(String(url));
    return open.apply(this, arguments);
  };
  Request.prototype.send = function () {
    if (this.__scSearchIndex && !released) {
      held.push({ request: this, args: arguments });
      return undefined;
    }
    return send.apply(this, arguments);
  };
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search" && event.target.checked) release();
  }, true);
  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.matches && event.target.matches(".md-search__input")) release();
  }, true);
  window.scorecardSearchIndexHeld = function () { return !released; };
})();
