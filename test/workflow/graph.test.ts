import { describe, expect, it } from 'vitest';
import { findCycles, parseWorkflow, taskGraph, toDot, toMermaid } from '../../src/workflow/index.ts';
import type { TaskDefinition } from '../../src/workflow/model.ts';

const workflow = parseWorkflow(
  'version: 1\nid: spb\nconcurrency: { phases: { scout: 2, build: 1 } }\ntasks:\n  - id: scout-code\n    agent: shell\n    phase: scout\n    input: { command: ls }\n  - id: plan\n    agent: llm\n    needs: scout-code\n  - id: build\n    agent: builder\n    phase: build\n    needs: plan\n    when: "true"\n  - id: docs\n    agent: llm\n    needs: [plan]\n    foreach: "[1]"\n    as: page\n  - id: review\n    agent: llm\n    phase: build\n    needs: [build, docs]\n    trigger: all_done\n',
  { file: 'spb.yaml' },
);

describe('taskGraph', () => {
  it('orders tasks after their needs and answers ancestry questions', () => {
    const graph = taskGraph(workflow);
    expect(graph.order).toEqual(['scout-code', 'plan', 'build', 'docs', 'review']);
    expect([...graph.ancestors('review')].sort()).toEqual(['build', 'docs', 'plan', 'scout-code']);
    expect([...graph.descendants('plan')].sort()).toEqual(['build', 'docs', 'review']);
    expect(graph.parents('review')).toEqual(['build', 'docs']);
    expect(graph.children('plan')).toEqual(['build', 'docs']);
    expect(graph.ancestors('review')).toBe(graph.ancestors('review'));
  });

  it('rejects a loop in a workflow built in code', () => {
    const task = (id: string, needs: string[]) => ({ ...workflow.tasks[1]!, id, needs }) as TaskDefinition;
    expect(() => taskGraph({ tasks: [task('a', ['b']), task('b', ['a'])] })).toThrow(
      'Tasks depend on each other in a loop: a -> b -> a.',
    );
    expect(() => taskGraph({ tasks: [task('a', ['zzz'])] })).toThrow(
      expect.objectContaining({ code: 'WORKFLOW_UNKNOWN_DEPENDENCY' }),
    );
  });
});

describe('findCycles', () => {
  const needs: Record<string, string[]> = { a: ['c'], b: ['a'], c: ['b'], d: ['d'], e: ['a'] };
  it('finds every loop once, in run order, starting at the task written first', () => {
    expect(findCycles(Object.keys(needs), (id) => needs[id] ?? [])).toEqual([
      ['a', 'b', 'c', 'a'],
      ['d', 'd'],
    ]);
  });

  it('handles long chains without recursion', () => {
    const ids = Array.from({ length: 50_000 }, (_, index) => `t${index}`);
    expect(findCycles(ids, (id) => (id === 't0' ? [] : [`t${Number(id.slice(1)) - 1}`]))).toEqual([]);
  });
});

describe('pictures', () => {
  it('draws Mermaid with phases as subgraphs', () => {
    expect(toMermaid(workflow)).toMatchInlineSnapshot(`
      "flowchart LR
        subgraph phase_scout["scout"]
          t0["scout-code<br/>shell"]
        end
        t1["plan<br/>llm"]
        t3[["docs<br/>llm · foreach page"]]
        subgraph phase_build["build"]
          t2["build<br/>builder · when"]
          t4["review<br/>llm · all_done"]
        end
        t0 --> t1
        t1 --> t2
        t1 --> t3
        t2 --> t4
        t3 --> t4
      "
    `);
  });

  it('draws DOT with phases as clusters', () => {
    expect(toDot(workflow)).toMatchInlineSnapshot(`
      "digraph "spb" {
        rankdir=LR;
        node [shape=box, fontname="Helvetica"];
        subgraph "cluster_scout" {
          label="scout";
          "scout-code" [label="scout-code\\nshell"];
        }
        "plan" [label="plan\\nllm"];
        "docs" [label="docs\\nllm · foreach page", peripheries=2];
        subgraph "cluster_build" {
          label="build";
          "build" [label="build\\nbuilder · when"];
          "review" [label="review\\nllm · all_done"];
        }
        "scout-code" -> "plan";
        "plan" -> "build";
        "plan" -> "docs";
        "build" -> "review";
        "docs" -> "review";
      }
      "
    `);
  });
});
