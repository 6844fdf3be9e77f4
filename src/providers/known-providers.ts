import type { ProviderKind } from './sdk-model.ts';

/** A provider tierflow knows by name: its SDK family, default base URL and environment variables. */
export type KnownProvider = {
  kind: ProviderKind;
  /** Undefined for local servers: they are configured by setting their base URL. */
  defaultBaseURL: string | undefined;
  keyEnv: readonly string[];
  baseURLEnv: string;
  keyRequired: boolean;
};

/** The providers configured from the usual environment variables, no config file needed. */
export const knownProviders: Readonly<Record<string, KnownProvider>> = {
  anthropic: {
    kind: 'anthropic',
    defaultBaseURL: 'https://api.anthropic.com/v1',
    keyEnv: ['ANTHROPIC_API_KEY'],
    baseURLEnv: 'ANTHROPIC_BASE_URL',
    keyRequired: true,
  },
  openai: {
    kind: 'openai',
    defaultBaseURL: 'https://api.openai.com/v1',
    keyEnv: ['OPENAI_API_KEY'],
    baseURLEnv: 'OPENAI_BASE_URL',
    keyRequired: true,
  },
  google: {
    kind: 'google',
    defaultBaseURL: 'https://generativelanguage.googleapis.com/v1beta',
    keyEnv: ['GOOGLE_GENERATIVE_AI_API_KEY', 'GEMINI_API_KEY'],
    baseURLEnv: 'GOOGLE_GENERATIVE_AI_BASE_URL',
    keyRequired: true,
  },
  openrouter: {
    kind: 'openai-compatible',
    defaultBaseURL: 'https://openrouter.ai/api/v1',
    keyEnv: ['OPENROUTER_API_KEY'],
    baseURLEnv: 'OPENROUTER_BASE_URL',
    keyRequired: true,
  },
  ollama: {
    kind: 'openai-compatible',
    defaultBaseURL: undefined,
    keyEnv: ['OLLAMA_API_KEY'],
    baseURLEnv: 'OLLAMA_BASE_URL',
    keyRequired: false,
  },
  vllm: {
    kind: 'openai-compatible',
    defaultBaseURL: undefined,
    keyEnv: ['VLLM_API_KEY'],
    baseURLEnv: 'VLLM_BASE_URL',
    keyRequired: false,
  },
  lmstudio: {
    kind: 'openai-compatible',
    defaultBaseURL: undefined,
    keyEnv: ['LMSTUDIO_API_KEY'],
    baseURLEnv: 'LMSTUDIO_BASE_URL',
    keyRequired: false,
  },
};

/**
 * Local OpenAI-compatible servers are often given as `http://localhost:11434` (Ollama's own
 * habit); their OpenAI-compatible API lives under `/v1`, so a URL with no path gets it appended.
 */
export function normaliseBaseURL(url: string, kind: ProviderKind): string {
  const trimmed = url.replace(/\/+$/, '');
  if (kind !== 'openai-compatible') return trimmed;
  try {
    return new URL(trimmed).pathname === '/' ? `${trimmed}/v1` : trimmed;
  } catch {
    return trimmed;
  }
}
