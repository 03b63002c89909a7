// Calls to Tocsin's REST API (same origin).
export function filterParams(filters, omit = []) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (omit.includes(key) || value === undefined || value === null || value === "") continue;
    params.set(key, value);
  }
  return params;
}

export async function getJSON(path, params) {
  const url = params && [...params].length ? `${path}?${params}` : path;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(body.detail || `${response.status} ${response.statusText}`);
    error.status = response.status;
    error.problems = Array.isArray(body.errors) ? body.errors : [];
    throw error;
  }
  return body;
}

// The URL of every event matching the filters as a file to save (csv, geojson or acled).
export function downloadURL(filters, format) {
  const params = filterParams(filters);
  params.set("format", format);
  return `/api/events/download?${params}`;
}

// Every event matching the filters as GeoJSON features, page by page, up to `max`.
export async function loadFeatures(filters, max, pageSize = 1000) {
  const features = [];
  let after = null;
  while (features.length < max) {
    const params = filterParams(filters);
    params.set("format", "geojson");
    params.set("limit", String(Math.min(pageSize, max - features.length)));
    if (after) params.set("after", after);
    const page = await getJSON("/api/events", params);
    features.push(...page.features);
    after = page.next;
    if (!after) return { features, complete: true };
  }
  return { features, complete: false };
}
