// Event categories (PLOVER plus DISPLACEMENT), their colours, and modalities.
export const CATEGORIES = [
  "ASSAULT", "COERCE", "DISPLACEMENT", "PROTEST", "MOBILIZE", "THREATEN", "SANCTION", "ACCUSE",
  "REJECT", "REQUEST", "AID", "SUPPORT", "COOPERATE", "CONSULT", "AGREE", "CONCEDE", "RETREAT",
];

const PALETTE = {
  ASSAULT: "#c0392b", COERCE: "#e67e22", DISPLACEMENT: "#8e44ad", PROTEST: "#f1c40f",
  MOBILIZE: "#7f8c8d", THREATEN: "#d35400", SANCTION: "#34495e", ACCUSE: "#a0522d",
  REJECT: "#6d4c41", REQUEST: "#16a085", AID: "#27ae60", SUPPORT: "#2ecc71",
  COOPERATE: "#1abc9c", CONSULT: "#2980b9", AGREE: "#3498db", CONCEDE: "#5dade2",
  RETREAT: "#95a5a6",
};

export const MODALITIES = ["asserted", "alleged", "negated", "forecast", "hypothetical", "intended", "generic", "any"];

export const ACLED_TYPES = [
  "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
  "Strategic developments",
];

export function colour(category) {
  return PALETTE[category] || "#555";
}
