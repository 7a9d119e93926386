// Cluster CA and certificates, request authentication (client certificates, bearer tokens) and
// kubeconfig files. Layout of a server's PKI directory (k3s keeps the same in `server/tls`):
//   ca.crt ca.key                                 cluster CA, 10 years
//   serving-apiserver.crt serving-apiserver.key   HTTPS serving certificate, 1 year
//   client-admin.crt client-admin.key             CN=system:admin O=system:masters, 1 year
export { ensurePki, servingSans, pkiFiles, renewBeforeMs, PkiError } from './pki.ts';
export type { Pki, PkiOptions } from './pki.ts';
export { ensureTokenFile, parseTokenFile } from './tokens.ts';
export type { TokenEntry } from './tokens.ts';
export { createAuthenticator, httpsOptions } from './authenticator.ts';
export type { Authenticator, AuthenticatorOptions } from './authenticator.ts';
export { kubeconfig, writeKubeconfig, readKubeconfig, KubeconfigError } from './kubeconfig.ts';
export type { KubeconfigCredentials, KubeconfigOptions } from './kubeconfig.ts';
