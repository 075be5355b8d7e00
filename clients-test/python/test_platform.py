"""The generated Python client (dwp_client) and its message models (dwp_client.messages) against the platform
started by test/clients/python.test.ts (GATEWAY_URL, REDIS_URL and the demo credentials come from there)."""
import json
import os
import time
import urllib.request

import pytest
import redis
from pydantic import ValidationError

import dwp_client
from dwp_client.api import AuthApi, CasesApi, HitlApi, NotificationsApi
from dwp_client.messages import CaseActionNotification, HitlApprovalSignal, HitlRejectionSignal
from dwp_client.models import LoginRequest

GATEWAY = os.environ.get("GATEWAY_URL", "http://127.0.0.1:8080")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379")
USER = os.environ.get("DWP_USERNAME", "approver")
PASSWORD = os.environ.get("DWP_PASSWORD", "approver-pass")
# Four-eyes: the requester asks Aura, the approver decides.
REQUESTER = os.environ.get("DWP_REQUESTER", "requester")
REQUESTER_PASSWORD = os.environ.get("DWP_REQUESTER_PASSWORD", "requester-pass")
TENANT = os.environ.get("DWP_TENANT", "acme")
CASE_ID = "CASE-2026-0005"
# Channel names from asyncapi.yaml (caseAction, hitlChannel).
CASE_ACTION_CHANNEL = "workbench:case:action"
HITL_CHANNEL = "hitl:channel:{sessionId}"


def sse_frames(response):
    """(event, data) pairs of a text/event-stream response, read as they arrive."""
    event, data = None, []
    for raw in response:
        line = raw.decode("utf-8").rstrip("\r\n")
        if line == "":
            if data:
                yield event, "\n".join(data)
            event, data = None, []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())


def wait_subscribed(pubsub, channel, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = pubsub.get_message(timeout=0.5)
        if m and m["type"] == "subscribe" and m["channel"] == channel:
            return
    raise AssertionError(f"not subscribed to {channel}")


def next_message(pubsub, channel, accept, timeout=20.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = pubsub.get_message(timeout=0.5)
        if m and m["type"] == "message" and m["channel"] == channel:
            decoded = accept(m["data"])
            if decoded is not None:
                return decoded
    raise AssertionError(f"no matching message on {channel}")


def test_approve_with_the_client_and_decode_live_messages():
    config = dwp_client.Configuration(host=GATEWAY)
    client = dwp_client.ApiClient(config)
    login = AuthApi(client).login(LoginRequest(username=USER, password=PASSWORD, tenantId=TENANT))
    token = login.data.access_token
    asker_token = AuthApi(client).login(LoginRequest(username=REQUESTER, password=REQUESTER_PASSWORD, tenantId=TENANT)).data.access_token
    config.access_token = token
    client.set_default_header("Authorization", f"Bearer {token}")

    cases = CasesApi(client).list_cases(TENANT)
    summary = next(c for c in cases.data.items if c.case_id == CASE_ID)

    r = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    pubsub = r.pubsub()
    pubsub.subscribe(CASE_ACTION_CHANNEL)
    wait_subscribed(pubsub, CASE_ACTION_CHANNEL)

    body = json.dumps({"prompt": f"Review case {CASE_ID} and propose an action",
                       "context": {"caseId": CASE_ID, "docKey": summary.doc_key}}).encode()
    req = urllib.request.Request(f"{GATEWAY}/api/aura/test/stream", data=body, method="POST", headers={
        "Authorization": f"Bearer {asker_token}", "X-Tenant-ID": TENANT,
        "Content-Type": "application/json", "Accept": "text/event-stream"})
    with urllib.request.urlopen(req, timeout=60) as stream:
        frames = sse_frames(stream)
        hitl = next(json.loads(d) for e, d in frames if e == "hitl")
        request_id, session_id = hitl["requestId"], hitl["sessionId"]
        signal_channel = HITL_CHANNEL.format(sessionId=session_id)
        pubsub.subscribe(signal_channel)
        wait_subscribed(pubsub, signal_channel)

        decided = HitlApi(client).approve_hitl(request_id, TENANT)
        assert decided.data.status == "approved"

        signal = next_message(pubsub, signal_channel, HitlApprovalSignal.model_validate_json)
        assert signal.request_id == request_id and signal.status == "approved"
        assert 1_600_000_000 < signal.timestamp <= 9_999_999_999

        def case_action_for_this_request(raw):
            n = CaseActionNotification.model_validate_json(raw)
            return n if n.request_id == request_id else None

        live = next_message(pubsub, CASE_ACTION_CHANNEL, case_action_for_this_request)
        assert live.case_id == CASE_ID and live.approved is True
        assert live.action_type.value == "APPROVE" and live.status_code.value == "APPROVED"
        assert live.tenant_id == TENANT
        # The agent's run goes on in the same open stream after the decision.
        rest = [e for e, _ in frames]
        assert "end" in rest
    pubsub.close()

    detail = CasesApi(client).get_case(CASE_ID, TENANT)
    assert detail.data.case.status.value == "APPROVED"

    items = NotificationsApi(client).list_notifications(TENANT, limit=50).data.items
    stored = [CaseActionNotification.model_validate(i.payload) for i in items if i.type.value == "CASE_ACTION"]
    assert any(n.request_id == request_id for n in stored)


def test_message_models_reject_what_the_schemas_reject():
    ok = {"type": "approval", "requestId": "req-1", "status": "approved", "timestamp": 1795000100}
    assert HitlApprovalSignal.model_validate(ok).timestamp == 1795000100
    for bad in ({**ok, "timestamp": 1795000100000}, {**ok, "timestamp": "1795000100"}, {**ok, "type": "rejection"},
                {k: v for k, v in ok.items() if k != "requestId"}):
        with pytest.raises(ValidationError):
            HitlApprovalSignal.model_validate(bad)
    rejection = {"type": "rejection", "requestId": "req-1", "status": "rejected", "reason": "no", "timestamp": 1795000100}
    assert HitlRejectionSignal.model_validate(rejection).reason == "no"

    n = {"type": "NOTIFICATION", "category": "CASE_ACTION", "message": "조치 승인됨", "timestamp": "2026-02-11T12:00:00+09:00",
         "tenant_id": "acme", "case_id": "C1", "request_id": "r1", "executor_id": "approver", "action_type": "APPROVE",
         "approved": True, "status_code": "APPROVED", "history_id": 7, "unknown": "ignored"}
    assert CaseActionNotification.model_validate(n).history_id == 7
    for bad in ({**n, "timestamp": "2026-02-11T12:00:00"}, {**n, "timestamp": "not a date Z"}, {**n, "category": "RAG_STATUS"},
                {**n, "approved": "yes"}, {**n, "case_id": "has space"}):
        with pytest.raises(ValidationError):
            CaseActionNotification.model_validate(bad)
