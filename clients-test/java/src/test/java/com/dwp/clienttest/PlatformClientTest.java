package com.dwp.clienttest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dwp.client.ApiClient;
import com.dwp.client.api.AuthApi;
import com.dwp.client.api.CasesApi;
import com.dwp.client.api.HitlApi;
import com.dwp.client.api.NotificationsApi;
import com.dwp.client.messages.CaseActionNotification;
import com.dwp.client.messages.CaseActionStatusCode;
import com.dwp.client.messages.CaseActionType;
import com.dwp.client.messages.HitlApprovalSignal;
import com.dwp.client.model.CaseDetailResponse;
import com.dwp.client.model.CaseListResponse;
import com.dwp.client.model.CaseStatus;
import com.dwp.client.model.HitlDecisionResponse;
import com.dwp.client.model.LoginRequest;
import com.dwp.client.model.NotificationItem;
import com.dwp.client.model.NotificationListResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated Java client and message models against the platform started by test/clients/java.test.ts. */
class PlatformClientTest {
  static final String GATEWAY = System.getenv().getOrDefault("GATEWAY_URL", "http://127.0.0.1:8080");
  static final String USER = System.getenv().getOrDefault("DWP_USERNAME", "approver");
  static final String PASSWORD = System.getenv().getOrDefault("DWP_PASSWORD", "approver-pass");
  static final String TENANT = System.getenv().getOrDefault("DWP_TENANT", "acme");
  // Four-eyes: the requester asks Aura, the approver decides.
  static final String REQUESTER = System.getenv().getOrDefault("DWP_REQUESTER", "requester");
  static final String REQUESTER_PASSWORD = System.getenv().getOrDefault("DWP_REQUESTER_PASSWORD", "requester-pass");
  static final String CASE_ID = "CASE-2026-0004";
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void approvesThroughTheGatewayAndDecodesTheStoredCaseAction() throws Exception {
    ApiClient api = new ApiClient();
    api.updateBaseUri(GATEWAY);
    var login = new AuthApi(api).login(new LoginRequest().username(USER).password(PASSWORD).tenantId(TENANT)).getData();
    String token = login.getAccessToken();
    String askerToken = new AuthApi(api).login(new LoginRequest().username(REQUESTER).password(REQUESTER_PASSWORD).tenantId(TENANT)).getData().getAccessToken();
    api.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + token));

    CaseListResponse cases = new CasesApi(api).listCases(TENANT, null, null);
    var summary = cases.getData().getItems().stream().filter(c -> CASE_ID.equals(c.getCaseId())).findFirst().orElseThrow();

    // The agent stream, read to its hitl event (plain java.net.http: the client has no SSE reader).
    String body = JSON.writeValueAsString(Map.of(
        "prompt", "Review case " + CASE_ID + " and propose an action",
        "context", Map.of("caseId", CASE_ID, "docKey", summary.getDocKey())));
    HttpRequest start = HttpRequest.newBuilder(URI.create(GATEWAY + "/api/aura/test/stream"))
        .header("Authorization", "Bearer " + askerToken).header("X-Tenant-ID", TENANT)
        .header("Content-Type", "application/json").header("Accept", "text/event-stream")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<java.io.InputStream> stream = http.send(start, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, stream.statusCode());
    JsonNode hitl = null;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      String event = null;
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.startsWith("event:")) event = line.substring(6).trim();
        else if (line.startsWith("data:") && "hitl".equals(event)) {
          hitl = JSON.readTree(line.substring(5).trim());
          break;
        } else if (line.isEmpty()) event = null;
      }
    }
    assertNotNull(hitl, "the stream ended without a hitl event");
    String requestId = hitl.get("requestId").asText();
    String sessionId = hitl.get("sessionId").asText();

    HitlDecisionResponse decided = new HitlApi(api).approveHitl(requestId, TENANT, null, null);
    assertEquals("approved", decided.getData().getStatus().getValue());

    // The stored signal, decoded with the message model (unix seconds, ≤ 9999999999).
    String signalJson = JSON.writeValueAsString(JSON.readTree(
        http.send(HttpRequest.newBuilder(URI.create(GATEWAY + "/api/aura/hitl/signals/" + sessionId))
            .header("Authorization", "Bearer " + token).header("X-Tenant-ID", TENANT).build(),
            HttpResponse.BodyHandlers.ofString()).body()).get("data"));
    HitlApprovalSignal signal = HitlApprovalSignal.fromJson(signalJson);
    assertEquals(requestId, signal.getRequestId());
    assertTrue(signal.getTimestamp() > 1_600_000_000L && signal.getTimestamp() <= 9_999_999_999L);

    CaseDetailResponse detail = new CasesApi(api).getCase(CASE_ID, TENANT);
    assertEquals(CaseStatus.APPROVED, detail.getData().getCase().getStatus());

    // The CASE_ACTION the backend stored: the item's payload is the NOTIFICATION message.
    CaseActionNotification action = null;
    long deadline = System.currentTimeMillis() + 20_000;
    while (action == null && System.currentTimeMillis() < deadline) {
      NotificationListResponse list = new NotificationsApi(api).listNotifications(TENANT, 50, null);
      for (NotificationItem item : list.getData().getItems()) {
        if (!"CASE_ACTION".equals(item.getType().getValue())) continue;
        CaseActionNotification n = CaseActionNotification.fromJson(JSON.writeValueAsString(item.getPayload()));
        if (requestId.equals(n.getRequestId())) action = n;
      }
      if (action == null) Thread.sleep(200);
    }
    assertNotNull(action, "no CASE_ACTION notification for " + requestId);
    assertEquals(CASE_ID, action.getCaseId());
    assertEquals(CaseActionType.APPROVE, action.getActionType());
    assertEquals(CaseActionStatusCode.APPROVED, action.getStatusCode());
    assertEquals(Boolean.TRUE, action.getApproved());
    assertEquals(login.getUserId(), action.getExecutorId());
    assertNotNull(action.getTimestamp().getOffset());
  }

  @Test
  void messageModelsRejectWhatTheSchemasReject() throws Exception {
    String ok = "{\"type\":\"approval\",\"requestId\":\"req-1\",\"status\":\"approved\",\"timestamp\":1795000100}";
    assertEquals(1795000100L, HitlApprovalSignal.fromJson(ok).getTimestamp());
    assertThrows(() -> HitlApprovalSignal.fromJson(ok.replace("1795000100", "1795000100000"))); // milliseconds
    assertThrows(() -> HitlApprovalSignal.fromJson(ok.replace("1795000100", "\"1795000100\""))); // a string
    assertThrows(() -> HitlApprovalSignal.fromJson(ok.replace("\"approval\"", "\"rejection\""))); // another const
    String n = "{\"type\":\"NOTIFICATION\",\"category\":\"CASE_ACTION\",\"message\":\"조치 승인됨\",\"timestamp\":\"2026-02-11T12:00:00+09:00\","
        + "\"tenant_id\":\"acme\",\"case_id\":\"C1\",\"request_id\":\"r1\",\"executor_id\":\"approver\",\"action_type\":\"APPROVE\","
        + "\"approved\":true,\"status_code\":\"APPROVED\",\"extra\":1}";
    assertEquals(9 * 3600, CaseActionNotification.fromJson(n).getTimestamp().getOffset().getTotalSeconds());
    assertThrows(() -> CaseActionNotification.fromJson(n.replace("+09:00", ""))); // no offset
    assertThrows(() -> CaseActionNotification.fromJson(n.replace("\"case_id\":\"C1\",", ""))); // required
  }

  interface Call { void run() throws Exception; }

  static void assertThrows(Call call) {
    try {
      call.run();
    } catch (Exception expected) {
      return;
    }
    throw new AssertionError("accepted a message its schema rejects");
  }
}
