import type { ProtoPackage } from './spec.ts';

/** scheduling.v1: field numbers from k8s.io/api scheduling/v1 generated.proto (v0.32); see spec.ts for the notation. */
export const schedulingV1: ProtoPackage = {
  name: 'scheduling.v1',
  messages: {
    PriorityClass: [
      '1 metadata meta.v1.ObjectMeta', '2 value! int32', '3 globalDefault bool', '4 description string',
      '5 preemptionPolicy *string',
    ],
  },
};
