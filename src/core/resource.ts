import { addAttributes, newAttributes } from './attributes.js';
import type { Attributes, Resource } from './types.js';

export interface ResourceOptions {
  serviceName?: string;
  serviceVersion?: string;
  /** `deployment.environment.name` (semantic conventions 1.27+). */
  environment?: string;
  /** Extra attributes; they may override anything but the `telemetry.sdk.*` keys. */
  resource?: Attributes;
}

/**
 * The resource every span of one tracing instance carries
 * (https://opentelemetry.io/docs/specs/semconv/resource/). `service.name`
 * defaults to `unknown_service`, as the resource spec requires a value.
 * The options are named as in `PipelineOptions`, which is passed as is (read
 * as properties, so inherited ones and getters count, as everywhere else).
 */
export function createResource(options: ResourceOptions, sdkLanguage: string, sdkVersion: string): Resource {
  const attributes = newAttributes();
  attributes['service.name'] = 'unknown_service';
  addAttributes(attributes, options.resource, Infinity, Infinity);
  if (options.serviceName) attributes['service.name'] = options.serviceName;
  if (options.serviceVersion) attributes['service.version'] = options.serviceVersion;
  if (options.environment) attributes['deployment.environment.name'] = options.environment;
  attributes['telemetry.sdk.name'] = 'tracelet';
  attributes['telemetry.sdk.language'] = sdkLanguage;
  attributes['telemetry.sdk.version'] = sdkVersion;
  return { attributes };
}
