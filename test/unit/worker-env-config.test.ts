import { describe, expect, it } from 'vitest';
import { configFromEnv, parseKeyValueList } from '../../src/worker/env-config.js';
import { captureDiagnostics } from './helpers/diagnostics.js';

const warnings = captureDiagnostics();

// Pure parsing of the OpenTelemetry environment variables (no runtime involved).
describe('OTEL_* configuration from Worker env', () => {
  it('reads every supported variable', () => {
    expect(
      configFromEnv({
        OTEL_SERVICE_NAME: 'edge',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com/',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D%3D,team=edge',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod,service.version=1.2',
        OTEL_PROPAGATORS: 'tracecontext,b3',
      }),
    ).toEqual({
      serviceName: 'edge',
      endpoint: 'https://otel.example.com/v1/traces',
      headers: { 'x-api-key': 'abc==', team: 'edge' },
      sampler: 'parentbased_traceidratio',
      samplerArg: '0.25',
      resource: { 'deployment.environment.name': 'prod', 'service.version': '1.2' },
      propagators: 'tracecontext,b3',
    });
  });

  it('the traces endpoint is used as is and wins over the generic one', () => {
    expect(configFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b/custom' }).endpoint).toBe('http://b/custom');
  });

  it('OTEL_SERVICE_NAME wins over service.name in OTEL_RESOURCE_ATTRIBUTES, which is the fallback', () => {
    expect(configFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-resource' }).serviceName).toBe('from-resource');
    expect(configFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-resource', OTEL_SERVICE_NAME: 'named' }).serviceName).toBe('named');
  });

  it('ignores empty values, non-string bindings and malformed pairs', () => {
    expect(configFromEnv({ OTEL_SERVICE_NAME: '  ', OTEL_EXPORTER_OTLP_ENDPOINT: 42, KV: {} })).toEqual({});
    expect(parseKeyValueList('a=1,broken,=x,c=%20x')).toEqual({ a: '1', c: ' x' });
    expect(configFromEnv(undefined)).toEqual({});
  });

  // https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/:
  // enum values are case-insensitive; an invalid value is warned about and the default used.
  it('sampler names are case-insensitive', () => {
    expect(configFromEnv({ OTEL_TRACES_SAMPLER: 'ALWAYS_ON' }).sampler).toBe('always_on');
    expect(configFromEnv({ OTEL_TRACES_SAMPLER: 'ParentBased_TraceIdRatio', OTEL_TRACES_SAMPLER_ARG: '0.5' })).toEqual({ sampler: 'parentbased_traceidratio', samplerArg: '0.5' });
    expect(warnings).toEqual([]);
  });

  it('an unknown sampler or a ratio that is not a number from 0 to 1 warns once and leaves the default', () => {
    expect(configFromEnv({ OTEL_TRACES_SAMPLER: 'sometimes' })).toEqual({});
    expect(configFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'abc' })).toEqual({ sampler: 'traceidratio' });
    expect(configFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' })).toEqual({ sampler: 'traceidratio' });
    expect(configFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'abc' })).toEqual({ sampler: 'traceidratio' });
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain('OTEL_TRACES_SAMPLER');
    expect(warnings[1]).toContain('"abc"');
    expect(warnings[2]).toContain('"1.5"');
  });

  it('unknown propagators are warned about and skipped; the known ones stay', () => {
    expect(configFromEnv({ OTEL_PROPAGATORS: 'xray,TraceContext' }).propagators).toBe('tracecontext');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"xray"');
    // None known: the default propagators.
    expect(configFromEnv({ OTEL_PROPAGATORS: 'xray' }).propagators).toBeUndefined();
    expect(configFromEnv({ OTEL_PROPAGATORS: 'none' }).propagators).toBe('none');
  });

  it('a header whose name or decoded value is not allowed in HTTP is dropped with a warning, the others kept', () => {
    const headers = configFromEnv({ OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc,x-inject=a%0D%0AHost%3A%20evil,bad name=1,x-undecodable=%E0%A4%A,x-wide=%E2%82%AC' }).headers;
    expect(headers).toEqual({ 'x-api-key': 'abc' });
    expect(warnings).toHaveLength(4);
    expect(warnings.join('\n')).not.toContain('evil'); // values may be secrets: only names are printed
  });

  it('OTEL_RESOURCE_ATTRIBUTES with a value that fails percent-decoding is discarded whole, with a warning', () => {
    expect(configFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=shop,b=%E0%A4%A' })).toEqual({});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('OTEL_RESOURCE_ATTRIBUTES');
  });
});
