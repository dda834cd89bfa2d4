/** The detection concern's public surface: the catalogue, rule keys, suppression and forwarding patterns. */
export * from "./types";
export * from "./presets";
export * from "./rule-keys";
export * from "./suppression";
export * from "./forwarding-pattern";
export { ANY_AWS_SOURCE, iamEventsPattern } from "./pattern-builders";
