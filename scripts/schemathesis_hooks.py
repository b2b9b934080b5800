"""Schemathesis hooks for scripts/check-contract."""
import schemathesis

# POST /articles/bulk takes NDJSON, documented as a string: send the generated string as the body.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")
