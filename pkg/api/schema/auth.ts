// authentication.k8s.io/v1 (TokenRequest, TokenReview, SelfSubjectReview) and
// authorization.k8s.io/v1 (the access reviews). Field inventory, types and list markers follow
// k8s.io/api v0.32; descriptions are skiff's own.
import { bool, int64, list, map, obj, ref, str, strList, time, typeMeta } from './dsl.ts';
import type { SchemaSet } from './dsl.ts';

const atomic = { listType: 'atomic' } as const;
// ExtraValue ([]string) carries no list marker upstream.
const extra = (d: string) => map(strList(), d);
const review = (doc: string, spec: string | undefined, status: string) => obj(doc, {
  ...typeMeta,
  metadata: ref('meta.v1.ObjectMeta', 'Standard object metadata.'),
  ...(spec ? { spec: ref(spec, 'What is asked.') } : {}),
  status: ref(status, 'The answer, filled in by the server.'),
}, spec ? ['spec'] : undefined);

export const authSchemas: SchemaSet = {
  'authentication.v1.TokenRequest': review('Requests a token for a service account (its token subresource).', 'authentication.v1.TokenRequestSpec', 'authentication.v1.TokenRequestStatus'),
  'authentication.v1.TokenRequestSpec': obj('What the token should say.', {
    audiences: strList('Audiences the token is for; the API server\'s own when empty.', atomic),
    expirationSeconds: int64('Requested lifetime in seconds; at least 600.'),
    boundObjectRef: ref('authentication.v1.BoundObjectReference', 'An object the token is bound to; the token dies with it.'),
  }, ['audiences']),
  'authentication.v1.BoundObjectReference': obj('A Pod, Secret or Node a token is bound to.', {
    kind: str('Pod, Secret or Node.'),
    apiVersion: str('API version of the object (v1).'),
    name: str('Name of the object.'),
    uid: str('UID of the object; checked when given.'),
  }),
  'authentication.v1.TokenRequestStatus': obj('The issued token.', {
    token: str('The token (a signed JWT).'),
    expirationTimestamp: time('When the token expires.'),
  }, ['token', 'expirationTimestamp']),
  'authentication.v1.TokenReview': review('Asks the server who a token belongs to.', 'authentication.v1.TokenReviewSpec', 'authentication.v1.TokenReviewStatus'),
  'authentication.v1.TokenReviewSpec': obj('The token to check.', {
    token: str('The bearer token.'),
    audiences: strList('Audiences the token must be valid for; the API server\'s own when empty.', atomic),
  }),
  'authentication.v1.TokenReviewStatus': obj('Whether the token is valid and for whom.', {
    authenticated: bool('True when the token is valid.'),
    user: ref('authentication.v1.UserInfo', 'The identity the token stands for.'),
    audiences: strList('Audiences of the request the token is valid for.', atomic),
    error: str('Why the token was not accepted.'),
  }),
  'authentication.v1.UserInfo': obj('An authenticated identity.', {
    username: str('User name.'),
    uid: str('Unique id of the user.'),
    groups: strList('Groups the user belongs to.', atomic),
    extra: extra('Further attributes from the authenticator.'),
  }),
  'authentication.v1.SelfSubjectReview': review('Asks the server who the caller is.', undefined, 'authentication.v1.SelfSubjectReviewStatus'),
  'authentication.v1.SelfSubjectReviewStatus': obj('The caller\'s identity.', {
    userInfo: ref('authentication.v1.UserInfo', 'Who the caller is.'),
  }),

  'authorization.v1.SubjectAccessReview': review('Asks whether a user or group may do something.', 'authorization.v1.SubjectAccessReviewSpec', 'authorization.v1.SubjectAccessReviewStatus'),
  'authorization.v1.LocalSubjectAccessReview': review('Asks whether a user or group may do something in this namespace.', 'authorization.v1.SubjectAccessReviewSpec', 'authorization.v1.SubjectAccessReviewStatus'),
  'authorization.v1.SubjectAccessReviewSpec': obj('The request and the identity to check; exactly one of the attribute sets.', {
    resourceAttributes: ref('authorization.v1.ResourceAttributes', 'A request on a resource.'),
    nonResourceAttributes: ref('authorization.v1.NonResourceAttributes', 'A request on a non-resource path.'),
    user: str('User to check.'),
    groups: strList('Groups to check.', atomic),
    extra: extra('Further attributes of the identity.'),
    uid: str('UID of the user.'),
  }),
  'authorization.v1.ResourceAttributes': obj('A request on a resource, as the authorizer sees it.', {
    namespace: str('Namespace; empty for cluster-scoped resources or all namespaces.'),
    verb: str('Verb, such as get, list or impersonate; * means all.'),
    group: str('API group; * means all.'),
    version: str('API version; * means all.'),
    resource: str('Resource; * means all.'),
    subresource: str('Subresource; empty for the main resource.'),
    name: str('Object name; empty for all.'),
    fieldSelector: ref('authorization.v1.FieldSelectorAttributes', 'Field selector of a list or watch.'),
    labelSelector: ref('authorization.v1.LabelSelectorAttributes', 'Label selector of a list or watch.'),
  }),
  'authorization.v1.FieldSelectorAttributes': obj('A field selector, raw or parsed.', {
    rawSelector: str('The selector as written in a query.'),
    requirements: list(ref('meta.v1.FieldSelectorRequirement'), 'The parsed selector.', atomic),
  }),
  'authorization.v1.LabelSelectorAttributes': obj('A label selector, raw or parsed.', {
    rawSelector: str('The selector as written in a query.'),
    requirements: list(ref('meta.v1.LabelSelectorRequirement'), 'The parsed selector.', atomic),
  }),
  // apimachinery's, used only here.
  'meta.v1.FieldSelectorRequirement': obj('A field key, an operator, and values the operator relates it to.', {
    key: str('Field path.'),
    operator: str('In, NotIn, Exists or DoesNotExist.'),
    values: strList('Values for In and NotIn.', atomic),
  }, ['key', 'operator']),
  'authorization.v1.NonResourceAttributes': obj('A request on a non-resource path.', {
    path: str('URL path.'),
    verb: str('HTTP verb in lower case.'),
  }),
  'authorization.v1.SubjectAccessReviewStatus': obj('The decision.', {
    allowed: bool('True when the request is allowed.'),
    denied: bool('True when the request is explicitly denied.'),
    reason: str('Why, if the authorizer says.'),
    evaluationError: str('Problems met while deciding.'),
  }, ['allowed']),
  'authorization.v1.SelfSubjectAccessReview': review('Asks whether the caller may do something.', 'authorization.v1.SelfSubjectAccessReviewSpec', 'authorization.v1.SubjectAccessReviewStatus'),
  'authorization.v1.SelfSubjectAccessReviewSpec': obj('The request to check; exactly one of the attribute sets.', {
    resourceAttributes: ref('authorization.v1.ResourceAttributes', 'A request on a resource.'),
    nonResourceAttributes: ref('authorization.v1.NonResourceAttributes', 'A request on a non-resource path.'),
  }),
  'authorization.v1.SelfSubjectRulesReview': review('Asks what the caller may do in a namespace.', 'authorization.v1.SelfSubjectRulesReviewSpec', 'authorization.v1.SubjectRulesReviewStatus'),
  'authorization.v1.SelfSubjectRulesReviewSpec': obj('Where to list the rules.', {
    namespace: str('Namespace to list the rules for.'),
  }),
  'authorization.v1.SubjectRulesReviewStatus': obj('The rules that apply.', {
    resourceRules: list(ref('authorization.v1.ResourceRule'), 'Rules on resources.', atomic),
    nonResourceRules: list(ref('authorization.v1.NonResourceRule'), 'Rules on non-resource paths.', atomic),
    incomplete: bool('True when the list may miss rules (an error was met).'),
    evaluationError: str('Problems met while listing.'),
  }, ['resourceRules', 'nonResourceRules', 'incomplete']),
  'authorization.v1.ResourceRule': obj('Verbs allowed on resources.', {
    verbs: strList('Verbs; * means all.', atomic),
    apiGroups: strList('API groups; * means all.', atomic),
    resources: strList('Resources; * means all.', atomic),
    resourceNames: strList('Names the rule is limited to; empty means all.', atomic),
  }, ['verbs']),
  'authorization.v1.NonResourceRule': obj('Verbs allowed on non-resource paths.', {
    verbs: strList('Verbs; * means all.', atomic),
    nonResourceURLs: strList('URL paths; a trailing * matches a prefix.', atomic),
  }, ['verbs']),
};
