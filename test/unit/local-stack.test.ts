import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { listen } from '../../api/server.ts';
import { projectRoot } from '../../infra/local/paths.ts';
import { PortInUse, assertPortFree, freePort } from '../../infra/local/servers.ts';
import { createTableInput, tableDefinitions } from '../../store/tables.ts';

describe('local stack guards', () => {
  it('hands tests ports below the range servers pick their own ports from, never one twice', async () => {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
    expect(new Set(ports).size).toBe(50);
    for (const port of ports) {
      expect(port).toBeLessThan(low ?? 0);
      await expect(assertPortFree(port, 'PORT', '0.0.0.0')).resolves.toBeUndefined();
    }
  });

  it('names the port and the variable to change when a port is taken', async () => {
    const port = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen({ port, host: '127.0.0.1' }, () => r()));
    try {
      await expect(assertPortFree(port, 'DYNAMODB_PORT')).rejects.toThrow(PortInUse);
      await expect(assertPortFree(port, 'DYNAMODB_PORT')).rejects.toThrow(
        `port ${port} is already in use: set DYNAMODB_PORT to a free port`,
      );
    } finally {
      blocker.close();
    }
    await expect(assertPortFree(port, 'DYNAMODB_PORT')).resolves.toBeUndefined();
  });

  it('checks the address the server binds: the wildcard collides with a listener on any one address', async () => {
    const port = await freePort();
    const blocker = net.createServer();
    // Another loopback address: free on 127.0.0.1, taken for a server on 0.0.0.0 (as the API is).
    await new Promise<void>((r) => blocker.listen({ port, host: '127.0.0.2' }, () => r()));
    try {
      await expect(assertPortFree(port, 'PORT')).resolves.toBeUndefined();
      await expect(assertPortFree(port, 'PORT', '0.0.0.0')).rejects.toThrow(
        `port ${port} is already in use: set PORT to a free port`,
      );
    } finally {
      blocker.close();
    }
  });

  it('listen() rejects with EADDRINUSE instead of throwing from an unhandled error event', async () => {
    const port = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen({ port, host: '0.0.0.0' }, () => r()));
    try {
      await expect(listen(new Hono(), port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await new Promise((r) => blocker.close(r));
    }
    const server = await listen(new Hono(), port);
    await new Promise((r) => server.close(r));
  });

  it('says in one line which prerequisite is missing', () => {
    // An empty cache and a PATH without java, mvn or go: setup must stop at the first.
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(projectRoot, 'infra/local/setup.ts')],
      {
        env: {
          PATH: '/nonexistent',
          HOME: tmpdir(),
          XDG_CACHE_HOME: mkdtempSync(path.join(tmpdir(), 'rectify-cache-')),
        },
        cwd: projectRoot,
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^java is missing: install Java 17/);
  });

  it('creates every table with its keys and indexes from the one definition', () => {
    const cases = createTableInput(tableDefinitions.cases, 'c');
    expect(cases.KeySchema).toEqual([{ AttributeName: 'caseId', KeyType: 'HASH' }]);
    expect(cases.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual([
      'byOpened',
      'byBuilding',
      'byAssignee',
      'byResponsible',
      'byStage',
      'byOverdue',
    ]);
    const audit = createTableInput(tableDefinitions.audit, 'a');
    expect(audit.KeySchema).toEqual([
      { AttributeName: 'caseId', KeyType: 'HASH' },
      { AttributeName: 'seq', KeyType: 'RANGE' },
    ]);
    for (const def of Object.values(tableDefinitions)) {
      const input = createTableInput(def, def.key);
      const declared = new Set(input.AttributeDefinitions?.map((a) => a.AttributeName));
      const used = [def.hashKey, def.rangeKey, ...def.indexes.flatMap((i) => [i.hashKey, i.rangeKey])].filter(
        Boolean,
      );
      for (const a of used) expect(declared.has(a as string)).toBe(true);
      expect(declared.size).toBe(new Set(used).size);
    }
  });
});
