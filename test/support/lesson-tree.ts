/**
 * A lesson's MDX read as a tree, by satteri: the MDX parser Astro builds the lessons with
 * (through @astrojs/markdown-satteri). The components the content checks look at (<T>,
 * <Summary>, <HandsOn>, <BrowserPc>) are found as elements, not by matching text, so code
 * blocks, attribute order and line breaks inside a tag change nothing.
 */
import { mdxToMdast } from 'satteri';

/** The kinds of <HandsOn> box (src/features/course/mdx/HandsOn.astro). */
export const HANDS_ON_KINDS = ['simulator', 'machine', 'kvm-lab'] as const;

/** The parts of an mdast/MDX node the checks read. */
interface Node {
  type: string;
  name?: string | null;
  lang?: string | null;
  value?: unknown;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: Node[];
  position?: { start: { line: number; offset?: number }; end: { offset?: number } };
}

/** A `<HandsOn kind="machine" live>` box: the browser PC with the commands to type in it. */
export interface PcBox {
  /** The box's source between its tags: prose, code blocks and the BrowserPc tag. */
  text: string;
  /** Lines of its ```sh blocks, in order. */
  commands: string[];
  /** The `command` prop of its BrowserPc, if any. */
  first: string | undefined;
  /** How many BrowserPc elements it holds. */
  pcs: number;
}

/** What the content checks read from a lesson body. */
export interface LessonTree {
  /** `<T id>` ids, in order. */
  terms: string[];
  summaries: number;
  /** The kind of each <HandsOn>, in order. */
  handsOn: (string | undefined)[];
  pcBoxes: PcBox[];
  /** Elements the checks cannot read, each with its line. */
  unreadable: string[];
}

const isElement = (n: Node) => n.type === 'mdxJsxFlowElement' || n.type === 'mdxJsxTextElement';

/** An attribute's value: a string, `true` for a bare attribute, `undefined` if absent or an expression. */
function attribute(n: Node, name: string): string | true | undefined {
  const a = n.attributes?.find((x) => x.type === 'mdxJsxAttribute' && x.name === name);
  if (!a) return undefined;
  if (a.value === null || a.value === undefined) return true;
  return typeof a.value === 'string' ? a.value : undefined;
}
const hasAttribute = (n: Node, name: string) =>
  n.attributes?.some((x) => x.type === 'mdxJsxAttribute' && x.name === name) ?? false;

function* walk(n: Node): Generator<Node> {
  yield n;
  for (const c of n.children ?? []) yield* walk(c);
}

/** Reads one MDX body (frontmatter allowed). */
export function readLesson(source: string): LessonTree {
  const root = mdxToMdast(source) as unknown as Node;
  const tree: LessonTree = { terms: [], summaries: 0, handsOn: [], pcBoxes: [], unreadable: [] };
  const line = (n: Node) => `line ${n.position?.start.line ?? '?'}`;
  const literal = (n: Node, name: string): string | undefined => {
    const v = attribute(n, name);
    if (typeof v === 'string') return v;
    tree.unreadable.push(`${line(n)}: <${n.name ?? ''}> needs ${name}="…" as plain text`);
    return undefined;
  };
  for (const n of walk(root)) {
    if (!isElement(n)) continue;
    if (n.name === 'T') {
      const id = literal(n, 'id');
      if (id !== undefined) tree.terms.push(id);
    } else if (n.name === 'Summary') {
      tree.summaries++;
    } else if (n.name === 'HandsOn') {
      const kind = literal(n, 'kind');
      tree.handsOn.push(kind);
      if (kind === 'machine' && hasAttribute(n, 'live')) tree.pcBoxes.push(pcBox(n, source, literal));
    }
  }
  return tree;
}

function pcBox(box: Node, source: string, literal: (n: Node, name: string) => string | undefined): PcBox {
  const children = box.children ?? [];
  const from = children[0]?.position?.start.offset ?? 0;
  const to = children.at(-1)?.position?.end.offset ?? from;
  const inside = children.flatMap((c) => [...walk(c)]);
  const pcs = inside.filter((n) => isElement(n) && n.name === 'BrowserPc');
  const commands = inside
    .filter((n) => n.type === 'code' && n.lang === 'sh')
    .flatMap((n) =>
      String(n.value)
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    );
  const first = pcs[0] && attribute(pcs[0], 'command') !== undefined ? literal(pcs[0], 'command') : undefined;
  return { text: source.slice(from, to), commands, first, pcs: pcs.length };
}

/**
 * What is wrong with a lesson's structure: glossary terms unknown or not declared in the
 * frontmatter (and declared ones not used), not exactly one <Summary>, no hands-on place, a
 * <HandsOn> of an unknown kind, and a browser-PC box without one machine, without commands,
 * or whose first command is not one of its commands.
 */
export function structureProblems(tree: LessonTree, declared: readonly string[], known: ReadonlySet<string>): string[] {
  const problems = [...tree.unreadable];
  for (const t of new Set([...tree.terms, ...declared])) if (!known.has(t)) problems.push(`unknown glossary term "${t}"`);
  const used = new Set(tree.terms);
  for (const t of used) if (!declared.includes(t)) problems.push(`<T id="${t}"> is not in the frontmatter's terms`);
  for (const t of new Set(declared)) if (!used.has(t)) problems.push(`term "${t}" is declared but no <T> uses it`);
  if (tree.summaries !== 1) problems.push(`${tree.summaries} <Summary> elements, not one`);
  if (tree.handsOn.length === 0) problems.push('no <HandsOn> place');
  for (const kind of tree.handsOn) {
    if (kind !== undefined && !(HANDS_ON_KINDS as readonly string[]).includes(kind))
      problems.push(`<HandsOn kind="${kind}"> is no known kind`);
  }
  tree.pcBoxes.forEach((box, i) => {
    const which = `browser-PC box ${i + 1}`;
    if (box.pcs !== 1) problems.push(`${which} holds ${box.pcs} <BrowserPc>, not one`);
    if (box.commands.length === 0) problems.push(`${which} gives no \`\`\`sh commands`);
    if (box.first !== undefined && !box.commands.includes(box.first))
      problems.push(`${which}: the first command "${box.first}" is not among its commands`);
  });
  return problems;
}
