import { AstroError } from 'astro/errors';
import { describe, expect, it } from 'vitest';
import { parseProps } from '../../../src/site/props';
import { calloutProps, figureProps, handsOnProps, summaryProps, termProps } from '../../../src/features/course/mdx/props';
import { simProps } from '../../../src/features/simulator/props';
import { browserPcProps } from '../../../src/features/pc/props';
import { kvmLabPanelProps } from '../../../src/features/kvm-lab/props';

/** The error a component's build would fail with, as text. */
function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AstroError);
    return (error as Error).message;
  }
  throw new Error('expected the props to be rejected');
}

const SVG = '<svg viewBox="0 0 10 10"></svg>';

describe('component props: what lessons may write', () => {
  it('accepts the values lessons use, with defaults filled in', () => {
    expect(parseProps('Callout', calloutProps, { title: 'Catatan' })).toEqual({ type: 'info', title: 'Catatan' });
    expect(parseProps('HandsOn', handsOnProps, { kind: 'kvm-lab', title: 'Hello KVM', live: true })).toEqual({
      kind: 'kvm-lab',
      title: 'Hello KVM',
      live: true,
    });
    expect(parseProps('HandsOn', handsOnProps, { kind: 'simulator', title: 'x' }).live).toBe(false);
    expect(parseProps('Figure', figureProps, { svg: `\n${SVG}`, alt: 'Two VMs on one host' }).alt).toBe('Two VMs on one host');
    expect(parseProps('T', termProps, { id: 'vm-exit' })).toEqual({ id: 'vm-exit' });
    expect(parseProps('Summary', summaryProps, {})).toEqual({});
    expect(parseProps('Sim', simProps, { model: 'cpu-flaw' })).toEqual({ model: 'cpu-flaw' });
    expect(parseProps('BrowserPc', browserPcProps, { command: 'ls -l kursus.iso' })).toEqual({ command: 'ls -l kursus.iso' });
    expect(parseProps('KvmLabPanel', kvmLabPanelProps, {})).toEqual({});
  });

  it.each([
    ['Callout', calloutProps, { type: 'tip', title: 'x' }, 'type: received "tip"'],
    ['HandsOn', handsOnProps, { kind: 'browser', title: 'x' }, 'kind: received "browser"'],
    ['Sim', simProps, { model: 'cpu' }, 'model: received "cpu"'],
    ['KvmLabPanel', kvmLabPanelProps, { focus: 'stat' }, 'focus: received "stat"'],
  ] as const)('<%s> rejects an unknown value, naming the prop, the value and the choices', (name, schema, props, detail) => {
    const message = failure(() => parseProps(name, schema, props));
    expect(message).toContain(`Invalid props passed to the <${name}> component.`);
    expect(message).toContain(detail);
    expect(message).toMatch(/expected one of/);
  });

  it('names every choice of an enum prop', () => {
    expect(failure(() => parseProps('Sim', simProps, { model: 'x' }))).toContain('"strategies"|"cpu-flaw"');
  });

  it.each([
    [
      'Figure',
      figureProps,
      { svg: '<img src="a.png">', alt: 'Two VMs on one host' },
      'svg: received "<img src=\\"a.png\\">"; must be the raw SVG text',
    ],
    ['Figure', figureProps, { svg: SVG, alt: 'VMs' }, 'alt: received "VMs"; must describe the figure'],
    [
      'BrowserPc',
      browserPcProps,
      { command: 'uname -a\nfree -h' },
      'command: received "uname -a\\nfree -h"; must be one command on one line',
    ],
    ['T', termProps, { id: 'VM Exit' }, 'id: received "VM Exit"'],
    ['Callout', calloutProps, { title: '  ' }, 'title: received "  "; must not be empty'],
  ] as const)('<%s> rejects a malformed value: %j', (name, schema, props, detail) => {
    expect(failure(() => parseProps(name, schema, props))).toContain(detail);
  });

  it('rejects a misspelt prop name instead of ignoring it', () => {
    const message = failure(() => parseProps('KvmLabPanel', kvmLabPanelProps, { fokus: 'guest' }));
    expect(message).toContain('<KvmLabPanel>');
    expect(message).toContain('fokus');
  });

  it('cuts a long received value short', () => {
    const message = failure(() =>
      parseProps('Figure', figureProps, { svg: `<png>${'x'.repeat(500)}`, alt: 'Two VMs on one host' }),
    );
    expect(message.length).toBeLessThan(300);
  });
});
