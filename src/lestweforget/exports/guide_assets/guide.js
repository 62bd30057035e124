/* Lest We Forget: the field guide's live "you are here" panel and its one-at-a-time reveal of graphic photos.
 *
 * Runs from file:// with no network and no libraries. Its data (site point, waypoints, translated labels) is the
 * JSON block <script type="application/json" id="guide-data"> in index.html. Nothing is kept in the browser
 * between visits, and the position never leaves the phone.
 *
 * Distance and initial bearing: Vincenty's inverse formula on the WGS84 ellipsoid (T. Vincenty, Survey Review
 * 23(176), 1975), good to well under a millimetre; for nearly antipodal points, where it may not converge, a
 * sphere of the mean Earth radius (haversine, within 0.5 %) stands in.
 *
 * Next waypoint: a waypoint counts as reached once a position fix comes within data.reached_m (30 m) of it.
 * Reaching one also counts every waypoint numbered before it as passed, so a visitor who skipped one is not sent
 * back; the next waypoint is the first one after the last reached. Nothing is remembered across page loads.
 *
 * Arrow: points up for "straight ahead". With a compass heading (deviceorientationabsolute, or
 * webkitCompassHeading on iPhones) it is turned by bearing - heading; without one it is turned by the bearing
 * alone and a note asks the visitor to hold the phone with its top towards north.
 */
(function () {
  "use strict";

  var WGS84_A = 6378137.0;
  var WGS84_F = 1 / 298.257223563;
  var WGS84_B = WGS84_A * (1 - WGS84_F);
  var MEAN_RADIUS_M = 6371008.8;
  var DIRECTION_KEYS = [
    "direction_n",
    "direction_ne",
    "direction_e",
    "direction_se",
    "direction_s",
    "direction_sw",
    "direction_w",
    "direction_nw",
  ];

  var data = JSON.parse(document.getElementById("guide-data").textContent);
  var labels = data.labels;

  function radians(degrees) {
    return (degrees * Math.PI) / 180;
  }

  function degrees(radiansValue) {
    return (radiansValue * 180) / Math.PI;
  }

  function normalise(bearing) {
    return ((bearing % 360) + 360) % 360;
  }

  function roundHalfUp(value) {
    return Math.floor(value + 0.5);
  }

  function fill(template, values) {
    return template.replace(/\{([a-z_]+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function onSphere(lat1, lon1, lat2, lon2) {
    var phi1 = radians(lat1);
    var phi2 = radians(lat2);
    var deltaPhi = phi2 - phi1;
    var deltaLambda = radians(lon2 - lon1);
    var h =
      Math.sin(deltaPhi / 2) * Math.sin(deltaPhi / 2) +
      Math.cos(phi1) * Math.cos(phi2) * Math.sin(deltaLambda / 2) * Math.sin(deltaLambda / 2);
    var distance = 2 * MEAN_RADIUS_M * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h));
    var y = Math.sin(deltaLambda) * Math.cos(phi2);
    var x = Math.cos(phi1) * Math.sin(phi2) - Math.sin(phi1) * Math.cos(phi2) * Math.cos(deltaLambda);
    return { distanceM: distance, bearingDeg: normalise(degrees(Math.atan2(y, x))) };
  }

  /* Distance in metres and initial bearing in degrees clockwise from true north, from point 1 to point 2. */
  function geodesic(lat1, lon1, lat2, lon2) {
    var L = radians(normalise(lon2 - lon1 + 180) - 180);
    var U1 = Math.atan((1 - WGS84_F) * Math.tan(radians(lat1)));
    var U2 = Math.atan((1 - WGS84_F) * Math.tan(radians(lat2)));
    var sinU1 = Math.sin(U1);
    var cosU1 = Math.cos(U1);
    var sinU2 = Math.sin(U2);
    var cosU2 = Math.cos(U2);
    var lambda = L;
    var previous;
    var iterations = 0;
    var sinLambda, cosLambda, sinSigma, cosSigma, sigma, sinAlpha, cosSqAlpha, cos2SigmaM, C;
    do {
      sinLambda = Math.sin(lambda);
      cosLambda = Math.cos(lambda);
      var t1 = cosU2 * sinLambda;
      var t2 = cosU1 * sinU2 - sinU1 * cosU2 * cosLambda;
      sinSigma = Math.sqrt(t1 * t1 + t2 * t2);
      if (sinSigma === 0) {
        return { distanceM: 0, bearingDeg: 0 };
      }
      cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda;
      sigma = Math.atan2(sinSigma, cosSigma);
      sinAlpha = (cosU1 * cosU2 * sinLambda) / sinSigma;
      cosSqAlpha = 1 - sinAlpha * sinAlpha;
      // On the equator cos²α is 0 and the term is undefined; its limit is 0.
      cos2SigmaM = cosSqAlpha !== 0 ? cosSigma - (2 * sinU1 * sinU2) / cosSqAlpha : 0;
      C = (WGS84_F / 16) * cosSqAlpha * (4 + WGS84_F * (4 - 3 * cosSqAlpha));
      previous = lambda;
      lambda =
        L +
        (1 - C) *
          WGS84_F *
          sinAlpha *
          (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)));
      iterations += 1;
    } while (Math.abs(lambda - previous) > 1e-12 && iterations < 200);
    if (iterations >= 200 || Math.abs(lambda) > Math.PI) {
      return onSphere(lat1, lon1, lat2, lon2);
    }
    var uSq = (cosSqAlpha * (WGS84_A * WGS84_A - WGS84_B * WGS84_B)) / (WGS84_B * WGS84_B);
    var A = 1 + (uSq / 16384) * (4096 + uSq * (-768 + uSq * (320 - 175 * uSq)));
    var B = (uSq / 1024) * (256 + uSq * (-128 + uSq * (74 - 47 * uSq)));
    var deltaSigma =
      B *
      sinSigma *
      (cos2SigmaM +
        (B / 4) *
          (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM) -
            (B / 6) * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)));
    var distance = WGS84_B * A * (sigma - deltaSigma);
    var bearing = Math.atan2(cosU2 * sinLambda, cosU1 * sinU2 - sinU1 * cosU2 * cosLambda);
    return { distanceM: distance, bearingDeg: normalise(degrees(bearing)) };
  }

  /* The same rules as format_distance in guide.py: "37 m", "850 m", "1.3 km", "23 km". */
  function formatDistance(metres) {
    if (metres < 100) {
      return fill(labels.metres, { n: roundHalfUp(metres) });
    }
    if (metres < 995) {
      return fill(labels.metres, { n: 10 * roundHalfUp(metres / 10) });
    }
    if (metres < 9950) {
      var tenths = roundHalfUp(metres / 100);
      return fill(labels.kilometres, {
        n: Math.floor(tenths / 10) + labels.decimal_separator + (tenths % 10),
      });
    }
    return fill(labels.kilometres, { n: roundHalfUp(metres / 1000) });
  }

  function compassWord(bearing) {
    return labels[DIRECTION_KEYS[roundHalfUp(normalise(bearing) / 45) % 8]];
  }

  window.LWFGuide = { geodesic: geodesic, formatDistance: formatDistance, compassWord: compassWord };

  var noScriptNote = document.getElementById("no-script");
  if (noScriptNote) {
    noScriptNote.hidden = true;
  }

  /* --- graphic photos: one at a time, on request, never remembered --- */

  Array.prototype.forEach.call(document.querySelectorAll("a.reveal"), function (link) {
    link.addEventListener("keydown", function (event) {
      // It is marked as a button, so the space bar presses it, as it would a button.
      if (event.key === " ") {
        event.preventDefault();
        link.click();
      }
    });
    link.addEventListener("click", function (event) {
      var figure = link.closest("figure");
      var image = figure ? figure.querySelector("img[data-src]") : null;
      if (!image) {
        return; // let the link open the image file itself
      }
      event.preventDefault();
      image.src = image.getAttribute("data-src");
      image.hidden = false;
      figure.classList.add("revealed");
      Array.prototype.forEach.call(figure.querySelectorAll(".veil, .print-only"), function (element) {
        element.hidden = true;
      });
    });
  });

  var printButton = document.getElementById("print-guide");
  if (printButton && typeof window.print === "function") {
    printButton.hidden = false;
    printButton.addEventListener("click", function () {
      window.print();
    });
  }

  /* --- the live panel --- */

  var panel = document.getElementById("live");
  if (!panel) {
    return;
  }
  var statusLine = document.getElementById("live-status");
  var startButton = document.getElementById("live-start");
  var compassButton = document.getElementById("live-compass");
  var siteTarget = document.getElementById("live-site");
  var atSiteLine = document.getElementById("live-at-site");
  var waypointTarget = document.getElementById("live-waypoint");
  var waypointsDone = document.getElementById("live-waypoints-done");
  var diaryChoice = document.getElementById("live-diary");
  var compassNote = document.getElementById("live-compass-note");
  var accuracyLine = document.getElementById("live-accuracy");
  var sketches = document.querySelectorAll("svg.sketch-map");

  var state = {
    fix: null,
    heading: null,
    watchId: null,
    diaryIndex: -1,
    reached: -1,
  };
  for (var index = 0; index < data.diaries.length; index += 1) {
    if (data.diaries[index].waypoints.length > 0) {
      state.diaryIndex = index;
      break;
    }
  }

  panel.hidden = false;

  function say(message) {
    statusLine.textContent = message;
    statusLine.hidden = !message;
  }

  function waypoints() {
    return state.diaryIndex >= 0 ? data.diaries[state.diaryIndex].waypoints : [];
  }

  function updateReached() {
    var list = waypoints();
    for (var i = list.length - 1; i > state.reached; i -= 1) {
      var away = geodesic(state.fix.latitude, state.fix.longitude, list[i].latitude, list[i].longitude);
      if (away.distanceM <= data.reached_m) {
        state.reached = i;
        return;
      }
    }
  }

  function showTarget(element, latitude, longitude) {
    var result = geodesic(state.fix.latitude, state.fix.longitude, latitude, longitude);
    var rotation = normalise(state.heading === null ? result.bearingDeg : result.bearingDeg - state.heading);
    element.querySelector(".live-distance").textContent = formatDistance(result.distanceM);
    element.querySelector(".live-direction").textContent =
      compassWord(result.bearingDeg) + " · " + (roundHalfUp(result.bearingDeg) % 360) + "°";
    var arrow = element.querySelector(".arrow");
    arrow.style.transform = "rotate(" + rotation.toFixed(1) + "deg)";
    arrow.setAttribute("data-rotation", rotation.toFixed(1));
    element.hidden = false;
    return result;
  }

  function placeOnSketches() {
    Array.prototype.forEach.call(sketches, function (svg) {
      var d = svg.dataset;
      var metresPerDegree = data.sketch_metres_per_degree;
      var scale = Number(d.scale);
      var x = Number(d.pad) + (state.fix.longitude - Number(d.left)) * Number(d.cosLat) * metresPerDegree * scale;
      var y = Number(d.pad) + (Number(d.top) - state.fix.latitude) * metresPerDegree * scale;
      var dot = svg.querySelector(".sketch-you");
      var inside = x >= 0 && y >= 0 && x <= Number(d.width) && y <= Number(d.height);
      dot.setAttribute("cx", x.toFixed(1));
      dot.setAttribute("cy", y.toFixed(1));
      dot.setAttribute("visibility", inside ? "visible" : "hidden");
    });
  }

  function render() {
    if (!state.fix) {
      return;
    }
    say("");
    var site = showTarget(siteTarget, data.site.latitude, data.site.longitude);
    var arrivedWithin = Math.max(data.site.uncertainty_m, data.reached_m);
    atSiteLine.hidden = site.distanceM > arrivedWithin;
    atSiteLine.textContent = fill(labels.at_site, { distance: formatDistance(arrivedWithin) });
    if (waypointTarget) {
      var list = waypoints();
      var next = list[state.reached + 1];
      if (next) {
        waypointTarget.querySelector(".live-name").textContent = next.number + ". " + next.name;
        showTarget(waypointTarget, next.latitude, next.longitude);
      } else {
        waypointTarget.hidden = true;
      }
      waypointsDone.hidden = Boolean(next) || list.length === 0;
    }
    compassNote.textContent = state.heading === null ? labels.compass_unavailable : labels.compass_active;
    compassNote.hidden = false;
    var accuracy = state.fix.accuracy;
    accuracyLine.hidden = !(typeof accuracy === "number" && isFinite(accuracy) && accuracy > 0);
    if (!accuracyLine.hidden) {
      accuracyLine.textContent = fill(labels.accuracy, { distance: formatDistance(accuracy) });
    }
    placeOnSketches();
  }

  function onPosition(position) {
    state.fix = {
      latitude: position.coords.latitude,
      longitude: position.coords.longitude,
      accuracy: position.coords.accuracy,
    };
    updateReached();
    render();
  }

  function stopWatching() {
    if (state.watchId !== null) {
      navigator.geolocation.clearWatch(state.watchId);
      state.watchId = null;
    }
  }

  function onPositionError(error) {
    if (error.code === 1) {
      // Permission denied: say so plainly; the rest of the guide does not depend on it.
      stopWatching();
      state.fix = null;
      siteTarget.hidden = true;
      atSiteLine.hidden = true;
      if (waypointTarget) {
        waypointTarget.hidden = true;
        waypointsDone.hidden = true;
      }
      compassNote.hidden = true;
      accuracyLine.hidden = true;
      startButton.hidden = false;
      say(labels.no_location);
    } else if (!state.fix) {
      say(labels.position_unavailable);
    }
  }

  function startWatching() {
    if (state.watchId !== null) {
      return;
    }
    if (!("geolocation" in navigator)) {
      say(labels.no_location);
      startButton.hidden = true;
      return;
    }
    startButton.hidden = true;
    say(labels.locating);
    state.watchId = navigator.geolocation.watchPosition(onPosition, onPositionError, {
      enableHighAccuracy: true,
      maximumAge: 10000,
      timeout: 60000,
    });
  }

  function screenAngle() {
    if (window.screen && window.screen.orientation && typeof window.screen.orientation.angle === "number") {
      return window.screen.orientation.angle;
    }
    return typeof window.orientation === "number" ? window.orientation : 0;
  }

  function onOrientation(event) {
    var heading = null;
    if (typeof event.webkitCompassHeading === "number" && isFinite(event.webkitCompassHeading)) {
      heading = event.webkitCompassHeading;
    } else if (event.absolute && typeof event.alpha === "number" && isFinite(event.alpha)) {
      // alpha turns counter-clockwise from north; a compass heading turns clockwise.
      heading = 360 - event.alpha;
    }
    if (heading === null) {
      return;
    }
    // The top of the screen, not of the device, is "ahead" when the phone is held sideways.
    state.heading = normalise(heading + screenAngle());
    compassButton.hidden = true;
    render();
  }

  function listenToCompass() {
    if ("ondeviceorientationabsolute" in window) {
      window.addEventListener("deviceorientationabsolute", onOrientation);
    } else {
      window.addEventListener("deviceorientation", onOrientation);
    }
  }

  // Some browsers (Safari on iPhones, recent Chromium) also offer a permission request, which must answer a
  // tap; where events come without it, the first heading hides the button again.
  var compassNeedsPermission =
    typeof window.DeviceOrientationEvent !== "undefined" &&
    typeof window.DeviceOrientationEvent.requestPermission === "function";

  function askForCompass() {
    window.DeviceOrientationEvent.requestPermission().then(
      function (answer) {
        compassButton.hidden = answer === "granted" || state.heading !== null;
      },
      function () {
        compassButton.hidden = state.heading !== null;
      }
    );
  }

  listenToCompass();
  if (compassNeedsPermission) {
    compassButton.hidden = false;
    compassButton.addEventListener("click", askForCompass);
  }

  startButton.addEventListener("click", function () {
    if (compassNeedsPermission && state.heading === null) {
      askForCompass();
    }
    startWatching();
  });

  if (diaryChoice) {
    diaryChoice.addEventListener("change", function () {
      state.diaryIndex = Number(diaryChoice.value);
      state.reached = -1;
      if (state.fix) {
        updateReached();
      }
      render();
    });
  }

  // Start at once where the visitor has already allowed location; otherwise wait for the button.
  if (navigator.permissions && typeof navigator.permissions.query === "function") {
    navigator.permissions.query({ name: "geolocation" }).then(
      function (permission) {
        if (permission.state === "granted") {
          startWatching();
        } else if (permission.state === "denied") {
          say(labels.no_location);
        }
      },
      function () {}
    );
  }
})();
