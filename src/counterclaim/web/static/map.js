/* The map page: Natural Earth boundaries as a GeoJSON layer and one circle marker per place (Leaflet). */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var L = window.L;
  var colours = {};
  try { colours = JSON.parse(el.getAttribute("data-colours") || "{}"); } catch (e) { colours = {}; }
  var map = L.map(el, {worldCopyJump: true, zoomSnap: 0.5}).setView([46, 40], 4);
  map.attributionControl.setPrefix('<a href="/about">Leaflet</a>');
  var tiles = el.getAttribute("data-tiles");
  if (tiles) {
    L.tileLayer(tiles, {maxZoom: 18, attribution: "Tiles: " + new URL(tiles.split("{")[0], window.location.href).host}).addTo(map);
  }
  fetch(el.getAttribute("data-boundaries")).then(function (r) { return r.json(); }).then(function (gj) {
    var layer = L.geoJSON(gj, {
      attribution: el.getAttribute("data-attribution"),
      style: {color: "#8a8a8a", weight: 1, fillColor: tiles ? "#000000" : "#f3efe6", fillOpacity: tiles ? 0 : 1},
      interactive: false
    }).addTo(map);
    layer.bringToBack();
    el.setAttribute("data-boundaries-loaded", String(gj.features.length));
  }).catch(function () { el.setAttribute("data-boundaries-loaded", "error"); });
  fetch(el.getAttribute("data-places")).then(function (r) { return r.json(); }).then(function (data) {
    var bounds = [];
    (data.places || []).forEach(function (p) {
      var colour = colours[p.top_metric] || "#7f7f7f";
      var m = L.circleMarker([p.lat, p.lon], {
        radius: Math.min(4 + 3 * Math.sqrt(p.count), 32), color: "#222", weight: 1,
        fillColor: colour, fillOpacity: 0.75, className: "place-marker"
      });
      var box = document.createElement("div");
      var title = document.createElement("strong");
      title.textContent = p.place;
      box.appendChild(title);
      var list = document.createElement("ul");
      Object.keys(p.metrics).sort().forEach(function (k) {
        var li = document.createElement("li");
        li.textContent = k + ": " + p.metrics[k];
        list.appendChild(li);
      });
      box.appendChild(list);
      var a = document.createElement("a");
      var q = new URLSearchParams(new URL(el.getAttribute("data-places"), window.location.href).search);
      q.set("place", p.place);
      a.href = "/claims?" + q.toString();
      a.textContent = p.count + " claim(s) →";
      box.appendChild(a);
      m.bindPopup(box);
      m.bindTooltip(p.place + ": " + p.count);
      m.addTo(map);
      bounds.push([p.lat, p.lon]);
    });
    if (bounds.length) { map.fitBounds(bounds, {padding: [40, 40], maxZoom: 8}); }
    el.setAttribute("data-markers", String(bounds.length));
  }).catch(function () { el.setAttribute("data-markers", "error"); });
}());
