// The prices the cost tracker needs, behind a small interface: the model catalog provides them.
import type { ModelCatalog } from '../config/models.ts';
import type { Tier } from '../events/vocabulary.ts';

/** A model's price in integer micro-USD per million tokens. */
export type TokenPrice = {
  inputMicroUsdPerMTok: number;
  outputMicroUsdPerMTok: number;
  tier: Tier;
};

/** Prices by model id; the model catalog implements it (see `createPriceBook`). */
export type PriceBook = {
  price: (modelId: string) => TokenPrice | undefined;
  /** The highest input and output prices among the tier's models: what an unknown model is assumed to cost. */
  highestForTier: (tier: Tier) => TokenPrice | undefined;
  /** The strongest model (highest tier, then highest price): the baseline that savings are measured against. */
  strongest: () => (TokenPrice & { modelId: string }) | undefined;
};

export type PricedModel = TokenPrice & { id: string };

/** A price book over a list of models. */
export function createPriceBook(models: readonly PricedModel[]): PriceBook {
  const byId = new Map(models.map((model) => [model.id, model]));
  const total = (model: TokenPrice) => model.inputMicroUsdPerMTok + model.outputMicroUsdPerMTok;
  let strongest: PricedModel | undefined;
  for (const model of models) {
    if (
      strongest === undefined ||
      model.tier > strongest.tier ||
      (model.tier === strongest.tier && total(model) > total(strongest))
    ) {
      strongest = model;
    }
  }
  return {
    price: (modelId) => byId.get(modelId),
    highestForTier: (tier) => {
      const inTier = models.filter((model) => model.tier === tier);
      if (inTier.length === 0) return undefined;
      return {
        inputMicroUsdPerMTok: Math.max(...inTier.map((model) => model.inputMicroUsdPerMTok)),
        outputMicroUsdPerMTok: Math.max(...inTier.map((model) => model.outputMicroUsdPerMTok)),
        tier,
      };
    },
    strongest: () =>
      strongest === undefined
        ? undefined
        : {
            modelId: strongest.id,
            inputMicroUsdPerMTok: strongest.inputMicroUsdPerMTok,
            outputMicroUsdPerMTok: strongest.outputMicroUsdPerMTok,
            tier: strongest.tier,
          },
  };
}

/** What `inputTokens` in and `outputTokens` out cost at `price`, rounded up to a whole micro-USD. */
export function priceTokens(price: TokenPrice, inputTokens: number, outputTokens: number): number {
  const exact = inputTokens * price.inputMicroUsdPerMTok + outputTokens * price.outputMicroUsdPerMTok;
  return Math.ceil(exact / 1_000_000);
}

/** The price book of the model catalog (config/models.yaml). */
export function priceBookFromCatalog(catalog: Pick<ModelCatalog, 'models'>): PriceBook {
  return createPriceBook(
    catalog.models.map((model) => ({
      id: model.id,
      tier: model.tier,
      inputMicroUsdPerMTok: model.inputMicroUsdPerMillion,
      outputMicroUsdPerMTok: model.outputMicroUsdPerMillion,
    })),
  );
}
