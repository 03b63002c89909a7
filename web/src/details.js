// The record of one event and every evidence sentence, with the matching words highlighted and
// links to the source documents.
import { colour } from "./categories.js";
import { escapeHtml, highlight } from "./text.js";

function actor(a) {
  if (!a) return "";
  const codes = [a.country, a.sector, a.group].filter(Boolean).join(" ");
  return `${escapeHtml(a.text)}${codes ? ` <small>(${escapeHtml(codes)})</small>` : ""}`;
}

function counts(c) {
  return ["killed", "injured", "displaced", "arrested", "abducted"]
    .filter((k) => c && c[k] !== null && c[k] !== undefined)
    .map((k) => `${k} ${c.qualifier ? escapeHtml(c.qualifier) + " " : ""}${c[k]}`)
    .join(", ");
}

export function renderDetails(container, event, searchText) {
  const place = event.location || {};
  const words = [
    event.actor1?.text, event.actor2?.text, place.text, place.name,
    ...(searchText ? searchText.split(/\s+/) : []),
  ];
  const rows = [
    ["Category", `<span class="swatch" style="background:${colour(event.event)}"></span>${escapeHtml(event.event)}${event.mode ? " / " + escapeHtml(event.mode) : ""}`],
    ["ACLED", escapeHtml((event.acled || []).join(" — "))],
    ["When", escapeHtml([event.date?.start, event.date?.end].filter(Boolean).join(" – "))],
    ["Where", escapeHtml([place.name || place.text, place.admin1, place.country].filter(Boolean).join(", "))],
    ["Who", actor(event.actor1)],
    ["On whom", actor(event.actor2)],
    ["Counts", counts(event.counts)],
    ["Modality", escapeHtml(event.modality)],
    ["Sources", `${event.sources} independent, ${event.mentions.length} mention(s)`],
  ].filter(([, v]) => v);
  const evidence = event.mentions.map((m) => {
    const link = m.url || `/api/documents/${encodeURIComponent(m.document)}`;
    const label = m.source || (m.url ? new URL(m.url, location.href).hostname : `document ${m.document.slice(0, 10)}`);
    return `<blockquote class="evidence">${highlight(m.sentence, words)}
      <div class="source"><a href="${escapeHtml(link)}" target="_blank" rel="noopener">${escapeHtml(label)}</a>${m.published ? " · " + escapeHtml(m.published) : ""}</div></blockquote>`;
  });
  container.innerHTML = `<h2>${escapeHtml(event.event)} in ${escapeHtml(place.name || place.text || "an unknown place")}</h2>
    <dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")}</dl>
    <h3>Evidence</h3>${evidence.join("")}`;
}
