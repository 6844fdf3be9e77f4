// YAML positions, schema problems as diagnostics, and their formatting; used by every loader.
export { didYouMean, didYouMeanHint, editDistance, quoteList } from './did-you-mean.ts';
export { compareDiagnostics, formatDiagnostic, formatDiagnostics, sortDiagnostics } from './format.ts';
export { loadYamlFile, parseYamlWith, readConfigText, readConfigTextSync } from './load.ts';
export { type Locate, type Located, locateWithin } from './locate.ts';
export { type PathSegment, renderPath } from './path.ts';
export { checkSchema, type SchemaCheck, type SchemaSource } from './schema-check.ts';
export { type ParsedYaml, type ParseYamlOptions, parseYaml } from './yaml.ts';
