// core/v1 Node.
// Field inventory, types and patch tags follow k8s.io/api v0.32; descriptions are skiff's own.
import { bool, int32, int64, list, map, obj, oneOf, quantity, ref, str, strList, time, typeMeta } from './dsl.ts';
import type { SchemaSet } from './dsl.ts';

export const coreNodeSchemas: SchemaSet = {
  'core.v1.Node': obj('A machine that runs pods, registered by its agent.', {
    ...typeMeta,
    metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
    spec: ref('core.v1.NodeSpec', 'Configuration of the node: pod CIDRs, taints, schedulability.'),
    status: ref('core.v1.NodeStatus', 'Observed state of the node: capacity, conditions, addresses. Read-only.'),
  }),
  'core.v1.NodeSpec': obj('Configuration of a node.', {
    podCIDR: str('Pod IP range of the node.'),
    podCIDRs: strList('Pod IP ranges of the node, at most one per family; the first equals podCIDR.', { strategy: 'merge', listType: 'set' }),
    providerID: str('Cloud provider ID as <provider>://<id>.'),
    unschedulable: bool('Keep new pods off the node (cordon).'),
    taints: list(ref('core.v1.Taint'), 'Taints that repel pods that do not tolerate them.', { listType: 'atomic' }),
    configSource: ref('core.v1.NodeConfigSource', 'Deprecated dynamic kubelet configuration source; ignored.'),
    externalID: str('Deprecated; not used.'),
  }),
  'core.v1.Taint': obj('Marks a node so that pods without a matching toleration are repelled.', {
    key: str('Taint key.'),
    value: str('Taint value.'),
    effect: oneOf(['NoSchedule', 'PreferNoSchedule', 'NoExecute'], 'NoSchedule, PreferNoSchedule or NoExecute.'),
    timeAdded: time('When a NoExecute taint was added.'),
  }, ['key', 'effect']),
  'core.v1.NodeConfigSource': obj('Deprecated dynamic kubelet configuration source.', {
    configMap: ref('core.v1.ConfigMapNodeConfigSource', 'ConfigMap holding the configuration.'),
  }),
  'core.v1.ConfigMapNodeConfigSource': obj('Deprecated reference to a ConfigMap holding kubelet configuration.', {
    namespace: str('Namespace of the ConfigMap.'),
    name: str('Name of the ConfigMap.'),
    uid: str('UID of the ConfigMap.'),
    resourceVersion: str('resourceVersion of the ConfigMap.'),
    kubeletConfigKey: str('Key holding the KubeletConfiguration.'),
  }, ['namespace', 'name', 'kubeletConfigKey']),
  'core.v1.NodeStatus': obj('Observed state of a node.', {
    capacity: map(quantity(), 'Total resources of the node.'),
    allocatable: map(quantity(), 'Resources available to pods; defaults to capacity.'),
    phase: oneOf(['Pending', 'Running', 'Terminated'], 'Deprecated lifecycle phase: Pending, Running or Terminated.'),
    conditions: list(ref('core.v1.NodeCondition'), 'Current conditions, such as Ready, MemoryPressure and DiskPressure.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
    addresses: list(ref('core.v1.NodeAddress'), 'Addresses of the node: InternalIP, ExternalIP, Hostname.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
    daemonEndpoints: ref('core.v1.NodeDaemonEndpoints', 'Ports of daemons running on the node.'),
    nodeInfo: ref('core.v1.NodeSystemInfo', 'Identifiers and versions reported by the node.'),
    images: list(ref('core.v1.ContainerImage'), 'Images present on the node.', { listType: 'atomic' }),
    volumesInUse: strList('Attachable volumes mounted on the node.', { listType: 'atomic' }),
    volumesAttached: list(ref('core.v1.AttachedVolume'), 'Volumes attached to the node.', { listType: 'atomic' }),
    config: ref('core.v1.NodeConfigStatus', 'Deprecated dynamic kubelet configuration status.'),
    runtimeHandlers: list(ref('core.v1.NodeRuntimeHandler'), 'Runtime handlers the container runtime offers.', { listType: 'atomic' }),
    features: ref('core.v1.NodeFeatures', 'Features the container runtime implements.'),
  }),
  'core.v1.NodeCondition': obj('One condition of a node.', {
    type: str('Condition type, such as Ready or DiskPressure.'),
    status: str('True, False or Unknown.'),
    lastHeartbeatTime: time('When the node last reported this condition.'),
    lastTransitionTime: time('When the status last changed.'),
    reason: str('Short reason for the last transition.'),
    message: str('Human-readable details of the last transition.'),
  }, ['type', 'status']),
  'core.v1.NodeAddress': obj('One address of a node.', {
    type: str('Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.'),
    address: str('The address.'),
  }, ['type', 'address']),
  'core.v1.NodeDaemonEndpoints': obj('Ports opened by daemons on the node.', {
    kubeletEndpoint: ref('core.v1.DaemonEndpoint', 'Where the node agent listens.'),
  }),
  'core.v1.DaemonEndpoint': obj("A daemon's port.", {
    Port: int32('Port number.'),
  }, ['Port']),
  'core.v1.NodeSystemInfo': obj('Identifiers and versions reported by a node.', {
    machineID: str('Machine ID of the node.'),
    systemUUID: str('System UUID of the node.'),
    bootID: str('ID of the current boot.'),
    kernelVersion: str('Kernel version, as uname -r prints it.'),
    osImage: str('Operating system name from /etc/os-release.'),
    containerRuntimeVersion: str('Container runtime and version, such as docker://27.3.1.'),
    kubeletVersion: str('Version of the node agent.'),
    kubeProxyVersion: str('Deprecated: version of the service proxy.'),
    operatingSystem: str('Operating system, such as linux.'),
    architecture: str('CPU architecture, such as amd64 or arm64.'),
  }, ['machineID', 'systemUUID', 'bootID', 'kernelVersion', 'osImage', 'containerRuntimeVersion', 'kubeletVersion', 'kubeProxyVersion', 'operatingSystem', 'architecture']),
  'core.v1.ContainerImage': obj('An image present on a node.', {
    names: strList('Names and digests the image is known by.', { listType: 'atomic' }),
    sizeBytes: int64('Size of the image in bytes.'),
  }),
  'core.v1.AttachedVolume': obj('A volume attached to a node.', {
    name: str('Name of the volume.'),
    devicePath: str('Device path the volume is available at.'),
  }, ['name', 'devicePath']),
  'core.v1.NodeConfigStatus': obj('Deprecated dynamic kubelet configuration status.', {
    assigned: ref('core.v1.NodeConfigSource', 'Configuration the node will try to use.'),
    active: ref('core.v1.NodeConfigSource', 'Configuration the node is using.'),
    lastKnownGood: ref('core.v1.NodeConfigSource', 'Configuration the node falls back to.'),
    error: str('Problem applying the configuration.'),
  }),
  'core.v1.NodeRuntimeHandler': obj("A runtime handler of the node's container runtime.", {
    name: str('Handler name; empty for the default.'),
    features: ref('core.v1.NodeRuntimeHandlerFeatures', 'Features the handler supports.'),
  }),
  'core.v1.NodeRuntimeHandlerFeatures': obj('Features of a runtime handler.', {
    recursiveReadOnlyMounts: bool('Supports recursive read-only mounts.'),
    userNamespaces: bool('Supports user namespaces.'),
  }),
  'core.v1.NodeFeatures': obj("Features the node's container runtime implements.", {
    supplementalGroupsPolicy: bool('Supports supplementalGroupsPolicy and reporting the container user.'),
  }),
};
