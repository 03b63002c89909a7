// Tocsin's dashboard: map, timeline with brush, filters, table and evidence, open alerts, a
// download of what the filters match, the cumulative totals apart from the events, state in the URL.
// The map holds every matching event when they are few; otherwise it follows the view: the
// events in it when they are few enough, else the server's counts per grid cell.
import { alertBounds, alertWindow, loadAlerts, mountAlerts } from "./alerts.js";
import { downloadURL, filterParams, getJSON, loadFeatures } from "./api.js";
import { renderDetails } from "./details.js";
import { fill, fillCountries, setupFilters } from "./filters.js";
import { createMap, viewBox } from "./map.js";
import { describeProblem } from "./problems.js";
import { defaultFilters, readState, writeState } from "./state.js";
import { renderSummary } from "./summary.js";
import { renderTable } from "./table.js";
import { loadTotals, renderTotals } from "./totals.js";
import { createTimeline, dayRows } from "./timeline.js";

const $ = (selector) => document.querySelector(selector);
const HINT = '<p class="hint">Click an event on the map or in the table to see its record and evidence.</p>';

async function start() {
  const state = readState(location.search);
  const config = await getJSON("/api/config").catch(() => ({ max_map_events: 5000 }));
  const form = $("#filters");
  const status = $("#map-status");
  let features = [];
  let alerts = [];
  let total = 0;
  let generation = 0;
  // Frame the loaded events once they arrive: on the first load without a view in the URL,
  // after Reset, and after choosing an alert whose area is unknown.
  let fitNext = !state.view;
  let loads = 0;
  // Above this many events the map follows the view; above it in the view, it draws grid cells.
  const viewLimit = config.map_view_events || 1500;
  // "all": every matching event is loaded (few match); "view": the map loads what is in view.
  let mode = "all";
  let drawGeneration = 0;
  // Events in view while the map shows grid cells (none are loaded then), else null.
  let cellsInView = null;
  // How many events match the filters (a promise: the refresh's statistics may still be coming).
  let matching = Promise.resolve(0);
  let draws = 0;

  const view = createMap($("#map"), config, {
    onSelect: (id) => select(id, { fromMap: true }),
    onMove: (map) => {
      performance.mark("tocsin:map-moved");
      const c = map.getCenter();
      state.view = { zoom: map.getZoom(), lat: c.lat, lon: c.lng };
      writeState(state);
      if (mode === "view") drawMap(matching).catch(() => {});
      else showTable();
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
  // Back to the start: default filters, no alert, no event chosen, every event framed.
  $("#reset").addEventListener("click", () => {
    state.filters = defaultFilters();
    state.alert = null;
    clearSelection();
    fitNext = true;
    fill(form, state.filters);
    refresh();
  });
  // Not a filter: choosing a format changes the link, not the view.
  $("#download-format").addEventListener("change", (event) => {
    event.stopPropagation();
    showDownload();
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
  // An event chosen before the alert need not be one of its events: the choice is cleared.
  function chooseAlert(alert) {
    state.alert = alert.id;
    clearSelection();
    const { since, until } = alertWindow(alert);
    state.filters = { ...defaultFilters(), country: alert.country, admin1: alert.admin1, since, until };
    fill(form, state.filters);
    const bounds = alertBounds(alert);
    if (bounds) view.fitArea(bounds);
    fitNext = !bounds;
    showAlerts();
    refresh();
  }

  function clearSelection() {
    state.selected = null;
    state.view = null;
    view.highlight(null);
    $("#details").innerHTML = HINT;
  }

  function showTable() {
    const bounds = view.map.getBounds();
    const inView = features.filter((f) => f.geometry && bounds.contains([f.geometry.coordinates[1], f.geometry.coordinates[0]]));
    const unplaced = features.filter((f) => !f.geometry);
    renderTable($("#events-table tbody"), $("#table-caption"), inView, unplaced, {
      total, loaded: features.length, selected: state.selected, onSelect: (id) => select(id, { fromTable: true }),
      counted: cellsInView,
    });
  }

  function showDownload(refused = false) {
    const link = $("#download");
    if (refused === true) {
      link.removeAttribute("href");
      link.setAttribute("aria-disabled", "true");
      return;
    }
    link.href = downloadURL(state.filters, $("#download-format").value);
    link.removeAttribute("aria-disabled");
  }

  // A refused filter: say why beside the form, mark the field, and show no stale results.
  function showProblem(error) {
    const { fields, message } = describeProblem(error);
    const box = $("#filter-error");
    box.textContent = message;
    box.hidden = false;
    for (const element of form.elements) {
      if (element.name) element.toggleAttribute("aria-invalid", fields.includes(element.name));
    }
    features = [];
    total = 0;
    cellsInView = null;
    view.setEvents([]);
    timeline.draw([], {});
    $("#summary").innerHTML = "";
    showTable();
    showDownload(true);
    status.textContent = "No events shown: see the message above the map.";
  }

  function clearProblem() {
    $("#filter-error").hidden = true;
    for (const element of form.elements) element.removeAttribute?.("aria-invalid");
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

  // The totals panel, apart from the events: its own request, its own failure.
  async function showTotals(mine) {
    const panel = $("#totals-panel");
    try {
      const body = await loadTotals(state.filters);
      if (mine === generation) renderTotals(panel, body);
    } catch (error) {
      if (mine === generation) renderTotals(panel, null, error.message);
    }
  }

  // The map is drawn: marked after the next frame, for tests and the redraw benchmark.
  function markDrawn(kind) {
    requestAnimationFrame(() => {
      document.body.dataset.mapShows = kind;
      document.body.dataset.drawn = String(++draws);
      performance.mark("tocsin:map-drawn");
    });
  }

  // Draw the map for the filters and the view. `matching` resolves to how many events match the
  // filters; `refreshing` is the refresh this belongs to (none after a pan or zoom).
  async function drawMap(matching, refreshing = null) {
    const mine = ++drawGeneration;
    const stale = () => mine !== drawGeneration || (refreshing !== null && refreshing !== generation);
    const { bbox, zoom } = viewBox(view.map);
    const grid = await getJSON("/api/events/grid", new URLSearchParams([...filterParams(state.filters), ["bbox", bbox], ["zoom", String(zoom)]]));
    if (stale()) return;
    if (grid.total > viewLimit) {
      mode = "view";
      features = [];
      cellsInView = grid.total;
      fitNext = false;
      view.setCells(grid.cells);
      showTable();
      status.textContent = `${grid.total} events in view, counted per cell of ${grid.cell_degrees}°: zoom in or filter to see them one by one`;
      markDrawn("cells");
      return;
    }
    const matched = await matching;
    const all = matched <= viewLimit;
    if (stale()) return;
    mode = all ? "all" : "view";
    cellsInView = null;
    const loaded = await loadFeatures(all ? state.filters : { ...state.filters, bbox }, all ? config.max_map_events || 5000 : viewLimit, viewLimit);
    if (stale()) return;
    features = loaded.features;
    const drawing = view.setEvents(features);
    if (fitNext && all) view.fit(features);
    fitNext = false;
    showTable();
    const unlocated = features.filter((f) => !f.geometry).length;
    const where = all ? `${matched} event(s) on the map` : `the ${grid.total} event(s) in view`;
    status.textContent = `${features.length - unlocated} of ${where}` +
      (unlocated ? `, ${unlocated} without a place (in the table)` : "") + (loaded.complete ? "" : " (zoom in or filter to see more)");
    await drawing;
    if (!stale()) markDrawn("events");
  }

  async function refresh() {
    performance.mark("tocsin:refresh");
    const mine = ++generation;
    document.body.dataset.state = "loading";
    writeState(state);
    $("#clear-brush").hidden = !(state.filters.since || state.filters.until);
    status.textContent = "Loading…";
    // The alerts do not depend on the filters: they are shown even when a filter is refused.
    const opening = loadAlerts().catch(() => null);
    showTotals(mine);
    try {
      const statsLoading = getJSON("/api/stats", filterParams(state.filters));
      matching = statsLoading.then((body) => body.total);
      matching.catch(() => {}); // a refused filter is reported once, by Promise.all below
      const [context, stats, , open] = await Promise.all([
        getJSON("/api/stats", new URLSearchParams([...filterParams(state.filters, ["since", "until"]), ["by_type", "true"]])),
        statsLoading,
        drawMap(matching, mine),
        opening,
      ]);
      if (mine !== generation) return;
      timeline.draw(dayRows(context), { since: state.filters.since, until: state.filters.until });
      renderSummary($("#summary"), stats);
      fillCountries($("#countries"), context.countries);
      total = stats.total;
      clearProblem();
      showTable();
      showDownload();
      if (open) alerts = open;
      showAlerts();
      if (state.selected) select(state.selected);
    } catch (error) {
      if (mine === generation) {
        showProblem(error);
        const open = await opening;
        if (open && mine === generation) {
          alerts = open;
          showAlerts();
        }
      }
    }
    if (mine === generation) {
      document.body.dataset.state = "ready";
      document.body.dataset.loads = String(++loads);
    }
  }

  refresh();
}

start();
