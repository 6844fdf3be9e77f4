/** Folder rules of docs/architecture.md, checked by `npm run lint`. */
const layer = (from, to, comment) => ({
  name: `no-${from}-to-${to}`,
  comment,
  severity: 'error',
  from: { path: `^src/${from}/` },
  to: { path: `^src/(${to})/` },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles make the layering meaningless.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'events-import-nothing-of-ours',
      comment: 'events/ is the bottom layer: it imports nothing else of ours.',
      severity: 'error',
      from: { path: '^src/events/' },
      to: { path: '^src/', pathNot: '^src/events/' },
    },
    layer(
      'coordinator',
      'routing|cost|learning|store|journal|eval|cli',
      'The coordinator meets routing, cost and learning only on the bus.',
    ),
    layer(
      'routing',
      'coordinator|cost|learning|journal|eval|cli',
      'Routing depends on a quality-estimate interface, wired in orchestrator.ts.',
    ),
    layer(
      'cost',
      'coordinator|routing|learning|journal|eval|cli',
      'Cost meets the coordinator only on the bus.',
    ),
    layer(
      'learning',
      'coordinator|routing|cost|journal|eval|cli',
      'Learning meets the coordinator only on the bus.',
    ),
    layer(
      'workflow',
      'coordinator|routing|cost|learning|agents|providers|store|cli',
      'workflow/ is a leaf below the runtime.',
    ),
    layer(
      'config',
      'coordinator|routing|cost|learning|agents|providers|store|cli',
      'config/ is a leaf below the runtime.',
    ),
    layer(
      'providers',
      'coordinator|routing|cost|learning|agents|store|cli',
      'Providers are adapters below the runtime.',
    ),
    layer(
      'diagnostics',
      'events|workflow|config|coordinator|routing|cost|learning|agents|providers|store|cli',
      'diagnostics/ is a leaf.',
    ),
    {
      name: 'journal-only-from-the-composition-root',
      comment: 'Only orchestrator.ts wires the run journal in (index.ts re-exports it).',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/journal/', '^src/orchestrator', '^src/index\\.ts$'] },
      to: { path: '^src/journal/' },
    },
    {
      name: 'cli-uses-public-api-only',
      comment: 'cli/ imports only what index.ts exports, like any user would.',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/', pathNot: ['^src/cli/', '^src/index\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
