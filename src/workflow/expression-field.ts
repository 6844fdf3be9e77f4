// `when` and `foreach` accept a `${{ }}` template, a bare expression, a boolean (when) or a list (foreach);
// all of them become one `${{ }}` template in the normalised workflow.

/** The template form of a `when` or `foreach` value; undefined for anything else. */
export function expressionFieldTemplate(value: unknown): string | undefined {
  if (typeof value === 'boolean') return `\${{ ${value} }}`;
  if (typeof value === 'string') return value.includes('${{') ? value : `\${{ ${value} }}`;
  if (Array.isArray(value)) return `\${{ fromJson('${JSON.stringify(value).replaceAll("'", "''")}') }}`;
  return undefined;
}
