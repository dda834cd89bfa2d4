"""Start moto_server with a few emulator gaps patched.

Every patch below makes moto behave like the real AWS API for a request the
product already sends unchanged; none of them changes what the product sends
or weakens an assertion. Each says which gap it closes and why it matters.

Usage: python moto_launcher.py PORT
"""
import functools
import json
import sys
from typing import Any

from moto.awslambda.models import LambdaFunction
from moto.cloudtrail.models import CloudTrailBackend
from moto.events.models import Rule
from moto.events.utils import EventTemplateParser
from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.s3.models import FakeBucket
from moto.server import main

# --- CloudTrail: trail ARN accepted where the API takes "name or ARN" -------
#
# moto 5.2.1's CloudTrail StartLogging/StopLogging/DeleteTrail look the trail
# up by name only (``self.trails[name]``), but the AWS provider sends the
# trail ARN, as the real API allows. Without this patch ``terraform apply`` of
# an ``aws_cloudtrail`` with ``enable_logging = true`` (and its destroy) fails
# against the emulator. We resolve the name-or-ARN with moto's own
# ``get_trail`` (which accepts both) and leave everything else untouched.


def _start_logging(self, name):  # type: ignore[no-untyped-def]
    self.get_trail(name).start_logging()


def _stop_logging(self, name):  # type: ignore[no-untyped-def]
    self.get_trail(name).stop_logging()


def _delete_trail(self, name):  # type: ignore[no-untyped-def]
    trail = self.get_trail(name)
    self.trails.pop(trail.trail_name, None)


CloudTrailBackend.start_logging = _start_logging
CloudTrailBackend.stop_logging = _stop_logging
CloudTrailBackend.delete_trail = _delete_trail

# --- Lambda: DeadLetterConfig, LoggingConfig and KMSKeyArn are echoed back ---
#
# Real Lambda returns a function's DeadLetterConfig, LoggingConfig and
# KMSKeyArn in GetFunction / GetFunctionConfiguration. moto 5.2.1 accepts them
# in CreateFunction and UpdateFunctionConfiguration but never stores or
# returns them, so after an apply the AWS provider reads them back as empty
# and every `terraform plan` proposes an in-place update of the notifier
# function (a perpetual diff that exists only on the emulator). We keep what
# the client sent and return it as stored, so "plan after apply shows no
# changes" can be asserted strictly. The product's function configuration is
# unchanged.

_ECHOED_FUNCTION_SETTINGS = ("DeadLetterConfig", "LoggingConfig", "KMSKeyArn")
_original_function_init = LambdaFunction.__init__
_original_get_configuration = LambdaFunction.get_configuration
_original_update_configuration = LambdaFunction.update_configuration


def _function_init(self, account_id, spec, region, version=1):  # type: ignore[no-untyped-def]
    _original_function_init(self, account_id, spec, region, version)
    self._echoed_settings = {k: spec[k] for k in _ECHOED_FUNCTION_SETTINGS if spec.get(k)}


def _get_configuration(self, on_create: bool = False) -> dict[str, Any]:
    config = _original_get_configuration(self, on_create)
    config.update(getattr(self, "_echoed_settings", {}))
    return config


def _update_configuration(self, config_updates: dict[str, Any]) -> dict[str, Any]:
    echoed = getattr(self, "_echoed_settings", {})
    for key in _ECHOED_FUNCTION_SETTINGS:
        if key in config_updates:
            echoed[key] = config_updates[key]
    self._echoed_settings = echoed
    return _original_update_configuration(self, config_updates)


LambdaFunction.__init__ = _function_init
LambdaFunction.get_configuration = _get_configuration
LambdaFunction.update_configuration = _update_configuration

# --- EventBridge: a Lambda target does not abort PutEvents ------------------
#
# moto 5.2.1 cannot run Lambda functions here (no Docker), and its rule
# delivery raises NotImplementedError for a Lambda target, which makes the
# whole PutEvents call fail as soon as an event matches one of the deployed
# rules. Real EventBridge would invoke the function and deliver to every other
# target. We let the rule deliver to its other targets (the e2e harness adds
# an SQS queue to each deployed rule) and skip only the Lambda targets; the
# harness then runs the deployed function code itself on what was delivered.
# The rule is not modified: ListTargetsByRule still returns the Lambda target,
# so the deployed configuration stays exactly what Terraform created.

_original_send_to_targets = Rule.send_to_targets


class _RuleWithoutLambdaTargets:
    """A read-through view of a rule whose `targets` omit Lambda functions."""

    def __init__(self, rule: Rule) -> None:
        self._rule = rule
        self.targets = [t for t in rule.targets if ":lambda:" not in t["Arn"]]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._rule, name)


def _is_bus(target: dict[str, Any]) -> bool:
    arn = target["Arn"].split(":")
    return len(arn) > 5 and arn[2] == "events" and arn[5].startswith("event-bus/")


def _send_to_targets(self, original_event, transform_input=True):  # type: ignore[no-untyped-def]
    # A view instead of mutating self.targets: a ListTargetsByRule (e.g. from a
    # concurrent `terraform plan`) must never see the Lambda target missing.
    view = _RuleWithoutLambdaTargets(self)
    buses = [t for t in view.targets if _is_bus(t)]
    view.targets = [t for t in view.targets if not _is_bus(t)]
    _original_send_to_targets(view, original_event, transform_input)
    if buses and self.event_pattern.matches_event(original_event):
        for target in buses:
            _deliver_to_bus(target["Arn"], original_event)


# --- EventBridge: an event put on another bus keeps its envelope -------------
#
# Real EventBridge delivers an event to an event bus target in another account
# or Region unchanged: the receiver's rules see the sender's `account` and
# `region` (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html,
# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html).
# moto 5.2.1 re-puts such an event as a new PutEvents in the receiving backend,
# which stamps the receiver's account and region on it, so an organization
# member's event would look like the central account's own. We match the
# receiving bus's rules against the event as sent instead. Resource policies
# are not evaluated (moto does not enforce them anywhere).


def _deliver_to_bus(bus_arn: str, event: dict[str, Any]) -> None:
    from moto.events.models import events_backends

    _, _, _, region, account, resource = bus_arn.split(":", 5)
    bus = events_backends[account][region].describe_event_bus(resource.split("/", 1)[1])
    for rule in list(bus.rules.values()):
        rule.send_to_targets(json.loads(json.dumps(event)))


Rule.send_to_targets = _send_to_targets

# --- EventBridge: delivered events carry `account` ---------------------------
#
# Real EventBridge delivers every event with the envelope's `account` field
# (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html).
# moto 5.2.1 sets it on the event but its default delivery template (used when
# a target has no InputTransformer) leaves it out, so targets receive events
# without `account`. The notifier falls back to that field for records without
# `recipientAccountId` (documentation examples), so the e2e run needs it. Same
# template, with `account` added; nothing else changes.

EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE = (
    '{"version": "0", "id": "<id>", "detail-type": "<detail-type>", "source": "<source>", '
    '"account": "<account>", "time": <time>, "region": "<region>", "resources": <resources>, '
    '"detail": <detail>}'
)

# --- EventBridge: each input path compiled once (speed only) ------------------
#
# Not an API gap: this one changes no response, only the emulator's CPU.
# moto 5.2.1 builds every delivered event from a template by resolving each
# input path (the target's InputTransformer paths, or its eight default ones)
# with `jsonpath_ng.ext.parse`, imported inside `EventTemplateParser.parse` on
# every call, and each call of that builds a new LALR parser (ply's yacc
# tables) before it parses the path. Profiled with py-spy on the organization
# e2e run, that was 84 % of the emulator's CPU (about 80 s). A parsed path is
# an immutable expression tree that `find` only reads, so one per distinct
# path string is kept and reused, for every thread.

import jsonpath_ng.ext  # noqa: E402

jsonpath_ng.ext.parse = functools.lru_cache(maxsize=4096)(jsonpath_ng.ext.parse)

# --- S3: bucket policy conditions are evaluated, not ignored ------------------
#
# moto 5.2.1 applies a bucket policy to object requests (GetObject, PutObject,
# DeleteObject, DeleteObjects) but does not evaluate the statements'
# conditions: a statement guarded by a condition applies to every request.
# The stack's buckets deny `s3:*` when `aws:SecureTransport` is "false" (the
# standard TLS-only statement), so on the emulator the account owner cannot
# even delete a log object, and the e2e harness cannot empty a bucket before
# `terraform destroy`. Real S3 evaluates the condition: requests over TLS are
# not denied. We evaluate conditions against the context of such a request
# (TLS, no service principal, no source ARN): a statement applies only when all
# its conditions match that context, as IAM's evaluation logic specifies
# (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html).
# Operators beyond the equality family are not evaluated, so statements using
# them are treated as not applying to the harness's requests. The policies
# themselves are stored and returned unchanged.

_TLS_OWNER_REQUEST = {"aws:securetransport": "true"}
_EQUALITY_OPERATORS = {"Bool", "StringEquals", "StringEqualsIgnoreCase"}


def _conditions_match(condition: dict[str, Any]) -> bool:
    for operator, tests in condition.items():
        if_exists = operator.endswith("IfExists")
        base = operator[: -len("IfExists")] if if_exists else operator
        for key, expected in tests.items():
            actual = _TLS_OWNER_REQUEST.get(key.lower())
            if actual is None:
                if if_exists:
                    continue
                return False
            values = [str(v).lower() for v in (expected if isinstance(expected, list) else [expected])]
            if base not in _EQUALITY_OPERATORS or actual not in values:
                return False
    return True


def _bucket_permission(self, action: str, resource: str) -> Any:  # type: ignore[no-untyped-def]
    if self.policy is None:
        return PermissionResult.NEUTRAL
    document = json.loads(self.policy.decode())
    statements = document["Statement"] if isinstance(document["Statement"], list) else [document["Statement"]]
    applicable = [s for s in statements if _conditions_match(s.get("Condition") or {})]
    if not applicable:
        return PermissionResult.NEUTRAL
    unconditional = [{k: v for k, v in s.items() if k != "Condition"} for s in applicable]
    return IAMPolicy(json.dumps({**document, "Statement": unconditional})).is_action_permitted(action, resource)


FakeBucket.get_permission = _bucket_permission

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
