// What a similarity lookup finds depends on the texts stored, never on when earlier lookups happened.
import { describe, expect, it } from 'vitest';
import { createSimilarityIndex } from '../../src/learning/index.ts';
import { createRandom } from '../../src/random.ts';

const words = ['parse', 'config', 'yaml', 'route', 'model', 'budget', 'retry', 'test', 'cache', 'log', 'fix'];

function texts(count: number): string[] {
  const random = createRandom(3);
  return Array.from({ length: count }, () =>
    Array.from({ length: 6 }, () => words[Math.floor(random() * words.length)]).join(' '),
  );
}

describe('the similarity index', () => {
  it('finds the same neighbours whether or not it was queried while texts were added', () => {
    const all = texts(400);
    const quiet = createSimilarityIndex<number>();
    const busy = createSimilarityIndex<number>();
    all.forEach((text, index) => {
      quiet.add(text, () => index);
      busy.add(text, () => index);
      // Lookups between the additions, as a router makes while a learner records outcomes.
      if (index % 7 === 0) busy.nearest(text, 5, 0.1);
    });
    for (const query of texts(20)) expect(busy.nearest(query, 8, 0.1)).toEqual(quiet.nearest(query, 8, 0.1));
  });
});
