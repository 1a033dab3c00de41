// A tiny DNS server for tests: answers every A query with one address, over TCP (RFC 7766 framing:
// a two-byte length before each message) and over UDP, counting the queries each way.
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';

export interface DnsServer {
  readonly tcpQueries: () => number;
  readonly udpQueries: () => number;
  readonly names: () => string[];
  close(): Promise<void>;
}

function questionName(msg: Buffer): { name: string; end: number } {
  const labels: string[] = [];
  let i = 12;
  while (i < msg.length && msg[i] !== 0) {
    const len = msg[i] as number;
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('ascii'));
    i += 1 + len;
  }
  return { name: labels.join('.'), end: i + 5 }; // zero byte, qtype, qclass
}

/** A response to `query`: one A record with `address` for A queries, NOERROR/empty otherwise. */
export function answer(query: Buffer, address: string): Buffer {
  const { end } = questionName(query);
  const qtype = query.readUInt16BE(end - 4);
  const header = Buffer.from(query.subarray(0, 12));
  header.writeUInt16BE(0x8180, 2); // response, recursion desired + available, NOERROR
  header.writeUInt16BE(1, 4); // one question
  header.writeUInt16BE(qtype === 1 ? 1 : 0, 6); // answers
  header.writeUInt16BE(0, 8);
  header.writeUInt16BE(0, 10);
  const question = query.subarray(12, end);
  if (qtype !== 1) return Buffer.concat([header, question]);
  const rr = Buffer.alloc(16);
  rr.writeUInt16BE(0xc00c, 0); // name: pointer to the question
  rr.writeUInt16BE(1, 2); // A
  rr.writeUInt16BE(1, 4); // IN
  rr.writeUInt32BE(60, 6); // TTL
  rr.writeUInt16BE(4, 10);
  address.split('.').forEach((o, k) => rr.writeUInt8(Number(o), 12 + k));
  return Buffer.concat([header, question, rr]);
}

export async function startDns(host: string, address: string, port = 53): Promise<DnsServer> {
  let tcp = 0;
  let udp = 0;
  const names: string[] = [];
  const open = new Set<TcpSocket>();
  const server: Server = createServer((sock) => {
    open.add(sock);
    sock.on('close', () => open.delete(sock));
    let buf = Buffer.alloc(0);
    sock.on('error', () => undefined);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        tcp++;
        names.push(questionName(msg).name);
        const res = answer(msg, address);
        const len = Buffer.alloc(2);
        len.writeUInt16BE(res.length);
        sock.write(Buffer.concat([len, res]));
      }
    });
  });
  const dgram: Socket = createSocket('udp4');
  dgram.on('message', (msg, rinfo) => {
    udp++;
    names.push(questionName(msg).name);
    dgram.send(answer(msg, address), rinfo.port, rinfo.address);
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(port, host, () => res());
  });
  await new Promise<void>((res, rej) => {
    dgram.once('error', rej);
    dgram.bind(port, host, () => res());
  });
  return {
    tcpQueries: () => tcp,
    udpQueries: () => udp,
    names: () => [...names],
    close: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((res) => server.close(() => res()));
      await new Promise<void>((res) => dgram.close(() => res()));
    },
  };
}
