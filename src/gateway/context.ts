// What the gateway hands each of its own operations' handlers (src/gateway/handlers/<OperationId>.ts)
// besides the typed input; what a handler needs beyond this comes through its `make<Op>(deps)`.
export interface GatewayContext {
  /** The exchange's trace id (`X-Trace-Id`, taken from the request or made here). */
  traceId: string;
  /** This gateway's id for the exchange (`X-Gateway-Request-Id`). */
  gatewayRequestId: string;
  /** The gateway's own operations are all GETs; a HEAD is answered alike and its body dropped by the gateway. */
  method: 'GET' | 'HEAD';
}
