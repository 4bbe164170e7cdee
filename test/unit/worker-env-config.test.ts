import { describe, expect, it } from 'vitest';
import { configFromEnv, parseKeyValueList } from '../../src/worker/env-config.js';

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
    expect(parseKeyValueList('a=1,broken,=x,b=%E0%A4%A')).toEqual({ a: '1', b: '%E0%A4%A' });
    expect(configFromEnv(undefined)).toEqual({});
  });
});
