/** tracelet/zone: the zone.js context manager (zone.js is an optional peer dependency). */
export { ZoneContextManager } from './context/zone.js';
