// Counting tokens with a real BPE tokenizer (o200k_base, bundled with js-tiktoken; no download).
import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';

/** Counts the tokens of a text. */
export type TokenCounter = (text: string) => number;

let encoder: Tiktoken | undefined;

// Byte-pair merging is quadratic in the length of one pre-token, so long runs without a break
// (minified code, base64, padding) are counted in short pieces; this can only over-count slightly.
const longRun = /\S{64,}|\s{64,}/g;
const pieceLength = 12;

/**
 * Counts tokens with o200k_base. The first call builds the encoder (about half a second); call it
 * once at start-up to keep that off the first admission.
 */
export const countTokens: TokenCounter = (text) => {
  encoder ??= new Tiktoken(o200kBase);
  const bpe = encoder;
  let count = 0;
  const rest = text.replace(longRun, (run) => {
    for (let start = 0; start < run.length; start += pieceLength) {
      count += bpe.encode(run.slice(start, start + pieceLength)).length;
    }
    return ' ';
  });
  return count + bpe.encode(rest).length;
};
