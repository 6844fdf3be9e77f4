import { describe, expectTypeOf, it } from 'vitest';
import { createEventBus } from '../../src/events/bus.ts';
import type { EventPayload, Events, EventType } from '../../src/events/events.ts';

describe('event map types', () => {
  it('types listeners from the event map', () => {
    const bus = createEventBus();
    bus.on('AGENT_FAILED', (event) => {
      expectTypeOf(event.retryable).toEqualTypeOf<boolean>();
      expectTypeOf(event.attempt).toEqualTypeOf<number>();
      expectTypeOf(event.error.code).toEqualTypeOf<string>();
    });
    bus.on('MODEL_SELECTED', (event) => {
      expectTypeOf(event.tier).toEqualTypeOf<0 | 1 | 2 | 3 | 4>();
    });
  });

  it('rejects unknown events and wrong payloads at compile time', () => {
    const bus = createEventBus();
    // @ts-expect-error not an event
    bus.on('AGENT_EXPLODED', () => {});
    // @ts-expect-error payload lacks runId
    bus.emit('TASK_READY', { taskId: 't', priority: 'normal' });
  });

  it('pins the catalog of issue 2', () => {
    expectTypeOf<EventType>().toExtend<keyof Events>();
    expectTypeOf<
      | 'WORKFLOW_STARTED'
      | 'WORKFLOW_COMPLETED'
      | 'WORKFLOW_FAILED'
      | 'WORKFLOW_CANCELLED'
      | 'TASK_READY'
      | 'TASK_SKIPPED'
      | 'TASK_TIMED_OUT'
      | 'AGENT_INVOKED'
      | 'MODEL_SELECTED'
      | 'AGENT_COMPLETED'
      | 'AGENT_FAILED'
      | 'MODEL_TIER_UPGRADE'
      | 'BUDGET_WARNING'
      | 'BUDGET_EXCEEDED'
      | 'THROTTLE_LEVEL_CHANGED'
      | 'TASK_THROTTLED'
      | 'OUTCOME_RECORDED'
      | 'SUBSCRIBER_FAILED'
    >().toExtend<EventType>();
    expectTypeOf<EventPayload<'AGENT_COMPLETED'>['costMicroUsd']>().toEqualTypeOf<number>();
  });
});
