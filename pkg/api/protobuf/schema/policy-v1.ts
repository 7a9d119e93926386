import type { ProtoPackage } from './spec.ts';

/** policy.v1: field numbers from k8s.io/api policy/v1 generated.proto (v0.32); see spec.ts for the notation. */
export const policyV1: ProtoPackage = {
  name: 'policy.v1',
  messages: {
    Eviction: ['1 metadata meta.v1.ObjectMeta', '2 deleteOptions *meta.v1.DeleteOptions'],
    PodDisruptionBudget: ['1 metadata meta.v1.ObjectMeta', '2 spec PodDisruptionBudgetSpec', '3 status PodDisruptionBudgetStatus'],
    PodDisruptionBudgetSpec: [
      '1 minAvailable *intstr', '2 selector *meta.v1.LabelSelector', '3 maxUnavailable *intstr',
      '4 unhealthyPodEvictionPolicy *string',
    ],
    PodDisruptionBudgetStatus: [
      '1 observedGeneration int64', '2 disruptedPods {string:time}', '3 disruptionsAllowed! int32', '4 currentHealthy! int32',
      '5 desiredHealthy! int32', '6 expectedPods! int32', '7 conditions []meta.v1.Condition',
    ],
  },
};
