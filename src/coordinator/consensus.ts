// A consensus validator: the peers the router named for the attempt answer the handler's last model
// request, one after the other, and the attempt passes when each gives the attempt's own answer.
import { readAnswer } from '../agents/read-answer.ts';
import type { LlmRequest } from '../agents/types.ts';
import { OrchestratorError } from '../errors.ts';
import type { Json, ModelRef } from '../events/vocabulary.ts';
import type { ConsensusValidator } from '../workflow/model.ts';
import type { Attempt } from './attempt-state.ts';
import { toEventError } from './retry.ts';
import type { Consensus } from './state.ts';

/** A consensus verdict: a pass (never with a quality), or a fail that always says why. */
export type ConsensusVerdict = { ok: true } | { ok: false; reason: string };

const passed: ConsensusVerdict = Object.freeze({ ok: true });

/**
 * Asks the attempt's peers (at most `validator.peers`) the handler's last request and compares
 * answers; stops at the first dissent. No peers named: passes unasked. An agreement gives no
 * quality: it is not a verification. Rejects only when the attempt is aborted (or the task budget
 * refuses a peer call), like any model call of the attempt.
 */
export async function checkConsensus(
  attempt: Attempt,
  validator: ConsensusValidator,
  output: Json,
): Promise<ConsensusVerdict> {
  const asked = attempt.lastRequest;
  if (asked === undefined) {
    const agent = attempt.unit.record.definition.agent;
    return failed(
      `agent "${agent}" made no ctx.llm call; a consensus needs one, to ask its peers the same request`,
    );
  }
  const answer = readAnswer(output, validator.answer);
  const consensus: Consensus = { answer, peers: [] };
  attempt.consensus = consensus;
  const own = attempt.selection.model?.id ?? 'unknown';
  // A model agreeing with itself checks nothing: a peer named like the attempt's model is skipped.
  const peers = attempt.selection.peers.filter((peer) => peer.id !== own).slice(0, validator.peers);
  if (peers.length === 0) return passed;
  // A missing answer cannot be agreed with: no peer is paid to say so.
  if (answer === null) return failed(noAnswer(validator));
  // Peers answer the same question; the stream callback is the handler's, not theirs.
  const { onText: _handlersStream, ...request } = asked;
  for (const peer of peers) {
    const heard = await askPeer(attempt, peer, request, validator);
    const agreed = heard.answer === answer;
    consensus.peers.push({ model: peer.id, answer: heard.answer, agreed, costMicroUsd: heard.costMicroUsd });
    if (!agreed)
      return failed(
        `model ${peer.id} ${peerSaid(heard, validator)}, model ${own} answered ${JSON.stringify(answer)}`,
      );
  }
  return passed;
}

type Heard = { answer: string | null; costMicroUsd: number; failure: string | undefined };

/** One peer's answer, its cost booked on the attempt; a failed call is a dissent without an answer. */
async function askPeer(
  attempt: Attempt,
  peer: ModelRef,
  request: LlmRequest,
  validator: ConsensusValidator,
): Promise<Heard> {
  const before = attempt.costMicroUsd;
  attempt.peersAsked = [...attempt.peersAsked, peer.id];
  try {
    const response = await attempt.call(request, peer);
    const answer = readAnswer(response.text, validator.answer);
    return { answer, costMicroUsd: attempt.costMicroUsd - before, failure: undefined };
  } catch (error) {
    // An abort ends the attempt like any abort; a refused budget is the task's end, not the peer's.
    if (attempt.aborted) throw attempt.reason;
    if (error instanceof OrchestratorError && error.code === 'BUDGET_EXCEEDED') throw error;
    const { code, message } = toEventError(error);
    return {
      answer: null,
      costMicroUsd: attempt.costMicroUsd - before,
      failure: `could not be asked (${code}: ${message})`,
    };
  }
}

/** Why the attempt's own output gave nothing to compare. */
function noAnswer(validator: ConsensusValidator): string {
  return validator.answer === undefined
    ? 'the output is empty, so there is no answer to compare'
    : `no answer matched /${validator.answer}/ in the output`;
}

/** What a peer said, for the dissent message. */
function peerSaid(heard: Heard, validator: ConsensusValidator): string {
  if (heard.failure !== undefined) return heard.failure;
  if (heard.answer !== null) return `answered ${JSON.stringify(heard.answer)}`;
  return validator.answer === undefined
    ? 'gave an empty answer'
    : `gave no answer matching /${validator.answer}/`;
}

function failed(reason: string): ConsensusVerdict {
  return { ok: false, reason };
}
