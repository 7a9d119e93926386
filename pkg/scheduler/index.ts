export { scheduler, schedulerName } from './scheduler.ts';
export { defaultFilters, nodeAffinity, podRequests, taintToleration, tolerates, type Filter, type NodeInfo } from './filters.ts';
export { score } from './score.ts';
export { findVolume, isPreboundTo, selectedNodeAnnotation, volumeFitsNode, volumeSatisfies } from './volume-match.ts';
