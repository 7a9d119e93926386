import type { Schema } from './schema.ts';

/**
 * The structural schema of apiextensions.k8s.io/v1 CustomResourceDefinition itself: what the
 * typed Go structs accept, so unknown fields of a CRD are reported and pruned like any kind's
 * (a v1beta1 `spec.version` in a v1 manifest is the classic), and `kubectl explain crd` has
 * something to say. openAPIV3Schema is a recursive JSONSchemaProps: kept as given here and
 * judged by the CRD validation instead.
 */
const str = (description: string): Schema => ({ type: 'string', description });
const bool = (description: string): Schema => ({ type: 'boolean', description });
const strings = (description: string): Schema => ({ type: 'array', description, items: { type: 'string' } });
const obj = (description: string, properties: Record<string, Schema>, required?: string[]): Schema => ({ type: 'object', description, properties, ...(required ? { required } : {}) });

const names = obj('CustomResourceDefinitionNames indicates the names to serve this CustomResourceDefinition', {
  categories: strings('categories is a list of grouped resources this custom resource belongs to (e.g. \'all\').'),
  kind: str('kind is the serialized kind of the resource. It is normally CamelCase and singular.'),
  listKind: str('listKind is the serialized kind of the list for this resource. Defaults to "`kind`List".'),
  plural: str('plural is the plural name of the resource to serve. Must be all lowercase.'),
  shortNames: strings('shortNames are short names for the resource, exposed in API discovery documents.'),
  singular: str('singular is the singular name of the resource. It must be all lowercase. Defaults to lowercased `kind`.'),
}, ['plural', 'kind']);

const version = obj('CustomResourceDefinitionVersion describes a version for CRD.', {
  additionalPrinterColumns: {
    type: 'array',
    description: 'additionalPrinterColumns specifies additional columns returned in Table output.',
    items: obj('CustomResourceColumnDefinition specifies a column for server side printing.', {
      description: str('description is a human readable description of this column.'),
      format: str('format is an optional OpenAPI type definition for this column.'),
      jsonPath: str('jsonPath is a simple JSON path (i.e. with array notation) which is evaluated against each custom resource to produce the value for this column.'),
      name: str('name is a human readable name for the column.'),
      priority: { type: 'integer', format: 'int32', description: 'priority is an integer defining the relative importance of this column compared to others. 0 is shown always; greater values only with -o wide.' },
      type: str('type is an OpenAPI type definition for this column.'),
    }, ['name', 'type', 'jsonPath']),
  },
  deprecated: bool('deprecated indicates this version of the custom resource API is deprecated.'),
  deprecationWarning: str('deprecationWarning overrides the default warning returned to API clients.'),
  name: str('name is the version name, e.g. “v1”, “v2beta1”, etc.'),
  schema: obj('schema describes the schema used for validation, pruning, and defaulting of this version of the custom resource.', {
    openAPIV3Schema: { type: 'object', description: 'openAPIV3Schema is the OpenAPI v3 schema to use for validation and pruning.', 'x-kubernetes-preserve-unknown-fields': true },
  }),
  selectableFields: {
    type: 'array',
    description: 'selectableFields specifies paths to fields that may be used as field selectors.',
    items: obj('SelectableField specifies the JSON path of a field that may be used with field selectors.', { jsonPath: str('jsonPath is a simple JSON path which is evaluated against each custom resource to produce a field selector value.') }, ['jsonPath']),
  },
  served: bool('served is a flag enabling/disabling this version from being served via REST APIs'),
  storage: bool('storage indicates this version should be used when persisting custom resources to storage.'),
  subresources: obj('subresources specify what subresources this version of the defined custom resource have.', {
    scale: obj('scale indicates the custom resource should serve a `/scale` subresource that returns an `autoscaling/v1` Scale object.', {
      labelSelectorPath: str('labelSelectorPath defines the JSON path inside of a custom resource that corresponds to Scale `status.selector`.'),
      specReplicasPath: str('specReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale `spec.replicas`.'),
      statusReplicasPath: str('statusReplicasPath defines the JSON path inside of a custom resource that corresponds to Scale `status.replicas`.'),
    }, ['specReplicasPath', 'statusReplicasPath']),
    status: obj('status indicates the custom resource should serve a `/status` subresource.', {}),
  }),
}, ['name', 'served', 'storage']);

const condition = obj('CustomResourceDefinitionCondition contains details for the current condition of this pod.', {
  lastTransitionTime: { type: 'string', format: 'date-time', description: 'lastTransitionTime last time the condition transitioned from one status to another.' },
  message: str('message is a human-readable message indicating details about last transition.'),
  reason: str('reason is a unique, one-word, CamelCase reason for the condition\'s last transition.'),
  status: str('status is the status of the condition. Can be True, False, Unknown.'),
  type: str('type is the type of the condition. Types include Established, NamesAccepted and Terminating.'),
}, ['type', 'status']);

export const crdSchema: Schema = obj('CustomResourceDefinition represents a resource that should be exposed on the API server.  Its name MUST be in the format <.spec.name>.<.spec.group>.', {
  spec: obj('spec describes how the user wants the resources to appear', {
    conversion: obj('conversion defines conversion settings for the CRD.', {
      strategy: str('strategy specifies how custom resources are converted between versions. skiff serves "None".'),
      webhook: { type: 'object', description: 'webhook describes how to call the conversion webhook.', 'x-kubernetes-preserve-unknown-fields': true },
    }, ['strategy']),
    group: str('group is the API group of the defined custom resource.'),
    names,
    preserveUnknownFields: bool('preserveUnknownFields indicates that object fields which are not specified in the OpenAPI schema should be preserved when persisting to storage.'),
    scope: str('scope indicates whether the defined custom resource is cluster- or namespace-scoped. Allowed values are `Cluster` and `Namespaced`.'),
    versions: { type: 'array', description: 'versions is the list of all API versions of the defined custom resource.', items: version },
  }, ['group', 'names', 'scope', 'versions']),
  status: obj('status indicates the actual state of the CustomResourceDefinition', {
    acceptedNames: names,
    conditions: { type: 'array', description: 'conditions indicate state for particular aspects of a CustomResourceDefinition', items: condition },
    storedVersions: strings('storedVersions lists all versions of CustomResources that were ever persisted.'),
  }),
}, ['spec']);
