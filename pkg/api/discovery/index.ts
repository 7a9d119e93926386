export { apiVersions, apiGroupList, apiGroupDoc, apiResourceList, groupVersions } from './legacy.ts';
export { aggregatedDiscovery, aggregatedContentType } from './aggregated.ts';
