// The cost subsystem's public surface: the tracker subscriber, the ledger, reports and formatting.
export * from './budget-status.ts';
export * from './estimate.ts';
export * from './format.ts';
export * from './ledger.ts';
export * from './ledger-types.ts';
export * from './periods.ts';
export * from './price-book.ts';
export * from './report.ts';
export * from './report-format.ts';
export * from './scope.ts';
export * from './session.ts';
export * from './since.ts';
export * from './throttle.ts';
export * from './throttle-state.ts';
export * from './tokens.ts';
export * from './tracker.ts';
