// Lint: typescript-eslint recommended, plus the architecture rule that keeps the core pure.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'dist-package/**', 'test-results/**', '.e2e-cache/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // src/core and src/protocol are shared by the extension host, the worker, webviews and the CLI:
    // no `vscode`, no DOM.
    files: ['src/core/**/*.ts', 'src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core is pure: no vscode import (see README, Architecture).' }] }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'HTMLElement', 'localStorage'],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
