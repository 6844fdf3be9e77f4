// The DAG shapes of the coordinator bench, as parent lists by task index.

export type Dag = { name: string; needs: number[][] };

/** t0 <- t1 <- ... <- t(n-1). */
export function chain(size: number): Dag {
  return {
    name: `chain ${size}`,
    needs: Array.from({ length: size }, (_, index) => (index === 0 ? [] : [index - 1])),
  };
}

/** One root, `width` tasks that need it, one sink that needs them all. */
export function fanOut(width: number): Dag {
  const needs: number[][] = [[]];
  for (let index = 0; index < width; index++) needs.push([0]);
  needs.push(Array.from({ length: width }, (_, index) => index + 1));
  return { name: `fan-out 1->${width}->1`, needs };
}

/** `layers` layers of `width` tasks; each task needs three tasks of the layer before. */
export function layered(layers: number, width: number): Dag {
  const needs: number[][] = [];
  for (let layer = 0; layer < layers; layer++) {
    for (let column = 0; column < width; column++) {
      if (layer === 0) needs.push([]);
      else {
        const base = (layer - 1) * width;
        needs.push(
          [...new Set([column, (column + 1) % width, (column + 7) % width])].map((offset) => base + offset),
        );
      }
    }
  }
  return { name: `layered ${layers}x${width}`, needs };
}

/** Length of the longest path, counted in tasks. */
export function criticalPathLength(dag: Dag): number {
  const depth: number[] = [];
  dag.needs.forEach((parents, index) => {
    depth[index] = 1 + Math.max(0, ...parents.map((parent) => depth[parent] ?? 0));
  });
  return Math.max(...depth);
}
