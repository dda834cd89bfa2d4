import { Construct } from "constructs";
import { AssetType, Fn, ITerraformDependable, TerraformAsset, TerraformLocal, TerraformProvider, Token } from "cdktf";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { expr } from "../shared/expressions";

/** A topic the notifier may publish to besides the alert topic. */
export interface DestinationTopicRef {
  /** Bare HCL boolean, known at plan time: whether the topic exists. */
  readonly enabled: string;
  /** Bare HCL expression of its ARN. */
  readonly arn: string;
}

export interface NotifierFunctionProps {
  /**
   * Provider (region) to create everything in.
   * @default - the stack's default provider
   */
  readonly provider?: TerraformProvider;
  readonly functionName: string;
  /** Folder holding the built handler bundle (`index.mjs`); zipped as the function's code. */
  readonly bundleDir: string;
  /** The topic alerts are published to; passed as `TOPIC_ARN`. */
  readonly topicArn: string;
  /**
   * Readable account names (`var.account_names`), a Terraform map expression,
   * passed as JSON in `ACCOUNT_NAMES`.
   * @default - none
   */
  readonly accountNames?: Record<string, string>;
  /**
   * The topic heartbeats are published to (no person subscribes to it); passed as `HEARTBEAT_TOPIC_ARN`.
   * @default - none: the function publishes only to `topicArn`, and refuses heartbeats
   */
  readonly heartbeatTopicArn?: string;
  /**
   * Further topics the function publishes to, by environment variable name
   * (`CHAT_TOPIC_ARN`...): whether each is configured (a bare HCL boolean
   * over variables, so known at plan time) and its ARN (a bare HCL
   * expression). One not configured is left out of the environment and of
   * the role's permissions, so a deployment without them plans exactly as
   * before.
   * @default - none
   */
  readonly destinationTopics?: Readonly<Record<string, DestinationTopicRef>>;
  /** Where asynchronous invocations land after Lambda's own retries fail. */
  readonly deadLetterQueueArn: string;
  readonly logRetentionDays: number;
  /** @default 30 */
  readonly timeoutSeconds?: number;
  /** @default 256 (more memory also means more CPU for a faster cold start) */
  readonly memorySize?: number;
  /** Customer-managed key for the environment variables and the log group. */
  readonly kmsKeyArn: string;
  /**
   * Concurrency reserved for (and capping) the function; a Terraform number
   * expression that may be null (no reservation). Throttled deliveries are
   * retried by EventBridge, so a cap delays alerts in a burst, never drops them.
   */
  readonly reservedConcurrency: number;
  /**
   * Lambda's retries of a failed asynchronous invocation before the event goes to the dead-letter queue.
   * @default 2 (the Lambda maximum)
   */
  readonly maxAsyncRetries?: number;
}

/**
 * The Lambda function that turns an event into a readable alert.
 *
 * The code is the handler package's esbuild bundle (`npm run build`), zipped
 * by cdktf as an asset; `source_code_hash` is the SHA-256 of that zip, so a
 * plan shows a code change exactly when the bundle changed. The bundle is
 * never built here: constructs stay pure and unit tests stay fast.
 */
export class NotifierFunction extends Construct {
  public readonly function: LambdaFunction;
  public readonly role: IamRole;
  public readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: NotifierFunctionProps) {
    super(scope, id);

    if (!existsSync(join(props.bundleDir, "index.mjs"))) {
      throw new Error(
        `The notifier bundle ${join(props.bundleDir, "index.mjs")} does not exist. Run \`npm run build\` before synthesizing.`,
      );
    }
    const code = new TerraformAsset(this, "code", { path: props.bundleDir, type: AssetType.ARCHIVE });

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      provider: props.provider,
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });

    const trust = new DataAwsIamPolicyDocument(this, "trust", {
      provider: props.provider,
      statement: [
        {
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }],
          actions: ["sts:AssumeRole"],
        },
      ],
    });
    this.role = new IamRole(this, "role", {
      provider: props.provider,
      name: props.functionName,
      description: "Notifier: publishes CloudTrail alerts to one SNS topic",
      assumeRolePolicy: trust.json,
    });

    // The configured destination topics by variable name (an empty map when there are none). Keyed on
    // the variables, so the keys (and the count below) are known at plan time even before the topics exist.
    const destinations = Object.entries(props.destinationTopics ?? {});
    const destinationTopics =
      destinations.length === 0
        ? undefined
        : new TerraformLocal(
            this,
            "destination_topics",
            expr(
              `{ for name, topic in { ${destinations.map(([name, t]) => `${name} = { enabled = ${t.enabled}, arn = ${t.arn} }`).join(", ")} } : name => topic.arn if topic.enabled }`,
            ),
          );
    const anyDestination = destinations.map(([, t]) => `(${t.enabled})`).join(" || ");
    const permissions = new DataAwsIamPolicyDocument(this, "permissions", {
      provider: props.provider,
      statement: [
        {
          sid: "WriteOwnLogs",
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: [`${this.logGroup.arn}:*`],
        },
        {
          sid: "PublishAlerts",
          effect: "Allow",
          actions: ["sns:Publish"],
          resources: [props.topicArn, ...(props.heartbeatTopicArn !== undefined ? [props.heartbeatTopicArn] : [])],
        },
        {
          sid: "KeepFailedEvents",
          effect: "Allow",
          actions: ["sqs:SendMessage"],
          resources: [props.deadLetterQueueArn],
        },
        {
          // Publishing to a topic encrypted with a customer-managed key needs the key:
          // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
          sid: "UseAlertKey",
          effect: "Allow",
          actions: ["kms:GenerateDataKey", "kms:Decrypt"],
          resources: [props.kmsKeyArn],
        },
        {
          // X-Ray has no resource-level permissions: "*" is the only resource these actions accept.
          // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html
          sid: "WriteTraces",
          effect: "Allow",
          actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
          resources: ["*"],
        },
      ],
    });
    const policy = new IamRolePolicy(this, "policy", {
      provider: props.provider,
      name: "notifier",
      role: this.role.id,
      policy: permissions.json,
    });
    const prerequisites: ITerraformDependable[] = [policy, this.logGroup];

    if (destinationTopics !== undefined) {
      // A policy of its own, only while a destination exists: the one above stays exactly as deployed before.
      const count = Token.asNumber(expr(`${anyDestination} ? 1 : 0`));
      const destinationPermissions = new DataAwsIamPolicyDocument(this, "destination-permissions", {
        provider: props.provider,
        count,
        statement: [
          {
            // The topics are encrypted with the alert topic's key, which the policy above already allows.
            sid: "PublishToDestinations",
            effect: "Allow",
            actions: ["sns:Publish"],
            resources: Token.asList(Fn.values(destinationTopics.asAnyMap)),
          },
        ],
      });
      prerequisites.push(
        new IamRolePolicy(this, "destination-policy", {
          provider: props.provider,
          count,
          name: "notifier-destinations",
          role: this.role.id,
          policy: expr(`data.${destinationPermissions.terraformResourceType}.${destinationPermissions.friendlyUniqueId}[0].json`),
        }),
      );
    }

    this.function = new LambdaFunction(this, "function", {
      provider: props.provider,
      functionName: props.functionName,
      description: "Turns CloudTrail events into readable SNS alerts",
      role: this.role.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: code.path,
      sourceCodeHash: Fn.filebase64sha256(code.path),
      timeout: props.timeoutSeconds ?? 30,
      // Not in a VPC (Checkov CKV_AWS_117): it only calls SNS; a VPC would add NAT cost and no protection.
      // No code signing (CKV_AWS_272): the zip is built and hashed in this repository's reviewed pipeline.
      memorySize: props.memorySize ?? 256,
      environment: {
        variables: Token.asStringMap(
          Fn.merge([
            {
              TOPIC_ARN: props.topicArn,
              ...(props.heartbeatTopicArn !== undefined ? { HEARTBEAT_TOPIC_ARN: props.heartbeatTopicArn } : {}),
              ...(props.accountNames !== undefined ? { ACCOUNT_NAMES: Fn.jsonencode(props.accountNames) } : {}),
            },
            ...(destinationTopics === undefined ? [] : [destinationTopics.asAnyMap]),
          ]),
        ),
      },
      kmsKeyArn: props.kmsKeyArn,
      deadLetterConfig: { targetArn: props.deadLetterQueueArn },
      tracingConfig: { mode: "Active" },
      reservedConcurrentExecutions: props.reservedConcurrency,
      loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
      // The role's permissions and the log group must exist before the first invocation.
      dependsOn: prerequisites,
    });

    new LambdaFunctionEventInvokeConfig(this, "async-config", {
      provider: props.provider,
      functionName: this.function.functionName,
      maximumRetryAttempts: props.maxAsyncRetries ?? 2,
      maximumEventAgeInSeconds: 21_600,
    });
  }
}
