/* The site form's map: a click places the point, a drag moves it, and both write the form's latitude and longitude
 * inputs (named by the map's data attributes); typing in those inputs moves the marker. Loaded as a file (the
 * Content-Security-Policy allows no inline script); nothing from the page goes through innerHTML. Leaflet's own words
 * and the tiles' credit are in the page's language through atlas/map_words.js, as on the public maps. */
(function () {
  "use strict";
  var DECIMALS = 6;

  function readPoint(latInput, lonInput) {
    var lat = parseFloat(latInput.value);
    var lon = parseFloat(lonInput.value);
    if (!isFinite(lat) || !isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) { return null; }
    return L.latLng(lat, lon);
  }

  function picker(element) {
    var latInput = document.getElementById(element.getAttribute("data-latitude-input"));
    var lonInput = document.getElementById(element.getAttribute("data-longitude-input"));
    if (!latInput || !lonInput) { return; }
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.getAttribute("data-tile-url"), { maxZoom: 19, attribution: window.LWF.attribution() }).addTo(map);
    var marker = null;

    function write(latlng) {
      var wrapped = latlng.wrap();
      latInput.value = wrapped.lat.toFixed(DECIMALS);
      lonInput.value = wrapped.lng.toFixed(DECIMALS);
      element.setAttribute("data-placed", latInput.value + "," + lonInput.value);
    }

    function put(latlng) {
      if (marker === null) {
        marker = L.marker(latlng, { draggable: true, keyboard: true, title: element.getAttribute("aria-label") });
        marker.on("dragend", function () { write(marker.getLatLng()); });
        marker.addTo(map);
      } else {
        marker.setLatLng(latlng);
      }
    }

    var start = readPoint(latInput, lonInput);
    if (start) {
      map.setView(start, 15);
      put(start);
    } else {
      map.setView([48.5, 32.0], 5);
    }
    map.on("click", function (event) {
      put(event.latlng);
      write(event.latlng);
    });
    function typed() {
      var point = readPoint(latInput, lonInput);
      if (point) {
        put(point);
        map.panTo(point);
      }
    }
    latInput.addEventListener("change", typed);
    lonInput.addEventListener("change", typed);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".site-map-picker"), picker);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
