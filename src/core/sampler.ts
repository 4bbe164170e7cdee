import { fail, numberOption } from './diag.js';
import { DEV } from './dev.js';
import { getSpanContext, isSpanContextValid } from './span-in-context.js';
import { SamplingDecision, TraceFlags, type Sampler, type SamplingResult } from './types.js';

/**
 * Samplers of the OpenTelemetry SDK spec
 * (https://opentelemetry.io/docs/specs/otel/trace/sdk/#built-in-samplers).
 */
const RECORD_AND_SAMPLE: SamplingResult = { decision: SamplingDecision.RECORD_AND_SAMPLED };
const DROP: SamplingResult = { decision: SamplingDecision.NOT_RECORD };

const fixed = (result: SamplingResult, name: string): Sampler => ({ shouldSample: () => result, toString: () => name });

export const alwaysOn = (): Sampler => fixed(RECORD_AND_SAMPLE, 'AlwaysOnSampler');

export const alwaysOff = (): Sampler => fixed(DROP, 'AlwaysOffSampler');

/**
 * Keeps `ratio` of traces, deciding from the trace id alone so every service
 * that sees the trace decides the same. It reads the rightmost 56 bits, which
 * W3C Trace Context Level 2 requires to be random when the random flag is set
 * (https://www.w3.org/TR/trace-context-2/#random-trace-id-flag), the same bits
 * the OpenTelemetry consistent-probability sampling spec uses
 * (https://opentelemetry.io/docs/specs/otel/trace/tracestate-probability-sampling/).
 */
export function traceIdRatio(ratio: number): Sampler {
  numberOption('the trace-id ratio', ratio, undefined, '0-1');
  // Compare the top 28 and bottom 28 of the 56 bits separately: each half fits
  // a double exactly, and the threshold is rounded to the same grid.
  const threshold = Math.round(ratio * 2 ** 56);
  const thresholdHigh = Math.floor(threshold / 2 ** 28);
  const thresholdLow = threshold - thresholdHigh * 2 ** 28;
  return {
    shouldSample(_context, traceId) {
      const high = parseInt(traceId.slice(18, 25), 16);
      const keep = ratio >= 1 || high < thresholdHigh || (high === thresholdHigh && parseInt(traceId.slice(25, 32), 16) < thresholdLow);
      return keep ? RECORD_AND_SAMPLE : DROP;
    },
    toString: () => `TraceIdRatioBased{${ratio}}`,
  };
}

export interface ParentBasedOptions {
  root: Sampler;
  remoteParentSampled?: Sampler;
  remoteParentNotSampled?: Sampler;
  localParentSampled?: Sampler;
  localParentNotSampled?: Sampler;
}

/**
 * Follows the parent's sampled flag; asks `root` only for new traces. A parent
 * picks `{remote|local}Parent{Sampled|NotSampled}` by where it came from and
 * its sampled flag (defaults: always on when sampled, always off when not).
 */
export function parentBased(options: ParentBasedOptions | Sampler): Sampler {
  const o = ('root' in options ? options : { root: options }) as ParentBasedOptions & Record<string, Sampler | undefined>;
  return {
    // The sampler chosen sees the call as it came (context, traceId, name, kind, attributes, links).
    shouldSample(...args) {
      const parent = getSpanContext(args[0]);
      const sampled = (parent?.traceFlags ?? 0) & TraceFlags.SAMPLED;
      const next = isSpanContextValid(parent) ? (o[(parent.isRemote ? 'remote' : 'local') + (sampled ? 'ParentSampled' : 'ParentNotSampled')] ?? (sampled ? alwaysOn() : alwaysOff())) : o.root;
      return next.shouldSample(...args);
    },
    toString: () => `ParentBased{root=${o.root.toString()}}`,
  };
}

/** The sampler names of `OTEL_TRACES_SAMPLER` (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration). */
export const SAMPLER_NAMES = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

/** A sampler from its `OTEL_TRACES_SAMPLER` name and argument (the ratio, default 1). Throws on an unknown name. */
export function samplerFromName(name: string, arg?: number | string): Sampler {
  const ratio = () => {
    if (arg === undefined || arg === '') return 1;
    const n = typeof arg === 'number' ? arg : Number(arg);
    return n;
  };
  switch (name) {
    case 'always_on':
      return alwaysOn();
    case 'always_off':
      return alwaysOff();
    case 'traceidratio':
      return traceIdRatio(ratio());
    case 'parentbased_always_on':
      return parentBased(alwaysOn());
    case 'parentbased_always_off':
      return parentBased(alwaysOff());
    case 'parentbased_traceidratio':
      return parentBased(traceIdRatio(ratio()));
    default:
      return fail('E16', DEV && `unknown sampler "${name}"; use one of ${SAMPLER_NAMES.join(', ')} or a Sampler object`, name);
  }
}
