/** The pure core: event in, alert out. No AWS SDK, no I/O, no environment. */
export { unwrapLabelled, type Unwrapped } from "./labels.js";
export { formatAlert, formatFailsafe } from "./format.js";
export { cloudTrailConsoleUrl } from "./summary.js";
export { SERVICE_NAME, UNRECOGNISED_SUBJECT, UNVERIFIED_MARKER } from "./subject.js";
export { isVerifiedSource } from "./envelope.js";
export { show } from "./display.js";
export { writeJson, PRETTY_DEPTH } from "./json.js";
export { isValidSnsSubject, toSubjectFragment, SNS_SUBJECT_MAX_CHARS } from "./text.js";
export { SNS_MAX_MESSAGE_BYTES, attributeBytes } from "./size.js";
export type { Alert, AlertContext, AlertMeta, Severity } from "./types.js";
