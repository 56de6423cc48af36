/** Real processes for the deploy tests: free ports, start-and-wait, stop, and running commands as an unprivileged user. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** When the tests run as root, image processes run as nobody, as the image's non-root user would. */
export function unprivileged(): Pick<SpawnOptions, 'uid' | 'gid'> {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
}

export interface Started {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export function startProcess(command: string, args: string[], options: { cwd: string; env: Record<string, string> }): Started {
  let output = '';
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], ...unprivileged() });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export async function runToEnd(command: string, args: string[], options: { cwd: string; env: Record<string, string> }): Promise<{ code: number | null; output: string }> {
  const started = startProcess(command, args, options);
  const code = await started.exited;
  return { code, output: started.output() };
}

export async function waitFor(url: string, process: Started, deadlineMs = 60_000): Promise<Response> {
  const until = Date.now() + deadlineMs;
  let last = 'no answer';
  while (Date.now() < until) {
    if (process.child.exitCode !== null) throw new Error(`the process exited (${process.child.exitCode}) before ${url} answered:\n${process.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return response;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer 200 within ${deadlineMs} ms (last: ${last}):\n${process.output()}`);
}
