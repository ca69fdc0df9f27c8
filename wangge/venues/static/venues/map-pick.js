// A venue's place picked on a map: a click fills 纬度/经度 and moves the venue's dot. With a tile
// server configured the map shows it; without one, the street's other venues are drawn as
// labelled dots so that a place can still be picked beside its neighbours.
(function () {
  "use strict";
  const box = document.getElementById("venue-map");
  if (!box || !window.L) return;
  const lat = document.getElementById("id_latitude");
  const lng = document.getElementById("id_longitude");
  const pointsNode = document.getElementById("venue-points");
  const points = pointsNode ? JSON.parse(pointsNode.textContent) : [];
  const tiles = box.dataset.tiles;
  const map = L.map(box, { attributionControl: Boolean(tiles) });
  if (tiles) {
    L.tileLayer(tiles, { subdomains: "01234567", maxZoom: 18, attribution: box.dataset.attribution || "" }).addTo(map);
  }
  points.forEach(function (point) {
    L.circleMarker([point.lat, point.lng], { radius: 4, color: "#888", weight: 1 })
      .bindTooltip(point.name, { permanent: !tiles && points.length <= 40, direction: "right", className: "venue-dot" })
      .addTo(map);
  });
  // The venue itself: a filled dot (no marker image, so nothing depends on the icon's file name).
  let marker = null;
  function place(latlng) {
    lat.value = latlng.lat.toFixed(6);
    lng.value = latlng.lng.toFixed(6);
    if (marker) {
      marker.setLatLng(latlng);
    } else {
      marker = L.circleMarker(latlng, { radius: 9, color: "#c0392b", fillColor: "#e74c3c", fillOpacity: 0.9, weight: 2 }).addTo(map);
    }
  }
  const current = [parseFloat(lat.value), parseFloat(lng.value)];
  const around = points.map(function (p) { return [p.lat, p.lng]; });
  const placed = !isNaN(current[0]) && !isNaN(current[1]);
  if (placed) {
    place(L.latLng(current[0], current[1]));
    around.push(current);
  }
  if (around.length > 1) {
    map.fitBounds(around, { maxZoom: 17, padding: [20, 20] });
  } else if (placed) {
    map.setView(current, 16);
  } else {
    map.setView([parseFloat(box.dataset.centerLat), parseFloat(box.dataset.centerLng)], 14);
  }
  map.on("click", function (event) { place(event.latlng); });
  [lat, lng].forEach(function (input) {
    input.addEventListener("change", function () {
      const typed = [parseFloat(lat.value), parseFloat(lng.value)];
      if (!isNaN(typed[0]) && !isNaN(typed[1])) {
        place(L.latLng(typed[0], typed[1]));
        map.panTo(typed);
      }
    });
  });
})();
