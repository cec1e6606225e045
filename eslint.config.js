import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'test-results/', '.tools/', 'dist/', 'web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
      // TypeScript already knows every global (Node's and, in web/, the browser's).
      'no-undef': 'off',
    },
  },
  {
    // Channels and the CLI talk only to src/app (issue 12 §3): rows, queries and transactions stay behind it, so the
    // next channel (hotline, shop, SMS) starts right. The composition root, which opens the store, is the one exception.
    files: ['src/channels/**/*.ts', 'src/cli/**/*.ts'],
    ignores: ['src/cli/runtime.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/store/**', '**/*.repository.ts'], message: 'Channels and the CLI call src/app; the store and repositories are behind it.' },
            { group: ['kysely', 'kysely/*'], message: 'Channels and the CLI run no queries: call a function in src/app.' },
          ],
        },
      ],
    },
  },
);
