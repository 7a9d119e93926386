export { apiServer, systemNamespaces } from './component.ts';
export type { ApiServer, ApiServerConfig } from './component.ts';
export { serve } from './serve.ts';
export type { ServeContext } from './serve.ts';
export { route } from './route.ts';
export { toTable, age } from './table.ts';
