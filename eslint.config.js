// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', '.data/**', 'test-artifacts/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The web apps run in the browser.
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Layering (CONVENTIONS §10): the domain is plain TypeScript, and services never import each other.
    files: ['services/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['fastify', 'fastify/*', '@fastify/*', 'knex', 'pg', '@electric-sql/*'], message: 'The domain imports no infrastructure.' },
          { group: ['**/routes/**', '**/store/**', '**/use-cases/**'], message: 'The domain imports nothing from routes, store or use cases.' },
          { group: ['@fusioncommerce/platform'], importNames: ['createApp', 'openDatabase', 'mountService'], message: 'The domain imports no kernel HTTP or database parts.' },
        ],
      }],
    },
  },
  {
    files: ['services/**/*.ts'],
    ignores: ['services/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@fusioncommerce/catalog', '@fusioncommerce/orders', '@fusioncommerce/inventory', '@fusioncommerce/payments', '@fusioncommerce/shipping', '@fusioncommerce/customers', '@fusioncommerce/group-commerce', '@fusioncommerce/webhooks', '../../*/src/**'], message: 'Services never import each other: ask over HTTP or learn from events.' }],
      }],
    },
  },
);
