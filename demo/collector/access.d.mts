import type { IncomingMessage } from 'node:http';

export function isLoopback(host: string): boolean;
export function isWildcard(host: string): boolean;
export function urlHost(host: string): string;
export function reachableUrl(host: string, port: number): string;
export function exposureWarning(host: string): string | undefined;
export function allowedHostnames(host: string, extra?: string[]): Set<string>;
export function hostnameOf(hostHeader: string): string;
export function createAccess(options: { host: string; allowHosts?: string[]; allowOrigins?: string[] }): {
  hostnames: Set<string>;
  hostProblem(req: IncomingMessage): string | undefined;
  ingestAllowed(req: IncomingMessage): boolean;
  localProblem(req: IncomingMessage, url: URL): string | undefined;
};
