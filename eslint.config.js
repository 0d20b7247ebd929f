// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // api/examples/*.mjs are documentation for partners in plain JavaScript, run by their test.
  { ignores: ['**/node_modules/**', '**/dist/**', 'coverage/**', '.data/**', 'eslint.config.js', 'api/examples/**/*.mjs'] },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    // The domain is pure: no AWS, no I/O, no clock. Time, ids and stores come in as arguments.
    files: ['domain/**/*.ts'],
    ignores: ['domain/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*', '@aws-lambda-powertools/*', '@pulumi/*'], message: 'domain/ is pure: no AWS.' },
            { group: ['pg', 'csv-parse', 'csv-parse/*', 'undici'], message: 'domain/ is pure: no I/O.' },
            { group: ['node:*', 'fs', 'net', 'http', 'https', 'dns', 'child_process', 'crypto'], message: 'domain/ is pure: no I/O, clock or randomness.' },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Pass the time in.' },
        { object: 'Math', property: 'random', message: 'Pass randomness in.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Pass the time in.' },
      ],
    },
  },
);
