/* Maps for the site pages (the atlas page has register/explore.js). Markers come from JSON in the page, so they
 * show with or without map tiles.
 * Pages carry no script of their own (the Content-Security-Policy allows none): `start` below finds what to draw
 * from data attributes. Text from the records never goes through innerHTML: Leaflet sets a string tooltip, popup
 * or icon as HTML, so each gets a DOM node whose text is set with textContent. */
(function () {
  "use strict";
  var TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  // The tiles' credit in the page's language (atlas/map_words.js, loaded before this file, localises Leaflet).
  var ATTRIBUTION = window.LWF.attribution();

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
      radius: m.uncertainty_m, color: "#7a1f1f", weight: 1, fillOpacity: 0.12, interactive: false,
      className: "uncertainty-circle"
    }).addTo(map);
  }

  // The box holding a site's whole uncertainty circle: a view fitted to it never cuts the circle off.
  function circleBounds(m) {
    return L.latLng(m.lat, m.lon).toBounds(2 * Math.max(m.uncertainty_m || 0, 50));
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

  // A node holding `text` as text: handed to Leaflet, which would parse a string as HTML.
  function textNode(text, tag) {
    var node = document.createElement(tag || "span");
    node.textContent = text;
    return node;
  }

  var METRES_PER_DEGREE = 111320;
  var WEDGE_M = 40;
  var WEDGE_HALF_ANGLE = 30;

  // A point `metres` away from [lat, lon] towards `bearing` (degrees from north): flat-earth, fine for tens of metres.
  function towards(lat, lon, bearing, metres) {
    var rad = bearing * Math.PI / 180;
    return [
      lat + metres * Math.cos(rad) / METRES_PER_DEGREE,
      lon + metres * Math.sin(rad) / (METRES_PER_DEGREE * Math.cos(lat * Math.PI / 180))
    ];
  }

  function waypointIcon(number) {
    return L.divIcon({ className: "waypoint-marker", html: textNode(String(number)), iconSize: [26, 26] });
  }

  // One entry's mini-map: where the camera stood and, when the file says, the way it faced.
  function entryMap(entry, route) {
    var element = document.getElementById(entry.anchor + "-map");
    if (!element) { return null; }
    var map = L.map(element, {
      zoomControl: false, dragging: false, scrollWheelZoom: false, doubleClickZoom: false,
      boxZoom: false, keyboard: false, touchZoom: false
    });
    L.tileLayer(TILE_URL, { maxZoom: 19, attribution: ATTRIBUTION }).addTo(map);
    var camera = [entry.lat, entry.lon];
    map.setView(camera, 17);
    if (route.length > 1) {
      L.polyline(route, { color: "#7a1f1f", weight: 2, opacity: 0.35, interactive: false }).addTo(map);
    }
    if (entry.heading !== null && entry.heading !== undefined) {
      var wedge = [camera];
      for (var step = -WEDGE_HALF_ANGLE; step <= WEDGE_HALF_ANGLE; step += 10) {
        wedge.push(towards(entry.lat, entry.lon, entry.heading + step, WEDGE_M));
      }
      L.polygon(wedge, {
        color: "#1565c0", weight: 1, fillOpacity: 0.3, interactive: false, className: "camera-heading"
      }).addTo(map);
    }
    L.circleMarker(camera, {
      radius: 7, color: "#fff", weight: 2, fillColor: "#1565c0", fillOpacity: 1, className: "camera-marker"
    }).addTo(map);
    return map;
  }

  function withheldPhotos(root) {
    if (!root) { return; }
    // Each reveal loads that one photo and nothing else; nothing is stored, so no choice outlives the page.
    root.addEventListener("click", function (event) {
      var button = event.target.closest("button.reveal");
      if (!button || !root.contains(button)) { return; }
      var frame = button.closest(".photo-frame");
      var img = frame.querySelector("img[data-src]");
      if (!img) { return; }
      var link = document.createElement("a");
      link.href = img.getAttribute("data-full");
      img.src = img.getAttribute("data-src");
      img.removeAttribute("data-src");
      img.classList.remove("withheld");
      frame.insertBefore(link, img);
      link.appendChild(img);
      button.closest(".content-note").remove();
    });
  }

  var api = {
    // The map tiles, credited in the page's language; every map of the public pages uses this layer.
    tiles: function (maxZoom) { return L.tileLayer(TILE_URL, { maxZoom: maxZoom, attribution: ATTRIBUTION }); },
    // A diary's route and numbered waypoints on its map, and each entry's mini-map; `site` is the public marker.
    diaryMap: function (anchor, data, site) {
      var maps = [];
      var element = document.getElementById(anchor + "-map");
      if (element && data.route.length) {
        var map = baseMap(element.id);
        var bounds = data.route.slice();
        data.waypoints.forEach(function (w) { bounds.push([w.lat, w.lon]); });
        if (site) {
          uncertainty(map, site);
          bounds.push([site.lat, site.lon]);
        }
        map.fitBounds(bounds, { padding: [30, 30], maxZoom: 17 });
        L.polyline(data.route, { color: "#7a1f1f", weight: 4, opacity: 0.85, className: "diary-route" }).addTo(map);
        if (site) { place(map, site).bindTooltip(textNode(site.name)); }
        data.waypoints.forEach(function (w) {
          L.marker([w.lat, w.lon], { icon: waypointIcon(w.number), title: w.number + ". " + w.name, keyboard: true })
            .bindTooltip(textNode(w.number + ". " + w.name))
            .on("click", function () { location.hash = w.anchor; })
            .addTo(map);
        });
        maps.push(map);
      }
      data.entries.forEach(function (entry) {
        var mini = entryMap(entry, data.route);
        if (mini) { maps.push(mini); }
      });
      return maps;
    },
    diaryMaps: function (dataId, siteId) {
      var diaries = readJSON(dataId) || [];
      var site = readJSON(siteId);
      diaries.forEach(function (pair) { LWF.diaryMap(pair[0], pair[1], site); });
    },
    withheldPhotos: withheldPhotos,
    siteMap: function (elementId, dataId) {
      var m = readJSON(dataId);
      var map = baseMap(elementId);
      if (m) {
        map.fitBounds(circleBounds(m), { padding: [16, 16], maxZoom: 16 });
        uncertainty(map, m);
        place(map, m).bindTooltip(textNode(m.name));
      }
      return map;
    }
  };

  Object.keys(api).forEach(function (name) { window.LWF[name] = api[name]; });

  // What each page draws, named by its data attributes: a map element names the JSON block it is drawn from.
  function start() {
    var site = document.querySelector("[data-site-marker]");
    if (site) {
      var marker = site.getAttribute("data-site-marker");
      LWF.siteMap(site.id, marker);
      LWF.diaryMaps("diary-maps", marker);
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-withheld-photos]"), withheldPhotos);
  }

  start();
})();
