/**
 * A figure is one reported number with its same-run baseline and, when the issue sets one, a goal.
 * The machine is shared and noisy, so goals are stated on ratios measured in the same run wherever
 * the issue allows; absolute values are kept beside them.
 */

export type Comparison = '<=' | '<' | '>=' | '>' | '==';

export interface Goal {
  /** What the goal is checked against: the figure's value or its ratio to the baseline. */
  on: 'value' | 'ratio';
  op: Comparison;
  target: number;
  /** How people read it, e.g. "<= 2x the baseline". */
  text: string;
}

export interface Baseline {
  label: string;
  value: number;
  unit: string;
}

export interface Figure {
  /** Stable id, e.g. `loader.time.1000`. */
  id: string;
  label: string;
  value: number;
  unit: string;
  baseline?: Baseline;
  /** value / baseline.value, unless the figure says otherwise in `ratioLabel`. */
  ratio?: number;
  ratioLabel?: string;
  goal?: Goal;
  /** Whether the goal was met in this run; absent when there is no goal. */
  met?: boolean;
  note?: string;
}

export function compare(actual: number, op: Comparison, target: number): boolean {
  if (!Number.isFinite(actual)) return false;
  switch (op) {
    case '<=': return actual <= target;
    case '<': return actual < target;
    case '>=': return actual >= target;
    case '>': return actual > target;
    case '==': return actual === target;
  }
}

/**
 * Builds a figure, computing the ratio (when there is a baseline) and whether the goal is met.
 * `ratio: null` leaves the ratio out where dividing the two says nothing (1 request vs 1,856).
 */
export function figure(spec: Omit<Figure, 'met' | 'ratio'> & { ratio?: number | null }): Figure {
  const ratio = spec.ratio === null ? undefined : spec.ratio ?? (spec.baseline && spec.baseline.value !== 0 ? spec.value / spec.baseline.value : undefined);
  const out: Figure = { ...spec, ratio: ratio === undefined ? undefined : Math.round(ratio * 1000) / 1000 };
  if (out.ratio === undefined) delete out.ratio;
  if (spec.goal) {
    const actual = spec.goal.on === 'ratio' ? ratio : spec.value;
    out.met = actual !== undefined && compare(actual, spec.goal.op, spec.goal.target);
  }
  return out;
}

export function goal(on: Goal['on'], op: Comparison, target: number, text: string): Goal {
  return { on, op, target, text };
}
