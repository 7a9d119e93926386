export { createLogger, silentLogger, logLevels } from './log.ts';
export type { Logger, LogLevel } from './log.ts';
export { runComponents } from './component.ts';
export type { Component } from './component.ts';
export { kubernetesVersion, skiffVersion, skiffCommit } from './version.ts';
