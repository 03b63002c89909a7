// Tocsin's dashboard: map, timeline with brush, filters, table and evidence, open alerts, state
// in the URL.
import { alertBounds, alertWindow, loadAlerts, mountAlerts } from "./alerts.js";
import { filterParams, getJSON, loadFeatures } from "./api.js";
import { renderDetails } from "./details.js";
import { fill, fillCountries, setupFilters } from "./filters.js";
import { createMap } from "./map.js";
import { defaultFilters, readState, writeState } from "./state.js";
import { renderSummary } from "./summary.js";
import { renderTable } from "./table.js";
import { createTimeline, dayRows } from "./timeline.js";

const $ = (selector) => document.querySelector(selector);

async function start() {
  const state = readState(location.search);
  const config = await getJSON("/api/config").catch(() => ({ max_map_events: 5000 }));
  const form = $("#filters");
  const status = $("#map-status");
  let features = [];
  let alerts = [];
  let total = 0;
  let generation = 0;
  let firstLoad = true;
  let loads = 0;

  const view = createMap($("#map"), config, {
    onSelect: (id) => select(id, { fromMap: true }),
    onMove: (map) => {
      const c = map.getCenter();
      state.view = { zoom: map.getZoom(), lat: c.lat, lon: c.lng };
      writeState(state);
      showTable();
    },
  });
  if (state.view) view.map.setView([state.view.lat, state.view.lon], state.view.zoom, { animate: false });

  const timeline = createTimeline($("#timeline"), $("#legend"), (brush) => {
    state.filters.since = brush?.since;
    state.filters.until = brush?.until;
    fill(form, state.filters);
    refresh();
  });
  $("#clear-brush").addEventListener("click", () => {
    delete state.filters.since;
    delete state.filters.until;
    fill(form, state.filters);
    refresh();
  });
  setupFilters(form, state.filters, (filters) => {
    state.filters = filters;
    refresh();
  });
  $("#reset").addEventListener("click", () => {
    state.filters = defaultFilters();
    state.alert = null;
    fill(form, state.filters);
    refresh();
  });
  const alertsPanel = mountAlerts($("#alerts-panel"), {
    onChoose: chooseAlert,
    onEvent: (id) => select(id, { fromTable: true }),
  });

  function showAlerts() {
    alertsPanel.show(alerts, state.alert);
    view.setAlertAreas(alerts, state.alert, chooseAlert);
  }

  // An alert's place and window become the filters; the map frames its area.
  function chooseAlert(alert) {
    state.alert = alert.id;
    const { since, until } = alertWindow(alert);
    state.filters = { ...defaultFilters(), country: alert.country, admin1: alert.admin1, since, until };
    fill(form, state.filters);
    const bounds = alertBounds(alert);
    if (bounds) view.fitArea(bounds);
    showAlerts();
    refresh();
  }

  function showTable() {
    const bounds = view.map.getBounds();
    const inView = features.filter((f) => f.geometry && bounds.contains([f.geometry.coordinates[1], f.geometry.coordinates[0]]));
    renderTable($("#events-table tbody"), $("#table-caption"), inView, {
      total, loaded: features.length, selected: state.selected, onSelect: (id) => select(id, { fromTable: true }),
    });
  }

  async function select(id, { fromTable = false } = {}) {
    state.selected = id;
    writeState(state);
    view.highlight(id);
    if (fromTable) view.reveal(id);
    document.querySelectorAll("#events-table tr.selected").forEach((r) => r.classList.remove("selected"));
    document.querySelector(`#events-table tr[data-id="${CSS.escape(id)}"]`)?.classList.add("selected");
    try {
      const event = await getJSON(`/api/events/${encodeURIComponent(id)}`);
      if (state.selected === id) renderDetails($("#details"), event, state.filters.text);
    } catch (error) {
      $("#details").textContent = `Cannot show this event: ${error.message}`;
    }
  }

  async function refresh() {
    const mine = ++generation;
    document.body.dataset.state = "loading";
    writeState(state);
    $("#clear-brush").hidden = !(state.filters.since || state.filters.until);
    status.textContent = "Loading…";
    try {
      const [context, stats, loaded, open] = await Promise.all([
        getJSON("/api/stats", new URLSearchParams([...filterParams(state.filters, ["since", "until"]), ["by_type", "true"]])),
        getJSON("/api/stats", filterParams(state.filters)),
        loadFeatures(state.filters, config.max_map_events || 5000),
        loadAlerts().catch(() => null),
      ]);
      if (mine !== generation) return;
      timeline.draw(dayRows(context), { since: state.filters.since, until: state.filters.until });
      renderSummary($("#summary"), stats);
      fillCountries($("#countries"), context.countries);
      features = loaded.features;
      total = stats.total;
      view.setEvents(features);
      if (firstLoad && !state.view) view.fit(features);
      firstLoad = false;
      showTable();
      const unlocated = features.filter((f) => !f.geometry).length;
      status.textContent = `${features.length} of ${total} event(s) on the map` +
        (unlocated ? `, ${unlocated} without a place` : "") + (loaded.complete ? "" : " (zoom in or filter to see more)");
      if (open) alerts = open;
      showAlerts();
      if (state.selected) select(state.selected);
    } catch (error) {
      if (mine === generation) status.textContent = `Error: ${error.message}`;
    }
    if (mine === generation) {
      document.body.dataset.state = "ready";
      document.body.dataset.loads = String(++loads);
    }
  }

  refresh();
}

start();
