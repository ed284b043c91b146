import { describe, expect, it } from 'vitest';
import { GtidProgress } from '../../../plugins/mysql/binlog/gtid-progress.js';

describe('GTID progress in offsets', () => {
  it('keeps the last MariaDB transaction of each replication domain', () => {
    const progress = new GtidProgress('0-1-5,2-1-9');
    progress.commit('0-1-6');
    progress.commit('1-3-1');
    progress.commit(undefined);
    expect(progress.toString()).toBe('0-1-6,1-3-1,2-1-9');
  });

  it('starts a MariaDB position from the first commit when the offset had none', () => {
    const progress = new GtidProgress(undefined);
    expect(progress.toString()).toBeUndefined();
    progress.commit('0-1-42');
    expect(progress.toString()).toBe('0-1-42');
  });

  it('adds MySQL transactions to the executed set it started from', () => {
    const uuid = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
    const progress = new GtidProgress(`${uuid}:1-27`);
    progress.commit(`${uuid}:28`);
    progress.commit(`${uuid}:30`);
    expect(progress.toString()).toBe(`${uuid}:1-28:30`);
  });

  it('does not invent a MySQL executed set from the transactions seen since the start', () => {
    const progress = new GtidProgress(undefined);
    progress.commit('3e11fa47-71ca-11e1-9e33-c80aa9429562:28');
    expect(progress.toString()).toBeUndefined();
  });
});
