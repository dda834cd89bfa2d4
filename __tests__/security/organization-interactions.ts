/**
 * Organization members putting events on the central bus: a member's
 * forwarding role (its permissions as the member template writes them)
 * against the bus policy statement the stack adds with PutPermission. AWS
 * renders that statement as Principal "*", Action events:PutEvents on the
 * bus, Condition StringEquals aws:PrincipalOrgID
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html).
 */
import type { Json } from "../support/synth";
import { attempts, session, type Interaction, type Kit } from "./interaction-kit";
import type { Request } from "./iam-simulation";
import type { Policy } from "./planned-policies";

/** A member account of the organization, and one of another organization. */
const MEMBER = "444455556666";
const OTHER_ORGANIZATION = "o-zzzzzzzzzz";

export function organizationInteractions(k: Kit): Interaction[] {
  const p = k.planned;
  const permission = p.instances("aws_cloudwatch_event_permission")[0];
  const stackSet = p.instances("aws_cloudformation_stack_set").find((s) => String(s.values.name).endsWith("-member-forwarding"));
  if (permission === undefined || stackSet === undefined) return [];
  if (permission.values.principal !== "*") throw new Error(`the bus permission's principal is ${permission.values.principal}, expected "*" with aws:PrincipalOrgID`);
  const organizationId = String(permission.values.condition[0].value);
  const bus = `arn:${p.partition}:events:us-east-1:${k.account}:event-bus/default`;
  const busPolicy: Policy = {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: String(permission.values.statement_id),
        Effect: "Allow",
        // The planned statement's principal is "*" (checked below), narrowed by the organization condition.
        Principal: "*",
        Action: [String(permission.values.action)],
        Resource: [bus],
        Condition: { StringEquals: { "aws:PrincipalOrgID": [organizationId] } },
      },
    ],
  };
  const template = JSON.parse(String(stackSet.values.template_body)) as Json;
  const role = template.Resources.ForwardingRole.Properties;
  const roleName = `${role.RoleName["Fn::Join"][1][0]}-eu-west-1`;
  const memberRole = session(`arn:${p.partition}:iam::${MEMBER}:role/${roleName}`, "forwarding");
  const putEvents = (principal: string, organization: string, busArn = bus): Request => ({
    principal,
    action: "events:PutEvents",
    resource: busArn,
    resourceAccount: k.account,
    identityPolicies: [role.Policies[0].PolicyDocument],
    resourcePolicy: busPolicy,
    context: { "aws:SecureTransport": "true", "aws:PrincipalOrgID": organization },
  });
  return [
    {
      name: "organization member's forwarding role → central us-east-1 bus",
      request: "`events:PutEvents`, from another account of the organization (`aws:PrincipalOrgID`)",
      docs: "eb-event-bus-perms",
      allowed: attempts("a member account's forwarding role", [putEvents(memberRole, organizationId)]),
      denied: [
        ...attempts("the same role in another organization", [putEvents(memberRole, OTHER_ORGANIZATION)]),
        ...attempts("another bus of the central account", [putEvents(memberRole, organizationId, bus.replace(":us-east-1:", ":eu-west-1:"))]),
      ],
    },
  ];
}
