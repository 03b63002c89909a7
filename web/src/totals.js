// The totals panel: cumulative figures ("9,800 killed since the conflict broke out") matching the
// country and date filters, read from /api/totals. A total is no incident: it never reaches the
// map, the events table, the timeline or the event counts.
import { filterParams, getJSON } from "./api.js";
import { escapeHtml } from "./text.js";

const PAGE = 200;

// The totals stated in the filters' country and days (the other filters describe events).
export async function loadTotals(filters) {
  const params = filterParams(filters, Object.keys(filters).filter((k) => !["country", "since", "until"].includes(k)));
  params.set("limit", String(PAGE));
  return getJSON("/api/totals", params);
}

function figure(t) {
  return `${t.qualifier ? escapeHtml(t.qualifier) + " " : ""}${Number(t.value).toLocaleString("en")}`;
}

// "2024-01-01 – 2024-06-14", or the phrase that makes it cumulative with the day it is stated as of.
function period(t) {
  const p = t.period || {};
  if (p.start) return `<span class="nowrap">${escapeHtml(p.start)}</span> – <span class="nowrap">${escapeHtml(p.end || "?")}</span>`;
  const phrase = t.period_text ? escapeHtml(t.period_text) : "total";
  return p.end ? `${phrase} <small>(as of ${escapeHtml(p.end)})</small>` : phrase;
}

function place(t) {
  const l = t.location;
  if (!l) return "";
  const parts = [l.name || l.text, l.admin1, l.country].filter(Boolean);
  return escapeHtml(parts.filter((p, i) => parts.indexOf(p) === i).join(", "));
}

// `body` is an /api/totals page, or null when the totals could not be read (`problem` says why).
export function renderTotals(container, body, problem) {
  const totals = body?.totals || [];
  // Each total is a body of two rows: its facts, then its evidence sentence across the table.
  const rows = totals.map((t) => `<tbody data-total="${escapeHtml(t.id)}"><tr>
      <td class="total-figure">${figure(t)}</td><td>${escapeHtml(t.category)}${t.unit ? " " + escapeHtml(t.unit) : ""}</td>
      <td>${period(t)}</td><td>${place(t)}</td><td>${escapeHtml(t.source || "")}</td></tr>
      <tr><td colspan="5" class="total-evidence">${escapeHtml(t.evidence?.sentence || "")}</td></tr></tbody>`);
  const count = `${totals.length}${body?.next ? "+" : ""}`;
  container.innerHTML = `<h3>Totals <small>(${count}; cumulative figures, not events)</small></h3>` +
    (problem ? `<p class="hint">Cannot show totals: ${escapeHtml(problem)}</p>`
      : rows.length ? `<table class="totals"><thead><tr><th>Figure</th><th>Counted</th><th>Period</th><th>Place</th><th>Stated by</th></tr></thead>
      ${rows.join("")}</table>`
        : `<p class="hint">No totals stated for this country and period.</p>`);
}
