"""Start moto_server with one emulator gap patched.

moto 5.2.1's CloudTrail StartLogging/StopLogging look the trail up by name
only (``self.trails[name]``), but the AWS provider sends the trail ARN, as
the real API allows. Without this patch ``terraform apply`` of an
``aws_cloudtrail`` with ``enable_logging = true`` fails against the emulator.
We resolve the name-or-ARN with moto's own ``get_trail`` (which accepts both)
and leave everything else untouched. This is a test-harness fix only: the
product sends exactly what it would send to AWS.

Usage: python moto_launcher.py PORT
"""
import sys

from moto.cloudtrail.models import CloudTrailBackend
from moto.server import main


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

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
