// metadata.managedFields: which manager owns which fields, in upstream's FieldsV1 encoding, for
// ordinary writes and for server-side apply. Pure functions; the registry calls them while planning
// a write (design.md).
export { FieldSet, fromFieldsV1, toFieldsV1 } from './field-set.ts';
export { encodePathElement, field, fieldPath, keyElement, parsePathElement, type FieldPath, type PathElement } from './path-element.ts';
export { deduced, overlayIds, typeInfoFor, type FieldInfo, type TypeInfo } from './type-info.ts';
export { changedFields, compareObjects, type Comparison } from './compare.ts';
export { fieldSetOf } from './field-set-of.ts';
export { decodeManaged, isResetManagedFields, managerId, MAX_UPDATE_MANAGERS } from './managed.ts';
export { rfc3339, setManagedFields, updateManagedFields, type ManagedFieldsUpdate } from './update.ts';
export { applyScaleManagedFields, updateScaleManagedFields, type ScaleApplyUpdate, type ScaleManagedFieldsUpdate } from './scale.ts';
export { FIELD_MANAGER_MAX_LENGTH, managerFromRequest, validateFieldManager, type WriteOptionsKind } from './manager.ts';
export { applyManagedFields, type ApplyInput } from './apply.ts';
export { appliedConfigErrors, formatTypedErrors } from './applied.ts';
export { formatPath } from './conflicts.ts';
export { mergeApplied } from './merge.ts';
