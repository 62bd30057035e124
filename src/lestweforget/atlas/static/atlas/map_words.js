/* Leaflet's own words (zoom buttons, attribution, a popup's close button, a marker's alternative text) in the page's
 * language, for every map: the public pages' and the staff's site form. The page gives them as data-map-* attributes
 * (translated by Django, written once in atlas/map_words.html): on <body> on the public pages, on the map element on
 * the admin's form. English without them. Loaded right after leaflet.js, before any map is made. */
(function () {
  "use strict";
  var OSM_COPYRIGHT = "https://www.openstreetmap.org/copyright";
  var LIBRARY = "A JavaScript library for interactive maps";

  function mapWord(name, english) {
    var holder = document.querySelector("[data-map-" + name + "]");
    return (holder && holder.getAttribute("data-map-" + name)) || english;
  }

  // The page's own words for Leaflet's attribution and prefix, which Leaflet sets as HTML: escaped all the same.
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };
  function escaped(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }

  var englishPrefix = L.Control.Attribution.prototype.options.prefix;

  // Leaflet reads these defaults when a map makes its controls and markers, so they are set before any map is made.
  function localise() {
    L.Control.Zoom.prototype.options.zoomInTitle = mapWord("zoom-in", "Zoom in");
    L.Control.Zoom.prototype.options.zoomOutTitle = mapWord("zoom-out", "Zoom out");
    L.Marker.prototype.options.alt = mapWord("marker", "Marker");
    if (typeof englishPrefix === "string") {
      L.Control.Attribution.prototype.options.prefix = englishPrefix.replace(
        LIBRARY, escaped(mapWord("library", LIBRARY))
      );
    }
  }

  // Leaflet writes "Close popup" into every popup's close button, with no option to change it.
  L.Map.addInitHook(function () {
    this.on("popupopen", function (event) {
      var button = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (button) { button.setAttribute("aria-label", mapWord("close", "Close popup")); }
    });
  });

  // At the end of a public page's <body> the words are there already; in the admin's <head> they come with the form,
  // and this listener, added before any map script's, runs before those scripts make their maps.
  if (document.querySelector("[data-map-zoom-in]") || document.readyState !== "loading") {
    localise();
  } else {
    document.addEventListener("DOMContentLoaded", localise);
  }

  window.LWF = window.LWF || {};
  // The map tiles' credit in the page's language, as the HTML Leaflet's attribution option takes.
  window.LWF.attribution = function () {
    return "&copy; <a href=\"" + OSM_COPYRIGHT + "\">" +
      escaped(mapWord("osm-contributors", "OpenStreetMap contributors")) + "</a>";
  };
})();
