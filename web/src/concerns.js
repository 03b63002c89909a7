// Alert concerns (the series of tocsin.alerts, data/alerts.toml): their labels and colours.
const CONCERNS = {
  violence_against_civilians: { label: "Violence against civilians", colour: "#c0392b" },
  remote_violence: { label: "Remote violence", colour: "#d35400" },
  battles: { label: "Battles", colour: "#6d4c41" },
  displacement: { label: "Displacement", colour: "#8e44ad" },
  protest_riot: { label: "Protest and riot", colour: "#d4ac0d" },
};

export function concernLabel(concern) {
  return CONCERNS[concern]?.label || String(concern || "").replace(/_/g, " ");
}

export function concernColour(concern) {
  return CONCERNS[concern]?.colour || "#2c3e50";
}
