import type { StoredSpan } from './collector.mjs';
export function buildTree(spans: StoredSpan[]): { roots: StoredSpan[]; orphans: StoredSpan[]; children: Map<string, StoredSpan[]> };
export function formatTrace(spans: StoredSpan[]): string;
