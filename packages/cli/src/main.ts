// The `fusion` executable (bin/fusion.js loads this): runs the command line and exits with its code.
import { runCli } from './program.ts';

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
