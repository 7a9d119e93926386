// autoscaling/v1 and v2 HorizontalPodAutoscaler, autoscaling/v1 Scale.
// Field inventory, types and patch tags follow k8s.io/api v0.32; descriptions are skiff's own.
import { int32, int64, list, obj, quantity, ref, str, time, typeMeta } from './dsl.ts';
import type { SchemaSet } from './dsl.ts';

export const autoscalingSchemas: SchemaSet = {
  'autoscaling.v1.HorizontalPodAutoscaler': obj("Scales a workload's replicas to keep average CPU use near a target.", {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    spec: ref('autoscaling.v1.HorizontalPodAutoscalerSpec', 'Target workload, replica bounds and CPU target.'),
    status: ref('autoscaling.v1.HorizontalPodAutoscalerStatus', 'Observed replicas and CPU use. Read-only.'),
  }),
  'autoscaling.v1.HorizontalPodAutoscalerSpec': obj('Desired behaviour of an autoscaler.', {
    scaleTargetRef: ref('autoscaling.v1.CrossVersionObjectReference', 'Workload to scale, through its scale subresource.'),
    minReplicas: int32('Fewest replicas; defaults to 1.'),
    maxReplicas: int32('Most replicas.'),
    targetCPUUtilizationPercentage: int32('Average CPU use to aim for, as a percentage of requests.'),
  }, ['scaleTargetRef', 'maxReplicas']),
  'autoscaling.v1.CrossVersionObjectReference': obj('Reference to an object by kind, name and API version.', {
    kind: str('Kind of the object.'),
    name: str('Name of the object.'),
    apiVersion: str('API version of the object.'),
  }, ['kind', 'name']),
  'autoscaling.v1.HorizontalPodAutoscalerStatus': obj('Observed state of an autoscaler.', {
    observedGeneration: int64('Generation last acted on by the autoscaler.'),
    lastScaleTime: time('When the autoscaler last changed the replica count.'),
    currentReplicas: int32('Replicas currently running.'),
    desiredReplicas: int32('Replicas the autoscaler wants.'),
    currentCPUUtilizationPercentage: int32('Current average CPU use, as a percentage of requests.'),
  }, ['currentReplicas', 'desiredReplicas']),
  'autoscaling.v2.HorizontalPodAutoscaler': obj("Scales a workload's replicas from resource, pod, object or external metrics.", {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    spec: ref('autoscaling.v2.HorizontalPodAutoscalerSpec', 'Target workload, replica bounds, metrics and scaling behaviour.'),
    status: ref('autoscaling.v2.HorizontalPodAutoscalerStatus', 'Observed replicas, metrics and conditions. Read-only.'),
  }),
  'autoscaling.v2.HorizontalPodAutoscalerSpec': obj('Desired behaviour of an autoscaler.', {
    scaleTargetRef: ref('autoscaling.v2.CrossVersionObjectReference', 'Workload to scale, through its scale subresource.'),
    minReplicas: int32('Fewest replicas; defaults to 1.'),
    maxReplicas: int32('Most replicas.'),
    metrics: list(ref('autoscaling.v2.MetricSpec'), 'Metrics to track; the largest proposed replica count wins. Defaults to 80% average CPU.', { listType: 'atomic' }),
    behavior: ref('autoscaling.v2.HorizontalPodAutoscalerBehavior', 'Scaling speed limits up and down.'),
  }, ['scaleTargetRef', 'maxReplicas']),
  'autoscaling.v2.CrossVersionObjectReference': obj('Reference to an object by kind, name and API version.', {
    kind: str('Kind of the object.'),
    name: str('Name of the object.'),
    apiVersion: str('API version of the object.'),
  }, ['kind', 'name']),
  'autoscaling.v2.MetricSpec': obj('One metric to scale on; type names which other member is set.', {
    type: str('ContainerResource, External, Object, Pods or Resource.'),
    object: ref('autoscaling.v2.ObjectMetricSource', 'A metric of one object, such as requests per second of an Ingress.'),
    pods: ref('autoscaling.v2.PodsMetricSource', 'A metric of each pod, averaged.'),
    resource: ref('autoscaling.v2.ResourceMetricSource', 'CPU or memory use of the pods, from requests and limits.'),
    containerResource: ref('autoscaling.v2.ContainerResourceMetricSource', 'CPU or memory use of one container in each pod.'),
    external: ref('autoscaling.v2.ExternalMetricSource', 'A metric from outside the cluster.'),
  }, ['type']),
  'autoscaling.v2.ObjectMetricSource': obj('Scale on a metric of one object.', {
    describedObject: ref('autoscaling.v2.CrossVersionObjectReference', 'Object the metric describes.'),
    target: ref('autoscaling.v2.MetricTarget', 'Target value.'),
    metric: ref('autoscaling.v2.MetricIdentifier', 'Metric name and selector.'),
  }, ['describedObject', 'target', 'metric']),
  'autoscaling.v2.MetricTarget': obj('Target of a metric.', {
    type: str('Utilization, Value or AverageValue.'),
    value: quantity('Target value.'),
    averageValue: quantity('Target average across pods.'),
    averageUtilization: int32('Target average use, as a percentage of requests.'),
  }, ['type']),
  'autoscaling.v2.MetricIdentifier': obj('Name and selector of a metric.', {
    name: str('Metric name.'),
    selector: ref('meta.v1.LabelSelector', "Labels narrowing the metric's series."),
  }, ['name']),
  'autoscaling.v2.PodsMetricSource': obj('Scale on a metric of each pod.', {
    metric: ref('autoscaling.v2.MetricIdentifier', 'Metric name and selector.'),
    target: ref('autoscaling.v2.MetricTarget', 'Target average value.'),
  }, ['metric', 'target']),
  'autoscaling.v2.ResourceMetricSource': obj('Scale on a resource of the pods.', {
    name: str('Resource name, such as cpu or memory.'),
    target: ref('autoscaling.v2.MetricTarget', 'Target value or utilization.'),
  }, ['name', 'target']),
  'autoscaling.v2.ContainerResourceMetricSource': obj('Scale on a resource of one container of each pod.', {
    name: str('Resource name, such as cpu or memory.'),
    target: ref('autoscaling.v2.MetricTarget', 'Target value or utilization.'),
    container: str('Container name.'),
  }, ['name', 'target', 'container']),
  'autoscaling.v2.ExternalMetricSource': obj('Scale on a metric from outside the cluster.', {
    metric: ref('autoscaling.v2.MetricIdentifier', 'Metric name and selector.'),
    target: ref('autoscaling.v2.MetricTarget', 'Target value.'),
  }, ['metric', 'target']),
  'autoscaling.v2.HorizontalPodAutoscalerBehavior': obj('Scaling speed limits.', {
    scaleUp: ref('autoscaling.v2.HPAScalingRules', 'Rules for scaling up.'),
    scaleDown: ref('autoscaling.v2.HPAScalingRules', 'Rules for scaling down.'),
  }),
  'autoscaling.v2.HPAScalingRules': obj('Rules for one scaling direction.', {
    stabilizationWindowSeconds: int32('Seconds of past recommendations considered, to avoid flapping.'),
    selectPolicy: str('Max (default), Min or Disabled.'),
    policies: list(ref('autoscaling.v2.HPAScalingPolicy'), 'Limits on change per period.', { listType: 'atomic' }),
  }),
  'autoscaling.v2.HPAScalingPolicy': obj('A limit on how much replicas may change in a period.', {
    type: str('Pods or Percent.'),
    value: int32('Amount of change allowed.'),
    periodSeconds: int32('Length of the period, up to 1800 seconds.'),
  }, ['type', 'value', 'periodSeconds']),
  'autoscaling.v2.HorizontalPodAutoscalerStatus': obj('Observed state of an autoscaler.', {
    observedGeneration: int64('Generation last acted on by the autoscaler.'),
    lastScaleTime: time('When the autoscaler last changed the replica count.'),
    currentReplicas: int32('Replicas currently running.'),
    desiredReplicas: int32('Replicas the autoscaler wants.'),
    currentMetrics: list(ref('autoscaling.v2.MetricStatus'), 'Last values read for each metric.', { listType: 'atomic' }),
    conditions: list(ref('autoscaling.v2.HorizontalPodAutoscalerCondition'), 'Current conditions, such as AbleToScale and ScalingActive.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
  }, ['desiredReplicas']),
  'autoscaling.v2.MetricStatus': obj('Last value of one metric.', {
    type: str('ContainerResource, External, Object, Pods or Resource.'),
    object: ref('autoscaling.v2.ObjectMetricStatus', 'Value of an object metric.'),
    pods: ref('autoscaling.v2.PodsMetricStatus', 'Value of a pods metric.'),
    resource: ref('autoscaling.v2.ResourceMetricStatus', 'Value of a resource metric.'),
    containerResource: ref('autoscaling.v2.ContainerResourceMetricStatus', 'Value of a container resource metric.'),
    external: ref('autoscaling.v2.ExternalMetricStatus', 'Value of an external metric.'),
  }, ['type']),
  'autoscaling.v2.ObjectMetricStatus': obj('Value of an object metric.', {
    metric: ref('autoscaling.v2.MetricIdentifier', 'Metric name and selector.'),
    current: ref('autoscaling.v2.MetricValueStatus', 'Current value.'),
    describedObject: ref('autoscaling.v2.CrossVersionObjectReference', 'Object the metric describes.'),
  }, ['metric', 'current', 'describedObject']),
  'autoscaling.v2.MetricValueStatus': obj('Current value of a metric.', {
    value: quantity('Current value.'),
    averageValue: quantity('Current average across pods.'),
    averageUtilization: int32('Current average use, as a percentage of requests.'),
  }),
  'autoscaling.v2.PodsMetricStatus': obj('Value of a pods metric.', {
    metric: ref('autoscaling.v2.MetricIdentifier', 'Metric name and selector.'),
    current: ref('autoscaling.v2.MetricValueStatus', 'Current value.'),
  }, ['metric', 'current']),
  'autoscaling.v2.ResourceMetricStatus': obj('Value of a resource metric.', {
    name: str('Resource name.'),
    current: ref('autoscaling.v2.MetricValueStatus', 'Current value.'),
  }, ['name', 'current']),
  'autoscaling.v2.ContainerResourceMetricStatus': obj('Value of a container resource metric.', {
    name: str('Resource name.'),
    current: ref('autoscaling.v2.MetricValueStatus', 'Current value.'),
    container: str('Container name.'),
  }, ['name', 'current', 'container']),
  'autoscaling.v2.ExternalMetricStatus': obj('Value of an external metric.', {
    metric: ref('autoscaling.v2.MetricIdentifier', 'Metric name and selector.'),
    current: ref('autoscaling.v2.MetricValueStatus', 'Current value.'),
  }, ['metric', 'current']),
  'autoscaling.v2.HorizontalPodAutoscalerCondition': obj('One condition of an autoscaler.', {
    type: str('AbleToScale, ScalingActive or ScalingLimited.'),
    status: str('True, False or Unknown.'),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('CamelCase reason for the last transition.'),
    message: str('Human-readable details of the last transition.'),
  }, ['type', 'status']),
  'autoscaling.v1.Scale': obj('The replica count of a scalable resource, served by its scale subresource.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Metadata of the scaled object.'),
    spec: ref('autoscaling.v1.ScaleSpec', 'Wanted replicas.'),
    status: ref('autoscaling.v1.ScaleStatus', 'Observed replicas and selector. Read-only.'),
  }),
  'autoscaling.v1.ScaleSpec': obj('Wanted size of a scalable resource.', {
    replicas: int32('Wanted number of replicas.'),
  }),
  'autoscaling.v1.ScaleStatus': obj('Observed size of a scalable resource.', {
    replicas: int32('Observed number of replicas.'),
    selector: str('Label selector of the pods, in string form.'),
  }, ['replicas']),
};
