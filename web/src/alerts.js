// The alerts panel: the open alerts (new or ongoing) with their place, concern, window, events
// observed against expected and score. Choosing one filters the dashboard to its place and
// window (see main.js) and lists the events behind it and the signals attached to it.
import { getJSON } from "./api.js";
import { concernColour, concernLabel } from "./concerns.js";
import { escapeHtml } from "./text.js";

const OPEN = new Set(["new", "ongoing"]);
const MIN_HALF_SIZE = 0.15; // degrees: an alert on one place still gets a visible area

// Open alerts, newest first (the API's order).
export async function loadAlerts() {
  const body = await getJSON("/api/alerts", new URLSearchParams({ limit: "1000" }));
  return (body.alerts || []).filter((a) => OPEN.has(a.status));
}

export function alertPlace(alert) {
  return [alert.admin2, alert.admin1, alert.country].filter(Boolean).join(", ");
}

// The days to show for an alert: its window, widened to the dates of the events behind it.
export function alertWindow(alert) {
  const days = [alert.start, alert.end];
  for (const e of alert.events || []) days.push(e.start, e.end);
  const known = days.filter(Boolean).sort();
  return { since: known[0], until: known[known.length - 1] };
}

const folded = (name) => String(name || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

// [[south, west], [north, east]] around the alert's located events in its area (all its
// located events when none is placed there: an event placed only in the country sits at the
// country's centre, which says nothing of the area), or null.
export function alertBounds(alert) {
  const located = (alert.events || []).map((e) => e.place)
    .filter((p) => p && Number.isFinite(p.lat) && Number.isFinite(p.lon));
  const inArea = located.filter((p) => folded(p.admin1) === folded(alert.admin1));
  const points = inArea.length ? inArea : located;
  if (!points.length) return null;
  const lats = points.map((p) => p.lat), lons = points.map((p) => p.lon);
  const pad = (low, high) => {
    const middle = (low + high) / 2, half = Math.max((high - low) / 2, MIN_HALF_SIZE);
    return [middle - half, middle + half];
  };
  const [south, north] = pad(Math.min(...lats), Math.max(...lats));
  const [west, east] = pad(Math.min(...lons), Math.max(...lons));
  return [[south, west], [north, east]];
}

function number(n) {
  return n === null || n === undefined ? "?" : Number(n).toLocaleString("en");
}

function facts(alert) {
  const people = alert.people || {};
  const parts = [
    `${escapeHtml(alert.start)} – ${escapeHtml(alert.end)}`,
    `<span class="observed">${number(alert.observed)} event(s) vs ${number(alert.expected)} expected</span>`,
  ];
  if (people.observed) parts.push(`${number(people.observed)} ${escapeHtml(people.kind)} vs ${number(people.expected)}`);
  parts.push(`score ${number(alert.score)}`);
  if (alert.escalation && alert.status !== "resolved") {
    parts.push(`<span class="escalated">escalated ×${number(alert.escalation)}</span>`);
  }
  return parts.join(" · ");
}

function counted(item) {
  return ["killed", "displaced"].filter((k) => item[k] !== null && item[k] !== undefined)
    .map((k) => `${k} ${number(item[k])}`).join(", ");
}

function eventEntry(e) {
  const where = e.place ? [e.place.name, e.place.admin1, e.place.country].filter(Boolean).join(", ") : "";
  const sentences = (e.evidence || []).map((m) => `<p>${escapeHtml(m.sentence)}</p>`).join("");
  return `<blockquote class="evidence alert-event" data-event="${escapeHtml(e.id)}" title="Show this event">
    <div class="source">${escapeHtml(e.event)} · ${escapeHtml(where)} · ${escapeHtml(e.start || "undated")}${counted(e) ? " · " + escapeHtml(counted(e)) : ""}</div>${sentences}</blockquote>`;
}

function signalEntry(s) {
  const sentences = (s.evidence || []).map((text) => `<p>${escapeHtml(text)}</p>`).join("");
  return `<blockquote class="evidence alert-signal" data-event="${escapeHtml(s.event_id)}">
    <div class="source">${escapeHtml(s.modality)} · ${escapeHtml(s.event)} · ${escapeHtml([s.admin1, s.country].filter(Boolean).join(", "))}${counted(s) ? " · " + escapeHtml(counted(s)) : ""}</div>${sentences}</blockquote>`;
}

function detail(alert) {
  const events = alert.events || [], signals = alert.signals || [];
  return `<div class="alert-detail">
    <h4>Events behind it (${events.length})</h4>${events.map(eventEntry).join("") || "<p class=\"hint\">None listed.</p>"}
    <h4>Signals (${signals.length})</h4>${signals.map(signalEntry).join("") || "<p class=\"hint\">No forecasts or warnings attached.</p>"}
  </div>`;
}

// Draws into `container`; `onChoose(alert)` when an alert is picked, `onEvent(id)` when one of
// its events is.
export function mountAlerts(container, { onChoose, onEvent }) {
  let shown = [];
  container.hidden = false;
  container.addEventListener("click", (event) => {
    const item = event.target.closest(".evidence[data-event]");
    if (item) { onEvent(item.dataset.event); return; }
    const entry = event.target.closest(".alert-item");
    const alert = entry && shown.find((a) => a.id === entry.dataset.alert);
    if (alert) onChoose(alert);
  });
  container.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches(".alert-item")) event.target.click();
  });

  function show(alerts, selected) {
    shown = alerts;
    const items = alerts.map((a) => `<li class="alert-item${a.id === selected ? " selected" : ""}" data-alert="${escapeHtml(a.id)}" tabindex="0" style="border-left-color:${concernColour(a.concern)}">
      <div><strong class="alert-place">${escapeHtml(alertPlace(a))}</strong> — <span class="alert-concern">${escapeHtml(concernLabel(a.concern))}</span> <span class="alert-status">${escapeHtml(a.status)}</span></div>
      <div class="alert-facts">${facts(a)}</div>
      ${a.id === selected ? detail(a) : ""}</li>`);
    container.innerHTML = `<h3>Alerts <small>(${alerts.length} open)</small></h3>` +
      (items.length ? `<ol class="alerts">${items.join("")}</ol>` : `<p class="hint">No open alerts.</p>`);
  }

  return { show };
}
