// The one place lesson MDX gets its components from: lesson pages pass this map to
// <Content components={...} />, so .mdx files need no component imports.
import T from './T.astro';
import Figure from './Figure.astro';
import HandsOn from './HandsOn.astro';
import Summary from './Summary.astro';
import Callout from './Callout.astro';
import PcMachine from './PcMachine.astro';
import KvmLabPanel from './KvmLabPanel.astro';
import Sim from './Sim.astro';

export const mdxComponents = { T, Figure, HandsOn, Summary, Callout, PcMachine, KvmLabPanel, Sim };
