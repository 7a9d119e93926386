export { validateMeta, validateLabels, type NameRule } from './meta.ts';
export { dns1123Subdomain, dns1123Label, dns1035Label, qualifiedName, labelValue, invalidValue, required, notSupported, forbidden, duplicate, goValue } from './names.ts';
