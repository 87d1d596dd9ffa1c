"""Schemathesis hooks for Kefu's API: a policy file (`PUT /api/policy.toml`) is sent as text."""

import schemathesis

# TOML is text: Schemathesis has no TOML serializer, and the server reads the body as text.
schemathesis.serializer.alias("application/toml", "text/plain")
