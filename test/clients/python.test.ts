// The generated Python client (generated/clients/python, with dwp_client.messages) against the running
// platform: installs it into a venv under .cache/ and runs clients-test/python with pytest, which also
// listens on Redis for the live CASE_ACTION and HITL signal.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, runTool, usePlatform } from './run-tool';

jest.setTimeout(15 * 60_000);

const VENV = path.join(ROOT, '.cache', 'venv');
const PY = path.join(VENV, 'bin', 'python');
const toolEnv = usePlatform();

test('the Python client approves a HITL request; the message models decode the live CASE_ACTION and signal', async () => {
  if (!existsSync(PY)) await runTool('python3', ['-m', 'venv', VENV]);
  // Installed from a copy: building in place would leave build/ and *.egg-info in generated/. pip keeps its
  // downloads in its own cache (~/.cache/pip), so only a fresh machine fetches pydantic and friends.
  const copy = mkdtempSync(path.join(tmpdir(), 'dwp-python-client-'));
  try {
    cpSync(path.join(ROOT, 'generated/clients/python'), copy, { recursive: true });
    await runTool(PY, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', copy, 'pytest>=8,<10', 'redis>=5,<7']);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
  await runTool(PY, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'clients-test/python'], toolEnv());
});
