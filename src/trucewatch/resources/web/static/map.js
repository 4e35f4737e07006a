// The incidents map: Natural Earth country boundaries (vendored, no tile server) and the page's
// incidents, clustered, coloured by type and sized by the number of independent sources.
// Every text is set with textContent: nothing from a report is read as HTML.
(function () {
  "use strict";
  var box = document.getElementById("map");
  if (!box || !window.L) { return; }
  var points = JSON.parse(box.getAttribute("data-points") || "[]");
  if (!points.length) { return; }
  var colours = {
    "Battles": "#b2182b", "Explosions/Remote violence": "#ef8a62", "Violence against civilians": "#762a83",
    "Protests": "#1b7837", "Riots": "#5aae61", "Strategic developments": "#2166ac"
  };
  box.classList.add("on"); // shown only when it can be drawn: without JavaScript the page is the table
  var map = L.map(box, { worldCopyJump: true, attributionControl: true, minZoom: 1, maxZoom: 12 });
  map.attributionControl.addAttribution("Boundaries: Natural Earth");
  fetch("/static/vendor/world-atlas/countries-50m.json").then(function (r) { return r.json(); }).then(function (world) {
    L.geoJSON(topojson.feature(world, world.objects.countries), {
      style: { color: "#8a9aa9", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 }, interactive: false
    }).addTo(map).bringToBack();
  });
  var cluster = L.markerClusterGroup({ maxClusterRadius: 40 });
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lon], {
      radius: 4 + 3 * Math.sqrt(Math.max(1, p.corroboration)), color: "#222", weight: 1,
      fillColor: colours[p.type] || "#555", fillOpacity: 0.85
    });
    var card = document.createElement("div");
    var link = document.createElement("a");
    link.href = "/incidents/" + encodeURIComponent(p.id);
    link.textContent = (p.date || "undated") + " " + (p.place || "");
    link.dir = "auto";
    var sources = document.createElement("div");
    sources.textContent = (p.type || "") + "; " + p.corroboration + " source" + (p.corroboration === 1 ? "" : "s");
    card.appendChild(link);
    card.appendChild(sources);
    marker.bindPopup(card);
    cluster.addLayer(marker);
    bounds.push([p.lat, p.lon]);
  });
  map.addLayer(cluster);
  map.fitBounds(bounds, { maxZoom: 8, padding: [20, 20] });
  box.setAttribute("data-ready", "true");
})();
