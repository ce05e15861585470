// The one place a lab's step MDX gets its components from: lesson components (glossary terms,
// figures, callouts) plus the step parts. Step files need no imports.
import T from '../../course/mdx/T.astro';
import Figure from '../../course/mdx/Figure.astro';
import Callout from '../../course/mdx/Callout.astro';
import Hint from './Hint.astro';
import Solution from './Solution.astro';
import Why from './Why.astro';

export const labMdxComponents = { T, Figure, Callout, Hint, Solution, Why };
