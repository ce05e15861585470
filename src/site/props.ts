import { AstroError } from 'astro/errors';
import type { z } from 'zod';

/** A received value for an error message: JSON, cut short (a Figure's SVG can be long). */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Checks an Astro component's props against its zod schema and fails the build on anything
 * else, as Starlight's `<Aside>` does: the error names the component, the prop, what it got
 * and what it accepts.
 *
 * @example
 * parseProps('Callout', calloutProps, { type: 'tip', title: 'x' })
 * // throws AstroError: Invalid props passed to the <Callout> component.
 * //   - type: received "tip"; Invalid option: expected one of "info"|"warning"|"try"
 */
export function parseProps<S extends z.ZodType>(component: string, schema: S, props: unknown): z.output<S> {
  const result = schema.safeParse(props);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.map(String).join('.');
    let value: unknown = props;
    for (const key of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
    return `  - ${where || '(props)'}: received ${shown(value)}; ${issue.message}`;
  });
  throw new AstroError(
    `Invalid props passed to the <${component}> component.\n${problems.join('\n')}`,
    `Fix the <${component}> tag in the lesson (see the component's Props in its .astro file).`,
  );
}
