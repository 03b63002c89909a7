// Placeholder for the alerts panel: the alerts engine replaces this module's body to show the
// current alerts for the dashboard's filters in <section id="alerts-panel"> (hidden until then).
export function mountAlerts(_container, _state) {}

export function updateAlerts(_container, _state) {}
