/**
 * Builds an image's file system the way its Dockerfile says, without Docker:
 * each stage gets its own root directory; COPY, WORKDIR, ENV, ARG and RUN are
 * carried out in it, so the result is what the image would hold. Three RUNs
 * that need the network or minutes are swapped for local equivalents:
 *   npm ci        → the checkout's installed node_modules, hard-linked
 *   npm run build → the same build script with --noCheck (types are CI's typecheck job;
 *                   the web apps' `npm run build -w …` runs as written)
 *   npm prune     → the same command, --offline
 * Everything else (find/rm clean-ups, the knexfile line, mkdir) runs as written.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, matchesGlob } from 'node:path';

export interface Instruction {
  op: string;
  args: string;
  line: number;
}

export interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

export interface ParsedDockerfile {
  globalArgs: Record<string, string>;
  stages: Stage[];
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const logical: { text: string; line: number }[] = [];
  let buffer = '';
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (buffer === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) return;
    if (buffer === '') start = index + 1;
    if (line.endsWith('\\')) buffer += `${line.slice(0, -1)} `;
    else {
      logical.push({ text: (buffer + line).trim(), line: start });
      buffer = '';
    }
  });
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const { text: l, line } of logical) {
    const match = /^([A-Za-z]+)\s+([\s\S]*)$/.exec(l);
    if (!match) throw new Error(`Dockerfile line ${line}: cannot parse "${l}"`);
    const op = (match[1] as string).toUpperCase();
    const args = (match[2] as string).trim();
    if (op === 'FROM') {
      const [from, as, name] = args.split(/\s+/);
      if (!from || (as && as.toUpperCase() !== 'AS')) throw new Error(`Dockerfile line ${line}: bad FROM`);
      stages.push({ name: name ?? `stage${stages.length}`, from, instructions: [] });
    } else if (stages.length === 0) {
      if (op !== 'ARG') throw new Error(`Dockerfile line ${line}: ${op} before FROM`);
      const [key, value = ''] = args.split('=');
      globalArgs[key as string] = value;
    } else stages[stages.length - 1]?.instructions.push({ op, args, line });
  }
  return { globalArgs, stages };
}

/** `A=b C="d e"` → { A: 'b', C: 'd e' }. */
export function parseAssignments(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g;
  for (const m of args.matchAll(re)) out[m[1] as string] = (m[2] as string).replace(/^"|"$/g, '');
  return out;
}

function substitute(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, a: string | undefined, b: string | undefined) => vars[(a ?? b) as string] ?? '');
}

/** Files Docker would send as the build context: the working tree, minus .gitignore'd and .dockerignore'd paths. */
export function contextFiles(root: string): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\0')
    .filter(Boolean);
  const ignoreFile = join(root, '.dockerignore');
  const patterns = existsSync(ignoreFile)
    ? readFileSync(ignoreFile, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'))
    : [];
  const ignored = (path: string): boolean => {
    let result = false;
    const parts = path.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    for (const pattern of patterns) {
      const negate = pattern.startsWith('!');
      const glob = negate ? pattern.slice(1) : pattern;
      if (prefixes.some((p) => matchesGlob(p, glob))) result = !negate;
    }
    return result;
  };
  return listed.filter((p) => existsSync(join(root, p)) && statSync(join(root, p)).isFile() && !ignored(p));
}

export interface ReplayOptions {
  /** The repository (build context). */
  root: string;
  dockerfile: string;
  /** An empty directory to build the stages in. */
  sandbox: string;
  /** Context files, when already listed (they are the same for every image). */
  context?: string[];
  /** A build stage already replayed (every image shares it): reused instead of built again. */
  reuseStages?: Map<string, string>;
}

export interface ReplayedImage {
  /** The runtime stage's root directory: `/` inside the container. */
  fsRoot: string;
  /** WORKDIR, as a host path. */
  workdir: string;
  env: Record<string, string>;
  user: string | undefined;
  cmd: string[];
  healthcheck: string[] | undefined;
  exposed: number[];
  volumes: string[];
  /** Stage name → its root directory (to reuse the shared build stage for the next image). */
  stages: Map<string, string>;
}

function cloneInto(source: string, target: string, hardLink: boolean): void {
  mkdirSync(dirname(target), { recursive: true });
  if (statSync(source).isDirectory()) {
    mkdirSync(target, { recursive: true });
    execFileSync('cp', [hardLink ? '-al' : '-a', `${source}/.`, target]);
  } else execFileSync('cp', [hardLink ? '-al' : '-a', source, target]);
}

const sanitizedEnv = (): Record<string, string> => {
  // The checkout's npm passes --import=tsx and the source condition to every node; an image has neither.
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'NODE_OPTIONS' && !/^npm_/i.test(k)) env[k] = v;
  return env;
};

export function replayDockerfile(options: ReplayOptions): ReplayedImage {
  const parsed = parseDockerfile(readFileSync(options.dockerfile, 'utf8'));
  const context = options.context ?? contextFiles(options.root);
  const stubs = join(options.sandbox, 'stubs');
  mkdirSync(stubs, { recursive: true });
  // No such users on the host; ownership inside the image is the image's business.
  writeFileSync(join(stubs, 'chown'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });

  const stages = new Map<string, string>(options.reuseStages ?? []);
  let runtime: ReplayedImage | undefined;
  for (const stage of parsed.stages) {
    const fsRoot = join(options.sandbox, 'stages', stage.name);
    const reused = options.reuseStages?.get(stage.name);
    const isLast = stage === parsed.stages[parsed.stages.length - 1];
    if (reused && !isLast) continue;
    mkdirSync(fsRoot, { recursive: true });
    chmodSync(fsRoot, 0o755);
    const vars: Record<string, string> = { ...parsed.globalArgs };
    const env: Record<string, string> = {};
    let cwd = '/';
    const state: Omit<ReplayedImage, 'fsRoot' | 'workdir' | 'env' | 'stages'> = { user: undefined, cmd: [], healthcheck: undefined, exposed: [], volumes: [] };
    const host = (p: string) => join(fsRoot, p.startsWith('/') ? p : join(cwd, p));

    for (const ins of stage.instructions) {
      // Docker expands ARG and ENV in these instructions; RUN, CMD and HEALTHCHECK are left to the shell.
      const args = ['RUN', 'CMD', 'HEALTHCHECK'].includes(ins.op) ? ins.args : substitute(ins.args, { ...vars, ...env });
      switch (ins.op) {
        case 'ARG': {
          const [key, value] = ins.args.split('=');
          if (!(key as string in vars)) vars[key as string] = value ?? '';
          break;
        }
        case 'ENV':
          Object.assign(env, parseAssignments(args));
          break;
        case 'WORKDIR':
          cwd = args.startsWith('/') ? args : join(cwd, args);
          mkdirSync(host(cwd), { recursive: true });
          break;
        case 'COPY': {
          const tokens = args.split(/\s+/);
          const from = tokens.find((t) => t.startsWith('--from='))?.slice('--from='.length);
          const paths = tokens.filter((t) => !t.startsWith('--'));
          const dest = paths.pop() as string;
          const sources = paths;
          const destIsDir = dest.endsWith('/') || dest === '.' || sources.length > 1;
          for (const source of sources) {
            if (from) {
              const origin = stages.get(from);
              if (!origin) throw new Error(`COPY --from=${from}: no such stage (line ${ins.line})`);
              const src = join(origin, source);
              if (!existsSync(src)) throw new Error(`COPY --from=${from} ${source}: not in that stage (line ${ins.line})`);
              const isDir = statSync(src).isDirectory();
              cloneInto(src, isDir ? host(dest) : destIsDir ? join(host(dest), basename(source)) : host(dest), true);
            } else if (source === '.') {
              for (const file of context) {
                mkdirSync(dirname(join(host(dest), file)), { recursive: true });
                copyFileSync(join(options.root, file), join(host(dest), file));
              }
            } else {
              const src = join(options.root, source);
              cloneInto(src, statSync(src).isDirectory() || !destIsDir ? host(dest) : join(host(dest), basename(source)), false);
            }
          }
          break;
        }
        case 'RUN':
          runStep(args, { fsRoot, dir: host(cwd), root: options.root, stubs, line: ins.line });
          break;
        case 'USER':
          state.user = args;
          break;
        case 'EXPOSE':
          state.exposed.push(...args.split(/\s+/).map((p) => Number(p.replace(/\/.*$/, ''))));
          break;
        case 'VOLUME':
          state.volumes.push(...args.split(/\s+/));
          break;
        case 'CMD':
          state.cmd = JSON.parse(args) as string[];
          break;
        case 'HEALTHCHECK': {
          const cmd = /\bCMD\s+(\[.*\])\s*$/.exec(args);
          state.healthcheck = cmd ? (JSON.parse(cmd[1] as string) as string[]) : undefined;
          break;
        }
        default:
          throw new Error(`Dockerfile line ${ins.line}: ${ins.op} is not replayed here`);
      }
    }
    stages.set(stage.name, fsRoot);
    runtime = { ...state, fsRoot, workdir: host(cwd), env, stages };
  }
  if (!runtime) throw new Error(`${options.dockerfile} has no stages`);
  return runtime;
}

function runStep(command: string, at: { fsRoot: string; dir: string; root: string; stubs: string; line: number }): void {
  const env = { ...sanitizedEnv(), PATH: `${at.stubs}:${process.env.PATH ?? ''}` };
  const sh = (script: string) => execFileSync('sh', ['-c', script], { cwd: at.dir, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  try {
    if (/^npm ci\b/.test(command)) {
      // What `npm ci` would put there: this checkout's installed dependencies (root and per workspace).
      cloneInto(join(at.root, 'node_modules'), join(at.dir, 'node_modules'), true);
      // npm rewrites its own bookkeeping file; give it a copy, not a link into the checkout.
      rmSync(join(at.dir, 'node_modules', '.package-lock.json'), { force: true });
      cpSync(join(at.root, 'node_modules', '.package-lock.json'), join(at.dir, 'node_modules', '.package-lock.json'));
      for (const parent of ['packages', 'services', 'apps']) {
        if (!existsSync(join(at.root, parent))) continue;
        for (const ws of readdirSync(join(at.root, parent))) {
          const nested = join(at.root, parent, ws, 'node_modules');
          if (existsSync(nested) && existsSync(join(at.dir, parent, ws, 'package.json'))) cloneInto(nested, join(at.dir, parent, ws, 'node_modules'), true);
        }
      }
    } else if (/^npm run build\s*$/.test(command)) {
      execFileSync(process.execPath, ['scripts/build.mjs', '--noCheck'], { cwd: at.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    } else if (/^npm prune\b/.test(command)) {
      sh(`${command} --offline`);
    } else {
      // Absolute paths other than the stage's own /app live under the stage root too.
      sh(command.replace(/(^|[\s>])\/(?!app\b)([A-Za-z])/g, `$1${at.fsRoot}/$2`));
    }
  } catch (error) {
    const e = error as { stderr?: Buffer; stdout?: Buffer; message: string };
    throw new Error(`RUN ${command} (line ${at.line}) failed: ${e.stderr?.toString() || e.stdout?.toString() || e.message}`);
  }
}
