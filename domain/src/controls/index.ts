export * from './balance-monitors.js';
export * from './commit-plan.js';
export * from './controls.js';
export * from './deadline.js';
export * from './decline-detail.js';
export * from './evaluate.js';
export * from './usage.js';
export * from './windows.js';
