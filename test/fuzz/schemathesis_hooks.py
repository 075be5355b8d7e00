"""Schemathesis hooks for test/fuzz/schemathesis.test.ts.

openapi.yaml is OpenAPI 3.1, where a `text/event-stream` response's `schema` names what one
`data:` line holds (and `x-sse-events` maps each `event:` name to the schema of its line). Schemathesis
reads an event stream the OpenAPI 3.2 way: each event is an object `{event, data, id?, retry?}`
checked against the media type's `itemSchema`. So, in memory only, each stream response gets an
`itemSchema` built from its own `x-sse-events`: an event named N must carry JSON matching N's schema,
and `data: [DONE]` (the end marker) is the one non-JSON line allowed. This is stricter than the
spec's union (`AnalysisStreamEvent` is an `anyOf`), and it keeps the body check on for the streams.
"""

import schemathesis

# CPython 3.11 can raise `SystemError: AST constructor recursion depth mismatch` from `ast.parse`
# when it is called deep in a stack (fixed in 3.12). Hypothesis parses source files only to name a
# `.filter(lambda ...)` strategy in its reports, and Schemathesis's coverage phase then ends with
# a "Runtime Error" on whichever operation was being built, though no request was sent. Naming
# the lambda `<unknown>` there, as Hypothesis itself does when it cannot read a source, keeps
# every generated request and every check as it is.
try:
    from hypothesis.internal import lambda_sources as _lambda_sources

    _describe = _lambda_sources._lambda_description

    def _lambda_description(f, *args, **kwargs):
        try:
            return _describe(f, *args, **kwargs)
        except SystemError:
            return "lambda: <unknown>"

    _lambda_sources._lambda_description = _lambda_description
except (ImportError, AttributeError):  # another Hypothesis layout: nothing to work around
    pass

SSE = "text/event-stream"
EVENT_ID = {"$ref": "#/components/schemas/SseEventId"}


def _item_schema(events: dict) -> dict:
    variants = [
        {
            "type": "object",
            # Every frame names its stream and position, but the in-band `error` answering an unknown
            # or expired Last-Event-ID: it has no position, and leaving `id:` out keeps the client's.
            "required": ["event", "data"] if name == "error" else ["event", "data", "id"],
            "properties": {
                "event": {"const": name},
                "id": EVENT_ID,
                "data": {
                    "type": "string",
                    "contentMediaType": "application/json",
                    "contentSchema": {"$ref": ref},
                },
            },
        }
        for name, ref in events.items()
    ]
    variants.append(
        {
            "type": "object",
            "required": ["data"],
            "properties": {"event": {"const": "message"}, "data": {"const": "[DONE]"}},
        }
    )
    return {"oneOf": variants}


@schemathesis.hook
def before_load_schema(context, raw_schema):
    for methods in raw_schema.get("paths", {}).values():
        for operation in methods.values():
            if not isinstance(operation, dict) or "x-sse-events" not in operation:
                continue
            for response in operation.get("responses", {}).values():
                media = response.get("content", {}).get(SSE) if isinstance(response, dict) else None
                if media is not None:
                    media.pop("schema", None)
                    media["itemSchema"] = _item_schema(operation["x-sse-events"])
