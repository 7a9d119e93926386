/**
 * One object of every kind API part 1 serves, written as a user would, in namespace `kinds`.
 * `kinds` lists what the suites expect to read back: kubectl's resource name, object name, and
 * whether it is namespaced.
 */
export const allKindsManifest = `apiVersion: v1
kind: Namespace
metadata: {name: kinds}
---
apiVersion: v1
kind: Pod
metadata: {name: solo, namespace: kinds, labels: {app: solo}}
spec:
  containers:
  - {name: main, image: busybox:1.36, command: [sleep, "3600"], resources: {requests: {cpu: 100m, memory: 64Mi}}}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: kinds}
spec:
  # No selector: its Endpoints and EndpointSlice below are managed by hand, as upstream intends.
  type: NodePort
  ports:
  - {name: http, port: 8080, targetPort: http}
---
apiVersion: v1
kind: Endpoints
metadata: {name: api, namespace: kinds}
subsets:
- addresses: [{ip: 10.42.0.7}]
  ports: [{name: http, port: 8080}]
---
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: kinds}
stringData: {password: s3cret}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: robot, namespace: kinds}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-kinds}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /tmp/pv-kinds}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: kinds}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: quota, namespace: kinds}
spec:
  hard: {pods: "20"}
---
apiVersion: v1
kind: LimitRange
metadata: {name: limits, namespace: kinds}
spec:
  limits:
  - type: Container
    default: {cpu: 200m}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: kinds}
spec:
  serviceName: db
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: busybox:1.36}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kinds}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: busybox:1.36}]
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs, namespace: kinds}
spec:
  replicas: 1
  selector: {matchLabels: {app: rs}}
  template:
    metadata: {labels: {app: rs}}
    spec:
      containers: [{name: c, image: busybox:1.36}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: once, namespace: kinds}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox:1.36, command: ["true"]}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: kinds}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: busybox:1.36}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: rs, namespace: kinds}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: ReplicaSet, name: rs}
  minReplicas: 1
  maxReplicas: 4
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: lock, namespace: kinds}
spec: {holderIdentity: me, leaseDurationSeconds: 15}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: api-1, namespace: kinds, labels: {kubernetes.io/service-name: api}}
addressType: IPv4
endpoints: [{addresses: [10.42.0.7]}]
ports: [{name: http, port: 8080, protocol: TCP}]
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: kinds-class}
spec: {controller: skiff.io/ingress}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: kinds}
spec:
  ingressClassName: kinds-class
  rules:
  - host: web.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 8080}}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: kinds}
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: db, namespace: kinds}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: db}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: kinds}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: kinds}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
- {kind: ServiceAccount, name: robot, namespace: kinds}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: kinds-viewer}
rules:
- {apiGroups: [apps], resources: [deployments], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: kinds-viewer}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kinds-viewer}
subjects:
- {kind: ServiceAccount, name: robot, namespace: kinds}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: kinds-local}
provisioner: skiff.io/local-path
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: solo.started, namespace: kinds}
eventTime: "2026-01-01T00:00:00.000000Z"
reportingController: skiff.io/e2e
reportingInstance: e2e
action: Started
reason: Started
type: Normal
note: Started container main
regarding: {apiVersion: v1, kind: Pod, name: solo, namespace: kinds}
---
apiVersion: apps/v1
kind: ControllerRevision
metadata: {name: db-1, namespace: kinds}
revision: 1
data: {spec: {template: {metadata: {labels: {app: db}}}}}
`;

/** [kubectl resource, name, namespaced] for every object of allKindsManifest. */
export const kinds: [string, string, boolean][] = [
  ['namespace', 'kinds', false], ['pod', 'solo', true], ['service', 'api', true], ['endpoints', 'api', true],
  ['secret', 'creds', true], ['serviceaccount', 'robot', true], ['persistentvolume', 'pv-kinds', false],
  ['persistentvolumeclaim', 'data', true], ['resourcequota', 'quota', true], ['limitrange', 'limits', true],
  ['statefulset', 'db', true], ['daemonset', 'agent', true], ['replicaset', 'rs', true], ['job', 'once', true],
  ['cronjob', 'nightly', true], ['horizontalpodautoscaler', 'rs', true], ['lease', 'lock', true],
  ['endpointslice', 'api-1', true], ['ingressclass', 'kinds-class', false], ['ingress', 'web', true],
  ['networkpolicy', 'deny', true], ['poddisruptionbudget', 'db', true], ['role', 'reader', true],
  ['rolebinding', 'reader', true], ['clusterrole', 'kinds-viewer', false], ['clusterrolebinding', 'kinds-viewer', false],
  ['storageclass', 'kinds-local', false], ['events.events.k8s.io', 'solo.started', true], ['controllerrevision', 'db-1', true],
];
