/** The pure core: event in, alert out. No AWS SDK, no I/O, no environment. */
export { unwrapLabelled, type Unwrapped } from "./labels.js";
export { formatAlert, cloudTrailConsoleUrl, SERVICE_NAME, UNRECOGNISED_SUBJECT } from "./format.js";
export { isValidSnsSubject, toSubjectFragment, SNS_SUBJECT_MAX_CHARS } from "./text.js";
export { SNS_MAX_MESSAGE_BYTES, attributeBytes } from "./size.js";
export type { Alert, AlertContext, AlertMeta, Severity } from "./types.js";
