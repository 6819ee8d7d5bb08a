import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineMarker, isAlive, isListening, ownedPid, startDetached, stopProcess, tailFile, waitFor, withLock } from '../../../ingest/src/engines/process-control';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engines-pc-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('startDetached / ownedPid / stopProcess', () => {
  it('starts a process that writes to its log and pid file, recognises it by its marker, and stops it', async () => {
    const pidFile = path.join(dir, 'run', 'demo.pid');
    const logFile = path.join(dir, 'logs', 'demo.log');
    // `sh -c CMD ARG0`: the marker becomes $0, so it shows on the command line like a JVM option;
    // `sleep` is not the last command, so the shell does not exec it (that would drop the marker)
    const pid = startDetached({ name: 'demo', command: 'sh', args: ['-c', 'echo ready; sleep 30; exit 0', engineMarker('demo')], cwd: dir, logFile, pidFile });
    expect(fs.readFileSync(pidFile, 'utf8')).toBe(`${pid}\n`);
    // the header line itself contains "echo ready": wait for the line the process printed
    await expect(waitFor(() => tailFile(logFile, 5).split('\n').includes('ready'), 5000, 50)).resolves.toBe(true);
    expect(tailFile(logFile, 3)).toMatch(/^==== \S+ sh -c echo ready; sleep 30; exit 0 -Dmysimbdp\.engine=demo\nready\n$/);
    expect(ownedPid(pidFile, engineMarker('demo'))).toBe(pid);
    expect(ownedPid(pidFile, engineMarker('other'))).toBeUndefined();
    await expect(stopProcess(pid, 5000)).resolves.toBe('terminated');
    expect(isAlive(pid)).toBe(false);
    expect(ownedPid(pidFile, engineMarker('demo'))).toBeUndefined();
  });

  it('shows a classpath in the log header as its entry count', async () => {
    const logFile = path.join(dir, 'cp.log');
    const pid = startDetached({ name: 'cp', command: 'true', args: ['-cp', '/a.jar:/b.jar:/c.jar', 'Main'], cwd: dir, logFile, pidFile: path.join(dir, 'cp.pid') });
    await waitFor(() => !isAlive(pid), 5000, 50);
    expect(fs.readFileSync(logFile, 'utf8')).toContain(' true -cp <3 classpath entries> Main\n');
  });

  it('fails naming the command when it does not exist', () => {
    expect(() =>
      startDetached({ name: 'demo', command: '/nonexistent/java', args: [], cwd: dir, logFile: path.join(dir, 'x.log'), pidFile: path.join(dir, 'x.pid') }),
    ).toThrow('could not start /nonexistent/java for demo: command not found');
    expect(fs.existsSync(path.join(dir, 'x.pid'))).toBe(false);
  });

  it('has no owned pid for a missing pid file, garbage, or a dead process', () => {
    const pidFile = path.join(dir, 'x.pid');
    expect(ownedPid(pidFile, engineMarker('x'))).toBeUndefined();
    fs.writeFileSync(pidFile, 'garbage\n');
    expect(ownedPid(pidFile, engineMarker('x'))).toBeUndefined();
    fs.writeFileSync(pidFile, `${process.pid}\n`); // alive, but without the marker
    expect(ownedPid(pidFile, engineMarker('x'))).toBeUndefined();
  });
});

describe('isListening', () => {
  it('tells a listening port from a closed one', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await expect(isListening(port, '127.0.0.1')).resolves.toBe(true);
    await new Promise((resolve) => server.close(resolve));
    await expect(isListening(port, '127.0.0.1')).resolves.toBe(false);
  });
});

describe('tailFile', () => {
  it('returns the last lines, or nothing for a missing file', () => {
    const file = path.join(dir, 'log');
    fs.writeFileSync(file, 'a\nb\nc\nd\n');
    expect(tailFile(file, 3)).toBe('c\nd\n');
    expect(tailFile(path.join(dir, 'missing'), 3)).toBe('');
  });
});

describe('withLock', () => {
  it('runs callers one at a time', async () => {
    const lock = path.join(dir, 'up.lock');
    const events: string[] = [];
    const job = (name: string) =>
      withLock(lock, 5000, async () => {
        events.push(`${name}+`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        events.push(`${name}-`);
      });
    await Promise.all([job('a'), job('b')]);
    expect([events.join(' ')]).toEqual([expect.stringMatching(/^(a\+ a- b\+ b-|b\+ b- a\+ a-)$/)]);
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('takes over the lock of a dead holder', async () => {
    const lock = path.join(dir, 'up.lock');
    fs.writeFileSync(lock, '999999999\n');
    await expect(withLock(lock, 2000, async () => 'got it')).resolves.toBe('got it');
  });

  it('gives up after the timeout naming the holder', async () => {
    const lock = path.join(dir, 'up.lock');
    fs.writeFileSync(lock, `${process.pid}\n`);
    await expect(withLock(lock, 300, async () => 'never')).rejects.toThrow(`timed out after 300 ms waiting for ${lock} (held by pid ${process.pid})`);
  });
});
