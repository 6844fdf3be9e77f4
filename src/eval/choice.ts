/**
 * The multiple-choice letter a response commits to (`"B"`, `"(c)"`, `"Answer: D"`), or undefined when
 * it gives none (a refusal, an explanation without a leading letter, code).
 */
export function extractChoice(response: string): string | undefined {
  const match = /^\s*(?:the\s+)?(?:answer\s*(?:is)?\s*[:-]?\s*)?\(?([A-Ea-e])(?![A-Za-z0-9])/i.exec(response);
  if (match === null) return undefined;
  return match[1]?.toUpperCase();
}
