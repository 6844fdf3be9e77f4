// The Google Gemini generateContent wire format (JSON and SSE) for the fake LLM server.
import type { FakeUsage } from './fake-llm-server.ts';

function usageMetadata(usage: FakeUsage) {
  return {
    promptTokenCount: usage.input,
    candidatesTokenCount: usage.output,
    totalTokenCount: usage.input + usage.output + (usage.reasoning ?? 0),
    ...(usage.cached === undefined ? {} : { cachedContentTokenCount: usage.cached }),
    ...(usage.reasoning === undefined ? {} : { thoughtsTokenCount: usage.reasoning }),
  };
}

const candidate = (text: string, finishReason?: string) => ({
  content: { role: 'model', parts: [{ text }] },
  index: 0,
  ...(finishReason === undefined ? {} : { finishReason }),
});

export function googleJson(reply: { text: string; usage: FakeUsage }) {
  return { candidates: [candidate(reply.text, 'STOP')], usageMetadata: usageMetadata(reply.usage) };
}

/** Gemini sends usage with every chunk; the last chunk carries the finish reason. */
export function googleEvents(pieces: readonly string[], usage: FakeUsage, complete: boolean): string[] {
  return pieces.map((piece, index) => {
    const last = complete && index === pieces.length - 1;
    return `data: ${JSON.stringify({ candidates: [candidate(piece, last ? 'STOP' : undefined)], usageMetadata: usageMetadata(usage) })}\r\n\r\n`;
  });
}

export function googleError(reply: { status: number; message: string }) {
  const status =
    reply.status === 429 ? 'RESOURCE_EXHAUSTED' : reply.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL';
  return { error: { code: reply.status, message: reply.message, status } };
}

/** The model id and whether the request streams, from a path like `/v1/models/gemini-x:streamGenerateContent`. */
export function googleRoute(path: string): { model: string; stream: boolean } | undefined {
  const match = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(path);
  return match === null ? undefined : { model: match[1] ?? '', stream: match[2] === 'streamGenerateContent' };
}
