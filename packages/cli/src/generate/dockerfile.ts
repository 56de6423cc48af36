/**
 * Every image from one template: the same dependency and build stages (so a
 * build of all images compiles once and shares its layers), and a runtime
 * stage that differs only in the working directory, port and command.
 *
 *   docker build -t fusioncommerce/catalog:latest -f services/catalog/Dockerfile .
 */
import type { ServiceSpec } from '../services.ts';
import { GENERATED_NOTICE } from './notice.ts';

export const NODE_IMAGE = 'node:20-alpine';

/** What stays of each workspace in the image: its manifest, its build output, its executables and its own dependencies. */
const KEPT_IN_WORKSPACES = ['package.json', 'dist', 'bin', 'node_modules'];

export function healthcheckCommand(port: number): string[] {
  const script = `fetch('http://127.0.0.1:'+(process.env.PORT||${port})+'/health').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))`;
  return ['node', '-e', script];
}

export function dockerfileFor(service: ServiceSpec): string {
  const keep = KEPT_IN_WORKSPACES.map((name) => `! -name ${name}`).join(' ');
  const isService = service.kind === 'service';
  const start = isService ? 'dist/src/server.js' : 'dist/src/main.js';
  const lines = [
    '# syntax=docker/dockerfile:1',
    ...GENERATED_NOTICE.map((l) => `# ${l}`),
    `# ${service.name} (${service.summary}) on port ${service.port}:`,
    `#   docker build -t fusioncommerce/${service.name}:latest -f ${service.dir}/Dockerfile .`,
    `ARG NODE_IMAGE=${NODE_IMAGE}`,
    '',
    '# Only the package manifests: the dependency layer is rebuilt when they change, not on every source edit.',
    'FROM ${NODE_IMAGE} AS manifests',
    'WORKDIR /app',
    'COPY . .',
    'RUN find . -type f ! -name package.json ! -name package-lock.json ! -name .npmrc -delete && find . -type d -empty -delete',
    '',
    '# Compile every workspace, then keep production dependencies and build output only.',
    'FROM ${NODE_IMAGE} AS build',
    'WORKDIR /app',
    'COPY --from=manifests /app ./',
    'RUN npm ci --no-audit --no-fund',
    'COPY . .',
    'RUN npm run build',
    '# The storefront and admin console the gateway serves at / and /admin (apps/web/dist; the same layer in every image).',
    'RUN npm run build -w @fusioncommerce/web',
    'RUN npm prune --omit=dev --no-audit --no-fund',
    `RUN for ws in packages/* services/* apps/*; do find "$ws" -mindepth 1 -maxdepth 1 ${keep} -exec rm -rf {} +; done`,
    '',
    '# Plain node on built JavaScript: no compiler, no dev tools, nothing writable but /tmp.',
    'FROM ${NODE_IMAGE} AS runtime',
    'ENV NODE_ENV=production \\',
    '    HOST=0.0.0.0 \\',
    `    PORT=${service.port} \\`,
    '    FUSION_DATA_DIR=/data \\',
    '    NPM_CONFIG_CACHE=/tmp/.npm \\',
    '    NPM_CONFIG_UPDATE_NOTIFIER=false \\',
    '    NPM_CONFIG_FUND=false',
    'WORKDIR /app',
    'COPY --from=build /app/package.json /app/package-lock.json ./',
    'COPY --from=build /app/node_modules ./node_modules',
    'COPY --from=build /app/packages ./packages',
    'COPY --from=build /app/services ./services',
    'COPY --from=build /app/apps ./apps',
  ];
  if (isService) {
    lines.push(
      '# `npx knex migrate:latest|status|rollback` here, as guide 004 runs them: knex looks for knexfile.js in this directory.',
      `RUN echo "export { default } from './dist/knexfile.js';" > ${service.dir}/knexfile.js`,
    );
  } else {
    lines.push(
      '# The maintenance flag is looked for here, and in embedded mode without DATABASE_URL the database (PGlite) lives here; mount a volume on it.',
      'RUN mkdir -p /data && chown node:node /data',
      'VOLUME /data',
    );
  }
  lines.push(
    'ARG GIT_COMMIT=unknown',
    'ARG BUILD_TIME=unknown',
    'ENV GIT_COMMIT=${GIT_COMMIT} BUILD_TIME=${BUILD_TIME}',
    'USER node',
    `WORKDIR /app/${service.dir}`,
    `EXPOSE ${service.port}`,
    `HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ${JSON.stringify(healthcheckCommand(service.port))}`,
    `CMD ["node", "${start}"]`,
    '',
  );
  return lines.join('\n');
}

/** The build context leaves out what the image never needs and what would make it differ between machines. */
export function dockerignore(): string {
  return [
    ...GENERATED_NOTICE.map((l) => `# ${l}`),
    '.git',
    '.github',
    '**/node_modules',
    '**/dist',
    'test',
    'packages/*/test',
    'services/*/test',
    'apps/*/test',
    '.data',
    'coverage',
    'test-artifacts',
    'bench/results',
    '**/*.tsbuildinfo',
    '.env',
    '.env.*',
    '!.env.example',
    '**/Dockerfile',
    'docker-compose.yml',
    'deploy',
    'docs',
    '',
  ].join('\n');
}
