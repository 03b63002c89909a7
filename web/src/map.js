// The map: Natural Earth country borders drawn from TopoJSON (offline), an optional tile layer,
// the events as markers coloured by category and sized by counts, clustered when zoomed out, or,
// when the view holds too many events to fetch, the server's grid cells (a count per cell,
// coloured by its commonest category); the areas of open alerts as boxes around their events,
// coloured by concern; the names of the places once zoomed in far enough to read them.
import L from "./leaflet-global.js";
import "leaflet.markercluster";
import { feature } from "topojson-client";
import { alertBounds, alertPlace } from "./alerts.js";
import { colour } from "./categories.js";
import { concernColour, concernLabel } from "./concerns.js";
import { escapeHtml } from "./text.js";

const WORLD = { center: [20, 20], zoom: 2 };
// From this zoom on (about a region), each place with events is named on the map.
export const LABEL_ZOOM = 7;
// From this zoom on, every event has its own marker: no clusters.
const UNCLUSTERED_ZOOM = 9;
// Markers are added to the clusters this many at a time, the page staying responsive between.
const CHUNK = 500;

// Rings that cross the antimeridian jump by ~360 degrees; keep them continuous instead, so
// Leaflet does not draw bands across the map. Antarctica (ISO numeric 010) is left out.
function unwrapRing(ring) {
  let shift = 0;
  return ring.map(([lon, lat], i) => {
    if (i > 0) {
      const previous = ring[i - 1][0];
      if (lon - previous > 180) shift -= 360;
      else if (previous - lon > 180) shift += 360;
    }
    return [lon + shift, lat];
  });
}

function unwrap(country) {
  const g = country.geometry;
  if (!g) return country;
  const polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  const fixed = polygons.map((polygon) => polygon.map(unwrapRing));
  return { ...country, geometry: { type: "MultiPolygon", coordinates: fixed } };
}

// The view as the API's bbox (west,south,east,north within -180..180 and -90..90; west > east
// across the antimeridian) and its whole zoom level. The box is widened to the edges of the
// zoom's grid cells (90 / 2^zoom degrees, as tocsin.api.grid), which the server answers from
// its stored cell counts.
export function viewBox(map) {
  const zoom = Math.max(0, Math.round(map.getZoom()));
  const size = 90 / 2 ** zoom;
  const b = map.getBounds();
  const south = Math.max(-90, Math.floor((b.getSouth() + 90) / size) * size - 90);
  const north = Math.min(90, Math.ceil((b.getNorth() + 90) / size) * size - 90);
  let west = Math.floor((b.getWest() + 180) / size) * size - 180;
  let east = Math.ceil((b.getEast() + 180) / size) * size - 180;
  if (east - west >= 360) {
    west = -180;
    east = 180;
  } else {
    const wrap = (lon) => ((((lon + 180) % 360) + 360) % 360) - 180;
    west = wrap(west);
    east = wrap(east);
    if (east === -180) east = 180;
  }
  return { bbox: [west, south, east, north].join(","), zoom };
}

function cellSize(count) {
  return Math.round(Math.min(54, 20 + 8 * Math.log10(count)));
}

function shortCount(n) {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

// The commonest category of a cell, the first by name among equals.
function dominant(types) {
  let best = null;
  for (const [kind, n] of Object.entries(types)) if (!best || n > types[best] || (n === types[best] && kind < best)) best = kind;
  return best;
}

function markerSize(props) {
  const people = (props.killed || 0) + (props.injured || 0) + (props.displaced || 0) / 20;
  return Math.round(Math.min(30, 10 + 4 * Math.sqrt(people)));
}

export function createMap(element, config, { onSelect, onMove }) {
  const map = L.map(element, { worldCopyJump: true, minZoom: 2, maxZoom: 14, preferCanvas: false });
  map.setView(WORLD.center, WORLD.zoom);
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { attribution: config.tile_attribution || "", maxZoom: 19 }).addTo(map);
  }
  map.attributionControl.addAttribution("Borders: Natural Earth");
  const borders = L.geoJSON(null, { style: { className: "country", fillOpacity: 1, opacity: 1, weight: 0.6 }, interactive: false }).addTo(map);
  fetch("countries-50m.json")
    .then((r) => r.json())
    .then((topology) => {
      const countries = feature(topology, topology.objects.countries).features;
      borders.addData(countries.filter((c) => c.id !== "010").map(unwrap));
      borders.bringToBack();
    })
    .catch(() => {});

  const clusters = L.markerClusterGroup({
    maxClusterRadius: 40, disableClusteringAtZoom: UNCLUSTERED_ZOOM, showCoverageOnHover: false,
  });
  map.addLayer(clusters);
  const markers = new Map();
  let selected = null;
  const cells = L.layerGroup().addTo(map);

  map.on("moveend", () => onMove(map));

  // Place names: one label per place, in a pane under the markers, never catching clicks.
  map.createPane("labels").style.zIndex = 550;
  const labels = L.layerGroup();
  function showLabels() {
    const wanted = map.getZoom() >= LABEL_ZOOM;
    if (wanted && !map.hasLayer(labels)) labels.addTo(map);
    else if (!wanted && map.hasLayer(labels)) labels.remove();
  }
  map.on("zoomend", showLabels);

  // Each label starts just right of the largest marker at its place.
  function setLabels(features) {
    labels.clearLayers();
    const places = new Map();
    for (const f of features) {
      const name = f.properties.location;
      if (!f.geometry || !name) continue;
      const [lon, lat] = f.geometry.coordinates;
      const key = `${name}|${lat.toFixed(3)}|${lon.toFixed(3)}`;
      const size = Math.max(places.get(key)?.size || 0, markerSize(f.properties));
      places.set(key, { name, lat, lon, size });
    }
    for (const { name, lat, lon, size } of places.values()) {
      const icon = L.divIcon({
        className: "place-label", html: escapeHtml(name), iconSize: null, iconAnchor: [-(size / 2 + 3), 8],
      });
      labels.addLayer(L.marker([lat, lon], { icon, pane: "labels", interactive: false, keyboard: false }));
    }
    showLabels();
  }

  // Each new set of events supersedes the one before, with whatever of it is still being added.
  // Each resolves its promise once all its markers are on the map (or a newer set replaced it).
  let drawing = 0;
  function addInChunks(layers, mine, done) {
    if (mine !== drawing) return done();
    clusters.addLayers(layers.slice(0, CHUNK));
    highlight(selected);
    if (layers.length > CHUNK) setTimeout(() => addInChunks(layers.slice(CHUNK), mine, done), 0);
    else done();
  }

  function setEvents(features) {
    const mine = ++drawing;
    cells.clearLayers();
    clusters.clearLayers();
    markers.clear();
    setLabels(features);
    const layers = [];
    for (const f of features) {
      if (!f.geometry) continue;
      const [lon, lat] = f.geometry.coordinates;
      const size = markerSize(f.properties);
      const icon = L.divIcon({
        className: "",
        html: `<div class="event-marker" data-id="${f.id}" title="${f.properties.event}" style="width:${size}px;height:${size}px;background:${colour(f.properties.event)}"></div>`,
        iconSize: [size, size],
      });
      const marker = L.marker([lat, lon], { icon, keyboard: false });
      marker.on("click", () => onSelect(f.id));
      markers.set(f.id, marker);
      layers.push(marker);
    }
    return new Promise((done) => addInChunks(layers, mine, done));
  }

  // Grid cells from /api/events/grid instead of events: a disc per cell at the mean place of its
  // events, sized by the count and coloured by the commonest category; a click frames the cell.
  function setCells(list) {
    ++drawing;
    clusters.clearLayers();
    markers.clear();
    labels.clearLayers();
    cells.clearLayers();
    for (const cell of list) {
      const size = cellSize(cell.count);
      const kinds = Object.entries(cell.types).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(", ");
      const icon = L.divIcon({
        className: "",
        html: `<div class="grid-cell" data-count="${cell.count}" title="${cell.count} events: ${escapeHtml(kinds)}" style="width:${size}px;height:${size}px;line-height:${size}px;border-color:${colour(dominant(cell.types))}">${shortCount(cell.count)}</div>`,
        iconSize: [size, size],
      });
      const marker = L.marker([cell.lat, cell.lon], { icon, keyboard: false });
      marker.on("click", () => map.fitBounds([[cell.south, cell.west], [cell.north, cell.east]], { animate: false }));
      cells.addLayer(marker);
    }
  }

  function highlight(id) {
    selected = id;
    element.querySelectorAll(".event-marker.selected").forEach((m) => m.classList.remove("selected"));
    const marker = id && markers.get(id);
    const icon = marker && marker.getElement && marker.getElement();
    if (icon) icon.firstChild?.classList.add("selected");
  }

  // Bring an event's marker on screen, out of any cluster, at once. Not markercluster's
  // zoomToShowLayer: it leaves listeners waiting for the end of the zoom that read the marker's
  // cluster, and a newer set of events, drawn meanwhile, has taken the marker out of every cluster.
  function reveal(id) {
    const marker = markers.get(id);
    if (!marker) return;
    const onScreen = clusters.getVisibleParent(marker) === marker && map.getBounds().contains(marker.getLatLng());
    if (!onScreen) {
      const zoom = Math.max(map.getZoom(), UNCLUSTERED_ZOOM);
      map.setView(marker.getLatLng(), zoom, { animate: false });
    }
    highlight(id);
  }

  function fit(features) {
    const points = features.filter((f) => f.geometry).map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]]);
    // Not animated: a zoom animation still running would undo a view set meanwhile.
    if (points.length) map.fitBounds(L.latLngBounds(points).pad(0.3), { maxZoom: 7, animate: false });
    else map.setView(WORLD.center, WORLD.zoom, { animate: false });
  }

  const alertAreas = L.layerGroup().addTo(map);

  // One box per alert with located events; the selected one drawn solid and stronger.
  function setAlertAreas(alerts, selectedAlert, onChoose) {
    alertAreas.clearLayers();
    for (const alert of alerts) {
      const bounds = alertBounds(alert);
      if (!bounds) continue;
      const chosen = alert.id === selectedAlert;
      const tint = concernColour(alert.concern);
      const area = L.rectangle(bounds, {
        color: tint, fillColor: tint, weight: chosen ? 3 : 1.5, fillOpacity: chosen ? 0.2 : 0.08,
        dashArray: chosen ? null : "5 4", className: `alert-area${chosen ? " selected" : ""}`,
      });
      area.bindTooltip(`${concernLabel(alert.concern)} alert: ${alertPlace(alert)}`);
      area.on("click", () => onChoose(alert));
      alertAreas.addLayer(area);
      area.getElement()?.setAttribute("data-alert", alert.id);
    }
  }

  function fitArea(bounds) {
    map.fitBounds(L.latLngBounds(bounds).pad(1), { maxZoom: 8, animate: false });
  }

  clusters.on("animationend", () => highlight(selected));
  map.on("zoomend", () => highlight(selected));
  return { map, setEvents, setCells, highlight, reveal, fit, setAlertAreas, fitArea };
}
