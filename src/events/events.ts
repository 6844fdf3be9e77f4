import type { z } from 'zod';
import { subscriberFailedSchema } from './bus-events.ts';
import {
  admissionDecidedSchema,
  budgetExceededSchema,
  budgetWarningSchema,
  taskThrottledSchema,
  throttleLevelChangedSchema,
} from './cost-events.ts';
import { outcomeRecordedSchema, routingPolicyUpdatedSchema } from './learning-events.ts';
import { providerCooldownSchema } from './provider-events.ts';
import { modelSelectedSchema, modelTierUpgradeSchema } from './routing-events.ts';
import {
  admissionRequestedSchema,
  agentCompletedSchema,
  agentFailedSchema,
  agentInvokedSchema,
  taskCancelledSchema,
  taskFailedSchema,
  taskReadySchema,
  taskSettledSchema,
  taskSkippedSchema,
  taskSucceededSchema,
  taskTimedOutSchema,
  workflowCancelledSchema,
  workflowCompletedSchema,
  workflowFailedSchema,
  workflowStartedSchema,
} from './run-events.ts';

/** Every event of tierflow with the schema of its payload; the comment names the emitting folder. */
export const eventSchemas = {
  WORKFLOW_STARTED: workflowStartedSchema, // coordinator
  WORKFLOW_COMPLETED: workflowCompletedSchema, // coordinator
  WORKFLOW_FAILED: workflowFailedSchema, // coordinator
  WORKFLOW_CANCELLED: workflowCancelledSchema, // coordinator
  TASK_READY: taskReadySchema, // coordinator
  TASK_SKIPPED: taskSkippedSchema, // coordinator
  TASK_CANCELLED: taskCancelledSchema, // coordinator
  TASK_SUCCEEDED: taskSucceededSchema, // coordinator
  TASK_FAILED: taskFailedSchema, // coordinator
  TASK_SETTLED: taskSettledSchema, // coordinator
  TASK_TIMED_OUT: taskTimedOutSchema, // coordinator
  AGENT_INVOKED: agentInvokedSchema, // coordinator
  ADMISSION_REQUESTED: admissionRequestedSchema, // coordinator
  AGENT_COMPLETED: agentCompletedSchema, // coordinator
  AGENT_FAILED: agentFailedSchema, // coordinator
  MODEL_SELECTED: modelSelectedSchema, // routing
  MODEL_TIER_UPGRADE: modelTierUpgradeSchema, // routing
  ADMISSION_DECIDED: admissionDecidedSchema, // cost
  BUDGET_WARNING: budgetWarningSchema, // cost
  BUDGET_EXCEEDED: budgetExceededSchema, // cost
  THROTTLE_LEVEL_CHANGED: throttleLevelChangedSchema, // cost
  TASK_THROTTLED: taskThrottledSchema, // cost
  OUTCOME_RECORDED: outcomeRecordedSchema, // learning
  ROUTING_POLICY_UPDATED: routingPolicyUpdatedSchema, // learning
  PROVIDER_COOLDOWN: providerCooldownSchema, // providers
  SUBSCRIBER_FAILED: subscriberFailedSchema, // events (the bus)
} as const;

export type EventType = keyof typeof eventSchemas;

/** The payload of each event, read-only. */
export type EventPayload<T extends EventType> = Readonly<z.infer<(typeof eventSchemas)[T]>>;

/** The event map: `bus.on`, `bus.emit` and every listener are typed from it. */
export type Events = { [T in EventType]: [event: EventPayload<T>] };

export const eventTypes = Object.keys(eventSchemas) as EventType[];

/** A concrete event with its type, as the JSONL sink writes it (without `at`). */
export type AnyEvent = { [T in EventType]: { type: T; payload: EventPayload<T> } }[EventType];
