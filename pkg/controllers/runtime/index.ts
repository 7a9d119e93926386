export { WorkQueue } from './work-queue.ts';
export { controllerLoop } from './controller.ts';
export { Expectations } from './expectations.ts';
export { controllerOf, selectorMatches, type LabelSelector } from './selector.ts';
