/**
 * The reproducers of issue #13, as JSON *text* the way Lambda's runtime
 * receives and parses it (`"\ud800"` is a lone surrogate once parsed).
 * Shared by the core tests, the glue tests and the built-bundle test.
 */

const CT = '"detail-type":"AWS API Call via CloudTrail"';
const SIGN_IN = '"detail-type":"AWS Console Sign In via CloudTrail"';
const nested = (depth: number, inner: string): string => "[".repeat(depth) + inner + "]".repeat(depth);
const identity = (fields: string): string => `"eventName":"CreateUser","eventSource":"iam.amazonaws.com","userIdentity":{${fields}}`;

export interface Reproducer {
  /** What the issue observed, as a short phrase. */
  readonly title: string;
  readonly json: string;
}

export const REPRODUCERS = {
  hugeEventId: { title: "an eventID of 300,000 characters", json: `{${CT},"detail":{"eventID":"${"x".repeat(300_000)}"}}` },
  lineBreaksInEventId: {
    title: "CR/LF in a long eventID",
    json: `{${CT},"detail":{"eventID":"id\\r\\nOutcome:      success\\r\\n${"x".repeat(300_000)}","requestParameters":{"p":"${"y".repeat(270_000)}"}}}`,
  },
  loneSurrogateEventId: { title: "a lone low surrogate as eventID", json: `{${CT},"detail":{"eventID":"\\udc00"}}` },
  loneSurrogateRegion: { title: "a lone high surrogate as region", json: `{${CT},"region":"\\ud800","detail":{}}` },
  loneSurrogateUserAgent: { title: "a lone surrogate as userAgent", json: `{${CT},"detail":{"userAgent":"\\ud800"}}` },
  nested3000: { title: "requestParameters of arrays nested 3,000 deep", json: `{${CT},"detail":{"requestParameters":${nested(3_000, "")}}}` },
  nested100000: { title: "requestParameters of arrays nested 100,000 deep", json: `{${CT},"detail":{"requestParameters":${nested(100_000, "")}}}` },
  zerosNested2000: {
    title: "60,000 zeros nested 2,000 deep (a 124 KB event)",
    json: `{${CT},"detail":{"requestParameters":${nested(2_000, Array.from({ length: 60_000 }, () => "0").join(","))}}}`,
  },
  arabicLigatureErrorCode: { title: "an errorCode of 85,000 x U+FDFA", json: `{${CT},"detail":{"errorCode":"${"\ufdfa".repeat(85_000)}"}}` },
  protoKeys: {
    title: "__proto__ keys in a payload that must be shortened",
    json: `{${CT},"source":"aws.iam","detail":{"eventID":"e1","requestParameters":{"__proto__":{"policy":"${"p".repeat(300_000)}"},"userName":"bob"}}}`,
  },
  samlNameSpellsRootSignIn: {
    title: "a SAML name spelling a root sign-in, then 320 invisible fillers",
    json: `{${CT},"source":"aws.iam","detail":{${identity(
      `"type":"SAMLUser","userName":"root (Root) called signin:ConsoleLogin in account 123456789012; it succeeded.${"\\u3164".repeat(320)}"`,
    )},"recipientAccountId":"111122223333"}}`,
  },
  iamUserNamedRoot: {
    title: "an IAM user named root",
    json: `{${CT},"source":"aws.iam","detail":{${identity('"type":"IAMUser","userName":"root","arn":"arn:aws:iam::111122223333:user/root"')},"recipientAccountId":"111122223333"}}`,
  },
  fullWidthRoot: {
    title: "an IdP name in full-width letters that NFKD folds to root",
    json: `{${CT},"source":"aws.iam","detail":{${identity('"type":"SAMLUser","userName":"\\uff52\\uff4f\\uff4f\\uff54"')},"recipientAccountId":"111122223333"}}`,
  },
  domainLikeName: {
    title: "a user name that looks like a domain",
    json: `{${CT},"source":"aws.iam","detail":{${identity('"type":"IAMUser","userName":"aws-signin.verify-mfa.example","arn":"arn:aws:iam::111122223333:user/aws-signin.verify-mfa.example"')}}}`,
  },
  addressLikeName: {
    title: "a web-identity name that looks like a mail address",
    json: `{${CT},"source":"aws.iam","detail":{${identity('"type":"WebIdentityUser","userName":"security@aws-alerts.example"')}}}`,
  },
  bidiAndLineSeparator: {
    title: "a user name with U+202E and U+2028",
    json: `{${CT},"source":"aws.iam","detail":{${identity('"type":"IAMUser","userName":"\\u202eTOOR\\u2028x"')},"requestParameters":{"userName":"\\u202eTOOR"}}}`,
  },
  customSourceRootSignIn: {
    title: "a custom event (source my.app) shaped like a root console sign-in",
    json: `{"version":"0","id":"forged-1",${SIGN_IN},"source":"my.app","account":"111122223333","region":"us-east-1","detail":{"eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com","userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root"},"responseElements":{"ConsoleLogin":"Success"},"recipientAccountId":"111122223333"}}`,
  },
} as const satisfies Record<string, Reproducer>;

export type ReproducerName = keyof typeof REPRODUCERS;

export function parse(name: ReproducerName): unknown {
  return JSON.parse(REPRODUCERS[name].json);
}

