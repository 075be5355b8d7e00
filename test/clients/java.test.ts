// The generated Java client (generated/clients/java) and its message models against the running platform:
// installs the client into the local Maven repository and runs clients-test/java (JUnit 5) with `mvn verify`.
import { runTool, usePlatform } from './run-tool';

// A first run downloads the Maven plugins and dependencies into ~/.m2 (kept for the next runs).
jest.setTimeout(15 * 60_000);

const toolEnv = usePlatform();

test('the Java client logs in, approves a HITL request and decodes the stored CASE_ACTION', async () => {
  const mvn = ['-q', '-B', '-Dstyle.color=never'];
  await runTool('mvn', [...mvn, '-f', 'generated/clients/java/pom.xml', 'install', '-DskipTests', '-Dmaven.javadoc.skip=true', '-Dmaven.source.skip=true']);
  await runTool('mvn', [...mvn, '-f', 'clients-test/java/pom.xml', 'verify'], toolEnv());
});
