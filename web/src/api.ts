// The one place the workbench meets the generated SDK: same-origin calls through the gateway,
// the session's token and tenant on each call, and a 401 sends the user back to the login page.
// Pages call the SDK's standalone functions (`sdk.getCase(core, ...)`), so the bundle carries
// only the operations the workbench uses.
import { DwpCore } from '../../generated/sdk/core';
import type { StreamOptions } from '../../generated/sdk/sse';
import { getSession, signOut } from './session';
import type { Frame, Opener } from './streams/stream-session';

export * as sdk from '../../generated/sdk/api';

/** Responses and stream events are checked against the contract in development (lazily loaded). */
const validateWire = import.meta.env.DEV;

export const core = new DwpCore({
  baseUrl: '',
  token: () => getSession()?.token,
  tenantId: () => getSession()?.tenantId,
  ...(validateWire ? { validation: () => import('../../generated/sdk/validation').then((m) => m.sdkValidation) } : {}),
  onUnauthorized: () => signOut('expired'),
});

/** An SDK stream operation as a stream session's opener: its resume id, abort signal and state. */
export function streamOpener<F extends Frame, A>(
  call: (client: DwpCore, args: A, options?: StreamOptions) => AsyncIterable<unknown>,
  args: A,
): Opener<F> {
  return ({ lastEventId, signal, onState }) => call(core, args, { lastEventId, signal, onState: (s) => onState(s.state) }) as AsyncIterable<F>;
}
