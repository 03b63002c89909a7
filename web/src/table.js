// The table of events in the map's view, kept in step with the map, followed by the events
// without a place (which no view holds), so every matching event can be opened.
import { colour } from "./categories.js";
import { escapeHtml } from "./text.js";

const MAX_ROWS = 500;

function row(f, selected) {
  const p = f.properties;
  const actors = [p.actor1, p.actor2].filter(Boolean).join(" → ");
  const place = f.geometry
    ? escapeHtml([p.location, p.country].filter(Boolean).join(", "))
    : `<span class="unplaced" title="No place: not on the map">${escapeHtml(p.location_text || "no place")}</span>`;
  return `<tr data-id="${escapeHtml(f.id)}" class="${f.id === selected ? "selected" : ""}${f.geometry ? "" : " no-place"}">
      <td>${escapeHtml(p.date_start || "")}</td>
      <td><span class="swatch" style="background:${colour(p.event)}"></span>${escapeHtml(p.event)}</td>
      <td>${place}</td>
      <td>${escapeHtml(actors)}</td>
      <td>${p.killed ?? ""}</td><td>${p.displaced ?? ""}</td><td>${p.sources ?? ""}</td></tr>`;
}

// `inView`: located features in the map's bounds; `unplaced`: features without a geometry.
// `counted`: events in view when the map shows grid cells instead of events (none listed then).
export function renderTable(tbody, caption, inView, unplaced, { total, loaded, selected, onSelect, counted = null }) {
  const listed = [...inView, ...unplaced];
  tbody.innerHTML = listed.slice(0, MAX_ROWS).map((f) => row(f, selected)).join("");
  tbody.onclick = (event) => {
    const tr = event.target.closest("tr[data-id]");
    if (tr) onSelect(tr.dataset.id, { fromTable: true });
  };
  const shown = listed.length > MAX_ROWS ? `first ${MAX_ROWS} of ${listed.length}` : `${inView.length}`;
  const placeless = unplaced.length && listed.length <= MAX_ROWS ? `, then ${unplaced.length} without a place` : "";
  const partial = loaded < total ? ` (map holds ${loaded} of ${total} matching)` : ` (${total} matching)`;
  caption.textContent = counted === null
    ? `Events in view: ${shown}${placeless}${partial}`
    : `Events in view: ${counted}, too many to list: zoom in or filter (${total} matching)`;
}
