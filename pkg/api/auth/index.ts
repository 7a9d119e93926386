// Cluster CA and certificates, request authentication (client certificates, bearer tokens), join
// tokens (join/: SK10<CA hash>::<id>.<secret>, stored as bootstrap-token Secrets) and
// kubeconfig files. Layout of a server's PKI directory (k3s keeps the same in `server/tls`):
//   ca.crt ca.key                                 cluster CA, 10 years
//   serving-apiserver.crt serving-apiserver.key   HTTPS serving certificate, 1 year
//   client-admin.crt client-admin.key             CN=system:admin O=system:masters, 1 year
//   service.key                                   EC P-256 key signing service-account tokens
export { ensurePki, servingSans, pkiFiles, renewBeforeMs, PkiError } from './pki.ts';
export { issueCa, issueLeaf } from './issue.ts';
export type { CertKeyPair, LeafProfile } from './issue.ts';
export type { Pki, PkiOptions } from './pki.ts';
export { ensureTokenFile, parseTokenFile } from './tokens.ts';
export type { TokenEntry } from './tokens.ts';
export { createAuthenticator, createTokenAuthenticator, httpsOptions } from './authenticator.ts';
export type { Authenticator, AuthenticatorOptions, TokenAuthenticator } from './authenticator.ts';
export { kubeconfig, writeKubeconfig, readKubeconfig, KubeconfigError } from './kubeconfig.ts';
export type { KubeconfigCredentials, KubeconfigOptions } from './kubeconfig.ts';
export { ensureSigningKey, signingKeyFile } from './serviceaccount/signing-key.ts';
export type { SigningKey } from './serviceaccount/signing-key.ts';
export { ServiceAccountTokens } from './serviceaccount/tokens.ts';
export type { ObjectLookup, TokenVerdict } from './serviceaccount/tokens.ts';
export { withAuthApis, handlerLookup, apiserverUser } from './apis.ts';
export { RbacEvaluator, mastersGroup } from './rbac/evaluator.ts';
export type { Binding, Decision, RbacSource, RoleRef, Subject } from './rbac/evaluator.ts';
export { ruleAllows } from './rbac/rules.ts';
export type { Attributes, PolicyRule } from './rbac/rules.ts';
export { handlerRbacSource } from './rbac/source.ts';
export { answerReview, reviewKinds } from './reviews.ts';
export type { ReviewDeps, TokenCheck } from './reviews.ts';
export { impersonate } from './impersonation.ts';
export type { Authorize } from './impersonation.ts';
export { caHash, formatJoinToken, generateBootstrapToken, joinTokenPrefix, JoinTokenError, parseBootstrapToken, parseJoinToken } from './join/token.ts';
export type { JoinToken } from './join/token.ts';
export { admits, bootstrapNamespace, bootstrapSecret, expirationOf, bootstrapSecretName, bootstrapSecretPrefix, bootstrapSecretType, describeBootstrapSecret, nodeTokenGroup } from './join/bootstrap-secret.ts';
export type { BootstrapTokenInfo, BootstrapTokenSpec } from './join/bootstrap-secret.ts';
export { ensureNodeToken, nodeTokenLabel } from './join/node-token.ts';
export { withNodeRestriction, nodesGroup } from './node-restriction.ts';
export { checkNodePassword, maxJoinNodeName, nodePasswordSecret, nodePasswordSecretName } from './join/node-password.ts';
