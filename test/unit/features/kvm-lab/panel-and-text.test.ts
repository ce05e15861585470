import { describe, expect, it } from 'vitest';
import { kvmLabText } from '../../../../src/features/kvm-lab/strings';
import { checklistView } from '../../../../src/features/kvm-lab/checklist';
import { connectionLostText, connectionProblem } from '../../../../src/features/kvm-lab/connection-text';
import { partsFor } from '../../../../src/features/kvm-lab/panel';
import { formatNumber } from '../../../../src/i18n/format';
import { BridgeError } from '../../../../src/protocol/client';
import { originCommand, parseBridgeUrl } from '../../../../src/protocol/bridge-url';
import type { HostCheck } from '../../../../src/protocol/schema';

const parsed = parseBridgeUrl('ws://127.0.0.1:8477/ws?token=abc');
if (!parsed.ok) throw new Error('fixture');
const address = parsed.address;
const ORIGIN = 'http://192.168.1.10:8080';

describe('partsFor', () => {
  it.each([
    [undefined, ['host-check', 'guest', 'stats', 'hello-kvm']],
    ['host-check', ['host-check']],
    ['guest', ['guest']],
    ['stats', ['guest', 'stats']],
    ['hello-kvm', ['hello-kvm']],
  ] as const)('%s → %j', (focus, parts) => {
    expect(partsFor(focus)).toEqual(parts);
  });
  it('formats numbers in the page language and names the origin flag', () => {
    expect(formatNumber(12345.6, 'id')).toBe('12.346');
    expect(formatNumber(12345.6, 'en', 1)).toBe('12,345.6');
    expect(originCommand(ORIGIN)).toBe('npm run bridge -- --origin http://192.168.1.10:8080');
  });
});

describe('connectionProblem', () => {
  it.each(['id', 'en'] as const)('explains a refused connection (%s) and says to start the bridge again', (locale) => {
    const text = kvmLabText(locale);
    const p = connectionProblem(new BridgeError('unreachable', 'nothing'), text, locale, address, ORIGIN);
    expect(p.summary).toBe(text['kvm.error.unreachable'].replace('{address}', '127.0.0.1:8477'));
    expect(p).toMatchObject({ fix: text['kvm.error.unreachableFix'], command: 'npm run bridge' });
  });

  it('for a bridge that refused the page, gives the command that allows this origin', () => {
    const text = kvmLabText('en');
    const p = connectionProblem(new BridgeError('refused', 'x'), text, 'en', address, ORIGIN);
    expect(p.summary).toContain(ORIGIN);
    expect(p.command).toBe(`npm run bridge -- --origin ${ORIGIN}`);
  });

  it("uses the bridge's own message for its refusals, in the page language", () => {
    const error = new BridgeError('rejected', 'x', 'auth-failed');
    expect(connectionProblem(error, kvmLabText('id'), 'id', address, ORIGIN).summary).toBe(
      'Token salah. Salin ulang URL yang dicetak oleh `npm run bridge`.',
    );
    expect(connectionProblem(error, kvmLabText('en'), 'en', address, ORIGIN).summary).toBe(
      'Wrong token. Copy the URL printed by `npm run bridge` again.',
    );
  });

  it.each([
    [new BridgeError('timeout', 'x'), /10/],
    [new BridgeError('closed', 'x', undefined, {}, 1008), /1008/],
    [new BridgeError('invalid-message', 'welcome: bad'), /welcome: bad/],
    [new Error('boom'), /boom/],
  ])('says something specific for %s', (error, pattern) => {
    expect(connectionProblem(error, kvmLabText('en'), 'en', address, ORIGIN).summary).toMatch(pattern);
  });

  it('says when an open connection is lost, with the close code', () => {
    expect(connectionLostText(new BridgeError('closed', 'x', undefined, {}, 1001), kvmLabText('en'))).toContain('code 1001');
  });
});

describe('checklistView', () => {
  // What the bridge reports on a cloud VM with kvm_pvm (the course's CI host).
  const check: HostCheck = {
    items: [
      {
        id: 'cpu',
        status: 'warn',
        message: 'check.cpu.none',
        params: { vendor: 'AuthenticAMD', hypervisorNote: ' (hypervisor)' },
        fixes: ['fix.nested-cloud', 'fix.use-tcg'],
      },
      { id: 'kvm-device', status: 'ok', message: 'check.kvm-device.ok', params: { path: '/dev/kvm' }, fixes: [] },
      {
        id: 'kvm-module',
        status: 'warn',
        message: 'check.kvm-module.software',
        params: { module: 'kvm_pvm' },
        fixes: ['fix.use-tcg'],
      },
      {
        id: 'qemu',
        status: 'fail',
        message: 'check.qemu.missing',
        params: { binary: 'qemu-system-x86_64' },
        fixes: ['fix.install-qemu'],
      },
      { id: 'libvirt', status: 'info', message: 'check.libvirt.absent', params: {}, fixes: [] },
    ],
    kvmKind: 'software',
    kvmUsable: true,
    linuxAccel: 'tcg',
    summary: 'check.summary.software',
    summaryParams: { module: 'kvm_pvm' },
  };

  it('gives each item its status word, its sentence and its fixes in the page language', () => {
    const view = checklistView(check, 'id', kvmLabText('id'));
    expect(view.rows.map((r) => r.statusLabel)).toEqual(['Perhatian', 'OK', 'Perhatian', 'Gagal', 'Info']);
    expect(view.rows[3]).toEqual({
      id: 'qemu',
      status: 'fail',
      statusLabel: 'Gagal',
      text: 'QEMU (qemu-system-x86_64) tidak ditemukan.',
      fixes: ['Pasang QEMU: `sudo apt install qemu-system-x86`.'],
    });
    expect(view.rows[0]?.text).toBe('CPU AuthenticAMD tidak menampilkan vmx/svm (hypervisor).');
  });

  it('says plainly that /dev/kvm is a software KVM and names the module', () => {
    const en = checklistView(check, 'en', kvmLabText('en'));
    expect(en.kind).toContain('software (kvm_pvm)');
    expect(en.module).toBe('kvm_pvm');
    expect(en.summary).toBe('Software KVM (kvm_pvm): Linux guests use TCG; KVM serves the micro-guest and the counters.');
    expect(checklistView({ ...check, kvmKind: 'hardware' }, 'en', kvmLabText('en')).kind).toContain('hardware (kvm_pvm)');
    expect(checklistView({ ...check, kvmKind: 'none' }, 'id', kvmLabText('id')).kind).toBe(
      kvmLabText('id')['kvm.host.kind.none'],
    );
  });
});
