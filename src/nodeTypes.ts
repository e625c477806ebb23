/** Locus node types in people's words. */

/** humanNodeType words a Locus node type: WEATHERSTATION -> "Weather station", INVERTER -> "Inverter" (same words as
 * the backend's partner-wide component search, pkg/plugin humanNodeType). */
export function humanNodeType(nodeType: string | undefined): string {
  const t = (nodeType ?? '').trim();
  if (!t) {
    return '';
  }
  if (t.toUpperCase() === 'WEATHERSTATION') {
    return 'Weather station';
  }
  const words = t.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}
