import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import type { Secret } from './secret.ts';

/** The SDK family an adapter is built on. */
export type ProviderKind = 'anthropic' | 'openai' | 'google' | 'openai-compatible';

export type SdkModelFactoryOptions = {
  name: string;
  kind: ProviderKind;
  baseURL: string | undefined;
  apiKey: Secret | undefined;
  fetch?: typeof globalThis.fetch;
};

/**
 * Builds the SDK client once and returns a function from model id to SDK model. This is the only
 * place where a key is revealed. OpenAI goes through chat completions, the format shared with every
 * OpenAI-compatible server; OpenAI-compatible servers report streaming usage (`includeUsage`).
 */
export function createSdkModelFactory(options: SdkModelFactoryOptions): (modelId: string) => LanguageModel {
  const common = {
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  };
  // An empty key keeps the SDK from reading the environment itself: tierflow alone decides.
  const apiKey = options.apiKey?.reveal() ?? '';
  switch (options.kind) {
    case 'anthropic': {
      const provider = createAnthropic({ ...common, apiKey });
      return (modelId) => provider(modelId);
    }
    case 'openai': {
      const provider = createOpenAI({ ...common, apiKey });
      return (modelId) => provider.chat(modelId);
    }
    case 'google': {
      const provider = createGoogleGenerativeAI({ ...common, apiKey });
      return (modelId) => provider(modelId);
    }
    case 'openai-compatible': {
      const provider = createOpenAICompatible({
        ...common,
        name: options.name,
        baseURL: options.baseURL ?? '',
        ...(options.apiKey === undefined ? {} : { apiKey }),
        includeUsage: true,
      });
      return (modelId) => provider.chatModel(modelId);
    }
  }
}
