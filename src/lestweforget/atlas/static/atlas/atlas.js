/* Maps for the atlas and site pages. Markers come from JSON in the page, so they show with or without map tiles. */
(function () {
  "use strict";
  var TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  var ATTRIBUTION = "&copy; OpenStreetMap contributors";

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function baseMap(elementId) {
    var map = L.map(elementId, { scrollWheelZoom: false });
    L.tileLayer(TILE_URL, { maxZoom: 18, attribution: ATTRIBUTION }).addTo(map);
    return map;
  }

  function uncertainty(map, m) {
    L.circle([m.lat, m.lon], {
      radius: m.uncertainty_m, color: "#7a1f1f", weight: 1, fillOpacity: 0.12, interactive: false
    }).addTo(map);
  }

  function place(map, m) {
    var where = [m.lat, m.lon];
    var marker = L.circleMarker(where, {
      radius: 8, color: "#fff", weight: 2, fillColor: "#7a1f1f", fillOpacity: 1, className: "site-marker"
    });
    marker.addTo(map);
    // The map has its view by now, so the marker's SVG path exists and can carry the site's slug for tests and CSS.
    if (m.slug) { marker.getElement().setAttribute("data-slug", m.slug); }
    return marker;
  }

  function popupContent(m) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = m.url;
    link.textContent = m.name;
    var kind = document.createElement("div");
    kind.textContent = m.kind;
    box.appendChild(link);
    box.appendChild(kind);
    return box;
  }

  window.LWF = {
    atlasMap: function (elementId, dataId) {
      var markers = readJSON(dataId) || [];
      var map = baseMap(elementId);
      var bounds = markers.map(function (m) { return [m.lat, m.lon]; });
      if (bounds.length > 1) {
        map.fitBounds(bounds, { padding: [40, 40], maxZoom: 13 });
      } else if (bounds.length === 1) {
        map.setView(bounds[0], 12);
      } else {
        map.setView([49.0, 31.0], 5);
      }
      // Every circle goes below every marker, so a wide circle never hides another site's marker from a tap.
      markers.forEach(function (m) { uncertainty(map, m); });
      markers.forEach(function (m) { place(map, m).bindPopup(popupContent(m)); });
      return map;
    },
    siteMap: function (elementId, dataId) {
      var m = readJSON(dataId);
      var map = baseMap(elementId);
      if (m) {
        map.setView([m.lat, m.lon], 14);
        uncertainty(map, m);
        place(map, m).bindTooltip(m.name);
      }
      return map;
    }
  };
})();
