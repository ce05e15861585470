// @ts-check
/**
 * The layout's boundaries as lint rules (README, "Layout"): which folder may import which.
 * test/unit/architecture.test.ts shows each rule failing on a breach.
 *
 * - Code that ships to the browser (src/features, src/site, src/i18n, src/schemas, src/protocol,
 *   src/guest; .ts and .svelte, not .astro frontmatter, which runs at build time) imports no Node
 *   built-in, no build-time code (src/build) and not the bridge server (src/kvm-bridge).
 * - What the bridge and the page share (src/protocol, src/guest) imports no feature and no page.
 * - The servers (src/kvm-bridge, and src/class-server to come) import nothing from the site
 *   (features, site, pages).
 * - src/sim imports nothing outside itself: no package, no file above src/sim.
 * - What the bridge loads in plain Node (src/kvm-bridge, src/protocol, src/guest, src/schemas,
 *   src/i18n) writes each relative import's extension, which Node needs and Vite accepts.
 */

const NODE_BUILTINS =
  '^(node:|(assert|async_hooks|buffer|child_process|cluster|crypto|dgram|dns|events|fs|http|http2|https|module|net|os|path|perf_hooks|process|readline|stream|string_decoder|timers|tls|tty|url|util|v8|vm|worker_threads|zlib)(/|$))';

/** A relative import that reaches into one of `folders` (src/<folder>/…). */
const into = (/** @type {string[]} */ folders) => `^\\.{1,2}/(.*/)?(${folders.join('|')})/`;

const nodeBuiltins = {
  regex: NODE_BUILTINS,
  message: 'Code that ships to the browser may not import Node built-ins (build-time code goes in src/build).',
};
const serverOrBuild = {
  regex: into(['build', 'kvm-bridge']),
  message:
    'Browser code may not import src/build (build time, Node) or src/kvm-bridge (the server); shared code is in src/protocol and src/guest.',
};

/** Node runs the bridge's sources itself (type stripping), and Node resolves no import without its extension. */
const withExtension = {
  regex: '^\\.{1,2}/(?!.*\\.(ts|mjs|js|json)$)',
  message:
    'Code the bridge loads (src/kvm-bridge, src/protocol, src/guest, src/schemas, src/i18n) runs in plain Node: write the file extension (.ts).',
};

const browser = ['src/features', 'src/site', 'src/i18n', 'src/schemas', 'src/protocol', 'src/guest'].flatMap((dir) => [
  `${dir}/**/*.ts`,
  `${dir}/**/*.svelte`,
]);

/**
 * src/sim/<k folders>/file.ts may climb k levels, not k + 1.
 * @type {import('eslint').Linter.Config[]}
 */
const simDepths = [0, 1, 2, 3].map((k) => ({
  files: [`src/sim/${'*/'.repeat(k)}*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `^(\\.\\./){${k + 1}}`,
            message: 'src/sim imports nothing outside src/sim: the models stay pure and self-contained.',
          },
          { regex: '^[^.]', message: 'src/sim imports no package: the models stay pure TypeScript.' },
        ],
      },
    ],
  },
}));

/** @type {import('eslint').Linter.Config[]} */
export const boundaries = [
  { files: browser, rules: { 'no-restricted-imports': ['error', { patterns: [nodeBuiltins, serverOrBuild] }] } },
  {
    files: ['src/schemas/**/*.ts', 'src/i18n/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [nodeBuiltins, serverOrBuild, withExtension] }] },
  },
  {
    files: ['src/protocol/**/*.ts', 'src/guest/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            withExtension,
            {
              regex: into(['build', 'kvm-bridge', 'features', 'site', 'pages']),
              message:
                'src/protocol and src/guest are shared by the bridge and the page: they import no feature, page, build or server code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/kvm-bridge/**/*.ts', 'src/class-server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            withExtension,
            {
              regex: into(['features', 'site', 'pages']),
              message:
                'The bridge server imports nothing from the site; what it shares with the page is in src/protocol and src/guest.',
            },
          ],
        },
      ],
    },
  },
  ...simDepths,
];
