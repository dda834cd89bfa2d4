/**
 * Every AWS service interaction the deployment depends on, as IAM requests
 * against the planned policies: what must be allowed, and the same request
 * from another account, trail, rule, alarm, bucket or log group, which must
 * be denied.
 */
import { auditInteractions } from "./audit-interactions";
import { deliveryInteractions } from "./delivery-interactions";
import { kit, type Interaction } from "./interaction-kit";
import { organizationInteractions } from "./organization-interactions";
import type { PlannedPolicies } from "./planned-policies";

export { DOCS, type Interaction, type Outcome } from "./interaction-kit";

export function interactions(planned: PlannedPolicies): Interaction[] {
  const k = kit(planned);
  return [...auditInteractions(k), ...deliveryInteractions(k), ...organizationInteractions(k)];
}
