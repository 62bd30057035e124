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

  function place(map, m) {
    var where = [m.lat, m.lon];
    L.circle(where, { radius: m.uncertainty_m, color: "#7a1f1f", weight: 1, fillOpacity: 0.12 }).addTo(map);
    var marker = L.circleMarker(where, { radius: 8, color: "#fff", weight: 2, fillColor: "#7a1f1f", fillOpacity: 1 });
    marker.addTo(map);
    var marker_el = marker.getElement && marker.getElement();
    if (marker_el) {
      marker_el.classList.add("site-marker");
      if (m.slug) { marker_el.setAttribute("data-slug", m.slug); }
    }
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
      var bounds = [];
      markers.forEach(function (m) {
        place(map, m).bindPopup(popupContent(m));
        bounds.push([m.lat, m.lon]);
      });
      if (bounds.length > 1) {
        map.fitBounds(bounds, { padding: [40, 40], maxZoom: 13 });
      } else if (bounds.length === 1) {
        map.setView(bounds[0], 12);
      } else {
        map.setView([49.0, 31.0], 5);
      }
      return map;
    },
    siteMap: function (elementId, dataId) {
      var m = readJSON(dataId);
      var map = baseMap(elementId);
      if (m) {
        place(map, m).bindTooltip(m.name);
        map.setView([m.lat, m.lon], 14);
      }
      return map;
    }
  };
})();
