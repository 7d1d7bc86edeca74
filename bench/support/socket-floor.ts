import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/**
 * What receiving bytes over loopback TCP costs a Node process that does nothing else: a child
 * running a bare socket server that counts and drops what it reads, fed `chunks` (cycled up to
 * `bytes`) from this process; its CPU time (user + system, /proc) is the floor under any
 * Node broker's cost for taking in the same volume, before it frames or stores a byte of it.
 */
const SINK = `
const net = require('node:net');
const server = net.createServer((s) => {
  let n = 0;
  s.on('data', (d) => (n += d.length));
  s.on('end', () => { s.end(String(n)); server.close(); });
});
server.listen(0, '127.0.0.1', () => process.stdout.write('PORT ' + server.address().port + '\\n'));
`;

const CLOCK_TICKS = 100;

function processCpu(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export async function socketReceiveCpu(chunks: readonly Buffer[], bytes: number): Promise<number> {
  const child = spawn(process.execPath, ['-e', SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /PORT (\d+)/.exec(out);
      if (match !== null) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`socket sink exited with ${code}`)));
  });
  const pid = child.pid ?? -1;
  const socket = net.connect(port, '127.0.0.1');
  socket.resume(); // the sink's count and end of stream must be read for 'close' to come
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const before = processCpu(pid);
  for (let sent = 0, i = 0; sent < bytes; i++) {
    const chunk = chunks[i % chunks.length] as Buffer;
    sent += chunk.length;
    if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r));
  }
  socket.end();
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const cpu = processCpu(pid) - before;
  child.kill();
  return cpu;
}
