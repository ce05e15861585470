// The one place lesson MDX gets its components from: lesson pages pass this map to
// <Content components={...} />, so .mdx files need no component imports.
import T from './T.astro';
import Figure from './Figure.astro';
import HandsOn from './HandsOn.astro';
import Summary from './Summary.astro';
import Callout from './Callout.astro';
import BrowserPc from '../../pc/BrowserPcBox.astro';
import KvmLabPanel from '../../kvm-lab/KvmLabPanel.astro';
import Sim from '../../simulator/Sim.astro';

export const mdxComponents = { T, Figure, HandsOn, Summary, Callout, BrowserPc, KvmLabPanel, Sim };
