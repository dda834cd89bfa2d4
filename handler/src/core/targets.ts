import { asObject, str, type JsonObject } from "./types.js";

/**
 * Request parameters that name what a call acted on, in the order a reader
 * wants them. The keys are CloudTrail's own (`requestParameters.userName`...),
 * shown as-is so a reader can match them against the JSON below.
 */
const REQUEST_TARGET_KEYS = [
  "userName",
  "groupName",
  "roleName",
  "policyArn",
  "policyName",
  "accessKeyId",
  "serialNumber",
  "virtualMFADeviceName",
  "instanceProfileName",
  "roleArn",
  "roleSessionName",
  "name",
  "trailName",
  "bucketName",
  "keyId",
  "secretId",
  "functionName",
  "detectorId",
  "accountId",
] as const;

const MAX_RESOURCE_ARNS = 3;

export interface Target {
  readonly key: string;
  readonly value: string;
}

/** What the call acted on: selected request parameters, created access keys, listed resources. */
export function describeTargets(record: JsonObject): Target[] {
  const targets: Target[] = [];
  const request = asObject(record["requestParameters"]);
  for (const key of REQUEST_TARGET_KEYS) {
    const value = str(request, key);
    if (value !== undefined) targets.push({ key, value });
  }
  // CreateAccessKey: the new key id is only in the response.
  const createdKey = str(asObject(asObject(record["responseElements"])?.["accessKey"]), "accessKeyId");
  if (createdKey !== undefined && !targets.some((t) => t.value === createdKey)) {
    targets.push({ key: "created accessKeyId", value: createdKey });
  }
  const resources = Array.isArray(record["resources"]) ? record["resources"] : [];
  for (const resource of resources.slice(0, MAX_RESOURCE_ARNS)) {
    const arn = str(asObject(resource), "ARN");
    if (arn !== undefined && !targets.some((t) => t.value === arn)) targets.push({ key: "resource", value: arn });
  }
  return targets;
}
