// The `fusion` executable (bin/fusion.js loads this): runs the command line and exits with its code.
import { runCli } from './program.ts';

// `npx fusion` runs in the workspace's package directory; paths on the command line mean the caller's.
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
