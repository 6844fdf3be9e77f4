// A local HTTP server speaking the OpenAI chat-completions, Anthropic messages and Gemini generateContent wire formats
// (JSON and SSE streaming, usage included), so tests run the real AI SDK clients offline.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { googleError, googleEvents, googleJson, googleRoute } from './fake-google-wire.ts';

export type FakeUsage = { input: number; output: number; cached?: number; reasoning?: number };

/** What the server does with one request. */
export type FakeReply =
  /** `delayMs` spaces the stream's events, to show a slow but steady stream is not cut off. */
  | { kind: 'text'; text: string; usage: FakeUsage; delayMs?: number }
  | {
      kind: 'error';
      status: number;
      message: string;
      headers?: Record<string, string>;
      /** Repeats the key the client sent (as a careless server would), raw and in a URL, in the message. */
      echoKey?: boolean;
    }
  /** Never answers: the client's timeout or abort ends the request. */
  | { kind: 'hang' }
  /** Streams the first `sentChunks` pieces of `text` (with usage where the format sends it early), then hangs. */
  | { kind: 'stall'; text: string; usage: FakeUsage; sentChunks: number };

export type RecordedRequest = {
  path: string;
  format: Format | 'other';
  stream: boolean;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
};

export type FakeLlmServer = {
  /** `http://127.0.0.1:<port>/v1` */
  baseURL: string;
  requests: RecordedRequest[];
  /** Replies used in order; the last one repeats once the others are used. */
  reply: (...replies: FakeReply[]) => void;
  /** Answers each request by what it asks (e.g. its model); replaces `reply` until it is called again. */
  replyBy: (choose: (request: RecordedRequest & { model: string }) => FakeReply) => void;
  close: () => Promise<void>;
};

type Format = 'openai' | 'anthropic' | 'google';

/** Starts the fake server on 127.0.0.1 with an ephemeral port. */
export async function startFakeLlmServer(): Promise<FakeLlmServer> {
  let replies: FakeReply[] = [{ kind: 'text', text: 'hello', usage: { input: 1, output: 1 } }];
  let chooser: ((request: RecordedRequest & { model: string }) => FakeReply) | undefined;
  const requests: RecordedRequest[] = [];
  const open = new Set<ServerResponse>();

  const server = createServer(async (request, response) => {
    const raw = await readBody(request);
    const path = (request.url ?? '').split('?')[0] ?? '';
    const google = googleRoute(path);
    const format = path.endsWith('/chat/completions')
      ? 'openai'
      : path.endsWith('/messages')
        ? 'anthropic'
        : google !== undefined
          ? 'google'
          : 'other';
    const body = parseJson(raw);
    const stream = google?.stream ?? body.stream === true;
    const recorded: RecordedRequest = { path, format, stream, headers: request.headers, body };
    requests.push(recorded);
    if (format === 'other') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const model = google?.model ?? String(body.model ?? 'unknown');
    const next =
      chooser !== undefined
        ? chooser({ ...recorded, model })
        : replies.length > 1
          ? replies.shift()
          : replies[0];
    open.add(response);
    response.on('close', () => open.delete(response));
    const reply = next?.kind === 'error' && next.echoKey === true ? echo(next, request) : next;
    answer(response, format, stream, model, reply ?? { kind: 'hang' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    reply: (...next) => {
      chooser = undefined;
      replies = next;
    },
    replyBy: (choose) => {
      chooser = choose;
    },
    close: async () => {
      for (const response of open) response.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answer(
  response: ServerResponse,
  format: Format,
  stream: boolean,
  model: string,
  reply: FakeReply,
): void {
  switch (reply.kind) {
    case 'hang':
      return;
    case 'error':
      response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      response.end(JSON.stringify(errorBody[format](reply)));
      return;
    case 'text':
    case 'stall': {
      if (!stream) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(jsonBody[format](model, reply)));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const events =
        format === 'openai'
          ? openaiEvents(model, reply)
          : format === 'anthropic'
            ? anthropicEvents(model, reply)
            : googleEvents(sentPieces(reply), reply.usage, reply.kind === 'text');
      const delayMs = reply.kind === 'text' ? (reply.delayMs ?? 0) : 0;
      if (delayMs > 0) {
        void writeSlowly(response, events, delayMs);
        return;
      }
      for (const event of events) response.write(event);
      if (reply.kind === 'text') response.end();
      return;
    }
  }
}

const errorBody = { openai: openaiError, anthropic: anthropicError, google: googleError };
const jsonBody = {
  openai: openaiJson,
  anthropic: anthropicJson,
  google: (_model: string, reply: { text: string; usage: FakeUsage }) => googleJson(reply),
};

function sentPieces(reply: Extract<FakeReply, { kind: 'text' | 'stall' }>): string[] {
  const all = pieces(reply.text);
  return reply.kind === 'stall' ? all.slice(0, reply.sentChunks) : all;
}

function echo(reply: Extract<FakeReply, { kind: 'error' }>, request: IncomingMessage): FakeReply {
  const header =
    request.headers.authorization ?? request.headers['x-api-key'] ?? request.headers['x-goog-api-key'] ?? '';
  const key = String(header).replace(/^Bearer /, '');
  const url = `http://${request.headers.host}${request.url}?key=${encodeURIComponent(key)}`;
  return { ...reply, message: `${reply.message}: key "${key}" refused at ${url}` };
}

/** How the server splits a text into stream deltas: after each space. */
export function pieces(text: string): string[] {
  return text.split(/(?<= )/);
}

function openaiJson(model: string, reply: { text: string; usage: FakeUsage }) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: reply.text }, finish_reason: 'stop' }],
    usage: openaiUsage(reply.usage),
  };
}

function openaiUsage(usage: FakeUsage) {
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cached ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoning ?? 0 },
  };
}

function openaiEvents(model: string, reply: Extract<FakeReply, { kind: 'text' | 'stall' }>): string[] {
  const chunk = (delta: object, finish: string | null, extra: object = {}) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
  const all = pieces(reply.text);
  const sent = reply.kind === 'stall' ? all.slice(0, reply.sentChunks) : all;
  const events = sent.map((piece, index) =>
    chunk(index === 0 ? { role: 'assistant', content: piece } : { content: piece }, null),
  );
  if (reply.kind === 'stall') return events;
  events.push(chunk({}, 'stop'));
  events.push(
    `data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [], usage: openaiUsage(reply.usage) })}\n\n`,
  );
  events.push('data: [DONE]\n\n');
  return events;
}

function anthropicJson(model: string, reply: { text: string; usage: FakeUsage }) {
  return {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: reply.text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: anthropicUsage(reply.usage, reply.usage.output),
  };
}

function anthropicUsage(usage: FakeUsage, output: number) {
  return {
    input_tokens: usage.input,
    output_tokens: output,
    cache_read_input_tokens: usage.cached ?? 0,
    cache_creation_input_tokens: 0,
  };
}

function anthropicEvents(model: string, reply: Extract<FakeReply, { kind: 'text' | 'stall' }>): string[] {
  const event = (type: string, data: object) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const all = pieces(reply.text);
  const sent = reply.kind === 'stall' ? all.slice(0, reply.sentChunks) : all;
  const events = [
    event('message_start', {
      message: {
        id: 'msg_fake',
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: anthropicUsage(reply.usage, 1),
      },
    }),
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ...sent.map((text) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })),
  ];
  if (reply.kind === 'stall') return events;
  events.push(event('content_block_stop', { index: 0 }));
  events.push(
    event('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: reply.usage.output },
    }),
  );
  events.push(event('message_stop', {}));
  return events;
}

function openaiError(reply: { status: number; message: string }) {
  return {
    error: {
      message: reply.message,
      type: reply.status === 429 ? 'rate_limit_exceeded' : 'error',
      code: null,
    },
  };
}

function anthropicError(reply: { status: number; message: string }) {
  const type =
    reply.status === 429 ? 'rate_limit_error' : reply.status === 401 ? 'authentication_error' : 'api_error';
  return { type: 'error', error: { type, message: reply.message } };
}

async function writeSlowly(
  response: ServerResponse,
  events: readonly string[],
  delayMs: number,
): Promise<void> {
  for (const event of events) {
    if (response.destroyed) return;
    response.write(event);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  response.end();
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
