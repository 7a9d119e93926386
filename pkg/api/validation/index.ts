export { validateMeta, validateLabels, validateAnnotations, nameErrors, type NameRule } from './meta.ts';
export {
  dns1123Subdomain, dns1123Label, dns1035Label, qualifiedName, labelValue, invalidValue, invalidPrinted, required, notSupported, forbidden, duplicate,
  dns1123SubdomainErrors, dns1123LabelErrors, dns1035LabelErrors, qualifiedNameErrors, configMapKeyErrors, portNumberErrors, portNameErrors, nonNegative, intOrPercent,
} from './names.ts';
export { goValue, goStringMap, goStringSlice, goLabelSelector } from './go-format.ts';
export { cronScheduleErrors } from './cron.ts';
