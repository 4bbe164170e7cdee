/**
 * The `OTEL_PROPAGATORS` names
 * (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration).
 * One parser serves `createPropagator` (full propagators, unknown names throw)
 * and the script tag's `data-propagators` (injectors only, unknown names warn);
 * each caller brings its own factories, so neither bundles the other's parts.
 */
export const PROPAGATOR_NAMES = ['tracecontext', 'baggage', 'b3', 'b3multi', 'none'] as const;

export type PropagatorName = Exclude<(typeof PROPAGATOR_NAMES)[number], 'none'>;

/**
 * Builds one part per name of `names` (`'tracecontext,baggage'` or a list;
 * case and blanks ignored, a repeated name counts once) with `make`.
 * `'none'` anywhere means no parts; `unknown` is called for any other name.
 */
export function fromNames<P>(names: string | readonly string[], make: Record<PropagatorName, () => P>, unknown: (name: string) => void): P[] {
  const set = new Set((typeof names === 'string' ? names.split(',') : [...names]).map((n) => String(n).trim().toLowerCase()).filter(Boolean));
  const parts: P[] = [];
  for (const name of set) {
    if (name === 'none') continue;
    if ((PROPAGATOR_NAMES as readonly string[]).includes(name)) parts.push(make[name as PropagatorName]());
    else unknown(name);
  }
  return set.has('none') ? [] : parts;
}
