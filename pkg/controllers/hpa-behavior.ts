/**
 * How far and how fast an HPA may move (upstream horizontal.go's normalizeDesiredReplicas and
 * normalizeDesiredReplicasWithBehaviors): stabilization windows over past recommendations, scale
 * rate policies over past scale events, and min/max bounds. The history is per HPA, in memory,
 * as in kube-controller-manager (a restart forgets it).
 */

export interface ScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

export interface ScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
  policies?: ScalingPolicy[];
}

export interface Behavior {
  scaleUp?: ScalingRules;
  scaleDown?: ScalingRules;
}

/** Upstream's defaults for a behavior that is given but incomplete (SetDefaults_HorizontalPodAutoscalerBehavior). */
export const defaultScaleUp: Required<ScalingRules> = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] };
export const defaultScaleDown: Omit<Required<ScalingRules>, 'stabilizationWindowSeconds'> = { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

/** A condition the normalization sets: AbleToScale (always True here) or ScalingLimited. */
export interface Verdict {
  reason: string;
  message: string;
}

export interface Normalized {
  replicas: number;
  able: Verdict;
  /** ScalingLimited: status True when the bounds or rates changed the stabilized recommendation. */
  limited: Verdict & { status: boolean };
}

interface Recommendation {
  replicas: number;
  at: number;
}

interface ScaleEvent {
  change: number;
  at: number;
}

const readyForNewScale: Verdict = { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const scaleDownStabilized: Verdict = { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
const scaleUpStabilized: Verdict = { reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' };
const withinRange: Verdict = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const tooFew: Verdict = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
const tooMany: Verdict = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
const upLimit: Verdict = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
const downLimit: Verdict = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };

export interface Bounds {
  current: number;
  desired: number;
  min: number;
  max: number;
}

/** Per-HPA recommendations and scale events. Not safe for two reconciles of one key at once (the work queue guarantees that). */
export class ScaleHistory {
  private readonly recommendations = new Map<string, Recommendation[]>();
  private readonly ups = new Map<string, ScaleEvent[]>();
  private readonly downs = new Map<string, ScaleEvent[]>();

  /** @param downscaleWindowMs --horizontal-pod-autoscaler-downscale-stabilization (5 min). */
  constructor(private readonly downscaleWindowMs = 300_000) {}

  forget(key: string): void {
    this.recommendations.delete(key);
    this.ups.delete(key);
    this.downs.delete(key);
  }

  /** Without a behavior: the highest recommendation of the downscale window, then at most max(2×current, 4). */
  normalize(key: string, b: Bounds, now: number): Normalized {
    const recs = this.recommendations.get(key) ?? [];
    const cutoff = now - this.downscaleWindowMs;
    let stabilized = b.desired;
    for (const r of recs) if (r.at >= cutoff && r.replicas > stabilized) stabilized = r.replicas;
    this.remember(key, b.desired, now, cutoff);
    const able = stabilized !== b.desired ? scaleDownStabilized : readyForNewScale;
    const scaleUpLimit = Math.max(2 * b.current, 4);
    const [maxAllowed, overMax] = b.max > scaleUpLimit ? [scaleUpLimit, upLimit] : [b.max, tooMany];
    const [replicas, why] = stabilized < b.min ? [b.min, tooFew] : stabilized > maxAllowed ? [maxAllowed, overMax] : [stabilized, withinRange];
    return { replicas, able, limited: { ...why, status: replicas !== stabilized } };
  }

  /** With a behavior (defaults filled in by the API): both stabilization windows, then the rate policies and bounds. */
  normalizeWithBehavior(key: string, behavior: Behavior, b: Bounds, now: number): Normalized {
    const up = { ...defaultScaleUp, ...behavior.scaleUp };
    const down = { ...defaultScaleDown, ...behavior.scaleDown };
    const upWindow = (up.stabilizationWindowSeconds ?? 0) * 1000;
    const downWindow = (down.stabilizationWindowSeconds ?? this.downscaleWindowMs / 1000) * 1000;
    let upRec = b.desired;
    let downRec = b.desired;
    for (const r of this.recommendations.get(key) ?? []) {
      if (r.at > now - upWindow) upRec = Math.min(upRec, r.replicas);
      if (r.at > now - downWindow) downRec = Math.max(downRec, r.replicas);
    }
    const stabilized = Math.min(Math.max(b.current, upRec), downRec);
    this.remember(key, b.desired, now, now - Math.max(upWindow, downWindow));
    const able = stabilized !== b.desired ? (b.desired >= b.current ? scaleUpStabilized : scaleDownStabilized) : readyForNewScale;

    let replicas = stabilized;
    let why = withinRange;
    if (stabilized > b.current) {
      const limit = Math.max(b.current, this.scaleUpLimit(key, b.current, up, now));
      const [maxAllowed, reason] = b.max > limit ? [limit, upLimit] : [b.max, tooMany];
      if (stabilized > maxAllowed) [replicas, why] = [maxAllowed, reason];
    } else if (stabilized < b.current) {
      const limit = Math.min(b.current, this.scaleDownLimit(key, b.current, down, now));
      const [minAllowed, reason] = b.min < limit ? [limit, downLimit] : [b.min, tooFew];
      if (stabilized < minAllowed) [replicas, why] = [minAllowed, reason];
    }
    return { replicas, able, limited: { ...why, status: replicas !== stabilized } };
  }

  /** Records a rescale for the rate policies (only HPAs with a behavior have them). */
  recordScale(key: string, behavior: Behavior | undefined, from: number, to: number, now: number): void {
    if (!behavior || from === to) return;
    const rules = to > from ? { ...defaultScaleUp, ...behavior.scaleUp } : { ...defaultScaleDown, ...behavior.scaleDown };
    const longest = Math.max(0, ...rules.policies.map((p) => p.periodSeconds)) * 1000;
    const events = to > from ? this.ups : this.downs;
    const kept = (events.get(key) ?? []).filter((e) => e.at > now - longest);
    kept.push({ change: Math.abs(to - from), at: now });
    events.set(key, kept);
  }

  // Keeps recommendations inside the longest window, plus the new one.
  private remember(key: string, replicas: number, now: number, cutoff: number): void {
    const kept = (this.recommendations.get(key) ?? []).filter((r) => r.at >= cutoff);
    kept.push({ replicas, at: now });
    this.recommendations.set(key, kept);
  }

  private changeIn(events: ScaleEvent[] | undefined, periodSeconds: number, now: number): number {
    const cutoff = now - periodSeconds * 1000;
    return (events ?? []).reduce((t, e) => (e.at > cutoff ? t + e.change : t), 0);
  }

  private periodStart(key: string, current: number, periodSeconds: number, now: number): number {
    return current - this.changeIn(this.ups.get(key), periodSeconds, now) + this.changeIn(this.downs.get(key), periodSeconds, now);
  }

  private scaleUpLimit(key: string, current: number, rules: Required<ScalingRules>, now: number): number {
    if (rules.selectPolicy === 'Disabled') return current;
    const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
    let result = rules.selectPolicy === 'Min' ? Infinity : -Infinity;
    for (const p of rules.policies) {
      const start = this.periodStart(key, current, p.periodSeconds, now);
      result = pick(result, p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100)));
    }
    return result;
  }

  private scaleDownLimit(key: string, current: number, rules: Omit<Required<ScalingRules>, 'stabilizationWindowSeconds'>, now: number): number {
    if (rules.selectPolicy === 'Disabled') return current;
    const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
    let result = rules.selectPolicy === 'Min' ? -Infinity : Infinity;
    for (const p of rules.policies) {
      const start = this.periodStart(key, current, p.periodSeconds, now);
      result = pick(result, p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100)));
    }
    return result;
  }
}
