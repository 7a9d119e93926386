export { scheduler, schedulerName } from './scheduler.ts';
export { nodeAffinity, podRequests, taintToleration, tolerates, type Filter, type NodeFilter, type NodeInfo } from './filters.ts';
export { findVolume, isPreboundTo, selectedNodeAnnotation, volumeFitsNode, volumeSatisfies } from './volume-match.ts';
