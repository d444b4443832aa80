import { DeleteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Directory } from '../../domain/directory.ts';
import { ensureTables } from '../../infra/local/servers.ts';
import type { TableNames } from '../../store/clients.ts';
import { loadDirectory, saveDirectory } from '../../store/directory.ts';
import { loadDeparted } from '../../store/directory-versions.ts';
import { describeEntry } from '../../api/audit-timeline.ts';
import { namesForAudit } from '../../api/directory-names.ts';
import type { AuditEntry } from '../../domain/hash-chain.ts';
import { demoDirectory, ownTables, testDeps, testEnv, uniqueId } from '../support/stack.ts';

/**
 * Someone removed from the directory keeps their name for the audit trail: a save keeps only the
 * version before it, so after two more saves their name was nowhere and the trail showed a bare id.
 */
let demo: Directory;
beforeAll(async () => {
  demo = await demoDirectory();
});

async function ownStore(name: string): Promise<{ ddb: DynamoDBClient; tables: TableNames }> {
  const deps = testDeps(testEnv(ownTables(uniqueId(name))));
  await ensureTables(deps.ddb, deps.tables);
  return { ddb: deps.ddb, tables: deps.tables };
}

describe('the names of those who left the directory', () => {
  it('outlive the version that had them, for people and places, and give way to the directory in force', async () => {
    const s = await ownStore('departed-a');
    const leaver = { ...demo.people[0]!, id: 'staff-cc1', name: '测试离职员工' };
    const area = { ...demo.buildings[0]!, id: 'area-cc', name: { zh: '测试区域', en: 'Test area' } };
    const withThem = { ...demo, people: [...demo.people, leaver], buildings: [...demo.buildings, area] };
    await saveDirectory(s.ddb, s.tables, withThem);
    await saveDirectory(s.ddb, s.tables, demo);
    // Two more versions: the one that had them is tidied away.
    await saveDirectory(s.ddb, s.tables, {
      ...demo,
      people: demo.people.map((p) => ({ ...p, name: `${p.name}1` })),
    });
    await saveDirectory(s.ddb, s.tables, demo);
    const now = await loadDirectory(s.ddb, s.tables, true);
    const departed = await loadDeparted(s.ddb, s.tables, now);
    expect(departed.people.get('staff-cc1')).toBe('测试离职员工');
    expect(departed.buildings.get('area-cc')?.name).toEqual({ zh: '测试区域', en: 'Test area' });
    // Renamed and back: people in force are not departed, whatever an older version called them.
    expect(departed.people.has(demo.people[0]!.id)).toBe(false);

    // Back in the directory, then gone again under a new name: the newest name is kept.
    await saveDirectory(s.ddb, s.tables, {
      ...withThem,
      people: [...demo.people, { ...leaver, name: '新名字' }],
    });
    expect(
      (await loadDeparted(s.ddb, s.tables, await loadDirectory(s.ddb, s.tables, true))).people.has(
        'staff-cc1',
      ),
    ).toBe(false);
    await saveDirectory(s.ddb, s.tables, demo);
    await saveDirectory(s.ddb, s.tables, {
      ...demo,
      campus: { ...demo.campus, name: { zh: '改', en: 'x' } },
    });
    const again = await loadDeparted(s.ddb, s.tables, await loadDirectory(s.ddb, s.tables, true));
    expect(again.people.get('staff-cc1')).toBe('新名字');
  });

  it('name a departed actor and place on the audit timeline, marked as gone', async () => {
    const s = await ownStore('departed-c');
    const leaver = { ...demo.people[0]!, id: 'staff-cc3', name: '测试离职员工' };
    const area = { ...demo.buildings[0]!, id: 'area-cc', name: { zh: '测试区域', en: 'Test area' } };
    await saveDirectory(s.ddb, s.tables, {
      ...demo,
      people: [...demo.people, leaver],
      buildings: [...demo.buildings, area],
    });
    await saveDirectory(s.ddb, s.tables, demo);
    await saveDirectory(s.ddb, s.tables, {
      ...demo,
      campus: { ...demo.campus, name: { zh: '改', en: 'x' } },
    });
    const named = await namesForAudit(s, await loadDirectory(s.ddb, s.tables, true));
    const detected: AuditEntry = {
      caseId: 'ZG-2026-000001',
      seq: 1,
      at: '2026-03-02T06:05:00.000Z',
      actor: { id: 'staff-cc3' },
      action: 'detected',
      payload: { payload: { location: { buildingId: 'area-cc' }, category: 'x', source: 'repair' } },
      prevHash: '0'.repeat(64),
      hash: 'f'.repeat(64),
    };
    const zh = describeEntry(detected, 'zh-CN', named.names, 'Asia/Shanghai', named.dir);
    expect(zh.actor.name).toBe('测试离职员工（已离开名录）');
    expect(zh.detail).toContain('测试区域（已离开名录）');
    const en = describeEntry(detected, 'en', named.names, 'Asia/Shanghai', named.dir);
    expect(en.actor.name).toBe('测试离职员工 (no longer in the directory)');
    expect(en.detail).toContain('Test area (no longer in the directory)');
  });

  it('are read from the version before for a departure saved before departures were recorded', async () => {
    const s = await ownStore('departed-b');
    const leaver = { ...demo.people[0]!, id: 'staff-cc2', name: '早先离职' };
    await saveDirectory(s.ddb, s.tables, { ...demo, people: [...demo.people, leaver] });
    await saveDirectory(s.ddb, s.tables, demo);
    // As a release before this one left it: no departed rows.
    for (const id of ['person#staff-cc2', 'caught-up#v2'])
      await s.ddb.send(
        new DeleteItemCommand({ TableName: s.tables.directory, Key: marshall({ kind: 'departed', id }) }),
      );
    const departed = await loadDeparted(s.ddb, s.tables, await loadDirectory(s.ddb, s.tables, true));
    expect(departed.people.get('staff-cc2')).toBe('早先离职');
    // Read once from the version before, then kept: two more saves tidy that version away.
    await saveDirectory(s.ddb, s.tables, {
      ...demo,
      campus: { ...demo.campus, name: { zh: '改', en: 'x' } },
    });
    await saveDirectory(s.ddb, s.tables, demo);
    const later = await loadDeparted(s.ddb, s.tables, await loadDirectory(s.ddb, s.tables, true));
    expect(later.people.get('staff-cc2')).toBe('早先离职');
  });
});
